/**
 * Decoding tables for deflate's canonical Huffman codes (RFC 1951 §3.2.2), read LSB-first. A primary table
 * indexed by the next `bits` input bits resolves every code up to that length in one look-up; longer codes
 * go through one sub-table. Entry layout (Int32): bits 0-3 = code length to consume (0 = no such code),
 * bit 4 = link to a sub-table (then bits 0-3 = sub-table index bits), bits 8+ = symbol or sub-table offset.
 */
import { ImageFormatError } from '../types';

export interface DecodeTable {
	table: Int32Array;
	/** Index bits of the primary table. */
	bits: number;
}

export const LINK = 16;

/**
 * Builds the table for `lengths` (0 = unused symbol). Over-subscribed codes are refused. Incomplete codes:
 * 'complete' refuses them, 'single' allows only none or a lone one-bit code (zlib's rule for a dynamic
 * block's literal and distance codes), 'any' allows them (the fixed distance code has 30 of 32 codes).
 */
export function buildDecodeTable(
	lengths: Uint8Array,
	primaryBits: number,
	/** Starts error messages, e.g. "The zlib stream has". */
	subjectHas: string,
	what: string,
	incomplete: 'complete' | 'single' | 'any',
): DecodeTable {
	const count = new Int32Array(16);
	let maxLen = 0;
	for (let s = 0; s < lengths.length; s++) {
		const len = lengths[s];
		count[len]++;
		if (len > maxLen) maxLen = len;
	}
	let left = 1;
	for (let len = 1; len <= 15; len++) {
		left = (left << 1) - count[len];
		if (left < 0) throw new ImageFormatError(`${subjectHas} an over-subscribed ${what} code`);
	}
	if (maxLen === 0) {
		// No codes at all (allowed for a distance code of a block with literals only): every look-up fails.
		if (incomplete === 'complete') throw new ImageFormatError(`${subjectHas} an empty ${what} code`);
		return { table: new Int32Array(2), bits: 1 };
	}
	if (left > 0 && incomplete !== 'any' && !(incomplete === 'single' && maxLen === 1 && count[1] === 1)) {
		throw new ImageFormatError(`${subjectHas} an incomplete ${what} code`);
	}
	const bits = Math.min(primaryBits, maxLen);
	const subBits = maxLen - bits;
	// Each long-code prefix gets a sub-table of 2^subBits entries, appended after the primary table.
	let longPrefixes = 0;
	for (let len = bits + 1; len <= maxLen; len++) longPrefixes += count[len];
	const table = new Int32Array((1 << bits) + longPrefixes * (1 << subBits));
	let nextSub = 1 << bits;
	// Canonical codes in (length, symbol) order.
	const nextCode = new Int32Array(16);
	let code = 0;
	for (let len = 1; len <= 15; len++) {
		code = (code + count[len - 1]) << 1;
		nextCode[len] = code;
	}
	nextCode[0] = 0;
	for (let s = 0; s < lengths.length; s++) {
		const len = lengths[s];
		if (len === 0) continue;
		const reversed = reverse(nextCode[len]++, len);
		const entry = (s << 8) | len;
		if (len <= bits) {
			for (let i = reversed; i < 1 << bits; i += 1 << len) table[i] = entry;
			continue;
		}
		const prefix = reversed & ((1 << bits) - 1);
		let link = table[prefix];
		if ((link & LINK) === 0) {
			link = (nextSub << 8) | LINK | subBits;
			table[prefix] = link;
			nextSub += 1 << subBits;
		}
		const base = link >>> 8;
		for (let i = reversed >>> bits; i < 1 << subBits; i += 1 << (len - bits)) table[base + i] = entry;
	}
	return { table, bits };
}

function reverse(value: number, bits: number): number {
	let out = 0;
	for (let i = 0; i < bits; i++) {
		out = (out << 1) | (value & 1);
		value >>>= 1;
	}
	return out;
}

let fixed: { lit: DecodeTable; dist: DecodeTable } | undefined;

/** The fixed codes of block type 1 (RFC 1951 §3.2.6), built once. */
export function fixedTables(): { lit: DecodeTable; dist: DecodeTable } {
	if (fixed) return fixed;
	const lit = new Uint8Array(288);
	lit.fill(8, 0, 144);
	lit.fill(9, 144, 256);
	lit.fill(7, 256, 280);
	lit.fill(8, 280, 288);
	const dist = new Uint8Array(30).fill(5);
	fixed = {
		lit: buildDecodeTable(lit, 9, '', 'literal/length', 'complete'),
		dist: buildDecodeTable(dist, 5, '', 'distance', 'any'),
	};
	return fixed;
}

/** Base lengths and extra bits of length symbols 257..285 (index symbol - 257). */
export const LENGTH_BASE = new Uint16Array([
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
]);
export const LENGTH_EXTRA = new Uint8Array([
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
]);
/** Base distances and extra bits of distance symbols 0..29. */
export const DIST_BASE = new Uint16Array([
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577,
]);
export const DIST_EXTRA = new Uint8Array([
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
]);
