'use strict';
// Sticker packs (issue 20) in real n8n: the Telegram example end to end through `n8n start` (a selfie sent to
// the bot's webhook becomes a set of 8 on the Telegram emulator, each sticker decoded by dwebp and held to
// Telegram's rules), the WhatsApp example through `n8n execute` (its .wastickers unpacked by Debian's unzip, the
// tray icon and stickers decoded by ImageMagick and dwebp), and the pack's rules for money, failures and bad input.

const fs = require('fs');
const os = require('os');
const path = require('path');

const { N8nInstance, VERSIONS } = require('./n8n-harness');
const { FACE, FREE_CREDITS, KB, cornerAlphas, drawnInMargin, round6 } = require('./pack-checks');
const { describeTelegramExample } = require('./pack-telegram');
const { describeWhatsappExample } = require('./pack-whatsapp');
const { buildPackWorkflows, telegramExample, whatsappExample, BAD_INPUTS, FAILING, SIGNAL, EXAMPLE_CREDENTIALS, CREDENTIALS } = require('./pack-workflows');
const { SegmindEmulator } = require('../emulator/segmind-emulator');
const { encodeBlockJpeg } = require('../emulator/jpeg');
const { TelegramEmulator } = require('../telegram/telegram-emulator');
const { decodeWithOracle, ensureOracles } = require('../helpers/oracles');
const { ensureUnzip } = require('../helpers/unzipOracle');
const { expectNoSecrets } = require('../helpers/secrets');

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
		/** What the example suites (pack-telegram.js, pack-whatsapp.js) share with this one; filled in by beforeAll. */
		const ctx = { label, folder, captured, execute, outputs };

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
			Object.assign(ctx, { segmind, telegram, n8n });
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

		describeTelegramExample(ctx);
		describeWhatsappExample(ctx);

		test('a Signal pack: 512 × 512 WebP stickers of at most 300 KB with a clear 16 px margin, one emoji each, the first as the cover (dwebp, ImageMagick)', async () => {
			const result = await execute('e2ePackSignal');
			const [[packItem], failed] = outputs(result, 'Signal pack');
			expect(failed).toEqual([]);
			expect(packItem.json).toEqual(expect.objectContaining({ messenger: 'signal', title: SIGNAL.packTitle, author: SIGNAL.packAuthor, stickerCount: 2, requested: 2, missing: [] }));
			expect(packItem.json.stickers.map((s) => [s.position, s.emojiList, s.format, s.width, s.height, s.mimeType])).toEqual([
				[1, ['😄'], 'static', 512, 512, 'image/webp'],
				[2, ['😢'], 'static', 512, 512, 'image/webp'],
			]);
			const files = Object.fromEntries(outputs(result, 'Read files')[0].map(({ json }) => [json.key, { ...json, bytes: Buffer.from(json.data, 'base64') }]));
			expect(Object.keys(files).sort()).toEqual(['icon', 'preview', 'sticker_01', 'sticker_02']);
			for (const key of ['sticker_01', 'sticker_02']) {
				const { bytes, mimeType } = files[key];
				expect([key, mimeType, bytes.length <= 300 * KB]).toEqual([key, 'image/webp', true]);
				const image = decodeWithOracle(bytes);
				expect([image.format, image.width, image.height]).toEqual(['webp', 512, 512]);
				// Signal's guidelines ask for a 16 px margin: nothing drawn there, and the sticker drawn inside it.
				const { inMargin, inside } = drawnInMargin(image, 16);
				expect([key, inMargin, inside > 512 * 512 * 0.2]).toEqual([key, 0, true]);
			}
			expect(files.icon.bytes.equals(files.sticker_01.bytes)).toBe(true);
			const preview = decodeWithOracle(files.preview.bytes);
			expect(preview.format).toBe('png');
			expect(segmind.summary().submits).toBe(2);
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
