import type { Sliced } from '../slices';

// Globals are read once, here: looked up inside a hot loop they are slow in sandboxed contexts (jest's vm).
const { round, min } = Math;
const FAR_AWAY = Number.POSITIVE_INFINITY;

/** Distance tests between two yields (the loop lives in a plain function, which V8 optimises). */
const TESTS_PER_SLICE = 1 << 15;

/** Packed straight RGBA colours as premultiplied channels 0..255, 4 per colour. */
export function premultiplied(colours: Uint32Array): Uint8Array {
	const pre = new Uint8Array(colours.length * 4);
	for (let c = 0; c < colours.length; c++) {
		const v = colours[c];
		const a = v & 0xff;
		pre[c * 4] = round(((v >>> 24) * a) / 255);
		pre[c * 4 + 1] = round((((v >>> 16) & 0xff) * a) / 255);
		pre[c * 4 + 2] = round((((v >>> 8) & 0xff) * a) / 255);
		pre[c * 4 + 3] = a;
	}
	return pre;
}

/**
 * For each colour: the palette entry nearest in premultiplied RGBA. A colour within half its median-cut
 * entry's nearest-neighbour distance keeps that entry (triangle inequality); otherwise entries sorted along
 * the palette's main axis are searched outward until the gap along that axis alone exceeds the best distance.
 */
export function* mapToNearest(pre: Uint8Array, palettePre: Uint8Array, guess: Int32Array): Sliced<Int32Array> {
	const entries = palettePre.length / 4;
	const axis = mainAxis(palettePre);
	const project = (data: Uint8Array, i: number) =>
		data[i] * axis[0] + data[i + 1] * axis[1] + data[i + 2] * axis[2] + data[i + 3] * axis[3];
	const sorted = Int32Array.from(Array.from({ length: entries }, (_, e) => e).sort((x, y) => project(palettePre, x * 4) - project(palettePre, y * 4)));
	const keys = Float64Array.from(sorted, (e) => project(palettePre, e * 4));
	const safe = safeRadii(palettePre);
	yield;
	const search: NearestSearch = { pre, palettePre, guess, sorted, keys, safe, axis, nearest: new Int32Array(guess.length) };
	for (let c = 0; c < guess.length; ) {
		c = mapColours(search, c, TESTS_PER_SLICE);
		yield;
	}
	return search.nearest;
}

interface NearestSearch {
	pre: Uint8Array;
	palettePre: Uint8Array;
	guess: Int32Array;
	/** Entries in order along `axis`, and their positions on it. */
	sorted: Int32Array;
	keys: Float64Array;
	/** Per entry: (half the distance to its nearest other entry)². */
	safe: Float64Array;
	axis: number[];
	nearest: Int32Array;
}

/** Maps colours from `from` on until about `budget` distance tests are done; returns the next colour. */
function mapColours(search: NearestSearch, from: number, budget: number): number {
	const { pre, palettePre, guess, sorted, keys, safe, axis, nearest } = search;
	const entries = sorted.length;
	let work = 0;
	let c = from;
	for (; c < guess.length && work < budget; c++) {
		const p = c * 4;
		let best = guess[c];
		let bestDistance = distanceTo(pre, p, palettePre, best * 4);
		work += 4;
		if (bestDistance <= safe[best]) {
			nearest[c] = best;
			continue;
		}
		const value = pre[p] * axis[0] + pre[p + 1] * axis[1] + pre[p + 2] * axis[2] + pre[p + 3] * axis[3];
		let lo = 0;
		let hi = entries;
		while (lo < hi) {
			const m = (lo + hi) >> 1;
			if (keys[m] < value) lo = m + 1;
			else hi = m;
		}
		for (let i = lo; i < entries && (keys[i] - value) * (keys[i] - value) < bestDistance; i++, work++) {
			const d = distanceTo(pre, p, palettePre, sorted[i] * 4);
			if (d < bestDistance) {
				best = sorted[i];
				bestDistance = d;
			}
		}
		for (let i = lo - 1; i >= 0 && (keys[i] - value) * (keys[i] - value) < bestDistance; i--, work++) {
			const d = distanceTo(pre, p, palettePre, sorted[i] * 4);
			if (d < bestDistance) {
				best = sorted[i];
				bestDistance = d;
			}
		}
		nearest[c] = best;
	}
	return c;
}


/** Per entry: (half the distance to its nearest other entry)²; a colour that close can have no nearer entry. */
function safeRadii(palettePre: Uint8Array): Float64Array {
	const entries = palettePre.length / 4;
	const safe = new Float64Array(entries);
	for (let e = 0; e < entries; e++) {
		let nearest = FAR_AWAY;
		for (let o = 0; o < entries; o++) if (o !== e) nearest = min(nearest, distanceTo(palettePre, e * 4, palettePre, o * 4));
		safe[e] = nearest / 4;
	}
	return safe;
}

/** The unit direction along which the palette spreads most (power iteration on its covariance). */
function mainAxis(palettePre: Uint8Array): number[] {
	const n = palettePre.length / 4;
	const mean = [0, 0, 0, 0];
	for (let e = 0; e < n; e++) for (let ch = 0; ch < 4; ch++) mean[ch] += palettePre[e * 4 + ch] / n;
	const cov = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
	for (let e = 0; e < n; e++) {
		for (let i = 0; i < 4; i++) {
			for (let j = 0; j < 4; j++) cov[i * 4 + j] += (palettePre[e * 4 + i] - mean[i]) * (palettePre[e * 4 + j] - mean[j]);
		}
	}
	let axis = [0.5, 0.5, 0.5, 0.5];
	for (let step = 0; step < 24; step++) {
		const next = [0, 1, 2, 3].map((i) => cov[i * 4] * axis[0] + cov[i * 4 + 1] * axis[1] + cov[i * 4 + 2] * axis[2] + cov[i * 4 + 3] * axis[3]);
		const length = Math.hypot(...next);
		if (!(length > 0)) break; // all entries equal: any axis will do
		axis = next.map((x) => x / length);
	}
	return axis;
}

function distanceTo(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
	const dr = a[i] - b[j];
	const dg = a[i + 1] - b[j + 1];
	const db = a[i + 2] - b[j + 2];
	const da = a[i + 3] - b[j + 3];
	return dr * dr + dg * dg + db * db + da * da;
}
