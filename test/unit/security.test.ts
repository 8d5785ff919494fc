import nock from 'nock';

import { BASE_URL, binaryItem, runNode, runNodeExpectingError, TEST_KEY } from '../helpers/fakeContext';
import { jpeg } from '../helpers/images';
import { mockJobOnForeignOrigin, socketError } from '../helpers/network';

const ID = 'b7e1c3a0-0000-4000-8000-000000000001';
const FOREIGN = 'https://not-segmind.test';
const STICKER = jpeg(64, 64);
const FACE = jpeg(32, 32);
const FAST = { pollInterval: 0.1 };

/** Everything the node produced or threw, as one string to search for the key. */
function everything(value: unknown): string {
	return JSON.stringify(value, (_, v) => (v instanceof Error ? { ...v, message: v.message, description: (v as { description?: string }).description } : v));
}

describe('the API key goes to the credential\'s origin only and never reaches output or errors', () => {
	test('status, result and image URLs on another origin are fetched without the key', async () => {
		const foreign = mockJobOnForeignOrigin(BASE_URL, FOREIGN, ID, STICKER);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(foreign.isDone()).toBe(true);
		expect(sent.filter((r) => r.url.startsWith(FOREIGN)).every((r) => !r.headers['x-api-key'])).toBe(true);
		expect(everything(output)).not.toContain(TEST_KEY);
	});

	test('a redirect from the API to another origin is followed without the key', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		api.get(`/v2/requests/${ID}/status`).reply(302, '', { location: `${FOREIGN}/elsewhere/${ID}` });
		nock(FOREIGN, { badheaders: ['x-api-key'] }).get(`/elsewhere/${ID}`).reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(200, { status: 'COMPLETED', output: `${FOREIGN}/img.jpg`, metrics: {} });
		nock(FOREIGN, { badheaders: ['x-api-key'] }).get('/img.jpg').reply(200, STICKER);
		const { sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		const foreignRequests = sent.filter((r) => r.url.startsWith(FOREIGN));
		expect(foreignRequests).toHaveLength(2);
		expect(foreignRequests.every((r) => r.headers['x-api-key'] === undefined)).toBe(true);
	});

	test('a redirect answer to a POST is not followed (the job is never submitted twice)', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(307, '', { location: `${FOREIGN}/v2/face-to-sticker` });
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(sent).toHaveLength(1);
		expect(error.message).toBe('Segmind answered with HTTP 307');
	});

	test('an error body that echoes the key is redacted in the message and description', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(401, { error: `Unauthorized: key ${TEST_KEY} is invalid` });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: { mode: 'direct' } } });
		expect(error.description).toContain('key *** is invalid');
		expect(everything(error)).not.toContain(TEST_KEY);
	});

	test('a network error is reported without the request (and its headers)', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').replyWithError(socketError('ECONNRESET', `socket hang up ${TEST_KEY}`));
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: { mode: 'direct' } } });
		expect(everything(error)).not.toContain(TEST_KEY);
	});

	test('continue-on-fail error items carry only the redacted message', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(400, { error: `bad key ${TEST_KEY}` });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { mode: 'direct' } }, continueOnFail: true });
		expect(output).toEqual([{ json: { error: 'Segmind rejected the request as invalid' }, pairedItem: { item: 0 } }]);
		expect(everything(output)).not.toContain(TEST_KEY);
	});

	test('a trailing slash on the base URL is tolerated and the key still goes to that origin', async () => {
		nock(BASE_URL, { reqheaders: { 'x-api-key': TEST_KEY } }).post('/v1/face-to-sticker').reply(200, STICKER);
		const { output } = await runNode({
			items: [binaryItem(FACE)],
			parameters: { options: { mode: 'direct' } },
			credentials: { apiKey: TEST_KEY, baseUrl: `${BASE_URL}/` },
		});
		expect(output[0].json.mode).toBe('direct');
	});
});
