/**
 * Component rows to RGBA. YCbCr → RGB uses libjpeg's fixed-point tables (jdcolor.c: 16 fractional bits, the
 * JFIF/BT.601 full-range equations), so the result matches djpeg to the sample.
 */
import type { Sliced } from '../slices';
import { ticker } from '../slices';
import type { RgbaImage } from '../types';
import type { Frame } from './segments';
import { upsampleRow } from './upsample';

const SCALE = 16;
const HALF = 1 << (SCALE - 1);
const fix = (x: number): number => Math.floor(x * (1 << SCALE) + 0.5);

const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
	const x = i - 128;
	CR_R[i] = (fix(1.402) * x + HALF) >> SCALE;
	CB_B[i] = (fix(1.772) * x + HALF) >> SCALE;
	CR_G[i] = -fix(0.71414) * x;
	CB_G[i] = -fix(0.34414) * x + HALF;
}

/** Output rows between two yields, scaled by width: about 64 K samples. */
const SLICE_SAMPLES = 1 << 16;

/**
 * The frame's component planes (`strides` bytes per row) as straight RGBA: one component is grey, three are
 * YCbCr unless `rgb` says the file stores RGB (Adobe transform 0).
 */
export function* planesToRgba(frame: Frame, planes: Uint8Array[], strides: number[], rgb: boolean): Sliced<RgbaImage> {
	const { width, height, components } = frame;
	const data = new Uint8Array(width * height * 4);
	const rows = components.map((c) => new Uint8Array(c.width * (frame.hMax / c.h) + 8));
	const tick = ticker(SLICE_SAMPLES);
	for (let y = 0; y < height; y++) {
		for (let i = 0; i < components.length; i++) {
			const c = components[i];
			upsampleRow(c, planes[i], strides[i], frame.hMax / c.h, frame.vMax / c.v, y, rows[i]);
		}
		const o = y * width * 4;
		if (components.length === 1) greyRow(rows[0], width, data, o);
		else if (rgb) rgbRow(rows[0], rows[1], rows[2], width, data, o);
		else yccRow(rows[0], rows[1], rows[2], width, data, o);
		if (tick(width * components.length)) yield;
	}
	return { width, height, data };
}

// The row loops live outside the generator: V8 optimises plain functions better.
function greyRow(g: Uint8Array, width: number, data: Uint8Array, o: number): void {
	for (let x = 0; x < width; x++, o += 4) {
		const v = g[x];
		data[o] = v;
		data[o + 1] = v;
		data[o + 2] = v;
		data[o + 3] = 255;
	}
}

function rgbRow(r: Uint8Array, g: Uint8Array, b: Uint8Array, width: number, data: Uint8Array, o: number): void {
	for (let x = 0; x < width; x++, o += 4) {
		data[o] = r[x];
		data[o + 1] = g[x];
		data[o + 2] = b[x];
		data[o + 3] = 255;
	}
}

function yccRow(yy: Uint8Array, cb: Uint8Array, cr: Uint8Array, width: number, data: Uint8Array, o: number): void {
	const crR = CR_R;
	const cbB = CB_B;
	const crG = CR_G;
	const cbG = CB_G;
	for (let x = 0; x < width; x++, o += 4) {
		const l = yy[x];
		const u = cb[x];
		const v = cr[x];
		const r = l + crR[v];
		const g = l + ((cbG[u] + crG[v]) >> SCALE);
		const b = l + cbB[u];
		data[o] = r < 0 ? 0 : r > 255 ? 255 : r;
		data[o + 1] = g < 0 ? 0 : g > 255 ? 255 : g;
		data[o + 2] = b < 0 ? 0 : b > 255 ? 255 : b;
		data[o + 3] = 255;
	}
}
