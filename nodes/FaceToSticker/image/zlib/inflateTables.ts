/**
 * Decoding tables for deflate's canonical Huffman codes (RFC 1951 §3.2.2), read LSB-first. A primary table
 * indexed by the next `bits` input bits resolves every code up to that length in one look-up; longer codes
 * go through one sub-table. Entry layout (Int32): bits 0-3 = code length to consume (0 = no such code),
 * bit 4 = link to a sub-table (then bits 0-3 = sub-table index bits), bits 8+ = symbol or sub-table offset.
 */
import { ImageFormatError } from '../types';
import { FIXED_DISTANCE_LENGTHS, FIXED_LITERAL_LENGTHS } from './codeTables';

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
	fixed = {
		lit: buildDecodeTable(FIXED_LITERAL_LENGTHS, 9, '', 'literal/length', 'complete'),
		dist: buildDecodeTable(FIXED_DISTANCE_LENGTHS, 5, '', 'distance', 'any'),
	};
	return fixed;
}
