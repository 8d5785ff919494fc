/**
 * The predictor transform (RFC 9649 §3.6.2): each block of 2^bits × 2^bits pixels picks one of 14
 * predictors and the image becomes residuals (pixel minus prediction, per channel, modulo 256).
 */
import { ticker } from '../slices';
import type { Sliced } from '../slices';

// Module-level copies: inside a vm context (jest) every global look-up in a hot loop is slow.
const { abs } = Math;

export const PREDICTOR_MODES = 14;
const ARGB_BLACK = 0xff000000;

function average2(a: number, b: number): number {
	return ((((a ^ b) & 0xfefefefe) >>> 1) + (a & b)) >>> 0;
}

function clamp255(v: number): number {
	return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Picks L or T, whichever is closer (Manhattan, over ARGB) to the gradient estimate L + T - TL. */
function select(left: number, top: number, topLeft: number): number {
	let towardsLeft = 0;
	let towardsTop = 0;
	for (let shift = 0; shift < 32; shift += 8) {
		const tl = (topLeft >>> shift) & 0xff;
		towardsLeft += abs(((top >>> shift) & 0xff) - tl);
		towardsTop += abs(((left >>> shift) & 0xff) - tl);
	}
	return towardsLeft < towardsTop ? left : top;
}

function clampAddSubtractFull(a: number, b: number, c: number): number {
	let out = 0;
	for (let shift = 0; shift < 32; shift += 8) {
		const v = clamp255(((a >>> shift) & 0xff) + ((b >>> shift) & 0xff) - ((c >>> shift) & 0xff));
		out |= v << shift;
	}
	return out >>> 0;
}

function clampAddSubtractHalf(a: number, b: number): number {
	let out = 0;
	for (let shift = 0; shift < 32; shift += 8) {
		const ac = (a >>> shift) & 0xff;
		// C's integer division, truncating towards zero, as the spec's reference code does.
		out |= clamp255(ac + (((ac - ((b >>> shift) & 0xff)) / 2) | 0)) << shift;
	}
	return out >>> 0;
}

/** Prediction of mode `mode` for a pixel not in the top row nor the left column. */
export function predict(mode: number, left: number, top: number, topRight: number, topLeft: number): number {
	switch (mode) {
		case 0:
			return ARGB_BLACK;
		case 1:
			return left;
		case 2:
			return top;
		case 3:
			return topRight;
		case 4:
			return topLeft;
		case 5:
			return average2(average2(left, topRight), top);
		case 6:
			return average2(left, topLeft);
		case 7:
			return average2(left, top);
		case 8:
			return average2(topLeft, top);
		case 9:
			return average2(top, topRight);
		case 10:
			return average2(average2(left, topLeft), average2(top, topRight));
		case 11:
			return select(left, top, topLeft);
		case 12:
			return clampAddSubtractFull(left, top, topLeft);
		default:
			return clampAddSubtractHalf(average2(left, top), topLeft);
	}
}

/**
 * The prediction for pixel i at (x, y) of an image `width` wide. The top-left pixel predicts black, the
 * top row from the left, the left column from above; the right column's "top-right" is, as the spec has it,
 * the first pixel of its own row (which is simply pixels[i - width + 1]).
 */
export function predictAt(mode: number, pixels: Uint32Array, i: number, x: number, y: number, width: number): number {
	if (y === 0) return x === 0 ? ARGB_BLACK : pixels[i - 1];
	if (x === 0) return pixels[i - width];
	return predict(mode, pixels[i - 1], pixels[i - width], pixels[i - width + 1], pixels[i - width - 1]);
}

/** Writes into `out` the residuals of block (bx, by) predicted with `mode`. */
export function blockResiduals(
	pixels: Uint32Array,
	width: number,
	height: number,
	bits: number,
	bx: number,
	by: number,
	mode: number,
	out: Uint32Array,
): void {
	const size = 1 << bits;
	const x1 = Math.min(width, (bx + 1) * size);
	const y1 = Math.min(height, (by + 1) * size);
	for (let y = by * size; y < y1; y++) {
		for (let x = bx * size, i = y * width + x; x < x1; x++, i++) {
			out[i] = subtractPixels(pixels[i], predictAt(mode, pixels, i, x, y, width));
		}
	}
}

/** Per-channel a − b modulo 256. */
export function subtractPixels(a: number, b: number): number {
	const alphaGreen = 0x00ff00ff + ((a & 0xff00ff00) >>> 0) - ((b & 0xff00ff00) >>> 0);
	const redBlue = 0xff00ff00 + (a & 0x00ff00ff) - (b & 0x00ff00ff);
	return ((alphaGreen & 0xff00ff00) | (redBlue & 0x00ff00ff)) >>> 0;
}

/** The estimated bits of each residual byte value per channel, from what the chosen blocks produced so far. */
class ResidualCosts {
	readonly costs = new Float64Array(1024);
	private readonly counts = new Float64Array(1024);
	private added = 0;
	private addedAtRefresh = 0;

	constructor() {
		// A prior that prefers small residuals until real statistics exist.
		for (let v = 0; v < 256; v++) {
			const magnitude = v < 128 ? v : 256 - v;
			for (let c = 0; c < 4; c++) this.counts[c * 256 + v] = 0.5 + 16 * Math.pow(0.7, magnitude);
		}
		this.refresh();
	}

	/** Recomputes the costs when the statistics grew by a sixteenth since the last time (logs are slow). */
	refreshNowAndThen(): void {
		if (this.added - this.addedAtRefresh < Math.max(256, this.addedAtRefresh >> 4)) return;
		this.addedAtRefresh = this.added;
		this.refresh();
	}

	add(residual: number): void {
		this.added++;
		for (let c = 0; c < 4; c++) this.counts[c * 256 + ((residual >>> (8 * c)) & 0xff)]++;
	}

	refresh(): void {
		for (let c = 0; c < 4; c++) {
			let total = 0;
			for (let v = 0; v < 256; v++) total += this.counts[c * 256 + v];
			const logTotal = Math.log2(total);
			for (let v = 0; v < 256; v++) this.costs[c * 256 + v] = logTotal - Math.log2(this.counts[c * 256 + v]);
		}
	}

	of(residual: number): number {
		const c = this.costs;
		return (
			c[residual & 0xff] + c[256 + ((residual >>> 8) & 0xff)] + c[512 + ((residual >>> 16) & 0xff)] + c[768 + (residual >>> 24)]
		);
	}
}

export interface PredictorResult {
	/** The block modes as a sub-image, mode in the green channel. */
	modes: Uint32Array;
	modesWidth: number;
	residuals: Uint32Array;
}

/** Chooses a mode per block by estimated entropy of its residuals and returns the residual image. */
export function* predictorTransform(pixels: Uint32Array, width: number, height: number, bits: number): Sliced<PredictorResult> {
	const size = 1 << bits;
	const modesWidth = Math.ceil(width / size);
	const modesHeight = Math.ceil(height / size);
	const modes = new Uint32Array(modesWidth * modesHeight);
	const residuals = new Uint32Array(pixels.length);
	const costs = new ResidualCosts();
	const tick = ticker(4096);
	for (let by = 0; by < modesHeight; by++) {
		const y0 = by * size;
		const y1 = Math.min(height, y0 + size);
		for (let bx = 0; bx < modesWidth; bx++) {
			const x0 = bx * size;
			const x1 = Math.min(width, x0 + size);
			let bestMode = 0;
			let bestCost = Infinity;
			for (let mode = 0; mode < PREDICTOR_MODES; mode++) {
				let cost = 0;
				// The top row and left column predict the same whatever the mode: only the rest is compared.
				for (let y = Math.max(y0, 1); y < y1 && cost < bestCost; y++) {
					for (let x = Math.max(x0, 1), i = y * width + x; x < x1; x++, i++) {
						const top = i - width;
						const prediction = predict(mode, pixels[i - 1], pixels[top], pixels[top + 1], pixels[top - 1]);
						cost += costs.of(subtractPixels(pixels[i], prediction));
					}
				}
				if (cost < bestCost) {
					bestCost = cost;
					bestMode = mode;
				}
			}
			modes[by * modesWidth + bx] = (ARGB_BLACK | (bestMode << 8)) >>> 0;
			blockResiduals(pixels, width, height, bits, bx, by, bestMode, residuals);
			for (let y = y0; y < y1; y++) for (let i = y * width + x0; i < y * width + x1; i++) costs.add(residuals[i]);
			costs.refreshNowAndThen();
			if (tick((x1 - x0) * (y1 - y0) * PREDICTOR_MODES)) yield;
		}
	}
	return { modes, modesWidth, residuals };
}
