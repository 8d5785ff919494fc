import type { RgbaImage } from '../types';
import type { Sliced } from '../slices';

// Globals are read once, here: looked up inside a hot loop they are slow in sandboxed contexts (jest's vm).
const { imul } = Math;

/**
 * The distinct visible colours of an image and which one each pixel has: what quantising needs, built once
 * and reused for every palette size tried.
 */
export interface ColourTable {
	width: number;
	height: number;
	/** Distinct colours with alpha > 0, straight RGBA packed as (r << 24 | g << 16 | b << 8 | a) >>> 0. */
	colours: Uint32Array;
	/** How many pixels have each colour. */
	counts: Uint32Array;
	/** Per pixel: its index in `colours`, or -1 for a fully transparent pixel (whatever its RGB). */
	pixelColours: Int32Array;
	transparentPixels: number;
}

/** Pixels counted between two yields (the loop lives in a plain function, which V8 optimises). */
const PIXELS_PER_SLICE = 1 << 14;

interface Counting {
	keys: Uint32Array;
	slotColour: Int32Array;
	shift: number;
	mask: number;
	colours: Uint32Array;
	counts: Uint32Array;
	pixelColours: Int32Array;
	size: number;
	transparentPixels: number;
}

/** Counts the distinct colours with an open-addressing hash of the packed RGBA (0 marks an empty slot). */
export function* buildColourTable(image: RgbaImage): Sliced<ColourTable> {
	const pixels = image.width * image.height;
	let bits = 4;
	while (1 << bits < pixels * 2) bits++;
	const state: Counting = {
		keys: new Uint32Array(1 << bits),
		slotColour: new Int32Array(1 << bits),
		shift: 32 - bits,
		mask: (1 << bits) - 1,
		colours: new Uint32Array(pixels),
		counts: new Uint32Array(pixels),
		pixelColours: new Int32Array(pixels),
		size: 0,
		transparentPixels: 0,
	};
	for (let p = 0; p < pixels; p += PIXELS_PER_SLICE) {
		countPixels(image.data, state, p, Math.min(pixels, p + PIXELS_PER_SLICE));
		yield;
	}
	return {
		width: image.width,
		height: image.height,
		colours: state.colours.slice(0, state.size),
		counts: state.counts.slice(0, state.size),
		pixelColours: state.pixelColours,
		transparentPixels: state.transparentPixels,
	};
}

function countPixels(src: Uint8Array, state: Counting, from: number, to: number): void {
	const { keys, slotColour, shift, mask, colours, counts, pixelColours } = state;
	let size = state.size;
	let transparent = 0;
	for (let p = from; p < to; p++) {
		const i = p * 4;
		const a = src[i + 3];
		if (a === 0) {
			pixelColours[p] = -1;
			transparent++;
			continue;
		}
		// alpha > 0, so a key is never 0.
		const key = ((src[i] << 24) | (src[i + 1] << 16) | (src[i + 2] << 8) | a) >>> 0;
		let slot = imul(key, 0x9e3779b1) >>> shift;
		while (keys[slot] !== 0 && keys[slot] !== key) slot = (slot + 1) & mask;
		if (keys[slot] === 0) {
			keys[slot] = key;
			slotColour[slot] = size;
			colours[size++] = key;
		}
		const c = slotColour[slot];
		counts[c]++;
		pixelColours[p] = c;
	}
	state.size = size;
	state.transparentPixels += transparent;
}
