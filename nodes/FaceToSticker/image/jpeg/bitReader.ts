import { ImageFormatError } from '../types';

/**
 * Reads the entropy-coded data of one scan (T.81 F.2.2.5): bytes 0xFF 0x00 stand for 0xFF, and a marker ends
 * the data. Past the end (a marker or the end of the file) the reader feeds zero bits and counts them in
 * `padded`, so the scan can tell afterwards whether it used bits that were not in the file (`overran`).
 */
export class BitReader {
	/** Up to 32 bits, the next one highest. */
	buf = 0;
	/** How many bits `buf` holds. */
	bits = 0;
	/** Zero bits fed in after the end of the data, counted since the last reset. */
	padded = 0;

	constructor(
		readonly data: Uint8Array,
		public pos: number,
	) {}

	/** Tops the buffer up to at least 25 bits. */
	fill(): void {
		const data = this.data;
		while (this.bits <= 24) {
			let byte = 0;
			const pos = this.pos;
			if (pos < data.length) {
				byte = data[pos];
				if (byte === 0xff) {
					const next = pos + 1 < data.length ? data[pos + 1] : -1;
					if (next === 0) this.pos = pos + 2;
					else if (next === 0xff) {
						// A fill byte before a marker: skip it and look again.
						this.pos = pos + 1;
						continue;
					} else {
						byte = 0;
						this.padded += 8;
					}
				} else this.pos = pos + 1;
			} else this.padded += 8;
			this.buf = (this.buf << 8) | byte;
			this.bits += 8;
		}
	}

	/** `n` (1-16) bits as an unsigned number. */
	get(n: number): number {
		if (this.bits < n) this.fill();
		this.bits -= n;
		return (this.buf >>> this.bits) & ((1 << n) - 1);
	}

	bit(): number {
		if (this.bits < 1) this.fill();
		this.bits -= 1;
		return (this.buf >>> this.bits) & 1;
	}

	/** T.81 F.2.2.1 EXTEND: `n` bits read as a signed difference. */
	receiveExtend(n: number): number {
		if (n === 0) return 0;
		if (n > 16) throw new ImageFormatError(`The JPEG is damaged: a coefficient claims ${n} bits (at most 16 exist)`);
		const v = this.get(n);
		return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
	}

	/** True when the scan has used bits past the end of its data. */
	overran(): boolean {
		return this.bits < this.padded;
	}

	/** Drops what is buffered (at a restart marker): the next read starts at `pos`. */
	reset(pos: number): void {
		this.buf = 0;
		this.bits = 0;
		this.padded = 0;
		this.pos = pos;
	}
}
