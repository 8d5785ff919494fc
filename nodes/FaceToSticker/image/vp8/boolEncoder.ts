/**
 * The boolean entropy encoder of VP8 (RFC 6386 section 7): each bit is coded with an 8-bit probability that
 * it is 0. `bottom` keeps 32 bits of the low end of the interval; a carry out of it walks back over the
 * bytes already written (a run of 0xff turns to 0x00 and the byte before is incremented).
 */
export class BoolEncoder {
	private buffer: Uint8Array;
	private length = 0;
	private range = 255;
	private bottom = 0;
	/** Shifts left before the next byte leaves `bottom`. */
	private bitCount = 24;

	constructor(initialBytes = 4096) {
		this.buffer = new Uint8Array(Math.max(16, initialBytes));
	}

	/** Codes `bit` (0 or 1) where `prob`/256 is the probability of a 0 (prob 1..255). */
	put(bit: number, prob: number): void {
		const split = 1 + (((this.range - 1) * prob) >> 8);
		let range: number;
		if (bit) {
			this.bottom += split;
			range = this.range - split;
		} else {
			range = split;
		}
		let bottom = this.bottom;
		while (range < 128) {
			range <<= 1;
			if (bottom >= 0x80000000) this.carry();
			bottom = (bottom * 2) % 0x100000000;
			if (--this.bitCount === 0) {
				this.push(bottom >>> 24);
				bottom &= 0xffffff;
				this.bitCount = 8;
			}
		}
		this.range = range;
		this.bottom = bottom;
	}

	/** A bit with probability one half (signs). */
	putHalf(bit: number): void {
		this.put(bit, 128);
	}

	/** `count` bits of `value`, most significant first, each at probability one half (L(n) in the RFC). */
	putLiteral(value: number, count: number): void {
		for (let shift = count - 1; shift >= 0; shift--) this.put((value >> shift) & 1, 128);
	}

	/** Bytes written so far (without the pending bits). */
	get size(): number {
		return this.length;
	}

	/** Flushes the pending bits (the RFC's flush_bool_encoder) and returns the bytes. */
	finish(): Uint8Array {
		let c = this.bitCount;
		let v = this.bottom;
		if (Math.floor(v / 2 ** (32 - c)) & 1) this.carry();
		v = (v * 2 ** (c & 7)) % 0x100000000;
		c >>= 3;
		while (--c >= 0) v = (v * 256) % 0x100000000;
		for (let i = 0; i < 4; i++) {
			this.push(v >>> 24);
			v = (v * 256) % 0x100000000;
		}
		return this.buffer.slice(0, this.length);
	}

	private carry(): void {
		let i = this.length - 1;
		while (i >= 0 && this.buffer[i] === 255) this.buffer[i--] = 0;
		if (i >= 0) this.buffer[i]++;
	}

	private push(byte: number): void {
		if (this.length === this.buffer.length) {
			const grown = new Uint8Array(this.buffer.length * 2);
			grown.set(this.buffer);
			this.buffer = grown;
		}
		this.buffer[this.length++] = byte;
	}
}
