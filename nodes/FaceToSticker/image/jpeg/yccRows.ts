/**
 * RGB → YCbCr for one row of 4:2:0 MCUs, as libjpeg computes it (jccolor.c, 16-bit fixed point with its
 * rounding) and averages chroma 2 × 2 (jcsample.c, bias alternating 1 and 2). Pixels past the right and bottom
 * edges repeat the last column and row.
 */
import type { RgbaImage } from '../types';

const SCALE = 16;
const HALF = 1 << (SCALE - 1);
const fix = (x: number): number => Math.floor(x * (1 << SCALE) + 0.5);
const R_Y = fix(0.299);
const G_Y = fix(0.587);
const B_Y = fix(0.114);
const R_CB = fix(0.16874);
const G_CB = fix(0.33126);
const HALF_C = fix(0.5);
const G_CR = fix(0.41869);
const B_CR = fix(0.08131);
const OFFSET = (128 << SCALE) + HALF - 1;

/** One MCU row of output, plus the full-size Cb and Cr of its 16 rows before averaging. */
export interface YccRows {
	y: Uint8Array;
	cb: Uint8Array;
	cr: Uint8Array;
	cbFull: Int32Array;
	crFull: Int32Array;
}

export function yccRows(paddedWidth: number): YccRows {
	const size = paddedWidth * 16;
	return { y: new Uint8Array(size), cb: new Uint8Array(size >> 2), cr: new Uint8Array(size >> 2), cbFull: new Int32Array(size), crFull: new Int32Array(size) };
}

/**
 * Fills `out.y` (16 rows × `paddedWidth`) and `out.cb` / `out.cr` (8 rows × paddedWidth / 2) from image rows
 * `top`..`top + 15`.
 */
export function rgbToYcc(image: RgbaImage, top: number, paddedWidth: number, out: YccRows): void {
	const { width, height, data } = image;
	const cbs = out.cbFull;
	const crs = out.crFull;
	const y = out.y;
	for (let r = 0; r < 16; r++) {
		const row = Math.min(top + r, height - 1);
		for (let x = 0; x < paddedWidth; x++) {
			const p = (row * width + (x < width ? x : width - 1)) * 4;
			const red = data[p];
			const green = data[p + 1];
			const blue = data[p + 2];
			const i = r * paddedWidth + x;
			y[i] = (R_Y * red + G_Y * green + B_Y * blue + HALF) >> SCALE;
			cbs[i] = (-R_CB * red - G_CB * green + HALF_C * blue + OFFSET) >> SCALE;
			crs[i] = (HALF_C * red - G_CR * green - B_CR * blue + OFFSET) >> SCALE;
		}
	}
	const half = paddedWidth >> 1;
	for (let r = 0; r < 8; r++) {
		const a = 2 * r * paddedWidth;
		const b = a + paddedWidth;
		let bias = 1;
		for (let x = 0; x < half; x++) {
			const i = 2 * x;
			out.cb[r * half + x] = (cbs[a + i] + cbs[a + i + 1] + cbs[b + i] + cbs[b + i + 1] + bias) >> 2;
			out.cr[r * half + x] = (crs[a + i] + crs[a + i + 1] + crs[b + i] + crs[b + i + 1] + bias) >> 2;
			bias ^= 3;
		}
	}
}
