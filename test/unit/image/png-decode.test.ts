import * as zlib from 'zlib';

import { decodePng, readPngHeader } from '../../../nodes/FaceToSticker/image/png/decode';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { DecodeLimits, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { expectImageFormatError, sliceGaps } from '../../helpers/imageChecks';
import { CHANNELS, chunk, ihdr, png, scanlines, Spec } from '../../helpers/pngWriter';
import { prng } from '../../helpers/random';

const ALLOWED: Array<[number, number[]]> = [
	[0, [1, 2, 4, 8, 16]],
	[2, [8, 16]],
	[3, [1, 2, 4, 8]],
	[4, [8, 16]],
	[6, [8, 16]],
];

/** A random image of `spec`, its PNG and the RGBA the spec says it decodes to. */
function randomPng(spec: Spec, seed: number, withTrns: boolean, idatParts = 1) {
	const random = prng(seed);
	const channels = CHANNELS[spec.colorType];
	const max = (1 << spec.bitDepth) - 1;
	const pixels = spec.width * spec.height;
	const paletteCount = spec.colorType === 3 ? Math.min(256, max + 1) - (seed % 2) : 0;
	const samples = new Uint16Array(pixels * channels).map(() =>
		Math.floor(random() * (spec.colorType === 3 ? paletteCount : max + 1)),
	);
	const chunks = [ihdr(spec.width, spec.height, spec.bitDepth, spec.colorType, spec.interlaced ? 1 : 0)];
	const palette = Uint8Array.from({ length: paletteCount * 3 }, () => Math.floor(random() * 256));
	const alphas = Uint8Array.from({ length: Math.floor(paletteCount / 2) }, () => Math.floor(random() * 256));
	let key: number[] = [];
	if (spec.colorType === 3) {
		chunks.push(chunk('PLTE', palette));
		if (withTrns) chunks.push(chunk('tRNS', alphas));
	} else if (withTrns && (spec.colorType === 0 || spec.colorType === 2)) {
		key = Array.from(samples.subarray(0, channels)); // the first pixel's colour is the transparent one
		chunks.push(chunk('tRNS', key.flatMap((v) => [v >> 8, v & 255])));
	}
	chunks.push(chunk('gAMA', [0, 0, 0xb1, 0x8f]));
	const compressed = zlib.deflateSync(scanlines(spec, samples, () => Math.floor(random() * 5)));
	const step = Math.ceil(compressed.length / idatParts);
	for (let i = 0; i < idatParts; i++) chunks.push(chunk('IDAT', compressed.subarray(i * step, (i + 1) * step)));
	chunks.push(chunk('tEXt', Buffer.from('Comment\0after the image data')), chunk('IEND'));
	const to8 = (v: number) => (spec.bitDepth === 16 ? Math.round(v / 257) : Math.round((v * 255) / max));
	const expected = new Uint8Array(pixels * 4);
	for (let p = 0; p < pixels; p++) {
		const s = Array.from(samples.subarray(p * channels, p * channels + channels));
		const keyed = key.length > 0 && s.every((v, i) => v === key[i]);
		let rgba: number[];
		if (spec.colorType === 0) rgba = [to8(s[0]), to8(s[0]), to8(s[0]), keyed ? 0 : 255];
		else if (spec.colorType === 2) rgba = [...s.map(to8), keyed ? 0 : 255];
		else if (spec.colorType === 3) {
			const i = s[0];
			rgba = [palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2], withTrns && i < alphas.length ? alphas[i] : 255];
		} else if (spec.colorType === 4) rgba = [to8(s[0]), to8(s[0]), to8(s[0]), to8(s[1])];
		else rgba = s.map(to8);
		expected.set(rgba, p * 4);
	}
	return { file: png(...chunks), expected };
}

function decode(file: Uint8Array, limits?: DecodeLimits): RgbaImage {
	return runToEnd(decodePng(file, limits));
}

function expectError(file: Uint8Array, message: RegExp | string, limits?: DecodeLimits): void {
	expectImageFormatError(() => decode(file, limits), message);
}

