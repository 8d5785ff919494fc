import * as zlib from 'zlib';

import { BitWriter } from '../../../nodes/FaceToSticker/image/bitWriter';
import { canonicalCodes } from '../../../nodes/FaceToSticker/image/huffman';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { inflateZlib } from '../../../nodes/FaceToSticker/image/zlib/inflate';
import { expectImageFormatError, sliceGaps } from '../../helpers/imageChecks';
import { prng } from '../../helpers/random';

/** True when jest's coverage instrumentation is on (it slows hot loops down several times). */
const instrumented = '__coverage__' in globalThis;

function inflate(data: Uint8Array, max = 1 << 26): Uint8Array {
	return runToEnd(inflateZlib(data, max));
}

function expectError(data: Uint8Array, message: RegExp, max = 1 << 20): void {
	expectImageFormatError(() => inflate(data, max), message);
}

const samples: Array<[string, Uint8Array]> = (() => {
	const random = prng(7);
	const noise = new Uint8Array(200_000).map(() => Math.floor(random() * 256));
	const repetitive = new Uint8Array(300_000).map((_, i) => (i % 1000 < 600 ? 7 : (i >> 3) & 255));
	const text = new TextEncoder().encode('the quick brown fox jumps over the lazy dog; '.repeat(3000));
	const smallAlphabet = new Uint8Array(100_000).map(() => Math.floor(random() * random() * 6));
	return [
		['empty', new Uint8Array(0)],
		['one byte', new Uint8Array([42])],
		['random noise', noise],
		['repetitive runs', repetitive],
		['text', text],
		['skewed small alphabet', smallAlphabet],
	];
})();

const strategies: Array<[string, number]> = [
	['default', zlib.constants.Z_DEFAULT_STRATEGY],
	['Z_FILTERED', zlib.constants.Z_FILTERED],
	['Z_FIXED', zlib.constants.Z_FIXED],
	['Z_HUFFMAN_ONLY', zlib.constants.Z_HUFFMAN_ONLY],
	['Z_RLE', zlib.constants.Z_RLE],
];

describe('inflateZlib against Node zlib.deflateSync', () => {
	for (const level of [0, 1, 6, 9]) {
		for (const [strategyName, strategy] of strategies) {
			test(`level ${level}, ${strategyName}: every sample inflates to its original bytes`, () => {
				for (const [, data] of samples) {
					const compressed = new Uint8Array(zlib.deflateSync(data, { level, strategy }));
					expect(Buffer.from(inflate(compressed, data.length)).equals(Buffer.from(data))).toBe(true);
				}
			});
		}
	}

	test('a 32 KB window (distances up to 32768) and small memLevel/windowBits streams inflate', () => {
		const random = prng(11);
		const block = new Uint8Array(40_000).map(() => Math.floor(random() * 256));
		const data = new Uint8Array(160_000);
		for (let i = 0; i < 4; i++) data.set(block, i * 40_000);
		for (const windowBits of [9, 12, 15]) {
			const compressed = new Uint8Array(zlib.deflateSync(data, { level: 9, windowBits, memLevel: 1 }));
			expect(Buffer.from(inflate(compressed)).equals(Buffer.from(data))).toBe(true);
		}
	});

	test('streams flushed into many small blocks (Z_FULL_FLUSH, empty stored blocks) inflate', () => {
		const data = samples[4][1];
		const deflate = zlib.createDeflate({ level: 6 });
		const parts: Buffer[] = [];
		deflate.on('data', (chunk: Buffer) => parts.push(chunk));
		for (let i = 0; i < data.length; i += 997) {
			deflate.write(data.subarray(i, i + 997));
			deflate.flush(zlib.constants.Z_FULL_FLUSH);
		}
		return new Promise<void>((resolve) => {
			deflate.end(() => {
				const compressed = new Uint8Array(Buffer.concat(parts));
				expect(Buffer.from(inflate(compressed)).equals(Buffer.from(data))).toBe(true);
				resolve();
			});
		});
	});

	test('4 MB of image-like scanlines inflate in well under 150 ms and yield with short gaps', () => {
		const random = prng(3);
		const data = new Uint8Array(4 * 1024 * 1024 + 1024);
		for (let i = 0; i < data.length; i++) data[i] = i % 4096 < 2500 ? Math.floor(random() * 9) : (i >> 6) & 255;
		const compressed = new Uint8Array(zlib.deflateSync(data, { level: 9 }));
		inflate(compressed, data.length); // warm-up
		let best = Infinity;
		for (let run = 0; run < 3; run++) {
			const start = process.hrtime.bigint();
			inflate(compressed, data.length);
			best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
		}
		const { slices, longest } = sliceGaps(() => inflateZlib(compressed, data.length));
		console.log(`inflate 4 MB${instrumented ? ' (coverage on)' : ''}: best ${best.toFixed(1)} ms, ${slices} slices, longest slice ${longest.toFixed(2)} ms`);
		// Coverage instrumentation (npm test) makes this loop several times slower; the 150 ms goal is uninstrumented.
		expect(best).toBeLessThan(instrumented ? 600 : 150);
		expect(slices).toBeGreaterThan(30);
		expect(longest).toBeLessThan(20);
	});
});

