import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError } from '../../../nodes/FaceToSticker/image/types';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { COEFF_UPDATE_PROBS, DEFAULT_COEFF_PROBS } from '../../../nodes/FaceToSticker/image/vp8/coeffProbs';
import { encodeVp8 } from '../../../nodes/FaceToSticker/image/vp8/encode';
import { qualityToIndex } from '../../../nodes/FaceToSticker/image/vp8/quant';
import { KF_BMODE_PROBS } from '../../../nodes/FaceToSticker/image/vp8/tables';
import { rgbaToYuv } from '../../../nodes/FaceToSticker/image/vp8/yuv';
import {
	encodeAlphaChunk,
	encodePrepared,
	encodeWebpLossy,
	encodeWebpLossyWithin,
	encodeWebpLossyWithinDetailed,
	filterAlpha,
	prepareLossy,
} from '../../../nodes/FaceToSticker/image/webp/lossy';
import { image } from '../../helpers/pixels';
import { prng } from '../../helpers/random';
import { parseVp8, readAllTokens } from '../../helpers/vp8Parser';

// The lossy WebP file's structure (RFC 9649: RIFF, VP8X, ALPH, VP8) and the VP8 key frame's syntax read back
// by the test parser (RFC 6386). That libwebp decodes the files to our reconstruction is the oracle test's.

const text = (file: Uint8Array, offset: number) => String.fromCharCode(...file.subarray(offset, offset + 4));
const u32 = (file: Uint8Array, offset: number) => new DataView(file.buffer, file.byteOffset).getUint32(offset, true);
const u24 = (file: Uint8Array, offset: number) => file[offset] | (file[offset + 1] << 8) | (file[offset + 2] << 16);

function chunks(file: Uint8Array): Array<{ fourcc: string; payload: Uint8Array }> {
	expect(text(file, 0)).toBe('RIFF');
	expect(text(file, 8)).toBe('WEBP');
	expect(u32(file, 4)).toBe(file.length - 8);
	const out = [];
	for (let offset = 12; offset < file.length; ) {
		const size = u32(file, offset + 4);
		out.push({ fourcc: text(file, offset), payload: file.subarray(offset + 8, offset + 8 + size) });
		offset += 8 + size + (size & 1);
		if (size & 1) expect(file[offset - 1]).toBe(0);
	}
	return out;
}

const random = prng(9649);
const photoLike = (w: number, h: number, alpha: (x: number, y: number) => number): RgbaImage =>
	image(w, h, (x, y) => [
		Math.round(128 + 90 * Math.sin(x / 5) + 30 * random()),
		Math.round(128 + 90 * Math.cos(y / 7) + 30 * random()),
		Math.round((x * y) % 256),
		alpha(x, y),
	].map((v) => Math.max(0, Math.min(255, v))));

