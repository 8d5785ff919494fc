/**
 * The boolean decoder of RFC 6386 section 7.3 (bool_decoder), written from the specification for the tests:
 * it reads back what the project's BoolEncoder writes.
 */
export class BoolDecoder {
	private value = 0;
	private range = 255;
	private bitCount = 0;
	private pos = 0;

	constructor(private readonly input: Uint8Array) {
		this.value = (this.byte() << 8) | this.byte();
	}

	private byte(): number {
		return this.pos < this.input.length ? this.input[this.pos++] : 0;
	}

	/** Bytes consumed so far. */
	get position(): number {
		return this.pos;
	}

	read(prob: number): number {
		const split = 1 + (((this.range - 1) * prob) >> 8);
		const bigSplit = split << 8;
		let bit: number;
		if (this.value >= bigSplit) {
			bit = 1;
			this.range -= split;
			this.value -= bigSplit;
		} else {
			bit = 0;
			this.range = split;
		}
		while (this.range < 128) {
			this.value <<= 1;
			this.range <<= 1;
			if (++this.bitCount === 8) {
				this.bitCount = 0;
				this.value |= this.byte();
			}
		}
		return bit;
	}

	literal(count: number): number {
		let v = 0;
		for (let i = 0; i < count; i++) v = (v << 1) | this.read(128);
		return v;
	}
}
