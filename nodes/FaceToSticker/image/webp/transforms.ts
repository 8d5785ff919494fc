/**
 * The subtract-green (RFC 9649 §3.6.5) and colour-indexing (§3.6.4) transforms, forward direction.
 */
import { subtractPixels } from './predictor';

/** Red and blue minus green, modulo 256 (a new array; the input is left as it is). */
export function subtractGreen(pixels: Uint32Array): Uint32Array {
	const out = new Uint32Array(pixels.length);
	for (let i = 0; i < pixels.length; i++) {
		const argb = pixels[i];
		const green = (argb >>> 8) & 0xff;
		const redBlue = ((argb & 0x00ff00ff) + 0x01000100 - ((green << 16) | green)) & 0x00ff00ff;
		out[i] = ((argb & 0xff00ff00) | redBlue) >>> 0;
	}
	return out;
}

/** The distinct colours of `pixels` in ascending ARGB order, or null when there are more than `max`. */
export function collectPalette(pixels: Uint32Array, max = 256): Uint32Array | null {
	// Open addressing over a table four times the largest palette; `used` marks taken slots.
	const slots = 1024;
	const keys = new Uint32Array(slots);
	const used = new Uint8Array(slots);
	let count = 0;
	let previous = -1;
	for (let i = 0; i < pixels.length; i++) {
		const argb = pixels[i];
		if (argb === previous) continue;
		previous = argb;
		let slot = Math.imul(argb, 0x9e3779b1) >>> 22;
		while (used[slot] === 1 && keys[slot] !== argb) slot = (slot + 1) & (slots - 1);
		if (used[slot] === 1) continue;
		if (++count > max) return null;
		used[slot] = 1;
		keys[slot] = argb;
	}
	const palette = new Uint32Array(count);
	let n = 0;
	for (let slot = 0; slot < slots; slot++) if (used[slot] === 1) palette[n++] = keys[slot];
	return palette.sort();
}

/** Each pixel's index in `palette` (which must hold every colour of `pixels`). */
export function indexPixels(pixels: Uint32Array, palette: Uint32Array): Uint8Array {
	const lookup = new Map<number, number>();
	palette.forEach((argb, index) => {
		if (!lookup.has(argb)) lookup.set(argb, index);
	});
	const indices = new Uint8Array(pixels.length);
	let previous = -1;
	let previousIndex = 0;
	for (let i = 0; i < pixels.length; i++) {
		if (pixels[i] !== previous) {
			previous = pixels[i];
			const index = lookup.get(previous);
			if (index === undefined) throw new Error('indexPixels: a colour is missing from the palette');
			previousIndex = index;
		}
		indices[i] = previousIndex;
	}
	return indices;
}

/** How many pixels share one byte for a palette of `size` colours, as log2: 3 (≤2), 2 (≤4), 1 (≤16), else 0. */
export function bundleBits(size: number): number {
	return size <= 2 ? 3 : size <= 4 ? 2 : size <= 16 ? 1 : 0;
}

/**
 * Packs the indices 2^widthBits to a pixel, in the green channel, the first pixel in the lowest bits
 * (§3.6.4); alpha is set to 255 as the reference encoder does.
 */
export function bundlePixels(
	indices: Uint8Array,
	width: number,
	height: number,
	widthBits: number,
): { packed: Uint32Array; packedWidth: number } {
	const perPixel = 1 << widthBits;
	const bitsPerIndex = 8 >> widthBits;
	const packedWidth = Math.ceil(width / perPixel);
	const packed = new Uint32Array(packedWidth * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const index = indices[y * width + x];
			const slot = y * packedWidth + (x >> widthBits);
			packed[slot] |= index << (8 + bitsPerIndex * (x & (perPixel - 1)));
		}
		for (let p = y * packedWidth; p < (y + 1) * packedWidth; p++) packed[p] = (packed[p] | 0xff000000) >>> 0;
	}
	return { packed, packedWidth };
}

/** The palette as sent: each entry minus the previous one, per channel (the first as it is). */
export function paletteDeltas(palette: Uint32Array): Uint32Array {
	const out = new Uint32Array(palette.length);
	for (let i = 0; i < palette.length; i++) out[i] = subtractPixels(palette[i], i > 0 ? palette[i - 1] : 0);
	return out;
}
