import nock from 'nock';

import { SegmindApi } from '../../credentials/SegmindApi.credentials';
import { AccountRegistry } from '../../nodes/FaceToSticker/transport/account';
import { BASE_URL, binaryItem, runNode, runNodeExpectingError, TEST_KEY } from '../helpers/fakeContext';
import { jpeg } from '../helpers/images';

const IMAGE_HOST = 'https://images.segmind.test';
const STICKER = jpeg(32, 32, [9, 8, 7]);
const FACE = jpeg(16, 16);
const never = () => false;
const far = () => Date.now() + 30_000;

/** One queue job with the given request ID: `processingPolls` PROCESSING answers, then COMPLETED. */
function mockJob(id: string, processingPolls: number) {
	const api = nock(BASE_URL);
	api.post('/v2/face-to-sticker').reply(200, { request_id: id, status: 'QUEUED', status_url: `${BASE_URL}/v2/requests/${id}/status`, response_url: `${BASE_URL}/v2/requests/${id}` });
	api.get(`/v2/requests/${id}/status`).times(processingPolls).reply(200, { status: 'PROCESSING' });
	api.get(`/v2/requests/${id}/status`).reply(200, { status: 'COMPLETED' });
	api.get(`/v2/requests/${id}`).reply(200, { status: 'COMPLETED', output: `${IMAGE_HOST}/outputs/${id}.jpg`, metrics: { cost: 0.0866 } });
	nock(IMAGE_HOST).get(`/outputs/${id}.jpg`).reply(200, STICKER, { 'content-type': 'image/jpeg' });
	return api;
}

describe('what the credential\'s Requests per Minute counts', () => {
	test('the credential offers All Requests (the default) and Only Requests That Start Work', () => {
		const property = new SegmindApi().properties.find((p) => p.name === 'requestsCounted');
		expect(property?.default).toBe('all');
		expect(property?.options?.map((o) => (o as { value: string }).value)).toEqual(['all', 'work']);
	});

	test('counting all requests, a status check waits for its turn like a submit', async () => {
		const account = new AccountRegistry().join('origin key', { requestsPerMinute: 1, maxConcurrentJobs: 0 }, 'x');
		expect(account.counts('status') && account.counts('result') && account.counts('submit')).toBe(true);
		expect(await account.acquireRequest('x', far(), never, account.counts('submit'))).toBe(true);
		expect(await account.acquireRequest('x', Date.now() + 200, never, account.counts('status'))).toBe(false);
	});

	test('counting only work, status checks and results go out at once while submits and background removals keep the spacing', async () => {
		const account = new AccountRegistry().join('origin key', { requestsPerMinute: 1, maxConcurrentJobs: 0, counting: 'work' }, 'x');
		expect(['submit', 'direct', 'background', 'status', 'result'].map((call) => account.counts(call as 'submit'))).toEqual([true, true, true, false, false]);
		expect(await account.acquireRequest('x', far(), never, true)).toBe(true);
		const started = Date.now();
		for (let i = 0; i < 5; i++) expect(await account.acquireRequest('x', far(), never, false)).toBe(true);
		expect(Date.now() - started).toBeLessThan(100);
		expect(await account.acquireRequest('x', Date.now() + 200, never, true)).toBe(false);
	});

	test('counting only work, a 429 still pauses every request of the account, uncounted status checks included', async () => {
		const account = new AccountRegistry().join('origin key', { requestsPerMinute: 10, maxConcurrentJobs: 0, counting: 'work' }, 'x');
		account.rateLimited(new Date(Date.now() + 600).toISOString());
		const started = Date.now();
		expect(await account.acquireRequest('x', far(), never, false)).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(500);
	});

	test('through the node, with the credential at 2 per minute counting only work, a job polled every 0.1 s finishes in seconds', async () => {
		const api = mockJob('job-work', 4);
		const started = Date.now();
		const { output } = await runNode({
			items: [binaryItem(FACE)],
			parameters: { options: { pollInterval: 0.1 } },
			credentials: { apiKey: TEST_KEY, baseUrl: BASE_URL, requestsPerMinute: 2, requestsCounted: 'work' },
		});
		expect(api.isDone()).toBe(true);
		expect(output[0].json.polls).toBe(5);
		expect(Date.now() - started).toBeLessThan(5_000);
	});
});

describe('Segmind\'s v2 answers and request IDs', () => {
	test('402 on a v2 submit (an empty balance) gives the plain credits message, is not retried, and nothing is billed', async () => {
		const api = nock(BASE_URL).post('/v2/face-to-sticker').reply(402, { error: 'Insufficient credits. You have 0.0 credits.' });
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: { pollInterval: 0.1 } } });
		expect(api.isDone()).toBe(true);
		expect(error.message).toBe('Not enough Segmind credits for this sticker');
		expect(error.description).toContain('Top up your balance in the Segmind console (Billing). Nothing was charged for this request.');
		expect(error.httpCode).toBe('402');
		expect(sent).toHaveLength(1);
	});

	test('a request ID of 32 hex characters without dashes is used as given, for the job and in the output', async () => {
		const id = '47411f110c6fa4fe05dcb9ffed2c1962';
		const api = mockJob(id, 1);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { pollInterval: 0.1 } } });
		expect(api.isDone()).toBe(true);
		expect(output[0].json.requestId).toBe(id);
		expect(sent.filter((r) => r.method === 'GET' && r.url.startsWith(BASE_URL)).map((r) => r.url)).toEqual([
			`${BASE_URL}/v2/requests/${id}/status`,
			`${BASE_URL}/v2/requests/${id}/status`,
			`${BASE_URL}/v2/requests/${id}`,
		]);
	});

	test('Get Result takes a 32-hex request ID as given', async () => {
		const id = '47411f110c6fa4fe05dcb9ffed2c1962';
		nock(BASE_URL).get(`/v2/requests/${id}/status`).reply(200, { status: 'COMPLETED' });
		nock(BASE_URL).get(`/v2/requests/${id}`).reply(200, { status: 'COMPLETED', output: `${IMAGE_HOST}/outputs/${id}.jpg` });
		nock(IMAGE_HOST).get(`/outputs/${id}.jpg`).reply(200, STICKER, { 'content-type': 'image/jpeg' });
		const { output } = await runNode({ parameters: { operation: 'getResult', requestId: id, options: { pollInterval: 0.1 } } });
		expect(output[0].json).toEqual(expect.objectContaining({ requestId: id, status: 'COMPLETED' }));
	});
});
