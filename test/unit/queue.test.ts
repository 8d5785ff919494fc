import nock from 'nock';

import { BASE_URL, binaryItem, runNode, runNodeExpectingError, TEST_KEY } from '../helpers/fakeContext';
import { jpeg } from '../helpers/images';
import { socketError } from '../helpers/network';

const ID = '1f0c5d9e-8a1b-4c2d-9e3f-4a5b6c7d8e9f';
const IMAGE_HOST = 'https://images.segmind.test';
const STICKER = jpeg(96, 64, [10, 200, 30]);
const FACE = jpeg(32, 32);
const FAST = { pollInterval: 0.1 };

function submitted(id = ID) {
	return {
		request_id: id,
		status: 'QUEUED',
		poll_url: `${BASE_URL}/v1/requests/${id}`,
		status_url: `${BASE_URL}/v2/requests/${id}/status`,
		response_url: `${BASE_URL}/v2/requests/${id}`,
	};
}

function completedResult(id = ID, extra: object = {}) {
	return {
		status: 'COMPLETED',
		output: `${IMAGE_HOST}/outputs/${id}.jpg`,
		seed: 777,
		metrics: { cost: 0.0866, remaining_credits: 12.3456, inference_time: 61.2, queue_time: 1.5, total_time: 62.7 },
		...extra,
	};
}

type ImageAnswer = (image: nock.Interceptor) => nock.Scope;
const stickerImage: ImageAnswer = (image) => image.reply(200, STICKER, { 'content-type': 'image/jpeg' });

/** The usual happy path: submit, `processingPolls` PROCESSING answers, COMPLETED, result, then the image host's answer. */
function mockJob({ processingPolls = 1, id = ID, result = completedResult(id) as object, image = stickerImage } = {}) {
	const api = nock(BASE_URL);
	api.post('/v2/face-to-sticker').reply(200, submitted(id));
	if (processingPolls) api.get(`/v2/requests/${id}/status`).times(processingPolls).reply(200, { status: 'PROCESSING', request_id: id });
	api.get(`/v2/requests/${id}/status`).reply(200, { status: 'COMPLETED', request_id: id, metrics: { inference_time: 61.2 } });
	api.get(`/v2/requests/${id}`).reply(200, result);
	const images = image(nock(IMAGE_HOST).get(`/outputs/${id}.jpg`));
	return { api, images };
}

