/**
 * The code tables RFC 1951 §3.2.5-3.2.6 defines, shared by the encoder and the decoder: base values and extra
 * bits of the length and distance codes, and the code lengths of the fixed Huffman codes of block type 1.
 */

/** Base lengths and extra bits of length codes 0..28 (symbols 257..285, index symbol - 257). */
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
