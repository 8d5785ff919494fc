/**
 * One macroblock's coding choice by rate and distortion: the four 16 × 16 luma modes (with Y2), sixteen
 * 4 × 4 sub-blocks each with the best of ten modes, and the four chroma modes. A candidate's score is the
 * alpha-weighted squared error of its reconstruction plus lambda × its bits (mode bits and token bits from
 * the current probabilities). Each transformed block may also be dropped to no coefficients when that
 * scores better. The chosen reconstruction is exactly what the decoder makes before the loop filter.
 */
import { B_PRED, BMODE_OF_MODE, NUM_BMODES, predictBlock, predictSubblock } from './predict';
import type { QuantSteps } from './quant';
import { BMODE_COST, UVMODE_COST, YMODE_COST } from './modeCosts';
import { forwardDct, forwardWht, inverseDctAdd, inverseWht } from './transforms';
import { COST0, MAX_LEVEL, TYPE_UV, TYPE_Y2, TYPE_Y_AFTER_Y2, TYPE_Y_WITH_DC, ZIGZAG, tokenCost } from './tokens';
import type { YuvPlanes } from './yuv';

const { floor } = Math;

/** Blocks of a macroblock in `levels`: 16 luma, 4 U, 4 V, then Y2; 16 levels each in zigzag order. */
export const U_BLOCK = 16;
export const V_BLOCK = 20;
export const Y2_BLOCK = 24;
export const BLOCKS_PER_MB = 25;

