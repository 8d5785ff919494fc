import { inflateRawSync } from 'zlib';

import nock from 'nock';

import { BASE_URL, binaryItem, runNode, runNodeExpectingError } from '../helpers/fakeContext';
import { BG_HEADERS, FACE, FAST, mockStickerJob } from '../helpers/stickerJob';
import { decodePng } from '../../nodes/FaceToSticker/image/png/decode';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encodeRgbaPng } = require('../emulator/png');

/** A cut-out like Background Removal V2 sends: an opaque disc on a transparent square. */
function discCutout(size = 256, r = 100): Buffer {
	const c = size / 2;
	return encodeRgbaPng(size, size, (x: number, y: number) => (Math.hypot(x + 0.5 - c, y + 0.5 - c) <= r ? [230, 120, 30, 255] : [0, 0, 0, 0]));
}

const ids = (count: number, tag = 'a') => Array.from({ length: count }, (_, i) => `${tag}${String(i).padStart(31, '0')}`);

function mockBalance(credits: number, free = 0) {
	return nock(BASE_URL).get('/v1/get-user-credits').reply(200, { credits, 'free-credits': free });
}

/** `count` queue jobs, each completed at its first check, and their cut-outs. */
function mockPackJobs(count: number, tag = 'a') {
	for (const id of ids(count, tag)) mockStickerJob(id);
	nock(BASE_URL).post('/v1/bg-removal-v2').times(count).reply(200, discCutout(), BG_HEADERS);
}

const THREE = {
	expression: [
		{ expression: 'happy, big smile', emoji: '😄' },
		{ expression: 'laughing out loud', emoji: '😂🤣' },
		{ expression: 'sleepy', emoji: '😴' },
	],
};

const telegramPack = (extra: Record<string, unknown> = {}) => ({
	operation: 'createPack',
	packFor: 'telegram',
	packTitle: 'My Stickers',
	botUsername: 'sticker_test_bot',
	expressions: THREE,
	modelSettings: { seed: 1234 },
	options: FAST,
	...extra,
});

const whatsappPack = (extra: Record<string, unknown> = {}) => ({
	operation: 'createPack',
	packFor: 'whatsapp',
	packTitle: 'Anna\'s Stickers',
	packAuthor: 'Anna',
	expressions: THREE,
	options: FAST,
	...extra,
});

const submits = (sent: Array<{ method: string; url: string; body?: unknown }>) =>
	sent.filter((request) => request.method === 'POST' && request.url.endsWith('/v2/face-to-sticker'));

/** The entries of a ZIP, read from its central directory (APPNOTE 4.3.12), each inflated with node:zlib. */
function unzip(zip: Buffer): Map<string, Buffer> {
	const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	const count = zip.readUInt16LE(end + 10);
	let at = zip.readUInt32LE(end + 16);
	const files = new Map<string, Buffer>();
	for (let i = 0; i < count; i++) {
		const method = zip.readUInt16LE(at + 10);
		const size = zip.readUInt32LE(at + 20);
		const nameLength = zip.readUInt16LE(at + 28);
		const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
		const offset = zip.readUInt32LE(at + 42);
		const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
		const dataAt = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
		const data = zip.subarray(dataAt, dataAt + size);
		files.set(name, method === 8 ? inflateRawSync(data) : data);
		at += 46 + nameLength + skip;
	}
	return files;
}

