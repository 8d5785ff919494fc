import nock from 'nock';

import { BASE_URL, binaryItem, runNode, runNodeExpectingError, TEST_KEY } from '../helpers/fakeContext';
import { jpeg, PNG } from '../helpers/images';
import { mockJobOnForeignOrigin } from '../helpers/network';

const ID = '9a8b7c6d-1111-4222-8333-444455556666';
const UPLOAD_HOST = 'https://upload.segmind.test';
const ASSET = 'https://storage.segmind.test/assets/face-1.jpg';
const FOREIGN = 'https://not-segmind.test';
const STICKER = jpeg(64, 64, [10, 200, 30]);
const FACE = jpeg(32, 32);
const CREDENTIALS = { apiKey: TEST_KEY, baseUrl: BASE_URL, uploadUrl: UPLOAD_HOST };
const FAST = { pollInterval: 0.1 };
const REFUSED = { error: 'image must be a valid URI (http or https URL)' };

/** The queue job after a successful submit, with its image on the API origin. */
function mockRestOfJob(id = ID) {
	const api = nock(BASE_URL);
	api.get(`/v2/requests/${id}/status`).reply(200, { status: 'COMPLETED' });
	api.get(`/v2/requests/${id}`).reply(200, { status: 'COMPLETED', output: `${BASE_URL}/img/${id}.jpg`, metrics: { cost: 0.0866 } });
	api.get(`/img/${id}.jpg`).reply(200, STICKER);
}

/** Runs one binary item with Photo Upload set to Upload First and returns the error it must end with. */
const uploadFirstExpectingError = async () =>
	await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, photoUpload: 'upload' } }, credentials: CREDENTIALS });
