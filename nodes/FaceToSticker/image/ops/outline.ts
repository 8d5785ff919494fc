import type { RgbaImage } from '../types';
import type { Sliced } from '../slices';

// Globals are read once, here: looked up inside a hot loop they are slow in sandboxed contexts (jest's vm).
const { round, min, sqrt } = Math;
const FAR_AWAY = Number.POSITIVE_INFINITY;

/** Pixels at least this opaque are the sticker's body, from which the outline's distance is measured. */
export const OUTLINE_ALPHA_THRESHOLD = 128;

/** Pixels handled between two yields (hot loops live in plain functions, which V8 optimises). */
const PIXELS_PER_SLICE = 1 << 15;

/**
 * A die-cut outline `outlineWidth` px wide around the sticker, drawn under it: the image grows by
 * ceil(outlineWidth) on each side, the outline's coverage is clamp(width + 0.5 − distance, 0, 1) where
 * distance is the exact Euclidean distance to the nearest body pixel (round corners, anti-aliased rim), and
 * the result is the sticker OVER the outline. Width 0 returns the image itself.
 */
export function* addOutline(
	image: RgbaImage,
	outlineWidth: number,
	colour: readonly [number, number, number],
): Sliced<RgbaImage> {
	if (!(outlineWidth > 0)) return image;
	const pad = Math.ceil(outlineWidth);
	const width = image.width + 2 * pad;
	const height = image.height + 2 * pad;
	const rows = Math.max(1, Math.floor(PIXELS_PER_SLICE / width));
	const grid = new Float64Array(width * height);
	for (let y = 0; y < height; y += rows) {
		markBody(image, pad, grid, width, y, Math.min(height, y + rows));
		yield;
	}
	yield* squaredDistances(grid, width, height, rows);
	const data = new Uint8Array(width * height * 4);
	for (let y = 0; y < height; y += rows) {
		composite(image, pad, grid, outlineWidth, colour, data, width, y, Math.min(height, y + rows));
		yield;
	}
	return { width, height, data };
}

/** Distance 0 on the body, "far" (more than any distance in the grid, yet finite) elsewhere. */
function markBody(image: RgbaImage, pad: number, grid: Float64Array, width: number, fromY: number, toY: number): void {
	const far = width + image.height + 2 * pad;
	grid.fill(far, fromY * width, toY * width);
	for (let y = Math.max(fromY, pad); y < Math.min(toY, pad + image.height); y++) {
		const from = (y - pad) * image.width * 4 + 3;
		const to = y * width + pad;
		for (let x = 0; x < image.width; x++) if (image.data[from + x * 4] >= OUTLINE_ALPHA_THRESHOLD) grid[to + x] = 0;
	}
}

/**
 * Turns `grid` (0 on the body, far elsewhere) into squared Euclidean distances to the body. Down the columns a
 * binary image needs two sweeps (Meijster et al.), done row by row so memory is read in order; along the rows
 * the lower envelope of parabolas (Felzenszwalb & Huttenlocher) makes the result exact.
 */
function* squaredDistances(grid: Float64Array, width: number, height: number, rows: number): Sliced<void> {
	for (let y = 1; y < height; y += rows) {
		sweepDown(grid, width, y, Math.min(height, y + rows));
		yield;
	}
	for (let y = height - 2; y >= 0; y -= rows) {
		sweepUp(grid, width, y, Math.max(-1, y - rows));
		yield;
	}
	const scratch = { f: new Float64Array(width), v: new Int32Array(width), z: new Float64Array(width + 1) };
	const envelopeRows = Math.max(1, rows >> 2);
	for (let y = 0; y < height; y += envelopeRows) {
		for (let r = y; r < Math.min(height, y + envelopeRows); r++) rowEnvelope(grid, r * width, width, scratch);
		yield;
	}
}

function sweepDown(grid: Float64Array, width: number, fromY: number, toY: number): void {
	for (let i = fromY * width, end = toY * width; i < end; i++) if (grid[i - width] + 1 < grid[i]) grid[i] = grid[i - width] + 1;
}

function sweepUp(grid: Float64Array, width: number, fromY: number, downToY: number): void {
	for (let i = fromY * width + width - 1, end = (downToY + 1) * width; i >= end; i--) {
		if (grid[i + width] + 1 < grid[i]) grid[i] = grid[i + width] + 1;
	}
}

/**
 * One row, in place: from column distances g to squared distances min over p of (q − p)² + g(p)², the lower
 * envelope of parabolas ("Distance Transforms of Sampled Functions", 2012), in O(width).
 */
function rowEnvelope(grid: Float64Array, start: number, n: number, scratch: { f: Float64Array; v: Int32Array; z: Float64Array }): void {
	const { f, v, z } = scratch;
	for (let q = 0; q < n; q++) f[q] = grid[start + q] * grid[start + q];
	let k = 0;
	v[0] = 0;
	z[0] = -FAR_AWAY;
	z[1] = FAR_AWAY;
	for (let q = 1; q < n; q++) {
		let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
		while (s <= z[k]) {
			k--;
			s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
		}
		k++;
		v[k] = q;
		z[k] = s;
		z[k + 1] = FAR_AWAY;
	}
	k = 0;
	for (let q = 0; q < n; q++) {
		while (z[k + 1] < q) k++;
		const dq = q - v[k];
		grid[start + q] = dq * dq + f[v[k]];
	}
}

/** Sticker OVER outline for rows [fromY, toY), in straight alpha. */
function composite(
	image: RgbaImage,
	pad: number,
	distances: Float64Array,
	outlineWidth: number,
	colour: readonly [number, number, number],
	data: Uint8Array,
	width: number,
	fromY: number,
	toY: number,
): void {
	const src = image.data;
	const reach = (outlineWidth + 0.5) * (outlineWidth + 0.5);
	const [or, og, ob] = colour;
	for (let y = fromY; y < toY; y++) {
		const sy = y - pad;
		const rowInside = sy >= 0 && sy < image.height;
		for (let x = 0; x < width; x++) {
			const sx = x - pad;
			const s = rowInside && sx >= 0 && sx < image.width ? (sy * image.width + sx) * 4 : -1;
			const out = (y * width + x) * 4;
			const sa = s < 0 ? 0 : src[s + 3];
			const d2 = distances[y * width + x];
			if (d2 >= reach || sa === 255) {
				if (sa > 0) {
					data[out] = src[s];
					data[out + 1] = src[s + 1];
					data[out + 2] = src[s + 2];
					data[out + 3] = sa;
				}
				continue;
			}
			const cover = min(1, outlineWidth + 0.5 - sqrt(d2));
			// The outline shows through where the sticker is not fully opaque.
			const under = cover * (255 - sa);
			const a = sa + under;
			const alpha = round(a);
			if (alpha === 0) continue;
			const sr = s < 0 ? 0 : src[s] * sa;
			const sg = s < 0 ? 0 : src[s + 1] * sa;
			const sb = s < 0 ? 0 : src[s + 2] * sa;
			data[out] = round((sr + or * under) / a);
			data[out + 1] = round((sg + og * under) / a);
			data[out + 2] = round((sb + ob * under) / a);
			data[out + 3] = alpha;
		}
	}
}
