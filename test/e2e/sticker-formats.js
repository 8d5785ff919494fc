'use strict';
// Sticker Format in real n8n: one execution turns faces into a Telegram, a WhatsApp (lossy), a Signal, a Discord
// and a Slack sticker (the format is an expression per item), a Custom palette PNG and a Custom lossy WebP, both with
// a magenta outline.
// Every file is decoded by an oracle this project did not write (dwebp, ImageMagick), and must meet its
// messenger's published rules: type, dimensions, byte size, transparent background, the outline there.

const { N8nInstance, VERSIONS } = require('./n8n-harness');
const { chain, code, makeFaces, sticker, CREDENTIALS, READ_TRANSPARENT } = require('./workflows');
const { SegmindEmulator } = require('../emulator/segmind-emulator');
const { encodeBlockJpeg } = require('../emulator/jpeg');
const { decodeWithOracle, ensureOracles } = require('../helpers/oracles');

const KB = 1024;
/** The table of issue 15 ("as published"), with what the node adds: 8 px outline, transparent corners. */
const RULES = {
	telegram: { type: 'webp', mimeType: 'image/webp', exactLongerSide: 512, maxBytes: 512 * KB },
	// WhatsApp: lossy WebP (VP8X + ALPH + VP8) at the best quality within 100 KB.
	whatsapp: { type: 'webp', mimeType: 'image/webp', width: 512, height: 512, maxBytes: 100 * KB, lossy: true },
	signal: { type: 'webp', mimeType: 'image/webp', width: 512, height: 512, maxBytes: 300 * KB },
	discord: { type: 'png', mimeType: 'image/png', width: 320, height: 320, maxBytes: 512 * KB },
	slack: { type: 'png', mimeType: 'image/png', width: 128, height: 128, maxBytes: 128 * KB },
	// Custom: 4 KB is under what this sticker takes losslessly, so it must come out as a palette PNG.
	custom: { type: 'png', mimeType: 'image/png', width: 300, height: 200, maxBytes: 4 * KB, palette: true },
	// Custom, WebP, Compression Lossy at Quality 60 within 40 KB.
	customLossy: { type: 'webp', mimeType: 'image/webp', width: 300, height: 200, maxBytes: 40 * KB, lossy: true, stickerFormat: 'custom' },
};
const isCustom = (format) => format.startsWith('custom');
const MAGENTA = [255, 0, 255];

function workflow(faceBase64) {
	const formats = Object.keys(RULES).map((format) => ({ format }));
	return chain('e2eStickerFormats', [
		makeFaces(faceBase64, formats),
		sticker({
			width: 512,
			height: 512,
			prompt: '={{ "a " + $json.format + " sticker" }}',
			stickerFormat: '={{ $json.format === "customLossy" ? "custom" : $json.format }}',
			stickerWidth: 300,
			stickerHeight: 200,
			stickerLayout: 'canvas',
			stickerEncoding: '={{ $json.format === "customLossy" ? "webp" : "png" }}',
			stickerCompression: 'lossy',
			stickerQuality: 60,
			stickerMaxKilobytes: '={{ $json.format === "customLossy" ? 40 : 4 }}',
			outlineColor: '={{ $json.format.startsWith("custom") ? "#ff00ff" : "#ffffff" }}',
			options: { pollInterval: 0.2, concurrency: 7 },
		}),
		code('Read transparent', READ_TRANSPARENT, 600),
	]);
}

/** The chunk names of a RIFF/WEBP file, in order. */
function webpChunks(file) {
	const names = [];
	for (let at = 12; at + 8 <= file.length; at += 8 + file.readUInt32LE(at + 4) + (file.readUInt32LE(at + 4) & 1)) names.push(file.toString('latin1', at, at + 4));
	return names;
}

/** Pixels of an RGBA image: at(x, y) -> [r, g, b, a]. */
const pixelsOf = (image) => (x, y) => Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));

/** The first visible pixel (alpha > 0) met walking from (x, y) in steps (dx, dy). */
function firstVisible(image, x, y, dx, dy) {
	while (x >= 0 && y >= 0 && x < image.width && y < image.height) {
		if (image.data[(y * image.width + x) * 4 + 3] > 0) return [x, y];
		x += dx;
		y += dy;
	}
	throw new Error('no visible pixel on that line');
}