describe('lossy WebP container', () => {
	it('writes an opaque image as RIFF/WEBP with one VP8 chunk', () => {
		const file = runToEnd(encodeWebpLossy(photoLike(40, 24, () => 255), 70));
		const list = chunks(file);
		expect(list.map((c) => c.fourcc)).toEqual(['VP8 ']);
		const parsed = parseVp8(list[0].payload, DEFAULT_COEFF_PROBS, COEFF_UPDATE_PROBS, KF_BMODE_PROBS);
		expect([parsed.header.width, parsed.header.height]).toEqual([40, 24]);
	});

	it('writes VP8X (alpha flag, canvas size), ALPH (lossless, a filter) and VP8 for an image with alpha', () => {
		const file = runToEnd(encodeWebpLossy(photoLike(70, 33, (x, y) => (x + y < 30 ? 0 : x > 60 ? 128 : 255)), 50));
		const list = chunks(file);
		expect(list.map((c) => c.fourcc)).toEqual(['VP8X', 'ALPH', 'VP8 ']);
		const vp8x = list[0].payload;
		expect(vp8x.length).toBe(10);
		expect(vp8x[0]).toBe(0x10);
		expect([u24(vp8x, 4) + 1, u24(vp8x, 7) + 1]).toEqual([70, 33]);
		const alphHeader = list[1].payload[0];
		expect(alphHeader & 3).toBe(1);
		expect(alphHeader >> 4).toBe(0);
	});

	it('filters the alpha plane so that each method undoes exactly (RFC 9649 prediction)', () => {
		const w = 23, h = 11;
		const alpha = Uint8Array.from({ length: w * h }, () => Math.floor(random() * 256));
		for (let method = 0; method < 4; method++) {
			const filtered = filterAlpha(alpha, w, h, method);
			const back = new Uint8Array(w * h);
			for (let y = 0; y < h; y++) {
				for (let x = 0; x < w; x++) {
					const i = y * w + x;
					let pred = 0;
					if (method > 0 && !(x === 0 && y === 0)) {
						if (y === 0) pred = back[i - 1];
						else if (x === 0) pred = back[i - w];
						else if (method === 1) pred = back[i - 1];
						else if (method === 2) pred = back[i - w];
						else pred = Math.min(255, Math.max(0, back[i - 1] + back[i - w] - back[i - w - 1]));
					}
					back[i] = (filtered[i] + pred) & 0xff;
				}
			}
			expect(Array.from(back)).toEqual(Array.from(alpha));
		}
	});

	it('keeps the alpha filter that gives the smallest chunk: a vertical ramp prefers a predicting filter', () => {
		const ramp = image(64, 64, (x, y) => [0, 0, 0, (y * 4 + (x % 3)) & 255]);
		const chosen = runToEnd(encodeAlphaChunk(ramp));
		expect(chosen.filter).toBeGreaterThan(0);
		expect(chosen.payload[0] >> 2).toBe(chosen.filter);
	});

	it('codes a noisy alpha plane (over 64 values after filtering) too, keeping the smaller of palette and predictor', () => {
		const noisy = image(48, 40, () => [0, 0, 0, Math.floor(random() * 256)]);
		const chosen = runToEnd(encodeAlphaChunk(noisy));
		expect(chosen.payload[0] & 3).toBe(1);
		expect(chosen.payload.length).toBeGreaterThan(48 * 40 * 0.8);
	});

	it.each([0, 101, Number.NaN])('refuses quality %p', (quality) => {
		expect(() => runToEnd(encodeWebpLossy(photoLike(8, 8, () => 255), quality))).toThrow(ImageFormatError);
		expect(() => runToEnd(encodeWebpLossy(photoLike(8, 8, () => 255), quality))).toThrow('quality must be a number from 1 to 100');
	});

	it('refuses sizes VP8 cannot hold and pixel data of the wrong length', () => {
		expect(() => runToEnd(encodeWebpLossy({ width: 0, height: 5, data: new Uint8Array(0) }, 50))).toThrow('1 to 16383 pixels');
		expect(() => runToEnd(encodeWebpLossy({ width: 16384, height: 1, data: new Uint8Array(16384 * 4) }, 50))).toThrow(ImageFormatError);
		expect(() => runToEnd(encodeWebpLossy({ width: 4, height: 4, data: new Uint8Array(10) }, 50))).toThrow('10 bytes of RGBA for 16 pixels');
	});
});

