/**
 * Bits of the key-frame mode trees (RFC 6386 sections 11.2-11.4): the 16 × 16 luma mode with its fixed
 * probabilities, the sub-block modes with probabilities chosen by the modes above and to the left, and the
 * chroma mode. Each mode is a path of [probability index or value, bit] pairs, written and costed alike.
 */
import type { BoolEncoder } from './boolEncoder';
import { COST0, COST1 } from './tokens';
import { KF_BMODE_PROBS } from './tables';

/** kf_ymode_tree paths: DC, V, H, TM, B_PRED with probabilities 145, 156, 163, 128. */
const YMODE_PATHS: Array<Array<[number, number]>> = [
	[[145, 1], [156, 0], [163, 0]],
	[[145, 1], [156, 0], [163, 1]],
	[[145, 1], [156, 1], [128, 0]],
	[[145, 1], [156, 1], [128, 1]],
	[[145, 0]],
];

/** uv_mode_tree paths with kf_uv_mode_probs 142, 114, 183: DC, V, H, TM. */
const UVMODE_PATHS: Array<Array<[number, number]>> = [
	[[142, 0]],
	[[142, 1], [114, 0]],
	[[142, 1], [114, 1], [183, 0]],
	[[142, 1], [114, 1], [183, 1]],
];

/** bmode_tree paths as [index into the 9 context probabilities, bit], by sub-block mode (predict.ts numbering). */
const BMODE_PATHS: Array<Array<[number, number]>> = [
	[[0, 0]],
	[[0, 1], [1, 0]],
	[[0, 1], [1, 1], [2, 0]],
	[[0, 1], [1, 1], [2, 1], [3, 0], [4, 0]],
	[[0, 1], [1, 1], [2, 1], [3, 0], [4, 1], [5, 0]],
	[[0, 1], [1, 1], [2, 1], [3, 0], [4, 1], [5, 1]],
	[[0, 1], [1, 1], [2, 1], [3, 1], [6, 0]],
	[[0, 1], [1, 1], [2, 1], [3, 1], [6, 1], [7, 0]],
	[[0, 1], [1, 1], [2, 1], [3, 1], [6, 1], [7, 1], [8, 0]],
	[[0, 1], [1, 1], [2, 1], [3, 1], [6, 1], [7, 1], [8, 1]],
];

const pathCost = (path: Array<[number, number]>, prob: (i: number) => number) =>
	path.reduce((sum, [p, bit]) => sum + (bit ? COST1[prob(p)] : COST0[prob(p)]), 0);

/** Bits of each luma mode (0..4). */
export const YMODE_COST = YMODE_PATHS.map((path) => pathCost(path, (p) => p));
/** Bits of each chroma mode (0..3). */
export const UVMODE_COST = UVMODE_PATHS.map((path) => pathCost(path, (p) => p));
/** Bits of sub-block mode m with above mode a and left mode l: BMODE_COST[(a × 10 + l) × 10 + m]. */
export const BMODE_COST = new Float64Array(1000);
for (let ctx = 0; ctx < 100; ctx++) {
	for (let m = 0; m < 10; m++) BMODE_COST[ctx * 10 + m] = pathCost(BMODE_PATHS[m], (i) => KF_BMODE_PROBS[ctx * 9 + i]);
}

export function writeYMode(encoder: BoolEncoder, mode: number): void {
	for (const [prob, bit] of YMODE_PATHS[mode]) encoder.put(bit, prob);
}

export function writeUvMode(encoder: BoolEncoder, mode: number): void {
	for (const [prob, bit] of UVMODE_PATHS[mode]) encoder.put(bit, prob);
}

export function writeBMode(encoder: BoolEncoder, mode: number, above: number, left: number): void {
	const base = (above * 10 + left) * 9;
	for (const [index, bit] of BMODE_PATHS[mode]) encoder.put(bit, KF_BMODE_PROBS[base + index]);
}
