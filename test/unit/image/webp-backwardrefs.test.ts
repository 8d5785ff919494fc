import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import {
	cacheHits,
	cacheSlot,
	findBackwardRefs,
	literalRefs,
	MAX_COPY_LENGTH,
} from '../../../nodes/FaceToSticker/image/webp/backwardRefs';
import type { BackwardRefs } from '../../../nodes/FaceToSticker/image/webp/backwardRefs';
import {
	distanceCoder,
	planeCodeToDistance,
	prefixExtraBits,
	prefixExtraValue,
	prefixSymbol,
} from '../../../nodes/FaceToSticker/image/webp/distances';
import { prng } from '../../helpers/random';

/** Replays refs as a decoder does, turning distance codes back into distances. */
function expand(refs: BackwardRefs, width: number, n: number): Uint32Array {
	const out = new Uint32Array(n);
	let i = 0;
	for (let t = 0; t < refs.count; t++) {
		const length = refs.lengths[t];
		if (length === 0) {
			out[i++] = refs.values[t];
			continue;
		}
		const distance = planeCodeToDistance(width, refs.values[t]);
		if (distance > i) throw new Error(`copy reaches before the start at ${i}`);
		for (let k = 0; k < length; k++, i++) out[i] = out[i - distance];
	}
	expect(i).toBe(n);
	return out;
}

describe('distance mapping', () => {
	it('names the pixel above with code 1 and the left one with code 2', () => {
		const toCode = distanceCoder(100);
		expect(toCode(100)).toBe(1);
		expect(toCode(1)).toBe(2);
		expect(toCode(99)).toBe(4);
	});

	it.each([1, 2, 3, 7, 8, 9, 16, 100, 1024])('round-trips every distance up to 10 rows at width %i', (width) => {
		const toCode = distanceCoder(width);
		for (let d = 1; d <= 10 * width + 20; d++) {
			const code = toCode(d);
			expect(planeCodeToDistance(width, code)).toBe(d);
			if (code <= 120) expect(code).toBeGreaterThanOrEqual(1);
		}
	});

	it('sends far distances as distance + 120', () => {
		expect(distanceCoder(10)(5000)).toBe(5120);
		expect(planeCodeToDistance(10, 5120)).toBe(5000);
	});

	it('clamps short codes that point before the row start to distance 1 on a 1-pixel-wide image', () => {
		expect(planeCodeToDistance(1, 4)).toBe(1);
	});
});

describe('prefix coding of lengths and distances', () => {
	it('splits every value into a symbol and extra bits that add back up (RFC 9649 §3.5.2.2)', () => {
		for (let value = 1; value <= 1 << 20; value += value < 5000 ? 1 : 997) {
			const symbol = prefixSymbol(value);
			const extraBits = prefixExtraBits(symbol);
			const extra = prefixExtraValue(value);
			expect(extra).toBeLessThan(2 ** Math.max(extraBits, 0) || 1);
			const decoded = symbol < 4 ? symbol + 1 : ((2 + (symbol & 1)) << extraBits) + extra + 1;
			expect(decoded).toBe(value);
		}
		expect(prefixSymbol(4096)).toBeLessThan(24);
		expect(prefixSymbol((1 << 20) - 120 + 120)).toBeLessThan(40);
	});
});

describe('LZ77 backward references', () => {
	it('expand back to noisy pixels (mostly literals)', () => {
		const random = prng(3);
		const pixels = Uint32Array.from({ length: 3000 }, () => (random() * 2 ** 32) >>> 0);
		const refs = runToEnd(findBackwardRefs(pixels, 50, { maxChain: 8, minLength: 3 }));
		expect(expand(refs, 50, pixels.length)).toEqual(pixels);
		expect(refs.count).toBe(pixels.length);
	});

	it('expand back to repetitive pixels with rows, runs and repeats, using copies', () => {
		const random = prng(4);
		const row = Uint32Array.from({ length: 37 }, () => (random() * 16) >>> 0);
		const pixels = new Uint32Array(37 * 60);
		for (let y = 0; y < 60; y++) {
			for (let x = 0; x < 37; x++) pixels[y * 37 + x] = y % 7 === 3 ? (random() * 4) >>> 0 : row[(x + y) % 37];
		}
		const refs = runToEnd(findBackwardRefs(pixels, 37, { maxChain: 8, minLength: 3 }));
		expect(expand(refs, 37, pixels.length)).toEqual(pixels);
		expect(refs.count).toBeLessThan(pixels.length / 3);
	});

	it('splits a run longer than the 4096 maximum into several copies', () => {
		const pixels = new Uint32Array(10000).fill(0xff112233);
		const refs = runToEnd(findBackwardRefs(pixels, 100, { maxChain: 8, minLength: 3 }));
		expect(expand(refs, 100, pixels.length)).toEqual(pixels);
		expect(Math.max(...refs.lengths.subarray(0, refs.count))).toBe(MAX_COPY_LENGTH);
		expect(refs.count).toBe(4);
	});

	it('yields while it works on a large image', () => {
		const pixels = Uint32Array.from({ length: 100000 }, (_, i) => i % 1000);
		const work = findBackwardRefs(pixels, 1000, { maxChain: 8, minLength: 3 });
		let yields = 0;
		while (!work.next().done) yields++;
		expect(yields).toBeGreaterThan(3);
	});
});

describe('colour cache', () => {
	it('hashes with 0x1e35a7bd into the top bits', () => {
		expect(cacheSlot(0, 4)).toBe(0);
		expect(cacheSlot(1, 8)).toBe(0x1e);
		expect(cacheSlot(0xffffffff, 11)).toBe(Math.imul(0xffffffff, 0x1e35a7bd) >>> 21);
	});

	it('hits only colours a decoder already has in that slot, copied pixels included', () => {
		const a = 0xff0000ff;
		const b = 0xff00ff00;
		const pixels = Uint32Array.from([a, b, a, b, a, 0, 0]);
		const refs: BackwardRefs = {
			count: 5,
			lengths: Uint16Array.from([0, 0, 2, 0, 0]),
			values: Uint32Array.from([a, b, 2, a, 0]),
		};
		// A zero pixel first seen is no hit although an empty cache holds zeros.
		expect(Array.from(runToEnd(cacheHits(pixels, refs, 4)))).toEqual([-1, -1, -1, cacheSlot(a, 4), -1]);
	});

	it('treats every pixel as a literal in literalRefs', () => {
		const refs = literalRefs(Uint32Array.from([1, 2, 3]));
		expect(refs.count).toBe(3);
		expect(Array.from(refs.lengths)).toEqual([0, 0, 0]);
	});
});