describe('Create Sticker Pack', () => {
	test('Telegram, one item per sticker: the balance is read first, every sticker shares one seed, each prompt is the Prompt plus its expression', async () => {
		mockBalance(10);
		mockPackJobs(3);
		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: { ...telegramPack(), prompt: 'a pirate' } });

		expect(sent[0].url).toBe(`${BASE_URL}/v1/get-user-credits`);
		const bodies = submits(sent).map((request) => request.body as { prompt: string; seed: number });
		expect(bodies.map((body) => body.prompt).sort()).toEqual(['a pirate, happy, big smile', 'a pirate, laughing out loud', 'a pirate, sleepy']);
		expect(new Set(bodies.map((body) => body.seed))).toEqual(new Set([1234]));

		expect(output).toHaveLength(3);
		expect(output.map((item) => item.json.position)).toEqual([1, 2, 3]);
		expect(output[1].json).toEqual(expect.objectContaining({
			expression: 'laughing out loud', emoji: '😂', emojiList: ['😂', '🤣'], format: 'static', mimeType: 'image/webp', cost: 0.0876,
		}));
		expect(output[0].json.pack).toEqual(expect.objectContaining({
			messenger: 'telegram', title: 'My Stickers', name: 'My_Stickers_by_sticker_test_bot',
			link: 'https://t.me/addstickers/My_Stickers_by_sticker_test_bot', stickerCount: 3, requested: 3, missing: [], seed: 1234, cost: 0.2628,
		}));
		for (const item of output) {
			expect(item.pairedItem).toEqual({ item: 0 });
			const file = Buffer.from(item.binary!.data.data, 'base64');
			expect(file.toString('latin1', 8, 12)).toBe('WEBP');
			expect(item.binary!.data.fileName).toMatch(/^My_Stickers_by_sticker_test_bot-\d\d\.webp$/);
		}
	});

	test('WhatsApp, one item with the whole pack: stickers, a 96 × 96 tray icon, a preview sheet, the .wastickers ZIP and contents.json', async () => {
		mockBalance(10);
		mockPackJobs(3);
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: whatsappPack({ packOutput: 'pack' }) });

		expect(output).toHaveLength(1);
		const [item] = output;
		const binary = item.binary!;
		expect(Object.keys(binary).sort()).toEqual(['contents', 'icon', 'preview', 'sticker_01', 'sticker_02', 'sticker_03', 'wastickers']);
		const bytes = (field: string) => Buffer.from(binary[field].data, 'base64');

		const tray = runToEnd(decodePng(bytes('icon')));
		expect([tray.width, tray.height]).toEqual([96, 96]);
		expect(bytes('icon').length).toBeLessThanOrEqual(50 * 1024);
		const sheet = runToEnd(decodePng(bytes('preview')));
		expect(sheet.width).toBeGreaterThan(sheet.height);

		const zip = unzip(bytes('wastickers'));
		expect([...zip.keys()].sort()).toEqual(['author.txt', 'sticker_01.webp', 'sticker_02.webp', 'sticker_03.webp', 'title.txt', 'tray.png']);
		expect(zip.get('title.txt')!.toString('utf8')).toBe('Anna\'s Stickers');
		expect(zip.get('author.txt')!.toString('utf8')).toBe('Anna');
		expect(zip.get('sticker_02.webp')!.equals(bytes('sticker_02'))).toBe(true);
		expect(zip.get('tray.png')!.equals(bytes('icon'))).toBe(true);

		const contents = JSON.parse(bytes('contents').toString('utf8'));
		const [pack] = contents.sticker_packs;
		expect(pack).toEqual(expect.objectContaining({ name: 'Anna\'s Stickers', publisher: 'Anna', tray_image_file: 'tray.png', animated_sticker_pack: false }));
		expect(pack.identifier).toMatch(/^[A-Za-z0-9_.\- ]{1,127}$/);
		expect(pack.stickers[1]).toEqual({ image_file: 'sticker_02.webp', emojis: ['😂', '🤣'], accessibility_text: 'laughing out loud' });
		expect(item.json).toEqual(expect.objectContaining({ messenger: 'whatsapp', stickerCount: 3, author: 'Anna' }));
		expect((item.json.stickers as unknown[]).length).toBe(3);
	});

	test('a balance too low for the pack is refused before any submit, naming the balance and the pack\'s cost', async () => {
		mockBalance(0.2, 0.01);
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: telegramPack() });
		expect(error.message).toBe('Your Segmind balance of 0.21 credits cannot pay for this pack of about 0.2628 credits');
		expect(error.description).toMatch(/3 stickers × 0\.0876 = 0\.2628 credits/);
		expect(submits(sent)).toHaveLength(0);
	});

	test('a key with no balance record yet (404 "No credits found") has 0 credits: the pack is refused', async () => {
		nock(BASE_URL).get('/v1/get-user-credits').reply(404, { error: 'No credits found for the user' });
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: telegramPack() });
		expect(error.message).toMatch(/^Your Segmind balance of 0 credits cannot pay/);
		expect(submits(sent)).toHaveLength(0);
	});

	test('Max Pack Cost below the estimate refuses the pack before any request at all', async () => {
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: telegramPack({ options: { ...FAST, maxPackCost: 0.2 } }) });
		expect(error.message).toBe('This pack would cost about 0.2628 credits, more than Max Pack Cost (0.2)');
		expect(sent).toHaveLength(0);
	});

	test('one expression whose job FAILED: the pack arrives without it and names it with its reason and request ID', async () => {
		mockBalance(10);
		const api = nock(BASE_URL);
		const [good1, bad, good2] = ids(3, 'f');
		api.post('/v2/face-to-sticker', (body) => String(body.prompt).endsWith('laughing out loud')).reply(200, { request_id: bad, status: 'QUEUED' });
		api.get(`/v2/requests/${bad}/status`).reply(422, { status: 'FAILED', error: 'No face detected' });
		mockStickerJob(good1);
		mockStickerJob(good2);
		nock(BASE_URL).post('/v1/bg-removal-v2').times(2).reply(200, discCutout(), BG_HEADERS);

		const { output, sent } = await runNode({ items: [binaryItem(FACE)], parameters: telegramPack({ options: { ...FAST, concurrency: 1 } }) });
		expect(output.map((item) => item.json.expression)).toEqual(['happy, big smile', 'sleepy']);
		const pack = output[0].json.pack as { missing: Array<Record<string, unknown>>; stickerCount: number };
		expect(pack.stickerCount).toBe(2);
		expect(pack.missing).toEqual([
			expect.objectContaining({ position: 2, expression: 'laughing out loud', requestId: bad, paid: false, reason: expect.stringMatching(/No face detected/) }),
		]);
		expect(submits(sent)).toHaveLength(3);
	});

	test('WhatsApp with fewer than 3 stickers made: the item fails and the stickers already paid for go to the error output', async () => {
		mockBalance(10);
		const api = nock(BASE_URL);
		const [good1, good2] = ids(2, 'w');
		const bad = ids(1, 'x')[0];
		api.post('/v2/face-to-sticker', (body) => String(body.prompt).endsWith('sleepy')).reply(200, { request_id: bad, status: 'QUEUED' });
		api.get(`/v2/requests/${bad}/status`).reply(422, { status: 'FAILED', error: 'No face detected' });
		mockStickerJob(good1);
		mockStickerJob(good2);
		nock(BASE_URL).post('/v1/bg-removal-v2').times(2).reply(200, discCutout(), BG_HEADERS);

		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: whatsappPack({ options: { ...FAST, concurrency: 1 } }), continueOnFail: true });
		expect(output).toHaveLength(2);
		for (const item of output) {
			expect(item.error?.message).toBe('Only 2 of 3 stickers could be made, and a WhatsApp pack needs at least 3');
			expect(item.json.error).toBe(item.error?.message);
			expect(Buffer.from(item.binary!.data.data, 'base64').toString('latin1', 8, 12)).toBe('WEBP');
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		expect(output[0].error?.description).toMatch(/3\. "sleepy": Segmind could not generate the sticker: No face detected/);
	});

	test('without continue on fail, a pack that falls short stops the node with the messenger\'s minimum in the message', async () => {
		mockBalance(10);
		const api = nock(BASE_URL);
		const bad = ids(3, 'y');
		for (const id of bad) {
			api.post('/v2/face-to-sticker').reply(200, { request_id: id, status: 'QUEUED' });
			api.get(`/v2/requests/${id}/status`).reply(422, { status: 'FAILED', error: 'No face detected' });
		}
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: telegramPack() });
		expect(error.message).toBe('Only 0 of 3 stickers could be made, and a Telegram pack needs at least 1');
	});

	test('a pack\'s stickers run at once, at most Concurrency in flight', async () => {
		mockBalance(10);
		let inFlight = 0;
		let most = 0;
		const api = nock(BASE_URL);
		for (const id of ids(6, 'c')) {
			api.post('/v2/face-to-sticker').reply(200, () => {
				inFlight++;
				most = Math.max(most, inFlight);
				return { request_id: id, status: 'QUEUED' };
			});
			api.get(`/v2/requests/${id}/status`).delay(150).reply(200, () => {
				inFlight--;
				return { status: 'COMPLETED', output: `https://images.segmind.test/outputs/${id}.jpg`, metrics: { cost: 0.0866 } };
			});
			nock('https://images.segmind.test').get(`/outputs/${id}.jpg`).reply(200, FACE, { 'content-type': 'image/jpeg' });
		}
		nock(BASE_URL).post('/v1/bg-removal-v2').times(6).reply(200, discCutout(), BG_HEADERS);
		const six = { expression: Array.from({ length: 6 }, (_, i) => ({ expression: `mood ${i}`, emoji: '🙂' })) };
		const { output } = await runNode({ items: [binaryItem(FACE)], parameters: telegramPack({ expressions: six, options: { ...FAST, concurrency: 3 } }) });
		expect(output).toHaveLength(6);
		expect(most).toBe(3);
	});
});
