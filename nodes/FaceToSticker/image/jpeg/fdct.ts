/**
 * The forward DCT as libjpeg's "islow" method computes it (jfdctint.c: 13-bit constants, 2 extra bits
 * between the passes; the output is 8 times the true DCT) and libjpeg's quantisation (jcdctmgr.c: divide by
 * 8 × the table entry, rounding half away from zero), so our coefficients are the ones cjpeg would write.
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

const S1 = CONST_BITS - PASS1_BITS;
const R1 = 1 << (S1 - 1);
const S2 = CONST_BITS + PASS1_BITS;
const R2 = 1 << (S2 - 1);

/**
 * Transforms the 64 level-shifted samples in `block` (row-major, -128..127) in place, then writes them
 * quantised by `divisors` (8 × the quantisation table, natural order) to `out` at `o`.
 */
export function forwardDct(block: Int32Array, divisors: Int32Array, out: Int16Array, o: number): void {
	// Pass 1: rows.
	for (let r = 0; r < 64; r += 8) {
		const d0 = block[r];
		const d1 = block[r + 1];
		const d2 = block[r + 2];
		const d3 = block[r + 3];
		const d4 = block[r + 4];
		const d5 = block[r + 5];
		const d6 = block[r + 6];
		const d7 = block[r + 7];
		const tmp0 = d0 + d7;
		let tmp7 = d0 - d7;
		const tmp1 = d1 + d6;
		let tmp6 = d1 - d6;
		const tmp2 = d2 + d5;
		let tmp5 = d2 - d5;
		const tmp3 = d3 + d4;
		let tmp4 = d3 - d4;
		const tmp10 = tmp0 + tmp3;
		const tmp13 = tmp0 - tmp3;
		const tmp11 = tmp1 + tmp2;
		const tmp12 = tmp1 - tmp2;
		block[r] = (tmp10 + tmp11) << PASS1_BITS;
		block[r + 4] = (tmp10 - tmp11) << PASS1_BITS;
		let z1 = (tmp12 + tmp13) * F_0_541;
		block[r + 2] = (z1 + tmp13 * F_0_765 + R1) >> S1;
		block[r + 6] = (z1 - tmp12 * F_1_847 + R1) >> S1;
		z1 = tmp4 + tmp7;
		let z2 = tmp5 + tmp6;
		let z3 = tmp4 + tmp6;
		let z4 = tmp5 + tmp7;
		const z5 = (z3 + z4) * F_1_175;
		tmp4 *= F_0_298;
		tmp5 *= F_2_053;
		tmp6 *= F_3_072;
		tmp7 *= F_1_501;
		z1 *= -F_0_899;
		z2 *= -F_2_562;
		z3 = z3 * -F_1_961 + z5;
		z4 = z4 * -F_0_390 + z5;
		block[r + 7] = (tmp4 + z1 + z3 + R1) >> S1;
		block[r + 5] = (tmp5 + z2 + z4 + R1) >> S1;
		block[r + 3] = (tmp6 + z2 + z3 + R1) >> S1;
		block[r + 1] = (tmp7 + z1 + z4 + R1) >> S1;
	}
	// Pass 2: columns, then quantisation.
	for (let c = 0; c < 8; c++) {
		const d0 = block[c];
		const d1 = block[c + 8];
		const d2 = block[c + 16];
		const d3 = block[c + 24];
		const d4 = block[c + 32];
		const d5 = block[c + 40];
		const d6 = block[c + 48];
		const d7 = block[c + 56];
		const tmp0 = d0 + d7;
		let tmp7 = d0 - d7;
		const tmp1 = d1 + d6;
		let tmp6 = d1 - d6;
		const tmp2 = d2 + d5;
		let tmp5 = d2 - d5;
		const tmp3 = d3 + d4;
		let tmp4 = d3 - d4;
		const tmp10 = tmp0 + tmp3;
		const tmp13 = tmp0 - tmp3;
		const tmp11 = tmp1 + tmp2;
		const tmp12 = tmp1 - tmp2;
		const q = o + c;
		out[q] = quantize((tmp10 + tmp11 + (1 << (PASS1_BITS - 1))) >> PASS1_BITS, divisors[c]);
		out[q + 32] = quantize((tmp10 - tmp11 + (1 << (PASS1_BITS - 1))) >> PASS1_BITS, divisors[c + 32]);
		let z1 = (tmp12 + tmp13) * F_0_541;
		out[q + 16] = quantize((z1 + tmp13 * F_0_765 + R2) >> S2, divisors[c + 16]);
		out[q + 48] = quantize((z1 - tmp12 * F_1_847 + R2) >> S2, divisors[c + 48]);
		z1 = tmp4 + tmp7;
		let z2 = tmp5 + tmp6;
		let z3 = tmp4 + tmp6;
		let z4 = tmp5 + tmp7;
		const z5 = (z3 + z4) * F_1_175;
		tmp4 *= F_0_298;
		tmp5 *= F_2_053;
		tmp6 *= F_3_072;
		tmp7 *= F_1_501;
		z1 *= -F_0_899;
		z2 *= -F_2_562;
		z3 = z3 * -F_1_961 + z5;
		z4 = z4 * -F_0_390 + z5;
		out[q + 56] = quantize((tmp4 + z1 + z3 + R2) >> S2, divisors[c + 56]);
		out[q + 40] = quantize((tmp5 + z2 + z4 + R2) >> S2, divisors[c + 40]);
		out[q + 24] = quantize((tmp6 + z2 + z3 + R2) >> S2, divisors[c + 24]);
		out[q + 8] = quantize((tmp7 + z1 + z4 + R2) >> S2, divisors[c + 8]);
	}
}

function quantize(value: number, divisor: number): number {
	const half = divisor >> 1;
	return value < 0 ? -(((-value + half) / divisor) | 0) : ((value + half) / divisor) | 0;
}
