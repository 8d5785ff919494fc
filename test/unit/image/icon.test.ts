import { packIcon } from '../../../nodes/FaceToSticker/image/ops/icon';
import { decodePng } from '../../../nodes/FaceToSticker/image/png/decode';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { expectImageFormatError, sliceGaps } from '../../helpers/imageChecks';
import { image } from '../../helpers/pixels';
import { prng } from '../../helpers/random';
import { decodeWebp } from '../../helpers/vp8lDecoder';

const KB = 1024;

/** A 512 × 512 sticker: a `w` × `h` block of seeded noise (opaque, soft alpha at its edge) on transparency. */
function sticker(w: number, h: number, seed = 1): RgbaImage {
	const next = prng(seed);
	const [x0, y0] = [Math.floor((512 - w) / 2) + 37, Math.floor((512 - h) / 2) - 21];
	return image(512, 512, (x, y) => {
		const inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
		if (!inside) return [0, 0, 0, 0];
		const edge = x === x0 || y === y0 || x === x0 + w - 1 || y === y0 + h - 1;
		return [Math.floor(next() * 256), Math.floor(next() * 256), Math.floor(next() * 256), edge ? 128 : 255];
	});
}

function alphaBox(img: RgbaImage): [number, number, number, number] {
	let [x0, y0, x1, y1] = [img.width, img.height, -1, -1];
	for (let y = 0; y < img.height; y++) {
		for (let x = 0; x < img.width; x++) {
			if (img.data[(y * img.width + x) * 4 + 3] === 0) continue;
			[x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
		}
	}
	return [x0, y0, x1, y1];
}

function webpRgba(bytes: Uint8Array): RgbaImage {
	const { width, height, pixels } = decodeWebp(bytes);
	const data = new Uint8Array(width * height * 4);
	pixels.forEach((argb, i) => data.set([(argb >>> 16) & 255, (argb >>> 8) & 255, argb & 255, argb >>> 24], i * 4));
	return { width, height, data };
}

function distinctColours(img: RgbaImage): number {
	const seen = new Set<number>();
	const view = new DataView(img.data.buffer, img.data.byteOffset, img.data.length);
	for (let i = 0; i < img.data.length; i += 4) seen.add(view.getUint32(i));
	return seen.size;
}

describe('packIcon', () => {
	it("makes WhatsApp's tray icon: a 96 × 96 PNG under 50 KB whose file holds the pixels it reports", () => {
		const icon = runToEnd(packIcon(sticker(300, 300), 96, 'png', 50 * KB));
		expect([icon.width, icon.height, icon.paletteColors]).toEqual([96, 96, null]);
		expect(icon.bytes.length).toBeLessThanOrEqual(50 * KB);
		const decoded = runToEnd(decodePng(icon.bytes));
		expect([decoded.width, decoded.height]).toEqual([96, 96]);
		expect(Buffer.from(decoded.data).equals(Buffer.from(icon.pixels.data))).toBe(true);
	});

	it("makes Telegram's thumbnail: a 100 × 100 WebP under 128 KB whose file holds the pixels it reports", () => {
		const icon = runToEnd(packIcon(sticker(300, 300), 100, 'webp', 128 * KB));
		expect([icon.width, icon.height, icon.paletteColors]).toEqual([100, 100, null]);
		expect(icon.bytes.length).toBeLessThanOrEqual(128 * KB);
		const decoded = webpRgba(icon.bytes);
		expect([decoded.width, decoded.height]).toEqual([100, 100]);
		expect(Buffer.from(decoded.data).equals(Buffer.from(icon.pixels.data))).toBe(true);
	});

	it('trims the transparent margin so a small sticker fills the icon edge to edge', () => {
		// 120 × 120 visible pixels of a 512 canvas: untrimmed they would cover 23 of 100 px.
		const icon = runToEnd(packIcon(sticker(120, 120), 100, 'png', 128 * KB));
		expect(alphaBox(icon.pixels)).toEqual([0, 0, 99, 99]);
	});

	it('fits a wide sticker to the full width and centres it vertically on transparency', () => {
		const icon = runToEnd(packIcon(sticker(400, 200), 96, 'png', 50 * KB));
		// 400 × 200 -> 96 × 48, 24 px of transparency above and below.
		expect(alphaBox(icon.pixels)).toEqual([0, 24, 95, 71]);
		expect(Array.from(icon.pixels.data.subarray(0, 4))).toEqual([0, 0, 0, 0]);
	});

	it('keeps a sticker already as small as the icon at its own pixels (no resampling)', () => {
		const small = image(10, 6, (x, y) => [x * 20, y * 30, 7, 255]);
		const icon = runToEnd(packIcon(small, 10, 'png', 50 * KB));
		expect(alphaBox(icon.pixels)).toEqual([0, 2, 9, 7]);
		expect(Array.from(icon.pixels.data.subarray((2 * 10 + 3) * 4, (2 * 10 + 3) * 4 + 4))).toEqual([60, 0, 7, 255]);
	});

	it('falls back to the largest palette whose file fits when the lossless file is over the limit', () => {
		const lossless = runToEnd(packIcon(sticker(300, 300), 96, 'png', 50 * KB));
		const icon = runToEnd(packIcon(sticker(300, 300), 96, 'png', lossless.bytes.length - 1));
		expect(icon.paletteColors).toBe(256);
		expect(icon.bytes.length).toBeLessThan(lossless.bytes.length);
		expect(distinctColours(icon.pixels)).toBeLessThanOrEqual(256);
		const decoded = runToEnd(decodePng(icon.bytes));
		expect(Buffer.from(decoded.data).equals(Buffer.from(icon.pixels.data))).toBe(true);
	});

	it('steps down to a smaller palette when the 256-colour file is one byte over the limit', () => {
		const lossless = runToEnd(packIcon(sticker(300, 300), 96, 'png', 50 * KB));
		const full = runToEnd(packIcon(sticker(300, 300), 96, 'png', lossless.bytes.length - 1));
		const icon = runToEnd(packIcon(sticker(300, 300), 96, 'png', full.bytes.length - 1));
		expect(icon.paletteColors).toBe(128);
		expect(icon.bytes.length).toBeLessThanOrEqual(full.bytes.length - 1);
		expect(distinctColours(icon.pixels)).toBeLessThanOrEqual(128);
	});

	it('quantises a WebP icon the same way', () => {
		const lossless = runToEnd(packIcon(sticker(300, 300), 100, 'webp', 128 * KB));
		const icon = runToEnd(packIcon(sticker(300, 300), 100, 'webp', Math.floor(lossless.bytes.length / 2)));
		expect(icon.paletteColors).not.toBeNull();
		expect(Buffer.from(webpRgba(icon.bytes).data).equals(Buffer.from(icon.pixels.data))).toBe(true);
	});

	it('refuses a limit that even 2 colours cannot meet, saying how small the smallest file was', () => {
		expectImageFormatError(
			() => runToEnd(packIcon(sticker(300, 300), 96, 'png', 60)),
			/^The pack icon cannot be made small enough: with 2 colours its PNG file is \d+ bytes, over the limit of 60$/,
		);
	});

	it('refuses a fully transparent sticker', () => {
		expectImageFormatError(
			() => runToEnd(packIcon(image(8, 8, () => [255, 255, 255, 0]), 96, 'png', 50 * KB)),
			'The sticker for the pack icon is fully transparent: there is nothing to make an icon of',
		);
	});

	it.each([
		[0, 50 * KB, "The pack icon's size is 0: use a whole number of pixels from 1 to 1024"],
		[96.5, 50 * KB, "The pack icon's size is 96.5: use a whole number of pixels from 1 to 1024"],
		[2048, 50 * KB, "The pack icon's size is 2048: use a whole number of pixels from 1 to 1024"],
		[96, 0, "The pack icon's byte limit is 0: it must be above 0"],
		[96, Number.NaN, "The pack icon's byte limit is NaN: it must be above 0"],
	])('refuses size %p with byte limit %p', (size, maxBytes, message) => {
		expectImageFormatError(() => runToEnd(packIcon(sticker(10, 10), size, 'png', maxBytes)), message);
	});

	it('yields between short slices from a 512 × 512 sticker to the WebP thumbnail', () => {
		const { slices, longest } = sliceGaps(() => packIcon(sticker(480, 480), 100, 'webp', 128 * KB));
		expect(slices).toBeGreaterThan(5);
		// Ground rule: no stretch over ~10 ms; jest (ts-jest, shared CPU) gets a margin.
		expect(longest).toBeLessThan(25);
	});
});
