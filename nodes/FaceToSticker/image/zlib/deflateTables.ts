/**
 * The encoder's view of RFC 1951 §3.2.5-3.2.6: length and distance codes with their extra bits, as look-up
 * tables from a length or distance to its code, and the fixed Huffman code lengths of block type 1.
 */

/** Base lengths and extra bits of length codes 0..28 (symbols 257..285). */
export const LENGTH_BASE = new Uint16Array([
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
]);
export const LENGTH_EXTRA = new Uint8Array([
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
]);

/** Base distances and extra bits of distance codes 0..29. */
export const DIST_BASE = new Uint16Array([
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577,
]);
export const DIST_EXTRA = new Uint8Array([
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
]);

export const MIN_MATCH = 3;
export const MAX_MATCH = 258;
export const MAX_DISTANCE = 32768;
export const END_OF_BLOCK = 256;
export const LITERAL_LENGTH_SYMBOLS = 286;
export const DISTANCE_SYMBOLS = 30;

function codeTable(size: number, base: Uint16Array, extra: Uint8Array): Uint8Array {
	const table = new Uint8Array(size);
	// Later codes overwrite: length 258 belongs to code 28, not to the range of code 27.
	for (let code = 0; code < base.length; code++) {
		const end = Math.min(size, base[code] + (1 << extra[code]));
		for (let value = base[code]; value < end; value++) table[value] = code;
	}
	return table;
}

/** LENGTH_CODE[length] for lengths 3..258. */
export const LENGTH_CODE = codeTable(MAX_MATCH + 1, LENGTH_BASE, LENGTH_EXTRA);
/** DIST_CODE[distance] for distances 1..32768. */
export const DIST_CODE = codeTable(MAX_DISTANCE + 1, DIST_BASE, DIST_EXTRA);

/** Code lengths of the fixed literal/length code (RFC 1951 §3.2.6); the fixed distance code is 5 bits flat. */
export const FIXED_LITERAL_LENGTHS = (() => {
	const lengths = new Uint8Array(288);
	lengths.fill(8, 0, 144);
	lengths.fill(9, 144, 256);
	lengths.fill(7, 256, 280);
	lengths.fill(8, 280, 288);
	return lengths;
})();
export const FIXED_DISTANCE_LENGTHS = new Uint8Array(30).fill(5);
