'use strict';
// The posterised face at full size, as labels: for every pixel of the picture, the palette entry it shows
// (`first`), the one across the nearest region boundary (`second`), how much of the pixel is `first` (`cover`,
// 0-255: anti-aliasing) and how much dark ink lies on it (`ink`, 0-255). It depends on the photo's face model
// and the picture's size only, not on the job's colours, so the jobs of one photo at one size (a pack, a test
// suite's hundreds) share it: a few are cached.
//
// Each label's weight at a pixel is its cubic B-spline weight over the 4 x 4 grid cells around, so region
// boundaries are smooth curves however large the picture; the heaviest label wins, and its lead over the
// runner-up gives the distance to the boundary.

const CACHE_SIZE = 4;
const cache = new Map();
const ids = new WeakMap();
let nextId = 1;

/**
 * @param {{ grid: number, labels: Uint8Array, palette: number[][] }} model
 * @param {{ width: number, height: number, left: number, top: number, boxWidth: number, boxHeight: number, inkWidth: number }} frame
 *   the picture's size, and the box (in pixels) the face grid spans
 */
function faceRaster(model, frame) {
	if (!ids.has(model)) ids.set(model, nextId++);
	const key = `${ids.get(model)}:${Object.values(frame).join(',')}`;
	if (cache.has(key)) {
		const hit = cache.get(key);
		cache.delete(key);
		cache.set(key, hit);
		return hit;
	}
	const raster = draw(model, frame);
	cache.set(key, raster);
	if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
	return raster;
}

function draw({ grid, labels, palette }, { width, height, left, top, boxWidth, boxHeight, inkWidth }) {
	// The labels with a border of 2 cells repeating the edge, so the 4 x 4 reads need no bounds checks.
	const side = grid + 4;
	const padded = new Uint8Array(side * side);
	for (let y = 0; y < side; y++) {
		for (let x = 0; x < side; x++) padded[y * side + x] = labels[Math.min(grid - 1, Math.max(0, y - 2)) * grid + Math.min(grid - 1, Math.max(0, x - 2))];
	}
	// A cell whose 4 x 4 neighbourhood holds one label needs no weights (most cells).
	const uniform = new Uint8Array(grid * grid);
	for (let y = 0; y < grid; y++) {
		for (let x = 0; x < grid; x++) {
			const first = padded[(y + 2) * side + x + 2];
			let same = 1;
			for (let dy = 1; dy <= 4; dy++) for (let dx = 1; dx <= 4; dx++) if (padded[(y + dy) * side + x + dx] !== first) same = 0;
			uniform[y * grid + x] = same;
		}
	}
	// Ink only between regions of clearly different brightness, as an artist outlines shapes, not shading.
	const luma = palette.map(([r, g, b]) => 0.299 * r + 0.587 * g + 0.114 * b);
	const inked = new Uint8Array(palette.length * palette.length);
	for (let a = 0; a < palette.length; a++) for (let b = 0; b < palette.length; b++) inked[a * palette.length + b] = Math.abs(luma[a] - luma[b]) > 70 ? 1 : 0;

	const first = new Uint8Array(width * height);
	const second = new Uint8Array(width * height);
	const cover = new Uint8Array(width * height).fill(255);
	const ink = new Uint8Array(width * height);
	const toGridX = grid / boxWidth;
	const toGridY = grid / boxHeight;
	// A smoothed step rises by 2/3 a cell at most, so the weights' difference by 4/3 a cell across it.
	const pixelsPerWeight = 0.75 * Math.min(boxWidth, boxHeight) / grid;
	// The weights tell the distance only near a boundary (up to pixelsPerWeight): an ink line wider than that
	// would follow the cells' edges, beaded.
	const inkHalf = Math.min(inkWidth / 2, 0.6 * pixelsPerWeight);
	const weights = new Float64Array(palette.length);
	const touched = new Int32Array(16);
	const wx = new Float64Array(4);
	const wy = new Float64Array(4);
	const floor = Math.floor;
	// Each pixel column's first cell and four x weights, worked out once.
	const columnCell = new Int32Array(width);
	const columnWeights = new Float64Array(width * 4);
	const columnUniformCell = new Int32Array(width);
	for (let x = 0; x < width; x++) {
		const gx = (x + 0.5 - left) * toGridX - 0.5;
		const x0 = floor(gx);
		columnUniformCell[x] = x0 >= 0 && x0 < grid ? x0 : -1;
		columnCell[x] = x0 < -1 ? -1 : x0 >= grid ? grid - 1 : x0;
		spline(x0 < -1 ? 0 : x0 >= grid ? 1 : gx - x0, wx);
		columnWeights.set(wx, x * 4);
	}
	for (let y = 0; y < height; y++) {
		const gy = (y + 0.5 - top) * toGridY - 0.5;
		let y0 = floor(gy);
		const ty = y0 < -1 ? 0 : y0 >= grid ? 1 : gy - y0;
		y0 = y0 < -1 ? -1 : y0 >= grid ? grid - 1 : y0;
		spline(ty, wy);
		for (let x = 0; x < width; x++) {
			const o = y * width + x;
			const ux = columnUniformCell[x];
			if (y0 >= 0 && ux >= 0 && uniform[y0 * grid + ux] === 1) {
				first[o] = labels[y0 * grid + ux];
				continue;
			}
			const x0 = columnCell[x];
			const xw = x * 4;
			let count = 0;
			for (let j = 0; j < 4; j++) {
				const row = (y0 + 1 + j) * side + x0 + 1;
				for (let i = 0; i < 4; i++) {
					const label = padded[row + i];
					if (weights[label] === 0) touched[count++] = label;
					weights[label] += columnWeights[xw + i] * wy[j];
				}
			}
			let best = touched[0];
			let runnerUp = -1;
			for (let k = 1; k < count; k++) if (weights[touched[k]] > weights[best]) best = touched[k];
			for (let k = 0; k < count; k++) if (touched[k] !== best && (runnerUp < 0 || weights[touched[k]] > weights[runnerUp])) runnerUp = touched[k];
			first[o] = best;
			if (runnerUp >= 0) {
				const distance = (weights[best] - weights[runnerUp]) * pixelsPerWeight;
				second[o] = runnerUp;
				cover[o] = 255 * clamp01(0.5 + distance) + 0.5;
				if (inked[best * palette.length + runnerUp] === 1) ink[o] = 217 * clamp01(0.5 + inkHalf - distance) + 0.5;
			}
			for (let k = 0; k < count; k++) weights[touched[k]] = 0;
		}
	}
	return { first, second, cover, ink };
}

/** The cubic B-spline's four weights at offset t (0-1) from the second of four cells. */
function spline(t, out) {
	const t2 = t * t;
	const t3 = t2 * t;
	out[0] = (1 - 3 * t + 3 * t2 - t3) / 6;
	out[1] = (3 * t3 - 6 * t2 + 4) / 6;
	out[2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
	out[3] = t3 / 6;
}

function clamp01(value) {
	return value < 0 ? 0 : value > 1 ? 1 : value;
}

module.exports = { faceRaster };
