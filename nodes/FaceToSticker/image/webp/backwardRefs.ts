/**
 * LZ77 over ARGB pixels (RFC 9649 §3.5.2.2) with a hash chain on pixel pairs, and the colour cache
 * (§3.5.2.3) replayed over the result.
 */
import { ticker } from '../slices';
import type { Sliced } from '../slices';
import { distanceCoder } from './distances';

// Module-level copies: inside a vm context (jest) every global look-up in a hot loop is slow.
const { imul } = Math;

/** Pixels as a sequence of literals and copies. */
export interface BackwardRefs {
	count: number;
	/** 0 for a literal, else the copy length (1..4096). */
	lengths: Uint16Array;
	/** The literal's ARGB, or the copy's distance code (after the distance mapping). */
	values: Uint32Array;
}

export const MAX_COPY_LENGTH = 4096;
/** The farthest distance the 40 distance prefix codes can name once the 120 short codes are set aside. */
export const MAX_DISTANCE = (1 << 20) - 120;

const HASH_BITS = 18;
const HASH_MUL_A = 0xc6a4a793;
const HASH_MUL_B = 0x5bd1e996;

export interface Lz77Options {
	/** Hash-chain candidates looked at per position. */
	maxChain: number;
	/** Shortest copy worth sending instead of literals. */
	minLength: number;
}

function matchLength(pixels: Uint32Array, a: number, b: number, max: number): number {
	let n = 0;
	while (n < max && pixels[a + n] === pixels[b + n]) n++;
	return n;
}

/** Every pixel a literal (the baseline, and what tiny sub-images get). */
export function literalRefs(pixels: Uint32Array): BackwardRefs {
	const count = pixels.length;
	return { count, lengths: new Uint16Array(count), values: Uint32Array.from(pixels) };
}

/** The longest copy for position i: distance 1 and one row up first (cheapest to name, so they win ties). */
function longestMatch(
	pixels: Uint32Array,
	chain: Int32Array,
	i: number,
	width: number,
	maxChain: number,
	out: Int32Array,
): void {
	const max = Math.min(MAX_COPY_LENGTH, pixels.length - i);
	let bestLength = 0;
	let bestDistance = 0;
	if (max >= 2) {
		if (i >= 1) {
			bestLength = matchLength(pixels, i - 1, i, max);
			bestDistance = 1;
		}
		if (width > 1 && i >= width && pixels[i - width + bestLength] === pixels[i + bestLength]) {
			const length = matchLength(pixels, i - width, i, max);
			if (length > bestLength) {
				bestLength = length;
				bestDistance = width;
			}
		}
		let candidate = chain[i];
		for (let tries = maxChain; candidate >= 0 && tries > 0 && bestLength < max; tries--) {
			const distance = i - candidate;
			if (distance > MAX_DISTANCE) break;
			if (pixels[candidate + bestLength] === pixels[i + bestLength]) {
				const length = matchLength(pixels, candidate, i, max);
				if (length > bestLength) {
					bestLength = length;
					bestDistance = distance;
				}
			}
			candidate = chain[candidate];
		}
	}
	out[0] = bestLength;
	out[1] = bestDistance;
}

/**
 * Greedy LZ77 with one step of lazy matching (a copy is put off by one pixel when the next one starts a
 * longer copy).
 */
export function* findBackwardRefs(pixels: Uint32Array, width: number, options: Lz77Options): Sliced<BackwardRefs> {
	const n = pixels.length;
	const lengths = new Uint16Array(n);
	const values = new Uint32Array(n);
	const toCode = distanceCoder(width);
	const head = new Int32Array(1 << HASH_BITS).fill(-1);
	const chain = new Int32Array(n).fill(-1);
	const tick = ticker(8192);
	let inserted = 0;
	const insertUpTo = (end: number) => {
		const stop = Math.min(end, n - 1);
		for (; inserted < stop; inserted++) {
			const h = (imul(pixels[inserted], HASH_MUL_A) ^ imul(pixels[inserted + 1], HASH_MUL_B)) >>> (32 - HASH_BITS);
			chain[inserted] = head[h];
			head[h] = inserted;
		}
	};
	const here = new Int32Array(2);
	const next = new Int32Array(2);
	let nextValid = false;
	let count = 0;
	let i = 0;
	while (i < n) {
		if (nextValid) {
			here[0] = next[0];
			here[1] = next[1];
		} else {
			insertUpTo(i + 1);
			longestMatch(pixels, chain, i, width, options.maxChain, here);
		}
		nextValid = false;
		let length = here[0];
		if (length >= options.minLength && length < MAX_COPY_LENGTH && i + 1 < n) {
			insertUpTo(i + 2);
			longestMatch(pixels, chain, i + 1, width, options.maxChain, next);
			nextValid = true;
			if (next[0] > length + 1) length = 0;
		}
		if (length >= options.minLength) {
			lengths[count] = length;
			values[count] = toCode(here[1]);
			count++;
			nextValid = false;
			insertUpTo(i + length);
			i += length;
			if (tick(length)) yield;
		} else {
			values[count] = pixels[i];
			count++;
			i++;
			if (tick(1)) yield;
		}
	}
	return { count, lengths, values };
}

/** The slot of `argb` in a colour cache of 2^bits entries (§3.5.2.3). */
export function cacheSlot(argb: number, bits: number): number {
	return imul(argb, 0x1e35a7bd) >>> (32 - bits);
}

/**
 * Replays the colour cache a decoder keeps over `refs`: for each literal, its cache slot when the cache
 * already holds that colour there, else -1. Every decoded pixel, copied ones too, enters the cache.
 */
export function* cacheHits(pixels: Uint32Array, refs: BackwardRefs, bits: number): Sliced<Int16Array> {
	const hits = new Int16Array(refs.count).fill(-1);
	const cache = new Uint32Array(1 << bits);
	// Slots never written hold nothing a literal may refer to.
	const filled = new Uint8Array(1 << bits);
	const tick = ticker(32768);
	let position = 0;
	for (let t = 0; t < refs.count; t++) {
		const length = refs.lengths[t];
		if (tick(length + 1)) yield;
		if (length === 0) {
			const argb = refs.values[t];
			const slot = cacheSlot(argb, bits);
			if (filled[slot] === 1 && cache[slot] === argb) hits[t] = slot;
			cache[slot] = argb;
			filled[slot] = 1;
			position++;
			continue;
		}
		for (const end = position + length; position < end; position++) {
			const argb = pixels[position];
			const slot = cacheSlot(argb, bits);
			cache[slot] = argb;
			filled[slot] = 1;
		}
	}
	return hits;
}
