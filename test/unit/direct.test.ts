import nock from 'nock';

import { BASE_URL, binaryItem, runNode, runNodeExpectingError } from '../helpers/fakeContext';
import { jpeg, PNG } from '../helpers/images';
import { socketError } from '../helpers/network';

const STICKER = jpeg(64, 64, [250, 10, 10]);
const FACE = jpeg(32, 32);
const DIRECT = { mode: 'direct' };

describe('direct mode', () => {
	test('one POST /v1/face-to-sticker returns the image; headers give cost, float credits, time, seed and request ID', async () => {
		const api = nock(BASE_URL)
			.post('/v1/face-to-sticker')
			.reply(200, STICKER, {
				'Content-Type': 'image/jpeg',
				'X-Cost': '0.0866',
				'X-remaining-credits': '12.75',
				'x-generation-time': '64.9',
				'X-Seed-Value': '31337',
				'x-request-id': 'req-direct-1',
			});
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { modelSettings: { seed: 31337 }, options: DIRECT } });
		expect(api.isDone()).toBe(true);
		expect(sent).toHaveLength(1);
		expect(output[0].json).toEqual(
			expect.objectContaining({
				requestId: 'req-direct-1',
				mode: 'direct',
				seed: 31337,
				cost: 0.0866,
				remainingCredits: 12.75,
				generationTime: 64.9,
				polls: 0,
			}),
		);
		expect(Buffer.from(output[0].binary!.data.data, 'base64').equals(STICKER)).toBe(true);
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	test('the image type follows the bytes: a PNG answer is stored as sticker.png', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, PNG, { 'content-type': 'application/octet-stream' });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...DIRECT, fileName: 'me' } } });
		expect(output[0].binary!.data).toEqual(expect.objectContaining({ mimeType: 'image/png', fileName: 'me.png' }));
	});

	test('a JSON answer carrying a base64 image is decoded', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, { image: STICKER.toString('base64'), status: 'Success' });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: DIRECT } });
		expect(Buffer.from(output[0].binary!.data.data, 'base64').equals(STICKER)).toBe(true);
	});

	test('a JSON answer without an image fails the item, quoting what Segmind said', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, { status: 'weird' });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: DIRECT } });
		expect(error.message).toBe('Segmind answered with application/json instead of an image');
	});

	test('the output binary field option names the output property', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, STICKER, { 'content-type': 'image/jpeg' });
		const { output } = await runNode({
			items: [binaryItem(FACE)],
			parameters: { options: { ...DIRECT, outputBinaryPropertyName: 'sticker' } },
		});
		expect(Object.keys(output[0].binary!)).toEqual(['sticker']);
	});

	test('the request waits as long as the timeout option allows (a slow generation still succeeds)', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').delay(1200).reply(200, STICKER, { 'content-type': 'image/jpeg' });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...DIRECT, timeout: 3 } } });
		expect(output[0].json.mode).toBe('direct');
	});

	test('a 500 is retried once, then reported', async () => {
		const api = nock(BASE_URL).post('/v1/face-to-sticker').twice().reply(500, { error: 'CUDA out of memory' });
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: DIRECT } });
		expect(api.isDone()).toBe(true);
		expect(sent).toHaveLength(2);
		expect(error.httpCode).toBe('500');
	});

	test('a 503 is retried until it clears', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(503, 'busy').post('/v1/face-to-sticker').reply(200, STICKER);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: DIRECT } });
		expect(sent).toHaveLength(2);
		expect(output[0].json.mode).toBe('direct');
	});

	test('a dropped connection is not retried in direct mode (the generation may have been billed)', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').replyWithError(socketError('ECONNRESET', 'socket hang up'));
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: DIRECT } });
		expect(sent).toHaveLength(1);
		expect(error.description).toContain('may have started, and charged, the job');
	});
});

describe('error answers become NodeApiErrors that say what to do', () => {
	test.each([
		[400, { error: 'Prompt must be a string' }, {}, 'Segmind rejected the request as invalid', 'parameters'],
		[401, { error: 'Unauthorized. API key is invalid or may have expired...' }, {}, 'Segmind rejected the API key', 'Check the API key'],
		[401, { error: 'invalid_api_key', error_description: 'API key is invalid.', status_code: 401 }, {}, 'Segmind rejected the API key', 'API key is invalid.'],
		[403, { error: 'Model access is restricted' }, {}, 'This API key is not allowed to use face-to-sticker', 'permission'],
		[404, { error: 'Model not found' }, {}, 'Segmind did not find the face-to-sticker model at this address', 'Base URL'],
		[405, '<!DOCTYPE html><html><head><title>405 Method Not Allowed</title></head></html>', { 'content-type': 'text/html' }, 'Segmind refused the HTTP method of the request', '405 Method Not Allowed'],
		[406, 'Invalid content type', { 'content-type': 'text/plain' }, 'Segmind refused the request\'s content type', 'application/json'],
		[406, 'Insufficient credits. Your balance is 0.01, this call needs 0.0866.', { 'content-type': 'text/plain' }, 'Not enough Segmind credits for this sticker', 'Top up'],
		[406, { error: 'Team spend limit reached: 10 credits per day' }, {}, 'Your Segmind team has reached its spend limit', 'spend limit'],
		[410, { error: 'This model has been retired' }, {}, 'Segmind has retired the face-to-sticker model', 'no longer served'],
		[422, { error: 'width must be an integer' }, {}, 'Segmind could not generate the sticker', 'width must be an integer'],
		[418, 'teapot', { 'content-type': 'text/plain' }, 'Segmind answered with HTTP 418', 'teapot'],
	])('HTTP %s %j gives "%s"', async (status, body, headers, message, hint) => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(status, body as never, headers);
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: DIRECT } });
		expect(sent).toHaveLength(1);
		expect(error.message).toBe(message);
		expect(error.description).toContain(hint);
		expect(error.httpCode).toBe(String(status));
		expect(error.context.itemIndex).toBe(0);
	});

	test('a 429 that outlasts Max Wait Time fails with advice to slow down', async () => {
		nock(BASE_URL)
			.post('/v1/face-to-sticker')
			.reply(429, { error: 'rate_limit_exceeded' }, { 'x-rate-limit-reset-at-utc': new Date(Date.now() + 30_000).toISOString() });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: { ...DIRECT, maxWaitTime: 2 } } });
		expect(error.message).toBe('Segmind\'s rate limit was reached and did not clear in time');
		expect(error.description).toContain('Requests per Minute');
		expect(error.httpCode).toBe('429');
	});

	test('a 5xx that never clears is reported as Segmind\'s service failing', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').times(5).reply(502, '<html><title>502 Bad Gateway</title></html>');
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: DIRECT } });
		expect(sent).toHaveLength(5);
		expect(error.message).toBe('Segmind\'s service failed (HTTP 502)');
		expect(error.description).toContain('502 Bad Gateway');
	}, 30000);
});