describe('inflateZlib output limit', () => {
	const data = samples[3][1];
	const compressed = new Uint8Array(zlib.deflateSync(data));

	test('a limit of exactly the output size is accepted', () => {
		expect(inflate(compressed, data.length).length).toBe(data.length);
	});

	test('one byte under the output size is refused as inflating past its declared size', () => {
		expectError(compressed, /inflates past its declared size of 299999 bytes/, data.length - 1);
	});

	test('a stored block past the limit is refused', () => {
		const stored = new Uint8Array(zlib.deflateSync(samples[2][1], { level: 0 }));
		expectError(stored, /inflates past its declared size/, 1000);
	});

	test('a zlib bomb (2 MB of codes that would inflate to over 1 GB) stops at the limit quickly', () => {
		// Then a dynamic block whose only codes are end-of-block and length 258 (one bit each) plus one distance
		// code (distance 1): every bit pair is 258 bytes of output, so the body is the byte 0x55 over and over.
		const w = new BitWriter();
		w.write(0x78, 8);
		w.write(0x9c, 8);
		// A stored block with one byte first, so that distance 1 has something to copy.
		w.write(0, 3);
		w.alignToByte();
		w.writeBytes(new Uint8Array([1, 0, 0xfe, 0xff, 0]));
		w.write(1, 1);
		w.write(2, 2);
		const lit = new Uint8Array(286);
		lit[256] = 1;
		lit[285] = 1;
		writeDynamicHeader(w, lit, new Uint8Array([1]));
		while (w.bitLength % 8 !== 0) {
			w.write(1, 1);
			w.write(0, 1);
		}
		const header = w.finish();
		const bomb = new Uint8Array(header.length + 2_100_000).fill(0x55);
		bomb.set(header);
		// Node's zlib agrees the stream is valid and only stops it at its own output cap.
		expect(() => zlib.inflateSync(bomb, { maxOutputLength: 1 << 20 })).toThrow(/larger than|maxOutputLength/i);
		const start = Date.now();
		expectError(bomb, /inflates past its declared size of 16777216 bytes/, 1 << 24);
		expect(Date.now() - start).toBeLessThan(1000);
	});
});

/**
 * Writes HLIT/HDIST/HCLEN for `litCount` and `distCount` symbols and a code length code giving each of
 * `clenSymbols` four bits; returns that code's codes.
 */
function writeCodeLengthCode(w: BitWriter, litCount: number, distCount: number, clenSymbols: number[]): Uint16Array {
	w.write(litCount - 257, 5);
	w.write(distCount - 1, 5);
	w.write(15, 4); // all 19 code length code lengths
	const clen = new Uint8Array(19);
	for (const s of clenSymbols) clen[s] = 4;
	const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
	for (const s of order) w.write(clen[s], 3);
	return canonicalCodes(clen);
}

/** Writes HLIT/HDIST/HCLEN and the code lengths with a code length code giving symbols 0-15 four bits each. */
function writeDynamicHeader(w: BitWriter, lit: Uint8Array, dist: Uint8Array, clenSymbols = range(16)): void {
	const codes = writeCodeLengthCode(w, lit.length, dist.length, clenSymbols);
	for (const len of [...lit, ...dist]) w.write(codes[len], 4);
}

