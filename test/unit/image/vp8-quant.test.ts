import { qualityToIndex, quantSteps } from '../../../nodes/FaceToSticker/image/vp8/quant';
import { AC_Q, DC_Q } from '../../../nodes/FaceToSticker/image/vp8/tables';
import { COEFF_UPDATE_PROBS, DEFAULT_COEFF_PROBS } from '../../../nodes/FaceToSticker/image/vp8/coeffProbs';
import { KF_BMODE_PROBS } from '../../../nodes/FaceToSticker/image/vp8/tables';

// Quantiser tables and rules of RFC 6386 section 14.1 (dc_qlookup, ac_qlookup; Y2 DC × 2, Y2 AC × 155/100
// at least 8, chroma DC at most 132) and libwebp's quality scale.

describe('VP8 quantiser', () => {
	it('has the 128-entry DC and AC step tables of the RFC, rising from 4 to 157 and 284', () => {
		expect([DC_Q.length, AC_Q.length]).toEqual([128, 128]);
		expect([DC_Q[0], DC_Q[1], DC_Q[7], DC_Q[63], DC_Q[127]]).toEqual([4, 5, 10, 58, 157]);
		expect([AC_Q[0], AC_Q[1], AC_Q[63], AC_Q[127]]).toEqual([4, 5, 76, 284]);
		for (let i = 1; i < 128; i++) {
			expect(DC_Q[i]).toBeGreaterThanOrEqual(DC_Q[i - 1]);
			expect(AC_Q[i]).toBeGreaterThan(AC_Q[i - 1]);
		}
	});

	it('derives Y2 and chroma steps as the decoder does', () => {
		expect(quantSteps(0)).toEqual({ index: 0, y1: [4, 4], y2: [8, 8], uv: [4, 4] });
		const q60 = quantSteps(60);
		expect(q60.y2).toEqual([DC_Q[60] * 2, Math.floor((AC_Q[60] * 155) / 100)]);
		expect(quantSteps(127).uv).toEqual([132, 284]);
		expect(quantSteps(117).uv[0]).toBe(132);
		expect(quantSteps(200).index).toBe(127);
		expect(quantSteps(-3).index).toBe(0);
	});

	it('maps quality 100 to index 0, lower qualities to higher indices, monotonically', () => {
		expect(qualityToIndex(100)).toBe(0);
		expect(qualityToIndex(75)).toBe(26);
		expect(qualityToIndex(50)).toBe(38);
		let previous = -1;
		for (let q = 100; q >= 0; q--) {
			const index = qualityToIndex(q);
			expect(index).toBeGreaterThanOrEqual(previous);
			previous = index;
		}
		expect(qualityToIndex(0)).toBe(127);
	});

	it('has the token and sub-block mode probability tables of the right shape and range', () => {
		expect([DEFAULT_COEFF_PROBS.length, COEFF_UPDATE_PROBS.length, KF_BMODE_PROBS.length]).toEqual([1056, 1056, 900]);
		// RFC 13.5: the first default probabilities of block type 0, band 1.
		expect(Array.from(DEFAULT_COEFF_PROBS.subarray(33, 44))).toEqual([253, 136, 254, 255, 228, 219, 128, 128, 128, 128, 128]);
		expect(Array.from(KF_BMODE_PROBS.subarray(0, 9))).toEqual([231, 120, 48, 89, 115, 113, 120, 152, 112]);
		expect(Math.min(...DEFAULT_COEFF_PROBS)).toBeGreaterThanOrEqual(1);
	});
});
