/**
 * Writing VP8L prefix (Huffman) codes, RFC 9649 §3.7.2.1: the simple code for one or two symbols below 256,
 * otherwise the normal code, whose code lengths are themselves coded with the 19-symbol code-length code.
 */
import type { BitWriter } from '../bitWriter';
import { canonicalCodes, codeLengths } from '../huffman';

/** A code ready for writing symbols: `lengths[s]` bits of `codes[s]` (bit-reversed for the LSB-first writer). */
export interface PrefixCode {
	lengths: Uint8Array;
	codes: Uint16Array;
}

/** The order in which the code-length code's own lengths are sent (§3.7.2.1.2). */
export const CODE_LENGTH_ORDER = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

const MAX_CODE_BITS = 15;
const MAX_CODE_LENGTH_CODE_BITS = 7;

/**
 * A decoder reads a code with only one used symbol as zero bits per symbol, whatever length was declared;
 * the writer must then emit nothing.
 */
function emitted(lengths: Uint8Array): PrefixCode {
	let used = 0;
	for (let s = 0; s < lengths.length; s++) if (lengths[s] > 0) used++;
	if (used <= 1) return { lengths: new Uint8Array(lengths.length), codes: new Uint16Array(lengths.length) };
	return { lengths, codes: canonicalCodes(lengths) };
}

/** One code-length token: a length 0..15, or 16/17/18 with its repeat count in `extra`. */
interface Tokens {
	symbols: number[];
	extras: number[];
}

/** Run-length codes `lengths` with the repeat symbols 16 (previous non-zero), 17 and 18 (zeros). */
export function lengthTokens(lengths: ArrayLike<number>, end = lengths.length): Tokens {
	const symbols: number[] = [];
	const extras: number[] = [];
	const push = (symbol: number, extra: number) => {
		symbols.push(symbol);
		extras.push(extra);
	};
	let previous = 8;
	let i = 0;
	while (i < end) {
		const value = lengths[i];
		let run = 1;
		while (i + run < end && lengths[i + run] === value) run++;
		i += run;
		if (value === 0) {
			while (run >= 11) {
				const n = Math.min(run, 138);
				push(18, n - 11);
				run -= n;
			}
			if (run >= 3) {
				push(17, run - 3);
				run = 0;
			}
			for (; run > 0; run--) push(0, 0);
			continue;
		}
		if (value !== previous) {
			push(value, 0);
			run--;
			previous = value;
		}
		while (run > 0) {
			if (run < 3) {
				for (; run > 0; run--) push(value, 0);
			} else {
				const n = Math.min(run, 6);
				push(16, n - 3);
				run -= n;
			}
		}
	}
	return { symbols, extras };
}

const REPEAT_EXTRA_BITS = [2, 3, 7];

function writeNormalCode(writer: BitWriter, lengths: Uint8Array): void {
	let last = lengths.length - 1;
	while (last >= 0 && lengths[last] === 0) last--;
	// Trailing zeros are left out by sending how many tokens follow (the "max_symbol" of the spec).
	const trimmed = lengthTokens(lengths, last + 1);
	const trim = last + 1 < lengths.length && trimmed.symbols.length >= 2;
	const tokens = trim ? trimmed : lengthTokens(lengths);
	const counts = new Uint32Array(19);
	for (const symbol of tokens.symbols) counts[symbol]++;
	const declared = codeLengths(counts, MAX_CODE_LENGTH_CODE_BITS);
	const lengthCode = emitted(declared);
	let sent = 19;
	while (sent > 4 && declared[CODE_LENGTH_ORDER[sent - 1]] === 0) sent--;
	writer.write(0, 1);
	writer.write(sent - 4, 4);
	for (let i = 0; i < sent; i++) writer.write(declared[CODE_LENGTH_ORDER[i]], 3);
	writer.write(trim ? 1 : 0, 1);
	if (trim) {
		const maxSymbol = tokens.symbols.length - 2;
		let pairs = 1;
		while (maxSymbol >= 1 << (2 * pairs)) pairs++;
		writer.write(pairs - 1, 3);
		writer.write(maxSymbol, 2 * pairs);
	}
	for (let t = 0; t < tokens.symbols.length; t++) {
		const symbol = tokens.symbols[t];
		writer.write(lengthCode.codes[symbol], lengthCode.lengths[symbol]);
		if (symbol >= 16) writer.write(tokens.extras[t], REPEAT_EXTRA_BITS[symbol - 16]);
	}
}

/**
 * Writes the code for a histogram over an alphabet of `counts.length` symbols and returns it for writing
 * the symbols. An unused alphabet is sent as the simple code for symbol 0 (a decoder never reads it).
 */
export function writePrefixCode(writer: BitWriter, counts: ArrayLike<number>): PrefixCode {
	const declared = codeLengths(counts, MAX_CODE_BITS);
	const used: number[] = [];
	for (let s = 0; s < declared.length && used.length <= 2; s++) if (declared[s] > 0) used.push(s);
	if (used.length <= 2 && used.every((s) => s < 256)) {
		const first = used.length > 0 ? used[0] : 0;
		writer.write(1, 1);
		writer.write(Math.max(used.length, 1) - 1, 1);
		// The first symbol takes 1 bit when it is 0 or 1, else 8 bits; the second always 8 bits.
		if (first < 2) {
			writer.write(0, 1);
			writer.write(first, 1);
		} else {
			writer.write(1, 1);
			writer.write(first, 8);
		}
		if (used.length === 2) writer.write(used[1], 8);
		return emitted(declared);
	}
	writeNormalCode(writer, declared);
	return emitted(declared);
}
