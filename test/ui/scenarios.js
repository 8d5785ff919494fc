'use strict';
// The node as a no-code user meets it: the n8n editor in Chromium, with this package installed as a community
// package and the Segmind emulator as Segmind. Each scenario asserts what the page shows (texts, fields, values,
// images) and saves a screenshot; for n8n 2.x those are the README's pictures (docs/screenshots).

const crypto = require('crypto');
const path = require('path');

const { VERSIONS } = require('../e2e/n8n-harness');
const { SegmindEmulator } = require('../emulator/segmind-emulator');
const { EditorSession, eventually } = require('./editor');
const { OpenAiMock } = require('./openai-mock');
const { iconContrast } = require('./pixels');
const { describePackScenarios } = require('./pack-scenarios');
const { tableUnder, shownDefault, rejectedKeyMessage } = require('./readme');
const W = require('./workflows');

const FACE_URL_PATH = '/faces/ada.jpg';

/** Scenarios 1, 3 and 4 run on n8n 1.x too; all of them (9 in pack-scenarios.js) run on 2.x. */
function describeEditor(major) {
	const onlyLatest = major === 2;

	describe(`${VERSIONS[major].label}: the editor in Chromium`, () => {
		let emulator;
		let openAi;
		let editor;

		beforeAll(async () => {
			emulator = await new SegmindEmulator({ latencyMs: 300 }).start();
			openAi = await new OpenAiMock({ photoUrl: `${emulator.origins.images}${FACE_URL_PATH}` }).start();
			editor = await new EditorSession(major, {
				credentials: [
					{ ...W.CREDENTIAL, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
					{ ...W.OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-local-mock-not-secret', url: openAi.baseUrl } },
				],
				workflows: [W.photoToSticker(), W.photoToTelegramSticker(), W.widthFromExpression(), W.photoToTelegramPack(), W.agentWithStickerTool(`${emulator.origins.images}${FACE_URL_PATH}`)],
				env: { N8N_RESTRICT_FILE_ACCESS_TO: path.dirname(W.FACE) },
			}).start();
		});

		afterAll(async () => {
			if (editor) await editor.stop();
			if (openAi) await openAi.stop();
			if (emulator) await emulator.stop();
		});

		beforeEach(() => emulator.reset());

		/** A fresh browser context per scenario: nothing carries over but what n8n stored. */
		const withPage = (fn, options) => async () => {
			const page = await editor.newPage(options);
			try {
				await fn(page);
			} finally {
				await page.context().close();
			}
		};

		const addFaceToSticker = (page) => editor.addNode(page, 'sticker', 'Face to Sticker', 'Create sticker from a face photo');
		const shot = (target, name) => editor.screenshot(target, name);

		test('1. node panel: "sticker", "segmind" and "avatar" find Face to Sticker with its icon; its actions are Create sticker, Create sticker pack and Get result', withPage(async (page) => {
			await editor.newWorkflow(page);
			await page.getByTestId('canvas-plus-button').click();
			const creator = page.getByTestId('node-creator');
			// "avatar" is only in the codex alias, so finding it proves n8n reads the alias.
			for (const term of ['sticker', 'segmind', 'avatar']) {
				// Empty the list first, so the results read below are this term's, not the last one's.
				await page.getByTestId('node-creator-search-bar').fill('zzqx-no-such-node');
				await eventually(() => creator.getByTestId('item-iterator-item').count(), (count) => count === 0, { what: 'an empty search' });
				await page.getByTestId('node-creator-search-bar').fill(term);
				const item = creator.getByTestId('item-iterator-item').filter({ hasText: 'Face to Sticker' }).first();
				await item.waitFor();
				const icon = item.locator('img').first();
				await eventually(() => icon.evaluate((img) => ({ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 })), (v) => v.loaded, { what: `the icon for "${term}"` });
				expect(await icon.getAttribute('src')).toMatch(/\/icons\/n8n-nodes-segmind-face-to-sticker\/dist\/nodes\/FaceToSticker\/faceToSticker\.svg$/);
				// n8n 1.x shows a node's description only on hover.
				if (major === 2) expect(await item.innerText()).toContain("Turn a photo of a face into a sticker with Segmind's face-to-sticker model");
				if (term === 'segmind') await shot(creator, 'node-panel');
			}
			await creator.getByTestId('item-iterator-item').filter({ hasText: 'Face to Sticker' }).first().click();
			const panel = await eventually(() => creator.innerText(), (text) => /Actions \(\d+\)/.test(text), { what: 'the actions list' });
			const actions = panel.slice(panel.search(/Actions \(\d+\)/)).split('\n').map((line) => line.trim());
			expect(panel).toContain('Actions (3)');
			expect(actions).toContain('Create sticker from a face photo');
			expect(actions).toContain('Create sticker pack from a face photo');
			expect(actions).toContain('Get result of a sticker job');
			await shot(creator, 'node-actions');
		}));

		if (onlyLatest) {
			test('2. parameters panel: every parameter with its default in the README\'s order; Image Source URL swaps the photo field; Upscale Steps only once Upscale is on; every option offered; Get Result asks only for the Request ID', withPage(async (page) => {
				await addFaceToSticker(page);
				const readme = tableUnder('### Parameters');
				const shown = await editor.visibleParameters(page);
				// Binary File is the default source and As Generated the default Sticker Format, so the README's Image URL
				// row and the rows of the Sticker Format fields are the ones not shown.
				const stickerRows = ['Sticker Width (Px)', 'Sticker Height (Px)', 'Layout', 'File Type', 'Compression', 'Quality', 'Max File Size (KB)', 'Outline Width (Px)', 'Outline Color'];
				const expected = readme.filter((row) => row.label !== 'Image URL' && !stickerRows.includes(row.label));
				expect(shown.map((p) => p.label)).toEqual(['Operation', ...expected.map((row) => row.label)]);
				for (const row of expected.filter((r) => !['Model Settings', 'Options'].includes(r.label))) {
					expect({ label: row.label, value: shown.find((p) => p.label === row.label).value }).toEqual({ label: row.label, value: shownDefault(row.default) });
				}
				const panelText = await page.getByTestId('node-parameters').innerText();
				expect(panelText).toContain('256 to 2048 pixels, a multiple of 8'); // Width's and Height's hint
				await shot(page.getByTestId('ndv'), 'parameters');

				// Model Settings: each knob is offered, and shows its README default once added.
				const knobs = tableUnder('### Model Settings');
				const offered = await editor.collectionChoices(page, 'Add model setting');
				expect([...offered].sort()).toEqual(knobs.map((k) => k.label).filter((l) => l !== 'Upscale Steps').sort());
				await page.keyboard.press('Escape');
				for (const knob of knobs.filter((k) => k.label !== 'Upscale Steps')) {
					await editor.addToCollection(page, 'Add model setting', knob.label);
				}
				// All added: n8n drops the "Add model setting" list (Upscale Steps waits for Upscale to be on).
				expect(await page.getByTestId('node-parameters').getByPlaceholder('Add model setting').count()).toBe(0);
				const added = await editor.visibleParameters(page, 'modelSettings');
				for (const knob of knobs.filter((k) => k.label !== 'Upscale Steps')) {
					const value = added.find((p) => p.label === knob.label);
					expect({ label: knob.label, value: value && (value.value === 'on' || value.value === 'off' ? value.value : Number(value.value)) }).toEqual({
						label: knob.label,
						value: knob.default === 'on' || knob.default === 'off' ? knob.default : Number(knob.default),
					});
				}
				// Upscale on: Upscale Steps is offered, with its default.
				await page.getByTestId('parameter-input-upscale').locator('.el-switch, [role="switch"]').first().click();
				expect(await editor.collectionChoices(page, 'Add model setting')).toEqual(['Upscale Steps']);
				await page.keyboard.press('Escape');
				await editor.addToCollection(page, 'Add model setting', 'Upscale Steps');
				const upscaleSteps = (await editor.visibleParameters(page, 'modelSettings')).find((p) => p.label === 'Upscale Steps');
				expect(Number(upscaleSteps.value)).toBe(Number(knobs.find((k) => k.label === 'Upscale Steps').default));
				await shot(page.getByTestId('ndv'), 'model-settings');

				// Options: every option of the README's table is offered.
				const options = tableUnder('### Options').map((row) => row.label);
				expect([...(await editor.collectionChoices(page, 'Add option'))].sort()).toEqual([...options].sort());
				await page.keyboard.press('Escape');

				// Sticker Format Custom shows its fields with the README's defaults, after a notice that says what it costs.
				await editor.choose(page, 'stickerFormat', 'Custom');
				const custom = await editor.visibleParameters(page);
				// Quality shows once Compression is Lossy.
				for (const row of readme.filter((r) => stickerRows.includes(r.label) && r.label !== 'Quality')) {
					expect({ label: row.label, value: custom.find((p) => p.label === row.label)?.value }).toEqual({ label: row.label, value: shownDefault(row.default) });
				}
				expect(custom.map((p) => p.label)).not.toContain('Quality');
				await editor.choose(page, 'stickerCompression', 'Lossy');
				const quality = (await editor.visibleParameters(page)).find((p) => p.label === 'Quality');
				expect(quality?.value).toBe(shownDefault(readme.find((r) => r.label === 'Quality').default));
				await editor.choose(page, 'stickerCompression', 'Lossless');
				expect(await page.getByTestId('node-parameters').innerText()).toContain('Background Removal V2 (about 1 s and $0.001 more)');
				await shot(page.getByTestId('ndv'), 'sticker-format');
				// A preset needs only the outline.
				await editor.choose(page, 'stickerFormat', 'Telegram Sticker');
				const preset = (await editor.visibleParameters(page)).map((p) => p.label);
				expect(preset).toEqual(expect.arrayContaining(['Sticker Format', 'Outline Width (Px)', 'Outline Color']));
				expect(preset).not.toContain('Max File Size (KB)');

				// Image Source URL hides Input Binary Field and shows Image URL.
				await editor.choose(page, 'imageSource', 'URL');
				const urlNames = (await editor.visibleParameters(page)).map((p) => p.label);
				expect(urlNames).toContain('Image URL');
				expect(urlNames).not.toContain('Input Binary Field');

				// Get Result: the Request ID, and only the options that apply to a finished job.
				await editor.choose(page, 'operation', 'Get Result');
				const getResult = await editor.visibleParameters(page);
				// Telegram Sticker is still chosen: its notice (a field without a label) and the outline apply to Get Result too.
				expect(getResult.map((p) => p.label)).toEqual(['Operation', 'Request ID', 'Sticker Format', '', 'Outline Width (Px)', 'Outline Color', 'Options']);
				const resultOptions = await editor.collectionChoices(page, 'Add option');
				expect(resultOptions).not.toContain('Photo Upload');
				expect(resultOptions).not.toContain('Mode');
				expect(resultOptions).toContain('Background');
				await page.keyboard.press('Escape');
			}));
		}

		test('3. credential: a good key saves with "Connection tested successfully"; a wrong key fails with the README\'s message', withPage(async (page) => {
			// A new workflow: the credential made here must not replace the one other scenarios run with.
			await addFaceToSticker(page);
			await page.getByTestId('node-credentials-select').click();
			await page.getByTestId('node-credentials-select-item-new').click();
			const modal = page.getByTestId('editCredential-modal');
			await modal.waitFor();
			expect(await modal.innerText()).toContain('Segmind API');
			await modal.getByTestId('parameter-input-apiKey').locator('input').fill(emulator.apiKey);
			await modal.getByTestId('parameter-input-baseUrl').locator('input').fill(emulator.baseUrl);
			await modal.getByTestId('credential-save-button').click();
			// n8n 2.x closes the dialog after a passing test; reopen it to read the result, as a user would.
			await eventually(async () => ((await modal.isVisible()) ? modal.innerText({ timeout: 1000 }) : 'closed'), (t) => t === 'closed' || t.includes('Connection tested successfully') || t.includes('Couldn’t connect'), { what: 'the credential test' });
			if (!(await modal.isVisible())) await page.getByTestId('credential-edit-button').click();
			await eventually(() => modal.innerText(), (t) => t.includes('Connection tested successfully'), { what: 'the good key\'s test' });
			await shot(modal, 'credential');

			// n8n 1.x recognises only Segmind's exactly documented 401 bodies (README, Known limitations): there the
			// wrong key is answered with the documented invalid_api_key envelope.
			if (major === 1) emulator.configure({ invalidKeyBody: 'envelope' });
			await modal.getByTestId('parameter-input-apiKey').locator('input').fill('SG_wrong0key0ui00');
			await modal.getByTestId('credential-save-button').click();
			await eventually(() => modal.innerText(), (t) => /Couldn.t connect with these settings/.test(t), { what: 'the failed test' });
			const details = modal.getByText('More details');
			if (await details.isVisible()) await details.click();
			const text = await eventually(() => modal.innerText(), (t) => t.includes(rejectedKeyMessage()), { what: 'the wrong key\'s message' });
			expect(text).toMatch(/Couldn.t connect with these settings/);
			expect(text).not.toContain('Connection tested successfully');
			await shot(modal, 'credential-wrong-key');
			emulator.configure({ invalidKeyBody: 'message' });
			const keyChecks = emulator.requests.filter((r) => r.path === '/v1/get-user-credits');
			expect(keyChecks.length).toBeGreaterThanOrEqual(2);
			expect(emulator.summary().billedSubmits).toBe(0);
		}));

		test('4. a run from the editor: Execute workflow, the output panel shows the binary sticker, its preview shows the image, the JSON view shows seed, requestId and cost', withPage(async (page) => {
			await editor.openWorkflow(page, 'uiPhotoToSticker');
			await page.getByTestId('execute-workflow-button').click();
			await editor.openNodeWhenRun(page, 'Face to Sticker');
			const output = page.getByTestId('output-panel');
			const generated = [...emulator.outputs.entries()];
			expect(generated).toHaveLength(1);
			const [requestId, sticker] = generated[0];
			await eventually(() => output.innerText(), (t) => t.includes('sticker.jpg') && t.includes('image/jpeg'), { what: 'the binary card' });
			await output.getByTestId('ndv-view-binary-data').first().click();
			const preview = output.locator('img[src*="binary-data"], img[src^="data:image"]').first(); // 1.x keeps small binaries in memory: a data: URL
			const image = await eventually(
				() => preview.evaluate(async (img) => {
					const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
					const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
					return { width: img.naturalWidth, height: img.naturalHeight, visible: img.getBoundingClientRect().width > 100, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') };
				}),
				(v) => v.width > 0 && v.visible,
				{ what: 'the sticker preview' },
			);
			expect(image).toEqual({ width: 512, height: 512, visible: true, sha256: crypto.createHash('sha256').update(sticker).digest('hex') });
			await shot(page.getByTestId('ndv'), 'output-sticker');

			const record = await editor.readJsonView(page);
			expect(record[0]).toEqual(expect.objectContaining({ requestId, seed: expect.any(Number), cost: 0.0866, status: 'COMPLETED' }));
			await shot(page.getByTestId('ndv'), 'output-json');
		}));

		if (onlyLatest) {
			test('5. an error as the user sees it: Width 1001 from an expression names Width and the allowed values; with On Error "Continue (using error output)" the item goes to the error branch', withPage(async (page) => {
				await editor.openWorkflow(page, 'uiWidthExpression');
				await page.getByTestId('execute-workflow-button').click();
				await editor.openNodeWhenRun(page, 'Face to Sticker');
				const output = page.getByTestId('output-panel');
				const message = await eventually(() => output.innerText(), (t) => t.includes('"Width"'), { what: 'the error' });
				expect(message).toContain('"Width" must be a multiple of 8 from 256 to 2048, got 1001');
				expect(message).toContain('Try 1000 or 1008.');
				await shot(page.getByTestId('ndv'), 'error');
				expect(emulator.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

				await page.getByTestId('tab-settings').click();
				await editor.choose(page, 'onError', 'Continue (using error output)');
				await page.getByTestId('tab-params').click();
				await editor.closeNode(page);
				await page.getByTestId('execute-workflow-button').click();
				const node = page.getByTestId('canvas-node').filter({ hasText: 'Face to Sticker' });
				const handles = await eventually(
					() => node.getByTestId('canvas-node-output-handle').allInnerTexts(),
					(texts) => texts.some((t) => /Error\s+1 item/.test(t)),
					{ what: 'the error branch on the canvas' },
				);
				expect(handles.find((t) => t.startsWith('Success'))).toBe('Success');
				await shot(page.getByTestId('canvas-wrapper'), 'error-branch');
				await editor.openNode(page, 'Face to Sticker');
				const branch = await eventually(() => output.innerText(), (t) => t.includes('Error Branch') && t.includes('"Width"'), { what: 'the error branch in the output panel' });
				expect(branch).toContain('Error Branch (1 item)');
				expect(branch).toContain('"Width" must be a multiple of 8 from 256 to 2048, got 1001');
			}));

			test('8. a Telegram sticker from the editor: the output panel shows sticker.webp, and Chromium decodes its preview as a 512 px sticker with transparent corners', withPage(async (page) => {
				await editor.openWorkflow(page, 'uiTelegramSticker');
				await page.getByTestId('execute-workflow-button').click();
				await editor.openNodeWhenRun(page, 'Face to Sticker');
				const output = page.getByTestId('output-panel');
				await eventually(() => output.innerText(), (t) => t.includes('sticker.webp') && t.includes('image/webp'), { what: 'the binary card' });
				await output.getByTestId('ndv-view-binary-data').first().click();
				const preview = output.locator('img[src*="binary-data"], img[src^="data:image"]').first();
				// The browser is the oracle here: it decodes our WebP and draws it; the corner and the centre are read back.
				const image = await eventually(
					() => preview.evaluate(async (img) => {
						const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
						const canvas = document.createElement('canvas');
						canvas.width = img.naturalWidth;
						canvas.height = img.naturalHeight;
						const context = canvas.getContext('2d');
						context.drawImage(img, 0, 0);
						const pixel = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data);
						const riff = String.fromCharCode(...bytes.slice(0, 4)) + String.fromCharCode(...bytes.slice(8, 16));
						return { riff, width: img.naturalWidth, height: img.naturalHeight, corner: pixel(0, 0)[3], centre: pixel(img.naturalWidth >> 1, img.naturalHeight >> 1)[3], visible: img.getBoundingClientRect().width > 100 };
					}),
					(v) => v.width > 0 && v.visible,
					{ what: 'the sticker preview' },
				);
				expect(Math.max(image.width, image.height)).toBe(512);
				expect(image).toEqual(expect.objectContaining({ riff: 'RIFFWEBPVP8L', corner: 0, centre: 255, visible: true }));
				await shot(page.getByTestId('ndv'), 'output-telegram-sticker');
				const record = await editor.readJsonView(page);
				expect(record[0]).toEqual(expect.objectContaining({ stickerFormat: 'telegram', width: image.width, height: image.height, outlineWidth: 8, mimeType: 'image/webp' }));
			}));

			test('6. dark theme: the node\'s dark icon is the one loaded, and it stands out from the dark canvas', withPage(async (page) => {
				await editor.openWorkflow(page, 'uiPhotoToSticker');
				expect(await page.evaluate(() => document.body.dataset.theme === 'dark')).toBe(true);
				const node = page.getByTestId('canvas-node').filter({ hasText: 'Face to Sticker' });
				const icon = node.locator('img').first();
				await eventually(() => icon.evaluate((img) => img.complete && img.naturalWidth > 0), Boolean, { what: 'the dark icon' });
				expect(await icon.getAttribute('src')).toMatch(/faceToSticker\.dark\.svg$/);
				expect(await node.innerText()).toContain('Create sticker'); // the subtitle under the node's name
				const telegram = await editor.openWorkflow(page, 'uiTelegramSticker').then(() => page.getByTestId('canvas-node').filter({ hasText: 'Face to Sticker' }).innerText());
				expect(telegram).toContain('Create sticker for Telegram');
				await editor.openWorkflow(page, 'uiPhotoToSticker');
				// Visible: within the node's box, the icon's pixels differ clearly from the node's own background.
				const box = await node.getByTestId('canvas-default-node').screenshot();
				const iconBox = await icon.boundingBox();
				const nodeBox = await node.getByTestId('canvas-default-node').boundingBox();
				const contrast = iconContrast(box, { x: Math.round(iconBox.x - nodeBox.x), y: Math.round(iconBox.y - nodeBox.y), width: Math.round(iconBox.width), height: Math.round(iconBox.height) });
				expect(contrast.backgroundLuminance).toBeLessThan(90); // the dark theme's node
				expect(contrast.share).toBeGreaterThan(0.2);
				await shot(page.getByTestId('canvas-wrapper'), 'dark-theme');
			}, { colorScheme: 'dark', theme: 'dark' }));

			test('7. AI Agent: Face to Sticker as a tool; the agent\'s answer carries the sticker\'s imageUrl, and the model was sent the JSON record, not the image', withPage(async (page) => {
				await editor.openWorkflow(page, 'uiAgentTool');
				await page.getByTestId('execute-workflow-button').click();
				await editor.waitForRun(page);
				await shot(page.getByTestId('canvas-wrapper'), 'ai-agent-workflow');
				await editor.openNode(page, 'AI Agent');
				const generated = [...emulator.outputs.keys()];
				expect(generated).toHaveLength(1);
				const answer = await eventually(() => page.getByTestId('output-panel').innerText(), (t) => t.includes('Here is your sticker'), { what: 'the agent\'s answer' });
				const imageUrl = `${emulator.origins.images}/outputs/${generated[0]}.jpg`;
				expect(answer).toContain(`Here is your sticker: ${imageUrl}`);
				await shot(page.getByTestId('ndv'), 'ai-agent');

				const results = openAi.toolResults();
				expect(results).toHaveLength(1);
				const content = String(results[0].content);
				process.stdout.write(`[ui] the tool result sent to the model: ${content.length} characters\n`);
				expect(content.length).toBeLessThan(2000);
				expect(content).not.toMatch(/[A-Za-z0-9+/]{200,}/);
				expect(content).not.toContain('data:image');
				const record = [].concat(JSON.parse(content))[0];
				expect(record).toEqual(expect.objectContaining({ requestId: generated[0], imageUrl, seed: expect.any(Number), cost: 0.0866, photoRoute: 'url' }));
				const call = emulator.requests.find((r) => r.method === 'POST' && r.path.includes('face-to-sticker'));
				expect(call.body.image).toBe(`${emulator.origins.images}${FACE_URL_PATH}`);
			}));

			describePackScenarios(() => ({ editor, emulator }), withPage, shot);
		}
	});
}

module.exports = { describeEditor };
