/**
 * Writes one deflate block (RFC 1951 §3.2.3-3.2.7) from a SymbolBlock, as whichever of stored, fixed Huffman
 * and dynamic Huffman costs the fewest bits.
 */
import { BitWriter } from '../bitWriter';
import { canonicalCodes, codeLengths } from '../huffman';
import {
	DIST_BASE,
	DIST_EXTRA,
	FIXED_DISTANCE_LENGTHS,
	FIXED_LITERAL_LENGTHS,
	LENGTH_BASE,
	LENGTH_EXTRA,
} from './codeTables';
import { DIST_CODE, DISTANCE_SYMBOLS, END_OF_BLOCK, LENGTH_CODE } from './deflateTables';
import { SymbolBlock } from './symbols';

export type BlockType = 'stored' | 'fixed' | 'dynamic';

/** Order in which the code-length code's lengths are sent (RFC 1951 §3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const CODE_LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
const MAX_STORED = 65535;
const FIXED_LITERAL_CODES = canonicalCodes(FIXED_LITERAL_LENGTHS);
const FIXED_DISTANCE_CODES = canonicalCodes(FIXED_DISTANCE_LENGTHS);

interface DynamicHeader {
	literalLengths: Uint8Array;
	distanceLengths: Uint8Array;
	codeLengthLengths: Uint8Array;
	/** Run-length coded code lengths: symbols 0..18 and their extra-bit values. */
	runSymbols: Uint8Array;
	runExtras: Uint8Array;
	runCount: number;
	hlit: number;
	hdist: number;
	hclen: number;
	bits: number;
}

/** Writes `block` (the final one if `last`) in its cheapest form; returns the form chosen. */
export function writeBlock(out: BitWriter, block: SymbolBlock, data: Uint8Array, last: boolean): BlockType {
	block.literalLengthCounts[END_OF_BLOCK] = 1;
	const header = dynamicHeader(block);
	const dynamicBits = header.bits + symbolBits(block, header.literalLengths, header.distanceLengths);
	const fixedBits = 3 + symbolBits(block, FIXED_LITERAL_LENGTHS, FIXED_DISTANCE_LENGTHS);
	const storedBits = storedCost(out.bitLength, block.rawEnd - block.rawStart);
	if (storedBits <= fixedBits && storedBits <= dynamicBits) {
		writeStored(out, data.subarray(block.rawStart, block.rawEnd), last);
		return 'stored';
	}
	if (fixedBits <= dynamicBits) {
		out.write(last ? 1 : 0, 1);
		out.write(1, 2);
		writeSymbols(out, block, FIXED_LITERAL_LENGTHS, FIXED_LITERAL_CODES, FIXED_DISTANCE_LENGTHS, FIXED_DISTANCE_CODES);
		return 'fixed';
	}
	out.write(last ? 1 : 0, 1);
	out.write(2, 2);
	writeDynamicHeader(out, header);
	writeSymbols(
		out,
		block,
		header.literalLengths,
		canonicalCodes(header.literalLengths),
		header.distanceLengths,
		canonicalCodes(header.distanceLengths),
	);
	return 'dynamic';
}

/** Bits of the block's symbols (and end-of-block) under the given code lengths, extra bits included. */
function symbolBits(block: SymbolBlock, literalLengths: Uint8Array, distanceLengths: Uint8Array): number {
	let bits = 0;
	const litCounts = block.literalLengthCounts;
	for (let s = 0; s <= END_OF_BLOCK; s++) bits += litCounts[s] * literalLengths[s];
	for (let code = 0; code < LENGTH_BASE.length; code++) {
		bits += litCounts[END_OF_BLOCK + 1 + code] * (literalLengths[END_OF_BLOCK + 1 + code] + LENGTH_EXTRA[code]);
	}
	const distCounts = block.distanceCounts;
	for (let code = 0; code < DISTANCE_SYMBOLS; code++) {
		bits += distCounts[code] * (distanceLengths[code] + DIST_EXTRA[code]);
	}
	return bits;
}

/** Bits of `length` bytes as stored blocks of at most 65535 bytes each, starting at bit `startBit`. */
function storedCost(startBit: number, length: number): number {
	let bit = startBit;
	let left = length;
	do {
		const take = Math.min(left, MAX_STORED);
		bit = ((bit + 3 + 7) & ~7) + 32 + 8 * take;
		left -= take;
	} while (left > 0);
	return bit - startBit;
}

function writeStored(out: BitWriter, bytes: Uint8Array, last: boolean): void {
	let start = 0;
	do {
		const take = Math.min(bytes.length - start, MAX_STORED);
		const final = last && start + take === bytes.length;
		out.write(final ? 1 : 0, 1);
		out.write(0, 2);
		out.alignToByte();
		out.write(take, 16);
		out.write(~take & 0xffff, 16);
		out.writeBytes(bytes.subarray(start, start + take));
		start += take;
	} while (start < bytes.length);
}

/**
 * Huffman lengths for `counts`, limited to `maxBits`, with at least two codes: zlib's decoder refuses an
 * incomplete code-length code, and a second code keeps every code complete.
 */
