/**
 * One macroblock's coding choice by rate and distortion: the four 16 × 16 luma modes (with Y2), sixteen
 * 4 × 4 sub-blocks each with the best of ten modes, and the four chroma modes. A candidate's score is the
 * alpha-weighted squared error of its reconstruction plus lambda × its bits (mode bits and token bits from
 * the current probabilities). Each transformed block may also be dropped to no coefficients when that
 * scores better. The chosen reconstruction is exactly what the decoder makes before the loop filter.
 */
import { B_PRED, BMODE_OF_MODE, predictBlock } from './predict';
import type { QuantSteps } from './quant';
import { UVMODE_COST, YMODE_COST } from './modeCosts';
import { BlockCoder, hasLevels } from './residual';
import { SubblockSearch } from './subblocks';
import type { SubblockEdges } from './subblocks';
import { forwardDct, forwardWht, inverseWht } from './transforms';
import { TYPE_UV, TYPE_Y2, TYPE_Y_AFTER_Y2, ZIGZAG, tokenCost } from './tokens';
import type { YuvPlanes } from './yuv';

/** Blocks of a macroblock in `levels`: 16 luma, 4 U, 4 V, then Y2; 16 levels each in zigzag order. */
export const U_BLOCK = 16;
export const V_BLOCK = 20;
export const Y2_BLOCK = 24;
export const BLOCKS_PER_MB = 25;

/** Everything the macroblock coder reads and writes; one per frame. */
export class FrameCoder {
	readonly mbw: number;
	readonly mbh: number;
	readonly recY: Uint8Array;
	readonly recU: Uint8Array;
	readonly recV: Uint8Array;
	readonly yMode: Uint8Array;
	readonly bModes: Uint8Array;
	readonly uvMode: Uint8Array;
	readonly levels: Int16Array;
	/** The loop filter's inner edges are filtered. */
	readonly inner: Uint8Array;
	/** No non-zero level in the macroblock. */
	readonly skip: Uint8Array;
	/** Non-zero flags above, per macroblock column: 4 Y, 2 U, 2 V, Y2. */
	private readonly topNz: Uint8Array;
	private readonly leftNz = new Uint8Array(9);
	private readonly topB: Uint8Array;
	private readonly leftB = new Uint8Array(4);
	// Work buffers.
	private readonly topY = new Uint8Array(20);
	private readonly leftY = new Uint8Array(16);
	private readonly topU = new Uint8Array(8);
	private readonly leftU = new Uint8Array(8);
	private readonly topV = new Uint8Array(8);
	private readonly leftV = new Uint8Array(8);
	private cornerY = 0;
	private cornerU = 0;
	private cornerV = 0;
	private hasTop = false;
	private hasLeft = false;
	private readonly pred = new Uint8Array(256);
	private readonly predV = new Uint8Array(64);
	private readonly dcs = new Int32Array(16);
	private readonly wht = new Int32Array(16);
	/** Candidate results: levels (25 blocks) and reconstructions, current best and trial. */
	private readonly trialLevels = new Int16Array(BLOCKS_PER_MB * 16);
	private readonly bestLevels = new Int16Array(BLOCKS_PER_MB * 16);
	private readonly trialY = new Uint8Array(256);
	private readonly bestY = new Uint8Array(256);
	private readonly trialU = new Uint8Array(64);
	private readonly trialV = new Uint8Array(64);
	private readonly bestU = new Uint8Array(64);
	private readonly bestV = new Uint8Array(64);
	private readonly nz = new Uint8Array(8);
	private readonly i16Levels = new Int16Array(BLOCKS_PER_MB * 16);
	private readonly i16Y = new Uint8Array(256);
	private readonly blocks: BlockCoder;
	private readonly subblocks: SubblockSearch;
	private readonly edges: SubblockEdges;
	private currentRow = 0;

	constructor(
		private readonly planes: YuvPlanes,
		private readonly steps: QuantSteps,
		private readonly lambda: number,
		/** Token probabilities the costs are computed with. */
		probs: Uint8Array,
	) {
		this.blocks = new BlockCoder(lambda, probs);
		this.subblocks = new SubblockSearch(planes, steps, this.blocks);
		this.edges = {
			top: this.topY,
			left: this.leftY,
			corner: 0,
			aboveModes: new Uint8Array(4),
			leftModes: this.leftB,
			aboveNz: new Uint8Array(4),
			leftNz: new Uint8Array(4),
		};
		this.mbw = planes.mbw;
		this.mbh = planes.mbh;
		const count = this.mbw * this.mbh;
		this.recY = new Uint8Array(planes.y.length);
		this.recU = new Uint8Array(planes.u.length);
		this.recV = new Uint8Array(planes.v.length);
		this.yMode = new Uint8Array(count);
		this.bModes = new Uint8Array(count * 16);
		this.uvMode = new Uint8Array(count);
		this.levels = new Int16Array(count * BLOCKS_PER_MB * 16);
		this.inner = new Uint8Array(count);
		this.skip = new Uint8Array(count);
		this.topNz = new Uint8Array(this.mbw * 9);
		this.topB = new Uint8Array(this.mbw * 4);
	}