describe('queue mode', () => {
	test('submits once, polls until COMPLETED, downloads the image and outputs binary plus the JSON record', async () => {
		const { api, images } = mockJob({ processingPolls: 2 });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { modelSettings: { seed: 42 }, options: FAST } });

		expect(api.isDone() && images.isDone()).toBe(true);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({
			requestId: ID,
			status: 'COMPLETED',
			mode: 'queue',
			seed: 777,
			cost: 0.0866,
			remainingCredits: 12.3456,
			generationTime: 61.2,
			queueTime: 1.5,
			totalTime: 62.7,
			imageUrl: `${IMAGE_HOST}/outputs/${ID}.jpg`,
			photoRoute: 'inline',
			// Photo Preparation (Auto) read the small clean JPEG and sent it as it came.
			photo: {
				prepared: false, format: 'jpeg', originalBytes: FACE.length, originalWidth: 32, originalHeight: 32,
				sentBytes: FACE.length, sentWidth: 32, sentHeight: 32, sentType: 'image/jpeg', orientation: 1, metadataRemoved: false, removed: [],
			},
			backgroundRemoved: false,
			elapsedTime: expect.any(Number),
			polls: 3,
			mimeType: 'image/jpeg',
			fileSize: STICKER.length,
		});
		const binary = output[0].binary!.data;
		expect(Buffer.from(binary.data, 'base64').equals(STICKER)).toBe(true);
		expect(binary).toEqual(expect.objectContaining({ mimeType: 'image/jpeg', fileName: 'sticker.jpg' }));
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	test('sends every parameter under the API name with the node defaults, the photo as raw base64, as JSON', async () => {
		mockJob({ processingPolls: 0 });
		const { sent } = await runNode({ items: [binaryItem(FACE)], parameters: { modelSettings: { seed: 5 }, options: FAST } });
		const submit = sent[0];
		expect(submit.url).toBe(`${BASE_URL}/v2/face-to-sticker`);
		expect(submit.headers['content-type']).toBe('application/json');
		expect(submit.body).toEqual({
			image: FACE.toString('base64'),
			prompt: 'a person',
			negative_prompt: '',
			width: 1024,
			height: 1024,
			steps: 20,
			seed: 5,
			prompt_strength: 7,
			instant_id_strength: 1,
			ip_adapter_weight: 0.2,
			ip_adapter_noise: 0.5,
			upscale: false,
			upscale_steps: 10,
		});
	});

	test('sends each set parameter with its exact value and type', async () => {
		mockJob({ processingPolls: 0 });
		const { sent } = await runNode({
			items: [binaryItem(FACE)],
			parameters: {
				prompt: 'a pirate',
				negativePrompt: 'hats',
				width: 512,
				height: 768,
				modelSettings: {
					steps: 35,
					seed: 4294967295,
					promptStrength: 12.5,
					instantIdStrength: 0.8,
					ipAdapterWeight: 0.35,
					ipAdapterNoise: 0,
					upscale: true,
					upscaleSteps: 15,
				},
				options: FAST,
			},
		});
		expect(sent[0].body).toEqual(
			expect.objectContaining({
				prompt: 'a pirate',
				negative_prompt: 'hats',
				width: 512,
				height: 768,
				steps: 35,
				seed: 4294967295,
				prompt_strength: 12.5,
				instant_id_strength: 0.8,
				ip_adapter_weight: 0.35,
				ip_adapter_noise: 0,
				upscale: true,
				upscale_steps: 15,
			}),
		);
	});

	test('seed -1 draws a random seed in 0..4294967295, sends it, and reports it when the result has none', async () => {
		mockJob({ processingPolls: 0, result: { status: 'COMPLETED', output: `${IMAGE_HOST}/outputs/${ID}.jpg`, metrics: {} } });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		const seed = (sent[0].body as { seed: number }).seed;
		expect(Number.isInteger(seed) && seed >= 0 && seed <= 4294967295).toBe(true);
		expect(output[0].json.seed).toBe(seed);
		expect(output[0].json.cost).toBeNull();
	});

	test('two random seeds differ across items (the node draws one per item)', async () => {
		mockJob({ processingPolls: 0, id: 'job-a' });
		mockJob({ processingPolls: 0, id: 'job-b' });
		const { sent } = await runNode({ items: [binaryItem(FACE), binaryItem(FACE)], parameters: { options: { ...FAST, concurrency: 1 } } });
		const seeds = sent.filter((r) => r.method === 'POST').map((r) => (r.body as { seed: number }).seed);
		expect(seeds).toHaveLength(2);
		expect(seeds[0]).not.toBe(seeds[1]);
	});

	test('an image URL is passed through as the image field', async () => {
		mockJob({ processingPolls: 0 });
		const { sent } = await runNode({ parameters: { imageSource: 'url', imageUrl: 'https://example.com/face.jpg', options: FAST } });
		expect((sent[0].body as { image: string }).image).toBe('https://example.com/face.jpg');
	});

	test.each([
		['an array of URLs', { output: [`${IMAGE_HOST}/outputs/${ID}.jpg`] }],
		['images[] only', { output: undefined, images: [{ url: `${IMAGE_HOST}/outputs/${ID}.jpg`, content_type: 'image/jpeg' }] }],
		['an object with a url', { output: { url: `${IMAGE_HOST}/outputs/${ID}.jpg` } }],
	])('accepts the output as %s', async (_, shape) => {
		mockJob({ processingPolls: 0, result: { ...completedResult(), ...shape } });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(output[0].binary!.data.mimeType).toBe('image/jpeg');
	});

	test('accepts the output as base64 data (no download)', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, submitted());
		api.get(`/v2/requests/${ID}/status`).reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(200, { status: 'COMPLETED', output: `data:image/jpeg;base64,${STICKER.toString('base64')}`, metrics: {} });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(Buffer.from(output[0].binary!.data.data, 'base64').equals(STICKER)).toBe(true);
		expect(output[0].json.imageUrl).toBeUndefined();
	});

	test('downloads the output from another origin without the API key', async () => {
		mockJob({ processingPolls: 0 });
		const { sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		const download = sent.find((r) => r.url.startsWith(IMAGE_HOST))!;
		expect(download.authenticated).toBe(false);
		expect(download.headers['x-api-key']).toBeUndefined();
		for (const request of sent.filter((r) => r.url.startsWith(BASE_URL))) {
			expect(request.headers['x-api-key']).toBe(TEST_KEY);
		}
	});

	test('builds the status and result URLs from the request ID when the submit answer lacks them', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		api.get(`/v2/requests/${ID}/status`).reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(200, completedResult());
		nock(IMAGE_HOST).get(`/outputs/${ID}.jpg`).reply(200, STICKER);
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(output[0].json.requestId).toBe(ID);
	});

	test('a submit answer without a request ID fails the item and is not resubmitted', async () => {
		const api = nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { status: 'QUEUED' });
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(api.isDone()).toBe(true);
		expect(error.message).toBe('Segmind accepted the photo but returned no request ID');
		expect(sent).toHaveLength(1);
	});

	test('a FAILED job (HTTP 422 on status) fails the item, names the request ID, and is not resubmitted', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, submitted());
		api.get(`/v2/requests/${ID}/status`).reply(422, { status: 'FAILED', error: 'No face detected', metrics: { inference_time: 0.4 } });
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(error.message).toBe(`Segmind could not generate the sticker: No face detected (request ID ${ID})`);
		expect(error.httpCode).toBe('422');
		expect(error.context.itemIndex).toBe(0);
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	test('a FAILED body under HTTP 200 is final too', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, submitted());
		api.get(`/v2/requests/${ID}/status`).reply(200, { status: 'FAILED', error: 'bad input' });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(error.message).toContain('bad input');
	});

	test('a poll answered 429, 503 or a dropped connection waits and polls again; the job still completes', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, submitted());
		api.get(`/v2/requests/${ID}/status`).reply(429, { error: 'rate_limit_exceeded' }, {
			'x-rate-limit-reset-at-utc': new Date(Date.now() + 300).toISOString(),
		});
		api.get(`/v2/requests/${ID}/status`).reply(503, 'Service Unavailable');
		api.get(`/v2/requests/${ID}/status`).replyWithError(socketError('ECONNRESET', 'socket hang up'));
		api.get(`/v2/requests/${ID}/status`).reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(502, '<html>Bad Gateway</html>');
		api.get(`/v2/requests/${ID}`).reply(200, completedResult());
		nock(IMAGE_HOST).get(`/outputs/${ID}.jpg`).reply(500, 'oops').get(`/outputs/${ID}.jpg`).reply(200, STICKER);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(api.isDone()).toBe(true);
		expect(output[0].json.requestId).toBe(ID);
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
	}, 30000);

	test('a submit answered 503 was not taken: it is sent again and succeeds', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(503, { error: 'busy' });
		mockJob({ processingPolls: 0 });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(output[0].json.requestId).toBe(ID);
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(2);
	});

	test('a submit answered 429 waits for x-rate-limit-reset-at-utc, then is sent again', async () => {
		const resetAt = Date.now() + 700;
		nock(BASE_URL).post('/v2/face-to-sticker').reply(429, { error: 'rate_limit_exceeded' }, {
			'x-rate-limit-reset-at-utc': new Date(resetAt).toISOString(),
		});
		mockJob({ processingPolls: 0 });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(output[0].json.requestId).toBe(ID);
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(2);
		expect(Date.now()).toBeGreaterThanOrEqual(resetAt - 5);
	});

	test('a submit whose connection dropped after sending is never resent (it may have been billed)', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').replyWithError(socketError('ECONNRESET', 'socket hang up'));
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(error.message).toBe('The connection to Segmind failed');
		expect(error.description).toContain('not resent, to avoid a second charge');
	});

	test('a submit that timed out is never resent', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').delay(1500).reply(200, submitted());
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, timeout: 1 } } });
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(error.message).toBe('Segmind did not answer in time');
	});

	test('a submit refused before connecting (ECONNREFUSED) is sent again', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').replyWithError(socketError('ECONNREFUSED', 'connect ECONNREFUSED'));
		mockJob({ processingPolls: 0 });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(output[0].json.requestId).toBe(ID);
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(2);
	});

	test('past Max Wait Time the item fails with a message that names the request ID; no second submit', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, submitted());
		api.get(`/v2/requests/${ID}/status`).times(100).reply(200, { status: 'PROCESSING' });
		const started = Date.now();
		const { error, sent } = await runNodeExpectingError({
			items: [binaryItem(FACE)],
			parameters: { options: { pollInterval: 0.2, maxWaitTime: 1 } },
		});
		expect(Date.now() - started).toBeLessThan(2500);
		expect(error.message).toBe(`The sticker was not ready after 1 s (request ID ${ID})`);
		expect(error.description).toContain('Get Result');
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	test('an expired job (404 on status) says the record is gone and names the request ID', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, submitted());
		api.get(`/v2/requests/${ID}/status`).reply(404, { error: `Request ${ID} not found` });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(error.message).toBe(`Segmind no longer knows this job (request ID ${ID})`);
		expect(error.httpCode).toBe('404');
	});

	test('an output URL that answers 404 fails the item clearly', async () => {
		mockJob({ processingPolls: 0, image: (image) => image.reply(404, 'Not Found') });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(error.message).toContain('is no longer available');
		expect(error.message).toContain(ID);
	});

	test('a download that is not an image fails the item and stores nothing', async () => {
		mockJob({ processingPolls: 0, image: (image) => image.reply(200, '<html>login</html>', { 'content-type': 'image/jpeg' }) });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(error.message).toMatch(/is not an image \(18 bytes of other data\)/);
		expect(error.message).toContain(ID);
	});

	test('a download larger than 50 MB is stopped and fails the item', async () => {
		mockJob({ processingPolls: 0, image: (image) => image.reply(200, Buffer.alloc(51 * 1024 * 1024, 0xff)) });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(error.message).toBe(`The sticker is larger than 50.00 MB (request ID ${ID})`);
	});

	test('Wait for Completion off returns the request ID right after the submit, without polling', async () => {
		const api = nock(BASE_URL).post('/v2/face-to-sticker').reply(200, submitted());
		const { output, sent } = await runNode({
			items: [binaryItem(FACE)],
			parameters: { modelSettings: { seed: 9 }, options: { waitForCompletion: false } },
		});
		expect(api.isDone()).toBe(true);
		expect(sent).toHaveLength(1);
		expect(output[0]).toEqual({
			json: {
				requestId: ID,
				status: 'QUEUED',
				mode: 'queue',
				seed: 9,
				photoRoute: 'inline',
				photo: expect.objectContaining({ prepared: false, format: 'jpeg', sentBytes: FACE.length }),
				statusUrl: `${BASE_URL}/v2/requests/${ID}/status`,
				resultUrl: `${BASE_URL}/v2/requests/${ID}`,
			},
			pairedItem: { item: 0 },
		});
	});

	test('Get Result fetches the status at once and, when completed, the sticker', async () => {
		const api = nock(BASE_URL);
		api.get(`/v2/requests/${ID}/status`).reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(200, completedResult());
		nock(IMAGE_HOST).get(`/outputs/${ID}.jpg`).reply(200, STICKER);
		const { output, sent } = await runNode({ parameters: { operation: 'getResult', requestId: ID, options: FAST } });
		expect(sent.every((r) => r.method === 'GET')).toBe(true);
		expect(output[0].json).toEqual(expect.objectContaining({ requestId: ID, status: 'COMPLETED', seed: 777 }));
		expect(output[0].binary!.data.mimeType).toBe('image/jpeg');
	});

	test('Get Result of a job still running polls until it completes', async () => {
		const api = nock(BASE_URL);
		api.get(`/v2/requests/${ID}/status`).twice().reply(200, { status: 'PROCESSING' });
		api.get(`/v2/requests/${ID}/status`).reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(200, completedResult());
		nock(IMAGE_HOST).get(`/outputs/${ID}.jpg`).reply(200, STICKER);
		const { output } = await runNode({ parameters: { operation: 'getResult', requestId: ID, options: FAST } });
		expect(output[0].json.polls).toBe(3);
	});

	test('a result that says COMPLETED before its output is ready is asked again', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, submitted());
		api.get(`/v2/requests/${ID}/status`).twice().reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(200, { status: 'COMPLETED', metrics: {} });
		api.get(`/v2/requests/${ID}`).reply(200, completedResult());
		nock(IMAGE_HOST).get(`/outputs/${ID}.jpg`).reply(200, STICKER);
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: FAST } });
		expect(api.isDone()).toBe(true);
		expect(output[0].json.requestId).toBe(ID);
	});
});
