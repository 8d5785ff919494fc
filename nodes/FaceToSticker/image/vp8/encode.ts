/**
 * A VP8 key frame (RFC 6386) from YUV planes: every macroblock chosen by rate and distortion
 * (macroblock.ts), token probabilities re-estimated from what the frame codes and sent as header updates
 * where they pay, a second pass that chooses again with those probabilities, the normal loop filter at the
 * level that brings the reconstruction closest to the source, then the two partitions: modes, and tokens.
 */
import { BoolEncoder } from './boolEncoder';
import { COEFF_UPDATE_PROBS, DEFAULT_COEFF_PROBS } from './coeffProbs';
import { loopFilter } from './loopFilter';
import { BLOCKS_PER_MB, FrameCoder, U_BLOCK, V_BLOCK, Y2_BLOCK } from './macroblock';
import { writeBMode, writeUvMode, writeYMode } from './modeCosts';
import { B_PRED, B_DC_PRED } from './predict';
import { quantSteps } from './quant';
import { COST0, COST1, NUM_PROBS, TokenStats, TYPE_UV, TYPE_Y2, TYPE_Y_AFTER_Y2, TYPE_Y_WITH_DC, writeTokens } from './tokens';
import type { YuvPlanes } from './yuv';
import type { Sliced } from '../slices';
import { ticker } from '../slices';

/** Lambda = LAMBDA_SCALE × (luma AC step)²: squared error traded per bit. */
const LAMBDA_SCALE = 0.02;

export interface Vp8Frame {
	/** The VP8 chunk's payload (frame tag, key frame header, both partitions). */
	bitstream: Uint8Array;
	/** What a decoder reconstructs, loop filter included, in the padded planes of `planes`. */
	y: Uint8Array;
	u: Uint8Array;
	v: Uint8Array;
	filterLevel: number;
	quantIndex: number;
}

type Visit = (levels: Int16Array, offset: number, first: number, type: number, ctx: number) => boolean;

/** Visits every coded block in bitstream order with its non-zero context. */
function* forEachBlock(coder: FrameCoder, useSkip: boolean, visit: Visit): Sliced<void> {
	const { mbw, mbh, levels, yMode, skip } = coder;
	const top = new Uint8Array(mbw * 9);
	const left = new Uint8Array(9);
	for (let mby = 0; mby < mbh; mby++) {
		left.fill(0);
		if (mby > 0) yield;
		for (let mbx = 0; mbx < mbw; mbx++) {
			const mb = mby * mbw + mbx;
			const out = mb * BLOCKS_PER_MB * 16;
			const i4 = yMode[mb] === B_PRED;
			const t = mbx * 9;
			if (useSkip && skip[mb]) {
				top.fill(0, t, t + 8);
				left.fill(0, 0, 8);
				if (!i4) top[t + 8] = left[8] = 0;
				continue;
			}
			if (!i4) top[t + 8] = left[8] = visit(levels, out + Y2_BLOCK * 16, 0, TYPE_Y2, top[t + 8] + left[8]) ? 1 : 0;
			for (let b = 0; b < 16; b++) {
				const bx = b & 3, by = b >> 2;
				const nz = visit(levels, out + b * 16, i4 ? 0 : 1, i4 ? TYPE_Y_WITH_DC : TYPE_Y_AFTER_Y2, top[t + bx] + left[by]);
				top[t + bx] = left[by] = nz ? 1 : 0;
			}
			for (let b = 0; b < 8; b++) {
				const plane = b >> 2, bx = b & 1, by = (b >> 1) & 1;
				const block = (plane === 0 ? U_BLOCK : V_BLOCK) + (b & 3);
				const ti = t + 4 + plane * 2 + bx, li = 4 + plane * 2 + by;
				const nz = visit(levels, out + block * 16, 0, TYPE_UV, top[ti] + left[li]);
				top[ti] = left[li] = nz ? 1 : 0;
			}
		}
	}
}

/** New probabilities from the counts, and which of them are worth their header bits. */
function updatedProbs(stats: TokenStats): { probs: Uint8Array; updated: Uint8Array } {
	const probs = DEFAULT_COEFF_PROBS.slice();
	const updated = new Uint8Array(NUM_PROBS);
	for (let i = 0; i < NUM_PROBS; i++) {
		const zeros = stats.zeros[i], ones = stats.ones[i];
		if (zeros + ones === 0) continue;
		const p = Math.min(255, Math.max(1, Math.round((256 * zeros) / (zeros + ones))));
		const old = DEFAULT_COEFF_PROBS[i], upd = COEFF_UPDATE_PROBS[i];
		const keep = zeros * COST0[old] + ones * COST1[old] + COST0[upd];
		const change = zeros * COST0[p] + ones * COST1[p] + COST1[upd] + 8;
		if (change < keep) {
			probs[i] = p;
			updated[i] = 1;
		}
	}
	return { probs, updated };
}

