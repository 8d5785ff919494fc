import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { IndexedImage, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { encodeWebpLossless } from '../../../nodes/FaceToSticker/image/webp/encode';
import { blockResiduals, predictorTransform, PREDICTOR_MODES } from '../../../nodes/FaceToSticker/image/webp/predictor';
import { image } from '../../helpers/pixels';
import { prng } from '../../helpers/random';
import { Decoded, decodeWebp, inversePredictor } from '../../helpers/vp8lDecoder';

// Every encoder path checked by a VP8L decoder written from RFC 9649 (test/helpers/vp8lDecoder.ts), without
// the dwebp oracle.

/** The image's pixels as ARGB words, as the decoder gives them. */
function argbOf(input: RgbaImage): Uint32Array {
	const out = new Uint32Array(input.width * input.height);
	for (let i = 0; i < out.length; i++) {
		const d = input.data;
		out[i] = ((d[4 * i + 3] << 24) | (d[4 * i] << 16) | (d[4 * i + 1] << 8) | d[4 * i + 2]) >>> 0;
	}
	return out;
}

/** Smooth gradients with a little noise and a transparent surround whose RGB is kept. */
function photoLike(width: number, height: number, seed = 3): RgbaImage {
	const random = prng(seed);
	return image(width, height, (x, y) => {
		const n = () => Math.floor(random() * 6);
		const inside = Math.hypot(x - width / 2, y - height / 2) < Math.min(width, height) * 0.4;
		return [(x * 3 + n()) & 255, (y * 2 + 40 + n()) & 255, (x + y + n()) & 255, inside ? 255 : (x * y) & 7];
	});
}

function expectRoundTrip(input: RgbaImage | IndexedImage): Decoded {
	const file = runToEnd(encodeWebpLossless(input));
	const decoded = decodeWebp(file);
	let expected: Uint32Array;
	if ('indices' in input) {
		const palette = argbOf({ width: input.palette.length / 4, height: 1, data: input.palette });
		expected = Uint32Array.from(input.indices, (i) => palette[i]);
	} else {
		expected = argbOf(input);
	}
	expect(decoded.width).toBe(input.width);
	expect(decoded.height).toBe(input.height);
	expect(decoded.pixels).toEqual(expected);
	return decoded;
}

function indexed(width: number, height: number, colours: number, seed: number): IndexedImage {
	const random = prng(seed);
	const palette = new Uint8Array(colours * 4);
	for (let i = 0; i < palette.length; i++) palette[i] = Math.floor(random() * 256);
	const indices = new Uint8Array(width * height);
	// Runs of indices, so copies and the cache get used too.
	for (let i = 0; i < indices.length; i++) indices[i] = random() < 0.7 && i > 0 ? indices[i - 1] : Math.floor(random() * colours);
	return { width, height, palette, indices };
}

describe('encodeWebpLossless round trip through a decoder written from RFC 9649', () => {
	it('keeps a 1×1 image', () => {
		expectRoundTrip(image(1, 1, () => [10, 20, 30, 255]));
	});

	it('keeps an odd-sized 37×19 gradient, whose width is no multiple of the predictor block', () => {
		expectRoundTrip(image(37, 19, (x, y) => [x * 5, y * 9, x + y, 255]));
	});

	it('keeps a flat colour image', () => {
		expectRoundTrip(image(40, 30, () => [200, 100, 50, 255]));
	});

	it('keeps an all-transparent image with non-zero RGB under alpha 0', () => {
		const d = expectRoundTrip(image(20, 20, (x, y) => [x * 9, y * 7, 3, 0]));
		expect(d.alphaHint).toBe(1);
	});

	it('keeps random noise, where LZ77 finds nothing', () => {
		const random = prng(11);
		expectRoundTrip(image(48, 40, () => [0, 0, 0, 0].map(() => Math.floor(random() * 256))));
	});

	it('keeps a photo-like image through subtract green and the predictor', () => {
		const d = expectRoundTrip(photoLike(96, 80));
		expect(d.transforms).toEqual([2, 0]);
	});

	it('keeps an image whose colours recur out of order, coded with a colour cache', () => {
		const random = prng(7);
		const colours = Array.from({ length: 40 }, () => [0, 0, 0].map(() => Math.floor(random() * 256)).concat(255));
		const d = expectRoundTrip(
			image(64, 64, (x, y) => (random() < 0.5 ? colours[Math.floor(random() * 40)] : [x * 4, y * 4, x ^ y, 255])),
		);
		expect(d.mainCacheBits).toBeGreaterThan(0);
	});

	it('keeps a wide image (distances beyond the 2D short codes)', () => {
		const random = prng(5);
		const tile = Array.from({ length: 300 }, () => [0, 0, 0, 0].map(() => Math.floor(random() * 256)));
		expectRoundTrip(image(300, 6, (x) => tile[x]));
	});

	it.each([2, 3, 4, 11, 16, 17, 200, 256])('keeps an indexed image of %i colours (colour indexing, bundling)', (n) => {
		const d = expectRoundTrip(indexed(29, 13, n, n));
		expect(d.transforms).toEqual([3]);
	});

	it('keeps a one-colour indexed image', () => {
		expectRoundTrip({ width: 9, height: 5, palette: new Uint8Array([1, 2, 3, 0]), indices: new Uint8Array(45) });
	});

	it('uses the palette for an RGBA image of few colours when that is smaller', () => {
		const colours = [[255, 0, 0, 255], [0, 0, 255, 255], [9, 9, 9, 0]];
		const d = expectRoundTrip(image(64, 64, (x, y) => colours[((x >> 3) + (y >> 2)) % 3]));
		expect(d.transforms).toEqual([3]);
	});

	it('says alpha is unused for an opaque image', () => {
		expect(expectRoundTrip(image(5, 5, () => [1, 2, 3, 255])).alphaHint).toBe(0);
	});
});

describe('predictor transform inverted by the spec predictors', () => {
	const pixels = argbOf(photoLike(45, 23, 9));

	it.each(Array.from({ length: PREDICTOR_MODES }, (_, m) => m))('inverts mode %i used for every block', (mode) => {
		const bits = 2;
		const modesWidth = Math.ceil(45 / 4);
		const modes = new Uint32Array(modesWidth * Math.ceil(23 / 4)).fill((0xff000000 | (mode << 8)) >>> 0);
		const residuals = new Uint32Array(pixels.length);
		for (let by = 0; by < Math.ceil(23 / 4); by++) {
			for (let bx = 0; bx < modesWidth; bx++) blockResiduals(pixels, 45, 23, bits, bx, by, mode, residuals);
		}
		inversePredictor(residuals, 45, 23, bits, modes);
		expect(residuals).toEqual(pixels);
	});

	it('inverts the modes it chooses itself, block size 8, and the choice varies over the image', () => {
		const result = runToEnd(predictorTransform(pixels, 45, 23, 3));
		expect(result.modesWidth).toBe(6);
		expect(new Set(Array.from(result.modes, (m) => (m >> 8) & 0xff)).size).toBeGreaterThan(1);
		const back = Uint32Array.from(result.residuals);
		inversePredictor(back, 45, 23, 3, result.modes);
		expect(back).toEqual(pixels);
	});
});
