'use strict';
// The Telegram example (examples/telegram-sticker-pack.json) through `n8n start`: a selfie sent to the bot's
// webhook by the Telegram emulator becomes a sticker set of 8; every sticker is decoded by dwebp and held to
// Telegram's rules. Also its other paths: one expression failing, and the error branch.

const fs = require('fs');
const path = require('path');

const { N8nServer } = require('./n8n-harness');
const { FACE, FREE_CREDITS, KB, cornerAlphas, round6 } = require('./pack-checks');
const { activateTrigger, waitFor, waitWhileRunning } = require('./pack-server');
const { expressionsOf, telegramExample } = require('./pack-workflows');
const { decodeWithOracle } = require('../helpers/oracles');

/** `ctx`: the suite's emulators (segmind, telegram), n8n instance, label and captured output, set in its beforeAll. */
function describeTelegramExample(ctx) {
	describe('the Telegram example through n8n start: a selfie to the bot becomes a sticker set of 8 and the user gets its link', () => {
		const user = { id: 123456789, is_bot: false, first_name: 'Anna', language_code: 'en' };
		const example = telegramExample({ token: '', baseUrl: '', botUsername: '' });
		const expected = expressionsOf(example);
		// One set per photo: the set name carries the user's ID and the message's, so a second selfie makes a second set.
		const name = `me_${user.id}_1_by_${'sticker_test_bot'}`;
		let server;
		let set;
		let link;
		let summary;
		let submits;
		let seconds;

		beforeAll(async () => {
			server = new N8nServer(ctx.n8n);
			server.extraEnv = { WEBHOOK_URL: `http://127.0.0.1:${server.port}/` };
			await server.start();
			try {
				await activateTrigger(server, example.id);
				await waitFor(() => ctx.telegram.webhook.url !== '', 60_000, 'the Telegram Trigger to call setWebhook');
				ctx.segmind.reset();
				const started = Date.now();
				const photo = ctx.telegram.addPhoto(fs.readFileSync(FACE));
				const answer = await ctx.telegram.sendUpdate({
					message: { message_id: 1, from: user, chat: { id: user.id, type: 'private', first_name: user.first_name }, date: Math.floor(started / 1000), photo: [photo] },
				});
				expect(answer.status).toBe(200);
				const sent = () => ctx.telegram.sentMessages.find((m) => m.method === 'sendMessage');
				await waitWhileRunning(server, sent, 180_000, 'the bot to send a message');
				seconds = (Date.now() - started) / 1000;
				link = sent();
				set = ctx.telegram.stickerSet(name);
				summary = ctx.segmind.summary();
				submits = ctx.segmind.requests.filter((r) => r.kind === 'submit');
				ctx.captured.push(fs.readFileSync(path.join(ctx.n8n.folder, 'server.log'), 'utf8'));
				console.log(`[${ctx.label}] Telegram example: photo to link in ${seconds.toFixed(1)} s; ${summary.billedSubmits} stickers made, ${summary.requests} Segmind requests, ${ctx.telegram.requests.length} Bot API requests`);
			} catch (error) {
				await server.stop();
				throw error;
			}
		}, 300_000);

		afterAll(async () => {
			if (server) await server.stop();
		});

		test('the bot answers in the user\'s chat with the set\'s link t.me/addstickers/<name>, and nothing else', () => {
			expect(link.chat_id).toBe(user.id);
			expect(link.message.text).toContain(`https://t.me/addstickers/${name}`);
			expect(ctx.telegram.sentMessages.map((m) => m.method)).toEqual(['sendMessage']);
		});

		test('the set exists under a name ending in _by_<bot>, owned by the sender, titled from the sender\'s name, with 8 stickers', () => {
			expect(set).toBeDefined();
			expect(set.name).toBe(name);
			expect(set.name.endsWith(`_by_${ctx.telegram.botUsername}`)).toBe(true);
			expect(set.ownerId).toBe(user.id);
			expect(set.title).toBe('Anna\'s stickers');
			expect(set.stickers).toHaveLength(8);
			expect(new Set(set.stickers.map((s) => s.bytes.toString('base64'))).size).toBe(8);
		});

		test('each sticker, decoded by dwebp, is a static WebP with one side 512 and the other at most 512, at most 512 KB, with transparent corners', () => {
			for (const sticker of set.stickers) {
				const image = decodeWithOracle(sticker.bytes);
				expect([image.format, sticker.format]).toEqual(['webp', 'static']);
				expect(Math.max(image.width, image.height)).toBe(512);
				expect(Math.min(image.width, image.height)).toBeLessThanOrEqual(512);
				expect(sticker.bytes.length).toBeLessThanOrEqual(512 * KB);
				expect(cornerAlphas(image)).toEqual([0, 0, 0, 0]);
			}
		});

		test('each sticker carries its expression\'s emoji, in the order of the example\'s expressions', () => {
			expect(set.stickers.map((s) => s.emoji_list)).toEqual(expected.map((e) => [e.emoji]));
		});

		test('the workflow used the Bot API as published: 8 uploads and one createNewStickerSet, all answered ok', () => {
			const calls = (method) => ctx.telegram.requests.filter((r) => r.method === method);
			expect(calls('uploadStickerFile').map((r) => [r.status, r.params.sticker_format, r.params.user_id])).toEqual(Array(8).fill([200, 'static', String(user.id)]));
			expect(calls('createNewStickerSet').map((r) => r.status)).toEqual([200]);
			expect(ctx.telegram.requests.filter((r) => r.status !== 200)).toEqual([]);
		});

		test('Segmind made each sticker once, with one seed for the pack and the expression in each prompt', () => {
			expect(summary).toEqual(expect.objectContaining({ billedSubmits: 8, billedBgRemovals: 8, submits: 8 }));
			expect(new Set(submits.map((r) => r.body.seed)).size).toBe(1);
			expect(submits.map((r) => r.prompt).sort()).toEqual(expected.map((e) => `a person, ${e.expression}`).sort());
		});

		test('one expression failing: the set is made with the other 7 and the link message names the missing one', async () => {
			const third = { id: 555000111, is_bot: false, first_name: 'Cleo' };
			ctx.segmind.addFault({ on: 'submit', action: 'fail-job', promptIncludes: 'sleepy' });
			const photo = ctx.telegram.addPhoto(fs.readFileSync(FACE));
			await ctx.telegram.sendUpdate({ message: { message_id: 3, from: third, chat: { id: third.id, type: 'private' }, date: Math.floor(Date.now() / 1000), photo: [photo] } });
			const replies = () => ctx.telegram.sentMessages.filter((m) => m.chat_id === third.id);
			await waitWhileRunning(server, () => replies().length > 0, 180_000, 'the bot to answer the third sender');
			const thirdName = `me_${third.id}_3_by_${ctx.telegram.botUsername}`;
			expect(replies().map((m) => m.message.text)).toEqual([`Your sticker pack is ready: https://t.me/addstickers/${thirdName}\n(sleepy, yawning could not be made)`]);
			const thirdSet = ctx.telegram.stickerSet(thirdName);
			expect(thirdSet.stickers.map((s) => s.emoji_list)).toEqual(expected.filter((e) => !e.expression.startsWith('sleepy')).map((e) => [e.emoji]));
			expect(ctx.segmind.summary()).toEqual(expect.objectContaining({ submits: 8, billedBgRemovals: 7 }));
		}, 240_000);

		test('the example\'s error branch: with a balance too low, the bot tells the sender why in one message, and nothing is spent', async () => {
			const other = { id: 987654321, is_bot: false, first_name: 'Ben' };
			ctx.segmind.configure({ credits: 0.3 });
			try {
				const photo = ctx.telegram.addPhoto(fs.readFileSync(FACE));
				await ctx.telegram.sendUpdate({ message: { message_id: 2, from: other, chat: { id: other.id, type: 'private' }, date: Math.floor(Date.now() / 1000), photo: [photo] } });
				const replies = () => ctx.telegram.sentMessages.filter((m) => m.chat_id === other.id);
				await waitWhileRunning(server, () => replies().length > 0, 120_000, 'the bot to answer the second sender');
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				const balance = round6(0.3 + FREE_CREDITS);
				expect(replies().map((m) => [m.method, m.message.text])).toEqual([
					['sendMessage', `Sorry, no sticker pack this time: Your Segmind balance of ${balance} credits cannot pay for this pack of about 0.7008 credits`],
				]);
				expect(ctx.telegram.stickerSet(`me_${other.id}_by_${ctx.telegram.botUsername}`)).toBeUndefined();
				expect(ctx.segmind.requests.map((r) => r.kind)).toEqual(['credits']);
			} finally {
				ctx.segmind.configure({ credits: 1000 });
			}
		});
	});

}

module.exports = { describeTelegramExample };
