'use strict';
// Draws the emulator's sticker at full size from a face model (face-model.js): the posterised face inside a
// smooth blob with a dark ink line and a white rim, on a flat light background. Every edge is found from a
// distance to a smooth curve, so the picture and the cut-out share one exact, anti-aliased silhouette:
// `alpha` is the cut-out's coverage (1.5 px feather), `fg` the sticker's own colours, `rgb` the picture.
// The seed and the prompt pick the background colour, a hue shift, the blob's wobble and a badge.

const FEATHER = 1.5;
const TAU = Math.PI * 2;

/** The look a job's (photo, prompt, seed) digest and prompt give. */
function styleOf(digest, prompt) {
	const text = String(prompt ?? '').toLowerCase();
	const badges = [
		['heart', /love|heart|kiss/],
		['drop', /sad|cry|tear/],
		['moon', /sleep|tired|night/],
		['burst', /angry|mad|furious|surpris|shock/],
		['star', /happy|laugh|smil|joy|cool|star/],
	];
	const badge = badges.find(([, pattern]) => pattern.test(text))?.[0];
	const hue = (digest.readUInt16BE(0) / 65536) * 360;
	return {
		background: hsl(hue, 0.55, 0.9),
		badgeColour: hsl((hue + 180) % 360, 0.75, 0.55),
		hueShift: ((digest[2] / 255) * 2 - 1) * 18,
		wobble: [0, 1, 2].map((i) => ({ phase: (digest[3 + i] / 256) * TAU, amplitude: 0.012 + (digest[6 + i] / 255) * 0.018 })),
		badge,
	};
}

/**
 * @param {{ grid: number, labels: Uint8Array, palette: number[][] }} model
 * @param {number} width
 * @param {number} height
 * @param {ReturnType<typeof styleOf>} style
 * @returns {{ width: number, height: number, rgb: Uint8Array, fg: Uint8Array, alpha: Uint8Array, background: number[] }}
 */