	/** Resets the contexts before a pass over the frame. */
	startPass(probs: Uint8Array): void {
		this.blocks.probs = probs;
		this.topNz.fill(0);
		this.topB.fill(0);
	}

	/** Chooses, reconstructs and records macroblock (mbx, mby); macroblocks go in raster order. */
	code(mbx: number, mby: number): void {
		if (mbx === 0) {
			this.leftNz.fill(0);
			this.leftB.fill(0);
		}
		this.currentRow = mby;
		this.loadEdges(mbx, mby);
		const i16 = this.chooseI16(mbx);
		const { i16Levels, i16Y } = this;
		i16Levels.set(this.bestLevels);
		i16Y.set(this.bestY);
		const { edges } = this;
		edges.corner = this.cornerY;
		edges.aboveModes.set(this.topB.subarray(mbx * 4, mbx * 4 + 4));
		edges.aboveNz.set(this.topNz.subarray(mbx * 9, mbx * 9 + 4));
		edges.leftNz.set(this.leftNz.subarray(0, 4));
		const i4 = this.subblocks.choose(mby * 16 * this.planes.yStride + mbx * 16, edges, i16.score);
		const mb = mby * this.mbw + mbx;
		const out = mb * BLOCKS_PER_MB * 16;
		const levels = this.levels;
		levels.fill(0, out, out + BLOCKS_PER_MB * 16);
		const useI4 = i4 < i16.score;
		if (useI4) {
			levels.set(this.subblocks.levels, out);
			this.bModes.set(this.subblocks.modes, mb * 16);
			this.copyLuma(this.subblocks.samples, mbx, mby);
		} else {
			levels.set(i16Levels.subarray(0, 256), out);
			levels.set(i16Levels.subarray(Y2_BLOCK * 16), out + Y2_BLOCK * 16);
			this.copyLuma(i16Y, mbx, mby);
			this.bModes.fill(BMODE_OF_MODE[i16.mode], mb * 16, mb * 16 + 16);
		}
		this.yMode[mb] = useI4 ? B_PRED : i16.mode;
		this.uvMode[mb] = this.chooseChroma(mbx, mby, out);
		this.finishContexts(mbx, mb, out, useI4);
	}

	private loadEdges(mbx: number, mby: number): void {
		const { yStride, uvStride } = this.planes;
		const { recY, recU, recV, topY, leftY, topU, leftU, topV, leftV } = this;
		this.hasTop = mby > 0;
		this.hasLeft = mbx > 0;
		if (mby === 0) {
			topY.fill(127);
			topU.fill(127);
			topV.fill(127);
			this.cornerY = this.cornerU = this.cornerV = 127;
		} else {
			const yRow = (mby * 16 - 1) * yStride + mbx * 16;
			topY.set(recY.subarray(yRow, yRow + 16));
			if (mbx < this.mbw - 1) topY.set(recY.subarray(yRow + 16, yRow + 20), 16);
			else topY.fill(topY[15], 16, 20);
			const uvRow = (mby * 8 - 1) * uvStride + mbx * 8;
			topU.set(recU.subarray(uvRow, uvRow + 8));
			topV.set(recV.subarray(uvRow, uvRow + 8));
			this.cornerY = mbx > 0 ? recY[yRow - 1] : 129;
			this.cornerU = mbx > 0 ? recU[uvRow - 1] : 129;
			this.cornerV = mbx > 0 ? recV[uvRow - 1] : 129;
		}
		if (mbx === 0) {
			leftY.fill(129);
			leftU.fill(129);
			leftV.fill(129);
		} else {
			for (let i = 0; i < 16; i++) leftY[i] = recY[(mby * 16 + i) * yStride + mbx * 16 - 1];
			for (let i = 0; i < 8; i++) {
				leftU[i] = recU[(mby * 8 + i) * uvStride + mbx * 8 - 1];
				leftV[i] = recV[(mby * 8 + i) * uvStride + mbx * 8 - 1];
			}
		}
	}

