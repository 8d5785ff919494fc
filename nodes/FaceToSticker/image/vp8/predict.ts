/**
 * Intra prediction of VP8 key frames (RFC 6386 section 12), as the decoder computes it. Outside the frame
 * the decoder sees 127 above and 129 to the left (the edge arrays here are filled that way by the caller);
 * only DC prediction looks at whether the edges exist.
 */

/** 16 × 16 luma and 8 × 8 chroma modes, in the bitstream's numbering. */
export const DC_PRED = 0;
export const V_PRED = 1;
export const H_PRED = 2;
export const TM_PRED = 3;
/** The luma mode that codes sixteen 4 × 4 sub-blocks, each with its own mode. */
export const B_PRED = 4;

/**
 * Sub-block modes, numbered as libwebp numbers them (RD, VR, LD in that order, unlike the RFC's enum): the
 * sub-block mode probability table (tables.ts) is indexed in this order.
 */
export const B_DC_PRED = 0;
export const B_TM_PRED = 1;
export const B_VE_PRED = 2;
export const B_HE_PRED = 3;
export const B_RD_PRED = 4;
export const B_VR_PRED = 5;
export const B_LD_PRED = 6;
export const B_VL_PRED = 7;
export const B_HD_PRED = 8;
export const B_HU_PRED = 9;
export const NUM_BMODES = 10;

/** The sub-block mode a whole-block mode stands for, as the context of neighbouring B_PRED blocks. */
export const BMODE_OF_MODE = [B_DC_PRED, B_VE_PRED, B_HE_PRED, B_TM_PRED];

/**
 * Whole-block prediction (16 × 16 luma or 8 × 8 chroma) into `out` (size × size): `top` holds size
 * samples above, `left` size samples to the left, `topLeft` the corner (127/129 outside the frame).
 */
export function predictBlock(
	mode: number,
	size: number,
	top: Uint8Array,
	left: Uint8Array,
	topLeft: number,
	hasTop: boolean,
	hasLeft: boolean,
	out: Uint8Array,
): void {
	if (mode === DC_PRED) {
		const shift = size === 16 ? 4 : 3;
		let sum = 0;
		let dc = 128;
		if (hasTop && hasLeft) {
			for (let i = 0; i < size; i++) sum += top[i] + left[i];
			dc = (sum + size) >> (shift + 1);
		} else if (hasTop || hasLeft) {
			const edge = hasTop ? top : left;
			for (let i = 0; i < size; i++) sum += edge[i];
			dc = (sum + (size >> 1)) >> shift;
		}
		out.fill(dc, 0, size * size);
	} else if (mode === V_PRED) {
		for (let y = 0; y < size; y++) out.set(top.subarray(0, size), y * size);
	} else if (mode === H_PRED) {
		for (let y = 0; y < size; y++) out.fill(left[y], y * size, y * size + size);
	} else {
		for (let y = 0; y < size; y++) {
			const base = left[y] - topLeft;
			for (let x = 0; x < size; x++) {
				const v = base + top[x];
				out[y * size + x] = v < 0 ? 0 : v > 255 ? 255 : v;
			}
		}
	}
}

const avg3 = (a: number, b: number, c: number) => (a + 2 * b + c + 2) >> 2;
const avg2 = (a: number, b: number) => (a + b + 1) >> 1;

/**
 * 4 × 4 sub-block prediction into `out` (16 samples, row-major). `top` holds 8 samples above (A..H: four
 * above and four above-right), `left` 4 samples (I..L), `corner` the one above-left (X).
 */
