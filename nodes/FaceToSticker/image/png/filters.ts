/**
 * PNG scanline filtering for the encoder (PNG spec §7.3, §9): each row gets a filter-type byte, then the
 * row's bytes minus a prediction from the left (a), upper (b) and upper-left (c) bytes.
 */
import { Sliced, ticker } from '../slices';

/** Rows filtered between yields (about 32 KB of bytes). */
const BYTES_PER_SLICE = 1 << 15;

/**
 * Filters `height` rows of `rowBytes` bytes each from `rows` (packed, no filter bytes) with `bpp` bytes per
 * complete pixel. With `adaptive`, each row gets the filter 0-4 whose output has the smallest sum of absolute
 * values as signed bytes (the spec's suggested heuristic); otherwise every row gets filter 0 (None).
 */
export function* filterScanlines(
	rows: Uint8Array,
	rowBytes: number,
	height: number,
	bpp: number,
	adaptive: boolean,
): Sliced<Uint8Array> {
	const out = new Uint8Array(height * (rowBytes + 1));
	const tick = ticker(BYTES_PER_SLICE);
	for (let y = 0; y < height; y++) {
		const start = y * rowBytes;
		const target = y * (rowBytes + 1);
		const type = adaptive ? chooseFilter(rows, start, rowBytes, bpp, y > 0) : 0;
		out[target] = type;
		filterRow(type, rows, start, rowBytes, bpp, y > 0, out, target + 1);
		if (tick(adaptive ? 2 * rowBytes : rowBytes)) yield;
	}
	return out;
}

/** The Paeth predictor (PNG spec §9.4). No Math.abs: global look-ups are slow inside a vm context (jest). */
function paeth(a: number, b: number, c: number): number {
	const pa = b > c ? b - c : c - b;
	const pb = a > c ? a - c : c - a;
	const p = a + b - 2 * c;
	const pc = p < 0 ? -p : p;
	if (pa <= pb && pa <= pc) return a;
	return pb <= pc ? b : c;
}

/** |x| of a filtered byte read as signed. */
function signedCost(value: number): number {
	const byte = value & 0xff;
	return byte < 128 ? byte : 256 - byte;
}

/** The filter type whose output for the row at `start` has the smallest sum of signed magnitudes. */
function chooseFilter(rows: Uint8Array, start: number, rowBytes: number, bpp: number, hasUp: boolean): number {
	let none = 0;
	let sub = 0;
	let up = 0;
	let average = 0;
	let paethSum = 0;
	for (let i = 0; i < rowBytes; i++) {
		const x = rows[start + i];
		const a = i >= bpp ? rows[start + i - bpp] : 0;
		const b = hasUp ? rows[start + i - rowBytes] : 0;
		const c = hasUp && i >= bpp ? rows[start + i - rowBytes - bpp] : 0;
		none += x < 128 ? x : 256 - x;
		sub += signedCost(x - a);
		up += signedCost(x - b);
		average += signedCost(x - ((a + b) >> 1));
		paethSum += signedCost(x - paeth(a, b, c));
	}
	let best = 0;
	let bestSum = none;
	const sums = [sub, up, average, paethSum];
	for (let t = 0; t < 4; t++) {
		if (sums[t] < bestSum) {
			bestSum = sums[t];
			best = t + 1;
		}
	}
	return best;
}

/** Writes the row at `start` filtered with `type` to out[target...]. */
function filterRow(
	type: number,
	rows: Uint8Array,
	start: number,
	rowBytes: number,
	bpp: number,
	hasUp: boolean,
	out: Uint8Array,
	target: number,
): void {
	for (let i = 0; i < rowBytes; i++) {
		const x = rows[start + i];
		const a = i >= bpp ? rows[start + i - bpp] : 0;
		const b = hasUp ? rows[start + i - rowBytes] : 0;
		let prediction = 0;
		if (type === 1) prediction = a;
		else if (type === 2) prediction = b;
		else if (type === 3) prediction = (a + b) >> 1;
		else if (type === 4) prediction = paeth(a, b, hasUp && i >= bpp ? rows[start + i - rowBytes - bpp] : 0);
		out[target + i] = (x - prediction) & 0xff;
	}
}
