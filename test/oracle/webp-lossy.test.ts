import { execFileSync } from 'child_process';
import * as fs from 'fs';

import { runToEnd } from '../../nodes/FaceToSticker/image/slices';
import { finishSticker } from '../../nodes/FaceToSticker/image/sticker';
import { STICKER_TARGETS } from '../../nodes/FaceToSticker/image/targets';
import type { RgbaImage } from '../../nodes/FaceToSticker/image/types';
import { yuvToRgba } from '../../nodes/FaceToSticker/image/vp8/toRgba';
import { encodePrepared, encodeWebpLossyWithin, prepareLossy } from '../../nodes/FaceToSticker/image/webp/lossy';
import type { LossyEncoding } from '../../nodes/FaceToSticker/image/webp/lossy';
import { image } from '../helpers/pixels';
import { prng } from '../helpers/random';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decodeWithOracle, ensureOracles, pillowRgba, tempFolder } = require('../helpers/oracles');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { photoCutoutPng, SKIMAGE_DATA, ensureSkimage } = require('../helpers/cutouts');

// Our lossy WebP files against libwebp, which this project did not write. The key check: the encoder's own
// reconstruction (Y, U and V after the loop filter) equals what dwebp decodes (dwebp -yuv), sample for
// sample, for fixed-seed random images and real photographs at qualities from 5 to 100: any difference is
// a bug in the encoder (a prediction edge, a token context, the filter). Then the alpha dwebp gives equals
// the input's, the RGBA we report equals dwebp's, webpinfo finds no problem, ImageMagick and Pillow read it.

const { webpinfo, dwebp, convert } = ensureOracles();
ensureSkimage();
const inTemp = tempFolder('webp-lossy-oracle-');
const QUALITIES = [5, 30, 60, 90, 100];
let serial = 0;

/** Our planes cropped to the picture, in dwebp -yuv's layout: Y, then U, then V. */
function ourYuv(encoding: LossyEncoding, width: number, height: number): Buffer {
	const { planes, frame } = encoding;
	const cw = (width + 1) >> 1, ch = (height + 1) >> 1;
	const out = Buffer.alloc(width * height + 2 * cw * ch);
	for (let y = 0; y < height; y++) out.set(frame.y.subarray(y * planes.yStride, y * planes.yStride + width), y * width);
	for (let y = 0; y < ch; y++) {
		out.set(frame.u.subarray(y * planes.uvStride, y * planes.uvStride + cw), width * height + y * cw);
		out.set(frame.v.subarray(y * planes.uvStride, y * planes.uvStride + cw), width * height + cw * ch + y * cw);
	}
	return out;
}

function firstDifference(a: Buffer, b: Buffer, width: number, height: number): string {
	let i = 0;
	while (a[i] === b[i]) i++;
	const plane = i < width * height ? 'Y' : i < width * height + ((width + 1) >> 1) * ((height + 1) >> 1) ? 'U' : 'V';
	return `first difference at byte ${i} (${plane} plane): dwebp ${a[i]}, ours ${b[i]}`;
}

/** Encodes at each quality and checks the file with every oracle; returns the sizes. */
function checkAll(input: RgbaImage, qualities: number[], readers = true): number[] {
	const prepared = runToEnd(prepareLossy(input));
	const sizes: number[] = [];
	for (const quality of qualities) {
		const encoding = runToEnd(encodePrepared(prepared, quality));
		const file = inTemp(`ours-${serial++}.webp`);
		fs.writeFileSync(file, encoding.bytes);
		const info = execFileSync(webpinfo, [file]).toString();
		expect(info).toContain('No error detected');
		expect(info).toContain('Format: Lossy');
		const opaque = input.data.every((v, i) => (i & 3) !== 3 || v === 255);
		expect(info).toContain(`Alpha: ${opaque ? 0 : 1}`);
		// The key test: the decoder's YUV equals the encoder's reconstruction.
		execFileSync(dwebp, ['-yuv', file, '-o', `${file}.yuv`], { stdio: 'ignore' });
		const yuva = fs.readFileSync(`${file}.yuv`);
		const ours = ourYuv(encoding, input.width, input.height);
		// With alpha, dwebp appends the alpha plane (YUVA); it is checked below with the RGBA output.
		const decoded = yuva.subarray(0, ours.length);
		expect(yuva.length).toBe(opaque ? ours.length : ours.length + input.width * input.height);
		if (!decoded.equals(ours)) throw new Error(`quality ${quality}: ${firstDifference(decoded, ours, input.width, input.height)}`);
		// Alpha exact, and the RGBA we report (upsampled as libwebp does) equal to dwebp's.
		const rgba = decodeWithOracle(encoding.bytes);
		expect([rgba.width, rgba.height]).toEqual([input.width, input.height]);
		const alpha = new Uint8Array(input.width * input.height);
		for (let i = 0; i < alpha.length; i++) {
			alpha[i] = input.data[i * 4 + 3];
			if (rgba.data[i * 4 + 3] !== alpha[i]) throw new Error(`quality ${quality}: alpha of pixel ${i} is ${rgba.data[i * 4 + 3]}, not ${alpha[i]}`);
		}
		const reported = runToEnd(yuvToRgba({ ...encoding.planes, y: encoding.frame.y, u: encoding.frame.u, v: encoding.frame.v }, input.width, input.height, opaque ? null : alpha));
		expect(Buffer.from(reported.data).equals(Buffer.from(rgba.data))).toBe(true);
		if (readers) {
			// ImageMagick and Pillow read the file to the same size (both decode through libwebp).
			const size = execFileSync(convert, [file, '-format', '%w %h', 'info:']).toString().trim();
			expect(size).toBe(`${input.width} ${input.height}`);
			const pillow = pillowRgba(file, { verify: true });
			expect(pillow.length).toBe(input.width * input.height * 4);
			for (let i = 3; i < pillow.length; i += 4) if (pillow[i] !== rgba.data[i]) throw new Error(`Pillow's alpha differs at pixel ${i >> 2}`);
		}
		sizes.push(encoding.bytes.length);
	}
	return sizes;
}

