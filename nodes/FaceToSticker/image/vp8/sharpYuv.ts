/**
 * "Sharp" YUV: plain 4:2:0 conversion averages each 2 × 2 square's colour, and the decoder's upsampling
 * then smears it across colour edges (a photo against the white outline loses about a decibel of RGB fidelity
 * there). This refines the planes so that what the decoder shows comes closer to the RGBA: a few rounds of
 * decoding the planes as dwebp does (toRgba.ts), measuring the RGB error of every visible pixel, and adding
 * its luma part to Y and the alpha-weighted mean of its chroma part to U and V (the idea of libwebp's
 * -sharp_yuv, done here in gamma space).
 */
import type { Sliced } from '../slices';
import type { RgbaImage } from '../types';
import { yuvToRgba } from './toRgba';
import type { YuvPlanes } from './yuv';

const ROUNDS = 4;

export function* sharpenYuv(image: RgbaImage, planes: YuvPlanes): Sliced<void> {
	const { width, height, data } = image;
	const { y, u, v, yStride, uvStride } = planes;
	// Exact values between rounds, so small corrections accumulate instead of rounding away.
	const fy = Float32Array.from(y), fu = Float32Array.from(u), fv = Float32Array.from(v);
	const uvWidth = (width + 1) >> 1, uvHeight = (height + 1) >> 1;
	const du = new Float32Array(u.length), dv = new Float32Array(u.length), dw = new Float32Array(u.length);
	for (let round = 0; round < ROUNDS; round++) {
		const decoded = yield* yuvToRgba(planes, width, height, null);
		du.fill(0);
		dv.fill(0);
		dw.fill(0);
		for (let row = 0; row < height; row++) {
			for (let x = 0; x < width; x++) {
				const p = (row * width + x) * 4;
				const a = data[p + 3];
				if (a === 0) continue;
				const er = data[p] - decoded.data[p], eg = data[p + 1] - decoded.data[p + 1], eb = data[p + 2] - decoded.data[p + 2];
				const i = row * yStride + x;
				fy[i] += (16839 * er + 33059 * eg + 6420 * eb) / 65536;
				const c = (row >> 1) * uvStride + (x >> 1);
				du[c] += a * (-9719 * er - 19081 * eg + 28800 * eb);
				dv[c] += a * (28800 * er - 24116 * eg - 4684 * eb);
				dw[c] += a;
			}
			if ((row & 7) === 7) yield;
		}
		for (let cy = 0; cy < uvHeight; cy++) {
			if ((cy & 31) === 31) yield;
			for (let cx = 0; cx < uvWidth; cx++) {
				const c = cy * uvStride + cx;
				if (dw[c] === 0) continue;
				fu[c] += du[c] / dw[c] / 65536;
				fv[c] += dv[c] / dw[c] / 65536;
				u[c] = clamp(fu[c]);
				v[c] = clamp(fv[c]);
			}
		}
		for (let row = 0; row < height; row++) {
			if ((row & 31) === 31) yield;
			for (let x = 0, i = row * yStride; x < width; x++, i++) if (data[(row * width + x) * 4 + 3] !== 0) y[i] = clamp(fy[i]);
		}
		yield;
	}
}

function clamp(value: number): number {
	const v = Math.round(value);
	return v < 0 ? 0 : v > 255 ? 255 : v;
}
