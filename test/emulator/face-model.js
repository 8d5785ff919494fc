'use strict';
// What the emulator's "model" sees in a photo: the face region (found by skin colour in the upper part, else
// the centre), smoothed and posterised into a few flat colours on a small grid, as a sticker model simplifies
// a face. The sticker is drawn from this grid at any size (sticker-art.js). Without a readable photo, a face
// of its own is drawn from the photo's hash, so every job still gets a sticker-like picture.

const { cropFace, drawnFace, findFace } = require('./face-crop');

const GRID = 160;
const COLOURS = 10;

/**
 * @param {{ width: number, height: number, rgb: Uint8Array } | undefined} photo
 * @param {Buffer} digest bytes that stand for the photo (its sha256), for the drawn face when there is no photo
 * @returns {{ grid: number, labels: Uint8Array, palette: number[][] }}
 */
function faceModel(photo, digest) {
	const cells = photo ? cropFace(photo, GRID) : drawnFace(digest, GRID);
	if (photo) enhance(cells);
	// Edge-preserving smoothing: flat areas become flat, the edges of eyes, mouth and hair stay.
	for (let pass = 0; pass < 3; pass++) smooth(cells, GRID);
	// The face and shoulders (the middle of the crop) count three times in the palette, the backdrop once, so
	// the colours go where a sticker's detail is.
	const weights = new Float32Array(GRID * GRID);
	for (let y = 0; y < GRID; y++) {
		for (let x = 0; x < GRID; x++) weights[y * GRID + x] = ((x + 0.5) / GRID - 0.5) ** 2 / 0.1 + ((y + 0.5) / GRID - 0.48) ** 2 / 0.16 < 1 ? 3 : 1;
	}
	const palette = medianCut(cells, weights, COLOURS);
	refine(cells, weights, palette);
	// At twice the grid, from each region's blurred outline: round curves where the cells had corners.
	const labels = upsample(modeFilter(nearestLabels(cells, palette), GRID), GRID, palette.length);
	// Nothing pure white inside the face, so it never merges with the sticker's white rim.
	for (const colour of palette) {
		const lightest = Math.min(colour[0], colour[1], colour[2]);
		if (lightest > 236) for (let c = 0; c < 3; c++) colour[c] -= lightest - 236;
	}
	return { grid: GRID * 2, labels, palette };
}

/** A cartoon's colours: the brightness stretched to the full range (2nd-98th percentile), saturation x 1.35. */
function enhance(cells) {
	const count = cells.length / 3;
	const luma = new Float32Array(count);
	for (let i = 0; i < count; i++) luma[i] = 0.299 * cells[i * 3] + 0.587 * cells[i * 3 + 1] + 0.114 * cells[i * 3 + 2];
	const sorted = Float32Array.from(luma).sort();
	const low = sorted[Math.floor(count * 0.02)];
	const high = sorted[Math.floor(count * 0.98)];
	const scale = high - low > 8 ? 235 / (high - low) : 1;
	for (let i = 0; i < count; i++) {
		const y = luma[i];
		const target = (y - low) * scale + 10;
		for (let c = 0; c < 3; c++) {
			const v = target + (cells[i * 3 + c] - y) * 1.35 * (scale > 1.6 ? 1.6 : scale);
			cells[i * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
		}
	}
}

/** exp(-d / 800) for colour distances d (squared) in steps of 8, up to 8000 (beyond, 0). */
const CLOSENESS = Float32Array.from({ length: 1000 }, (_, i) => Math.exp(-(i * 8 + 4) / 800));

/** One pass of a 3 x 3 bilateral filter: neighbours of a near colour weigh much, of a far colour little. */
function smooth(cells, size) {
	const copy = Float32Array.from(cells);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const o = (y * size + x) * 3;
			let r = 0;
			let g = 0;
			let b = 0;
			let total = 0;
			for (let dy = -1; dy <= 1; dy++) {
				const ny = y + dy < 0 ? 0 : y + dy >= size ? size - 1 : y + dy;
				for (let dx = -1; dx <= 1; dx++) {
					const nx = x + dx < 0 ? 0 : x + dx >= size ? size - 1 : x + dx;
					const n = (ny * size + nx) * 3;
					const distance = (copy[n] - copy[o]) ** 2 + (copy[n + 1] - copy[o + 1]) ** 2 + (copy[n + 2] - copy[o + 2]) ** 2;
					const w = distance >= 8000 ? 0 : CLOSENESS[(distance / 8) | 0];
					r += copy[n] * w;
					g += copy[n + 1] * w;
					b += copy[n + 2] * w;
					total += w;
				}
			}
			cells[o] = r / total;
			cells[o + 1] = g / total;
			cells[o + 2] = b / total;
		}
	}
}

