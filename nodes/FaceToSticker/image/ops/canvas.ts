import type { RgbaImage } from '../types';
import type { Sliced } from '../slices';

const ROWS_PER_SLICE = 64;

/**
 * Puts `image` in the middle of a transparent `width` × `height` canvas (odd leftovers go right and down).
 * The canvas must be at least as large as the image.
 */
export function* placeCentred(image: RgbaImage, width: number, height: number): Sliced<RgbaImage> {
	if (image.width > width || image.height > height) {
		throw new Error(`placeCentred: a ${image.width} × ${image.height} image does not fit ${width} × ${height}`);
	}
	if (image.width === width && image.height === height) return image;
	const left = Math.floor((width - image.width) / 2);
	const top = Math.floor((height - image.height) / 2);
	// A new Uint8Array is zero: transparent black, so no fringe colour can appear around the sticker.
	const data = new Uint8Array(width * height * 4);
	const rowBytes = image.width * 4;
	for (let y = 0; y < image.height; y++) {
		const from = y * rowBytes;
		data.set(image.data.subarray(from, from + rowBytes), ((top + y) * width + left) * 4);
		if (y % ROWS_PER_SLICE === ROWS_PER_SLICE - 1) yield;
	}
	return { width, height, data };
}
