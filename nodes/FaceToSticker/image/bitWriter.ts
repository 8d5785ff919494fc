/** An LSB-first bit writer (deflate and WebP lossless both pack bits from the least significant end). */
export class BitWriter {
	private buffer: Uint8Array;
	private length = 0;
	private bits = 0;
	private bitCount = 0;

	constructor(initialBytes = 1 << 16) {
		this.buffer = new Uint8Array(Math.max(16, initialBytes));
	}

	/** Writes the low `count` bits of `value` (count 0..24). */
	write(value: number, count: number): void {
		this.bits |= (value & ((1 << count) - 1)) << this.bitCount;
		this.bitCount += count;
		while (this.bitCount >= 8) {
			this.pushByte(this.bits & 0xff);
			this.bits >>>= 8;
			this.bitCount -= 8;
		}
	}

	/** Pads with zero bits to the next byte boundary. */
	alignToByte(): void {
		if (this.bitCount > 0) this.write(0, 8 - this.bitCount);
	}

	/** Appends whole bytes (the writer must be byte-aligned). */
	writeBytes(bytes: Uint8Array): void {
		if (this.bitCount !== 0) throw new Error('BitWriter.writeBytes needs a byte boundary');
		this.ensure(bytes.length);
		this.buffer.set(bytes, this.length);
		this.length += bytes.length;
	}

	/** Bits written so far. */
	get bitLength(): number {
		return this.length * 8 + this.bitCount;
	}

	/** The bytes written, the last one zero-padded. */
	finish(): Uint8Array {
		this.alignToByte();
		return this.buffer.slice(0, this.length);
	}

	private pushByte(byte: number): void {
		if (this.length === this.buffer.length) this.ensure(1);
		this.buffer[this.length++] = byte;
	}

	private ensure(extra: number): void {
		if (this.length + extra <= this.buffer.length) return;
		let size = this.buffer.length * 2;
		while (size < this.length + extra) size *= 2;
		const grown = new Uint8Array(size);
		grown.set(this.buffer.subarray(0, this.length));
		this.buffer = grown;
	}
}
