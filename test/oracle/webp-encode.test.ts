import { execFileSync } from 'child_process';
import * as fs from 'fs';

import { runToEnd } from '../../nodes/FaceToSticker/image/slices';
import type { IndexedImage, RgbaImage } from '../../nodes/FaceToSticker/image/types';
import { encodeWebpLossless } from '../../nodes/FaceToSticker/image/webp/encode';
import { image, rgbaOf } from '../helpers/pixels';
import { prng } from '../helpers/random';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decodeWithOracle, ensureOracles, tempFolder } = require('../helpers/oracles');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cutoutPng, cutoutRgba } = require('../helpers/stickerFixture');

// Our lossless WebP files, decoded by libwebp's dwebp (to PAM, whose RGBA follows the header) and checked by
// webpinfo; sizes compared with cwebp -lossless (defaults: -q 75 -m 4) given the same pixels, with -exact so
// that it too keeps RGB under alpha 0.

const { cwebp, webpinfo, convert } = ensureOracles();
const MAX_RATIO = 1.25;
const inTemp = tempFolder('webp-encode-oracle-');
let serial = 0;

/** Encodes, then has dwebp decode and webpinfo check the file; returns our file's size. */
function encodeAndCheck(input: RgbaImage | IndexedImage): number {
	const file = inTemp(`ours-${serial++}.webp`);
	const webp = runToEnd(encodeWebpLossless(input));
	fs.writeFileSync(file, webp);
	const info = execFileSync(webpinfo, [file]).toString();
	expect(info).toContain('Format: Lossless');
	expect(info).toContain('No error detected');
	const decoded = decodeWithOracle(webp);
	expect([decoded.width, decoded.height]).toEqual([input.width, input.height]);
	const body = Buffer.from(decoded.data);
	const expected = Buffer.from(rgbaOf(input));
	expect(body.length).toBe(expected.length);
	// Compare as a whole first (fast), then name the first differing pixel when they differ.
	if (!body.equals(expected)) {
		let i = 0;
		while (body[i] === expected[i]) i++;
		throw new Error(`pixel ${i >> 2} differs: dwebp gives ${body.subarray(i & ~3, (i & ~3) + 4).join(',')}`);
	}
	return fs.statSync(file).size;
}

function cwebpSize(png: string): number {
	const out = inTemp(`ref-${serial++}.webp`);
	execFileSync(cwebp, ['-lossless', '-exact', '-quiet', png, '-o', out]);
	return fs.statSync(out).size;
}

/** The cut-out reduced by ImageMagick to `colours` colours (no dither): its PNG and an IndexedImage of it. */
function quantisedCutout(size: number, colours: number): { png: string; indexed: IndexedImage } {
	const png = inTemp(`cutout-${size}-${colours}.png`);
	execFileSync(convert, [cutoutPng(size), '+dither', '-colors', String(colours), `PNG32:${png}`]);
	const rgba: Uint8Array = decodeWithOracle(fs.readFileSync(png)).data;
	const words = new Uint32Array(rgba.buffer.slice(rgba.byteOffset, rgba.byteOffset + rgba.length));
	const slots = new Map<number, number>();
	const indices = new Uint8Array(words.length);
	words.forEach((w, i) => {
		let slot = slots.get(w);
		if (slot === undefined) slots.set(w, (slot = slots.size));
		indices[i] = slot;
	});
	const palette = new Uint8Array(new Uint32Array(Array.from(slots.keys())).buffer);
	return { png, indexed: { width: size, height: size, palette, indices } };
}

describe('encodeWebpLossless against libwebp', () => {
	it('writes a 1×1 image dwebp decodes exactly', () => {
		encodeAndCheck(image(1, 1, () => [12, 34, 56, 78]));
	});

	it('writes an odd-sized 37×19 image', () => {
		encodeAndCheck(image(37, 19, (x, y) => [x * 7, y * 13, (x * y) & 255, 255 - x]));
	});

	it('writes a flat colour image', () => {
		encodeAndCheck(image(64, 48, () => [10, 200, 30, 255]));
	});

	it('writes random noise (LZ77 finds nothing)', () => {
		const random = prng(17);
		encodeAndCheck(image(200, 150, () => [0, 0, 0, 0].map(() => Math.floor(random() * 256))));
	});

	it('keeps non-zero RGB under alpha 0', () => {
		encodeAndCheck(image(50, 40, (x, y) => [x * 5, y * 6, 77, x < 25 ? 0 : 255]));
	});

	it.each([2, 4, 16, 256])('writes an IndexedImage with %i colours (colour indexing, bundling)', (n) => {
		const random = prng(n);
		const palette = Uint8Array.from({ length: n * 4 }, () => Math.floor(random() * 256));
		const indices = new Uint8Array(61 * 33);
		for (let i = 0; i < indices.length; i++) indices[i] = random() < 0.6 && i > 0 ? indices[i - 1] : Math.floor(random() * n);
		encodeAndCheck({ width: 61, height: 33, palette, indices });
	});

	it.each([512, 1024])(`writes the %i² cut-out within ${MAX_RATIO} × the size of cwebp -lossless`, (size) => {
		const ours = encodeAndCheck(cutoutRgba(size));
		const reference = cwebpSize(cutoutPng(size));
		expect(ours / reference).toBeLessThanOrEqual(MAX_RATIO);
	});

	it.each([512, 1024])(`writes the %i² cut-out in 256 colours, indexed, within ${MAX_RATIO} × cwebp`, (size) => {
		const { png, indexed } = quantisedCutout(size, 256);
		expect(indexed.palette.length / 4).toBeGreaterThan(200);
		const ours = encodeAndCheck(indexed);
		expect(ours / cwebpSize(png)).toBeLessThanOrEqual(MAX_RATIO);
	});
});
