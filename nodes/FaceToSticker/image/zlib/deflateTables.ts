/**
 * The encoder's view of RFC 1951 §3.2.5-3.2.6: length and distance codes with their extra bits, as look-up
 * tables from a length or distance to its code (the codes' base values and extra bits are in codeTables.ts).
 */
import { DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA } from './codeTables';

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