function drawSticker(model, width, height, style) {
	const palette = model.palette.map((colour) => shiftHue(colour, style.hueShift));
	const face = faceSampler(model, palette);
	const ink = [38, 30, 40];
	const short = Math.min(width, height);
	const cx = width / 2;
	const cy = height / 2;
	const rx = width * 0.4;
	const ry = height * 0.42;
	const rim = Math.max(3, short * 0.028);
	const inkWidth = Math.max(1.2, short * 0.005);
	const wobble = style.wobble.map((w, i) => ({ ...w, frequency: i + 2 }));
	const maxWobble = wobble.reduce((sum, w) => sum + w.amplitude, 0);
	// The edge's radius by angle, tabulated (linear between entries: far below a pixel's error at 4096).
	const TABLE = 4096;
	const toTable = TABLE / TAU;
	const edges = Float64Array.from({ length: TABLE + 1 }, (_, i) => {
		const theta = (i / TABLE) * TAU - Math.PI;
		return 1 + wobble.reduce((sum, w) => sum + w.amplitude * Math.sin(w.frequency * theta + w.phase), 0);
	});
	// Beyond these radii (in the ellipse's units) a pixel is surely face or surely background.
	const surelyInside = 1 - maxWobble - (rim + 2 * inkWidth + 4) / short;
	const surelyOutside = 1 + maxWobble + 4 / short;
	// The face grid spans the blob's box.
	const toGridX = face.grid / (2 * rx);
	const toGridY = face.grid / (2 * ry);
	face.pixelsPerCell = Math.min(2 * rx, 2 * ry) / face.grid;
	face.inkWidth = inkWidth;
	const badge = style.badge ? { x: cx + rx * 0.55, y: cy - ry * 0.58, r: short * 0.085 } : undefined;
	const fg = new Uint8Array(width * height * 3);
	const alpha = new Uint8Array(width * height);
	const rgb = new Uint8Array(width * height * 3);
	const bg = style.background;
	const [sqrt, atan2] = [Math.sqrt, Math.atan2];
	const colour = new Float64Array(3);
	// The face grid's column of every pixel column, worked out once.
	const gridX = Float64Array.from({ length: width }, (_, x) => (x + 0.5 - (cx - rx)) * toGridX - 0.5);
	const cellX = Int32Array.from(gridX, Math.floor);
	const { grid, uniform, labels, flat } = face;
	for (let y = 0; y < height; y++) {
		const qy = (y + 0.5 - cy) / ry;
		const gy = (y + 0.5 - (cy - ry)) * toGridY - 0.5;
		const cellY = Math.floor(gy);
		const rowInGrid = cellY >= 0 && cellY < grid;
		const nearBadge = badge !== undefined && Math.abs(y + 0.5 - badge.y) < badge.r * 1.5;
		for (let x = 0; x < width; x++) {
			const o = y * width + x;
			const o3 = o * 3;
			const qx = (x + 0.5 - cx) / rx;
			const rho = sqrt(qx * qx + qy * qy);
			if (rho > surelyOutside) {
				rgb[o3] = bg[0];
				rgb[o3 + 1] = bg[1];
				rgb[o3 + 2] = bg[2];
				continue;
			}
			const cell = cellY * grid + cellX[x];
			if (rho < surelyInside && !nearBadge && rowInGrid && cellX[x] >= 0 && cellX[x] < grid && uniform[cell] === 1) {
				// Most of the picture: inside the face, in a cell far from any boundary.
				const p = labels[cell] * 3;
				fg[o3] = rgb[o3] = flat[p];
				fg[o3 + 1] = rgb[o3 + 1] = flat[p + 1];
				fg[o3 + 2] = rgb[o3 + 2] = flat[p + 2];
				alpha[o] = 255;
				continue;
			}
			face.sample(gridX[x], gy, colour);
			if (nearBadge) drawBadge(style, badge, x + 0.5, y + 0.5, inkWidth, ink, colour);
			let a = 1;
			if (rho >= surelyInside) {
				// Signed distance in pixels to the blob's edge (positive outside): the radial function's excess over
				// the edge, divided by the ellipse's gradient; exact enough for a 1.5 px feather at this wobble.
				const at = (atan2(qy, qx) + Math.PI) * toTable;
				const i = at | 0;
				const edge = edges[i] + (edges[i + 1] - edges[i]) * (at - i);
				const gradient = sqrt((qx / rx) * (qx / rx) + (qy / ry) * (qy / ry)) / rho;
				const d = (rho - edge) / gradient;
				a = clamp01(0.5 - d / FEATHER);
				// Inwards from the edge: the white rim, then a dark ink line, then the face.
				const inside = -d - rim;
				mix(colour, ink, clamp01(0.5 + inkWidth - Math.abs(inside - inkWidth)));
				mix(colour, WHITE, clamp01(0.5 - inside));
			}
			alpha[o] = (a * 255 + 0.5) | 0;
			for (let c = 0; c < 3; c++) {
				const v = colour[c] < 0 ? 0 : colour[c] > 255 ? 255 : colour[c];
				fg[o3 + c] = (v + 0.5) | 0;
				rgb[o3 + c] = (v * a + bg[c] * (1 - a) + 0.5) | 0;
			}
		}
	}
	return { width, height, rgb, fg, alpha, background: bg };
}

const WHITE = [255, 255, 255];

/**
 * Reads the posterised face at any grid point. Each label's weight is its cubic B-spline weight over the 4 x 4
 * cells around (smooth region boundaries however large the picture); the heaviest label wins, anti-aliased
 * against the runner-up (their weights' difference gives the distance to the boundary), with ink where the two
 * differ much in brightness. Cells whose 4 x 4 neighbourhood holds one label (most of them) answer at once.
 */
