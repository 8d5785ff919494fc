/**
 * Turns one unfiltered scanline of any PNG colour type and bit depth into 8-bit straight RGBA (PNG spec
 * §7.2, §11.3.2.1 tRNS). Low-depth grey is scaled to 0-255; 16-bit samples become Math.round(v / 257), while
 * the tRNS key is compared at full depth.
 */
import { ImageFormatError } from '../types';
import { PngChunks } from './chunksRead';

export interface PixelFormat {
	colorType: number;
	bitDepth: number;
	palette: Uint8Array;
	paletteCount: number;
	/** Transparent grey (type 0) or red, green, blue (type 2) sample values; -1 when there is no tRNS. */
	keyGrey: number;
	keyRgb: [number, number, number];
}

export function pixelFormat(chunks: PngChunks): PixelFormat {
	const { colorType, bitDepth } = chunks.header;
	const key = chunks.transparentKey;
	const sample = (i: number) => (key ? (key[i * 2] << 8) | key[i * 2 + 1] : -1);
	return {
		colorType,
		bitDepth,
		palette: chunks.palette,
		paletteCount: chunks.paletteCount,
		keyGrey: colorType === 0 ? sample(0) : -1,
		keyRgb: colorType === 2 ? [sample(0), sample(1), sample(2)] : [-1, -1, -1],
	};
}

function to8(hi: number, lo: number): number {
	return Math.round(((hi << 8) | lo) / 257);
}

/**
 * Writes `width` pixels of the row whose packed bytes start at `src` to `out`, the first at byte `dst`, the
 * next `step` bytes further (4 for a whole row, more for an Adam7 pass).
 */
export function expandRow(
	f: PixelFormat,
	data: Uint8Array,
	src: number,
	width: number,
	out: Uint8Array,
	dst: number,
	step: number,
): void {
	const depth = f.bitDepth;
	switch (f.colorType) {
		case 0:
			if (depth === 16) {
				for (let x = 0; x < width; x++, src += 2, dst += step) {
					const g = to8(data[src], data[src + 1]);
					out[dst] = out[dst + 1] = out[dst + 2] = g;
					out[dst + 3] = ((data[src] << 8) | data[src + 1]) === f.keyGrey ? 0 : 255;
				}
			} else {
				const scale = 255 / ((1 << depth) - 1);
				const mask = (1 << depth) - 1;
				for (let x = 0; x < width; x++, dst += step) {
					const bit = x * depth;
					const v = (data[src + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
					out[dst] = out[dst + 1] = out[dst + 2] = v * scale;
					out[dst + 3] = v === f.keyGrey ? 0 : 255;
				}
			}
			return;
		case 2: {
			const [kr, kg, kb] = f.keyRgb;
			if (depth === 16) {
				for (let x = 0; x < width; x++, src += 6, dst += step) {
					const r = (data[src] << 8) | data[src + 1];
					const g = (data[src + 2] << 8) | data[src + 3];
					const b = (data[src + 4] << 8) | data[src + 5];
					out[dst] = Math.round(r / 257);
					out[dst + 1] = Math.round(g / 257);
					out[dst + 2] = Math.round(b / 257);
					out[dst + 3] = r === kr && g === kg && b === kb ? 0 : 255;
				}
			} else {
				for (let x = 0; x < width; x++, src += 3, dst += step) {
					const r = data[src];
					const g = data[src + 1];
					const b = data[src + 2];
					out[dst] = r;
					out[dst + 1] = g;
					out[dst + 2] = b;
					out[dst + 3] = r === kr && g === kg && b === kb ? 0 : 255;
				}
			}
			return;
		}
		case 3: {
			const mask = (1 << depth) - 1;
			const palette = f.palette;
			for (let x = 0; x < width; x++, dst += step) {
				const bit = x * depth;
				const index = (data[src + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
				if (index >= f.paletteCount) {
					throw new ImageFormatError(
						`The PNG has a pixel with palette index ${index}, but its PLTE has only ${f.paletteCount} entries`,
					);
				}
				out[dst] = palette[index * 4];
				out[dst + 1] = palette[index * 4 + 1];
				out[dst + 2] = palette[index * 4 + 2];
				out[dst + 3] = palette[index * 4 + 3];
			}
			return;
		}
		case 4:
			if (depth === 16) {
				for (let x = 0; x < width; x++, src += 4, dst += step) {
					out[dst] = out[dst + 1] = out[dst + 2] = to8(data[src], data[src + 1]);
					out[dst + 3] = to8(data[src + 2], data[src + 3]);
				}
			} else {
				for (let x = 0; x < width; x++, src += 2, dst += step) {
					out[dst] = out[dst + 1] = out[dst + 2] = data[src];
					out[dst + 3] = data[src + 1];
				}
			}
			return;
		default:
			if (depth === 16) {
				for (let x = 0; x < width; x++, src += 8, dst += step) {
					out[dst] = to8(data[src], data[src + 1]);
					out[dst + 1] = to8(data[src + 2], data[src + 3]);
					out[dst + 2] = to8(data[src + 4], data[src + 5]);
					out[dst + 3] = to8(data[src + 6], data[src + 7]);
				}
			} else if (step === 4) {
				out.set(data.subarray(src, src + width * 4), dst);
			} else {
				for (let x = 0; x < width; x++, src += 4, dst += step) {
					out[dst] = data[src];
					out[dst + 1] = data[src + 1];
					out[dst + 2] = data[src + 2];
					out[dst + 3] = data[src + 3];
				}
			}
	}
}
