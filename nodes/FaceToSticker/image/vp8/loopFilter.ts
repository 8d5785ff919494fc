/**
 * The normal loop filter of VP8 (RFC 6386 section 15, as libwebp and libvpx run it). The decoder filters
 * the whole frame, macroblock by macroblock in raster order, after it has predicted everything from the
 * unfiltered samples; the encoder runs the same filter on its reconstruction to get the decoded picture.
 * Per macroblock: its left edge, the inner vertical edges, its top edge, the inner horizontal edges; inner
 * edges are skipped for a 16 × 16-predicted macroblock with no coefficients.
 */
import type { Sliced } from '../slices';

export interface FilterParams {
	/** 0..63; 0 = off. */
	level: number;
	/** 0..7 */
	sharpness: number;
}

function clamp255(v: number): number {
	return v < 0 ? 0 : v > 255 ? 255 : v;
}
function clampS(v: number, lo: number, hi: number): number {
	return v < lo ? lo : v > hi ? hi : v;
}
function abs(v: number): number {
	return v < 0 ? -v : v;
}

/**
 * Filters `count` edge positions: the samples across the edge are `step` apart, positions `pitch` apart.
 * `macroblockEdge` selects the 6-tap macroblock filter, else the sub-block filter.
 */
function filterEdge(
	p: Uint8Array,
	start: number,
	step: number,
	pitch: number,
	count: number,
	limit: number,
	interior: number,
	hevThreshold: number,
	macroblockEdge: boolean,
): void {
	const limit2 = 2 * limit + 1;
	for (let k = 0, o = start; k < count; k++, o += pitch) {
		const p3 = p[o - 4 * step], p2 = p[o - 3 * step], p1 = p[o - 2 * step], p0 = p[o - step];
		const q0 = p[o], q1 = p[o + step], q2 = p[o + 2 * step], q3 = p[o + 3 * step];
		if (4 * abs(p0 - q0) + abs(p1 - q1) > limit2) continue;
		if (
			abs(p3 - p2) > interior ||
			abs(p2 - p1) > interior ||
			abs(p1 - p0) > interior ||
			abs(q3 - q2) > interior ||
			abs(q2 - q1) > interior ||
			abs(q1 - q0) > interior
		) {
			continue;
		}
		const hev = abs(p1 - p0) > hevThreshold || abs(q1 - q0) > hevThreshold;
		if (hev) {
			// Common adjustment with the outer taps, p0 and q0 only.
			const a = 3 * (q0 - p0) + clampS(p1 - q1, -128, 127);
			const a1 = clampS((a + 4) >> 3, -16, 15);
			const a2 = clampS((a + 3) >> 3, -16, 15);
			p[o - step] = clamp255(p0 + a2);
			p[o] = clamp255(q0 - a1);
		} else if (macroblockEdge) {
			const a = clampS(3 * (q0 - p0) + clampS(p1 - q1, -128, 127), -128, 127);
			const a1 = (27 * a + 63) >> 7;
			const a2 = (18 * a + 63) >> 7;
			const a3 = (9 * a + 63) >> 7;
			p[o - 3 * step] = clamp255(p2 + a3);
			p[o - 2 * step] = clamp255(p1 + a2);
			p[o - step] = clamp255(p0 + a1);
			p[o] = clamp255(q0 - a1);
			p[o + step] = clamp255(q1 - a2);
			p[o + 2 * step] = clamp255(q2 - a3);
		} else {
			const a = 3 * (q0 - p0);
			const a1 = clampS((a + 4) >> 3, -16, 15);
			const a2 = clampS((a + 3) >> 3, -16, 15);
			const a3 = (a1 + 1) >> 1;
			p[o - 2 * step] = clamp255(p1 + a3);
			p[o - step] = clamp255(p0 + a2);
			p[o] = clamp255(q0 - a1);
			p[o + step] = clamp255(q1 - a3);
		}
	}
}

/** The interior limit and high-edge-variance threshold the decoder derives from level and sharpness. */
export function filterLimits(level: number, sharpness: number): { interior: number; hev: number } {
	let interior = level;
	if (sharpness > 0) {
		interior >>= sharpness > 4 ? 2 : 1;
		if (interior > 9 - sharpness) interior = 9 - sharpness;
	}
	if (interior < 1) interior = 1;
	return { interior, hev: level >= 40 ? 2 : level >= 15 ? 1 : 0 };
}

/**
 * Filters the planes in place. `inner[mb]` says whether macroblock mb's inner edges are filtered.
 */
export function* loopFilter(
	planes: { y: Uint8Array; u: Uint8Array; v: Uint8Array; yStride: number; uvStride: number; mbw: number; mbh: number },
	inner: Uint8Array,
	params: FilterParams,
): Sliced<void> {
	const { level, sharpness } = params;
	if (level === 0) return;
	const { interior, hev } = filterLimits(level, sharpness);
	const limit = 2 * level + interior;
	const { y, u, v, yStride, uvStride, mbw, mbh } = planes;
	for (let mby = 0; mby < mbh; mby++) {
		for (let mbx = 0; mbx < mbw; mbx++) {
			const yo = mby * 16 * yStride + mbx * 16;
			const uvo = mby * 8 * uvStride + mbx * 8;
			const filterInner = inner[mby * mbw + mbx] === 1;
			if (mbx > 0) {
				filterEdge(y, yo, 1, yStride, 16, limit + 4, interior, hev, true);
				filterEdge(u, uvo, 1, uvStride, 8, limit + 4, interior, hev, true);
				filterEdge(v, uvo, 1, uvStride, 8, limit + 4, interior, hev, true);
			}
			if (filterInner) {
				for (let x = 4; x < 16; x += 4) filterEdge(y, yo + x, 1, yStride, 16, limit, interior, hev, false);
				filterEdge(u, uvo + 4, 1, uvStride, 8, limit, interior, hev, false);
				filterEdge(v, uvo + 4, 1, uvStride, 8, limit, interior, hev, false);
			}
			if (mby > 0) {
				filterEdge(y, yo, yStride, 1, 16, limit + 4, interior, hev, true);
				filterEdge(u, uvo, uvStride, 1, 8, limit + 4, interior, hev, true);
				filterEdge(v, uvo, uvStride, 1, 8, limit + 4, interior, hev, true);
			}
			if (filterInner) {
				for (let r = 4; r < 16; r += 4) filterEdge(y, yo + r * yStride, yStride, 1, 16, limit, interior, hev, false);
				filterEdge(u, uvo + 4 * uvStride, uvStride, 1, 8, limit, interior, hev, false);
				filterEdge(v, uvo + 4 * uvStride, uvStride, 1, 8, limit, interior, hev, false);
			}
		}
		yield;
	}
}
