/**
 * The deflate bit reader and Huffman symbol loop (RFC 1951 §3.2.5): LSB-first bits, table look-ups, literal
 * and length/distance copies into an output buffer that grows up to a fixed limit.
 */
import { ImageFormatError } from '../types';
import { DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA } from './codeTables';
import { DecodeTable, LINK } from './inflateTables';

export function truncated(subject: string): ImageFormatError {
	return new ImageFormatError(`${subject} is truncated (the compressed data ends early)`);
}

/** Decoder state; the hot loop (`codes`) copies it into locals and back. */
export class Inflater {
	pos = 0;
	bitBuf = 0;
	bitCount = 0;
	out: Uint8Array;
	outPos = 0;

	constructor(
		readonly data: Uint8Array,
		readonly limit: number,
		/** Names the stream in error messages, e.g. "The PNG's image data". */
		readonly subject: string,
	) {
		this.out = new Uint8Array(Math.min(limit, Math.max(1 << 16, data.length * 4)));
	}

	/** Reads `n` (≤ 16) bits, LSB-first. Past the end zero bytes are fed in, then the overrun is caught. */
	bits(n: number): number {
		while (this.bitCount < n) {
			this.bitBuf |= (this.pos < this.data.length ? this.data[this.pos] : 0) << this.bitCount;
			this.pos++;
			this.bitCount += 8;
		}
		const value = this.bitBuf & ((1 << n) - 1);
		this.bitBuf >>>= n;
		this.bitCount -= n;
		this.checkOverrun();
		return value;
	}

	checkOverrun(): void {
		if (this.pos > this.data.length && this.bitCount < (this.pos - this.data.length) * 8) {
			throw truncated(this.subject);
		}
	}

	/** Drops the bits up to the byte boundary and gives back the whole bytes still buffered. */
	alignToByte(): void {
		this.pos -= this.bitCount >>> 3;
		this.bitBuf = 0;
		this.bitCount = 0;
		if (this.pos > this.data.length) throw truncated(this.subject);
	}

	/** Makes room for the output to reach `needed` bytes, doubling the buffer but never past the limit. */
	grow(needed: number): Uint8Array {
		if (needed > this.limit) {
			throw new ImageFormatError(`${this.subject} inflates past its declared size of ${this.limit} bytes`);
		}
		if (needed <= this.out.length) return this.out;
		const size = Math.min(this.limit, Math.max(needed, this.out.length * 2));
		const grown = new Uint8Array(size);
		grown.set(this.out.subarray(0, this.outPos));
		this.out = grown;
		return grown;
	}

	/**
	 * The error for a bad code, unless zero bits fed in past the end may be part of it: then the stream is
	 * truncated (a whole stream has its 4-byte Adler-32 after the deflate data, so this is no false alarm).
	 */
	bad(pos: number, problem: string): ImageFormatError {
		if (pos > this.data.length) return truncated(this.subject);
		return new ImageFormatError(`${this.subject} ${problem}`);
	}

	save(pos: number, bitBuf: number, bitCount: number, outPos: number): void {
		this.pos = pos;
		this.bitBuf = bitBuf;
		this.bitCount = bitCount;
		this.outPos = outPos;
	}

	/** Decodes literal/length + distance symbols until end of block (true) or `stopAt` output bytes (false). */
	codes(lit: DecodeTable, dist: DecodeTable, stopAt: number): boolean {
		const data = this.data;
		const end = data.length;
		const litTable = lit.table;
		const litBits = lit.bits;
		const litMask = (1 << litBits) - 1;
		const distTable = dist.table;
		const distBits = dist.bits;
		const distMask = (1 << distBits) - 1;
		let pos = this.pos;
		let buf = this.bitBuf;
		let count = this.bitCount;
		let out = this.out;
		let op = this.outPos;
		// The refill is written out at each use: as a helper it would keep the bit buffer out of registers.
		// Refilling to at most 31 bits keeps `buf` a positive 32-bit integer (no float fallback).
		for (;;) {
			if (op >= stopAt) {
				this.save(pos, buf, count, op);
				return false;
			}
			if (count < 15) {
				while (count <= 23) {
					buf |= (pos < end ? data[pos] : 0) << count;
					pos++;
					count += 8;
				}
			}
			let entry = litTable[buf & litMask];
			if (entry & LINK) entry = litTable[(entry >>> 8) + ((buf >>> litBits) & ((1 << (entry & 15)) - 1))];
			const len = entry & 15;
			if (len === 0) throw this.bad(pos, 'has an invalid literal/length code');
			buf >>>= len;
			count -= len;
			if (pos > end && count < (pos - end) * 8) throw truncated(this.subject);
			const symbol = entry >>> 8;
			if (symbol < 256) {
				if (op >= out.length) {
					this.save(pos, buf, count, op);
					out = this.grow(op + 1);
				}
				out[op++] = symbol;
				continue;
			}
			if (symbol === 256) {
				this.save(pos, buf, count, op);
				return true;
			}
			const li = symbol - 257;
			if (li >= 29) throw this.bad(pos, 'has an invalid length symbol');
			let length = LENGTH_BASE[li];
			const lenExtra = LENGTH_EXTRA[li];
			if (lenExtra > 0) {
				if (count < lenExtra) {
					while (count <= 23) {
						buf |= (pos < end ? data[pos] : 0) << count;
						pos++;
						count += 8;
					}
				}
				length += buf & ((1 << lenExtra) - 1);
				buf >>>= lenExtra;
				count -= lenExtra;
			}
			if (count < 15) {
				while (count <= 23) {
					buf |= (pos < end ? data[pos] : 0) << count;
					pos++;
					count += 8;
				}
			}
			entry = distTable[buf & distMask];
			if (entry & LINK) entry = distTable[(entry >>> 8) + ((buf >>> distBits) & ((1 << (entry & 15)) - 1))];
			const dlen = entry & 15;
			if (dlen === 0) throw this.bad(pos, 'has an invalid distance code');
			buf >>>= dlen;
			count -= dlen;
			const di = entry >>> 8;
			let distance = DIST_BASE[di];
			const distExtra = DIST_EXTRA[di];
			if (distExtra > 0) {
				if (count < distExtra) {
					while (count <= 23) {
						buf |= (pos < end ? data[pos] : 0) << count;
						pos++;
						count += 8;
					}
				}
				distance += buf & ((1 << distExtra) - 1);
				buf >>>= distExtra;
				count -= distExtra;
			}
			if (pos > end && count < (pos - end) * 8) throw truncated(this.subject);
			if (distance > op) {
				throw this.bad(pos, 'refers to data before its start (distance too far back)');
			}
			if (op + length > out.length) {
				this.save(pos, buf, count, op);
				out = this.grow(op + length);
			}
			if (length >= 32 && distance >= length) {
				out.copyWithin(op, op - distance, op - distance + length);
				op += length;
			} else if (distance === 1) {
				out.fill(out[op - 1], op, op + length);
				op += length;
			} else {
				for (let from = op - distance, stop = op + length; op < stop; ) out[op++] = out[from++];
			}
		}
	}
}
