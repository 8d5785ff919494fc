import * as zlib from 'zlib';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { deflateZlib } from '../../../nodes/FaceToSticker/image/zlib/deflate';
import { Lz77 } from '../../../nodes/FaceToSticker/image/zlib/lz77';
import { SymbolBlock } from '../../../nodes/FaceToSticker/image/zlib/symbols';

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function randomBytes(length: number, seed = 1): Uint8Array {
	const out = new Uint8Array(length);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = x & 0xff;
	}
	return out;
}

function textLike(length: number): Uint8Array {
	const words = 'the sticker face photo cut out edge alpha outline canvas deflate huffman block window'.split(' ');
	const noise = randomBytes(length, 7);
	let text = '';
	for (let i = 0; text.length < length; i++) text += words[noise[i] % words.length] + (noise[i] & 1 ? ' ' : ',\n');
	return new Uint8Array(Buffer.from(text.slice(0, length), 'latin1'));
}

/** Rows of RGBA with smooth gradients, a little noise and a transparent border, as filtered PNG data looks. */
function imageLike(width: number, height: number): Uint8Array {
	const out = new Uint8Array(width * height * 4);
	const noise = randomBytes(out.length, 3);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 4;
			const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width / 2.5) ** 2;
			out[i] = (x + (noise[i] & 3)) & 0xff;
			out[i + 1] = (y * 2 + (noise[i + 1] & 1)) & 0xff;
			out[i + 2] = (x + y) & 0xff;
			out[i + 3] = inside ? 255 : 0;
		}
	}
	return out;
}

function deflate(data: Uint8Array): Uint8Array {
	return runToEnd(deflateZlib(data));
}

function expectRoundTrip(data: Uint8Array): Uint8Array {
	const compressed = deflate(data);
	const back = zlib.inflateSync(compressed);
	expect(back.length).toBe(data.length);
	expect(Buffer.compare(back, Buffer.from(data.buffer, data.byteOffset, data.length))).toBe(0);
	return compressed;
}

/** BTYPE of the first deflate block: 0 stored, 1 fixed, 2 dynamic. */
function firstBlockType(compressed: Uint8Array): number {
	return (compressed[2] >> 1) & 3;
}

/** All LZ77 symbols for `data`, as [length, distance] (length 1 = literal). */
function symbolsOf(data: Uint8Array): Array<[number, number]> {
	const matcher = new Lz77(data);
	const block = new SymbolBlock(1 << 16);
	const symbols: Array<[number, number]> = [];
	while (!matcher.done) {
		matcher.run(block, 1 << 20);
		for (let i = 0; i < block.count; i++) {
			const value = block.literalOrLength[i];
			symbols.push(value < 256 ? [1, 0] : [value - 256, block.distance[i]]);
		}
		block.reset(block.rawEnd);
	}
	return symbols;
}

function adler32Reference(data: Uint8Array): number {
	let a = 1;
	let b = 0;
	for (const byte of data) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	return ((b << 16) | a) >>> 0;
}

