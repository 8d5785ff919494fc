// The Telegram Bot API emulator (test/telegram): Telegram's answer shapes, every sticker rule refused with
// Telegram's description, a whole pack published (upload 8, create, thumbnail, get), multipart with attach://,
// webhooks, files and the send methods.
import http from 'http';
import nock from 'nock';

import { encodePng } from '../../nodes/FaceToSticker/image/png/encode';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';
import { encodeWebpLossless } from '../../nodes/FaceToSticker/image/webp/encode';

/* eslint-disable @typescript-eslint/no-require-imports */
const { TelegramEmulator } = require('../telegram/telegram-emulator');
const { parseMultipart } = require('../telegram/multipart');
const rules = require('../telegram/sticker-rules');
const { encodeJpeg } = require('../emulator/jpeg');
/* eslint-enable @typescript-eslint/no-require-imports */

type Answer = { status: number; body: { ok: boolean; result?: any; error_code?: number; description?: string } };

function rgba(width: number, height: number) {
	const data = new Uint8Array(width * height * 4);
	for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, (i * 13) % 256, 90, i % 5 === 0 ? 0 : 255], i * 4);
	return { width, height, data };
}
const webp = (w: number, h: number) => Buffer.from(runToEnd(encodeWebpLossless(rgba(w, h))));
const png = (w: number, h: number) => Buffer.from(runToEnd(encodePng(rgba(w, h))));

