/**
 * Entropy coding of one image stream (RFC 9649 §3.7): backward references, a colour-cache size chosen by
 * measured cost, one prefix-code group of five codes, then the coded pixels.
 */
import { BitWriter } from '../bitWriter';
import { ticker } from '../slices';
import type { Sliced } from '../slices';
import { cacheHits, findBackwardRefs, literalRefs } from './backwardRefs';
import type { BackwardRefs } from './backwardRefs';
import { prefixExtraBits, prefixExtraValue, prefixSymbol } from './distances';
import { writePrefixCode } from './prefixCodes';
import type { PrefixCode } from './prefixCodes';

export const LITERAL_CODES = 256;
export const LENGTH_CODES = 24;
export const DISTANCE_CODES = 40;
export const MAX_CACHE_BITS = 11;

/** The five symbol counts of one prefix-code group, plus the extra bits the copies carry. */
export interface Histogram {
	green: Uint32Array;
	red: Uint32Array;
	blue: Uint32Array;
	alpha: Uint32Array;
	distance: Uint32Array;
	extraBits: number;
}

/** Symbol counts of `refs` coded with a colour cache of `cacheBits` (0: none); `hits` from cacheHits. */
export function* buildHistogram(refs: BackwardRefs, hits: Int16Array | null, cacheBits: number): Sliced<Histogram> {
	const cacheSize = cacheBits > 0 ? 1 << cacheBits : 0;
	const h: Histogram = {
		green: new Uint32Array(LITERAL_CODES + LENGTH_CODES + cacheSize),
		red: new Uint32Array(256),
		blue: new Uint32Array(256),
		alpha: new Uint32Array(256),
		distance: new Uint32Array(DISTANCE_CODES),
		extraBits: 0,
	};
	const tick = ticker(32768);
	for (let t = 0; t < refs.count; t++) {
		if (tick(1)) yield;
		const length = refs.lengths[t];
		const value = refs.values[t];
		if (length > 0) {
			const lengthSymbol = prefixSymbol(length);
			const distanceSymbol = prefixSymbol(value);
			h.green[LITERAL_CODES + lengthSymbol]++;
			h.distance[distanceSymbol]++;
			h.extraBits += prefixExtraBits(lengthSymbol) + prefixExtraBits(distanceSymbol);
		} else if (hits !== null && hits[t] >= 0) {
			h.green[LITERAL_CODES + LENGTH_CODES + hits[t]]++;
		} else {
			h.green[(value >>> 8) & 0xff]++;
			h.red[(value >>> 16) & 0xff]++;
			h.blue[value & 0xff]++;
			h.alpha[value >>> 24]++;
		}
	}
	return h;
}

function codesOf(h: Histogram): Array<Uint32Array> {
	return [h.green, h.red, h.blue, h.alpha, h.distance];
}

/** Exact size in bits of the five codes plus the pixels they code. */
export function costInBits(h: Histogram): number {
	const scratch = new BitWriter(1024);
	let bits = h.extraBits;
	for (const counts of codesOf(h)) {
		const code = writePrefixCode(scratch, counts);
		for (let s = 0; s < counts.length; s++) bits += counts[s] * code.lengths[s];
	}
	return bits + scratch.bitLength;
}

function* writeSymbols(
	writer: BitWriter,
	refs: BackwardRefs,
	hits: Int16Array | null,
	codes: PrefixCode[],
): Sliced<void> {
	const [green, red, blue, alpha, distance] = codes;
	const tick = ticker(16384);
	for (let t = 0; t < refs.count; t++) {
		const length = refs.lengths[t];
		const value = refs.values[t];
		if (length > 0) {
			const lengthSymbol = prefixSymbol(length);
			writer.write(green.codes[LITERAL_CODES + lengthSymbol], green.lengths[LITERAL_CODES + lengthSymbol]);
			writer.write(prefixExtraValue(length), prefixExtraBits(lengthSymbol));
			const distanceSymbol = prefixSymbol(value);
			writer.write(distance.codes[distanceSymbol], distance.lengths[distanceSymbol]);
			writer.write(prefixExtraValue(value), prefixExtraBits(distanceSymbol));
			if (tick(length)) yield;
			continue;
		}
		if (hits !== null && hits[t] >= 0) {
			const symbol = LITERAL_CODES + LENGTH_CODES + hits[t];
			writer.write(green.codes[symbol], green.lengths[symbol]);
		} else {
			const g = (value >>> 8) & 0xff;
			const r = (value >>> 16) & 0xff;
			const b = value & 0xff;
			const a = value >>> 24;
			writer.write(green.codes[g], green.lengths[g]);
			writer.write(red.codes[r], red.lengths[r]);
			writer.write(blue.codes[b], blue.lengths[b]);
			writer.write(alpha.codes[a], alpha.lengths[a]);
		}
		if (tick(1)) yield;
	}
}

export interface StreamOptions {
	/** The main image may say "no meta prefix codes"; sub-images (transform data) have no such bit. */
	isMain: boolean;
	/** Colour-cache sizes to try (0: no cache). */
	cacheBits: number[];
	/** Shortest copy to use: 4 suits prediction residuals, 3 palette indices (measured). */
	minCopy: number;
}

/**
 * Writes an entropy-coded image `width` pixels wide: colour-cache info, (main image only) the meta-prefix
 * bit, the five prefix codes and the pixels, choosing the cheapest of the tried cache sizes.
 */
export function* writeImageStream(
	writer: BitWriter,
	pixels: Uint32Array,
	width: number,
	options: StreamOptions,
): Sliced<void> {
	const refs =
		pixels.length < 16 ? literalRefs(pixels) : yield* findBackwardRefs(pixels, width, { maxChain: 8, minLength: options.minCopy });
	let bestBits = 0;
	let bestHits: Int16Array | null = null;
	let bestCost = Infinity;
	let best: Histogram | null = null;
	const tried = new Set<number>();
	function* tryBits(bits: number): Sliced<void> {
		if (tried.has(bits) || !options.cacheBits.includes(bits)) return;
		tried.add(bits);
		const hits = bits > 0 ? yield* cacheHits(pixels, refs, bits) : null;
		const histogram = yield* buildHistogram(refs, hits, bits);
		const cost = costInBits(histogram) + (bits > 0 ? 4 : 0);
		if (cost < bestCost) {
			bestCost = cost;
			bestBits = bits;
			bestHits = hits;
			best = histogram;
		}
	}
	// Coarse sizes first, then the neighbours of the best: the cost is near enough convex in the size.
	for (const bits of options.cacheBits.length > 4 ? [0, 3, 6, 9] : options.cacheBits) yield* tryBits(bits);
	const coarse = bestBits;
	for (const step of [1, -1]) {
		yield* tryBits(coarse + step);
		if (bestBits === coarse + step) yield* tryBits(coarse + 2 * step);
	}
	if (best === null) throw new Error('writeImageStream needs at least one cache size to try');
	writer.write(bestBits > 0 ? 1 : 0, 1);
	if (bestBits > 0) writer.write(bestBits, 4);
	if (options.isMain) writer.write(0, 1);
	const codes = codesOf(best).map((counts) => writePrefixCode(writer, counts));
	yield* writeSymbols(writer, refs, bestHits, codes);
}
