/**
 * DCT token coding (RFC 6386 section 13): a block's levels, in zigzag order, become a walk down the token
 * tree with context-dependent probabilities. The same walk is written three ways: its cost in bits (for
 * rate-distortion choices), its branch counts (for the probability updates) and its bits (the bitstream).
 * Probabilities are flat: ((type × 8 + band) × 3 + context) × 11 + branch.
 */
import type { BoolEncoder } from './boolEncoder';

export const ZIGZAG = new Uint8Array([0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15]);
/** Band of each coefficient position (and 0 for the position after the last, never used for a token). */
export const BANDS = new Uint8Array([0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0]);

/** Block types: luma after Y2 (from position 1), Y2, chroma, luma with its own DC (B_PRED). */
export const TYPE_Y_AFTER_Y2 = 0;
export const TYPE_Y2 = 1;
export const TYPE_UV = 2;
export const TYPE_Y_WITH_DC = 3;
export const NUM_PROBS = 4 * 8 * 3 * 11;
export const MAX_LEVEL = 2047;

const CAT_PROBS = [
	[173, 148, 140],
	[176, 155, 140, 135],
	[180, 157, 141, 134, 130],
	[254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129],
];

/** Cost in bits of coding 0 (COST0[p]) or 1 (COST1[p]) with probability p/256 of a 0. */
export const COST0 = new Float64Array(256);
export const COST1 = new Float64Array(256);
for (let p = 1; p < 256; p++) {
	COST0[p] = -Math.log2(p / 256);
	COST1[p] = -Math.log2(1 - p / 256);
}
COST0[0] = COST0[1];
COST1[0] = COST1[1];

/** Extra bits cost of values 11..2047 (category 3 to 6), independent of context. */
const EXTRA_COST = new Float64Array(MAX_LEVEL + 1);
for (let v = 11; v <= MAX_LEVEL; v++) {
	const cat = v < 19 ? 0 : v < 35 ? 1 : v < 67 ? 2 : 3;
	const base = 3 + (8 << cat);
	const probs = CAT_PROBS[cat];
	let cost = 0;
	for (let i = 0; i < probs.length; i++) {
		const bit = ((v - base) >> (probs.length - 1 - i)) & 1;
		cost += bit ? COST1[probs[i]] : COST0[probs[i]];
	}
	EXTRA_COST[v] = cost;
}

/** Position of the last non-zero level at or after `first`, or -1. */
export function lastNonZero(levels: Int16Array, offset: number, first: number): number {
	for (let n = 15; n >= first; n--) if (levels[offset + n] !== 0) return n;
	return -1;
}

/**
 * A sink for the branches of the walk: `bit(b, index)` for a branch with probability probs[index], `fixed(b,
 * prob)` for a branch of constant probability (extra bits, signs).
 */
interface Sink {
	bit(b: number, index: number): void;
	fixed(b: number, prob: number): void;
}

/** Walks the token tree for one block; returns whether it had non-zero levels (the next context). */
function walk(levels: Int16Array, offset: number, first: number, type: number, ctx: number, sink: Sink): boolean {
	const last = lastNonZero(levels, offset, first);
	const base = type * 264;
	let n = first;
	let p = base + (BANDS[n] * 3 + ctx) * 11;
	if (last < 0) {
		sink.bit(0, p);
		return false;
	}
	sink.bit(1, p);
	while (n < 16) {
		const level = levels[offset + n++];
		if (level === 0) {
			sink.bit(0, p + 1);
			p = base + BANDS[n] * 33;
			continue;
		}
		sink.bit(1, p + 1);
		const v = level < 0 ? -level : level;
		let next = 2;
		if (v === 1) {
			sink.bit(0, p + 2);
			next = 1;
		} else {
			sink.bit(1, p + 2);
			if (v <= 4) {
				sink.bit(0, p + 3);
				if (v === 2) sink.bit(0, p + 4);
				else {
					sink.bit(1, p + 4);
					sink.bit(v === 4 ? 1 : 0, p + 5);
				}
			} else if (v <= 10) {
				sink.bit(1, p + 3);
				sink.bit(0, p + 6);
				if (v <= 6) {
					sink.bit(0, p + 7);
					sink.fixed(v === 6 ? 1 : 0, 159);
				} else {
					sink.bit(1, p + 7);
					sink.fixed(v >= 9 ? 1 : 0, 165);
					sink.fixed(v & 1 ? 0 : 1, 145);
				}
			} else {
				sink.bit(1, p + 3);
				sink.bit(1, p + 6);
				const cat = v < 19 ? 0 : v < 35 ? 1 : v < 67 ? 2 : 3;
				sink.bit(cat >> 1, p + 8);
				sink.bit(cat & 1, p + 9 + (cat >> 1));
				const probs = CAT_PROBS[cat];
				const extra = v - (3 + (8 << cat));
				for (let i = 0; i < probs.length; i++) sink.fixed((extra >> (probs.length - 1 - i)) & 1, probs[i]);
			}
		}
		sink.fixed(level < 0 ? 1 : 0, 128);
		p = base + (BANDS[n] * 3 + next) * 11;
		if (n === 16) break;
		if (n > last) {
			sink.bit(0, p);
			break;
		}
		sink.bit(1, p);
	}
	return true;
}

