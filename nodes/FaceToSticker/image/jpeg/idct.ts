/**
 * The inverse DCT of T.81 A.3.3 in integer arithmetic, computed as libjpeg's "islow" method does (jidctint.c,
 * the Loeffler-Ligtenberg-Moschytz algorithm, 13-bit constants, 2 extra bits between the passes), so the
 * samples match `djpeg -dct int` exactly. Dequantisation happens here.
 */

const CONST_BITS = 13;
const PASS1_BITS = 2;
const F_0_298 = 2446;
const F_0_390 = 3196;
const F_0_541 = 4433;
const F_0_765 = 6270;
const F_0_899 = 7373;
const F_1_175 = 9633;
const F_1_501 = 12299;
const F_1_847 = 15137;
const F_1_961 = 16069;
const F_2_053 = 16819;
const F_2_562 = 20995;
const F_3_072 = 25172;

const SHIFT1 = CONST_BITS - PASS1_BITS;
const ROUND1 = 1 << (SHIFT1 - 1);
const SHIFT2 = CONST_BITS + PASS1_BITS + 3;
const ROUND2 = 1 << (SHIFT2 - 1);

/**
 * Block `coef[co..co+63]` (natural order, quantised) dequantised with `quant` and transformed into 8 rows of
 * 8 samples at `out[oo]`, `stride` apart. `ws` is a 64-entry work array.
 */
