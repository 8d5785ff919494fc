/**
 * The B_PRED choice of one macroblock: sixteen 4 × 4 sub-blocks in raster order, each predicted from the
 * samples already reconstructed (the macroblock's edges, with the above-right of the right column taken
 * from the row above the macroblock, as the decoder does). The ten modes are ranked by a cheap estimate
 * (SATD of the residual + mode bits) and the best few are coded in full by rate and distortion.
 */
import { BMODE_COST, YMODE_COST } from './modeCosts';
import { B_PRED, NUM_BMODES, predictSubblock } from './predict';
import type { QuantSteps } from './quant';
import { BlockCoder, hasLevels, satd } from './residual';
import { forwardDct } from './transforms';
import { TYPE_Y_WITH_DC } from './tokens';
import type { YuvPlanes } from './yuv';

/** Sub-block modes coded in full, out of the ten ranked by their estimate. */
const I4_CANDIDATES = 4;

/** The macroblock's surroundings: edges (127/129 outside the frame) and the neighbours' contexts. */
export interface SubblockEdges {
	/** 16 above + 4 above-right. */
	top: Uint8Array;
	left: Uint8Array;
	corner: number;
	/** Sub-block modes above (4) and to the left (4). */
	aboveModes: Uint8Array;
	leftModes: Uint8Array;
	/** Non-zero flags above (4) and to the left (4) of the luma blocks. */
	aboveNz: Uint8Array;
	leftNz: Uint8Array;
}

export class SubblockSearch {
	/** The result: levels of the 16 luma blocks, the samples and the modes. */
	readonly levels = new Int16Array(256);
	readonly samples = new Uint8Array(256);
	readonly modes = new Uint8Array(16);
	private readonly sub = new Uint8Array(16);
	private readonly subTop = new Uint8Array(8);
	private readonly subLeft = new Uint8Array(4);
	private readonly subLevels = new Int16Array(16);
	private readonly bestSubLevels = new Int16Array(16);
	private readonly bestSub = new Uint8Array(16);
	private readonly nz = new Uint8Array(8);
	private readonly above = new Uint8Array(4);
	private readonly leftModes = new Uint8Array(4);
	private readonly candidates = new Uint8Array(NUM_BMODES);
	private readonly estimates = new Float64Array(NUM_BMODES);
	private readonly preds = new Uint8Array(NUM_BMODES * 16);
	private readonly sqrtLambda: number;
	private readonly byEstimate = (a: number, b: number) => this.estimates[a] - this.estimates[b];

	constructor(
		private readonly planes: YuvPlanes,
		private readonly steps: QuantSteps,
		private readonly blocks: BlockCoder,
	) {
		this.sqrtLambda = Math.sqrt(blocks.lambda);
	}

	/** Codes the macroblock at luma offset `srcBase`, stopping once the score reaches `toBeat`; returns the score. */
	choose(srcBase: number, edges: SubblockEdges, toBeat: number): number {
		const { planes, steps, blocks, levels, samples, subTop, subLeft, sub, nz, subLevels, bestSubLevels, above, leftModes, bestSub } = this;
		const { yStride } = planes;
		const lambda = blocks.lambda;
		above.set(edges.aboveModes);
		leftModes.set(edges.leftModes);
		nz.set(edges.aboveNz);
		nz.set(edges.leftNz, 4);
		levels.fill(0);
		let score = lambda * YMODE_COST[B_PRED];
		for (let b = 0; b < 16 && score < toBeat; b++) {
			const bx = b & 3, by = b >> 2;
			const recOffset = by * 4 * 16 + bx * 4;
			for (let i = 0; i < 4; i++) {
				subTop[i] = by === 0 ? edges.top[bx * 4 + i] : samples[recOffset - 16 + i];
				subTop[4 + i] = bx === 3 ? edges.top[16 + i] : by === 0 ? edges.top[bx * 4 + 4 + i] : samples[recOffset - 16 + 4 + i];
				subLeft[i] = bx === 0 ? edges.left[by * 4 + i] : samples[recOffset + i * 16 - 1];
			}
			const corner =
				by === 0 ? (bx === 0 ? edges.corner : edges.top[bx * 4 - 1]) : bx === 0 ? edges.left[by * 4 - 1] : samples[recOffset - 17];
			const modeCtx = (above[bx] * 10 + leftModes[by]) * 10;
			const ctx = nz[bx] + nz[4 + by];
			const srcOffset = srcBase + by * 4 * yStride + bx * 4;
			const { candidates, estimates, preds } = this;
			for (let mode = 0; mode < NUM_BMODES; mode++) {
				predictSubblock(mode, subTop, subLeft, corner, sub);
				preds.set(sub, mode * 16);
				estimates[mode] = satd(planes.y, srcOffset, yStride, sub, planes.weightY) + this.sqrtLambda * BMODE_COST[modeCtx + mode];
				candidates[mode] = mode;
			}
			candidates.sort(this.byEstimate);
			let bestScore = Infinity;
			let bestMode = 0;
			for (let k = 0; k < I4_CANDIDATES; k++) {
				const mode = candidates[k];
				sub.set(preds.subarray(mode * 16, mode * 16 + 16));
				forwardDct(planes.y, sub, srcOffset, yStride, 0, 4, blocks.coeffs, blocks.tmp);
				subLevels.fill(0);
				const s =
					blocks.code(subLevels, 0, TYPE_Y_WITH_DC, ctx, steps.y1[0], steps.y1[1], null, sub, 0, 4, planes.y, planes.weightY, srcOffset, yStride) +
					lambda * BMODE_COST[modeCtx + mode];
				if (s < bestScore) {
					bestScore = s;
					bestMode = mode;
					bestSubLevels.set(subLevels);
					bestSub.set(sub);
				}
			}
			score += bestScore;
			for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) samples[recOffset + y * 16 + x] = bestSub[y * 4 + x];
			levels.set(bestSubLevels, b * 16);
			this.modes[b] = bestMode;
			above[bx] = leftModes[by] = bestMode;
			nz[bx] = nz[4 + by] = hasLevels(bestSubLevels, 0, 0) ? 1 : 0;
		}
		return score;
	}
}