describe('Telegram Bot API emulator', () => {
	let tg: InstanceType<typeof TelegramEmulator>;
	const url = (method: string, token = tg.token) => `${tg.baseUrl}/bot${token}/${method}`;
	const answer = async (response: Response): Promise<Answer> => ({ status: response.status, body: (await response.json()) as Answer['body'] });
	const callJson = async (method: string, params: object = {}, token?: string) =>
		answer(await fetch(url(method, token), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }));
	/** multipart/form-data: string fields, and files as { name: [bytes, filename] }. */
	const callForm = async (method: string, fields: Record<string, string>, files: Record<string, [Buffer, string]> = {}) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(fields)) form.append(k, v);
		for (const [k, [bytes, filename]] of Object.entries(files)) form.append(k, new Blob([bytes]), filename);
		return answer(await fetch(url(method), { method: 'POST', body: form }));
	};
	const upload = async (bytes: Buffer, format = 'static') => callForm('uploadStickerFile', { user_id: '42', sticker_format: format }, { sticker: [bytes, 'sticker.webp'] });
	const sticker = (fileId: string, extra: object = {}) => ({ sticker: fileId, format: 'static', emoji_list: ['😀'], ...extra });
	const NAME = 'faces_by_sticker_test_bot';
	const expectError = (result: Answer, description: string, code = 400) => {
		expect(result).toEqual({ status: code, body: { ok: false, error_code: code, description } });
	};

	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		tg = await new TelegramEmulator().start();
	});
	beforeEach(() => tg.reset());
	afterAll(async () => {
		await tg.stop();
	});

	describe("Telegram's answer shapes", () => {
		test('getMe answers ok with the bot, by GET with a query, JSON, urlencoded and multipart alike', async () => {
			const get = await answer(await fetch(url('getMe')));
			expect(get).toEqual({ status: 200, body: { ok: true, result: expect.objectContaining({ id: 7000000001, is_bot: true, username: 'sticker_test_bot' }) } });
			expect((await callJson('getMe')).body.ok).toBe(true);
			expect((await callForm('getMe', {})).body.ok).toBe(true);
			const urlencoded = await fetch(url('sendMessage'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'chat_id=5&text=hi%20there' });
			expect((await answer(urlencoded)).body.result.text).toBe('hi there');
			const query = await answer(await fetch(`${url('sendMessage')}?chat_id=5&text=from%20query`));
			expect(query.body.result.text).toBe('from query');
		});

		test('a wrong token is 401 Unauthorized, an unknown method 404 Not Found, a broken JSON body 400; method names ignore case', async () => {
			expectError(await callJson('getMe', {}, '1:wrong'), 'Unauthorized', 401);
			expectError(await callJson('getStickerPack'), 'Not Found', 404);
			expectError(await answer(await fetch(`${tg.baseUrl}/nothing`)), 'Not Found', 404);
			expectError(await answer(await fetch(url('getMe'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })), "Bad Request: can't parse JSON object");
			expect((await callJson('GETME')).body.ok).toBe(true);
			expect(tg.requests.map((r: { method: string; status: number }) => [r.method, r.status])).toEqual([
				['getMe', 401], ['getStickerPack', 404], [undefined, 404], ['getMe', 400], ['getMe', 200],
			]);
		});
	});

	describe('uploadStickerFile', () => {
		test('a 512 x 512 WebP, a 512 x 300 PNG and a 200 x 512 WebP are taken; each gets a new file_id', async () => {
			const ids = [];
			for (const bytes of [webp(512, 512), png(512, 300), webp(200, 512)]) {
				const result = await upload(bytes);
				expect(result.status).toBe(200);
				expect(result.body.result).toEqual({ file_id: expect.stringMatching(/^CAAC/), file_unique_id: expect.any(String), file_size: bytes.length });
				ids.push(result.body.result.file_id);
			}
			expect(new Set(ids).size).toBe(3);
		});

		test.each([
			['no side is 512', () => webp(511, 300), 'Bad Request: STICKER_PNG_DIMENSIONS'],
			['a side over 512', () => png(513, 512), 'Bad Request: STICKER_PNG_DIMENSIONS'],
			['a JPEG', () => encodeJpeg(512, 512, new Uint8Array(512 * 512 * 3)), 'Bad Request: STICKER_PNG_NOPNG'],
			['bytes that are no image', () => Buffer.from('GIF89a not a sticker'), 'Bad Request: STICKER_PNG_NOPNG'],
			['over 512 KB', () => Buffer.concat([webp(512, 512), Buffer.alloc(512 * 1024)]), 'Bad Request: file is too big'],
		])('refuses %s with Telegram\'s description', async (_, bytes, description) => {
			expectError(await upload(bytes()), description);
		});

		test('refuses a missing user_id, a bad sticker_format and a sticker that is not an uploaded file', async () => {
			expectError(await callForm('uploadStickerFile', { sticker_format: 'static' }, { sticker: [webp(512, 512), 's.webp'] }), 'Bad Request: user_id is empty');
			expectError(await callForm('uploadStickerFile', { user_id: 'x', sticker_format: 'static' }), 'Bad Request: user not found');
			expectError(await upload(webp(512, 512), 'gif'), 'Bad Request: invalid sticker format specified');
			expectError(await callForm('uploadStickerFile', { user_id: '42', sticker_format: 'static' }), 'Bad Request: there is no sticker file in the request');
			expectError(await callForm('uploadStickerFile', { user_id: '42', sticker_format: 'static', sticker: 'CAACsomething' }), 'Bad Request: wrong file type: the sticker must be uploaded as a file');
			expectError(await upload(webp(512, 512), 'animated'), 'Bad Request: STICKER_TGS_NOTGS');
		});
	});

	describe('a whole pack: upload 8, create the set, give it a thumbnail, read it back', () => {
		test('the set holds the 8 stickers (their bytes kept), emoji, sizes and the thumbnail, and getFile downloads each', async () => {
			const files = Array.from({ length: 8 }, (_, i) => webp(512, 400 + i * 10));
			const ids: string[] = [];
			for (const bytes of files) ids.push((await upload(bytes)).body.result.file_id);
			const emoji = ['😀', '😂', '😍', '😮', '😢', '😠', '😎', '😴'];
			const created = await callJson('createNewStickerSet', {
				user_id: 42,
				name: NAME,
				title: 'My faces',
				stickers: ids.map((id, i) => sticker(id, { emoji_list: [emoji[i]], keywords: ['me', `face ${i}`] })),
			});
			expect(created).toEqual({ status: 200, body: { ok: true, result: true } });
			expect((await callForm('setStickerSetThumbnail', { name: NAME, user_id: '42', format: 'static' }, { thumbnail: [png(100, 100), 'tray.png'] })).body.result).toBe(true);
			const got = await callJson('getStickerSet', { name: NAME });
			expect(got.body.result).toEqual({
				name: NAME,
				title: 'My faces',
				sticker_type: 'regular',
				stickers: emoji.map((e, i) => ({
					file_id: expect.any(String), file_unique_id: expect.any(String), type: 'regular', width: 512, height: 400 + i * 10,
					is_animated: false, is_video: false, emoji: e, set_name: NAME, file_size: files[i].length,
				})),
				thumbnail: { file_id: expect.any(String), file_unique_id: expect.any(String), file_size: expect.any(Number), width: 100, height: 100 },
			});
			const stored = tg.stickerSet(NAME.toUpperCase());
			expect(stored.stickers.map((s: { bytes: Buffer }) => s.bytes.equals(files[stored.stickers.indexOf(s)]))).toEqual(Array(8).fill(true));
			const file = (await callJson('getFile', { file_id: got.body.result.stickers[3].file_id })).body.result;
			const download = await fetch(`${tg.baseUrl}/file/bot${tg.token}/${file.file_path}`);
			expect(Buffer.from(await download.arrayBuffer()).equals(files[3])).toBe(true);
			expect((await fetch(`${tg.baseUrl}/file/botwrong/${file.file_path}`)).status).toBe(401);
			expect((await fetch(`${tg.baseUrl}/file/bot${tg.token}/stickers/none.webp`)).status).toBe(404);
			expectError(await callJson('getFile', { file_id: 'nope' }), 'Bad Request: invalid file_id');
			const control = (await (await fetch(`${tg.baseUrl}/__emulator/requests`)).json()) as { stickerSets: unknown[] };
			expect(control.stickerSets).toEqual([{ name: NAME, title: 'My faces', stickers: 8, thumbnail: true }]);
		});

		test('multipart with attach://: the stickers travel in the same request as createNewStickerSet, each checked', async () => {
			const stickers = JSON.stringify([sticker('attach://one'), sticker('attach://two', { emoji_list: ['❤️', '👍🏽'] })]);
			const created = await callForm('createNewStickerSet', { user_id: '42', name: NAME, title: 'Attached', stickers }, { one: [png(512, 512), 'one.png'], two: [webp(300, 512), 'two.webp'] });
			expect(created.body).toEqual({ ok: true, result: true });
			expect(tg.stickerSet(NAME).stickers.map((s: { width: number; emoji_list: string[] }) => [s.width, s.emoji_list])).toEqual([[512, ['😀']], [300, ['❤️', '👍🏽']]]);
			const missing = JSON.stringify([sticker('attach://three')]);
			expectError(await callForm('createNewStickerSet', { user_id: '42', name: 'other_by_sticker_test_bot', title: 'T', stickers: missing }, { one: [png(512, 512), 'one.png'] }), 'Bad Request: wrong file identifier/HTTP URL specified');
			const wrongSize = JSON.stringify([sticker('attach://one')]);
			expectError(await callForm('createNewStickerSet', { user_id: '42', name: 'other_by_sticker_test_bot', title: 'T', stickers: wrongSize }, { one: [png(100, 100), 'one.png'] }), 'Bad Request: STICKER_PNG_DIMENSIONS');
		});

		test('addStickerToSet adds up to 120 static stickers, then refuses; only the owner may add', async () => {
			const id = (await upload(webp(512, 512))).body.result.file_id;
			await callJson('createNewStickerSet', { user_id: 42, name: NAME, title: 'Full', stickers: Array(50).fill(sticker(id)) });
			for (let i = 50; i < 120; i++) expect((await callJson('addStickerToSet', { user_id: 42, name: NAME, sticker: sticker(id) })).body.ok).toBe(true);
			expect(tg.stickerSet(NAME).stickers).toHaveLength(120);
			expectError(await callJson('addStickerToSet', { user_id: 42, name: NAME, sticker: sticker(id) }), 'Bad Request: STICKERS_TOO_MUCH');
			expectError(await callJson('addStickerToSet', { user_id: 43, name: NAME, sticker: sticker(id) }), 'Bad Request: STICKERSET_INVALID');
			expectError(await callJson('addStickerToSet', { user_id: 42, name: NAME }), 'Bad Request: sticker is empty');
		});
	});

	describe('createNewStickerSet refuses each broken rule with Telegram\'s description', () => {
		let id: string;
		beforeEach(async () => {
			id = (await upload(webp(512, 512))).body.result.file_id;
		});
		const create = (params: object) => callJson('createNewStickerSet', { user_id: 42, name: NAME, title: 'Faces', stickers: [sticker(id)], ...params });

		test.each([
			['a name without _by_<bot>', 'faces', 'Bad Request: invalid sticker set name is specified'],
			['another bot\'s suffix', 'faces_by_other_bot', 'Bad Request: invalid sticker set name is specified'],
			['a name starting with a digit', '1faces_by_sticker_test_bot', 'Bad Request: invalid sticker set name is specified'],
			['a double underscore', 'my__faces_by_sticker_test_bot', 'Bad Request: invalid sticker set name is specified'],
			['a character other than letters, digits and _', 'my-faces_by_sticker_test_bot', 'Bad Request: invalid sticker set name is specified'],
			['65 characters', `${'a'.repeat(65 - '_by_sticker_test_bot'.length)}_by_sticker_test_bot`, 'Bad Request: invalid sticker set name is specified'],
			['no name', '', 'Bad Request: name is empty'],
		])('the name: %s', async (_, name, description) => {
			expectError(await create({ name }), description);
		});

		test('the name: 64 characters and the suffix in another case are taken', async () => {
			const long = `${'a'.repeat(64 - '_by_sticker_test_bot'.length)}_BY_Sticker_Test_Bot`;
			expect(long).toHaveLength(64);
			expect((await create({ name: long })).body.ok).toBe(true);
		});

		test.each([
			['no title', { title: '' }, 'Bad Request: title is empty'],
			['a title of 65 characters', { title: 't'.repeat(65) }, 'Bad Request: invalid sticker set title is specified'],
			['no stickers', { stickers: [] }, 'Bad Request: stickers must be non-empty'],
			['51 stickers', { stickers: 'many' }, 'Bad Request: too many stickers specified'],
			['stickers that are not JSON', { stickers: '[{' }, "Bad Request: can't parse stickers JSON object"],
			['an unknown file_id', { stickers: [sticker('CAACunknown')] }, 'Bad Request: wrong file identifier/HTTP URL specified'],
			['no format', { stickers: [{ sticker: 'x', emoji_list: ['😀'] }] }, 'Bad Request: sticker format must be specified'],
			['a wrong format', { stickers: [{ sticker: 'x', format: 'gif', emoji_list: ['😀'] }] }, 'Bad Request: invalid sticker format specified'],
			['no emoji', { stickers: [{ sticker: 'x', format: 'static', emoji_list: [] }] }, 'Bad Request: invalid sticker emojis'],
			['21 emoji', { stickers: [{ sticker: 'x', format: 'static', emoji_list: Array(21).fill('😀') }] }, 'Bad Request: invalid sticker emojis'],
			['text as an emoji', { stickers: [{ sticker: 'x', format: 'static', emoji_list: ['smile'] }] }, 'Bad Request: invalid sticker emojis'],
			['21 keywords', { stickers: [{ sticker: 'x', format: 'static', emoji_list: ['😀'], keywords: Array(21).fill('k') }] }, 'Bad Request: invalid sticker keywords'],
			['keywords over 64 characters in all', { stickers: [{ sticker: 'x', format: 'static', emoji_list: ['😀'], keywords: ['k'.repeat(40), 'k'.repeat(25)] }] }, 'Bad Request: invalid sticker keywords'],
			['a wrong sticker_type', { sticker_type: 'big' }, 'Bad Request: invalid sticker type specified'],
			['no user_id', { user_id: undefined }, 'Bad Request: user_id is empty'],
		])('%s', async (_, params, description) => {
			const resolved = (params as { stickers?: unknown }).stickers === 'many' ? { stickers: Array(51).fill(sticker(id)) } : params;
			expectError(await create(resolved), description);
		});

		test('a name already taken: "sticker set name is already occupied", whatever its case', async () => {
			expect((await create({})).body.ok).toBe(true);
			expectError(await create({ name: NAME.toUpperCase() }), 'Bad Request: sticker set name is already occupied');
		});

		test('1 and 50 stickers are taken; keywords of 64 characters in all are taken', async () => {
			expect((await create({ name: 'one_by_sticker_test_bot' })).body.ok).toBe(true);
			const fifty = Array(50).fill(sticker(id, { keywords: ['k'.repeat(40), 'k'.repeat(24)] }));
			expect((await create({ name: 'fifty_by_sticker_test_bot', stickers: fifty })).body.ok).toBe(true);
		});
	});

	describe('setStickerSetThumbnail and getStickerSet', () => {
		beforeEach(async () => {
			const id = (await upload(webp(512, 512))).body.result.file_id;
			await callJson('createNewStickerSet', { user_id: 42, name: NAME, title: 'Faces', stickers: [sticker(id)] });
		});
		const thumb = (bytes: Buffer, fields: Record<string, string> = {}) => callForm('setStickerSetThumbnail', { name: NAME, user_id: '42', format: 'static', ...fields }, { thumbnail: [bytes, 't.webp'] });

		test.each([
			['99 x 100', () => png(99, 100), 'Bad Request: STICKER_THUMB_PNG_DIMENSIONS'],
			['a 512 x 512 sticker', () => webp(512, 512), 'Bad Request: STICKER_THUMB_PNG_DIMENSIONS'],
			['over 128 KB', () => Buffer.concat([png(100, 100), Buffer.alloc(128 * 1024)]), 'Bad Request: file is too big'],
			['a JPEG', () => encodeJpeg(100, 100, new Uint8Array(100 * 100 * 3)), 'Bad Request: STICKERSET_THUMBNAIL_INVALID'],
		])('a thumbnail of %s is refused', async (_, bytes, description) => {
			expectError(await thumb(bytes()), description);
		});

		test('a 100 x 100 WebP is taken; no thumbnail drops it; no format, another user or another set is refused', async () => {
			expect((await thumb(webp(100, 100))).body.result).toBe(true);
			expect((await callJson('getStickerSet', { name: NAME })).body.result.thumbnail).toEqual(expect.objectContaining({ width: 100, height: 100 }));
			expect((await callJson('setStickerSetThumbnail', { name: NAME, user_id: 42, format: 'static' })).body.result).toBe(true);
			expect((await callJson('getStickerSet', { name: NAME })).body.result.thumbnail).toBeUndefined();
			expectError(await thumb(webp(100, 100), { format: '' }), 'Bad Request: format is empty');
			expectError(await thumb(webp(100, 100), { user_id: '7' }), 'Bad Request: STICKERSET_INVALID');
			expectError(await thumb(webp(100, 100), { name: 'nope_by_sticker_test_bot' }), 'Bad Request: STICKERSET_INVALID');
		});

		test('getStickerSet of an unknown name is STICKERSET_INVALID; without a name, "name is empty"', async () => {
			expectError(await callJson('getStickerSet', { name: 'nope_by_sticker_test_bot' }), 'Bad Request: STICKERSET_INVALID');
			expectError(await callJson('getStickerSet', {}), 'Bad Request: name is empty');
		});
	});

	describe('webhooks, photos and the send methods', () => {
		test('setWebhook records the URL and secret; sendUpdate POSTs there with the secret header; deleteWebhook forgets it', async () => {
			const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
			const hook = http.createServer((req, res) => {
				let body = '';
				req.on('data', (c) => (body += c));
				req.on('end', () => {
					received.push({ headers: req.headers, body });
					res.end('ok');
				});
			});
			await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
			const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/webhook/abc`;
			try {
				expect((await callJson('getWebhookInfo')).body.result).toEqual({ url: '', has_custom_certificate: false, pending_update_count: 0 });
				expect((await callJson('setWebhook', { url: hookUrl, secret_token: 'n8n_secret-1', allowed_updates: ['message'] })).body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
				expect((await callJson('getWebhookInfo')).body.result).toEqual({ url: hookUrl, has_custom_certificate: false, pending_update_count: 0, max_connections: 40, allowed_updates: ['message'] });
				const photo = tg.addPhoto(encodeJpeg(64, 48, new Uint8Array(64 * 48 * 3)));
				expect(photo).toEqual({ file_id: expect.any(String), file_unique_id: expect.any(String), width: 64, height: 48, file_size: expect.any(Number) });
				const sent = await tg.sendUpdate({ message: { message_id: 1, chat: { id: 42, type: 'private' }, from: { id: 42, is_bot: false, first_name: 'A' }, date: 1, photo: [photo] } });
				expect(sent.status).toBe(200);
				expect(received[0].headers['x-telegram-bot-api-secret-token']).toBe('n8n_secret-1');
				expect(JSON.parse(received[0].body)).toEqual(expect.objectContaining({ update_id: 1, message: expect.objectContaining({ photo: [photo] }) }));
				const file = (await callJson('getFile', { file_id: photo.file_id })).body.result;
				expect(file.file_path).toMatch(/^photos\/file_\d+\.jpg$/);
				expectError(await callJson('setWebhook', { url: hookUrl, secret_token: 'bad secret!' }), 'Bad Request: secret token contains unallowed characters');
				expectError(await callJson('setWebhook', {}), 'Bad Request: url is empty');
				expect((await callJson('deleteWebhook')).body.result).toBe(true);
				expect((await callJson('getWebhookInfo')).body.result.url).toBe('');
				await expect(tg.sendUpdate({ message: {} })).rejects.toThrow('no webhook is set');
			} finally {
				await new Promise((resolve) => hook.close(resolve));
			}
		});

		test("sendPhotoUpdate: a user's selfie reaches the webhook as n8n's Telegram Trigger reads it (getFile by GET, then the download)", async () => {
			const received: string[] = [];
			const hook = http.createServer((req, res) => {
				let body = '';
				req.on('data', (c) => (body += c));
				req.on('end', () => {
					received.push(body);
					res.end('ok');
				});
			});
			await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
			try {
				// As n8n's trigger calls it: JSON body, an empty allowed_updates list, drop_pending_updates.
				await callJson('setWebhook', { url: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`, allowed_updates: [], secret_token: 'wf1_node1', drop_pending_updates: true });
				const selfie = encodeJpeg(96, 128, new Uint8Array(96 * 128 * 3).fill(200));
				const { update, status } = await tg.sendPhotoUpdate(selfie, { userId: 777, caption: 'me' });
				expect(status).toBe(200);
				const message = JSON.parse(received[0]).message;
				expect(message).toEqual(update.message);
				expect(message).toEqual(expect.objectContaining({ from: expect.objectContaining({ id: 777, is_bot: false }), chat: expect.objectContaining({ id: 777, type: 'private' }), caption: 'me' }));
				const got = await answer(await fetch(`${url('getFile')}?file_id=${message.photo[0].file_id}`));
				const download = await fetch(`${tg.baseUrl}/file/bot${tg.token}/${got.body.result.file_path}`);
				expect(Buffer.from(await download.arrayBuffer()).equals(selfie)).toBe(true);
				const second = await tg.sendPhotoUpdate(selfie);
				expect(second.update.update_id).toBe(update.update_id + 1);
				const control = (await (await fetch(`${tg.baseUrl}/__emulator/requests`)).json()) as { webhook: { secretToken: string } };
				expect(control.webhook.secretToken).toBe('wf1_node1');
			} finally {
				await new Promise((resolve) => hook.close(resolve));
			}
		});

		test('an https-only emulator refuses an http webhook as Telegram does', async () => {
			const strict = await new TelegramEmulator({ requireHttpsWebhook: true, token: '1:abc' }).start();
			try {
				const result = await answer(await fetch(`${strict.baseUrl}/bot1:abc/setWebhook?url=http://example.com/hook`));
				expectError(result, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
			} finally {
				await strict.stop();
			}
		});

		test('sendMessage, sendPhoto, sendSticker and sendDocument answer Messages and are recorded with their files', async () => {
			expect((await callJson('sendMessage', { chat_id: 42, text: 'Your pack: https://t.me/addstickers/x' })).body.result).toEqual(
				expect.objectContaining({ message_id: 1, chat: { id: 42, type: 'private' }, text: 'Your pack: https://t.me/addstickers/x' }),
			);
			const sheet = png(300, 200);
			const photo = await callForm('sendPhoto', { chat_id: '42', caption: 'preview' }, { photo: [sheet, 'sheet.png'] });
			expect(photo.body.result.photo[0]).toEqual(expect.objectContaining({ width: 300, height: 200, file_size: sheet.length }));
			const stickerAnswer = await callForm('sendSticker', { chat_id: '42' }, { sticker: [webp(512, 512), 's.webp'] });
			expect(stickerAnswer.body.result.sticker).toEqual(expect.objectContaining({ width: 512, height: 512, is_animated: false, is_video: false }));
			const again = await callJson('sendSticker', { chat_id: 42, sticker: stickerAnswer.body.result.sticker.file_id });
			expect(again.body.ok).toBe(true);
			const doc = await callForm('sendDocument', { chat_id: '@pack_channel' }, { document: [Buffer.from('PK zip'), 'pack.wastickers'] });
			expect(doc.body.result.document).toEqual(expect.objectContaining({ file_name: 'pack.wastickers' }));
			expect(tg.sentMessages.map((m: { method: string }) => m.method)).toEqual(['sendMessage', 'sendPhoto', 'sendSticker', 'sendSticker', 'sendDocument']);
			expect(tg.sentMessages[1].files.photo.bytes.equals(sheet)).toBe(true);
			expectError(await callJson('sendMessage', { chat_id: 42, text: '  ' }), 'Bad Request: message text is empty');
			expectError(await callJson('sendMessage', { text: 'hi' }), 'Bad Request: chat_id is empty');
			expectError(await callJson('sendMessage', { chat_id: 'x y', text: 'hi' }), 'Bad Request: chat not found');
			expectError(await callJson('sendPhoto', { chat_id: 42, photo: 'https://example.com/a.jpg' }), 'Bad Request: wrong file identifier/HTTP URL specified');
			expectError(await callJson('sendSticker', { chat_id: 42 }), 'Bad Request: there is no sticker in the request');
			const control = (await (await fetch(`${tg.baseUrl}/__emulator/requests`)).json()) as { sentMessages: Array<{ files: Record<string, unknown> }> };
			expect(control.sentMessages[1].files.photo).toEqual({ filename: 'sheet.png', size: sheet.length });
			expect((await fetch(`${tg.baseUrl}/__emulator/reset`, { method: 'POST' })).status).toBe(200);
			expect(tg.sentMessages).toEqual([]);
		});
	});

	describe('the parts on their own', () => {
		test('parseMultipart reads fields and files, quoted boundaries and names, and refuses a body without its boundary', () => {
			const body = Buffer.from('--bx\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n--bx\r\nContent-Disposition: form-data; name="f"; filename="q\\"r.bin"\r\nContent-Type: image/png\r\n\r\n\x00\x01\r\n--bx--\r\n', 'latin1');
			const parsed = parseMultipart(body, 'multipart/form-data; boundary="bx"');
			expect(parsed.fields).toEqual({ a: 'one' });
			expect(parsed.files.f).toEqual({ filename: 'q"r.bin', contentType: 'image/png', bytes: Buffer.from([0, 1]) });
			expect(() => parseMultipart(Buffer.from('x'), 'multipart/form-data')).toThrow('without a boundary');
			expect(() => parseMultipart(Buffer.from('x'), 'multipart/form-data; boundary=zz')).toThrow('without its boundary');
		});

		test('imageInfo reads VP8, VP8L and VP8X WebP headers, PNG and JPEG sizes', () => {
			const vp8 = Buffer.alloc(30);
			vp8.write('RIFF', 0);
			vp8.write('WEBPVP8 ', 8);
			vp8.set([0x9d, 0x01, 0x2a], 23);
			vp8.writeUInt16LE(512, 26);
			vp8.writeUInt16LE(300 | 0x4000, 28);
			const vp8x = Buffer.alloc(30);
			vp8x.write('RIFF', 0);
			vp8x.write('WEBPVP8X', 8);
			vp8x.writeUIntLE(511, 24, 3);
			vp8x.writeUIntLE(99, 27, 3);
			expect(rules.imageInfo(vp8)).toEqual({ type: 'webp', width: 512, height: 300 });
			expect(rules.imageInfo(vp8x)).toEqual({ type: 'webp', width: 512, height: 100 });
			expect(rules.imageInfo(webp(123, 45))).toEqual({ type: 'webp', width: 123, height: 45 });
			expect(rules.imageInfo(png(7, 9))).toEqual({ type: 'png', width: 7, height: 9 });
			expect(rules.imageInfo(encodeJpeg(33, 22, new Uint8Array(33 * 22 * 3)))).toEqual({ type: 'jpeg', width: 33, height: 22 });
			expect(rules.imageInfo(Buffer.from('nothing at all, really'))).toBeUndefined();
		});
	});
});
