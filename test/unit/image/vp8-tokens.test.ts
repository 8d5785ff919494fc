import { BoolEncoder } from '../../../nodes/FaceToSticker/image/vp8/boolEncoder';
import { DEFAULT_COEFF_PROBS } from '../../../nodes/FaceToSticker/image/vp8/coeffProbs';
import { BMODE_COST, UVMODE_COST, YMODE_COST, writeBMode, writeUvMode, writeYMode } from '../../../nodes/FaceToSticker/image/vp8/modeCosts';
import { lastNonZero, MAX_LEVEL, TokenStats, tokenCost, writeTokens } from '../../../nodes/FaceToSticker/image/vp8/tokens';
import { BoolDecoder } from '../../helpers/boolDecoder';
import { readBlock } from '../../helpers/vp8Parser';
import { prng } from '../../helpers/random';

// Tokens written by the encoder and read back by a reader typed in from RFC 6386 section 13
// (test/helpers/vp8Parser.ts); costs checked against what the bool encoder really spends.

/** Random levels in zigzag order: mostly zeros and small values, sometimes every token category. */
function randomBlock(random: () => number, first: number): Int16Array {
	const levels = new Int16Array(16);
	const count = Math.floor(random() * 17);
	for (let i = 0; i < count; i++) {
		const n = first + Math.floor(random() * (16 - first));
		const r = random();
		const magnitude = r < 0.5 ? 1 : r < 0.7 ? 2 + Math.floor(random() * 3) : r < 0.85 ? 5 + Math.floor(random() * 6) : r < 0.95 ? 11 + Math.floor(random() * 56) : 67 + Math.floor(random() * (MAX_LEVEL - 66));
		levels[n] = random() < 0.5 ? -magnitude : magnitude;
	}
	return levels;
}

describe('VP8 tokens', () => {
	it('read back exactly: 3000 random blocks of every type, context and token category', () => {
		const random = prng(1313);
		const encoder = new BoolEncoder();
		const written: Array<{ levels: Int16Array; type: number; ctx: number; first: number }> = [];
		for (let i = 0; i < 3000; i++) {
			const type = i % 4;
			const first = type === 0 ? 1 : 0;
			const ctx = Math.floor(random() * 3);
			const levels = randomBlock(random, first);
			const nonZero = writeTokens(encoder, DEFAULT_COEFF_PROBS, levels, 0, first, type, ctx);
			expect(nonZero).toBe(lastNonZero(levels, 0, first) >= 0);
			written.push({ levels, type, ctx, first });
		}
		const decoder = new BoolDecoder(encoder.finish());
		for (const { levels, type, ctx, first } of written) {
			const read = readBlock(decoder, DEFAULT_COEFF_PROBS, type, ctx, first);
			expect(read.levels.slice(first)).toEqual(Array.from(levels.slice(first)));
		}
	});

	// Random blocks hit unlikely branches at extreme probabilities, where the coder's integer split differs
	// most from p/256: the estimate stays within 3 %.
	it('costs what the bool encoder spends, within 3 %, over 5000 blocks', () => {
		const random = prng(77);
		const encoder = new BoolEncoder();
		let bits = 0;
		for (let i = 0; i < 5000; i++) {
			const type = i % 4, first = type === 0 ? 1 : 0, ctx = i % 3;
			const levels = randomBlock(random, first);
			bits += tokenCost(DEFAULT_COEFF_PROBS, levels, 0, first, type, ctx);
			writeTokens(encoder, DEFAULT_COEFF_PROBS, levels, 0, first, type, ctx);
		}
		const spent = encoder.finish().length * 8;
		expect(Math.abs(spent - bits) / spent).toBeLessThan(0.03);
	});

	it('counts each branch it takes: an empty block is one 0 at its first probability', () => {
		const stats = new TokenStats();
		expect(stats.record(new Int16Array(16), 0, 0, 2, 1)).toBe(false);
		const index = (2 * 8 * 3 + 0 * 3 + 1) * 11;
		expect([stats.zeros[index], stats.ones[index]]).toEqual([1, 0]);
		const one = new Int16Array(16);
		one[0] = -1;
		expect(stats.record(one, 0, 0, 2, 1)).toBe(true);
		// Not-EOB and not-zero are 1s, "is it 1?" is a 0; then position 1 (band 1, context 1) says EOB.
		expect([stats.ones[index], stats.ones[index + 1], stats.zeros[index + 2]]).toEqual([1, 1, 1]);
		expect(stats.zeros[(2 * 8 * 3 + 1 * 3 + 1) * 11]).toBe(1);
	});

	it('writes every luma, chroma and sub-block mode so a reader gets it back, and costs each', () => {
		const encoder = new BoolEncoder();
		for (let m = 0; m < 5; m++) writeYMode(encoder, m);
		for (let m = 0; m < 4; m++) writeUvMode(encoder, m);
		for (let m = 0; m < 10; m++) writeBMode(encoder, m, (m * 3) % 10, (m * 7) % 10);
		const d = new BoolDecoder(encoder.finish());
		for (let m = 0; m < 5; m++) expect(!d.read(145) ? 4 : d.read(156) ? (d.read(128) ? 3 : 2) : d.read(163) ? 1 : 0).toBe(m);
		for (let m = 0; m < 4; m++) expect(!d.read(142) ? 0 : !d.read(114) ? 1 : d.read(183) ? 3 : 2).toBe(m);
		expect(YMODE_COST.length).toBe(5);
		expect(UVMODE_COST[0]).toBeLessThan(1);
		// The most likely sub-block mode after two DC neighbours is DC.
		const dcContext = Array.from(BMODE_COST.subarray(0, 10));
		expect(Math.min(...dcContext)).toBe(dcContext[0]);
	});
});
