'use strict';
// Sticker packs (issue 20) in real n8n: the Telegram example end to end through `n8n start` (a selfie sent to
// the bot's webhook becomes a set of 8 on the Telegram emulator, each sticker decoded by dwebp and held to
// Telegram's rules), the WhatsApp example through `n8n execute` (its .wastickers unpacked by Debian's unzip, the
// tray icon and stickers decoded by ImageMagick and dwebp), and the pack's rules for money, failures and bad input.

const fs = require('fs');
const os = require('os');
const path = require('path');

const { N8nInstance, N8nServer, ROOT, VERSIONS } = require('./n8n-harness');
const { buildPackWorkflows, telegramExample, whatsappExample, expressionsOf, BAD_INPUTS, FAILING, EXAMPLE_CREDENTIALS, CREDENTIALS } = require('./pack-workflows');
const { activateTrigger, waitFor, waitWhileRunning } = require('./pack-server');
const { SegmindEmulator } = require('../emulator/segmind-emulator');
const { encodeBlockJpeg } = require('../emulator/jpeg');
const { TelegramEmulator } = require('../telegram/telegram-emulator');
const { decodeWithOracle, ensureOracles } = require('../helpers/oracles');
const { ensureUnzip, unzipInto } = require('../helpers/unzipOracle');
const { expectNoSecrets } = require('../helpers/secrets');

const KB = 1024;
const FACE = path.join(ROOT, 'examples', 'face.png');
/** The Segmind emulator's free credits, added to `credits` in every balance answer. */
const FREE_CREDITS = 0.0184921035;
const round6 = (value) => Math.round(value * 1e6) / 1e6;

/** The four corners of a decoded image are fully transparent. */
function cornerAlphas(image) {
	const at = (x, y) => image.data[(y * image.width + x) * 4 + 3];
	return [at(0, 0), at(image.width - 1, 0), at(0, image.height - 1), at(image.width - 1, image.height - 1)];
}

