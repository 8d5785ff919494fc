/**
 * RGBA to the YUV 4:2:0 planes VP8 codes, with libwebp's BT.601 integer formulas (Y = 16 + ..., studio
 * swing). Chroma averages each 2 × 2 square weighted by alpha, so a transparent pixel's colour does not
 * bleed into the die-cut edge. Transparent samples are then flattened (as libwebp does without -exact): in
 * each 8 × 8 luma / 4 × 4 chroma block they take the mean of the block's visible samples, or of the last
 * filled block in the row when none is visible, so they cost few bits. Planes are padded to whole
 * macroblocks by repeating the last row and column. `weightY`/`weightUV` give each sample's share of the
 * visible error, (alpha / 255)², which the encoder's rate-distortion choices use.
 */
import type { Sliced } from '../slices';
import { ticker } from '../slices';
import type { RgbaImage } from '../types';

export interface YuvPlanes {
	width: number;
	height: number;
	/** Macroblocks across and down. */
	mbw: number;
	mbh: number;
	yStride: number;
	uvStride: number;
	y: Uint8Array;
	u: Uint8Array;
	v: Uint8Array;
	weightY: Float32Array;
	weightUV: Float32Array;
	/** Every pixel has alpha 255. */
	opaque: boolean;
}

const FIX = 16;

/** Luma of one pixel (libwebp's VP8RGBToY with rounding 1/2). */
export function rgbToY(r: number, g: number, b: number): number {
	return (16839 * r + 33059 * g + 6420 * b + (1 << (FIX - 1)) + (16 << FIX)) >> FIX;
}

/** Chroma from r, g, b summed over four pixels (libwebp's VP8RGBToU/V with rounding). */
function chroma(sum: number): number {
	const v = (sum + (1 << (FIX + 1)) + (128 << (FIX + 2))) >> (FIX + 2);
	return v < 0 ? 0 : v > 255 ? 255 : v;
}

export function* rgbaToYuv(image: RgbaImage): Sliced<YuvPlanes> {
	const { width, height, data } = image;
	const mbw = (width + 15) >> 4;
	const mbh = (height + 15) >> 4;
	const yStride = mbw * 16;
	const uvStride = mbw * 8;
	const y = new Uint8Array(yStride * mbh * 16);
	const u = new Uint8Array(uvStride * mbh * 8);
	const v = new Uint8Array(uvStride * mbh * 8);
	const weightY = new Float32Array(y.length);
	const weightUV = new Float32Array(u.length);
	const visibleY = new Uint8Array(y.length);
	const visibleUV = new Uint8Array(u.length);
	const tick = ticker(8192);
	let opaque = true;
	for (let row = 0; row < height; row++) {
		for (let x = 0; x < width; x++) {
			const p = (row * width + x) * 4;
			const a = data[p + 3];
			const i = row * yStride + x;
			y[i] = rgbToY(data[p], data[p + 1], data[p + 2]);
			weightY[i] = (a / 255) * (a / 255);
			visibleY[i] = a > 0 ? 1 : 0;
			if (a !== 255) opaque = false;
		}
		if (tick(width)) yield;
	}
	const uvWidth = (width + 1) >> 1;
	const uvHeight = (height + 1) >> 1;
	for (let cy = 0; cy < uvHeight; cy++) {
		for (let cx = 0; cx < uvWidth; cx++) {
			let r = 0, g = 0, b = 0, alpha = 0, weight = 0, count = 0;
			for (let dy = 0; dy < 2; dy++) {
				const py = 2 * cy + dy;
				if (py >= height) continue;
				for (let dx = 0; dx < 2; dx++) {
					const px = 2 * cx + dx;
					if (px >= width) continue;
					const p = (py * width + px) * 4;
					const a = data[p + 3];
					r += data[p] * a;
					g += data[p + 1] * a;
					b += data[p + 2] * a;
					alpha += a;
					weight += weightY[py * yStride + px];
					count++;
				}
			}
			const i = cy * uvStride + cx;
			weightUV[i] = weight / count;
			if (alpha === 0) continue;
			visibleUV[i] = 1;
			// Alpha-weighted means, scaled to the sum of four pixels that the formulas expect.
			const R = (4 * r) / alpha, G = (4 * g) / alpha, B = (4 * b) / alpha;
			u[i] = chroma(Math.round(-9719 * R - 19081 * G + 28800 * B));
			v[i] = chroma(Math.round(28800 * R - 24116 * G - 4684 * B));
		}
		if (tick(uvWidth * 4)) yield;
	}
	if (!opaque) {
		yield* flatten(y, visibleY, width, height, yStride, 8);
		yield* flatten(u, visibleUV, uvWidth, uvHeight, uvStride, 4);
		yield* flatten(v, visibleUV, uvWidth, uvHeight, uvStride, 4);
	}
	pad(y, width, height, yStride, mbh * 16);
	pad(u, uvWidth, uvHeight, uvStride, mbh * 8);
	pad(v, uvWidth, uvHeight, uvStride, mbh * 8);
	return { width, height, mbw, mbh, yStride, uvStride, y, u, v, weightY, weightUV, opaque };
}

/** Transparent samples: the mean of the visible ones in their block, else the last mean in the row. */
function* flatten(plane: Uint8Array, visible: Uint8Array, width: number, height: number, stride: number, size: number): Sliced<void> {
	for (let by = 0; by < height; by += size) {
		if ((by / size) % 2 === 1) yield;
		let last = 128;
		const yEnd = Math.min(height, by + size);
		for (let bx = 0; bx < width; bx += size) {
			const xEnd = Math.min(width, bx + size);
			let sum = 0, count = 0, all = 0;
			for (let yy = by; yy < yEnd; yy++) {
				for (let xx = bx; xx < xEnd; xx++) {
					all++;
					if (visible[yy * stride + xx]) {
						sum += plane[yy * stride + xx];
						count++;
					}
				}
			}
			const fill = count > 0 ? Math.round(sum / count) : last;
			last = fill;
			if (count === all) continue;
			for (let yy = by; yy < yEnd; yy++) {
				for (let xx = bx; xx < xEnd; xx++) if (!visible[yy * stride + xx]) plane[yy * stride + xx] = fill;
			}
		}
	}
}

/** Repeats the last column and row out to the padded size. */
function pad(plane: Uint8Array, width: number, height: number, stride: number, rows: number): void {
	for (let yy = 0; yy < height; yy++) plane.fill(plane[yy * stride + width - 1], yy * stride + width, yy * stride + stride);
	for (let yy = height; yy < rows; yy++) plane.copyWithin(yy * stride, (height - 1) * stride, height * stride);
}