function* countTokens(coder: FrameCoder): Sliced<TokenStats> {
	const stats = new TokenStats();
	yield* forEachBlock(coder, true, (levels, offset, first, type, ctx) => stats.record(levels, offset, first, type, ctx));
	return stats;
}

function* codeFrame(coder: FrameCoder, probs: Uint8Array): Sliced<void> {
	coder.startPass(probs);
	const tick = ticker(1);
	for (let mby = 0; mby < coder.mbh; mby++) {
		for (let mbx = 0; mbx < coder.mbw; mbx++) {
			coder.code(mbx, mby);
			if (tick(1)) yield;
		}
	}
}

/** Alpha-weighted squared error of a filtered reconstruction over the visible picture. */
function* planeError(rec: Uint8Array, src: Uint8Array, weight: Float32Array, width: number, height: number, stride: number): Sliced<number> {
	let sum = 0;
	for (let y = 0; y < height; y++) {
		if (y % 16 === 15) yield;
		for (let x = 0, i = y * stride; x < width; x++, i++) {
			const d = rec[i] - src[i];
			sum += weight[i] * d * d;
		}
	}
	return sum;
}

/**
 * Filters a copy of the reconstruction at a few levels and returns the level whose result is closest to the
 * source, with its planes (two copies live at a time: the best so far and the one being tried).
 */
function* chooseFilterLevel(
	coder: FrameCoder,
	planes: YuvPlanes,
): Sliced<{ level: number; y: Uint8Array; u: Uint8Array; v: Uint8Array }> {
	const uvWidth = (planes.width + 1) >> 1, uvHeight = (planes.height + 1) >> 1;
	const errors = new Map<number, number>();
	let best = { level: 0, error: Infinity, y: coder.recY, u: coder.recU, v: coder.recV };
	const tryLevel = function* (level: number): Sliced<void> {
		if (errors.has(level)) return;
		const y = coder.recY.slice(), u = coder.recU.slice(), v = coder.recV.slice();
		yield* loopFilter({ y, u, v, yStride: planes.yStride, uvStride: planes.uvStride, mbw: coder.mbw, mbh: coder.mbh }, coder.inner, {
			level,
			sharpness: 0,
		});
		const error =
			(yield* planeError(y, planes.y, planes.weightY, planes.width, planes.height, planes.yStride)) +
			(yield* planeError(u, planes.u, planes.weightUV, uvWidth, uvHeight, planes.uvStride)) +
			(yield* planeError(v, planes.v, planes.weightUV, uvWidth, uvHeight, planes.uvStride));
		errors.set(level, error);
		if (error < best.error) best = { level, error, y, u, v };
	};
	// Coarse steps up while the error falls, then the neighbours of the best.
	yield* tryLevel(0);
	for (let level = 6; level <= 63; level += 6) {
		const before = best.level;
		yield* tryLevel(level);
		if (best.level === before) break;
	}
	for (const step of [3, 1]) {
		const centre = best.level;
		for (const level of [centre - step, centre + step]) if (level >= 0 && level <= 63) yield* tryLevel(level);
	}
	return { level: best.level, y: best.y, u: best.u, v: best.v };
}