/** A photograph cut out and finished as the WhatsApp sticker's lossless pixels (512 × 512). */
function finishedPhoto(name: string): RgbaImage {
	const target = { ...STICKER_TARGETS.whatsapp, maxBytes: null, compression: { mode: 'lossless' as const } };
	return runToEnd(finishSticker(new Uint8Array(fs.readFileSync(photoCutoutPng(name))), target)).pixels;
}

/** A photograph as it is (opaque), read by ImageMagick. */
function photo(file: string): RgbaImage {
	return decodeWithOracle(execFileSync(convert, [`${SKIMAGE_DATA}/${file}`, 'PNG32:-'], { maxBuffer: 1 << 26 }));
}

describe('lossy WebP: the encoder reconstructs exactly what dwebp decodes', () => {
	const random = prng(2121);
	const noise = (w: number, h: number, alpha: (x: number, y: number) => number) =>
		image(w, h, (x, y) => [Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256), alpha(x, y)]);
	const smooth = (w: number, h: number) =>
		image(w, h, (x, y) => [(x * 255) / w, (y * 255) / h, 128 + 100 * Math.sin((x + y) / 7), x + y < 20 ? 0 : 255].map(Math.round));

	it.each(QUALITIES)('random noise, 48 × 32, opaque, at quality %i', (q) => {
		checkAll(noise(48, 32, () => 255), [q], q === 60);
	});

	it('random noise with random alpha, odd sizes (1 × 1, 17 × 9, 33 × 31) at every quality', () => {
		for (const [w, h] of [[1, 1], [17, 9], [33, 31]]) checkAll(noise(w, h, () => Math.floor(random() * 256)), QUALITIES, false);
	});

	it('smooth gradients with a transparent corner, 100 × 75, at every quality', () => {
		checkAll(smooth(100, 75), QUALITIES);
	});

	it('blocks of flat colour and sharp edges (skips, the loop filter), 64 × 64, at every quality', () => {
		checkAll(image(64, 64, (x, y) => ((x >> 3) + (y >> 4)) % 3 === 0 ? [250, 250, 250, 255] : [20, (x * 4) & 255, 90, y < 40 ? 255 : 0]), QUALITIES);
	});

	it.each(['astronaut', 'chelsea'])('the %s cut-out finished as a 512 × 512 sticker, at every quality', (name) => {
		const sizes = checkAll(finishedPhoto(name), QUALITIES);
		// Higher quality, more bytes.
		for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]);
	});

	it.each(['camera', 'coffee'])('the %s cut-out finished as a sticker, at qualities 20 and 80', (name) => {
		checkAll(finishedPhoto(name), [20, 80], false);
	});

	it('opaque photographs (coffee 600 × 400, rocket 427 × 640) write plain VP8, at qualities 10 and 75', () => {
		checkAll(photo('coffee.png'), [10, 75], false);
		checkAll(photo('rocket.jpg'), [10, 75], false);
	});
});

describe('lossy WebP within a byte limit', () => {
	it('finds the highest quality that fits 12 KB for the chelsea sticker: one quality more does not fit', () => {
		const input = finishedPhoto('chelsea');
		const found = runToEnd(encodeWebpLossyWithin(input, 12 * 1024));
		expect(found).not.toBeNull();
		expect(found!.bytes.length).toBeLessThanOrEqual(12 * 1024);
		expect(found!.quality).toBeLessThan(100);
		const prepared = runToEnd(prepareLossy(input));
		expect(runToEnd(encodePrepared(prepared, found!.quality + 1)).bytes.length).toBeGreaterThan(12 * 1024);
		expect(decodeWithOracle(found!.bytes).width).toBe(512);
	});

	it('gives null when even quality 1 does not fit', () => {
		expect(runToEnd(encodeWebpLossyWithin(finishedPhoto('chelsea'), 500))).toBeNull();
	});
});
