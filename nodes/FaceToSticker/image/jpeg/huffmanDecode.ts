import type { BitReader } from './bitReader';
import { ImageFormatError } from '../types';

/** Codes up to this many bits are found with one table look-up. */
const LOOKUP_BITS = 9;

/**
 * A Huffman decoding table built from a DHT's counts and symbols (T.81 Annex C and F.2.2.3): a direct
 * look-up for short codes, the canonical maxcode / offset walk for longer ones.
 */
export interface HuffmanDecoder {
	/** (length << 8) | symbol for each LOOKUP_BITS-bit prefix; 0 when the code is longer. */
	lookup: Uint16Array;
	/** Largest code of each length 1-16 (index = length), -1 when there is none. */
	maxCode: Int32Array;
	/** symbols index minus first code, per length. */
	offset: Int32Array;
	symbols: Uint8Array;
}

export function buildHuffmanDecoder(counts: Uint8Array, symbols: Uint8Array, what: string): HuffmanDecoder {
	const lookup = new Uint16Array(1 << LOOKUP_BITS);
	const maxCode = new Int32Array(18).fill(-1);
	const offset = new Int32Array(18);
	let code = 0;
	let k = 0;
	for (let length = 1; length <= 16; length++) {
		const n = counts[length - 1];
		offset[length] = k - code;
		for (let i = 0; i < n; i++, k++, code++) {
			if (length <= LOOKUP_BITS) {
				const shift = LOOKUP_BITS - length;
				const entry = (length << 8) | symbols[k];
				for (let j = code << shift, end = (code + 1) << shift; j < end; j++) lookup[j] = entry;
			}
		}
		if (n > 0) maxCode[length] = code - 1;
		if (code > 1 << length) throw new ImageFormatError(`The JPEG's ${what} is not a valid Huffman table: too many codes of length ${length}`);
		code <<= 1;
	}
	maxCode[17] = 0x7fffffff; // a sentinel: the walk stops at 17 and reports the bad code
	return { lookup, maxCode, offset, symbols };
}

/** The next symbol; a bit pattern that is no code of the table is an ImageFormatError. */
export function decodeSymbol(reader: BitReader, table: HuffmanDecoder): number {
	if (reader.bits < 16) reader.fill();
	const bits = reader.bits;
	const buf = reader.buf;
	const entry = table.lookup[(buf >>> (bits - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)];
	if (entry !== 0) {
		reader.bits = bits - (entry >> 8);
		return entry & 0xff;
	}
	const maxCode = table.maxCode;
	let length = LOOKUP_BITS + 1;
	let code = (buf >>> (bits - length)) & ((1 << length) - 1);
	while (code > maxCode[length]) {
		length++;
		if (length > 16) throw new ImageFormatError('The JPEG is damaged: its data holds a Huffman code that does not exist in its table');
		code = (buf >>> (bits - length)) & ((1 << length) - 1);
	}
	reader.bits = bits - length;
	const index = table.offset[length] + code;
	if (index >= table.symbols.length) throw new ImageFormatError('The JPEG is damaged: its data holds a Huffman code that does not exist in its table');
	return table.symbols[index];
}
