/**
 * WebP lossless encoder (RFC 9649): a RIFF "WEBP" file with one "VP8L" chunk. Photos go through subtract
 * green and the predictor transform; images of at most 256 colours through colour indexing (tried for RGBA
 * input too, keeping the smaller file).
 */
import { BitWriter } from '../bitWriter';
import type { Sliced } from '../slices';
import { ImageFormatError } from '../types';
import type { IndexedImage, RgbaImage } from '../types';
import { MAX_CACHE_BITS, writeImageStream } from './entropy';
import { predictorTransform } from './predictor';
import { bundleBits, bundlePixels, collectPalette, indexPixels, paletteDeltas, subtractGreen } from './transforms';

export const MAX_WEBP_DIMENSION = 16384;
const VP8L_SIGNATURE = 0x2f;
const PREDICTOR_TRANSFORM = 0;
const SUBTRACT_GREEN_TRANSFORM = 2;
const COLOR_INDEXING_TRANSFORM = 3;
const PREDICTOR_BITS = 3;
const MAIN_CACHE_BITS = Array.from({ length: MAX_CACHE_BITS + 1 }, (_, bits) => bits);
/** Transform data (predictor modes, palette): small, so no colour cache is tried. */
const SUB_IMAGE = { isMain: false, cacheBits: [0], minCopy: 3 };

function isIndexed(image: RgbaImage | IndexedImage): image is IndexedImage {
	return (image as IndexedImage).indices !== undefined;
}

/** RGBA bytes as ARGB words, the form VP8L works on. */
export function rgbaToArgb(data: Uint8Array, pixelCount: number): Uint32Array {
	const out = new Uint32Array(pixelCount);
	for (let i = 0, p = 0; i < pixelCount; i++, p += 4) {
		out[i] = ((data[p + 3] << 24) | (data[p] << 16) | (data[p + 1] << 8) | data[p + 2]) >>> 0;
	}
	return out;
}

function checkSize(width: number, height: number): void {
	const fits = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_WEBP_DIMENSION;
	if (!fits(width) || !fits(height)) {
		throw new ImageFormatError(
			`A lossless WebP can be 1 to ${MAX_WEBP_DIMENSION} pixels wide and high; this image is ${width} × ${height}`,
		);
	}
}

function writeHeader(writer: BitWriter, width: number, height: number, hasAlpha: boolean): void {
	writer.write(VP8L_SIGNATURE, 8);
	writer.write(width - 1, 14);
	writer.write(height - 1, 14);
	writer.write(hasAlpha ? 1 : 0, 1);
	writer.write(0, 3);
}

function usesAlpha(pixels: Uint32Array): boolean {
	for (let i = 0; i < pixels.length; i++) if (pixels[i] < 0xff000000) return true;
	return false;
}

function* encodeSpatial(pixels: Uint32Array, width: number, height: number): Sliced<Uint8Array> {
	const writer = new BitWriter(pixels.length + 1024);
	writeHeader(writer, width, height, usesAlpha(pixels));
	writer.write(1, 1);
	writer.write(SUBTRACT_GREEN_TRANSFORM, 2);
	const greenless = subtractGreen(pixels);
	yield;
	const predicted = yield* predictorTransform(greenless, width, height, PREDICTOR_BITS);
	writer.write(1, 1);
	writer.write(PREDICTOR_TRANSFORM, 2);
	writer.write(PREDICTOR_BITS - 2, 3);
	yield* writeImageStream(writer, predicted.modes, predicted.modesWidth, SUB_IMAGE);
	writer.write(0, 1);
	yield* writeImageStream(writer, predicted.residuals, width, { isMain: true, cacheBits: MAIN_CACHE_BITS, minCopy: 4 });
	return writer.finish();
}

function* encodePalette(
	palette: Uint32Array,
	indices: Uint8Array,
	width: number,
	height: number,
	hasAlpha: boolean,
): Sliced<Uint8Array> {
	const writer = new BitWriter(indices.length + 1024);
	writeHeader(writer, width, height, hasAlpha);
	writer.write(1, 1);
	writer.write(COLOR_INDEXING_TRANSFORM, 2);
	writer.write(palette.length - 1, 8);
	yield* writeImageStream(writer, paletteDeltas(palette), palette.length, SUB_IMAGE);
	const widthBits = bundleBits(palette.length);
	const { packed, packedWidth } = bundlePixels(indices, width, height, widthBits);
	yield;
	writer.write(0, 1);
	yield* writeImageStream(writer, packed, packedWidth, { isMain: true, cacheBits: MAIN_CACHE_BITS, minCopy: 3 });
	return writer.finish();
}

/** Wraps a VP8L bitstream in the RIFF container, padding the chunk to an even size. */
export function riffContainer(vp8l: Uint8Array): Uint8Array {
	const padded = vp8l.length + (vp8l.length & 1);
	const file = new Uint8Array(20 + padded);
	const view = new DataView(file.buffer);
	const ascii = (offset: number, text: string) => {
		for (let i = 0; i < 4; i++) file[offset + i] = text.charCodeAt(i);
	};
	ascii(0, 'RIFF');
	view.setUint32(4, 12 + padded, true);
	ascii(8, 'WEBP');
	ascii(12, 'VP8L');
	view.setUint32(16, vp8l.length, true);
	file.set(vp8l, 20);
	return file;
}

function* encodeIndexed(image: IndexedImage): Sliced<Uint8Array> {
	const size = image.palette.length >> 2;
	if (size < 1 || size > 256 || image.palette.length % 4 !== 0) {
		throw new ImageFormatError(`The palette has ${image.palette.length / 4} entries; a WebP palette holds 1 to 256`);
	}
	const pixelCount = image.width * image.height;
	if (image.indices.length !== pixelCount) {
		throw new ImageFormatError(`The image has ${image.indices.length} palette indices for ${pixelCount} pixels`);
	}
	const palette = rgbaToArgb(image.palette, size);
	let hasAlpha = false;
	for (let i = 0; i < pixelCount; i++) {
		const index = image.indices[i];
		if (index >= size) throw new ImageFormatError(`Pixel ${i} uses palette index ${index}, but the palette has ${size} entries`);
		if (palette[index] < 0xff000000) hasAlpha = true;
	}
	return yield* encodePalette(palette, image.indices, image.width, image.height, hasAlpha);
}

function* encodeRgba(image: RgbaImage): Sliced<Uint8Array> {
	const pixelCount = image.width * image.height;
	if (image.data.length !== pixelCount * 4) {
		throw new ImageFormatError(`The image has ${image.data.length} bytes of RGBA for ${pixelCount} pixels`);
	}
	const pixels = rgbaToArgb(image.data, pixelCount);
	yield;
	const spatial = yield* encodeSpatial(pixels, image.width, image.height);
	const palette = collectPalette(pixels);
	if (palette === null) return spatial;
	yield;
	const indices = indexPixels(pixels, palette);
	yield;
	const indexed = yield* encodePalette(palette, indices, image.width, image.height, usesAlpha(palette));
	return indexed.length < spatial.length ? indexed : spatial;
}

/** A complete lossless .webp file holding exactly the pixels of `image` (RGB under alpha 0 included). */
export function* encodeWebpLossless(image: RgbaImage | IndexedImage): Sliced<Uint8Array> {
	checkSize(image.width, image.height);
	const vp8l = isIndexed(image) ? yield* encodeIndexed(image) : yield* encodeRgba(image);
	return riffContainer(vp8l);
}
