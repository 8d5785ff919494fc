import type { IndexedImage, RgbaImage } from '../../nodes/FaceToSticker/image/types';

/** An RGBA image whose pixel (x, y) is `pixel(x, y)`. */
export function image(width: number, height: number, pixel: (x: number, y: number) => number[]): RgbaImage {
	const data = new Uint8Array(width * height * 4);
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
	return { width, height, data };
}

/** The straight RGBA an image shows: its own data, or each index's palette entry. */
export function rgbaOf(input: RgbaImage | IndexedImage): Uint8Array {
	if (!('indices' in input)) return input.data;
	const out = new Uint8Array(input.indices.length * 4);
	input.indices.forEach((index, i) => out.set(input.palette.subarray(4 * index, 4 * index + 4), 4 * i));
	return out;
}
