/**
 * The decoded picture as dwebp shows it: libwebp's "fancy" upsampling of the 4:2:0 chroma (each output
 * sample 9:3:3:1 from the four nearest chroma samples, the edges mirrored) and its 14-bit BT.601 YUV to RGB,
 * so the pixels a lossy sticker reports are the ones a decoder makes. Alpha comes from the caller (the ALPH
 * chunk keeps it exact).
 */
import type { Sliced } from '../slices';
import { ticker } from '../slices';
import type { RgbaImage } from '../types';

function clip8(v: number): number {
	return (v & ~16383) === 0 ? v >> 6 : v < 0 ? 0 : 255;
}

const mulHi = (v: number, coeff: number) => (v * coeff) >> 8;

function putPixel(out: Uint8Array, o: number, y: number, u: number, v: number): void {
	const luma = mulHi(y, 19077);
	out[o] = clip8(luma + mulHi(v, 26149) - 14234);
	out[o + 1] = clip8(luma - mulHi(u, 6419) - mulHi(v, 13320) + 8708);
	out[o + 2] = clip8(luma + mulHi(u, 33050) - 17685);
}

/**
 * One output row from luma row `yRow` and the chroma rows `near` (same half) and `far` (the other one),
 * as libwebp's line-pair upsampler computes it for the top (near = top chroma) or bottom row.
 */
function upsampleRow(
	planes: { y: Uint8Array; u: Uint8Array; v: Uint8Array; yStride: number; uvStride: number },
	yRow: number,
	near: number,
	far: number,
	width: number,
	out: Uint8Array,
	outRow: number,
): void {
	const { y, u, v, yStride, uvStride } = planes;
	const yo = yRow * yStride;
	const n = near * uvStride, f = far * uvStride;
	const o = outRow * width * 4;
	// Chroma at the row's vertical position, before horizontal interpolation: (3 × near + far) / 4 in spirit,
	// computed as libwebp does, with its rounding, from the diagonal averages.
	let nu = u[n], nv = v[n], fu = u[f], fv = v[f];
	putPixel(out, o, y[yo], (3 * nu + fu + 2) >> 2, (3 * nv + fv + 2) >> 2);
	const lastPair = (width - 1) >> 1;
	for (let x = 1; x <= lastPair; x++) {
		const nu1 = u[n + x], nv1 = v[n + x], fu1 = u[f + x], fv1 = v[f + x];
		const avgU = nu + nu1 + fu + fu1 + 8, avgV = nv + nv1 + fv + fv1 + 8;
		// The two diagonals: one through (near, x-1) and (far, x), one through (near, x) and (far, x-1).
		const diagU03 = (avgU + 2 * (nu + fu1)) >> 3, diagV03 = (avgV + 2 * (nv + fv1)) >> 3;
		const diagU12 = (avgU + 2 * (nu1 + fu)) >> 3, diagV12 = (avgV + 2 * (nv1 + fv)) >> 3;
		putPixel(out, o + (2 * x - 1) * 4, y[yo + 2 * x - 1], (diagU12 + nu) >> 1, (diagV12 + nv) >> 1);
		putPixel(out, o + 2 * x * 4, y[yo + 2 * x], (diagU03 + nu1) >> 1, (diagV03 + nv1) >> 1);
		nu = nu1; nv = nv1; fu = fu1; fv = fv1;
	}
	if (!(width & 1)) putPixel(out, o + (width - 1) * 4, y[yo + width - 1], (3 * nu + fu + 2) >> 2, (3 * nv + fv + 2) >> 2);
}

/** RGBA of decoded planes (cropped to width × height) with the given alpha plane (one byte per pixel). */
export function* yuvToRgba(
	planes: { y: Uint8Array; u: Uint8Array; v: Uint8Array; yStride: number; uvStride: number },
	width: number,
	height: number,
	alpha: Uint8Array | null,
): Sliced<RgbaImage> {
	const data = new Uint8Array(width * height * 4);
	const tick = ticker(8192);
	for (let row = 0; row < height; row++) {
		// Row 0 and an even height's last row use one chroma row twice; the rest pair rows 2k-1 and 2k
		// between chroma rows k-1 and k.
		const c = row >> 1;
		if (row === 0) upsampleRow(planes, 0, 0, 0, width, data, 0);
		else if (row & 1) upsampleRow(planes, row, c, row + 1 < height ? c + 1 : c, width, data, row);
		else upsampleRow(planes, row, c, c - 1, width, data, row);
		if (tick(width)) yield;
	}
	for (let i = 0; i < width * height; i++) data[i * 4 + 3] = alpha === null ? 255 : alpha[i];
	return { width, height, data };
}
