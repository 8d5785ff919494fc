'use strict';
// Scenario 9 (n8n 2.x): Create Sticker Pack as a no-code user meets it. The fields it shows for each messenger
// (against the README's pack table), then a Telegram pack run from the editor whose preview sheet Chromium decodes.

const path = require('path');

const { eventually } = require('./editor');
const { tableUnder, shownDefault } = require('./readme');

const ROOT = path.resolve(__dirname, '..', '..');
const PACK_TABLE = '### Sticker packs (Create Sticker Pack)';
/** The README rows that only one messenger shows. */
const ONLY_FOR = { 'Bot Username': 'telegram', 'Sticker Set Name': 'telegram', Publisher: 'whatsapp', 'Pack Identifier': 'whatsapp', Author: 'signal' };
const PACK_FOR = { telegram: 'Telegram Sticker Set', whatsapp: 'WhatsApp Sticker Pack', signal: 'Signal Sticker Pack' };

/** The README's pack rows a messenger's pack shows, in the README's order. */
const rowsFor = (messenger) => tableUnder(PACK_TABLE).filter((row) => !ONLY_FOR[row.label] || ONLY_FOR[row.label] === messenger);

/** The README's Expressions default, "8: happy 😄, laughing 😂, …", as [{ word, emoji }]. */
function readmeExpressions() {
	const cell = tableUnder(PACK_TABLE).find((row) => row.label === 'Expressions').default;
	const [count, list] = cell.split(/:\s*/);
	const pairs = list.split(/,\s*/).map((entry) => {
		const match = entry.match(/^(.+?)\s+(\S+)$/u);
		return { word: match[1], emoji: match[2] };
	});
	if (pairs.length !== Number(count)) throw new Error(`README's Expressions default lists ${pairs.length} pairs but says ${count}`);
	return pairs;
}

/** The rows of the Expressions list the editor shows: [{ expression, emoji }] from each entry's two inputs. */
function shownExpressions(page) {
	return page.getByTestId('fixed-collection-expressions').evaluate((root) =>
		[...root.querySelectorAll('[data-draggable]')].map((entry) => {
			const value = (name) => entry.querySelector(`[data-test-id="parameter-input-${name}"] input, [data-test-id="parameter-input-${name}"] textarea`)?.value;
			return { expression: value('expression'), emoji: value('emoji') };
		}),
	);
}

/** The pack's labels among the fields shown, in the editor's order. */
async function packLabels(editor, page) {
	const readme = tableUnder(PACK_TABLE).map((row) => row.label);
	return (await editor.visibleParameters(page)).map((p) => p.label).filter((label) => readme.includes(label));
}

/** Chromium decodes the preview sheet: size, shown size, its corner and the centre of every cell, read back. */
function decodedSheet(image, layout) {
	return image.evaluate(async (img, { columns, rows, cell, gap }) => {
		await img.decode();
		const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
		const canvas = document.createElement('canvas');
		canvas.width = img.naturalWidth;
		canvas.height = img.naturalHeight;
		const context = canvas.getContext('2d');
		context.drawImage(img, 0, 0);
		const all = context.getImageData(0, 0, canvas.width, canvas.height).data;
		let transparent = 0;
		for (let i = 3; i < all.length; i += 4) if (all[i] !== 255) transparent++;
		const pixel = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data);
		const centres = [];
		for (let row = 0; row < rows; row++) {
			for (let column = 0; column < columns; column++) {
				centres.push(pixel(gap + column * (cell + gap) + (cell >> 1), gap + row * (cell + gap) + (cell >> 1)));
			}
		}
		return {
			signature: Array.from(bytes.slice(0, 8)),
			width: img.naturalWidth,
			height: img.naturalHeight,
			shownWidth: Math.round(img.getBoundingClientRect().width),
			transparent,
			gapPixel: pixel(gap >> 1, gap >> 1),
			centres,
		};
	}, layout);
}