function describeStickerFormats(major) {
	describe(`${VERSIONS[major].label}: Sticker Format, a sticker a messenger takes as it is`, () => {
		let emulator;
		let n8n;
		let outputs;
		let records;

		beforeAll(async () => {
			ensureOracles();
			emulator = await new SegmindEmulator({ latencyMs: 600 }).start();
			n8n = new N8nInstance(major, { name: 'stickers' });
			await n8n.importCredentials([
				{ ...CREDENTIALS.good, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, uploadUrl: emulator.origins.upload } },
			]);
			const face = encodeBlockJpeg(64, 64, (x, y) => ((x + y) % 2 ? [230, 180, 150] : [90, 60, 40]));
			await n8n.importWorkflows([workflow(face.toString('base64'))]);
			const result = await n8n.execute('e2eStickerFormats');
			if (result.code !== 0 || !result.runData) throw new Error(`the sticker workflow failed:\n${result.stdout.slice(-2000)}\n${result.log.slice(-3000)}`);
			const runData = result.runData.data.resultData.runData;
			records = runData['Face to Sticker'][0].data.main[0].map((item) => item.json);
			outputs = runData['Read transparent'][0].data.main[0].map((item) => item.json);
		});

		afterAll(async () => {
			if (emulator) await emulator.stop();
		});

		test.each(Object.keys(RULES))('%s: the file type, dimensions and byte size meet the messenger\'s rules, and the record says what was made', (format) => {
			const index = Object.keys(RULES).indexOf(format);
			const rule = RULES[format];
			const record = records[index];
			const read = outputs[index];
			expect(read.error).toBeNull();
			expect(read.mimeType).toBe(rule.mimeType);
			expect(read.fileName).toBe(`sticker.${rule.type}`);
			const file = Buffer.from(read.data, 'base64');
			const image = decodeWithOracle(file);
			expect(image.format).toBe(rule.type);
			if (rule.exactLongerSide) {
				expect(Math.max(image.width, image.height)).toBe(rule.exactLongerSide);
				expect(Math.min(image.width, image.height)).toBeLessThanOrEqual(rule.exactLongerSide);
			} else {
				expect([image.width, image.height]).toEqual([rule.width, rule.height]);
			}
			expect(file.length).toBeLessThanOrEqual(rule.maxBytes);
			// A lossy sticker is VP8X + ALPH + VP8 (the alpha kept exact); the others are lossless VP8L or PNG.
			if (rule.type === 'webp') expect(webpChunks(file)).toEqual(rule.lossy ? ['VP8X', 'ALPH', 'VP8 '] : ['VP8L']);
			expect(record).toEqual(
				expect.objectContaining({
					stickerFormat: rule.stickerFormat ?? format,
					compression: rule.lossy ? 'lossy' : rule.palette ? 'palette' : 'lossless',
					width: image.width,
					height: image.height,
					outlineWidth: 8,
					palette: rule.palette === true,
					fileSize: file.length,
					mimeType: rule.mimeType,
					backgroundRemoved: true,
				}),
			);
			console.log(`[${VERSIONS[major].label}] ${format}: ${image.width} x ${image.height} ${rule.type}, ${file.length} bytes (limit ${rule.maxBytes}), palette ${record.paletteColors ?? 'none'}, finished in ${record.finishTime} s`);
		});

		test.each(Object.keys(RULES))('%s: the alpha is kept (transparent corners) and an opaque outline runs just outside the sticker\'s edge', (format) => {
			const index = Object.keys(RULES).indexOf(format);
			const image = decodeWithOracle(Buffer.from(outputs[index].data, 'base64'));
			const at = pixelsOf(image);
			for (const [x, y] of [[0, 0], [image.width - 1, 0], [0, image.height - 1], [image.width - 1, image.height - 1]]) expect(at(x, y)[3]).toBe(0);
			const colour = isCustom(format) ? MAGENTA : [255, 255, 255];
			// Lossy: the outline's colour within 10 levels (VP8 codes colour in 4:2:0 YUV), its alpha exactly opaque.
			const outlineAt = (x, y) => (RULES[format].lossy ? [...at(x, y).slice(0, 3).map((v, c) => (Math.abs(v - colour[c]) <= 10 ? colour[c] : v)), at(x, y)[3]] : at(x, y));
			// Walking in from each side along the middle row and column, the first visible pixel starts the outline:
			// 3 px further in it is opaque and in the outline's colour (its outer pixel is anti-aliased), then comes
			// the sticker itself.
			const midX = Math.floor(image.width / 2);
			const midY = Math.floor(image.height / 2);
			const walks = [[0, midY, 1, 0], [image.width - 1, midY, -1, 0], [midX, 0, 0, 1], [midX, image.height - 1, 0, -1]];
			for (const [x, y, dx, dy] of walks) {
				const [ex, ey] = firstVisible(image, x, y, dx, dy);
				expect(outlineAt(ex + 3 * dx, ey + 3 * dy)).toEqual([...colour, 255]);
			}
			const inside = at(midX, midY);
			expect(inside[3]).toBe(255);
			expect(inside.slice(0, 3)).not.toEqual(colour);
		});

		test('every sticker was generated and cut out once: one billed submit and one billed background removal each', () => {
			expect(emulator.summary()).toEqual(expect.objectContaining({ billedSubmits: 7, billedBgRemovals: 7 }));
		});
	});
}

module.exports = { describeStickerFormats };