describe('decodePng round trips of synthetic images', () => {
	const sizes: Array<[number, number]> = [
		[1, 1],
		[3, 2],
		[13, 7],
		[33, 17],
	];
	let seed = 1;
	for (const [colorType, depths] of ALLOWED) {
		for (const bitDepth of depths) {
			for (const interlaced of [false, true]) {
				test(`colour type ${colorType}, ${bitDepth}-bit, ${interlaced ? 'Adam7' : 'not interlaced'}: every size decodes to the expected RGBA`, () => {
					for (const [width, height] of sizes) {
						for (const withTrns of colorType === 4 || colorType === 6 ? [false] : [false, true]) {
							const spec = { width, height, colorType, bitDepth, interlaced };
							const { file, expected } = randomPng(spec, seed++, withTrns, 1 + (seed % 3));
							const image = decode(file);
							expect([image.width, image.height]).toEqual([width, height]);
							expect(Buffer.from(image.data).equals(Buffer.from(expected))).toBe(true);
						}
					}
				});
			}
		}
	}

	test('a 16-bit tRNS key matches the full 16-bit value, not just the high byte', () => {
		const samples = Uint16Array.from([0x1234, 0x1235, 0x1234]);
		const spec = { width: 3, height: 1, colorType: 0, bitDepth: 16, interlaced: false };
		const file = png(
			ihdr(3, 1, 16, 0),
			chunk('tRNS', [0x12, 0x34]),
			chunk('IDAT', zlib.deflateSync(scanlines(spec, samples, () => 0))),
			chunk('IEND'),
		);
		expect(Array.from(decode(file).data)).toEqual([18, 18, 18, 0, 18, 18, 18, 255, 18, 18, 18, 0]);
	});

	test('16-bit samples become Math.round(v / 257) (0x8080 → 128, 0x807f → 128, 0x7f80 → 127)', () => {
		const spec = { width: 1, height: 1, colorType: 6, bitDepth: 16, interlaced: false };
		const file = png(
			ihdr(1, 1, 16, 6),
			chunk('IDAT', zlib.deflateSync(scanlines(spec, Uint16Array.from([0x8080, 0x807f, 0x7f80, 0xffff]), () => 0))),
			chunk('IEND'),
		);
		expect(Array.from(decode(file).data)).toEqual([128, 128, 127, 255]);
	});

	test('data after IEND is ignored', () => {
		const { file, expected } = randomPng({ width: 5, height: 5, colorType: 6, bitDepth: 8, interlaced: false }, 9, false);
		const padded = new Uint8Array([...file, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
		expect(Buffer.from(decode(padded).data).equals(Buffer.from(expected))).toBe(true);
	});

	test('a zero-length IDAT between others and an unknown ancillary chunk are accepted', () => {
		const spec = { width: 4, height: 4, colorType: 4, bitDepth: 8, interlaced: false };
		const z = zlib.deflateSync(scanlines(spec, new Uint16Array(32).fill(200), () => 2));
		const file = png(ihdr(4, 4, 8, 4), chunk('quUX', [1]), chunk('IDAT', z.subarray(0, 5)), chunk('IDAT'), chunk('IDAT', z.subarray(5)), chunk('IEND'));
		expect(Array.from(decode(file).data.subarray(0, 4))).toEqual([200, 200, 200, 200]);
	});

	test('a 1024 × 1024 RGBA PNG decodes in slices, none longer than 20 ms', () => {
		const spec = { width: 1024, height: 1024, colorType: 6, bitDepth: 8, interlaced: false };
		const random = prng(5);
		const samples = new Uint16Array(1024 * 1024 * 4).map((_, i) => ((i >> 2) % 1024 < 600 ? (i >> 4) & 255 : Math.floor(random() * 256)));
		const file = png(ihdr(1024, 1024, 8, 6), chunk('IDAT', zlib.deflateSync(scanlines(spec, samples, (r) => r % 5))), chunk('IEND'));
		decode(file); // warm-up
		let total = Infinity;
		let image = decode(file);
		for (let run = 0; run < 3; run++) {
			const start = process.hrtime.bigint();
			image = decode(file);
			total = Math.min(total, Number(process.hrtime.bigint() - start) / 1e6);
		}
		expect(image.data.length).toBe(1024 * 1024 * 4);
		const { slices, longest } = sliceGaps(() => decodePng(file));
		console.log(`decode 1024×1024 synthetic RGBA (${file.length} bytes): ${total.toFixed(1)} ms, ${slices} slices, longest ${longest.toFixed(2)} ms`);
		expect(slices).toBeGreaterThan(50);
		expect(longest).toBeLessThan(20);
	});
});

describe('readPngHeader', () => {
	test('reads the IHDR fields of a valid PNG', () => {
		const file = png(ihdr(300, 200, 16, 2, 1), chunk('IEND'));
		expect(readPngHeader(file)).toEqual({ width: 300, height: 200, bitDepth: 16, colorType: 2, interlaced: true });
	});

	test('refuses dimensions past maxPixels, naming them and the limit', () => {
		expect(() => readPngHeader(png(ihdr(50000, 50000, 8, 6), chunk('IEND')))).toThrow(
			"The PNG's IHDR says 50000 × 50000 pixels, more than the 4096 × 4096 allowed",
		);
		expect(() => readPngHeader(png(ihdr(11, 10, 8, 6)), { maxPixels: 99 })).toThrow(
			"The PNG's IHDR says 11 × 10 pixels, more than the 99 pixels allowed",
		);
		expect(readPngHeader(png(ihdr(11, 9, 8, 6)), { maxPixels: 99 }).width).toBe(11);
	});
});

describe('decodePng errors', () => {
	const spec = { width: 4, height: 3, colorType: 2, bitDepth: 8, interlaced: false };
	const idat = chunk('IDAT', zlib.deflateSync(scanlines(spec, new Uint16Array(36), () => 0)));
	const head = ihdr(4, 3, 8, 2);
	const end = chunk('IEND');
	const grey = ihdr(4, 3, 8, 0);
	const greyIdat = chunk('IDAT', zlib.deflateSync(new Uint8Array(15)));
	const paletted = ihdr(4, 3, 2, 3);
	const palettedIdat = chunk('IDAT', zlib.deflateSync(new Uint8Array(6)));
	const plte = chunk('PLTE', [1, 2, 3, 4, 5, 6]);
	const cases: Array<[string, Uint8Array, RegExp | string]> = [
		['a wrong signature', new Uint8Array([137, 80, 78, 71, 13, 10, 26, 11, ...head]), /not a PNG/],
		['a file shorter than the signature', new Uint8Array([137, 80, 78]), /not a PNG/],
		['a first chunk other than IHDR', png(chunk('gAMA', [0, 0, 0, 1]), head, idat, end), "The PNG's first chunk is gAMA, not IHDR"],
		['an IHDR of 12 bytes', png(chunk('IHDR', new Uint8Array(12)), idat, end), /IHDR chunk has 12 bytes, not 13/],
		['a bad IHDR CRC', (() => { const f = png(head, idat, end); f[29] ^= 1; return f; })(), "The PNG's IHDR chunk fails its CRC check"],
		['width 0', png(ihdr(0, 3, 8, 2), idat, end), /0 × 3 pixels, which is not a valid size/],
		['height 0', png(ihdr(4, 0, 8, 2), idat, end), /4 × 0 pixels, which is not a valid size/],
		['width over 2^31 - 1', png(ihdr(0x80000000, 1, 8, 2), idat, end), /not a valid size/],
		['colour type 5', png(ihdr(4, 3, 8, 5), idat, end), /unknown colour type 5/],
		['bit depth 4 for RGB', png(ihdr(4, 3, 4, 2), idat, end), /bit depth 4, not allowed for colour type 2/],
		['bit depth 16 for a palette', png(ihdr(4, 3, 16, 3), idat, end), /bit depth 16, not allowed for colour type 3/],
		['bit depth 3 for grey', png(ihdr(4, 3, 3, 0), idat, end), /bit depth 3, not allowed/],
		['compression method 1', png(ihdr(4, 3, 8, 2, 0, [1, 0]), idat, end), /unknown compression method 1/],
		['filter method 1', png(ihdr(4, 3, 8, 2, 0, [0, 1]), idat, end), /unknown filter method 1/],
		['interlace method 2', png(ihdr(4, 3, 8, 2, 2), idat, end), /unknown interlace method 2/],
		['50000 × 50000 pixels (refused before any IDAT is read)', png(ihdr(50000, 50000, 8, 6), end),
			"The PNG's IHDR says 50000 × 50000 pixels, more than the 4096 × 4096 allowed"],
		['a bad IDAT CRC', (() => { const f = png(head, idat, end); f[33 + 10] ^= 1; return f; })(), "The PNG's IDAT chunk fails its CRC check"],
		['a file cut inside the IDAT chunk', png(head, idat).subarray(0, 33 + 20), 'The PNG is truncated: the IDAT chunk ends early'],
		['a file cut before IEND', png(head, idat), 'The PNG is truncated: it ends before its IEND chunk'],
		['no IDAT', png(head, end), /no IDAT chunk/],
		['a chunk type that is not letters', png(head, chunk('ID1T', [1]), idat, end), /whose type is not four letters/],
		['a chunk length over 2^31 - 1', png(head, Buffer.from([0x80, 0, 0, 0, 73, 68, 65, 84])), /IDAT chunk declares an impossible length/],
		['an unknown critical chunk', png(head, chunk('ABCD', [1]), idat, end), /unknown critical chunk ABCD/],
		['a second IHDR', png(head, head, idat, end), /second IHDR/],
		['IDAT chunks with a chunk between them', png(head, idat, chunk('tEXt', [65, 0, 66]), idat, end),
			"The PNG's IDAT chunks are not consecutive: a tEXt chunk comes between them"],
		['a palette image without PLTE', png(paletted, palettedIdat, end), /colour type 3\) but has no PLTE chunk/],
		['PLTE after IDAT', png(ihdr(4, 3, 8, 2), idat, plte, end), /PLTE chunk after its IDAT/],
		['PLTE of 7 bytes', png(paletted, chunk('PLTE', [1, 2, 3, 4, 5, 6, 7]), palettedIdat, end), /PLTE chunk has 7 bytes/],
		['an empty PLTE', png(paletted, chunk('PLTE'), palettedIdat, end), /PLTE chunk has 0 bytes/],
		['PLTE with more entries than the bit depth indexes', png(paletted, chunk('PLTE', new Uint8Array(15)), palettedIdat, end),
			/PLTE chunk has 5 entries, more than bit depth 2 can index/],
		['PLTE in a greyscale PNG', png(grey, plte, greyIdat, end), /PLTE chunk, which a greyscale PNG \(colour type 0\)/],
		['two PLTE chunks', png(paletted, plte, plte, palettedIdat, end), /two PLTE chunks/],
		['PLTE after tRNS', png(head, chunk('tRNS', [0, 1, 0, 2, 0, 3]), plte, idat, end), /PLTE chunk after its tRNS/],
		['tRNS before PLTE', png(paletted, chunk('tRNS', [1]), plte, palettedIdat, end), /tRNS chunk before its PLTE/],
		['tRNS after IDAT', png(head, idat, chunk('tRNS', [0, 1, 0, 2, 0, 3]), end), /tRNS chunk after its IDAT/],
		['tRNS with more entries than the palette', png(paletted, plte, chunk('tRNS', [1, 2, 3]), palettedIdat, end),
			/tRNS chunk has 3 entries, more than its palette's 2/],
		['tRNS of 4 bytes for RGB', png(head, chunk('tRNS', [0, 1, 0, 2]), idat, end), /tRNS chunk has 4 bytes, not 6/],
		['tRNS of 1 byte for grey', png(grey, chunk('tRNS', [1]), greyIdat, end), /tRNS chunk has 1 bytes, not 2/],
		['tRNS in an RGBA PNG', png(ihdr(1, 1, 8, 6), chunk('tRNS', [0, 1]), idat, end), /tRNS chunk, which colour type 6/],
		['two tRNS chunks', png(grey, chunk('tRNS', [0, 1]), chunk('tRNS', [0, 1]), greyIdat, end), /two tRNS chunks/],
		['filter type 5', png(grey, chunk('IDAT', zlib.deflateSync(new Uint8Array([0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 0, 1, 2, 3, 4]))), end),
			/unknown filter type 5/],
		['a palette index past the palette', png(paletted, plte, chunk('IDAT', zlib.deflateSync(new Uint8Array([0, 0x1b, 0, 0, 0, 0]))), end),
			/palette index 2, but its PLTE has only 2 entries/],
		['image data that inflates short', png(head, chunk('IDAT', zlib.deflateSync(new Uint8Array(38))), end),
			/truncated: its image data inflates to 38 bytes, but 4 × 3 pixels need 39/],
		['image data that inflates long', png(head, chunk('IDAT', zlib.deflateSync(new Uint8Array(40))), end),
			"The PNG's image data (IDAT) inflates past its declared size of 39 bytes"],
		['a corrupt zlib stream', png(head, chunk('IDAT', [0x78, 0x9c, 0xff, 0xff, 0xff]), end), /^The PNG's image data \(IDAT\) /],
	];
	for (const [name, file, message] of cases) {
		test(`refuses ${name}`, () => expectError(file, message));
	}

	test('refuses a zlib bomb (64 KB of IDAT that would inflate to 64 MB) quickly for a 256 × 256 image', () => {
		const bomb = zlib.deflateSync(Buffer.alloc(64 << 20), { level: 9 });
		const file = png(ihdr(256, 256, 8, 6), chunk('IDAT', bomb), end);
		const start = Date.now();
		expectError(file, "The PNG's image data (IDAT) inflates past its declared size of 262400 bytes");
		expect(Date.now() - start).toBeLessThan(200);
	});

	test('errors are reported through the generator before any pixel memory for a huge IHDR', () => {
		const gen = decodePng(png(ihdr(4096, 4097, 8, 6), idat, end));
		expect(() => gen.next()).toThrow(/4096 × 4097 pixels, more than the 4096 × 4096 allowed/);
	});
});