describe('deflateZlib', () => {
	it('writes a zlib header zlib accepts: deflate, 32 KB window, FCHECK a multiple of 31', () => {
		const compressed = deflate(new Uint8Array([1, 2, 3]));
		expect(compressed[0]).toBe(0x78);
		expect((compressed[0] * 256 + compressed[1]) % 31).toBe(0);
		expect(compressed[1] & 0x20).toBe(0); // no preset dictionary
	});

	it('round-trips empty input as one fixed block holding only end-of-block', () => {
		const compressed = expectRoundTrip(new Uint8Array(0));
		expect(firstBlockType(compressed)).toBe(1);
		expect(compressed.length).toBe(8);
	});

	it('round-trips a single byte', () => {
		expectRoundTrip(new Uint8Array([0xab]));
	});

	it('round-trips short text as a fixed Huffman block', () => {
		const compressed = expectRoundTrip(new Uint8Array(Buffer.from('hello hello hello sticker')));
		expect(firstBlockType(compressed)).toBe(1);
	});

	it('round-trips 10 KB of text as a dynamic Huffman block', () => {
		const compressed = expectRoundTrip(textLike(10000));
		expect(firstBlockType(compressed)).toBe(2);
	});

	it('stores random data: 1 MB becomes stored blocks of at most 65535 bytes, the last one final', () => {
		const data = randomBytes(1 << 20);
		const compressed = expectRoundTrip(data);
		// Walk the blocks: every one must be stored, so each header sits at a known byte.
		let offset = 2;
		let blocks = 0;
		let final = 0;
		while (final === 0) {
			const header = compressed[offset];
			expect((header >> 1) & 3).toBe(0);
			final = header & 1;
			const length = compressed[offset + 1] | (compressed[offset + 2] << 8);
			const inverse = compressed[offset + 3] | (compressed[offset + 4] << 8);
			expect(length ^ inverse).toBe(0xffff);
			expect(length).toBeLessThanOrEqual(65535);
			offset += 5 + length;
			blocks++;
		}
		expect(offset).toBe(compressed.length - 4);
		expect(blocks).toBeGreaterThanOrEqual(17);
		expect(compressed.length).toBeLessThan(data.length + 200);
	});

	it('compresses 1 MB of zeros to about a thousand bytes (runs of 258)', () => {
		const compressed = expectRoundTrip(new Uint8Array(1 << 20));
		expect(compressed.length).toBeLessThan(1100);
	});

	it('round-trips a short repeated pattern spanning many blocks', () => {
		const data = new Uint8Array(300000);
		for (let i = 0; i < data.length; i++) data[i] = 'abcab'.charCodeAt(i % 5);
		expectRoundTrip(data);
	});

	// A 14-word vocabulary makes hash chains long: the effort cap (lz77.ts) costs a few per cent here.
	it('round-trips 1 MB of text within 10% of zlib level 9', () => {
		const data = textLike(1 << 20);
		const ours = expectRoundTrip(data).length;
		const reference = zlib.deflateSync(data, { level: 9, memLevel: 9 }).length;
		expect(ours / reference).toBeLessThan(1.1);
	});

	it('round-trips image-like RGBA rows within 5% of zlib level 9', () => {
		const data = imageLike(256, 256);
		const ours = expectRoundTrip(data).length;
		const reference = zlib.deflateSync(data, { level: 9, memLevel: 9 }).length;
		expect(ours / reference).toBeLessThan(1.05);
	});

	it('uses matches of the maximum length 258 and the maximum distance 32768, and round-trips them', () => {
		const window = randomBytes(32768, 11);
		const data = new Uint8Array(32768 * 2 + 5000);
		data.set(window, 0);
		data.set(window, 32768);
		const symbols = symbolsOf(data);
		expect(symbols.some(([length, distance]) => distance === 32768 && length >= 3)).toBe(true);
		expect(symbols.some(([length]) => length === 258)).toBe(true);
		expect(symbols.reduce((sum, [length]) => sum + length, 0)).toBe(data.length);
		expectRoundTrip(data);
	});

	it('never refers further back than 32768 bytes (a repeat at distance 32769 is not a match)', () => {
		const window = randomBytes(32769, 12);
		const data = new Uint8Array(32769 * 2);
		data.set(window, 0);
		data.set(window, 32769);
		const symbols = symbolsOf(data);
		expect(Math.max(...symbols.map(([, distance]) => distance))).toBeLessThanOrEqual(32768);
		expectRoundTrip(data);
	});

	it('round-trips 150 mixed inputs (runs, noise, text, small alphabets) of sizes from 0 to 100 KB', () => {
		const noise = randomBytes(1 << 17, 21);
		const text = textLike(1 << 17);
		for (let trial = 0; trial < 150; trial++) {
			const length = (noise[trial * 3] * 256 + noise[trial * 3 + 1]) % (trial < 50 ? 300 : 100000);
			const data = new Uint8Array(length);
			let i = 0;
			let k = trial * 17;
			while (i < length) {
				const kind = noise[k++ % noise.length] % 4;
				const span = Math.min(length - i, 1 + noise[k++ % noise.length] * 9);
				for (let j = 0; j < span; j++, i++) {
					if (kind === 0) data[i] = noise[k % 7];
					else if (kind === 1) data[i] = noise[(k + i) % noise.length];
					else if (kind === 2) data[i] = text[(k * 31 + j) % text.length];
					else data[i] = noise[(k + i) % noise.length] & 3;
				}
			}
			expectRoundTrip(data);
		}
	});

	it('ends with the Adler-32 of the input, big-endian, as zlib writes it', () => {
		const data = textLike(100000);
		const compressed = deflate(data);
		const tail = compressed.subarray(compressed.length - 4);
		const adler = ((tail[0] << 24) | (tail[1] << 16) | (tail[2] << 8) | tail[3]) >>> 0;
		expect(adler).toBe(adler32Reference(data));
		const reference = zlib.deflateSync(data);
		expect(Buffer.from(tail).equals(reference.subarray(reference.length - 4))).toBe(true);
	});

	it('yields at least once per 64 KB of input', () => {
		const data = imageLike(512, 256);
		const work = deflateZlib(data);
		let yields = 0;
		let step = work.next();
		while (!step.done) {
			yields++;
			step = work.next();
		}
		expect(yields).toBeGreaterThanOrEqual(data.length / 65536);
		expect(Buffer.compare(zlib.inflateSync(step.value), Buffer.from(data))).toBe(0);
	});

	it('keeps its search effort bounded on data whose hash chains are long and matches short', () => {
		// Many positions share 3-byte prefixes but diverge soon: the case that makes zlib level 9 slow.
		const noise = randomBytes(1 << 20, 5);
		const data = new Uint8Array(1 << 20);
		for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? noise[i] & 7 : 0;
		const started = Date.now();
		expectRoundTrip(data);
		expect(Date.now() - started).toBeLessThan(10000);
	});
});