function range(n: number): number[] {
	return Array.from({ length: n }, (_, i) => i);
}

/** zlib header + `body(w)` + Adler-32 of `expected`. */
function zlibStream(body: (w: BitWriter) => void, expected = new Uint8Array(0)): Uint8Array {
	const w = new BitWriter();
	w.write(0x78, 8);
	w.write(0x9c, 8);
	body(w);
	w.alignToByte();
	const adler = zlib.deflateSync(expected).subarray(-4);
	w.writeBytes(new Uint8Array(adler));
	return w.finish();
}

const fixedLit = canonicalCodes(
	new Uint8Array(288).map((_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
);
const fixedDist = canonicalCodes(new Uint8Array(32).fill(5));
const fixedLen = (s: number) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8);

/** A final fixed-code block; `{ dist }` writes a distance code (one without extra bits). */
function fixedBlock(w: BitWriter, symbols: Array<number | { dist: number }>): void {
	w.write(1, 1);
	w.write(1, 2);
	for (const s of symbols) {
		if (typeof s === 'number') w.write(fixedLit[s], fixedLen(s));
		else w.write(fixedDist[s.dist], 5);
	}
}

describe('inflateZlib hand-built streams', () => {
	test('a hand-built fixed block with a literal and an overlapping copy inflates', () => {
		// 'a', then length 3 (symbol 257) at distance 1 (distance code 0): "aaaa".
		const expected = new TextEncoder().encode('aaaa');
		const data = zlibStream((w) => fixedBlock(w, [97, 257, { dist: 0 }, 256]), expected);
		expect(Buffer.from(inflate(data)).toString()).toBe('aaaa');
	});

	test('a hand-built dynamic block with codes longer than the 10-bit lookup inflates', () => {
		// Literal lengths 1, 2, ..., 15, 15 for 16 symbols make a complete code reaching 15 bits.
		const lit = new Uint8Array(257);
		const used = [...range(15), 256];
		used.forEach((s, i) => (lit[s] = Math.min(i + 1, 15)));
		const codes = canonicalCodes(lit);
		const message = [14, 0, 13, 12, 1, 11, 14, 14];
		const data = zlibStream((w) => {
			w.write(1, 1);
			w.write(2, 2);
			writeDynamicHeader(w, lit, new Uint8Array([0]));
			for (const s of [...message, 256]) w.write(codes[s], lit[s]);
		}, new Uint8Array(message));
		expect([...inflate(data)]).toEqual(message);
	});
});

describe('inflateZlib errors', () => {
	const good = new Uint8Array(zlib.deflateSync(samples[4][1].subarray(0, 3000)));

	test('compression method other than 8 is refused', () => {
		expectError(new Uint8Array([0x79, 0x9b, 0, 0]), /unknown compression method/);
	});

	test('a window size over 32 KB (CINFO 8) is refused', () => {
		expectError(new Uint8Array([0x88, 0x98, 0, 0]), /unknown compression method/);
	});

	test('a header failing its FCHECK bits is refused', () => {
		expectError(new Uint8Array([0x78, 0x9d, 0, 0]), /check bits/);
	});

	test('a preset dictionary (FDICT) is refused', () => {
		expectError(new Uint8Array([0x78, 0xbb, 0, 0, 0, 0]), /preset dictionary/);
	});

	test('an input of fewer than 2 bytes is refused as truncated', () => {
		expectError(new Uint8Array([0x78]), /truncated/);
	});

	test('every truncation of a valid stream is refused as truncated', () => {
		const stored = new Uint8Array(zlib.deflateSync(samples[4][1].subarray(0, 500), { level: 0 }));
		for (const stream of [good, stored]) {
			for (let cut = 0; cut < stream.length; cut++) expectError(stream.subarray(0, cut), /truncated/);
		}
	});

	test('a changed Adler-32 is refused', () => {
		const bad = good.slice();
		bad[bad.length - 1] ^= 1;
		expectError(bad, /Adler-32/);
	});

	test('block type 3 is refused', () => {
		expectError(zlibStream((w) => w.write(7, 3)), /reserved type 3/);
	});

	test('a stored block whose NLEN is not the complement of LEN is refused', () => {
		expectError(new Uint8Array([0x78, 0x01, 1, 3, 0, 0xfc, 0xfe, 1, 2, 3, 0, 0, 0, 0]), /complement/);
	});

	test('a distance before the start of the output is refused', () => {
		// 'a', then length 3 at distance 2 (distance code 1): only one byte exists.
		expectError(zlibStream((w) => fixedBlock(w, [97, 257, { dist: 1 }, 256])), /distance too far back/);
	});

	test('fixed length symbol 286 is refused', () => {
		expectError(zlibStream((w) => fixedBlock(w, [97, 286, { dist: 0 }, 256])), /invalid length symbol/);
	});

	test('fixed distance code 30 is refused', () => {
		expectError(zlibStream((w) => fixedBlock(w, [97, 257, { dist: 30 }, 256])), /invalid distance code/);
	});

	const dynamic = (lit: Uint8Array, dist: Uint8Array, clen?: number[]) =>
		zlibStream((w) => {
			w.write(1, 1);
			w.write(2, 2);
			writeDynamicHeader(w, lit, dist, clen);
			w.write(0, 16);
		});
	const litWith = (lengths: Record<number, number>) => {
		const lit = new Uint8Array(257);
		for (const [s, len] of Object.entries(lengths)) lit[Number(s)] = len;
		return lit;
	};

	test('an over-subscribed literal/length code is refused', () => {
		expectError(dynamic(litWith({ 0: 1, 1: 1, 256: 1 }), new Uint8Array([1])), /over-subscribed literal\/length/);
	});

	test('an incomplete literal/length code is refused', () => {
		expectError(dynamic(litWith({ 0: 2, 256: 2 }), new Uint8Array([1])), /incomplete literal\/length/);
	});

	test('an incomplete distance code of more than one code is refused', () => {
		expectError(dynamic(litWith({ 0: 1, 256: 1 }), new Uint8Array([2, 2])), /incomplete distance/);
	});

	test('a block without an end-of-block code is refused', () => {
		expectError(dynamic(litWith({ 0: 1, 1: 1 }), new Uint8Array([1])), /end-of-block/);
	});

	test('more than 286 literal/length symbols are refused', () => {
		const lit = new Uint8Array(288);
		expectError(dynamic(lit, new Uint8Array([1])), /too many length or distance symbols/);
	});

	test('more than 30 distance symbols are refused', () => {
		expectError(dynamic(litWith({ 0: 1, 256: 1 }), new Uint8Array(31)), /too many length or distance symbols/);
	});

	test('an over-subscribed or incomplete code length code is refused', () => {
		const raw = (clen: number[]) =>
			zlibStream((w) => {
				w.write(1, 1);
				w.write(2, 2);
				w.write(0, 5);
				w.write(0, 5);
				w.write(15, 4);
				for (const len of clen) w.write(len, 3);
				w.write(0, 16);
			});
		expectError(raw([1, 1, 1, ...new Array(16).fill(0)]), /over-subscribed code length/);
		expectError(raw([2, ...new Array(18).fill(0)]), /incomplete code length/);
		expectError(raw(new Array(19).fill(0)), /empty code length/);
	});

	test('repeat code 16 before any code length is refused', () => {
		const data = zlibStream((w) => {
			w.write(1, 1);
			w.write(2, 2);
			w.write(writeCodeLengthCode(w, 257, 1, [16, ...range(15)])[16], 4);
			w.write(0, 16);
		});
		expectError(data, /repeats a code length before the first one/);
	});

	test('repeat code 18 running past the end of the code lengths is refused', () => {
		const data = zlibStream((w) => {
			w.write(1, 1);
			w.write(2, 2);
			const codes = writeCodeLengthCode(w, 257, 1, [18, ...range(15)]);
			for (let i = 0; i < 3; i++) {
				w.write(codes[18], 4);
				w.write(127, 7); // 138 zeros each: 414 > 258 lengths
			}
			w.write(0, 16);
		});
		expectError(data, /past the end of the code table/);
	});
});
