import type { RgbaImage } from '../types';
import type { Sliced } from '../slices';

// Globals are read once, here: looked up inside a hot loop they are slow in sandboxed contexts (jest's vm).
const { round } = Math;

/**
 * Separable resampling with the Catmull-Rom cubic on premultiplied alpha. Premultiplying keeps the colour of
 * transparent pixels (often black) out of the edge, so there is no dark fringe; Catmull-Rom has a single
 * negative lobe, so a hard alpha edge leaves no faint ripples out in the transparent part. On downscale the
 * filter is stretched by the scale (every source pixel counts, no aliasing).
 */

/** Largest size with the aspect ratio of `width` × `height` that fits the box; the limiting side is exact. */
export function fitWithin(width: number, height: number, boxWidth: number, boxHeight: number): { width: number; height: number } {
	if (boxWidth < 1 || boxHeight < 1) throw new Error(`fitWithin: the box ${boxWidth} × ${boxHeight} is empty`);
	if (boxWidth * height <= boxHeight * width) {
		return { width: boxWidth, height: Math.min(boxHeight, Math.max(1, Math.round((height * boxWidth) / width))) };
	}
	return { width: Math.min(boxWidth, Math.max(1, Math.round((width * boxHeight) / height))), height: boxHeight };
}

function catmullRom(x: number): number {
	const t = Math.abs(x);
	if (t < 1) return 1.5 * t * t * t - 2.5 * t * t + 1;
	if (t < 2) return -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2;
	return 0;
}

/** For each output position: the first source index and `stride` normalised weights (zeros past `count`). */
interface Taps {
	first: Int32Array;
	count: Int32Array;
	weights: Float64Array;
	stride: number;
}

function computeTaps(inSize: number, outSize: number): Taps {
	const scale = inSize / outSize;
	const stretch = Math.max(1, scale);
	const support = 2 * stretch;
	const stride = 2 * Math.ceil(support) + 2;
	const first = new Int32Array(outSize);
	const count = new Int32Array(outSize);
	const weights = new Float64Array(outSize * stride);
	for (let o = 0; o < outSize; o++) {
		const centre = (o + 0.5) * scale;
		// Taps outside the image are left out and the rest renormalised: edges keep their own colour.
		const lo = Math.max(0, Math.floor(centre - support));
		const hi = Math.min(inSize, Math.ceil(centre + support));
		let sum = 0;
		for (let i = lo; i < hi; i++) {
			const w = catmullRom((i + 0.5 - centre) / stretch);
			weights[o * stride + i - lo] = w;
			sum += w;
		}
		for (let i = 0; i < hi - lo; i++) weights[o * stride + i] /= sum;
		first[o] = lo;
		count[o] = hi - lo;
	}
	return { first, count, weights, stride };
}

/** Filter taps between two yields, a fraction of a millisecond once optimised. */
const TAPS_PER_SLICE = 1 << 16;

/**
 * `image` resampled to `width` × `height` (any direction, each axis on its own). Colour comes back
 * un-premultiplied with rounding; a pixel whose alpha rounds to 0 is stored as 0,0,0,0.
 */
export function* resizePremultiplied(image: RgbaImage, width: number, height: number): Sliced<RgbaImage> {
	if (width < 1 || height < 1) throw new Error(`resizePremultiplied: ${width} × ${height} is empty`);
	const across = computeTaps(image.width, width);
	const down = computeTaps(image.height, height);
	// Pass 1, across: every source row to `width` pixels of premultiplied colour (r·a, g·a, b·a, a).
	const between = new Float32Array(width * image.height * 4);
	const row = new Float32Array(image.width * 4);
	const acrossRows = Math.max(1, Math.floor(TAPS_PER_SLICE / (image.width + width * across.stride)));
	for (let y = 0; y < image.height; y += acrossRows) {
		resampleAcross(image, across, width, between, row, y, Math.min(image.height, y + acrossRows));
		yield;
	}
	// Pass 2, down: weighted sums of whole rows, then back to straight 8-bit alpha.
	const data = new Uint8Array(width * height * 4);
	const sum = new Float64Array(width * 4);
	const downRows = Math.max(1, Math.floor(TAPS_PER_SLICE / (width * down.stride)));
	for (let y = 0; y < height; y += downRows) {
		resampleDown(between, down, width, data, sum, y, Math.min(height, y + downRows));
		yield;
	}
	return { width, height, data };
}

function resampleAcross(
	image: RgbaImage,
	across: Taps,
	width: number,
	between: Float32Array,
	row: Float32Array,
	fromY: number,
	toY: number,
): void {
	const src = image.data;
	const inW = image.width;
	const { first, count, weights, stride } = across;
	for (let y = fromY; y < toY; y++) {
		const rowStart = y * inW * 4;
		for (let i = 0; i < inW * 4; i += 4) {
			const a = src[rowStart + i + 3];
			row[i] = src[rowStart + i] * a;
			row[i + 1] = src[rowStart + i + 1] * a;
			row[i + 2] = src[rowStart + i + 2] * a;
			row[i + 3] = a;
		}
		const out = y * width * 4;
		for (let o = 0; o < width; o++) {
			const n = count[o];
			const wBase = o * stride;
			let p = first[o] * 4;
			let r = 0;
			let g = 0;
			let b = 0;
			let a = 0;
			for (let t = 0; t < n; t++, p += 4) {
				const w = weights[wBase + t];
				r += w * row[p];
				g += w * row[p + 1];
				b += w * row[p + 2];
				a += w * row[p + 3];
			}
			between[out + o * 4] = r;
			between[out + o * 4 + 1] = g;
			between[out + o * 4 + 2] = b;
			between[out + o * 4 + 3] = a;
		}
	}
}

function resampleDown(
	between: Float32Array,
	down: Taps,
	width: number,
	data: Uint8Array,
	sum: Float64Array,
	fromY: number,
	toY: number,
): void {
	const rowLength = width * 4;
	for (let y = fromY; y < toY; y++) {
		sum.fill(0);
		const n = down.count[y];
		for (let t = 0; t < n; t++) {
			const w = down.weights[y * down.stride + t];
			const from = (down.first[y] + t) * rowLength;
			for (let j = 0; j < rowLength; j++) sum[j] += w * between[from + j];
		}
		const out = y * rowLength;
		for (let j = 0; j < rowLength; j += 4) {
			const a = sum[j + 3];
			const alpha = round(a < 0 ? 0 : a > 255 ? 255 : a);
			if (alpha === 0) continue; // stays 0,0,0,0
			data[out + j] = unpremultiply(sum[j], a);
			data[out + j + 1] = unpremultiply(sum[j + 1], a);
			data[out + j + 2] = unpremultiply(sum[j + 2], a);
			data[out + j + 3] = alpha;
		}
	}
}

function unpremultiply(premultiplied: number, alpha: number): number {
	const value = round(premultiplied / alpha);
	return value < 0 ? 0 : value > 255 ? 255 : value;
}