	/** Best 16 × 16 mode: leaves its levels in bestLevels (blocks 0..15 and Y2) and samples in bestY. */
	private chooseI16(mbx: number): { mode: number; score: number } {
		const { planes, steps, pred, dcs, wht, trialLevels, trialY, nz, blocks } = this;
		const { coeffs, tmp } = blocks;
		const { yStride } = planes;
		const mby = this.currentRow;
		const srcBase = mby * 16 * yStride + mbx * 16;
		let best = { mode: 0, score: Infinity };
		for (let mode = 0; mode < 4; mode++) {
			predictBlock(mode, 16, this.topY, this.leftY, this.cornerY, this.hasTop, this.hasLeft, pred);
			for (let b = 0; b < 16; b++) {
				const off = ((b >> 2) * 4) * 16 + (b & 3) * 4;
				forwardDct(planes.y, pred, srcBase + ((b >> 2) * 4) * yStride + (b & 3) * 4, yStride, off, 16, coeffs, tmp);
				dcs[b] = coeffs[0];
				// Keep this block's AC coefficients in trialLevels' raster scratch (block b) until Y2 is known.
				for (let i = 0; i < 16; i++) trialLevels[b * 16 + i] = coeffs[i];
			}
			forwardWht(dcs, coeffs, tmp);
			trialLevels.fill(0, Y2_BLOCK * 16, Y2_BLOCK * 16 + 16);
			blocks.quantize(trialLevels, Y2_BLOCK * 16, 0, steps.y2[0], steps.y2[1]);
			inverseWht(blocks.dequant, wht, tmp);
			const y2Ctx = this.topNz[mbx * 9 + 8] + this.leftNz[8];
			let score = this.lambda * (YMODE_COST[mode] + tokenCost(blocks.probs, trialLevels, Y2_BLOCK * 16, 0, TYPE_Y2, y2Ctx));
			trialY.set(pred);
			for (let i = 0; i < 4; i++) {
				nz[i] = this.topNz[mbx * 9 + i];
				nz[4 + i] = this.leftNz[i];
			}
			for (let b = 0; b < 16 && score < best.score; b++) {
				const bx = b & 3, by = b >> 2;
				for (let i = 0; i < 16; i++) coeffs[i] = trialLevels[b * 16 + i];
				trialLevels.fill(0, b * 16, b * 16 + 16);
				score += blocks.code(
					trialLevels, b * 16, TYPE_Y_AFTER_Y2, nz[bx] + nz[4 + by], steps.y1[0], steps.y1[1], wht[b],
					trialY, by * 4 * 16 + bx * 4, 16, planes.y, planes.weightY, srcBase + by * 4 * yStride + bx * 4, yStride,
				);
				const has = hasLevels(trialLevels, b * 16, 1);
				nz[bx] = nz[4 + by] = has ? 1 : 0;
			}
			if (score < best.score) {
				best = { mode, score };
				this.bestLevels.set(trialLevels);
				this.bestY.set(trialY);
			}
		}
		return best;
	}

