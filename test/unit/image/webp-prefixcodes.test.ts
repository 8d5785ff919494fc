import { BitWriter } from '../../../nodes/FaceToSticker/image/bitWriter';
import { codeLengths, reverseBits } from '../../../nodes/FaceToSticker/image/huffman';
import { lengthTokens, writePrefixCode } from '../../../nodes/FaceToSticker/image/webp/prefixCodes';
import { prng } from '../../helpers/random';
import { readCodeLengths, Reader } from '../../helpers/vp8lDecoder';

function kraft(lengths: ArrayLike<number>): number {
	let sum = 0;
	for (let s = 0; s < lengths.length; s++) if (lengths[s] > 0) sum += 2 ** -lengths[s];
	return sum;
}

function roundTrip(counts: number[]) {
	const writer = new BitWriter(64);
	const code = writePrefixCode(writer, counts);
	return { code, ...readCodeLengths(new Reader(writer.finish(), 0), counts.length) };
}

describe('writePrefixCode', () => {
	it('sends an unused alphabet as the simple code of symbol 0, which costs no bits per symbol', () => {
		const { code, simple, lengths } = roundTrip(new Array(40).fill(0));
		expect(simple).toBe(true);
		expect(lengths[0]).toBe(1);
		expect(Array.from(code.lengths).every((l) => l === 0)).toBe(true);
	});

	it('sends one symbol 0 or 1 in 1 bit and a larger one in 8 bits, both as zero-bit codes', () => {
		for (const symbol of [1, 200]) {
			const counts = new Array(256).fill(0);
			counts[symbol] = 9;
			const writer = new BitWriter(16);
			const code = writePrefixCode(writer, counts);
			expect(writer.bitLength).toBe(symbol < 2 ? 4 : 11);
			expect(code.lengths[symbol]).toBe(0);
			expect(readCodeLengths(new Reader(writer.finish(), 0), 256).lengths[symbol]).toBe(1);
		}
	});

	it('sends two symbols below 256 as the simple code, one bit each, the smaller symbol coded 0', () => {
		const counts = new Array(280).fill(0);
		counts[3] = 5;
		counts[250] = 1;
		const { code, simple, lengths } = roundTrip(counts);
		expect(simple).toBe(true);
		expect(lengths[3] + lengths[250]).toBe(2);
		expect([code.codes[3], code.codes[250]]).toEqual([0, 1]);
	});

	it('uses the normal code for a single symbol of 256 or more (no simple code can name it)', () => {
		const counts = new Array(280).fill(0);
		counts[270] = 4;
		const { code, simple, lengths } = roundTrip(counts);
		expect(simple).toBe(false);
		expect(lengths[270]).toBe(1);
		expect(code.lengths[270]).toBe(0);
	});

	it.each([
		['skewed, with trailing zeros trimmed', 1, 280, 0.2],
		['dense over a 2328-symbol alphabet', 2, 2328, 0.9],
		['sparse runs of equal lengths', 3, 256, 0.05],
	])('round-trips the declared lengths of a %s histogram', (_name, seed, size, density) => {
		const random = prng(seed);
		const counts = Array.from({ length: size }, () => (random() < density ? Math.floor(2 ** (random() * 16)) : 0));
		counts[0] = 1;
		counts[1] = 1000;
		const { code, simple, lengths } = roundTrip(counts);
		expect(simple).toBe(false);
		expect(lengths).toEqual(Array.from(code.lengths));
		expect(kraft(code.lengths)).toBe(1);
		expect(Math.max(...code.lengths)).toBeLessThanOrEqual(15);
	});

	it('assigns canonical codes: shorter first, then by symbol, each the bit-reversed next value', () => {
		const counts = [10, 1, 1, 5, 0, 20, 2, 2];
		const writer = new BitWriter(16);
		const { lengths, codes } = writePrefixCode(writer, counts);
		const order = [0, 1, 2, 3, 5, 6, 7].sort((a, b) => lengths[a] - lengths[b] || a - b);
		let next = 0;
		let last = lengths[order[0]];
		for (const s of order) {
			next <<= lengths[s] - last;
			last = lengths[s];
			expect(reverseBits(codes[s], lengths[s])).toBe(next++);
		}
		expect(kraft(lengths)).toBe(1);
	});
});

describe('code-length tokens', () => {
	it('run-length codes with 16 (repeat previous non-zero, starting at 8), 17 and 18 (zeros)', () => {
		const lengths = [8, 8, 8, 8, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, ...new Array(150).fill(0), 3, 3];
		const { symbols, extras } = lengthTokens(lengths);
		expect(symbols).toEqual([16, 17, 5, 16, 5, 18, 18, 3, 3]);
		const out: number[] = [];
		let previous = 8;
		symbols.forEach((s, i) => {
			if (s < 16) {
				out.push(s);
				if (s) previous = s;
			} else {
				const n = (s === 18 ? 11 : 3) + extras[i];
				for (let k = 0; k < n; k++) out.push(s === 16 ? previous : 0);
			}
		});
		expect(out).toEqual(lengths);
	});
});

describe('codeLengths (image/huffman.ts)', () => {
	it('gives complete codes within the length limit for steep histograms (the overflow repair)', () => {
		const random = prng(9);
		for (let trial = 0; trial < 200; trial++) {
			const n = 20 + Math.floor(random() * 600);
			const counts = Array.from({ length: n }, () => (random() < 0.3 ? 0 : Math.floor(2 ** (random() * 24))));
			counts[0] = 1;
			counts[1] = 2;
			const lengths = codeLengths(counts, 15);
			expect(kraft(lengths)).toBe(1);
			expect(Math.max(...lengths)).toBeLessThanOrEqual(15);
		}
	});
});
