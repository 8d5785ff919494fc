'use strict';
// Lossy WebP (VP8X + ALPH + VP8) read by a real browser: Chromium decodes the stickers our encoder writes for
// WhatsApp and for Custom lossy at several qualities, from real photographs cut out as stickers, and draws them on
// a canvas. Its pixels must be the ones the finish reports (what dwebp decodes): alpha exactly, colour within 2
// levels where opaque (the browser's own YUV conversion may round differently from dwebp's).

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { launchChromium } = require('./browser');
const { photoCutoutPng } = require('../helpers/cutouts');

const ROOT = path.resolve(__dirname, '..', '..');
const IMAGE = path.join(ROOT, 'dist', 'nodes', 'FaceToSticker', 'image');

describe('Chromium reads our lossy WebP stickers', () => {
	let browser;
	let image;

	beforeAll(async () => {
		if (!process.env.E2E_SKIP_BUILD) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
		image = {
			...require(path.join(IMAGE, 'sticker')),
			...require(path.join(IMAGE, 'targets')),
			...require(path.join(IMAGE, 'slices')),
		};
		browser = await launchChromium();
	}, 300_000);

	afterAll(async () => {
		if (browser) await browser.close();
	});

	/** Chromium's decode of `bytes`: { width, height, data } (straight RGBA from a 2-D canvas). */
	async function chromiumDecode(bytes) {
		const page = await browser.newPage();
		try {
			return await page.evaluate(async (base64) => {
				const img = new Image();
				img.src = `data:image/webp;base64,${base64}`;
				await img.decode();
				const canvas = document.createElement('canvas');
				canvas.width = img.naturalWidth;
				canvas.height = img.naturalHeight;
				const context = canvas.getContext('2d', { colorSpace: 'srgb' });
				context.drawImage(img, 0, 0);
				return { width: img.naturalWidth, height: img.naturalHeight, data: Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data) };
			}, Buffer.from(bytes).toString('base64'));
		} finally {
			await page.close();
		}
	}

	const CASES = [
		['astronaut', 'WhatsApp (best quality within 100 KB)', (t) => t.whatsapp],
		['chelsea', 'WhatsApp (best quality within 100 KB)', (t) => t.whatsapp],
		['coffee', 'Custom lossy, quality 30', (t) => ({ ...t.whatsapp, maxBytes: null, compression: { mode: 'lossy', quality: 30 } })],
		['camera', 'Custom lossy, quality 75', (t) => ({ ...t.whatsapp, maxBytes: null, compression: { mode: 'lossy', quality: 75 } })],
	];

	test.each(CASES)('%s, %s: Chromium decodes the VP8X + ALPH + VP8 file to the finish\'s pixels (alpha exact, colour within 2)', async (photo, _, target) => {
		const cutout = new Uint8Array(fs.readFileSync(photoCutoutPng(photo)));
		const sticker = image.runToEnd(image.finishSticker(cutout, target(image.STICKER_TARGETS)));
		expect(sticker.compression).toBe('lossy');
		expect(Buffer.from(sticker.bytes).toString('latin1', 12, 16)).toBe('VP8X');
		const seen = await chromiumDecode(sticker.bytes);
		expect([seen.width, seen.height]).toEqual([sticker.width, sticker.height]);
		let alphaOff = 0;
		let colourOff = 0;
		for (let i = 0; i < seen.data.length; i += 4) {
			if (seen.data[i + 3] !== sticker.pixels.data[i + 3]) alphaOff++;
			if (seen.data[i + 3] === 255) {
				for (let c = 0; c < 3; c++) colourOff = Math.max(colourOff, Math.abs(seen.data[i + c] - sticker.pixels.data[i + c]));
			}
		}
		expect(alphaOff).toBe(0);
		expect(colourOff).toBeLessThanOrEqual(2);
	});
});
