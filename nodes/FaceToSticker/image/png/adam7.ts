/**
 * The scanline layout of a PNG's image data: one pass for a plain image, seven reduced images for Adam7
 * interlace (PNG spec §8.2). Each pass row is a filter-type byte followed by its packed pixels.
 */
import { PngHeader } from './chunksRead';

export interface PngPass {
	/** First pixel of the pass in the full image and the step between its pixels. */
	x0: number;
	y0: number;
	dx: number;
	dy: number;
	/** Size of the reduced image; passes with no pixels are left out. */
	width: number;
	height: number;
	/** Bytes of packed pixels per row (without the filter byte). */
	rowBytes: number;
	/** Where the pass's first row (its filter byte) starts in the inflated data. */
	offset: number;
}

const CHANNELS: { [colorType: number]: number } = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
	[0, 0, 8, 8],
	[4, 0, 8, 8],
	[0, 4, 4, 8],
	[2, 0, 4, 4],
	[0, 2, 2, 4],
	[1, 0, 2, 2],
	[0, 1, 1, 2],
];

/** Bits per pixel of the header's colour type and depth. */
export function bitsPerPixel(header: PngHeader): number {
	return CHANNELS[header.colorType] * header.bitDepth;
}

/** The passes and the exact inflated size they need. */
export function passLayout(header: PngHeader): { passes: PngPass[]; totalBytes: number } {
	const bits = bitsPerPixel(header);
	const grid = header.interlaced ? ADAM7 : [[0, 0, 1, 1]];
	const passes: PngPass[] = [];
	let offset = 0;
	for (const [x0, y0, dx, dy] of grid) {
		const width = header.width > x0 ? Math.ceil((header.width - x0) / dx) : 0;
		const height = header.height > y0 ? Math.ceil((header.height - y0) / dy) : 0;
		if (width === 0 || height === 0) continue;
		const rowBytes = Math.ceil((width * bits) / 8);
		passes.push({ x0, y0, dx, dy, width, height, rowBytes, offset });
		offset += height * (rowBytes + 1);
	}
	return { passes, totalBytes: offset };
}
