import { BoolEncoder } from '../../../nodes/FaceToSticker/image/vp8/boolEncoder';
import { BoolDecoder } from '../../helpers/boolDecoder';
import { prng } from '../../helpers/random';

// The encoder against the RFC 6386 section 7.3 decoder (test/helpers/boolDecoder.ts): whatever is written
// reads back, bit for bit, with the same probabilities.

function roundTrip(bits: number[], probs: number[]): number[] {
	const encoder = new BoolEncoder(16);
	bits.forEach((bit, i) => encoder.put(bit, probs[i]));
	const decoder = new BoolDecoder(encoder.finish());
	return probs.map((p) => decoder.read(p));
}

describe('VP8 boolean encoder', () => {
	it('reads back random bits at random probabilities (fixed seed, 300 streams)', () => {
		const random = prng(21);
		for (let stream = 0; stream < 300; stream++) {
			const length = 1 + Math.floor(random() * 3000);
			const probs = Array.from({ length }, () => 1 + Math.floor(random() * 255));
			// Half the streams follow their probabilities (as real data does), half go against them.
			const bits = probs.map((p) => (stream & 1 ? random() < 0.5 : random() >= p / 256) ? 1 : 0);
			expect(roundTrip(bits, probs)).toEqual(bits);
		}
	});

	it('propagates carries: long runs of unlikely ones at probability 255 and likely ones at 1', () => {
		for (const prob of [1, 2, 254, 255]) {
			const bits = Array.from({ length: 5000 }, (_, i) => (prob > 128 ? (i % 97 === 0 ? 0 : 1) : i % 89 === 0 ? 0 : 1));
			expect(roundTrip(bits, bits.map(() => prob))).toEqual(bits);
		}
	});

	it('carries into bytes already written (about once in 65536 bytes): 4 Mbit of random halves read back', () => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const carry = jest.spyOn(BoolEncoder.prototype as any, 'carry');
		const random = prng(65536);
		const bits = Array.from({ length: 1 << 22 }, () => (random() < 0.5 ? 1 : 0));
		const encoder = new BoolEncoder();
		for (const bit of bits) encoder.putHalf(bit);
		const decoder = new BoolDecoder(encoder.finish());
		let same = true;
		for (const bit of bits) same = same && decoder.read(128) === bit;
		expect(carry).toHaveBeenCalled();
		expect(same).toBe(true);
		carry.mockRestore();
	});

	it('writes literals most significant bit first at probability one half', () => {
		const encoder = new BoolEncoder();
		encoder.putLiteral(0x5a, 8);
		encoder.putLiteral(3, 2);
		encoder.putHalf(1);
		const decoder = new BoolDecoder(encoder.finish());
		expect([decoder.literal(8), decoder.literal(2), decoder.read(128)]).toEqual([0x5a, 3, 1]);
	});

	it('grows its buffer past the initial size and counts the bytes written', () => {
		const encoder = new BoolEncoder(16);
		for (let i = 0; i < 4000; i++) encoder.putHalf(i % 3 === 0 ? 1 : 0);
		expect(encoder.size).toBeGreaterThan(16);
		const bytes = encoder.finish();
		expect(bytes.length).toBeGreaterThanOrEqual(500);
		const decoder = new BoolDecoder(bytes);
		for (let i = 0; i < 4000; i++) expect(decoder.read(128)).toBe(i % 3 === 0 ? 1 : 0);
	});
});