function describeStickerPacks(major) {
	const label = VERSIONS[major].label;
	describe(`${label}: sticker packs, the example workflows and the pack's rules`, () => {
		let segmind;
		let telegram;
		let n8n;
		let workflows;
		const captured = [];
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), `packs-e2e-${major}-`));

		const execute = async (workflowId, env = {}) => {
			const result = await n8n.execute(workflowId, env);
			captured.push(result.stdout, result.stderr, result.log, JSON.stringify(result.runData ?? null));
			if (!result.runData) throw new Error(`no run data from n8n:\n${result.stdout.slice(-2000)}\n${result.log.slice(-4000)}`);
			return result;
		};
		const outputs = (result, name) => result.runData.data.resultData.runData[name][0].data.main;

		beforeAll(async () => {
			ensureOracles();
			ensureUnzip();
			segmind = await new SegmindEmulator({ latencyMs: 600 }).start();
			telegram = await new TelegramEmulator().start();
			n8n = new N8nInstance(major, { name: 'packs' });
			const segmindData = { apiKey: segmind.apiKey, baseUrl: segmind.baseUrl, uploadUrl: segmind.origins.upload };
			await n8n.importCredentials([
				{ ...CREDENTIALS.good, type: 'segmindApi', data: segmindData },
				{ ...EXAMPLE_CREDENTIALS.segmind, type: 'segmindApi', data: segmindData },
				{ ...EXAMPLE_CREDENTIALS.telegram, type: 'telegramApi', data: { accessToken: telegram.token, baseUrl: telegram.baseUrl } },
			]);
			const face = encodeBlockJpeg(64, 64, (x, y) => ((x + y) % 2 ? [230, 180, 150] : [90, 60, 40]));
			workflows = buildPackWorkflows(face.toString('base64'));
			fs.copyFileSync(FACE, path.join(folder, 'face.png'));
			fs.mkdirSync(path.join(folder, 'out'));
			await n8n.importWorkflows([
				telegramExample(telegram),
				whatsappExample(path.join(folder, 'face.png'), path.join(folder, 'out')),
				...Object.values(workflows),
			]);
		});

		afterAll(async () => {
			if (segmind) await segmind.stop();
			if (telegram) await telegram.stop();
			fs.rmSync(folder, { recursive: true, force: true });
		});

		beforeEach(() => segmind.reset());

		describe('the Telegram example through n8n start: a selfie to the bot becomes a sticker set of 8 and the user gets its link', () => {
			const user = { id: 123456789, is_bot: false, first_name: 'Anna', language_code: 'en' };
			const example = telegramExample({ token: '', baseUrl: '', botUsername: '' });
			const expected = expressionsOf(example);
			const name = `me_${user.id}_by_${'sticker_test_bot'}`;
			let server;
			let set;
			let link;
			let summary;
			let submits;
			let seconds;

			beforeAll(async () => {
				server = new N8nServer(n8n);
				server.extraEnv = { WEBHOOK_URL: `http://127.0.0.1:${server.port}/` };
				await server.start();
				try {
					await activateTrigger(server, example.id);
					await waitFor(() => telegram.webhook.url !== '', 60_000, 'the Telegram Trigger to call setWebhook');
					segmind.reset();
					const started = Date.now();
					const photo = telegram.addPhoto(fs.readFileSync(FACE));
					const answer = await telegram.sendUpdate({
						message: { message_id: 1, from: user, chat: { id: user.id, type: 'private', first_name: user.first_name }, date: Math.floor(started / 1000), photo: [photo] },
					});
					expect(answer.status).toBe(200);
					const sent = () => telegram.sentMessages.find((m) => m.method === 'sendMessage');
					await waitWhileRunning(server, sent, 180_000, 'the bot to send a message');
					seconds = (Date.now() - started) / 1000;
					link = sent();
					set = telegram.stickerSet(name);
					summary = segmind.summary();
					submits = segmind.requests.filter((r) => r.kind === 'submit');
					captured.push(fs.readFileSync(path.join(n8n.folder, 'server.log'), 'utf8'));
					console.log(`[${label}] Telegram example: photo to link in ${seconds.toFixed(1)} s; ${summary.billedSubmits} stickers made, ${summary.requests} Segmind requests, ${telegram.requests.length} Bot API requests`);
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
				expect(telegram.sentMessages.map((m) => m.method)).toEqual(['sendMessage']);
			});

			test('the set exists under a name ending in _by_<bot>, owned by the sender, titled from the sender\'s name, with 8 stickers', () => {
				expect(set).toBeDefined();
				expect(set.name).toBe(name);
				expect(set.name.endsWith(`_by_${telegram.botUsername}`)).toBe(true);
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
				const calls = (method) => telegram.requests.filter((r) => r.method === method);
				expect(calls('uploadStickerFile').map((r) => [r.status, r.params.sticker_format, r.params.user_id])).toEqual(Array(8).fill([200, 'static', String(user.id)]));
				expect(calls('createNewStickerSet').map((r) => r.status)).toEqual([200]);
				expect(telegram.requests.filter((r) => r.status !== 200)).toEqual([]);
			});

			test('Segmind made each sticker once, with one seed for the pack and the expression in each prompt', () => {
				expect(summary).toEqual(expect.objectContaining({ billedSubmits: 8, billedBgRemovals: 8, submits: 8 }));
				expect(new Set(submits.map((r) => r.body.seed)).size).toBe(1);
				expect(submits.map((r) => r.prompt).sort()).toEqual(expected.map((e) => `a person, ${e.expression}`).sort());
			});

			test('one expression failing: the set is made with the other 7 and the link message names the missing one', async () => {
				const third = { id: 555000111, is_bot: false, first_name: 'Cleo' };
				segmind.addFault({ on: 'submit', action: 'fail-job', promptIncludes: 'sleepy' });
				const photo = telegram.addPhoto(fs.readFileSync(FACE));
				await telegram.sendUpdate({ message: { message_id: 3, from: third, chat: { id: third.id, type: 'private' }, date: Math.floor(Date.now() / 1000), photo: [photo] } });
				const replies = () => telegram.sentMessages.filter((m) => m.chat_id === third.id);
				await waitWhileRunning(server, () => replies().length > 0, 180_000, 'the bot to answer the third sender');
				const thirdName = `me_${third.id}_by_${telegram.botUsername}`;
				expect(replies().map((m) => m.message.text)).toEqual([`Your sticker pack is ready: https://t.me/addstickers/${thirdName}\n(sleepy, yawning could not be made)`]);
				const thirdSet = telegram.stickerSet(thirdName);
				expect(thirdSet.stickers.map((s) => s.emoji_list)).toEqual(expected.filter((e) => !e.expression.startsWith('sleepy')).map((e) => [e.emoji]));
				expect(segmind.summary()).toEqual(expect.objectContaining({ submits: 8, billedBgRemovals: 7 }));
			}, 240_000);

			test('the example\'s error branch: with a balance too low, the bot tells the sender why in one message, and nothing is spent', async () => {
				const other = { id: 987654321, is_bot: false, first_name: 'Ben' };
				segmind.configure({ credits: 0.3 });
				try {
					const photo = telegram.addPhoto(fs.readFileSync(FACE));
					await telegram.sendUpdate({ message: { message_id: 2, from: other, chat: { id: other.id, type: 'private' }, date: Math.floor(Date.now() / 1000), photo: [photo] } });
					const replies = () => telegram.sentMessages.filter((m) => m.chat_id === other.id);
					await waitWhileRunning(server, () => replies().length > 0, 120_000, 'the bot to answer the second sender');
					await new Promise((resolve) => setTimeout(resolve, 1_000));
					const balance = round6(0.3 + FREE_CREDITS);
					expect(replies().map((m) => [m.method, m.message.text])).toEqual([
						['sendMessage', `Sorry, no sticker pack this time: Your Segmind balance of ${balance} credits cannot pay for this pack of about 0.7008 credits`],
					]);
					expect(telegram.stickerSet(`me_${other.id}_by_${telegram.botUsername}`)).toBeUndefined();
					expect(segmind.requests.map((r) => r.kind)).toEqual(['credits']);
				} finally {
					segmind.configure({ credits: 1000 });
				}
			});
		});

		describe('the WhatsApp example through n8n execute: the pack as files', () => {
			let record;
			let entries;
			let summary;
			const unpacked = path.join(folder, 'unpacked');
			const out = (name) => path.join(folder, 'out', name);

			beforeAll(async () => {
				segmind.reset();
				const result = await execute('faceStickerWaPack01', { N8N_RESTRICT_FILE_ACCESS_TO: folder });
				expect(result.code).toBe(0);
				record = outputs(result, 'Face to Sticker')[0][0].json;
				summary = segmind.summary();
				entries = unzipInto(out(record.files.wastickers.fileName), unpacked);
				console.log(`[${label}] WhatsApp example: ${record.stickerCount} stickers, .wastickers ${record.files.wastickers.fileSize} bytes, ${record.elapsedTime} s in the node`);
			}, 300_000);

			test('the .wastickers file passes unzip -t and holds the stickers, tray.png, title.txt and author.txt', () => {
				const stickers = entries.filter((name) => /^sticker_\d\d\.webp$/.test(name));
				expect(entries.sort()).toEqual([...stickers, 'author.txt', 'title.txt', 'tray.png'].sort());
				expect(stickers.length).toBeGreaterThanOrEqual(3);
				expect(stickers.length).toBeLessThanOrEqual(30);
				expect(stickers).toHaveLength(record.stickerCount);
				expect(fs.readFileSync(path.join(unpacked, 'title.txt'), 'utf8')).toBe('Anna\'s Stickers');
				expect(fs.readFileSync(path.join(unpacked, 'author.txt'), 'utf8')).toBe('Anna');
			});

			test('the tray icon, decoded by ImageMagick, is a 96 x 96 PNG of at most 50 KB with transparent corners; the file written beside it is the same', () => {
				const tray = fs.readFileSync(path.join(unpacked, 'tray.png'));
				const image = decodeWithOracle(tray);
				expect([image.format, image.width, image.height]).toEqual(['png', 96, 96]);
				expect(tray.length).toBeLessThanOrEqual(50 * KB);
				expect(cornerAlphas(image)).toEqual([0, 0, 0, 0]);
				expect(fs.readFileSync(out(record.files.icon.fileName)).equals(tray)).toBe(true);
			});

			test('each sticker, decoded by dwebp, is a 512 x 512 WebP of at most 100 KB with transparent corners', () => {
				for (const name of entries.filter((entry) => entry.endsWith('.webp'))) {
					const bytes = fs.readFileSync(path.join(unpacked, name));
					const image = decodeWithOracle(bytes);
					expect([name, image.format, image.width, image.height]).toEqual([name, 'webp', 512, 512]);
					expect(bytes.length).toBeLessThanOrEqual(100 * KB);
					expect(cornerAlphas(image)).toEqual([0, 0, 0, 0]);
				}
			});

			test('contents.json has the sample app\'s fields, and every file it names is in the ZIP', () => {
				const contents = JSON.parse(fs.readFileSync(out('contents.json'), 'utf8'));
				expect(contents.sticker_packs).toHaveLength(1);
				const [packInfo] = contents.sticker_packs;
				expect(packInfo).toEqual(
					expect.objectContaining({
						identifier: expect.stringMatching(/^[A-Za-z0-9_\-. ]{1,127}$/),
						name: 'Anna\'s Stickers',
						publisher: 'Anna',
						tray_image_file: 'tray.png',
						image_data_version: expect.any(String),
						avoid_cache: false,
						animated_sticker_pack: false,
					}),
				);
				expect(packInfo.stickers).toHaveLength(record.stickerCount);
				for (const sticker of packInfo.stickers) {
					expect(entries).toContain(sticker.image_file);
					expect(sticker.emojis.length).toBeGreaterThanOrEqual(1);
					expect(sticker.emojis.length).toBeLessThanOrEqual(3);
				}
				expect(entries).toContain(packInfo.tray_image_file);
			});

			test('the preview sheet is a PNG ImageMagick reads, and every sticker was made once with background removal', () => {
				const preview = decodeWithOracle(fs.readFileSync(out(record.files.preview.fileName)));
				expect([preview.format, preview.width, preview.height]).toEqual(['png', record.files.preview.width, record.files.preview.height]);
				expect(summary).toEqual(expect.objectContaining({ billedSubmits: record.stickerCount, billedBgRemovals: record.stickerCount, submits: record.stickerCount }));
			});
		});

		describe('money first, failures and bad input (small workflows, n8n execute)', () => {
			test('a balance too low for the pack: refused with both figures, the balance read and no submit', async () => {
				segmind.configure({ credits: 0.3 });
				try {
					const result = await execute('e2ePackLowBalance');
					const [made, failed] = outputs(result, 'Face to Sticker');
					expect(made).toEqual([]);
					const balance = round6(0.3 + FREE_CREDITS);
					expect(failed.map((item) => item.json.error)).toEqual([`Your Segmind balance of ${balance} credits cannot pay for this pack of about 0.7008 credits`]);
					expect(segmind.requests.map((r) => r.kind)).toEqual(['credits']);
					expect(segmind.summary().submits).toBe(0);
				} finally {
					segmind.configure({ credits: 1000 });
				}
			});

			test('each bad input and a Max Pack Cost under the estimate are refused with a message that says what to fix, and not one request is sent', async () => {
				const result = await execute('e2ePackBadInputs');
				const errors = Object.fromEntries(Object.keys(BAD_INPUTS).map((name) => {
					const [made, failed] = outputs(result, name);
					return [name, [made.length, failed.map((item) => item.json.error)]];
				}));
				const wrong = (text) => [0, [text]];
				expect(errors).toEqual({
					'Too few for WhatsApp': wrong('A WhatsApp sticker pack takes 3 to 30 stickers; 2 expressions were given: add 1 more'),
					'Missing emoji': wrong('Expression 2 ("sad") has no emoji; a Telegram sticker takes 1 to 20'),
					'Four emoji for WhatsApp': wrong('Expression 2 ("sad") has 4 emoji; a WhatsApp sticker takes 1 to 3'),
					'Empty expression': wrong('Expression 2 is empty: write what the face should show, e.g. "surprised"'),
					'Bad set name': wrong('The Sticker Set Name "anna__stickers_by_sticker_test_bot" holds "__"; Telegram does not allow two underscores in a row'),
					'Set name of another bot': wrong('The Sticker Set Name "anna_stickers_by_other_bot" must end in "_by_sticker_test_bot" (the bot\'s username), e.g. "anna_stickers_by_sticker_test_bot"'),
					'Title too long': wrong('The Pack Title is 65 characters long; a Telegram sticker set\'s title takes at most 64'),
					'Cost above the cap': wrong('This pack would cost about 0.7008 credits, more than Max Pack Cost (0.5)'),
				});
				expect(segmind.requests).toEqual([]);
			});

			test('one expression failing: the pack arrives without it and names it; too many failing: the error output carries the paid stickers', async () => {
				segmind.addFault({ on: 'submit', action: 'fail-job', promptIncludes: FAILING.one });
				for (const expression of FAILING.many) segmind.addFault({ on: 'submit', action: 'fail-job', promptIncludes: expression });
				const result = await execute('e2ePackFailures');
				const submits = segmind.requests.filter((r) => r.kind === 'submit');
				const requestOf = (expression) => submits.find((r) => r.prompt === `a person, ${expression}`).requestId;
				// Nothing is generated twice: one submit per expression, 4 + 4.
				expect(submits.map((r) => r.prompt).sort()).toEqual([...new Set(submits.map((r) => r.prompt))].sort());
				expect(submits).toHaveLength(8);

				const [[delivered], oneFailed] = outputs(result, 'One fails');
				expect(oneFailed).toEqual([]);
				expect(delivered.json).toEqual(expect.objectContaining({ stickerCount: 3, requested: 4 }));
				expect(delivered.json.stickers.map((s) => s.position)).toEqual([1, 2, 4]);
				expect(delivered.json.missing).toEqual([
					expect.objectContaining({ position: 3, expression: FAILING.one, requestId: requestOf(FAILING.one), reason: expect.stringContaining('no face detected') }),
				]);
				expect(Object.keys(delivered.binary).sort()).toEqual(['contents', 'icon', 'preview', 'sticker_01', 'sticker_02', 'sticker_04', 'wastickers']);

				const [made, paid] = outputs(result, 'Too many fail');
				expect(made).toEqual([]);
				const message = 'Only 2 of 4 stickers could be made, and a WhatsApp pack needs at least 3';
				// n8n replaces the JSON of an item that carries an error with { error: message } (workflow-execute.js), so
				// what says which sticker it is on the error output is its binary: the file name's position.
				expect(paid.map((item) => [item.json, item.binary.data.fileName, item.binary.data.mimeType])).toEqual([
					[{ error: message }, 'My_Stickers-01.webp', 'image/webp'],
					[{ error: message }, 'My_Stickers-04.webp', 'image/webp'],
				]);
				const read = outputs(result, 'Read paid stickers')[0].map((item) => item.json);
				expect(read).toHaveLength(2);
				for (const sticker of read) {
					const image = decodeWithOracle(Buffer.from(sticker.data, 'base64'));
					expect([image.format, image.width, image.height]).toEqual(['webp', 512, 512]);
					expect(cornerAlphas(image)).toEqual([0, 0, 0, 0]);
				}
				expect(segmind.summary().billedBgRemovals).toBe(3 + 2);
			});
		});

		test('the Segmind key appears in no output, error or log line of this suite', () => {
			expect(captured.length).toBeGreaterThan(5);
			expectNoSecrets(captured, [segmind.apiKey]);
		});
	});
}

module.exports = { describeStickerPacks };