/**
 * Median cut: split the box with the widest channel range (weighted by its size, so a large box of near colours
 * splits before a speck) at its median until there are `count` boxes. Boxes are sorted by counting sort on the
 * channel's rounded value, so a split costs one pass. A cell takes part as many times as its weight.
 */
function medianCut(cells, weights, count) {
	const describe = (indices) => {
		let [lowR, lowG, lowB, highR, highG, highB] = [255, 255, 255, 0, 0, 0];
		for (let n = 0; n < indices.length; n++) {
			const o = indices[n] * 3;
			const [r, g, b] = [cells[o], cells[o + 1], cells[o + 2]];
			if (r < lowR) lowR = r;
			if (r > highR) highR = r;
			if (g < lowG) lowG = g;
			if (g > highG) highG = g;
			if (b < lowB) lowB = b;
			if (b > highB) highB = b;
		}
		const ranges = [highR - lowR, highG - lowG, highB - lowB];
		const channel = ranges.indexOf(Math.max(...ranges));
		return { indices, channel, score: indices.length > 1 ? ranges[channel] * Math.sqrt(indices.length) : 0 };
	};
	// A cell of weight w takes part w times.
	const all = [];
	for (let i = 0; i < weights.length; i++) for (let k = 0; k < weights[i]; k++) all.push(i);
	let boxes = [describe(Int32Array.from(all))];
	const buckets = new Int32Array(257);
	while (boxes.length < count) {
		let best = 0;
		for (let b = 1; b < boxes.length; b++) if (boxes[b].score > boxes[best].score) best = b;
		const { indices, channel, score } = boxes[best];
		if (score === 0) break;
		buckets.fill(0);
		for (const i of indices) buckets[((cells[i * 3 + channel] + 0.5) | 0) + 1]++;
		for (let v = 1; v <= 256; v++) buckets[v] += buckets[v - 1];
		const sorted = new Int32Array(indices.length);
		for (const i of indices) sorted[buckets[(cells[i * 3 + channel] + 0.5) | 0]++] = i;
		const half = indices.length >> 1;
		boxes = [...boxes.slice(0, best), describe(sorted.subarray(0, half)), describe(sorted.subarray(half)), ...boxes.slice(best + 1)];
	}
	return boxes.map(({ indices }) => [0, 1, 2].map((c) => indices.reduce((sum, i) => sum + cells[i * 3 + c], 0) / indices.length));
}

function nearestLabels(cells, palette) {
	const labels = new Uint8Array(cells.length / 3);
	for (let i = 0; i < labels.length; i++) {
		let best = 0;
		let bestDistance = Infinity;
		for (let k = 0; k < palette.length; k++) {
			const d = (cells[i * 3] - palette[k][0]) ** 2 + (cells[i * 3 + 1] - palette[k][1]) ** 2 + (cells[i * 3 + 2] - palette[k][2]) ** 2;
			if (d < bestDistance) [best, bestDistance] = [k, d];
		}
		labels[i] = best;
	}
	return labels;
}