export function idctBlock(coef: Int16Array | Int32Array, co: number, quant: Uint16Array, out: Uint8Array, oo: number, stride: number, ws: Int32Array): void {
	// Pass 1: columns, results scaled up by 2^PASS1_BITS.
	for (let c = 0; c < 8; c++) {
		const i = co + c;
		if (
			coef[i + 8] === 0 &&
			coef[i + 16] === 0 &&
			coef[i + 24] === 0 &&
			coef[i + 32] === 0 &&
			coef[i + 40] === 0 &&
			coef[i + 48] === 0 &&
			coef[i + 56] === 0
		) {
			const dc = (coef[i] * quant[c]) << PASS1_BITS;
			for (let r = 0; r < 64; r += 8) ws[c + r] = dc;
			continue;
		}
		let z2 = coef[i + 16] * quant[c + 16];
		let z3 = coef[i + 48] * quant[c + 48];
		let z1 = (z2 + z3) * F_0_541;
		let tmp2 = z1 - z3 * F_1_847;
		let tmp3 = z1 + z2 * F_0_765;
		z2 = coef[i] * quant[c];
		z3 = coef[i + 32] * quant[c + 32];
		let tmp0 = (z2 + z3) << CONST_BITS;
		let tmp1 = (z2 - z3) << CONST_BITS;
		const tmp10 = tmp0 + tmp3;
		const tmp13 = tmp0 - tmp3;
		const tmp11 = tmp1 + tmp2;
		const tmp12 = tmp1 - tmp2;

		tmp0 = coef[i + 56] * quant[c + 56];
		tmp1 = coef[i + 40] * quant[c + 40];
		tmp2 = coef[i + 24] * quant[c + 24];
		tmp3 = coef[i + 8] * quant[c + 8];
		z1 = tmp0 + tmp3;
		z2 = tmp1 + tmp2;
		z3 = tmp0 + tmp2;
		let z4 = tmp1 + tmp3;
		const z5 = (z3 + z4) * F_1_175;
		tmp0 *= F_0_298;
		tmp1 *= F_2_053;
		tmp2 *= F_3_072;
		tmp3 *= F_1_501;
		z1 *= -F_0_899;
		z2 *= -F_2_562;
		z3 = z3 * -F_1_961 + z5;
		z4 = z4 * -F_0_390 + z5;
		tmp0 += z1 + z3;
		tmp1 += z2 + z4;
		tmp2 += z2 + z3;
		tmp3 += z1 + z4;

		ws[c] = (tmp10 + tmp3 + ROUND1) >> SHIFT1;
		ws[c + 56] = (tmp10 - tmp3 + ROUND1) >> SHIFT1;
		ws[c + 8] = (tmp11 + tmp2 + ROUND1) >> SHIFT1;
		ws[c + 48] = (tmp11 - tmp2 + ROUND1) >> SHIFT1;
		ws[c + 16] = (tmp12 + tmp1 + ROUND1) >> SHIFT1;
		ws[c + 40] = (tmp12 - tmp1 + ROUND1) >> SHIFT1;
		ws[c + 24] = (tmp13 + tmp0 + ROUND1) >> SHIFT1;
		ws[c + 32] = (tmp13 - tmp0 + ROUND1) >> SHIFT1;
	}
	// Pass 2: rows, scaled back down by 2^(PASS1_BITS + 3), level-shifted by 128 and clamped.
	for (let r = 0; r < 64; r += 8) {
		const o = oo + (r >> 3) * stride;
		if (ws[r + 1] === 0 && ws[r + 2] === 0 && ws[r + 3] === 0 && ws[r + 4] === 0 && ws[r + 5] === 0 && ws[r + 6] === 0 && ws[r + 7] === 0) {
			// Only the DC term: every sample of the row is the same (the full computation gives exactly this).
			const v = clamp((ws[r] + ROUND2 / (1 << CONST_BITS) + (128 << (PASS1_BITS + 3))) >> (PASS1_BITS + 3));
			for (let x = 0; x < 8; x++) out[o + x] = v;
			continue;
		}
		let z2 = ws[r + 2];
		let z3 = ws[r + 6];
		let z1 = (z2 + z3) * F_0_541;
		let tmp2 = z1 - z3 * F_1_847;
		let tmp3 = z1 + z2 * F_0_765;
		// The rounding and the +128 level shift ride along in the DC term.
		const dc = ws[r] + ROUND2 / (1 << CONST_BITS) + (128 << (PASS1_BITS + 3));
		let tmp0 = (dc + ws[r + 4]) << CONST_BITS;
		let tmp1 = (dc - ws[r + 4]) << CONST_BITS;
		const tmp10 = tmp0 + tmp3;
		const tmp13 = tmp0 - tmp3;
		const tmp11 = tmp1 + tmp2;
		const tmp12 = tmp1 - tmp2;

		tmp0 = ws[r + 7];
		tmp1 = ws[r + 5];
		tmp2 = ws[r + 3];
		tmp3 = ws[r + 1];
		z1 = tmp0 + tmp3;
		z2 = tmp1 + tmp2;
		z3 = tmp0 + tmp2;
		let z4 = tmp1 + tmp3;
		const z5 = (z3 + z4) * F_1_175;
		tmp0 *= F_0_298;
		tmp1 *= F_2_053;
		tmp2 *= F_3_072;
		tmp3 *= F_1_501;
		z1 *= -F_0_899;
		z2 *= -F_2_562;
		z3 = z3 * -F_1_961 + z5;
		z4 = z4 * -F_0_390 + z5;
		tmp0 += z1 + z3;
		tmp1 += z2 + z4;
		tmp2 += z2 + z3;
		tmp3 += z1 + z4;

		out[o] = clamp((tmp10 + tmp3) >> SHIFT2);
		out[o + 7] = clamp((tmp10 - tmp3) >> SHIFT2);
		out[o + 1] = clamp((tmp11 + tmp2) >> SHIFT2);
		out[o + 6] = clamp((tmp11 - tmp2) >> SHIFT2);
		out[o + 2] = clamp((tmp12 + tmp1) >> SHIFT2);
		out[o + 5] = clamp((tmp12 - tmp1) >> SHIFT2);
		out[o + 3] = clamp((tmp13 + tmp0) >> SHIFT2);
		out[o + 4] = clamp((tmp13 - tmp0) >> SHIFT2);
	}
}

function clamp(v: number): number {
	return v < 0 ? 0 : v > 255 ? 255 : v;
}
