'use strict';
// Draws the emulator's sticker at full size from a face model (face-model.js, face-raster.js): the posterised face inside a
// smooth blob with a dark ink line and a white rim, on a flat light background. Every edge is found from a
// distance to a smooth curve, so the picture and the cut-out share one exact, anti-aliased silhouette:
// `alpha` is the cut-out's coverage (1.5 px feather), `fg` the sticker's own colours, `rgb` the picture.
// The seed and the prompt pick the background colour, a hue shift, the blob's wobble and a badge.

const { faceRaster } = require('./face-raster');

const FEATHER = 1.5;
const TAU = Math.PI * 2;
const PI = Math.PI;
// Read once: under jest's vm every read of a global such as Math is slow, and these run a pixel at a time.
const { sqrt, atan2, abs, hypot, min, max, cos, sign, SQRT2 } = Math;

/**
 * The look of a job. What the photo and seed give (`seedDigest`: the background colour, a hue shift) is shared
 * by a pack's stickers, one seed for all, as the real model keeps a style; the prompt (`promptDigest`, of photo,
 * prompt and seed) moves the outline's wobble, and its expression words pick a badge (heart, drop, moon, ...).
 */
function styleOf(seedDigest, promptDigest, prompt) {
	const text = String(prompt ?? '').toLowerCase();
	// The badge an expression's words call for, in the colour a reader expects of it.
	const badges = [
		['heart', /love|heart|kiss/, [235, 70, 110]],
		['drop', /sad|cry|tear/, [70, 140, 235]],
		['moon', /sleep|tired|night/, [245, 190, 60]],
		['burst', /angry|mad|furious|surpris|shock/, [240, 90, 50]],
		['star', /happy|laugh|smil|joy|cool|star/, [250, 200, 50]],
	];
	const [badge, , colour] = badges.find(([, pattern]) => pattern.test(text)) ?? [];
	const hue = (seedDigest.readUInt16BE(0) / 65536) * 360;
	return {
		background: hsl(hue, 0.55, 0.9),
		badgeColour: colour ?? hsl((hue + 180) % 360, 0.75, 0.55),
		hueShift: ((seedDigest[2] / 255) * 2 - 1) * 10,
		wobble: [0, 1, 2].map((i) => ({ phase: (promptDigest[3 + i] / 256) * TAU, amplitude: 0.012 + (promptDigest[6 + i] / 255) * 0.018 })),
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
	const flat = Uint8Array.from(palette.flat(), (v) => Math.round(v));
	const ink = [38, 30, 40];
	const short = Math.min(width, height);
	const cx = width / 2;
	const cy = height / 2;
	const rx = width * 0.4;
	const ry = height * 0.42;
	const rim = Math.max(3, short * 0.028);
	const inkWidth = Math.max(1.2, short * 0.005);
	// The face keeps its proportions: its square covers the blob's box (cropped, never stretched).
	const box = 2 * Math.max(rx, ry);
	const face = faceRaster(model, { width, height, left: cx - box / 2, top: cy - box / 2, boxWidth: box, boxHeight: box, inkWidth });
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
	const badge = style.badge ? { x: cx + rx * 0.5, y: cy - ry * 0.55, r: short * 0.085 } : undefined;
	const fg = new Uint8Array(width * height * 3);
	const alpha = new Uint8Array(width * height);
	const rgb = new Uint8Array(width * height * 3);
	const bg = style.background;
	const colour = new Float64Array(3);
	const { first, second, cover, ink: inkCover } = face;
	for (let y = 0; y < height; y++) {
		const qy = (y + 0.5 - cy) / ry;
		const nearBadge = badge !== undefined && abs(y + 0.5 - badge.y) < badge.r * 1.5;
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
			const p = first[o] * 3;
			const inBadge = nearBadge && abs(x + 0.5 - badge.x) < badge.r * 1.5;
			if (rho < surelyInside && !inBadge && cover[o] === 255 && inkCover[o] === 0) {
				// Most of the picture: inside the face, away from any edge.
				fg[o3] = rgb[o3] = flat[p];
				fg[o3 + 1] = rgb[o3 + 1] = flat[p + 1];
				fg[o3 + 2] = rgb[o3 + 2] = flat[p + 2];
				alpha[o] = 255;
				continue;
			}
			const q = second[o] * 3;
			const c = cover[o] / 255;
			colour[0] = flat[p] * c + flat[q] * (1 - c);
			colour[1] = flat[p + 1] * c + flat[q + 1] * (1 - c);
			colour[2] = flat[p + 2] * c + flat[q + 2] * (1 - c);
			if (inkCover[o] > 0) mix(colour, ink, inkCover[o] / 255);
			if (inBadge) drawBadge(style, badge, x + 0.5, y + 0.5, inkWidth, ink, colour);
			let a = 1;
			if (rho >= surelyInside) {
				// Signed distance in pixels to the blob's edge (positive outside): the radial function's excess over
				// the edge, divided by the ellipse's gradient; exact enough for a 1.5 px feather at this wobble.
				const at = (atan2(qy, qx) + PI) * toTable;
				const i = at | 0;
				const edge = edges[i] + (edges[i + 1] - edges[i]) * (at - i);
				const gradient = sqrt((qx / rx) * (qx / rx) + (qy / ry) * (qy / ry)) / rho;
				const d = (rho - edge) / gradient;
				a = clamp01(0.5 - d / FEATHER);
				// Inwards from the edge: the white rim, then a dark ink line, then the face.
				const inside = -d - rim;
				mix(colour, ink, clamp01(0.5 + inkWidth - abs(inside - inkWidth)));
				mix(colour, WHITE, clamp01(0.5 - inside));
			}
			alpha[o] = (a * 255 + 0.5) | 0;
			for (let k = 0; k < 3; k++) {
				const v = colour[k] < 0 ? 0 : colour[k] > 255 ? 255 : colour[k];
				fg[o3 + k] = (v + 0.5) | 0;
				rgb[o3 + k] = (v * a + bg[k] * (1 - a) + 0.5) | 0;
			}
		}
	}
	return { width, height, rgb, fg, alpha, background: bg };
}