describe('VP8 key frame syntax', () => {
	const input = photoLike(83, 45, (x) => (x < 6 ? 0 : 255));

	it.each([5, 40, 75, 100])('at quality %i: a key frame header a decoder reads, modes and tokens to the end', (quality) => {
		const prepared = runToEnd(prepareLossy(input));
		const encoding = runToEnd(encodePrepared(prepared, quality));
		const parsed = parseVp8(encoding.frame.bitstream, DEFAULT_COEFF_PROBS, COEFF_UPDATE_PROBS, KF_BMODE_PROBS);
		const { header } = parsed;
		expect(header).toMatchObject({
			keyFrame: true,
			version: 0,
			show: true,
			startCode: [0x9d, 0x01, 0x2a],
			width: 83,
			height: 45,
			colourSpace: 0,
			clamping: 0,
			segmentation: 0,
			simpleFilter: 0,
			filterLevel: encoding.frame.filterLevel,
			sharpness: 0,
			filterDeltas: 0,
			partitionsLog2: 0,
			quantIndex: qualityToIndex(quality),
			quantDeltas: [0, 0, 0, 0, 0],
		});
		expect(parsed.macroblocks.length).toBe(6 * 3);
		expect(parsed.firstPartitionRead).toBeLessThanOrEqual(header.firstPartitionSize + 2);
		const tokens = readAllTokens(parsed);
		expect(tokens.bytesRead).toBeLessThanOrEqual(parsed.tokens.length + 2);
		// A skipped macroblock has no levels; one that is not skipped has some (or is 16 × 16 with Y2).
		parsed.macroblocks.forEach((mb, i) => {
			if (mb.skip) expect(tokens.blocks[i]).toBeNull();
			for (const mode of mb.subModes) expect(mode).toBeLessThan(10);
		});
	});

	it('uses 4 × 4 sub-block modes on detail and 16 × 16 modes on flat areas', () => {
		const flat = image(64, 32, (x) => (x < 32 ? [200, 100, 50, 255] : [50, 100, 200, 255]));
		const noisy = image(32, 32, () => [0, 0, 0].map(() => Math.floor(random() * 256)).concat(255));
		const modes = (img: RgbaImage) =>
			parseVp8(runToEnd(encodeVp8(runToEnd(rgbaToYuv(img)), 30)).bitstream, DEFAULT_COEFF_PROBS, COEFF_UPDATE_PROBS, KF_BMODE_PROBS).macroblocks;
		expect(modes(flat).every((mb) => mb.yMode !== 4)).toBe(true);
		expect(modes(flat).some((mb) => mb.skip === 1)).toBe(true);
		expect(modes(noisy).some((mb) => mb.yMode === 4)).toBe(true);
	});

	it('updates token probabilities where that pays, and codes with one pass when asked', () => {
		const planes = runToEnd(rgbaToYuv(input));
		const two = runToEnd(encodeVp8(planes, 40));
		const one = runToEnd(encodeVp8(planes, 40, { passes: 1 }));
		const header = parseVp8(two.bitstream, DEFAULT_COEFF_PROBS, COEFF_UPDATE_PROBS, KF_BMODE_PROBS).header;
		expect(header.updatedProbs).toBeGreaterThan(0);
		expect(one.bitstream.length).toBeGreaterThan(0);
	});
});

describe('lossy WebP within a byte limit', () => {
	const input = photoLike(64, 64, (x, y) => ((x - 32) ** 2 + (y - 32) ** 2 < 900 ? 255 : 0));

	it('gives quality 100 when it fits, a lower quality that fits when not, and null when nothing fits', () => {
		const top = runToEnd(encodeWebpLossyWithin(input, 1 << 20));
		expect(top!.quality).toBe(100);
		const half = Math.round(top!.bytes.length / 2);
		const within = runToEnd(encodeWebpLossyWithinDetailed(input, half));
		expect(within!.bytes.length).toBeLessThanOrEqual(half);
		expect(within!.quality).toBeLessThan(100);
		const above = runToEnd(encodeWebpLossy(input, within!.quality + 1));
		expect(above.length).toBeGreaterThan(half);
		expect(runToEnd(encodeWebpLossyWithin(input, 100))).toBeNull();
	});

	it('yields while it searches', () => {
		const work = encodeWebpLossyWithin(input, 1500);
		let yields = 0;
		while (!work.next().done) yields++;
		expect(yields).toBeGreaterThan(20);
	});
});
