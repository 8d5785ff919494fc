import type { RgbaImage } from '../types';
import type { Sliced } from '../slices';

/** A rectangle of whole pixels. */
export interface PixelBox {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** Rows scanned between two yields (hot loops live in plain functions: V8 optimises those, not generators). */
const ROWS_PER_SLICE = 64;

interface Extent {
	minX: number;
	maxX: number;
	minY: number;
	maxY: number;
}

function scanRows(image: RgbaImage, from: number, to: number, extent: Extent): void {
	const { width, data } = image;
	for (let y = from; y < to; y++) {
		const row = y * width * 4 + 3;
		let first = 0;
		while (first < width && data[row + first * 4] === 0) first++;
		if (first === width) continue;
		// Only the part right of the row's first visible pixel can move the right edge.
		let last = width - 1;
		while (last > first && data[row + last * 4] === 0) last--;
		if (first < extent.minX) extent.minX = first;
		if (last > extent.maxX) extent.maxX = last;
		if (extent.minY < 0) extent.minY = y;
		extent.maxY = y;
	}
}

/** The smallest box holding every pixel with alpha > 0, or null when every pixel is transparent. */
export function* alphaBoundingBox(image: RgbaImage): Sliced<PixelBox | null> {
	const extent: Extent = { minX: image.width, maxX: -1, minY: -1, maxY: -1 };
	const rowsPerSlice = Math.max(1, Math.floor((ROWS_PER_SLICE * 1024) / image.width));
	for (let y = 0; y < image.height; y += rowsPerSlice) {
		scanRows(image, y, Math.min(image.height, y + rowsPerSlice), extent);
		yield;
	}
	const { minX, maxX, minY, maxY } = extent;
	if (maxY < 0) return null;
	return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Copies `box` out of `image` (the box must lie inside it). */
export function* crop(image: RgbaImage, box: PixelBox): Sliced<RgbaImage> {
	const data = new Uint8Array(box.width * box.height * 4);
	const rowBytes = box.width * 4;
	for (let y = 0; y < box.height; y++) {
		const from = ((box.y + y) * image.width + box.x) * 4;
		data.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
		if (y % ROWS_PER_SLICE === ROWS_PER_SLICE - 1) yield;
	}
	return { width: box.width, height: box.height, data };
}

/** The image cut down to its visible pixels (alpha > 0), or null when nothing is visible. */
export function* trimToAlpha(image: RgbaImage): Sliced<RgbaImage | null> {
	const box = yield* alphaBoundingBox(image);
	if (box === null) return null;
	if (box.width === image.width && box.height === image.height) return image;
	return yield* crop(image, box);
}
