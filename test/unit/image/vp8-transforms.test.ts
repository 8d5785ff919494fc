import { forwardDct, forwardWht, inverseDctAdd, inverseWht } from '../../../nodes/FaceToSticker/image/vp8/transforms';
import { prng } from '../../helpers/random';

// The inverse transforms against the RFC 6386 reference code (section 14.3 vp8_short_inv_walsh4x4_c and 14.4
// vp8_short_idct4x4llm_c), typed in here from the specification; the forward ones by their round trip.

function rfcIdct(input: number[]): number[] {
	const c1 = 20091, s1 = 35468;
	const tmp = new Array(16).fill(0);
	const out = new Array(16).fill(0);
	for (let i = 0; i < 4; i++) {
		const a1 = input[i] + input[8 + i];
		const b1 = input[i] - input[8 + i];
		let temp1 = (input[4 + i] * s1) >> 16;
		let temp2 = input[12 + i] + ((input[12 + i] * c1) >> 16);
		const cc = temp1 - temp2;
		temp1 = input[4 + i] + ((input[4 + i] * c1) >> 16);
		temp2 = (input[12 + i] * s1) >> 16;
		const d1 = temp1 + temp2;
		tmp[i] = a1 + d1;
		tmp[12 + i] = a1 - d1;
		tmp[4 + i] = b1 + cc;
		tmp[8 + i] = b1 - cc;
	}
	for (let i = 0; i < 4; i++) {
		const ip = tmp.slice(i * 4, i * 4 + 4);
		const a1 = ip[0] + ip[2];
		const b1 = ip[0] - ip[2];
		let temp1 = (ip[1] * s1) >> 16;
		let temp2 = ip[3] + ((ip[3] * c1) >> 16);
		const cc = temp1 - temp2;
		temp1 = ip[1] + ((ip[1] * c1) >> 16);
		temp2 = (ip[3] * s1) >> 16;
		const d1 = temp1 + temp2;
		out[i * 4] = (a1 + d1 + 4) >> 3;
		out[i * 4 + 3] = (a1 - d1 + 4) >> 3;
		out[i * 4 + 1] = (b1 + cc + 4) >> 3;
		out[i * 4 + 2] = (b1 - cc + 4) >> 3;
	}
	return out;
}

function rfcInverseWalsh(input: number[]): number[] {
	const tmp = new Array(16).fill(0);
	const out = new Array(16).fill(0);
	for (let i = 0; i < 4; i++) {
		const a1 = input[i] + input[12 + i];
		const b1 = input[4 + i] + input[8 + i];
		const c1 = input[4 + i] - input[8 + i];
		const d1 = input[i] - input[12 + i];
		tmp[i] = a1 + b1;
		tmp[4 + i] = c1 + d1;
		tmp[8 + i] = a1 - b1;
		tmp[12 + i] = d1 - c1;
	}
	for (let i = 0; i < 4; i++) {
		const a1 = tmp[4 * i] + tmp[4 * i + 3];
		const b1 = tmp[4 * i + 1] + tmp[4 * i + 2];
		const c1 = tmp[4 * i + 1] - tmp[4 * i + 2];
		const d1 = tmp[4 * i] - tmp[4 * i + 3];
		out[4 * i] = (a1 + b1 + 3) >> 3;
		out[4 * i + 1] = (c1 + d1 + 3) >> 3;
		out[4 * i + 2] = (a1 - b1 + 3) >> 3;
		out[4 * i + 3] = (d1 - c1 + 3) >> 3;
	}
	return out;
}

const clamp = (v: number) => Math.min(255, Math.max(0, v));

describe('VP8 transforms', () => {
	const random = prng(6386);
	const tmp = new Int32Array(16);

	it('inverse DCT: prediction plus the RFC reference residual, clamped, for 2000 random coefficient blocks', () => {
		for (let n = 0; n < 2000; n++) {
			// Dequantised coefficients as a decoder meets them: mostly small, a few large, some negative.
			const range = n % 4 === 0 ? 2048 : 200;
			const coeffs = Array.from({ length: 16 }, () => Math.round((random() * 2 - 1) * range * (random() < 0.5 ? 1 : 0.1)));
			const pred = Array.from({ length: 16 }, () => Math.floor(random() * 256));
			const dst = new Uint8Array(pred);
			inverseDctAdd(new Int32Array(coeffs), dst, 0, 4, tmp);
			const residual = rfcIdct(coeffs);
			expect(Array.from(dst)).toEqual(pred.map((p, i) => clamp(p + residual[i])));
		}
	});

	it('inverse DCT with only a DC adds (dc + 4) >> 3 to every sample', () => {
		for (const dc of [-2048, -9, -4, 0, 3, 4, 100, 2047]) {
			const dst = new Uint8Array(16).fill(128);
			const coeffs = new Int32Array(16);
			coeffs[0] = dc;
			inverseDctAdd(coeffs, dst, 0, 4, tmp);
			expect(Array.from(dst)).toEqual(new Array(16).fill(clamp(128 + ((dc + 4) >> 3))));
		}
	});

	it('inverse WHT equals the RFC reference for 2000 random blocks', () => {
		const out = new Int32Array(16);
		for (let n = 0; n < 2000; n++) {
			const coeffs = Array.from({ length: 16 }, () => Math.round((random() * 2 - 1) * 4000));
			inverseWht(new Int32Array(coeffs), out, tmp);
			expect(Array.from(out)).toEqual(rfcInverseWalsh(coeffs));
		}
	});

	it('forward then inverse DCT gives the source back within 1 (no quantisation)', () => {
		let worst = 0;
		const coeffs = new Int32Array(16);
		for (let n = 0; n < 2000; n++) {
			const src = new Uint8Array(Array.from({ length: 16 }, () => Math.floor(random() * 256)));
			const pred = new Uint8Array(Array.from({ length: 16 }, () => Math.floor(random() * 256)));
			forwardDct(src, pred, 0, 4, 0, 4, coeffs, tmp);
			const dst = pred.slice();
			inverseDctAdd(coeffs, dst, 0, 4, tmp);
			for (let i = 0; i < 16; i++) worst = Math.max(worst, Math.abs(dst[i] - src[i]));
		}
		expect(worst).toBeLessThanOrEqual(1);
	});

	it('forward DCT of a flat residual d is 8d at DC, the rest at most 1 (the reference rounding)', () => {
		const coeffs = new Int32Array(16);
		forwardDct(new Uint8Array(16).fill(150), new Uint8Array(16).fill(100), 0, 4, 0, 4, coeffs, tmp);
		expect(coeffs[0]).toBe(400);
		for (let i = 1; i < 16; i++) expect(Math.abs(coeffs[i])).toBeLessThanOrEqual(1);
	});

	it('forward then inverse WHT gives the 16 luma DCs back within 1', () => {
		const fwd = new Int32Array(16);
		const back = new Int32Array(16);
		for (let n = 0; n < 1000; n++) {
			const dcs = Int32Array.from({ length: 16 }, () => Math.round((random() * 2 - 1) * 2000));
			forwardWht(dcs, fwd, tmp);
			inverseWht(fwd, back, tmp);
			for (let i = 0; i < 16; i++) expect(Math.abs(back[i] - dcs[i])).toBeLessThanOrEqual(1);
		}
	});
});
