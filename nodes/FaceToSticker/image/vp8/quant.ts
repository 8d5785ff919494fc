/**
 * Quantiser steps for one quantiser index (RFC 6386 section 14.1, with the decoder's Y2 and chroma rules),
 * the encoder's rounding, and libwebp's mapping from a 0..100 quality to the index.
 */
import { AC_Q, DC_Q } from './tables';

/** [DC step, AC step] for luma, Y2 and chroma. */
export interface QuantSteps {
	index: number;
	y1: [number, number];
	y2: [number, number];
	uv: [number, number];
}

const clampIndex = (q: number) => (q < 0 ? 0 : q > 127 ? 127 : q);

/** The steps the decoder uses for base index `q` (all deltas 0). */
export function quantSteps(q: number): QuantSteps {
	const i = clampIndex(q);
	const y2ac = Math.floor((AC_Q[i] * 155) / 100);
	return {
		index: i,
		y1: [DC_Q[i], AC_Q[i]],
		y2: [DC_Q[i] * 2, y2ac < 8 ? 8 : y2ac],
		uv: [DC_Q[Math.min(i, 117)], AC_Q[i]],
	};
}

/**
 * libwebp's quality to quantiser index (without spatial noise shaping): quality/100 is made linear in
 * compression, its cube root scales 127 down to 0.
 */
export function qualityToIndex(quality: number): number {
	const c = Math.min(100, Math.max(0, quality)) / 100;
	const linear = c < 0.75 ? c * (2 / 3) : 2 * c - 1;
	return clampIndex(Math.floor(127 * (1 - Math.cbrt(linear))));
}
