/**
 * Decoding straight to 1/2, 1/4 or 1/8 of the size, for a photo that will be scaled down anyway: each block's
 * 8 × 8 samples are averaged to 4 × 4, 2 × 2 or 1 × 1 (a box filter over whole samples, so nothing aliases).
 * Planes, upsampling and colour conversion then work on 4 to 64 times fewer samples.
 */
import { idctBlock } from './idct';
import type { Frame } from './segments';

/** log2 of the samples averaged per output sample, by shrink. */
const SHIFTS: Record<number, number> = { 2: 2, 4: 4, 8: 6 };

/**
 * The IDCT of one block, written as `n` × `n` averages (n = 8 / shrink) at `out[oo]`, `stride` apart. `ws`
 * (64) and `samples` (64) are work arrays.
 */
export function idctShrunk(
	coef: Int16Array | Int32Array,
	co: number,
	quant: Uint16Array,
	out: Uint8Array,
	oo: number,
	stride: number,
	ws: Int32Array,
	samples: Uint8Array,
	shrink: number,
): void {
	if (shrink === 1) {
		idctBlock(coef, co, quant, out, oo, stride, ws);
		return;
	}
	if (shrink === 8) {
		// The mean of a block is its DC term: F(0, 0) / 8 around the level shift (T.81 A.3.3).
		const v = ((coef[co] * quant[0] + 4) >> 3) + 128;
		out[oo] = v < 0 ? 0 : v > 255 ? 255 : v;
		return;
	}
	// The fast full IDCT, then box averages: cheaper than summing the basis functions of the (usually many,
	// in a phone photo's sensor grain) non-zero coefficients.
	idctBlock(coef, co, quant, samples, 0, 8, ws);
	const n = 8 / shrink;
	const shift = SHIFTS[shrink];
	const half = 1 << (shift - 1);
	for (let y = 0; y < n; y++) {
		for (let x = 0; x < n; x++) {
			let sum = 0;
			for (let dy = 0; dy < shrink; dy++) {
				const row = (y * shrink + dy) * 8 + x * shrink;
				for (let dx = 0; dx < shrink; dx++) sum += samples[row + dx];
			}
			out[oo + y * stride + x] = (sum + half) >> shift;
		}
	}
}

/** The frame as the shrunk planes see it: every size divided by `shrink`, rounded up. */
export function shrunkFrame(frame: Frame, shrink: number): Frame {
	if (shrink === 1) return frame;
	const down = (size: number): number => Math.ceil(size / shrink);
	return {
		...frame,
		width: down(frame.width),
		height: down(frame.height),
		components: frame.components.map((c) => ({ ...c, width: down(c.width), height: down(c.height) })),
	};
}
