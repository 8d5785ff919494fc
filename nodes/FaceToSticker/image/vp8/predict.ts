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
		for (let i = 0; i < size * size; i++) out[i] = top[i % size];
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
			const v0 = avg3(X, A, B), v1 = avg3(A, B, C), v2 = avg3(B, C, D), v3 = avg3(C, D, E);
			for (let i = 0; i < 16; i += 4) {
				out[i] = v0;
				out[i + 1] = v1;
				out[i + 2] = v2;
				out[i + 3] = v3;
			}
			return;
		}
		case B_HE_PRED:
			out.fill(avg3(X, I, J), 0, 4);
			out.fill(avg3(I, J, K), 4, 8);
			out.fill(avg3(J, K, L), 8, 12);
			out.fill(avg3(K, L, L), 12, 16);
			return;
		case B_LD_PRED:
			out[0] = avg3(A, B, C);
			out[1] = avg3(B, C, D); out[4] = avg3(B, C, D);
			out[2] = avg3(C, D, E); out[5] = avg3(C, D, E); out[8] = avg3(C, D, E);
			out[3] = avg3(D, E, F); out[6] = avg3(D, E, F); out[9] = avg3(D, E, F); out[12] = avg3(D, E, F);
			out[7] = avg3(E, F, G); out[10] = avg3(E, F, G); out[13] = avg3(E, F, G);
			out[11] = avg3(F, G, H); out[14] = avg3(F, G, H);
			out[15] = avg3(G, H, H);
			return;
		case B_RD_PRED:
			out[12] = avg3(J, K, L);
			out[13] = avg3(I, J, K); out[8] = avg3(I, J, K);
			out[14] = avg3(X, I, J); out[9] = avg3(X, I, J); out[4] = avg3(X, I, J);
			out[15] = avg3(A, X, I); out[10] = avg3(A, X, I); out[5] = avg3(A, X, I); out[0] = avg3(A, X, I);
			out[11] = avg3(B, A, X); out[6] = avg3(B, A, X); out[1] = avg3(B, A, X);
			out[7] = avg3(C, B, A); out[2] = avg3(C, B, A);
			out[3] = avg3(D, C, B);
			return;
		case B_VR_PRED:
			out[0] = avg2(X, A); out[9] = avg2(X, A);
			out[1] = avg2(A, B); out[10] = avg2(A, B);
			out[2] = avg2(B, C); out[11] = avg2(B, C);
			out[3] = avg2(C, D);
			out[12] = avg3(K, J, I);
			out[8] = avg3(J, I, X);
			out[4] = avg3(I, X, A); out[13] = avg3(I, X, A);
			out[5] = avg3(X, A, B); out[14] = avg3(X, A, B);
			out[6] = avg3(A, B, C); out[15] = avg3(A, B, C);
			out[7] = avg3(B, C, D);
			return;
		case B_VL_PRED:
			out[0] = avg2(A, B);
			out[1] = avg2(B, C); out[8] = avg2(B, C);
			out[2] = avg2(C, D); out[9] = avg2(C, D);
			out[3] = avg2(D, E); out[10] = avg2(D, E);
			out[4] = avg3(A, B, C);
			out[5] = avg3(B, C, D); out[12] = avg3(B, C, D);
			out[6] = avg3(C, D, E); out[13] = avg3(C, D, E);
			out[7] = avg3(D, E, F); out[14] = avg3(D, E, F);
			out[11] = avg3(E, F, G);
			out[15] = avg3(F, G, H);
			return;
		case B_HD_PRED:
			out[0] = avg2(I, X); out[6] = avg2(I, X);
			out[4] = avg2(J, I); out[10] = avg2(J, I);
			out[8] = avg2(K, J); out[14] = avg2(K, J);
			out[12] = avg2(L, K);
			out[3] = avg3(A, B, C);
			out[2] = avg3(X, A, B);
			out[1] = avg3(I, X, A); out[7] = avg3(I, X, A);
			out[5] = avg3(J, I, X); out[11] = avg3(J, I, X);
			out[9] = avg3(K, J, I); out[15] = avg3(K, J, I);
			out[13] = avg3(L, K, J);
			return;
		default:
			out[0] = avg2(I, J);
			out[2] = avg2(J, K); out[4] = avg2(J, K);
			out[6] = avg2(K, L); out[8] = avg2(K, L);
			out[1] = avg3(I, J, K);
			out[3] = avg3(J, K, L); out[5] = avg3(J, K, L);
			out[7] = avg3(K, L, L); out[9] = avg3(K, L, L);
			out[11] = L; out[10] = L; out[12] = L; out[13] = L; out[14] = L; out[15] = L;
	}
}