function lengthsWithTwoCodes(counts: Uint32Array, maxBits: number): Uint8Array {
	let used = 0;
	for (let s = 0; s < counts.length && used < 2; s++) if (counts[s] > 0) used++;
	if (used >= 2) return codeLengths(counts, maxBits);
	const padded = counts.slice();
	for (let s = 0; s < padded.length && used < 2; s++) {
		if (padded[s] === 0) {
			padded[s] = 1;
			used++;
		}
	}
	return codeLengths(padded, maxBits);
}

function dynamicHeader(block: SymbolBlock): DynamicHeader {
	const literalLengths = lengthsWithTwoCodes(block.literalLengthCounts, 15);
	const distanceLengths = lengthsWithTwoCodes(block.distanceCounts, 15);
	let hlit = literalLengths.length;
	while (hlit > 257 && literalLengths[hlit - 1] === 0) hlit--;
	let hdist = distanceLengths.length;
	while (hdist > 1 && distanceLengths[hdist - 1] === 0) hdist--;
	// RFC 1951 lets runs cross from the literal/length lengths into the distance lengths: one sequence.
	const sequence = new Uint8Array(hlit + hdist);
	sequence.set(literalLengths.subarray(0, hlit));
	sequence.set(distanceLengths.subarray(0, hdist), hlit);
	const runSymbols = new Uint8Array(sequence.length);
	const runExtras = new Uint8Array(sequence.length);
	const runCount = runLengthCode(sequence, runSymbols, runExtras);
	const counts = new Uint32Array(19);
	for (let i = 0; i < runCount; i++) counts[runSymbols[i]]++;
	const codeLengthLengths = lengthsWithTwoCodes(counts, 7);
	let hclen = 19;
	while (hclen > 4 && codeLengthLengths[CODE_LENGTH_ORDER[hclen - 1]] === 0) hclen--;
	let bits = 3 + 5 + 5 + 4 + 3 * hclen;
	for (let s = 0; s < 19; s++) bits += counts[s] * (codeLengthLengths[s] + CODE_LENGTH_EXTRA[s]);
	return {
		literalLengths,
		distanceLengths,
		codeLengthLengths,
		runSymbols,
		runExtras,
		runCount,
		hlit,
		hdist,
		hclen,
		bits,
	};
}

/** Codes `lengths` with symbols 16 (repeat previous 3-6×), 17 (3-10 zeros) and 18 (11-138 zeros). */
function runLengthCode(lengths: Uint8Array, symbols: Uint8Array, extras: Uint8Array): number {
	let count = 0;
	const push = (symbol: number, extra: number) => {
		symbols[count] = symbol;
		extras[count++] = extra;
	};
	let i = 0;
	while (i < lengths.length) {
		const value = lengths[i];
		let run = 1;
		while (i + run < lengths.length && lengths[i + run] === value) run++;
		i += run;
		if (value === 0) {
			for (; run >= 11; run -= Math.min(run, 138)) push(18, Math.min(run, 138) - 11);
			if (run >= 3) {
				push(17, run - 3);
				run = 0;
			}
		} else {
			push(value, 0);
			run--;
			for (; run >= 3; run -= Math.min(run, 6)) push(16, Math.min(run, 6) - 3);
		}
		for (; run > 0; run--) push(value, 0);
	}
	return count;
}

function writeDynamicHeader(out: BitWriter, header: DynamicHeader): void {
	out.write(header.hlit - 257, 5);
	out.write(header.hdist - 1, 5);
	out.write(header.hclen - 4, 4);
	for (let i = 0; i < header.hclen; i++) out.write(header.codeLengthLengths[CODE_LENGTH_ORDER[i]], 3);
	const codes = canonicalCodes(header.codeLengthLengths);
	for (let i = 0; i < header.runCount; i++) {
		const symbol = header.runSymbols[i];
		out.write(codes[symbol], header.codeLengthLengths[symbol]);
		if (symbol >= 16) out.write(header.runExtras[i], CODE_LENGTH_EXTRA[symbol]);
	}
}

function writeSymbols(
	out: BitWriter,
	block: SymbolBlock,
	literalLengths: Uint8Array,
	literalCodes: Uint16Array,
	distanceLengths: Uint8Array,
	distanceCodes: Uint16Array,
): void {
	const values = block.literalOrLength;
	const distances = block.distance;
	for (let i = 0; i < block.count; i++) {
		const value = values[i];
		if (value < 256) {
			out.write(literalCodes[value], literalLengths[value]);
			continue;
		}
		const length = value - 256;
		const lengthCode = LENGTH_CODE[length];
		const symbol = END_OF_BLOCK + 1 + lengthCode;
		out.write(literalCodes[symbol], literalLengths[symbol]);
		if (LENGTH_EXTRA[lengthCode] > 0) out.write(length - LENGTH_BASE[lengthCode], LENGTH_EXTRA[lengthCode]);
		const distance = distances[i];
		const distanceCode = DIST_CODE[distance];
		out.write(distanceCodes[distanceCode], distanceLengths[distanceCode]);
		if (DIST_EXTRA[distanceCode] > 0) out.write(distance - DIST_BASE[distanceCode], DIST_EXTRA[distanceCode]);
	}
	out.write(literalCodes[END_OF_BLOCK], literalLengths[END_OF_BLOCK]);
}