/** Rounding offsets (fractions of a step) added before truncation: a dead zone that saves bits. */
const BIAS_DC = 0.45;
const BIAS_AC = 0.36;

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
	private readonly coeffs = new Int32Array(16);
	private readonly dequant = new Int32Array(16);
	private readonly tmp = new Int32Array(16);
	private readonly dcs = new Int32Array(16);
	private readonly wht = new Int32Array(16);
	private readonly block16 = new Uint8Array(16);
	private readonly sub = new Uint8Array(16);
	private readonly subTop = new Uint8Array(8);
	private readonly subLeft = new Uint8Array(4);
	/** Candidate results: levels (25 blocks) and reconstructions, current best and trial. */
	private readonly trialLevels = new Int16Array(BLOCKS_PER_MB * 16);
	private readonly bestLevels = new Int16Array(BLOCKS_PER_MB * 16);
	private readonly trialY = new Uint8Array(256);
	private readonly bestY = new Uint8Array(256);
	private readonly trialU = new Uint8Array(64);
	private readonly trialV = new Uint8Array(64);
	private readonly bestU = new Uint8Array(64);
	private readonly bestV = new Uint8Array(64);
	private readonly trialBModes = new Uint8Array(16);
	private readonly subLevels = new Int16Array(16);
	private readonly bestSubLevels = new Int16Array(16);
	private readonly nz = new Uint8Array(8);
	private readonly candidates = new Uint8Array(NUM_BMODES);
	private readonly estimates = new Float64Array(NUM_BMODES);
	private readonly preds = new Uint8Array(NUM_BMODES * 16);
	private readonly sqrtLambda: number;
	private readonly aboveModes = new Uint8Array(4);
	private readonly leftModes = new Uint8Array(4);
	private readonly bestSub = new Uint8Array(16);
	private readonly i16Levels = new Int16Array(BLOCKS_PER_MB * 16);
	private readonly i16Y = new Uint8Array(256);

	constructor(
		private readonly planes: YuvPlanes,
		private readonly steps: QuantSteps,
		private readonly lambda: number,
		/** Token probabilities the costs are computed with. */
		public probs: Uint8Array,
	) {
		this.sqrtLambda = Math.sqrt(lambda);
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
		this.probs = probs;
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
		const i4 = this.chooseI4(mbx, i16.score);
		const mb = mby * this.mbw + mbx;
		const out = mb * BLOCKS_PER_MB * 16;
		const levels = this.levels;
		levels.fill(0, out, out + BLOCKS_PER_MB * 16);
		const useI4 = i4 < i16.score;
		if (useI4) {
			levels.set(this.trialLevels.subarray(0, 256), out);
			this.bModes.set(this.trialBModes, mb * 16);
			this.copyLuma(this.trialY, mbx, mby);
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

	/** Quantises coeffs (raster) into levels[offset + zigzag], from position `first`; fills `dequant`. */
	private quantize(levels: Int16Array, offset: number, first: number, dcStep: number, acStep: number): boolean {
		const { coeffs, dequant } = this;
		const dcInverse = 1 / dcStep, acInverse = 1 / acStep;
		let any = false;
		for (let n = first; n < 16; n++) {
			const pos = ZIGZAG[n];
			const c = coeffs[pos];
			const a = c < 0 ? -c : c;
			let l = n === 0 ? floor(a * dcInverse + BIAS_DC) : floor(a * acInverse + BIAS_AC);
			if (l > MAX_LEVEL) l = MAX_LEVEL;
			const level = c < 0 ? -l : l;
			levels[offset + n] = level;
			dequant[pos] = level * (n === 0 ? dcStep : acStep);
			if (l !== 0) any = true;
		}
		return any;
	}

	/**
	 * Codes one 4 × 4 block whose prediction is already in `rec` (at recOffset, rows recStride apart):
	 * quantises, reconstructs in place, and drops the coefficients when that scores better. `dc` (luma
	 * after Y2) is the block's DC from the inverse WHT, or null when the block codes its own DC.
	 * Returns the block's score (distortion + lambda × token bits).
	 */
	private codeBlock(
		levels: Int16Array,
		offset: number,
		type: number,
		ctx: number,
		dcStep: number,
		acStep: number,
		dc: number | null,
		rec: Uint8Array,
		recOffset: number,
		recStride: number,
		src: Uint8Array,
		weight: Float32Array,
		srcOffset: number,
		srcStride: number,
	): number {
		const first = dc === null ? 0 : 1;
		const any = this.quantize(levels, offset, first, dcStep, acStep);
		const { dequant, tmp, block16 } = this;
		// Without coefficients the block is the prediction plus the Y2 DC, which the inverse DCT adds as
		// (dc + 4) >> 3 to every sample.
		const dcAdd = dc === null ? 0 : (dc + 4) >> 3;
		let dropError = 0;
		for (let y = 0; y < 4; y++) {
			const r = recOffset + y * recStride, s = srcOffset + y * srcStride;
			for (let x = 0; x < 4; x++) {
				const p = rec[r + x];
				block16[y * 4 + x] = p;
				let v = p + dcAdd;
				v = v < 0 ? 0 : v > 255 ? 255 : v;
				const d = v - src[s + x];
				dropError += weight[s + x] * d * d;
			}
		}
		const lambda = this.lambda;
		const zeroProb = this.probs[type * 264 + first * 33 + ctx * 11];
		const drop = dropError + lambda * COST0[zeroProb];
		if (!any) {
			if (dcAdd !== 0) fillBlock(rec, recOffset, recStride, block16, dcAdd);
			return drop;
		}
		if (dc !== null) dequant[0] = dc;
		inverseDctAdd(dequant, rec, recOffset, recStride, tmp);
		let keepError = 0;
		for (let y = 0; y < 4; y++) {
			const r = recOffset + y * recStride, s = srcOffset + y * srcStride;
			for (let x = 0; x < 4; x++) {
				const d = rec[r + x] - src[s + x];
				keepError += weight[s + x] * d * d;
			}
		}
		if (keepError >= drop) {
			levels.fill(0, offset + first, offset + 16);
			fillBlock(rec, recOffset, recStride, block16, dcAdd);
			return drop;
		}
		const keep = keepError + lambda * tokenCost(this.probs, levels, offset, first, type, ctx);
		if (drop <= keep) {
			levels.fill(0, offset + first, offset + 16);
			fillBlock(rec, recOffset, recStride, block16, dcAdd);
			return drop;
		}
		return keep;
	}

	/** Best 16 × 16 mode: leaves its levels in bestLevels (blocks 0..15 and Y2) and samples in bestY. */
	private chooseI16(mbx: number): { mode: number; score: number } {
		const { planes, steps, pred, coeffs, tmp, dcs, wht, trialLevels, trialY, nz } = this;
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
			this.quantize(trialLevels, Y2_BLOCK * 16, 0, steps.y2[0], steps.y2[1]);
			inverseWht(this.dequant, wht, tmp);
			const y2Ctx = this.topNz[mbx * 9 + 8] + this.leftNz[8];
			let score = this.lambda * (YMODE_COST[mode] + tokenCost(this.probs, trialLevels, Y2_BLOCK * 16, 0, TYPE_Y2, y2Ctx));
			trialY.set(pred);
			for (let i = 0; i < 4; i++) {
				nz[i] = this.topNz[mbx * 9 + i];
				nz[4 + i] = this.leftNz[i];
			}
			for (let b = 0; b < 16 && score < best.score; b++) {
				const bx = b & 3, by = b >> 2;
				for (let i = 0; i < 16; i++) coeffs[i] = trialLevels[b * 16 + i];
				trialLevels.fill(0, b * 16, b * 16 + 16);
				score += this.codeBlock(
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

	private currentRow = 0;

	/** Best sub-block modes, stopped early once worse than `toBeat`; result in trialLevels/trialY/trialBModes. */
	private chooseI4(mbx: number, toBeat: number): number {
		const { planes, steps, trialLevels, trialY, subTop, subLeft, sub, nz, subLevels, bestSubLevels } = this;
		const { yStride } = planes;
		const srcBase = this.currentRow * 16 * yStride + mbx * 16;
		const { aboveModes, leftModes, bestSub } = this;
		for (let i = 0; i < 4; i++) {
			aboveModes[i] = this.topB[mbx * 4 + i];
			leftModes[i] = this.leftB[i];
			nz[i] = this.topNz[mbx * 9 + i];
			nz[4 + i] = this.leftNz[i];
		}
		trialLevels.fill(0);
		let score = this.lambda * YMODE_COST[B_PRED];
		for (let b = 0; b < 16 && score < toBeat; b++) {
			const bx = b & 3, by = b >> 2;
			const recOffset = by * 4 * 16 + bx * 4;
			for (let i = 0; i < 4; i++) {
				subTop[i] = by === 0 ? this.topY[bx * 4 + i] : trialY[recOffset - 16 + i];
				subTop[4 + i] = bx === 3 ? this.topY[16 + i] : by === 0 ? this.topY[bx * 4 + 4 + i] : trialY[recOffset - 16 + 4 + i];
				subLeft[i] = bx === 0 ? this.leftY[by * 4 + i] : trialY[recOffset + i * 16 - 1];
			}
			const corner =
				by === 0 ? (bx === 0 ? this.cornerY : this.topY[bx * 4 - 1]) : bx === 0 ? this.leftY[by * 4 - 1] : trialY[recOffset - 17];
			const modeCtx = (aboveModes[bx] * 10 + leftModes[by]) * 10;
			const ctx = nz[bx] + nz[4 + by];
			let bestScore = Infinity;
			let bestMode = 0;
			// Rank the ten modes by a cheap estimate (SATD of the residual plus mode bits), then code the best few.
			const srcOffset = srcBase + by * 4 * yStride + bx * 4;
			const { candidates, estimates, preds } = this;
			for (let mode = 0; mode < NUM_BMODES; mode++) {
				predictSubblock(mode, subTop, subLeft, corner, sub);
				preds.set(sub, mode * 16);
				estimates[mode] = satd(planes.y, srcOffset, yStride, sub, planes.weightY) + this.sqrtLambda * BMODE_COST[modeCtx + mode];
				candidates[mode] = mode;
			}
			candidates.sort((a, b) => estimates[a] - estimates[b]);
			for (let k = 0; k < I4_CANDIDATES; k++) {
				const mode = candidates[k];
				sub.set(preds.subarray(mode * 16, mode * 16 + 16));
				this.coeffsFromPrediction(srcOffset, yStride);
				subLevels.fill(0);
				const s =
					this.codeBlock(subLevels, 0, TYPE_Y_WITH_DC, ctx, steps.y1[0], steps.y1[1], null, sub, 0, 4, planes.y, planes.weightY,
						srcBase + by * 4 * yStride + bx * 4, yStride) + this.lambda * BMODE_COST[modeCtx + mode];
				if (s < bestScore) {
					bestScore = s;
					bestMode = mode;
					bestSubLevels.set(subLevels);
					for (let i = 0; i < 16; i++) bestSub[i] = sub[i];
				}
			}
			score += bestScore;
			for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) trialY[recOffset + y * 16 + x] = bestSub[y * 4 + x];
			trialLevels.set(bestSubLevels, b * 16);
			this.trialBModes[b] = bestMode;
			aboveModes[bx] = leftModes[by] = bestMode;
			nz[bx] = nz[4 + by] = hasLevels(bestSubLevels, 0, 0) ? 1 : 0;
		}
		return score;
	}

	/** Forward DCT of source minus the 4 × 4 prediction in `sub` into `coeffs`. */
	private coeffsFromPrediction(srcOffset: number, srcStride: number): void {
		forwardDct(this.planes.y, this.sub, srcOffset, srcStride, 0, 4, this.coeffs, this.tmp);
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
					forwardDct(src, rec, srcOffset, uvStride, recOffset, 8, this.coeffs, this.tmp);
					const block = (plane === 0 ? U_BLOCK : V_BLOCK) + b;
					trialLevels.fill(0, block * 16, block * 16 + 16);
					const ctx = nz[plane * 2 + bx] + nz[4 + plane * 2 + by];
					score += this.codeBlock(trialLevels, block * 16, TYPE_UV, ctx, steps.uv[0], steps.uv[1], null, rec, recOffset, 8, src,
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
		const { dequant, wht, tmp, steps, levels } = this;
		dequant.fill(0);
		for (let n = 0; n < 16; n++) dequant[ZIGZAG[n]] = levels[out + Y2_BLOCK * 16 + n] * (n === 0 ? steps.y2[0] : steps.y2[1]);
		inverseWht(dequant, wht, tmp);
		for (let i = 0; i < 16; i++) if (wht[i] !== 0) return true;
		return false;
	}
}

function hasLevels(levels: Int16Array, offset: number, first: number): boolean {
	for (let n = first; n < 16; n++) if (levels[offset + n] !== 0) return true;
	return false;
}

/** Sub-block modes coded in full, out of the ten ranked by their estimate. */
const I4_CANDIDATES = 4;

/**
 * Sum of absolute 4 × 4 Hadamard coefficients of source minus prediction, halved, a cheap stand-in for
 * the coded cost; samples with no visible weight count nothing.
 */
function satd(src: Uint8Array, offset: number, stride: number, pred: Uint8Array, weight: Float32Array): number {
	let visible = 0;
	const d = satdScratch;
	for (let y = 0; y < 4; y++) {
		const s = offset + y * stride;
		for (let x = 0; x < 4; x++) {
			const w = weight[s + x];
			visible += w;
			d[y * 4 + x] = w > 0 ? src[s + x] - pred[y * 4 + x] : 0;
		}
	}
	if (visible === 0) return 0;
	for (let i = 0; i < 16; i += 4) {
		const a = d[i] + d[i + 3], b = d[i + 1] + d[i + 2], c = d[i + 1] - d[i + 2], e = d[i] - d[i + 3];
		d[i] = a + b;
		d[i + 1] = e + c;
		d[i + 2] = a - b;
		d[i + 3] = e - c;
	}
	let sum = 0;
	for (let i = 0; i < 4; i++) {
		const a = d[i] + d[12 + i], b = d[4 + i] + d[8 + i], c = d[4 + i] - d[8 + i], e = d[i] - d[12 + i];
		sum += abs(a + b) + abs(e + c) + abs(a - b) + abs(e - c);
	}
	return sum / 2;
}
const satdScratch = new Int32Array(16);
const abs = (v: number) => (v < 0 ? -v : v);

/** Writes prediction + add, clamped, into a 4 × 4 block. */
function fillBlock(rec: Uint8Array, offset: number, stride: number, pred: Uint8Array, add: number): void {
	for (let y = 0; y < 4; y++) {
		for (let x = 0; x < 4; x++) {
			const v = pred[y * 4 + x] + add;
			rec[offset + y * stride + x] = v < 0 ? 0 : v > 255 ? 255 : v;
		}
	}
}
