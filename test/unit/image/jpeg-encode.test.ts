import { decodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/decode';
import { encodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/encode';
import { huffmanCodes, optimalSpec } from '../../../nodes/FaceToSticker/image/jpeg/huffmanEncode';
import { scaledQuantTables } from '../../../nodes/FaceToSticker/image/jpeg/quality';
import {
	STANDARD_AC_CHROMINANCE,
	STANDARD_AC_LUMINANCE,
	STANDARD_CHROMINANCE_QUANT,
	STANDARD_DC_CHROMINANCE,
	STANDARD_DC_LUMINANCE,
	STANDARD_LUMINANCE_QUANT,
} from '../../../nodes/FaceToSticker/image/jpeg/tables';
import { readJpegMetadata } from '../../../nodes/FaceToSticker/image/photo/jpegMeta';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { sliceGaps } from '../../helpers/imageChecks';
import { image } from '../../helpers/pixels';
import { prng } from '../../helpers/random';
import { fixture } from './jpeg-fixtures';

const encode = (picture: RgbaImage, options = {}): Uint8Array => runToEnd(encodeJpeg(picture, options));
const decode = (bytes: Uint8Array): RgbaImage => runToEnd(decodeJpeg(bytes));

function psnr(a: RgbaImage, b: RgbaImage): number {
	let sum = 0;
	let n = 0;
	for (let i = 0; i < a.data.length; i++) {
		if ((i & 3) === 3) continue;
		sum += (a.data[i] - b.data[i]) ** 2;
		n++;
	}
	return 10 * Math.log10((255 * 255) / (sum / n));
}

/** A photo-like picture: smooth gradients, a soft disc, seeded grain. */
function photoLike(width: number, height: number, seed = 7): RgbaImage {
	const random = prng(seed);
	return image(width, height, (x, y) => {
		const r = Math.hypot(x - width / 2, y - height / 2) / Math.max(width, height);
		const disc = 60 / (1 + Math.exp((r - 0.3) * 30));
		const n = Math.floor(random() * 6);
		return [(x * 200) / width + disc + n, (y * 180) / height + n, 90 + disc + n, 255].map((v) => Math.min(255, Math.round(v)));
	});
}

describe('encodeJpeg', () => {
	// The tiny ones have steep gradients per pixel, which 4:2:0 chroma blurs.
	it.each([
		[64, 48, 36],
		[37, 27, 36],
		[1, 1, 40],
		[17, 3, 24],
	])('a %i × %i picture round-trips through our decoder with PSNR over %i dB at quality 90', (w, h, db) => {
		const picture = photoLike(w, h);
		const decoded = decode(encode(picture));
		expect({ width: decoded.width, height: decoded.height }).toEqual({ width: w, height: h });
		expect(psnr(picture, decoded)).toBeGreaterThan(db);
	});

	it('quality orders size and fidelity', () => {
		const picture = photoLike(96, 64);
		const low = encode(picture, { quality: 30 });
		const high = encode(picture, { quality: 95 });
		expect(low.length).toBeLessThan(high.length);
		expect(psnr(picture, decode(low))).toBeLessThan(psnr(picture, decode(high)));
	});

	it('optimised Huffman tables give a smaller file with exactly the same pixels as the Annex K tables', () => {
		const picture = photoLike(128, 96);
		const optimised = encode(picture);
		const standard = encode(picture, { optimiseHuffman: false });
		expect(optimised.length).toBeLessThan(standard.length);
		expect(Buffer.from(decode(optimised).data).equals(Buffer.from(decode(standard).data))).toBe(true);
	});

	it('writes SOI, JFIF APP0, DQT, a baseline 4:2:0 SOF0, DHT, SOS and EOI', () => {
		const bytes = encode(photoLike(20, 10));
		expect([...bytes.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
		expect(Buffer.from(bytes.subarray(6, 11)).toString('latin1')).toBe('JFIF\0');
		expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
		const sof = Buffer.from(bytes).indexOf(Buffer.from([0xff, 0xc0]));
		expect([...bytes.subarray(sof + 4, sof + 19)]).toEqual([8, 0, 10, 0, 20, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	});

	it('embeds an ICC profile in numbered APP2 segments, split at 65519 bytes, that read back whole', () => {
		const profile = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7) & 255);
		const bytes = encode(photoLike(16, 16), { iccProfile: profile });
		const metadata = runToEnd(readJpegMetadata(bytes));
		expect(metadata.iccProfile).toEqual(profile);
		expect(metadata.removable).toEqual([]);
		expect(decode(bytes).width).toBe(16);
	});

	it('re-encodes a decoded photo close to the original (a djpeg-exact fixture)', () => {
		const original = decode(fixture('b444'));
		expect(psnr(original, decode(encode(original, { quality: 95 })))).toBeGreaterThan(35);
	});

	it('runs in slices: a 512 × 512 picture yields often and no slice is long', () => {
		const picture = photoLike(512, 512);
		const { slices, longest } = sliceGaps(() => encodeJpeg(picture));
		expect(slices).toBeGreaterThan(10);
		expect(longest).toBeLessThan(40);
	});
});

describe('quantisation tables (IJG scaling)', () => {
	it('quality 50 keeps Annex K, 100 makes every entry 1, 10 clamps at 255', () => {
		expect([...scaledQuantTables(50).luminance]).toEqual([...STANDARD_LUMINANCE_QUANT]);
		expect([...scaledQuantTables(50).chrominance]).toEqual([...STANDARD_CHROMINANCE_QUANT]);
		expect(scaledQuantTables(100).luminance.every((q) => q === 1)).toBe(true);
		expect(Math.max(...scaledQuantTables(10).chrominance)).toBe(255);
	});

	it('quality 90 scales by 20 %, rounding as libjpeg does', () => {
		expect(scaledQuantTables(90).luminance[0]).toBe(3); // (16 * 20 + 50) / 100 = 3.7 → 3
		expect(scaledQuantTables(90).luminance[63]).toBe(20); // (99 * 20 + 50) / 100 = 20.3 → 20
		expect(scaledQuantTables(0).luminance[0]).toBe(255); // quality below 1 counts as 1
	});
});

describe('Huffman tables', () => {
	it.each([
		['DC luminance', STANDARD_DC_LUMINANCE, 12],
		['DC chrominance', STANDARD_DC_CHROMINANCE, 12],
		['AC luminance', STANDARD_AC_LUMINANCE, 162],
		['AC chrominance', STANDARD_AC_CHROMINANCE, 162],
	])('Annex K %s: counts match its symbols, every symbol once, a prefix code', (_name, spec, total) => {
		expect(spec.counts.reduce((a, b) => a + b, 0)).toBe(total);
		expect(new Set(spec.symbols).size).toBe(total);
		let kraft = 0;
		spec.counts.forEach((n, i) => (kraft += n / 2 ** (i + 1)));
		expect(kraft).toBeLessThan(1);
		const codes = huffmanCodes(spec);
		expect(codes.size[spec.symbols[0]]).toBeGreaterThan(0);
	});

	it('optimal tables from skewed counts: lengths at most 16, no all-ones code, frequent symbols shorter', () => {
		const counts = new Uint32Array(256);
		for (let s = 0; s < 200; s++) counts[s] = Math.floor(2 ** (30 - s * 0.15)) + 1; // very skewed: needs limiting
		const spec = optimalSpec(counts);
		expect(spec.counts.length).toBe(16);
		expect(new Set(spec.symbols).size).toBe(200);
		let kraft = 0;
		spec.counts.forEach((n, i) => (kraft += n / 2 ** (i + 1)));
		expect(kraft).toBeLessThan(1);
		const codes = huffmanCodes(spec);
		expect(codes.size[0]).toBeLessThanOrEqual(codes.size[199]);
	});

	it('optimal tables for no symbols and for one symbol', () => {
		expect([...optimalSpec(new Uint32Array(256)).symbols]).toEqual([0]);
		const one = new Uint32Array(256);
		one[5] = 10;
		expect([...optimalSpec(one).symbols]).toEqual([5]);
		expect(optimalSpec(one).counts[0]).toBe(1);
	});
});