/** Counts of 0s and 1s per probability, for the header's probability updates. */
export class TokenStats {
	readonly zeros = new Uint32Array(NUM_PROBS);
	readonly ones = new Uint32Array(NUM_PROBS);
	private readonly sink: Sink = {
		bit: (b, index) => {
			if (b) this.ones[index]++;
			else this.zeros[index]++;
		},
		fixed: () => undefined,
	};

	record(levels: Int16Array, offset: number, first: number, type: number, ctx: number): boolean {
		return walk(levels, offset, first, type, ctx, this.sink);
	}
}

/** Writes one block's tokens; returns whether it had non-zero levels. */
export function writeTokens(
	encoder: BoolEncoder,
	probs: Uint8Array,
	levels: Int16Array,
	offset: number,
	first: number,
	type: number,
	ctx: number,
): boolean {
	return walk(levels, offset, first, type, ctx, {
		bit: (b, index) => encoder.put(b, probs[index]),
		fixed: (b, prob) => encoder.put(b, prob),
	});
}

/**
 * Cost in bits of one block's tokens (the walk above, unrolled for speed: the rate-distortion search calls
 * it for every candidate).
 */
export function tokenCost(probs: Uint8Array, levels: Int16Array, offset: number, first: number, type: number, ctx: number): number {
	let last = -1;
	for (let n = 15; n >= first; n--) {
		if (levels[offset + n] !== 0) {
			last = n;
			break;
		}
	}
	const base = type * 264;
	let n = first;
	let p = base + (BANDS[n] * 3 + ctx) * 11;
	if (last < 0) return COST0[probs[p]];
	let cost = COST1[probs[p]];
	while (n < 16) {
		const level = levels[offset + n++];
		if (level === 0) {
			cost += COST0[probs[p + 1]];
			p = base + BANDS[n] * 33;
			continue;
		}
		cost += COST1[probs[p + 1]] + 1;
		const v = level < 0 ? -level : level;
		let next = 2;
		if (v === 1) {
			cost += COST0[probs[p + 2]];
			next = 1;
		} else {
			cost += COST1[probs[p + 2]];
			if (v <= 4) {
				cost += COST0[probs[p + 3]];
				if (v === 2) cost += COST0[probs[p + 4]];
				else cost += COST1[probs[p + 4]] + (v === 4 ? COST1[probs[p + 5]] : COST0[probs[p + 5]]);
			} else if (v <= 10) {
				cost += COST1[probs[p + 3]] + COST0[probs[p + 6]];
				if (v <= 6) cost += COST0[probs[p + 7]] + (v === 6 ? COST1[159] : COST0[159]);
				else cost += COST1[probs[p + 7]] + (v >= 9 ? COST1[165] : COST0[165]) + (v & 1 ? COST0[145] : COST1[145]);
			} else {
				cost += COST1[probs[p + 3]] + COST1[probs[p + 6]] + EXTRA_COST[v > MAX_LEVEL ? MAX_LEVEL : v];
				if (v < 35) cost += COST0[probs[p + 8]] + (v < 19 ? COST0[probs[p + 9]] : COST1[probs[p + 9]]);
				else cost += COST1[probs[p + 8]] + (v < 67 ? COST0[probs[p + 10]] : COST1[probs[p + 10]]);
			}
		}
		p = base + (BANDS[n] * 3 + next) * 11;
		if (n === 16) break;
		if (n > last) {
			cost += COST0[probs[p]];
			break;
		}
		cost += COST1[probs[p]];
	}
	return cost;
}