export function predictSubblock(mode: number, top: Uint8Array, left: Uint8Array, corner: number, out: Uint8Array): void {
	const A = top[0], B = top[1], C = top[2], D = top[3], E = top[4], F = top[5], G = top[6], H = top[7];
	const I = left[0], J = left[1], K = left[2], L = left[3], X = corner;
	const set = (x: number, y: number, v: number) => (out[y * 4 + x] = v);
	switch (mode) {
		case B_DC_PRED:
			out.fill((A + B + C + D + I + J + K + L + 4) >> 3, 0, 16);
			return;
		case B_TM_PRED:
			for (let y = 0; y < 4; y++) {
				for (let x = 0; x < 4; x++) {
					const v = left[y] + top[x] - X;
					out[y * 4 + x] = v < 0 ? 0 : v > 255 ? 255 : v;
				}
			}
			return;
		case B_VE_PRED: {
			const row = [avg3(X, A, B), avg3(A, B, C), avg3(B, C, D), avg3(C, D, E)];
			for (let i = 0; i < 16; i++) out[i] = row[i & 3];
			return;
		}
		case B_HE_PRED: {
			const col = [avg3(X, I, J), avg3(I, J, K), avg3(J, K, L), avg3(K, L, L)];
			for (let i = 0; i < 16; i++) out[i] = col[i >> 2];
			return;
		}
		case B_LD_PRED:
			set(0, 0, avg3(A, B, C));
			set(1, 0, avg3(B, C, D)); set(0, 1, avg3(B, C, D));
			set(2, 0, avg3(C, D, E)); set(1, 1, avg3(C, D, E)); set(0, 2, avg3(C, D, E));
			set(3, 0, avg3(D, E, F)); set(2, 1, avg3(D, E, F)); set(1, 2, avg3(D, E, F)); set(0, 3, avg3(D, E, F));
			set(3, 1, avg3(E, F, G)); set(2, 2, avg3(E, F, G)); set(1, 3, avg3(E, F, G));
			set(3, 2, avg3(F, G, H)); set(2, 3, avg3(F, G, H));
			set(3, 3, avg3(G, H, H));
			return;
		case B_RD_PRED:
			set(0, 3, avg3(J, K, L));
			set(1, 3, avg3(I, J, K)); set(0, 2, avg3(I, J, K));
			set(2, 3, avg3(X, I, J)); set(1, 2, avg3(X, I, J)); set(0, 1, avg3(X, I, J));
			set(3, 3, avg3(A, X, I)); set(2, 2, avg3(A, X, I)); set(1, 1, avg3(A, X, I)); set(0, 0, avg3(A, X, I));
			set(3, 2, avg3(B, A, X)); set(2, 1, avg3(B, A, X)); set(1, 0, avg3(B, A, X));
			set(3, 1, avg3(C, B, A)); set(2, 0, avg3(C, B, A));
			set(3, 0, avg3(D, C, B));
			return;
		case B_VR_PRED:
			set(0, 0, avg2(X, A)); set(1, 2, avg2(X, A));
			set(1, 0, avg2(A, B)); set(2, 2, avg2(A, B));
			set(2, 0, avg2(B, C)); set(3, 2, avg2(B, C));
			set(3, 0, avg2(C, D));
			set(0, 3, avg3(K, J, I));
			set(0, 2, avg3(J, I, X));
			set(0, 1, avg3(I, X, A)); set(1, 3, avg3(I, X, A));
			set(1, 1, avg3(X, A, B)); set(2, 3, avg3(X, A, B));
			set(2, 1, avg3(A, B, C)); set(3, 3, avg3(A, B, C));
			set(3, 1, avg3(B, C, D));
			return;
		case B_VL_PRED:
			set(0, 0, avg2(A, B));
			set(1, 0, avg2(B, C)); set(0, 2, avg2(B, C));
			set(2, 0, avg2(C, D)); set(1, 2, avg2(C, D));
			set(3, 0, avg2(D, E)); set(2, 2, avg2(D, E));
			set(0, 1, avg3(A, B, C));
			set(1, 1, avg3(B, C, D)); set(0, 3, avg3(B, C, D));
			set(2, 1, avg3(C, D, E)); set(1, 3, avg3(C, D, E));
			set(3, 1, avg3(D, E, F)); set(2, 3, avg3(D, E, F));
			set(3, 2, avg3(E, F, G));
			set(3, 3, avg3(F, G, H));
			return;
		case B_HD_PRED:
			set(0, 0, avg2(I, X)); set(2, 1, avg2(I, X));
			set(0, 1, avg2(J, I)); set(2, 2, avg2(J, I));
			set(0, 2, avg2(K, J)); set(2, 3, avg2(K, J));
			set(0, 3, avg2(L, K));
			set(3, 0, avg3(A, B, C));
			set(2, 0, avg3(X, A, B));
			set(1, 0, avg3(I, X, A)); set(3, 1, avg3(I, X, A));
			set(1, 1, avg3(J, I, X)); set(3, 2, avg3(J, I, X));
			set(1, 2, avg3(K, J, I)); set(3, 3, avg3(K, J, I));
			set(1, 3, avg3(L, K, J));
			return;
		default:
			set(0, 0, avg2(I, J));
			set(2, 0, avg2(J, K)); set(0, 1, avg2(J, K));
			set(2, 1, avg2(K, L)); set(0, 2, avg2(K, L));
			set(1, 0, avg3(I, J, K));
			set(3, 0, avg3(J, K, L)); set(1, 1, avg3(J, K, L));
			set(3, 1, avg3(K, L, L)); set(1, 2, avg3(K, L, L));
			set(3, 2, L); set(2, 2, L); set(0, 3, L); set(1, 3, L); set(2, 3, L); set(3, 3, L);
	}
}