	/** Best chroma mode; writes its levels at `out` and its samples into the reconstruction. */
	private chooseChroma(mbx: number, mby: number, out: number): number {
		const { planes, steps, pred, predV, trialLevels, trialU, trialV, nz } = this;
		const { uvStride } = planes;
		const srcBase = mby * 8 * uvStride + mbx * 8;
		let bestScore = Infinity;
		let bestMode = 0;
		for (let mode = 0; mode < 4; mode++) {
			predictBlock(mode, 8, this.topU, this.leftU, this.cornerU, this.hasTop, this.hasLeft, pred);
			predictBlock(mode, 8, this.topV, this.leftV, this.cornerV, this.hasTop, this.hasLeft, predV);
			trialU.set(pred.subarray(0, 64));
			trialV.set(predV);
			for (let i = 0; i < 4; i++) nz[i] = this.topNz[mbx * 9 + 4 + i];
			for (let i = 0; i < 4; i++) nz[4 + i] = this.leftNz[4 + i];
			let score = this.lambda * UVMODE_COST[mode];
			for (let plane = 0; plane < 2 && score < bestScore; plane++) {
				const src = plane === 0 ? planes.u : planes.v;
				const rec = plane === 0 ? trialU : trialV;
				for (let b = 0; b < 4; b++) {
					const bx = b & 1, by = b >> 1;
					const recOffset = by * 4 * 8 + bx * 4;
					const srcOffset = srcBase + by * 4 * uvStride + bx * 4;
					forwardDct(src, rec, srcOffset, uvStride, recOffset, 8, this.blocks.coeffs, this.blocks.tmp);
					const block = (plane === 0 ? U_BLOCK : V_BLOCK) + b;
					trialLevels.fill(0, block * 16, block * 16 + 16);
					const ctx = nz[plane * 2 + bx] + nz[4 + plane * 2 + by];
					score += this.blocks.code(trialLevels, block * 16, TYPE_UV, ctx, steps.uv[0], steps.uv[1], null, rec, recOffset, 8, src,
						planes.weightUV, srcOffset, uvStride);
					nz[plane * 2 + bx] = nz[4 + plane * 2 + by] = hasLevels(trialLevels, block * 16, 0) ? 1 : 0;
				}
			}
			if (score < bestScore) {
				bestScore = score;
				bestMode = mode;
				this.bestLevels.set(trialLevels.subarray(U_BLOCK * 16, Y2_BLOCK * 16), U_BLOCK * 16);
				this.bestU.set(trialU);
				this.bestV.set(trialV);
			}
		}
		this.levels.set(this.bestLevels.subarray(U_BLOCK * 16, Y2_BLOCK * 16), out + U_BLOCK * 16);
		for (let y = 0; y < 8; y++) {
			this.recU.set(this.bestU.subarray(y * 8, y * 8 + 8), srcBase + y * uvStride);
			this.recV.set(this.bestV.subarray(y * 8, y * 8 + 8), srcBase + y * uvStride);
		}
		return bestMode;
	}

	private copyLuma(samples: Uint8Array, mbx: number, mby: number): void {
		const { yStride } = this.planes;
		const base = mby * 16 * yStride + mbx * 16;
		for (let y = 0; y < 16; y++) this.recY.set(samples.subarray(y * 16, y * 16 + 16), base + y * yStride);
	}

	/** Non-zero contexts, sub-block mode contexts, skip and loop-filter flags after the choice. */
	private finishContexts(mbx: number, mb: number, out: number, i4: boolean): void {
		const { levels, topNz, leftNz } = this;
		let anyY = false;
		for (let b = 0; b < 16; b++) {
			const has = hasLevels(levels, out + b * 16, i4 ? 0 : 1);
			if (has) anyY = true;
			topNz[mbx * 9 + (b & 3)] = has ? 1 : 0;
			leftNz[b >> 2] = has ? 1 : 0;
		}
		let anyUv = false;
		for (let b = 0; b < 8; b++) {
			const has = hasLevels(levels, out + (U_BLOCK + b) * 16, 0);
			if (has) anyUv = true;
			const plane = b >> 2;
			topNz[mbx * 9 + 4 + plane * 2 + (b & 1)] = has ? 1 : 0;
			leftNz[4 + plane * 2 + ((b >> 1) & 1)] = has ? 1 : 0;
		}
		let anyY2 = false;
		let dcNonZero = false;
		if (!i4) {
			anyY2 = hasLevels(levels, out + Y2_BLOCK * 16, 0);
			topNz[mbx * 9 + 8] = leftNz[8] = anyY2 ? 1 : 0;
			if (anyY2) dcNonZero = this.whtHasNonZero(out);
		}
		for (let i = 0; i < 4; i++) this.topB[mbx * 4 + i] = this.bModes[mb * 16 + 12 + i];
		for (let i = 0; i < 4; i++) this.leftB[i] = this.bModes[mb * 16 + i * 4 + 3];
		this.skip[mb] = anyY || anyUv || anyY2 ? 0 : 1;
		// As the decoder decides: inner edges unless a 16 × 16 macroblock leaves every sample to prediction.
		this.inner[mb] = i4 || anyY || anyUv || dcNonZero ? 1 : 0;
	}

	/** Whether the inverse WHT of the stored Y2 levels gives any non-zero luma DC. */
	private whtHasNonZero(out: number): boolean {
		const { wht, steps, levels } = this;
		const { dequant, tmp } = this.blocks;
		dequant.fill(0);
		for (let n = 0; n < 16; n++) dequant[ZIGZAG[n]] = levels[out + Y2_BLOCK * 16 + n] * (n === 0 ? steps.y2[0] : steps.y2[1]);
		inverseWht(dequant, wht, tmp);
		for (let i = 0; i < 16; i++) if (wht[i] !== 0) return true;
		return false;
	}
}