/** Two k-means steps: each colour becomes the weighted mean of the cells nearest to it. */
function refine(cells, weights, palette) {
	for (let round = 0; round < 2; round++) {
		const labels = nearestLabels(cells, palette);
		const sums = palette.map(() => [0, 0, 0, 0]);
		labels.forEach((k, i) => {
			for (let c = 0; c < 3; c++) sums[k][c] += cells[i * 3 + c] * weights[i];
			sums[k][3] += weights[i];
		});
		sums.forEach((sum, k) => {
			if (sum[3] > 0) palette[k] = [sum[0] / sum[3], sum[1] / sum[3], sum[2] / sum[3]];
		});
	}
}

/**
 * Labels at twice the size. Each label's cells are blurred (Gaussian, sigma 1 cell, 5 x 5) and every new cell
 * takes the label whose blurred field is highest at its centre (bilinear): the regions' outlines become round
 * curves instead of runs of cell edges, and shapes a few cells wide keep their place.
 */
function upsample(labels, size, count) {
	const kernel = [-2, -1, 0, 1, 2].map((d) => Math.exp(-(d * d) / 2));
	const sum = kernel.reduce((a, b) => a + b, 0);
	const k = kernel.map((v) => v / sum);
	const clamp = (v) => (v < 0 ? 0 : v >= size ? size - 1 : v);
	// Rows: each cell adds its kernel to its own label's field (edges clamped, as if the edge cell repeated).
	const rows = Array.from({ length: count }, () => new Float32Array(size * size));
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const field = rows[labels[y * size + x]];
			for (let d = -2; d <= 2; d++) field[y * size + clamp(x + d)] += k[d + 2];
		}
	}
	// Columns, label by label.
	const fields = rows.map((row) => {
		const field = new Float32Array(size * size);
		for (let y = 0; y < size; y++) {
			for (let x = 0; x < size; x++) {
				let v = 0;
				for (let d = -2; d <= 2; d++) v += row[clamp(y + d) * size + x] * k[d + 2];
				field[y * size + x] = v;
			}
		}
		return field;
	});
	const out = new Uint8Array(size * size * 4);
	for (let y = 0; y < size * 2; y++) {
		const gy = (y + 0.5) / 2 - 0.5;
		const top = gy < 0 ? -1 : gy | 0;
		const ty = gy - top;
		const y0 = clamp(top) * size;
		const y1 = clamp(top + 1) * size;
		for (let x = 0; x < size * 2; x++) {
			const gx = (x + 0.5) / 2 - 0.5;
			const left = gx < 0 ? -1 : gx | 0;
			const tx = gx - left;
			const x0 = clamp(left);
			const x1 = clamp(left + 1);
			const w00 = (1 - tx) * (1 - ty);
			const w01 = tx * (1 - ty);
			const w10 = (1 - tx) * ty;
			const w11 = tx * ty;
			let best = 0;
			let bestValue = -1;
			for (let label = 0; label < count; label++) {
				const f = fields[label];
				const v = f[y0 + x0] * w00 + f[y0 + x1] * w01 + f[y1 + x0] * w10 + f[y1 + x1] * w11;
				if (v > bestValue) {
					best = label;
					bestValue = v;
				}
			}
			out[y * size * 2 + x] = best;
		}
	}
	return out;
}

/** Each cell takes the label most of its 3 x 3 neighbourhood has: no lone specks, smoother regions. */
function modeFilter(labels, size) {
	const out = new Uint8Array(labels.length);
	const votes = new Uint8Array(256);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			let best = labels[y * size + x];
			votes.fill(0);
			for (let dy = -1; dy <= 1; dy++) {
				for (let dx = -1; dx <= 1; dx++) {
					const k = labels[Math.min(size - 1, Math.max(0, y + dy)) * size + Math.min(size - 1, Math.max(0, x + dx))];
					votes[k]++;
					if (votes[k] > votes[best]) best = k;
				}
			}
			out[y * size + x] = best;
		}
	}
	return out;
}

module.exports = { faceModel, findFace, GRID };
