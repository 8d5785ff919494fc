/**
 * Huffman coding for the encoder (T.81 Annex C, F.1.2): code tables from a DHT-style spec, optimal tables
 * from symbol counts limited to 16 bits (Annex K.2, as libjpeg's jpeg_gen_optimal_table), the bit writer with
 * 0xFF byte stuffing, and the coding of one block.
 */
import type { HuffmanSpec } from './tables';
import { ZIGZAG } from './tables';

export interface HuffmanCodes {
	code: Uint16Array;
	size: Uint8Array;
}

/** Canonical codes for every symbol of `spec` (T.81 C.2). */
export function huffmanCodes(spec: HuffmanSpec): HuffmanCodes {
	const code = new Uint16Array(256);
	const size = new Uint8Array(256);
	let next = 0;
	let k = 0;
	for (let length = 1; length <= 16; length++) {
		for (let i = 0; i < spec.counts[length - 1]; i++, k++) {
			code[spec.symbols[k]] = next++;
			size[spec.symbols[k]] = length;
		}
		next <<= 1;
	}
	return { code, size };
}

/** The optimal table for `freq` (257 counts, the last reserved so no code is all ones), lengths at most 16. */
export function optimalSpec(counts: Uint32Array): HuffmanSpec {
	if (!counts.some((n) => n > 0)) return { counts: Uint8Array.from([1, ...new Array<number>(15).fill(0)]), symbols: Uint8Array.from([0]) };
	const freq = Float64Array.from({ length: 257 }, (_, i) => (i < 256 ? counts[i] : 1));
	const codeSize = new Int32Array(257);
	const others = new Int32Array(257).fill(-1);
	for (;;) {
		// The two least frequent; ties go to the larger symbol value, as in libjpeg.
		let c1 = -1;
		let v = Infinity;
		for (let i = 0; i <= 256; i++) if (freq[i] && freq[i] <= v) (v = freq[i]), (c1 = i);
		let c2 = -1;
		v = Infinity;
		for (let i = 0; i <= 256; i++) if (freq[i] && freq[i] <= v && i !== c1) (v = freq[i]), (c2 = i);
		if (c2 < 0) break;
		freq[c1] += freq[c2];
		freq[c2] = 0;
		codeSize[c1]++;
		while (others[c1] >= 0) codeSize[(c1 = others[c1])]++;
		others[c1] = c2;
		codeSize[c2]++;
		while (others[c2] >= 0) codeSize[(c2 = others[c2])]++;
	}
	const bits = new Int32Array(33 + 257);
	for (let i = 0; i <= 256; i++) if (codeSize[i]) bits[codeSize[i]]++;
	// Lengths over 16: move pairs up the tree (Annex K.2, figure K.3).
	for (let i = bits.length - 1; i > 16; i--) {
		while (bits[i] > 0) {
			let j = i - 2;
			while (bits[j] === 0) j--;
			bits[i] -= 2;
			bits[i - 1]++;
			bits[j + 1] += 2;
			bits[j]--;
		}
	}
	let longest = 16;
	while (bits[longest] === 0) longest--;
	bits[longest]--; // drop the reserved symbol's code
	const symbols: number[] = [];
	for (let length = 1; length < bits.length; length++) for (let s = 0; s < 256; s++) if (codeSize[s] === length) symbols.push(s);
	return { counts: Uint8Array.from(bits.subarray(1, 17)), symbols: Uint8Array.from(symbols) };
}

/** MSB-first bit output with 0xFF 0x00 stuffing, into a growing byte buffer. */
export class JpegBitWriter {
	bytes: Uint8Array;
	length = 0;
	private acc = 0;
	private count = 0;

	constructor(capacity: number) {
		this.bytes = new Uint8Array(Math.max(1024, capacity));
	}

	put(value: number, size: number): void {
		this.acc = (this.acc << size) | (value & ((1 << size) - 1));
		this.count += size;
		while (this.count >= 8) {
			this.count -= 8;
			const byte = (this.acc >>> this.count) & 0xff;
			this.byte(byte);
			if (byte === 0xff) this.byte(0);
		}
		this.acc &= (1 << this.count) - 1;
	}

	/** Pads the last byte with one bits (T.81 F.1.2.3). */
	flush(): void {
		if (this.count > 0) this.put(0x7f, 8 - this.count);
	}

	byte(b: number): void {
		if (this.length === this.bytes.length) {
			const grown = new Uint8Array(this.bytes.length * 2);
			grown.set(this.bytes);
			this.bytes = grown;
		}
		this.bytes[this.length++] = b;
	}
}

function magnitude(value: number): number {
	let v = value < 0 ? -value : value;
	let n = 0;
	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

/** Codes one quantised block (natural order at `o`); returns its DC for the next prediction. */
export function encodeBlock(w: JpegBitWriter, coef: Int16Array, o: number, pred: number, dc: HuffmanCodes, ac: HuffmanCodes): number {
	const value = coef[o];
	const diff = value - pred;
	const n = magnitude(diff);
	w.put(dc.code[n], dc.size[n]);
	if (n) w.put(diff < 0 ? diff - 1 : diff, n);
	let run = 0;
	for (let k = 1; k < 64; k++) {
		const c = coef[o + ZIGZAG[k]];
		if (c === 0) {
			run++;
			continue;
		}
		while (run > 15) {
			w.put(ac.code[0xf0], ac.size[0xf0]);
			run -= 16;
		}
		const s = magnitude(c);
		const symbol = (run << 4) | s;
		w.put(ac.code[symbol], ac.size[symbol]);
		w.put(c < 0 ? c - 1 : c, s);
		run = 0;
	}
	if (run > 0) w.put(ac.code[0], ac.size[0]);
	return value;
}

/** Counts the symbols `encodeBlock` would write, for optimal tables. */
export function countBlock(coef: Int16Array, o: number, pred: number, dcCounts: Uint32Array, acCounts: Uint32Array): number {
	const value = coef[o];
	dcCounts[magnitude(value - pred)]++;
	let run = 0;
	for (let k = 1; k < 64; k++) {
		const c = coef[o + ZIGZAG[k]];
		if (c === 0) {
			run++;
			continue;
		}
		while (run > 15) {
			acCounts[0xf0]++;
			run -= 16;
		}
		acCounts[(run << 4) | magnitude(c)]++;
		run = 0;
	}
	if (run > 0) acCounts[0]++;
	return value;
}
