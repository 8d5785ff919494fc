/**
 * Coding of one 4 × 4 block for the rate-distortion search: quantisation with a dead zone, the decoder's
 * reconstruction in place, and the choice between the quantised levels and no coefficients at all, by
 * alpha-weighted squared error + lambda × token bits.
 */
import { inverseDctAdd } from './transforms';
import { COST0, MAX_LEVEL, ZIGZAG, tokenCost } from './tokens';

const { floor } = Math;

/** Rounding offsets (fractions of a step) added before truncation: a dead zone that saves bits. */
const BIAS_DC = 0.45;
const BIAS_AC = 0.36;

export class BlockCoder {
	/** Forward transform output (raster) the next quantize/code call reads. */
	readonly coeffs = new Int32Array(16);
	/** Dequantised coefficients (raster) of the last quantize call. */
	readonly dequant = new Int32Array(16);
	readonly tmp = new Int32Array(16);
	private readonly block16 = new Uint8Array(16);

	constructor(
		readonly lambda: number,
		/** Token probabilities the costs are computed with. */
		public probs: Uint8Array,
	) {}

	/** Quantises coeffs (raster) into levels[offset + zigzag], from position `first`; fills `dequant`. */
	quantize(levels: Int16Array, offset: number, first: number, dcStep: number, acStep: number): boolean {
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
	code(
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
}

export function hasLevels(levels: Int16Array, offset: number, first: number): boolean {
	for (let n = first; n < 16; n++) if (levels[offset + n] !== 0) return true;
	return false;
}

/**
 * Sum of absolute 4 × 4 Hadamard coefficients of source minus prediction, halved, a cheap stand-in for
 * the coded cost; samples with no visible weight count nothing.
 */
export function satd(src: Uint8Array, offset: number, stride: number, pred: Uint8Array, weight: Float32Array): number {
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