/**
 * The parameters panel from its tabs down to Outline Color, Pack Title at the top: a window tall enough for the
 * whole list, and a clip of the panel (the empty input and output panels beside it show nothing).
 */
async function packFieldsPicture(page) {
	await page.setViewportSize({ width: 1280, height: 2200 });
	const parameters = page.getByTestId('node-parameters');
	await parameters.locator('label[for="packTitle"]').evaluate((label) => label.scrollIntoView({ block: 'start' }));
	const panel = await parameters.locator('xpath=..').boundingBox();
	const last = await parameters.locator('label[for="outlineColor"]').locator('xpath=ancestor::*[@data-test-id="parameter-item"][1]').boundingBox();
	const clip = { x: panel.x, y: panel.y, width: panel.width, height: Math.min(panel.height, last.y + last.height + 16 - panel.y) };
	return { screenshot: (options) => page.screenshot({ ...options, clip }) };
}

/**
 * The pack's own fields at the top of the JSON view (messenger … elapsedTime). n8n renders only the lines in view
 * of a long record, so the JSON is read up to "stickers", the first field that is a list of records.
 */
async function packFieldsOfJsonView(page) {
	const output = page.getByTestId('output-panel');
	await output.getByTestId('radio-button-json').click();
	return eventually(
		async () => {
			const text = (await output.innerText()).replace(/\s*\n\s*/g, ' ');
			const head = text.slice(text.indexOf('{'), text.indexOf('"stickers":')).replace(/,\s*$/, '');
			return JSON.parse(`${head}}`);
		},
		(value) => typeof value.messenger === 'string',
		{ what: 'the pack in the JSON view' },
	);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const differs = (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) > 60;

/**
 * Registers scenario 9 inside describeEditor (2.x). `session()` gives the running { editor, emulator };
 * `withPage` and `shot` are describeEditor's.
 */
function describePackScenarios(session, withPage, shot) {
	test('9. pack fields: Create Sticker Pack shows the README\'s pack fields in order with their defaults and the 8 default expressions with their emoji; Telegram shows Bot Username and Sticker Set Name, WhatsApp Publisher and Pack Identifier, Signal Author', withPage(async (page) => {
		const { editor } = session();
		await editor.addNode(page, 'sticker', 'Face to Sticker', 'Create sticker pack from a face photo');
		const shown = await editor.visibleParameters(page);
		expect(shown.find((p) => p.name === 'operation').value).toBe('Create Sticker Pack');
		// A pack is always cut out and finished to its messenger: no Sticker Format, no Request ID.
		expect(shown.map((p) => p.label)).not.toContain('Sticker Format');
		expect(shown.map((p) => p.label)).not.toContain('Request ID');
		expect(shown.map((p) => p.label)).toEqual(expect.arrayContaining(['Input Binary Field', 'Prompt', 'Negative Prompt', 'Options']));

		const telegram = rowsFor('telegram');
		expect(await packLabels(editor, page)).toEqual(telegram.map((row) => row.label));
		for (const row of telegram.filter((r) => r.label !== 'Expressions')) {
			expect({ label: row.label, value: shown.find((p) => p.label === row.label).value }).toEqual({ label: row.label, value: shownDefault(row.default) });
		}
		const expressions = await shownExpressions(page);
		const readme = readmeExpressions();
		expect(expressions).toHaveLength(readme.length);
		// The README names each expression by its first word ("in love" for "in love, heart eyes").
		expect(expressions.map((e, i) => ({ starts: e.expression.startsWith(readme[i].word), emoji: e.emoji }))).toEqual(readme.map((r) => ({ starts: true, emoji: r.emoji })));
		process.stdout.write(`[ui] default expressions: ${expressions.map((e) => `${e.expression} ${e.emoji}`).join('; ')}\n`);

		// The pack's own fields, from Pack Title to Outline Color, in one picture.
		await shot(await packFieldsPicture(page), 'pack-fields');

		for (const messenger of ['whatsapp', 'signal', 'telegram']) {
			await editor.choose(page, 'packFor', PACK_FOR[messenger]);
			expect({ messenger, labels: await packLabels(editor, page) }).toEqual({ messenger, labels: rowsFor(messenger).map((row) => row.label) });
		}
	}));

	test('9. a Telegram pack from the editor: the output panel shows sticker_01 … sticker_08, icon and preview; Chromium decodes the preview as an opaque PNG of the sheet layout\'s size for 8 stickers; the canvas reads "Create sticker pack for Telegram"', withPage(async (page) => {
		const { editor, emulator } = session();
		// Built by the harness before n8n started: the same sheetLayout the node ran.
		const { sheetLayout } = require(path.join(ROOT, 'dist', 'nodes', 'FaceToSticker', 'image', 'ops', 'sheet.js'));
		const layout = sheetLayout(8);
		expect(layout.width).toBeGreaterThan(layout.height);

		await editor.openWorkflow(page, 'uiTelegramPack');
		const node = page.getByTestId('canvas-node').filter({ hasText: 'Face to Sticker' });
		expect(await node.innerText()).toContain('Create sticker pack for Telegram'); // the subtitle under the node's name
		await page.getByTestId('execute-workflow-button').click();
		await editor.openNodeWhenRun(page, 'Face to Sticker');
		expect(emulator.outputs.size).toBe(8);

		const output = page.getByTestId('output-panel');
		const cards = output.locator('[data-test-id^="ndv-binary-data_"]');
		const names = await eventually(
			async () => (await cards.allInnerTexts()).map((text) => text.split('\n')[0].trim()),
			(list) => list.includes('preview'),
			{ what: 'the preview card' },
		);
		expect(names).toEqual(['sticker_01', 'sticker_02', 'sticker_03', 'sticker_04', 'sticker_05', 'sticker_06', 'sticker_07', 'sticker_08', 'icon', 'preview']);
		const previewCard = cards.filter({ hasText: /^preview/ });
		expect(await previewCard.innerText()).toContain('image/png');

		// Make the output panel wide, as a user would to look at the sheet: drag the parameters panel to the left.
		const handle = await page.getByTestId('panel-drag-button').boundingBox();
		await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
		await page.mouse.down();
		await page.mouse.move(handle.x - 400, handle.y + handle.height / 2, { steps: 20 });
		await page.mouse.up();
		await previewCard.getByTestId('ndv-view-binary-data').click();
		const image = output.locator('img[src*="binary-data"], img[src^="data:image"]').first();
		const sheet = await eventually(() => decodedSheet(image, layout), (v) => v.width > 0 && v.shownWidth > 0, { what: 'the preview sheet' });
		process.stdout.write(`[ui] preview sheet: ${sheet.width} x ${sheet.height}, shown ${sheet.shownWidth} px wide\n`);
		expect(sheet.signature).toEqual(PNG_SIGNATURE);
		expect({ width: sheet.width, height: sheet.height }).toEqual({ width: layout.width, height: layout.height });
		expect(sheet.transparent).toBe(0); // opaque: the sheet is a picture to look at, stickers on a checker
		expect(sheet.shownWidth).toBeGreaterThanOrEqual(600); // large enough to see the stickers
		// Every cell holds a sticker: its centre (the face) is not the gap's colour.
		expect(sheet.centres.filter((centre) => differs(centre, sheet.gapPixel))).toHaveLength(8);
		await eventually(() => page.locator('.el-notification').count(), (count) => count === 0, { what: 'the toast closing', timeoutMs: 10_000 }).catch(() => undefined);
		await shot(page.getByTestId('ndv'), 'output-pack-preview');

		const pack = await packFieldsOfJsonView(page);
		expect(pack).toEqual(expect.objectContaining({ messenger: 'telegram', name: 'My_Stickers_by_demo_sticker_bot', link: 'https://t.me/addstickers/My_Stickers_by_demo_sticker_bot', stickerCount: 8, requested: 8, missing: [] }));
	}));
}

module.exports = { describePackScenarios };