function* writeFirstPartition(
	coder: FrameCoder,
	quantIndex: number,
	filterLevel: number,
	probs: Uint8Array,
	updated: Uint8Array,
	useSkip: boolean,
	skipProb: number,
): Sliced<Uint8Array> {
	const enc = new BoolEncoder(coder.mbw * coder.mbh * 4 + 2048);
	enc.putLiteral(0, 1); // colour space: YUV
	enc.putLiteral(0, 1); // clamping required
	enc.putLiteral(0, 1); // no segmentation
	enc.putLiteral(0, 1); // normal loop filter
	enc.putLiteral(filterLevel, 6);
	enc.putLiteral(0, 3); // sharpness
	enc.putLiteral(0, 1); // no loop filter deltas
	enc.putLiteral(0, 2); // one token partition
	enc.putLiteral(quantIndex, 7);
	for (let i = 0; i < 5; i++) enc.putLiteral(0, 1); // no quantiser deltas
	enc.putLiteral(0, 1); // refresh_entropy_probs: the updates hold for this frame only
	for (let i = 0; i < NUM_PROBS; i++) {
		enc.put(updated[i], COEFF_UPDATE_PROBS[i]);
		if (updated[i]) enc.putLiteral(probs[i], 8);
	}
	enc.putLiteral(useSkip ? 1 : 0, 1);
	if (useSkip) enc.putLiteral(skipProb, 8);
	const { mbw, mbh, yMode, bModes, uvMode, skip } = coder;
	for (let mby = 0; mby < mbh; mby++) {
		if (mby % 2 === 1) yield;
		for (let mbx = 0; mbx < mbw; mbx++) {
			const mb = mby * mbw + mbx;
			if (useSkip) enc.put(skip[mb], skipProb);
			writeYMode(enc, yMode[mb]);
			if (yMode[mb] === B_PRED) {
				for (let b = 0; b < 16; b++) {
					const bx = b & 3, by = b >> 2;
					const above = by > 0 ? bModes[mb * 16 + b - 4] : mby > 0 ? bModes[(mb - mbw) * 16 + 12 + bx] : B_DC_PRED;
					const left = bx > 0 ? bModes[mb * 16 + b - 1] : mbx > 0 ? bModes[(mb - 1) * 16 + by * 4 + 3] : B_DC_PRED;
					writeBMode(enc, bModes[mb * 16 + b], above, left);
				}
			}
			writeUvMode(enc, uvMode[mb]);
		}
	}
	return enc.finish();
}

/** Frame tag, start code and dimensions, then the partitions. */
function assemble(width: number, height: number, first: Uint8Array, tokens: Uint8Array): Uint8Array {
	const out = new Uint8Array(10 + first.length + tokens.length);
	const tag = (first.length << 5) | (1 << 4); // key frame (bit 0 = 0), version 0, shown
	out[0] = tag & 0xff;
	out[1] = (tag >> 8) & 0xff;
	out[2] = (tag >> 16) & 0xff;
	out[3] = 0x9d;
	out[4] = 0x01;
	out[5] = 0x2a;
	out[6] = width & 0xff;
	out[7] = (width >> 8) & 0x3f;
	out[8] = height & 0xff;
	out[9] = (height >> 8) & 0x3f;
	out.set(first, 10);
	out.set(tokens, 10 + first.length);
	return out;
}

export interface Vp8Options {
	/** Rate-distortion passes (the second uses the probabilities the first one measured). */
	passes?: number;
}

/** Encodes the planes as one VP8 key frame at quantiser index `quantIndex` (0 best .. 127). */
export function* encodeVp8(planes: YuvPlanes, quantIndex: number, options: Vp8Options = {}): Sliced<Vp8Frame> {
	const steps = quantSteps(quantIndex);
	const coder = new FrameCoder(planes, steps, LAMBDA_SCALE * steps.y1[1] * steps.y1[1], DEFAULT_COEFF_PROBS);
	let probs: Uint8Array = DEFAULT_COEFF_PROBS;
	let updated: Uint8Array = new Uint8Array(NUM_PROBS);
	const passes = options.passes ?? 2;
	for (let pass = 0; pass < passes; pass++) {
		yield* codeFrame(coder, probs);
		({ probs, updated } = updatedProbs(yield* countTokens(coder)));
		yield;
	}
	const count = coder.mbw * coder.mbh;
	let skipped = 0;
	for (let mb = 0; mb < count; mb++) skipped += coder.skip[mb];
	const useSkip = skipped > 0;
	const skipProb = Math.min(255, Math.max(1, Math.round((256 * (count - skipped)) / count)));
	const filtered = yield* chooseFilterLevel(coder, planes);
	const first = yield* writeFirstPartition(coder, steps.index, filtered.level, probs, updated, useSkip, skipProb);
	yield;
	const tokens = new BoolEncoder(count * 64 + 1024);
	yield* forEachBlock(coder, useSkip, (levels, offset, firstPos, type, ctx) => writeTokens(tokens, probs, levels, offset, firstPos, type, ctx));
	yield;
	return {
		bitstream: assemble(planes.width, planes.height, first, tokens.finish()),
		y: filtered.y,
		u: filtered.u,
		v: filtered.v,
		filterLevel: filtered.level,
		quantIndex: steps.index,
	};
}
