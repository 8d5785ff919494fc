'use strict';
// Where the face is in a photo, and the square around it as the emulator's "model" sees it: the densest patch
// of skin-coloured pixels in the upper part (else the middle), resampled to a grid of grid x grid cells.
// Without a photo, a face of the emulator's own, drawn from the photo's hash.

/** The square around the face, resampled to grid x grid (RGB floats), a little below the face's centre. */
function cropFace(photo, grid) {
	const { width, height, rgb } = photo;
	const face = findFace(photo);
	const side = face ? Math.max(0.3, Math.min(1, face.size * 2.3)) * Math.min(width, height) : 0.7 * Math.min(width, height);
	const cx = face ? face.x * width : width / 2;
	const cy = face ? face.y * height + side * 0.1 : height * 0.42;
	const x0 = cx - side / 2;
	const y0 = cy - side / 2;
	const cells = new Float32Array(grid * grid * 3);
	const step = side / grid;
	// Two by two samples a cell, bilinear, edges repeated: enough for a photo larger or smaller than the grid.
	const read = (fx, fy, out, o) => {
		const x = Math.max(0, Math.min(width - 1, fx));
		const y = Math.max(0, Math.min(height - 1, fy));
		const xa = Math.floor(x);
		const ya = Math.floor(y);
		const xb = Math.min(width - 1, xa + 1);
		const yb = Math.min(height - 1, ya + 1);
		const tx = x - xa;
		const ty = y - ya;
		for (let c = 0; c < 3; c++) {
			const top = rgb[(ya * width + xa) * 3 + c] * (1 - tx) + rgb[(ya * width + xb) * 3 + c] * tx;
			const bottom = rgb[(yb * width + xa) * 3 + c] * (1 - tx) + rgb[(yb * width + xb) * 3 + c] * tx;
			out[o + c] += (top * (1 - ty) + bottom * ty) / 4;
		}
	};
	for (let gy = 0; gy < grid; gy++) {
		for (let gx = 0; gx < grid; gx++) {
			const o = (gy * grid + gx) * 3;
			for (const sy of [0.25, 0.75]) for (const sx of [0.25, 0.75]) read(x0 + (gx + sx) * step - 0.5, y0 + (gy + sy) * step - 0.5, cells, o);
		}
	}
	return cells;
}

/**
 * The face: the densest patch of skin-coloured pixels in the upper 70 % of the photo (a quarter of its shorter
 * side wide), then the skin around it. Centre (0-1) and size (a share of the shorter side), or undefined.
 */
function findFace({ width, height, rgb }) {
	const n = 48;
	const cell = Math.min(width, height) / n;
	const cols = Math.floor(width / cell);
	const rows = Math.floor((height * 0.7) / cell);
	const skin = new Uint8Array(cols * rows);
	const points = [];
	const step = Math.max(1, Math.floor(cell / 3));
	for (let y = 0; y < rows * cell; y += step) {
		for (let x = 0; x < cols * cell; x += step) {
			const o = (Math.floor(y) * width + Math.floor(x)) * 3;
			const r = rgb[o];
			const g = rgb[o + 1];
			const b = rgb[o + 2];
			// Skin in YCbCr (Chai and Ngan's ranges, a little narrowed): not the orange of a suit, not a grey wall.
			const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
			const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
			if (r > 80 && cr > 135 && cr < 168 && cb > 85 && cb < 122) {
				skin[Math.floor(y / cell) * cols + Math.floor(x / cell)]++;
				points.push(x, y);
			}
		}
	}
	const k = Math.round(n / 4);
	let best = { count: 0, x: 0, y: 0 };
	for (let wy = 0; wy + k <= rows; wy++) {
		for (let wx = 0; wx + k <= cols; wx++) {
			let count = 0;
			for (let y = wy; y < wy + k; y++) for (let x = wx; x < wx + k; x++) count += skin[y * cols + x];
			if (count > best.count) best = { count, x: wx, y: wy };
		}
	}
	// A face fills a good part of its patch; less is a few skin-like specks.
	const perCell = Math.ceil(cell / step) ** 2;
	if (best.count < k * k * perCell * 0.25) return undefined;
	const [left, top, right, bottom] = [best.x - k / 2, best.y - k / 2, best.x + k * 1.5, best.y + k * 1.5].map((v) => v * cell);
	const xs = [];
	const ys = [];
	for (let i = 0; i < points.length; i += 2) {
		if (points[i] >= left && points[i] < right && points[i + 1] >= top && points[i + 1] < bottom) {
			xs.push(points[i]);
			ys.push(points[i + 1]);
		}
	}
	const percentile = (values, p) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) * p)];
	const [x0, x1, y0, y1] = [percentile(xs, 0.05), percentile(xs, 0.95), percentile(ys, 0.05), percentile(ys, 0.95)];
	return { x: (x0 + x1) / 2 / width, y: (y0 + y1) / 2 / height, size: Math.max(x1 - x0, y1 - y0) / Math.min(width, height) };
}

/** A face of the emulator's own (skin, hair, eyes, smile, shirt), its colours from the photo's hash. */
function drawnFace(digest, grid) {
	const skin = [200 + (digest[0] % 50), 150 + (digest[1] % 50), 110 + (digest[2] % 50)];
	const hair = [40 + (digest[3] % 120), 25 + (digest[4] % 80), 15 + (digest[5] % 60)];
	const shirt = [digest[6], digest[7], digest[8]];
	const backdrop = [170 + (digest[9] % 60), 180 + (digest[10] % 60), 190 + (digest[11] % 60)];
	const cells = new Float32Array(grid * grid * 3);
	const inEllipse = (x, y, cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1;
	for (let gy = 0; gy < grid; gy++) {
		for (let gx = 0; gx < grid; gx++) {
			const x = (gx + 0.5) / grid;
			const y = (gy + 0.5) / grid;
			let colour = backdrop;
			if (inEllipse(x, y, 0.5, 1.05, 0.45, 0.3)) colour = shirt;
			if (inEllipse(x, y, 0.5, 0.4, 0.27, 0.3)) colour = hair;
			if (inEllipse(x, y, 0.5, 0.47, 0.23, 0.27) && y > 0.3) colour = skin;
			if (inEllipse(x, y, 0.41, 0.45, 0.03, 0.04) || inEllipse(x, y, 0.59, 0.45, 0.03, 0.04)) colour = [40, 30, 30];
			if (inEllipse(x, y, 0.5, 0.58, 0.09, 0.06) && y > 0.585) colour = [150, 50, 60];
			cells.set(colour, (gy * grid + gx) * 3);
		}
	}
	return cells;
}

module.exports = { cropFace, findFace, drawnFace };
