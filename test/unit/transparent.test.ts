import nock from 'nock';

import { BASE_URL, binaryItem, runNode, runNodeExpectingError, TEST_KEY } from '../helpers/fakeContext';
import { PNG } from '../helpers/images';
import { BG_HEADERS, FACE, FAST, IMAGE_HOST, mockStickerJob, STICKER, stickerUrl } from '../helpers/stickerJob';

const ID = '5d1f7a3e-2b4c-4d6e-8f90-a1b2c3d4e5f6';
const STICKER_URL = stickerUrl(ID);
const TRANSPARENT = { ...FAST, background: 'transparent' };

function bgRemoval() {
	return nock(BASE_URL, { reqheaders: { 'x-api-key': TEST_KEY } }).post('/v1/bg-removal-v2');
}

const posts = (sent: Array<{ method: string; url: string; body?: unknown }>, path: string) =>
	sent.filter((r) => r.method === 'POST' && r.url === `${BASE_URL}${path}`);

describe('Background: Transparent', () => {
	test('queue mode: the sticker URL goes to bg-removal-v2 and the output is its PNG, with both costs added up', async () => {
		mockStickerJob(ID);
		const bg = bgRemoval().reply(200, PNG, BG_HEADERS);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: TRANSPARENT } });
		expect(bg.isDone()).toBe(true);
		expect(posts(sent, '/v1/bg-removal-v2')[0]).toEqual(
			expect.objectContaining({ body: { image: STICKER_URL, type: 'transparent' }, authenticated: true }),
		);
		const binary = output[0].binary!;
		expect(Object.keys(binary)).toEqual(['data']);
		expect(Buffer.from(binary.data.data, 'base64').equals(PNG)).toBe(true);
		expect(binary.data).toEqual(expect.objectContaining({ mimeType: 'image/png', fileName: 'sticker.png' }));
		expect(output[0].json).toEqual(
			expect.objectContaining({
				requestId: ID,
				cost: 0.0876,
				remainingCredits: 12.3446,
				backgroundRemoved: true,
				backgroundRemovalCost: 0.001,
				backgroundRemovalTime: expect.any(Number),
				imageUrl: STICKER_URL,
				mimeType: 'image/png',
				fileSize: PNG.length,
			}),
		);
		expect(posts(sent, '/v2/face-to-sticker')).toHaveLength(1);
	});

	test('Keep Original also outputs the flat sticker in "original"', async () => {
		mockStickerJob(ID);
		bgRemoval().reply(200, PNG, BG_HEADERS);
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...TRANSPARENT, keepOriginal: true } } });
		const binary = output[0].binary!;
		expect(binary.data.mimeType).toBe('image/png');
		expect(binary.original).toEqual(expect.objectContaining({ mimeType: 'image/jpeg', fileName: 'sticker-original.jpg' }));
		expect(Buffer.from(binary.original.data, 'base64').equals(STICKER)).toBe(true);
	});

	test('Keep Original without Transparent adds nothing', async () => {
		mockStickerJob(ID);
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...FAST, keepOriginal: true } } });
		expect(Object.keys(output[0].binary!)).toEqual(['data']);
		expect(output[0].json.backgroundRemoved).toBe(false);
	});

	test('direct mode: the sticker bytes go to bg-removal-v2 as base64', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, STICKER, { 'content-type': 'image/jpeg', 'x-cost': '0.0866', 'x-request-id': ID });
		bgRemoval().reply(200, PNG, BG_HEADERS);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { background: 'transparent', mode: 'direct' } } });
		expect(posts(sent, '/v1/bg-removal-v2')[0].body).toEqual({ image: STICKER.toString('base64'), type: 'transparent' });
		expect(output[0].json).toEqual(expect.objectContaining({ mode: 'direct', cost: 0.0876, backgroundRemoved: true }));
		expect(output[0].binary!.data.mimeType).toBe('image/png');
	});

	test('an answer carrying the PNG as base64 JSON is accepted too', async () => {
		mockStickerJob(ID);
		bgRemoval().reply(200, { image: PNG.toString('base64') }, { 'content-type': 'application/json' });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: TRANSPARENT } });
		expect(Buffer.from(output[0].binary!.data.data, 'base64').equals(PNG)).toBe(true);
		expect(output[0].json.backgroundRemovalCost).toBeNull();
		expect(output[0].json.cost).toBe(0.0866);
	});

	test('a 503 and a 429 from bg-removal-v2 are waited out; the sticker is generated once', async () => {
		mockStickerJob(ID);
		bgRemoval().reply(503, 'busy');
		bgRemoval().reply(429, { error: 'rate_limit_exceeded' }, { 'x-rate-limit-reset-at-utc': new Date(Date.now() + 200).toISOString() });
		bgRemoval().reply(200, PNG, BG_HEADERS);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: TRANSPARENT } });
		expect(output[0].json.backgroundRemoved).toBe(true);
		expect(posts(sent, '/v1/bg-removal-v2')).toHaveLength(3);
		expect(posts(sent, '/v2/face-to-sticker')).toHaveLength(1);
	});

	test('failing after its retries, with an error output: the item keeps the flat sticker, its URL and request ID, and the reason', async () => {
		mockStickerJob(ID);
		bgRemoval().times(4).reply(500, { error: 'model crashed' });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: TRANSPARENT }, continueOnFail: true });
		expect(posts(sent, '/v1/bg-removal-v2')).toHaveLength(4);
		expect(posts(sent, '/v2/face-to-sticker')).toHaveLength(1);
		const item = output[0];
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.error).toBeDefined();
		expect(item.json).toEqual(
			expect.objectContaining({
				error: `Background removal failed: Segmind's service failed (HTTP 500). The flat sticker is at ${STICKER_URL} (request ID ${ID})`,
				requestId: ID,
				imageUrl: STICKER_URL,
				cost: 0.0866,
				backgroundRemoved: false,
				mimeType: 'image/jpeg',
			}),
		);
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(STICKER)).toBe(true);
	}, 30000);

	test('failing without an error output: the node error names the sticker URL and the request ID', async () => {
		mockStickerJob(ID);
		bgRemoval().reply(400, { error: 'image could not be read' });
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { options: TRANSPARENT } });
		expect(error.message).toBe(
			`Background removal failed: Segmind rejected the request as invalid. The flat sticker is at ${STICKER_URL} (request ID ${ID})`,
		);
		expect(error.description).toContain('Get Result');
		expect(error.description).toContain('image could not be read');
		expect(error.context.itemIndex).toBe(0);
	});

	test('an answer that is not an image fails background removal and keeps the flat sticker', async () => {
		mockStickerJob(ID);
		bgRemoval().reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' });
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: { options: TRANSPARENT }, continueOnFail: true });
		expect(output[0].json.error).toMatch(/^Background removal failed: Segmind answered with text\/html instead of an image\. The flat sticker is at /);
		expect(output[0].binary!.data.mimeType).toBe('image/jpeg');
	});

	test('Get Result with Transparent removes the background of the fetched sticker', async () => {
		const api = nock(BASE_URL);
		api.get(`/v2/requests/${ID}/status`).reply(200, { status: 'COMPLETED' });
		api.get(`/v2/requests/${ID}`).reply(200, { status: 'COMPLETED', output: STICKER_URL, metrics: { cost: 0.0866 } });
		nock(IMAGE_HOST).get(`/outputs/${ID}.jpg`).reply(200, STICKER);
		bgRemoval().reply(200, PNG, BG_HEADERS);
		const { output, sent } = await runNode({ parameters: { operation: 'getResult', requestId: ID, options: TRANSPARENT } });
		expect(output[0].json).toEqual(expect.objectContaining({ requestId: ID, backgroundRemoved: true, cost: 0.0876 }));
		expect(output[0].json.photoRoute).toBeUndefined();
		expect(posts(sent, '/v1/bg-removal-v2')).toHaveLength(1);
	});

	test('Wait for Completion off submits only: no background removal yet', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: ID, status: 'QUEUED' });
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { options: { ...TRANSPARENT, waitForCompletion: false } } });
		expect(sent).toHaveLength(1);
		expect(output[0].json.status).toBe('QUEUED');
	});
});