const WHITE = [255, 255, 255];

/** A small badge in the blob's upper right: white-ringed, ink-lined, in the style's colour. */
function drawBadge(style, badge, x, y, inkWidth, ink, out) {
	const u = (x - badge.x) / badge.r;
	const v = (y - badge.y) / badge.r;
	if (u * u + v * v > 2.2) return;
	// Distance (in badge radii) to the shape's edge, negative inside.
	let d;
	const r = sqrt(u * u + v * v);
	const theta = atan2(v, u);
	if (style.badge === 'heart') {
		// Inigo Quilez's exact heart distance, the heart standing on its point.
		const hx = abs(u) / 1.5;
		const hy = -v / 1.5 + 0.55;
		d = hy + hx > 1
			? hypot(hx - 0.25, hy - 0.75) - SQRT2 / 4
			: sqrt(min((hx - 0) ** 2 + (hy - 1) ** 2, (hx - 0.5 * max(hx + hy, 0)) ** 2 + (hy - 0.5 * max(hx + hy, 0)) ** 2)) * sign(hx - hy);
		d *= 1.5;
	} else if (style.badge === 'drop') {
		// A round bottom and a point on top: a circle, and above it a cone narrowing to the tip.
		const w = (v + 0.95) / 1.15;
		d = v >= 0.2 ? hypot(u, v - 0.2) - 0.6 : max(-(v + 0.95), abs(u) - 0.6 * sqrt(max(0, w)));
	} else if (style.badge === 'moon') {
		d = max(r - 0.8, 0.72 - hypot(u - 0.38, v + 0.25));
	} else if (style.badge === 'burst') {
		d = r - (0.62 + 0.22 * cos(8 * theta));
	} else {
		d = r - (0.55 + 0.3 * cos(5 * theta + PI / 2));
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

/**
 * A plain sticker for load tests (simplePictures): a disc of one colour with a white rim on a flat background, and
 * its soft-edged alpha; drawn in a few milliseconds, so hundreds of jobs at once never hold the emulator's loop.
 */
function drawFlatSticker(width, height, colour, background) {
	const rgb = new Uint8Array(width * height * 3);
	const fg = new Uint8Array(width * height * 3);
	const alpha = new Uint8Array(width * height);
	const cx = width / 2;
	const cy = height / 2;
	const radius = Math.min(width, height) * 0.4;
	const rim = Math.max(3, Math.min(width, height) * 0.028);
	for (let y = 0, p = 0; y < height; y++) {
		for (let x = 0; x < width; x++, p++) {
			const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
			const inner = d < radius - rim;
			const colourHere = inner ? colour : [255, 255, 255];
			const a = Math.max(0, Math.min(1, radius - d + 0.5));
			alpha[p] = Math.round(a * 255);
			for (let c = 0; c < 3; c++) {
				fg[p * 3 + c] = colourHere[c];
				rgb[p * 3 + c] = Math.round(colourHere[c] * a + background[c] * (1 - a));
			}
		}
	}
	return { width, height, rgb, fg, alpha, background };
}

module.exports = { drawSticker, drawFlatSticker, styleOf };
