/**
 * The 8 EXIF orientations (EXIF 2.3, tag 0x0112): how the stored pixels must be turned so the picture shows
 * upright. 1 is as stored; 2 mirrored left-right; 3 turned 180°; 4 mirrored top-bottom; 5 mirrored along the
 * main diagonal (transpose); 6 turned 90° clockwise; 7 mirrored along the other diagonal (transverse); 8 turned
 * 90° counter-clockwise.
 */
import { Sliced, ticker } from '../slices';
import type { RgbaImage } from '../types';

/** Pixels moved between two yields. */
const SLICE_PIXELS = 1 << 17;

/** Width and height of the upright picture. */
export function orientedSize(width: number, height: number, orientation: number): { width: number; height: number } {
	return orientation >= 5 && orientation <= 8 ? { width: height, height: width } : { width, height };
}

/** The stored picture turned upright (a copy; orientation 1 or an unknown value returns `image` itself). */
export function* applyOrientation(image: RgbaImage, orientation: number): Sliced<RgbaImage> {
	if (orientation < 2 || orientation > 8) return image;
	const { width: w, height: h } = image;
	// Whole pixels as 32-bit words (a copy first if the bytes are not 4-byte aligned).
	const bytes = image.data.byteOffset % 4 === 0 ? image.data : image.data.slice();
	const src = new Uint32Array(bytes.buffer, bytes.byteOffset, w * h);
	const size = orientedSize(w, h, orientation);
	const data = new Uint8Array(w * h * 4);
	const dst = new Uint32Array(data.buffer);
	// Source index of output pixel (0, Y) and the source steps for X + 1 and for Y + 1.
	let origin: number;
	let stepX: number;
	let stepY: number;
	switch (orientation) {
		case 2:
			[origin, stepX, stepY] = [w - 1, -1, w];
			break;
		case 3:
			[origin, stepX, stepY] = [w * h - 1, -1, -w];
			break;
		case 4:
			[origin, stepX, stepY] = [(h - 1) * w, 1, -w];
			break;
		case 5:
			[origin, stepX, stepY] = [0, w, 1];
			break;
		case 6:
			[origin, stepX, stepY] = [(h - 1) * w, -w, 1];
			break;
		case 7:
			[origin, stepX, stepY] = [w * h - 1, -w, -1];
			break;
		default:
			[origin, stepX, stepY] = [w - 1, w, -1];
	}
	const tick = ticker(SLICE_PIXELS);
	for (let y = 0, o = 0; y < size.height; y++) {
		let s = origin + y * stepY;
		for (let x = 0; x < size.width; x++, o++, s += stepX) dst[o] = src[s];
		if (tick(size.width)) yield;
	}
	return { ...size, data };
}