function faceSampler({ grid, labels }, palette) {
	// The labels with a border of 2 cells repeating the edge, so the 4 x 4 reads need no bounds checks.
	const side = grid + 4;
	const padded = new Uint8Array(side * side);
	for (let y = 0; y < side; y++) {
		for (let x = 0; x < side; x++) padded[y * side + x] = labels[Math.min(grid - 1, Math.max(0, y - 2)) * grid + Math.min(grid - 1, Math.max(0, x - 2))];
	}
	const uniform = new Uint8Array(grid * grid);
	for (let y = 0; y < grid; y++) {
		for (let x = 0; x < grid; x++) {
			const first = padded[(y + 2) * side + x + 2];
			let same = 1;
			for (let dy = 1; dy <= 4; dy++) for (let dx = 1; dx <= 4; dx++) if (padded[(y + dy) * side + x + dx] !== first) same = 0;
			uniform[y * grid + x] = same;
		}
	}
	const luma = palette.map(([r, g, b]) => 0.299 * r + 0.587 * g + 0.114 * b);
	const ink = [38, 30, 40];
	const weights = new Float64Array(palette.length);
	const touched = new Int32Array(16);
	const wx = new Float64Array(4);
	const wy = new Float64Array(4);
	const floor = Math.floor;
	const abs = Math.abs;
	const spline = (t, out) => {
		const t2 = t * t;
		const t3 = t2 * t;
		out[0] = (1 - 3 * t + 3 * t2 - t3) / 6;
		out[1] = (3 * t3 - 6 * t2 + 4) / 6;
		out[2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
		out[3] = t3 / 6;
	};
	const sampler = {
		grid,
		uniform,
		labels,
		/** The palette as bytes, three a label. */
		flat: Uint8Array.from(palette.flat(), (v) => Math.round(v)),
		pixelsPerCell: 1,
		inkWidth: 1,
		sample(gx, gy, out) {
			let x0 = floor(gx);
			let y0 = floor(gy);
			const tx = x0 < -1 ? 0 : x0 >= grid ? 1 : gx - x0;
			const ty = y0 < -1 ? 0 : y0 >= grid ? 1 : gy - y0;
			x0 = x0 < -1 ? -1 : x0 >= grid ? grid - 1 : x0;
			y0 = y0 < -1 ? -1 : y0 >= grid ? grid - 1 : y0;
			spline(tx, wx);
			spline(ty, wy);
			let count = 0;
			for (let j = 0; j < 4; j++) {
				const row = (y0 + 1 + j) * side + x0 + 1;
				for (let i = 0; i < 4; i++) {
					const label = padded[row + i];
					if (weights[label] === 0) touched[count++] = label;
					weights[label] += wx[i] * wy[j];
				}
			}
			let first = touched[0];
			let second = -1;
			for (let k = 1; k < count; k++) if (weights[touched[k]] > weights[first]) first = touched[k];
			for (let k = 0; k < count; k++) if (touched[k] !== first && (second < 0 || weights[touched[k]] > weights[second])) second = touched[k];
			const p = palette[first];
			if (second < 0) {
				weights[first] = 0;
				out[0] = p[0];
				out[1] = p[1];
				out[2] = p[2];
				return;
			}
			// A smoothed step rises by 2/3 a cell at most, so the weights' difference by 4/3 a cell across it.
			const distance = (weights[first] - weights[second]) * 0.75 * sampler.pixelsPerCell;
			for (let k = 0; k < count; k++) weights[touched[k]] = 0;
			const cover = clamp01(0.5 + distance);
			const q = palette[second];
			out[0] = p[0] * cover + q[0] * (1 - cover);
			out[1] = p[1] * cover + q[1] * (1 - cover);
			out[2] = p[2] * cover + q[2] * (1 - cover);
			if (abs(luma[first] - luma[second]) > 45) mix(out, ink, clamp01(0.5 + sampler.inkWidth / 2 - distance) * 0.85);
		},
	};
	return sampler;
}

/** A small badge in the blob's upper right: white-ringed, ink-lined, in the style's colour. */
function drawBadge(style, badge, x, y, inkWidth, ink, out) {
	const u = (x - badge.x) / badge.r;
	const v = (y - badge.y) / badge.r;
	if (u * u + v * v > 2.2) return;
	// Distance (in badge radii) to the shape's edge, negative inside.
	let d;
	const r = Math.sqrt(u * u + v * v);
	const theta = Math.atan2(v, u);
	if (style.badge === 'heart') {
		// Inigo Quilez's exact heart distance, the heart standing on its point.
		const hx = Math.abs(u) / 1.5;
		const hy = -v / 1.5 + 0.55;
		d = hy + hx > 1
			? Math.hypot(hx - 0.25, hy - 0.75) - Math.SQRT2 / 4
			: Math.sqrt(Math.min((hx - 0) ** 2 + (hy - 1) ** 2, (hx - 0.5 * Math.max(hx + hy, 0)) ** 2 + (hy - 0.5 * Math.max(hx + hy, 0)) ** 2)) * Math.sign(hx - hy);
		d *= 1.5;
	} else if (style.badge === 'drop') {
		// A round bottom and a point on top: a circle, and above it a cone narrowing to the tip.
		const w = (v + 0.95) / 1.15;
		d = v >= 0.2 ? Math.hypot(u, v - 0.2) - 0.6 : Math.max(-(v + 0.95), Math.abs(u) - 0.6 * Math.sqrt(Math.max(0, w)));
	} else if (style.badge === 'moon') {
		d = Math.max(r - 0.8, 0.72 - Math.hypot(u - 0.38, v + 0.25));
	} else if (style.badge === 'burst') {
		d = r - (0.62 + 0.22 * Math.cos(8 * theta));
	} else {
		d = r - (0.55 + 0.3 * Math.cos(5 * theta + Math.PI / 2));
	}
	const px = d * badge.r;
	const rim = badge.r * 0.18;
	const white = [255, 255, 255];
	mix(out, white, clamp01(0.5 - (px - rim - inkWidth)));
	mix(out, ink, clamp01(0.5 - (px - inkWidth)));
	mix(out, style.badgeColour, clamp01(0.5 - px));
}

function mix(out, colour, t) {
	if (t <= 0) return;
	for (let i = 0; i < 3; i++) out[i] = out[i] * (1 - t) + colour[i] * t;
}

function clamp01(value) {
	return value < 0 ? 0 : value > 1 ? 1 : value;
}

function hsl(h, s, l) {
	const k = (n) => (n + h / 30) % 12;
	const a = s * Math.min(l, 1 - l);
	const f = (n) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
	return [f(0), f(8), f(4)].map((v) => Math.round(v * 255));
}

/** Rotates a colour's hue by `degrees` and lifts its saturation a little, as a cartoon's colours are. */
function shiftHue([r, g, b], degrees) {
	const cos = Math.cos((degrees * Math.PI) / 180);
	const sin = Math.sin((degrees * Math.PI) / 180);
	// Rotation about the grey axis (the standard hue-rotate matrix), then saturation x 1.2 about the luma.
	const m = [
		0.213 + cos * 0.787 - sin * 0.213, 0.715 - cos * 0.715 - sin * 0.715, 0.072 - cos * 0.072 + sin * 0.928,
		0.213 - cos * 0.213 + sin * 0.143, 0.715 + cos * 0.285 + sin * 0.14, 0.072 - cos * 0.072 - sin * 0.283,
		0.213 - cos * 0.213 - sin * 0.787, 0.715 - cos * 0.715 + sin * 0.715, 0.072 + cos * 0.928 + sin * 0.072,
	];
	const rotated = [0, 1, 2].map((i) => m[i * 3] * r + m[i * 3 + 1] * g + m[i * 3 + 2] * b);
	const y = 0.213 * rotated[0] + 0.715 * rotated[1] + 0.072 * rotated[2];
	return rotated.map((v) => Math.max(0, Math.min(236, y + (v - y) * 1.2)));
}

module.exports = { drawSticker, styleOf };
