/**
 * The 4 × 4 transforms of VP8 (RFC 6386 section 14). The inverse ones are exactly the decoder's (14.3 and
 * 14.4), so the encoder's reconstruction is the decoded picture sample for sample; the forward ones are the
 * reference encoder's integer approximations (any forward transform decodes, these match the inverse best).
 * Blocks are 16 values, row-major: index = 4 × row + column (row = vertical frequency).
 */

const { floor } = Math;

/** 20091/65536 + 1 and 35468/65536 of the inverse DCT, rounded down as the decoder does. */
function mul1(a: number): number {
	return floor((a * 20091) / 65536) + a;
}
function mul2(a: number): number {
	return floor((a * 35468) / 65536);
}

/** Forward DCT of `src - pred` (4 × 4 samples at `offset`, rows `stride` apart) into `out`. */
export function forwardDct(
	src: Uint8Array,
	pred: Uint8Array,
	offset: number,
	stride: number,
	predOffset: number,
	predStride: number,
	out: Int32Array,
	tmp: Int32Array,
): void {
	for (let i = 0; i < 4; i++) {
		const s = offset + i * stride;
		const p = predOffset + i * predStride;
		const d0 = src[s] - pred[p];
		const d1 = src[s + 1] - pred[p + 1];
		const d2 = src[s + 2] - pred[p + 2];
		const d3 = src[s + 3] - pred[p + 3];
		const a0 = d0 + d3;
		const a1 = d1 + d2;
		const a2 = d1 - d2;
		const a3 = d0 - d3;
		tmp[i * 4] = (a0 + a1) * 8;
		tmp[i * 4 + 1] = (a2 * 2217 + a3 * 5352 + 1812) >> 9;
		tmp[i * 4 + 2] = (a0 - a1) * 8;
		tmp[i * 4 + 3] = (a3 * 2217 - a2 * 5352 + 937) >> 9;
	}
	for (let i = 0; i < 4; i++) {
		const a0 = tmp[i] + tmp[12 + i];
		const a1 = tmp[4 + i] + tmp[8 + i];
		const a2 = tmp[4 + i] - tmp[8 + i];
		const a3 = tmp[i] - tmp[12 + i];
		out[i] = (a0 + a1 + 7) >> 4;
		out[4 + i] = ((a2 * 2217 + a3 * 5352 + 12000) >> 16) + (a3 !== 0 ? 1 : 0);
		out[8 + i] = (a0 - a1 + 7) >> 4;
		out[12 + i] = (a3 * 2217 - a2 * 5352 + 51000) >> 16;
	}
}

/**
 * Inverse DCT of `coeffs` (dequantised) added to the prediction already in `dst` (at `offset`, rows
 * `stride` apart), clamped to 0..255: the decoder's arithmetic (libwebp/libvpx give the same samples).
 */
export function inverseDctAdd(coeffs: Int32Array, dst: Uint8Array, offset: number, stride: number, tmp: Int32Array): void {
	for (let i = 0; i < 4; i++) {
		const a = coeffs[i] + coeffs[8 + i];
		const b = coeffs[i] - coeffs[8 + i];
		const c = mul2(coeffs[4 + i]) - mul1(coeffs[12 + i]);
		const d = mul1(coeffs[4 + i]) + mul2(coeffs[12 + i]);
		tmp[i * 4] = a + d;
		tmp[i * 4 + 1] = b + c;
		tmp[i * 4 + 2] = b - c;
		tmp[i * 4 + 3] = a - d;
	}
	for (let i = 0; i < 4; i++) {
		const dc = tmp[i] + 4;
		const a = dc + tmp[8 + i];
		const b = dc - tmp[8 + i];
		const c = mul2(tmp[4 + i]) - mul1(tmp[12 + i]);
		const d = mul1(tmp[4 + i]) + mul2(tmp[12 + i]);
		const o = offset + i * stride;
		dst[o] = clamp255(dst[o] + ((a + d) >> 3));
		dst[o + 1] = clamp255(dst[o + 1] + ((b + c) >> 3));
		dst[o + 2] = clamp255(dst[o + 2] + ((b - c) >> 3));
		dst[o + 3] = clamp255(dst[o + 3] + ((a - d) >> 3));
	}
}

function clamp255(v: number): number {
	return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Forward Walsh-Hadamard transform of the 16 luma DC values (block order, row-major) into `out`. */
export function forwardWht(dcs: Int32Array, out: Int32Array, tmp: Int32Array): void {
	for (let i = 0; i < 4; i++) {
		const a0 = dcs[i * 4] + dcs[i * 4 + 2];
		const a1 = dcs[i * 4 + 1] + dcs[i * 4 + 3];
		const a2 = dcs[i * 4 + 1] - dcs[i * 4 + 3];
		const a3 = dcs[i * 4] - dcs[i * 4 + 2];
		tmp[i * 4] = a0 + a1;
		tmp[i * 4 + 1] = a3 + a2;
		tmp[i * 4 + 2] = a3 - a2;
		tmp[i * 4 + 3] = a0 - a1;
	}
	for (let i = 0; i < 4; i++) {
		const a0 = tmp[i] + tmp[8 + i];
		const a1 = tmp[4 + i] + tmp[12 + i];
		const a2 = tmp[4 + i] - tmp[12 + i];
		const a3 = tmp[i] - tmp[8 + i];
		out[i] = (a0 + a1) >> 1;
		out[4 + i] = (a3 + a2) >> 1;
		out[8 + i] = (a3 - a2) >> 1;
		out[12 + i] = (a0 - a1) >> 1;
	}
}

/** The decoder's inverse WHT (RFC 6386 14.3): dequantised Y2 values to the 16 luma DCs, block order. */
export function inverseWht(coeffs: Int32Array, dcs: Int32Array, tmp: Int32Array): void {
	for (let i = 0; i < 4; i++) {
		const a0 = coeffs[i] + coeffs[12 + i];
		const a1 = coeffs[4 + i] + coeffs[8 + i];
		const a2 = coeffs[4 + i] - coeffs[8 + i];
		const a3 = coeffs[i] - coeffs[12 + i];
		tmp[i] = a0 + a1;
		tmp[8 + i] = a0 - a1;
		tmp[4 + i] = a3 + a2;
		tmp[12 + i] = a3 - a2;
	}
	for (let i = 0; i < 4; i++) {
		const dc = tmp[i * 4] + 3;
		const a0 = dc + tmp[i * 4 + 3];
		const a1 = tmp[i * 4 + 1] + tmp[i * 4 + 2];
		const a2 = tmp[i * 4 + 1] - tmp[i * 4 + 2];
		const a3 = dc - tmp[i * 4 + 3];
		dcs[i * 4] = (a0 + a1) >> 3;
		dcs[i * 4 + 1] = (a3 + a2) >> 3;
		dcs[i * 4 + 2] = (a0 - a1) >> 3;
		dcs[i * 4 + 3] = (a3 - a2) >> 3;
	}
}