const upload = () => nock(UPLOAD_HOST, { reqheaders: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' } }).post('/upload-asset');
const submits = (sent: Array<{ method: string; url: string; body?: unknown }>) =>
	sent.filter((r) => r.method === 'POST' && r.url === `${BASE_URL}/v2/face-to-sticker`).map((r) => (r.body as { image: string }).image);
const uploads = (sent: Array<{ url: string; body?: unknown }>) => sent.filter((r) => r.url === `${UPLOAD_HOST}/upload-asset`);

describe('Photo Upload', () => {
	test('Upload First: the photo goes to upload-asset as a data URL with the key, and its URL is submitted', async () => {
		upload().reply(200, { urls: [ASSET] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, photoUpload: 'upload' } }, credentials: CREDENTIALS });
		expect(uploads(sent)[0].body).toEqual({ data_urls: [`data:image/jpeg;base64,${FACE.toString('base64')}`] });
		expect(submits(sent)).toEqual([ASSET]);
		expect(output[0].json.photoRoute).toBe('upload');
	});

	test('the data URL names the photo\'s real type (PNG), read from its bytes', async () => {
		upload().reply(200, { urls: [ASSET] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		const { sent } = await runNode({
			items: [binaryItem(PNG, 'face.jpg', 'image/jpeg')],
			// The fixture is a PNG signature and header, not a whole picture: sent unread.
			parameters: { options: { ...FAST, photoUpload: 'upload', photoPreparation: 'asIs' } },
			credentials: CREDENTIALS,
		});
		expect((uploads(sent)[0].body as { data_urls: string[] }).data_urls[0]).toMatch(/^data:image\/png;base64,/);
	});

	test('an upload answered with file_urls (as some SDK versions print it) is accepted', async () => {
		upload().reply(200, { file_urls: [ASSET] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		const { sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, photoUpload: 'upload' } }, credentials: CREDENTIALS });
		expect(submits(sent)).toEqual([ASSET]);
	});

	test('Auto: base64 first; refused with a 400 about the image, the photo is uploaded and submitted once more by URL', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(400, REFUSED);
		upload().reply(200, { urls: [ASSET] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST }, credentials: CREDENTIALS });
		expect(submits(sent)).toEqual([FACE.toString('base64'), ASSET]);
		expect(uploads(sent)).toHaveLength(1);
		expect(output[0].json).toEqual(expect.objectContaining({ requestId: ID, photoRoute: 'upload' }));
	});

	test('Auto remembers the refusal for the rest of the execution: the next item uploads straight away', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(400, REFUSED);
		upload().reply(200, { urls: [ASSET] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		upload().reply(200, { urls: [`${ASSET}-2`] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: 'second', status: 'QUEUED' });
		mockRestOfJob('second');
		const { output, sent } = await runNode({
			items: [binaryItem(FACE), binaryItem(FACE)],
			parameters: { options: { ...FAST, concurrency: 1 } },
			credentials: CREDENTIALS,
		});
		expect(submits(sent)).toEqual([FACE.toString('base64'), ASSET, `${ASSET}-2`]);
		expect(output.map((item) => item.json.photoRoute)).toEqual(['upload', 'upload']);
	});

	test('Auto in direct mode: a refused v1 call is sent once more with the uploaded URL', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(400, REFUSED);
		upload().reply(200, { urls: [ASSET] });
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, STICKER, { 'content-type': 'image/jpeg', 'x-request-id': ID });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { mode: 'direct' } }, credentials: CREDENTIALS });
		const bodies = sent.filter((r) => r.url === `${BASE_URL}/v1/face-to-sticker`).map((r) => (r.body as { image: string }).image);
		expect(bodies).toEqual([FACE.toString('base64'), ASSET]);
		expect(output[0].json).toEqual(expect.objectContaining({ mode: 'direct', photoRoute: 'upload', requestId: ID }));
	});

	test('Auto does not upload after a 400 about something else than the image', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(400, { error: 'prompt must be a string' });
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST }, credentials: CREDENTIALS });
		expect(uploads(sent)).toHaveLength(0);
		expect(error.message).toBe('Segmind rejected the request as invalid');
	});

	test('Auto does not upload after a refusal about the face in the photo', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(422, { error: 'no face detected in the image' });
		const { sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: { mode: 'direct' } }, credentials: CREDENTIALS });
		expect(uploads(sent)).toHaveLength(0);
	});

	test('Inline: a refused base64 photo fails the item, and nothing is uploaded', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(400, REFUSED);
		const { error, sent } = await runNodeExpectingError({
			items: [binaryItem(FACE)],
			parameters: { options: { ...FAST, photoUpload: 'inline' } },
			credentials: CREDENTIALS,
		});
		expect(uploads(sent)).toHaveLength(0);
		expect(error.httpCode).toBe('400');
		expect(error.description).toContain('image must be a valid URI');
	});

	test('an image URL is passed as it is, whatever Photo Upload says', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		const { output, sent } = await runNode({
			parameters: { imageSource: 'url', imageUrl: 'https://example.com/face.jpg', options: { ...FAST, photoUpload: 'upload' } },
			credentials: CREDENTIALS,
		});
		expect(uploads(sent)).toHaveLength(0);
		expect(output[0].json.photoRoute).toBe('url');
	});

	test('an upload answered 503 then 200 is retried (uploads are free); the job is submitted once', async () => {
		upload().reply(503, 'busy');
		upload().reply(200, { urls: [ASSET] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		const { sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, photoUpload: 'upload' } }, credentials: CREDENTIALS });
		expect(uploads(sent)).toHaveLength(2);
		expect(submits(sent)).toEqual([ASSET]);
	});

	test('an upload answered 404 fails the item, points at the credential\'s Upload URL, and nothing is submitted', async () => {
		upload().reply(404, { error: 'Not found' });
		const { error, sent } = await uploadFirstExpectingError();
		expect(submits(sent)).toEqual([]);
		expect(error.message).toBe('Segmind\'s upload service refused the photo (HTTP 404)');
		expect(error.description).toContain('Upload URL');
	});

	test('an upload answer without a URL fails the item, and nothing is submitted', async () => {
		upload().reply(200, { ok: true });
		const { error, sent } = await uploadFirstExpectingError();
		expect(submits(sent)).toEqual([]);
		expect(error.message).toBe('Segmind\'s upload service returned no URL for the photo');
	});

	test('without an Upload URL in the credential, Segmind\'s own storage service is used', async () => {
		nock('https://workflows-api.segmind.com', { reqheaders: { 'x-api-key': TEST_KEY } }).post('/upload-asset').reply(200, { urls: [ASSET] });
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		mockRestOfJob();
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, photoUpload: 'upload' } } });
		expect(output[0].json.photoRoute).toBe('upload');
	});
});

describe('the key goes to the API and upload origins only', () => {
	test('with an upload, only the two key origins receive the key; status, result and image URLs elsewhere do not', async () => {
		upload().reply(200, { urls: [ASSET] });
		mockJobOnForeignOrigin(BASE_URL, FOREIGN, ID, STICKER);
		const { sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, photoUpload: 'upload' } }, credentials: CREDENTIALS });
		const withKey = [...new Set(sent.filter((r) => r.headers['x-api-key']).map((r) => new URL(r.url).origin))].sort();
		expect(withKey).toEqual([BASE_URL, UPLOAD_HOST].sort());
		expect(sent.filter((r) => r.url.startsWith(FOREIGN))).toHaveLength(3);
	});

	test('a redirect answered by the upload service is not followed (a POST is never re-sent elsewhere)', async () => {
		upload().reply(307, '', { location: `${FOREIGN}/upload-asset` });
		const { error, sent } = await uploadFirstExpectingError();
		expect(sent.filter((r) => r.url.startsWith(FOREIGN))).toHaveLength(0);
		expect(error.message).toBe('Segmind\'s upload service refused the photo (HTTP 307)');
	});
});
