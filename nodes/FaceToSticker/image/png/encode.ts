/**
 * PNG encoder (W3C PNG spec, non-interlaced). An RgbaImage becomes truecolour with alpha (colour type 6), or
 * truecolour (type 2) when every pixel is opaque, with adaptively filtered rows. An IndexedImage becomes a
 * palette image (type 3) at the smallest bit depth its palette allows, with PLTE and a tRNS as short as the
 * palette order allows, and unfiltered rows.
 */
import { crc32 } from '../checksums';
import { Sliced, ticker } from '../slices';
import { ImageFormatError, IndexedImage, RgbaImage } from '../types';
import { deflateZlib } from '../zlib/deflate';
import { filterScanlines } from './filters';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const MAX_IDAT_BYTES = 1 << 18;
const MAX_DIMENSION = 0x7fffffff;
const PIXELS_PER_SLICE = 1 << 16;

interface Chunk {
	type: string;
	data: Uint8Array;
}

interface Scanlines {
	rows: Uint8Array;
	rowBytes: number;
	bpp: number;
	bitDepth: number;
	colourType: number;
	chunks: Chunk[];
}

/** Encodes `image` as a PNG file. */
export function* encodePng(image: RgbaImage | IndexedImage): Sliced<Uint8Array> {
	checkDimensions(image.width, image.height);
	const lines = 'indices' in image ? yield* indexedScanlines(image) : yield* truecolourScanlines(image);
	const filtered = yield* filterScanlines(lines.rows, lines.rowBytes, image.height, lines.bpp, lines.colourType !== 3);
	const compressed = yield* deflateZlib(filtered);
	const header = new Uint8Array(13);
	writeUint32(header, 0, image.width);
	writeUint32(header, 4, image.height);
	header[8] = lines.bitDepth;
	header[9] = lines.colourType;
	// Bytes 10-12: compression method 0, filter method 0, no interlace.
	const chunks: Chunk[] = [{ type: 'IHDR', data: header }, ...lines.chunks];
	for (let start = 0; start < compressed.length; start += MAX_IDAT_BYTES) {
		chunks.push({ type: 'IDAT', data: compressed.subarray(start, start + MAX_IDAT_BYTES) });
	}
	chunks.push({ type: 'IEND', data: new Uint8Array(0) });
	return yield* assemble(chunks);
}

function checkDimensions(width: number, height: number): void {
	const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_DIMENSION;
	if (!valid(width) || !valid(height)) {
		throw new ImageFormatError(`A PNG cannot be ${width} × ${height} pixels: both sides must be whole numbers from 1`);
	}
}

function* truecolourScanlines(image: RgbaImage): Sliced<Scanlines> {
	const { width, height, data } = image;
	if (data.length !== width * height * 4) {
		throw new ImageFormatError(
			`The image to encode has ${data.length} bytes of pixels, but ${width} × ${height} RGBA needs ${width * height * 4}`,
		);
	}
	const tick = ticker(PIXELS_PER_SLICE);
	let opaque = true;
	for (let i = 3; i < data.length && opaque; i += 4 * PIXELS_PER_SLICE) {
		const end = Math.min(data.length, i + 4 * PIXELS_PER_SLICE);
		for (let j = i; j < end; j += 4) {
			if (data[j] !== 255) {
				opaque = false;
				break;
			}
		}
		yield;
	}
	if (!opaque) return { rows: data, rowBytes: width * 4, bpp: 4, bitDepth: 8, colourType: 6, chunks: [] };
	const rgb = new Uint8Array(width * height * 3);
	for (let y = 0; y < height; y++) {
		for (let p = y * width * 4, q = y * width * 3, end = p + width * 4; p < end; p += 4, q += 3) {
			rgb[q] = data[p];
			rgb[q + 1] = data[p + 1];
			rgb[q + 2] = data[p + 2];
		}
		if (tick(width)) yield;
	}
	return { rows: rgb, rowBytes: width * 3, bpp: 3, bitDepth: 8, colourType: 2, chunks: [] };
}

function* indexedScanlines(image: IndexedImage): Sliced<Scanlines> {
	const { width, height, palette, indices } = image;
	const entries = palette.length / 4;
	if (!Number.isInteger(entries) || entries < 1 || entries > 256) {
		throw new ImageFormatError(
			`The palette to encode has ${palette.length} bytes; it must hold 1 to 256 RGBA entries of 4 bytes`,
		);
	}
	if (indices.length !== width * height) {
		throw new ImageFormatError(
			`The indexed image to encode has ${indices.length} indices, but ${width} × ${height} needs ${width * height}`,
		);
	}
	const order = paletteOrder(palette, entries);
	const remap = new Uint8Array(256);
	for (let i = 0; i < entries; i++) remap[order[i]] = i;
	const plte = new Uint8Array(entries * 3);
	let transparent = 0;
	for (let i = 0; i < entries; i++) {
		const p = order[i] * 4;
		plte.set(palette.subarray(p, p + 3), i * 3);
		if (palette[p + 3] !== 255) transparent = i + 1;
	}
	const trns = new Uint8Array(transparent);
	for (let i = 0; i < transparent; i++) trns[i] = palette[order[i] * 4 + 3];
	const bitDepth = entries <= 2 ? 1 : entries <= 4 ? 2 : entries <= 16 ? 4 : 8;
	const perByte = 8 / bitDepth;
	const rowBytes = Math.ceil(width / perByte);
	const rows = new Uint8Array(rowBytes * height);
	const tick = ticker(PIXELS_PER_SLICE);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const index = indices[y * width + x];
			if (index >= entries) {
				throw new ImageFormatError(
					`Pixel (${x}, ${y}) of the indexed image uses palette entry ${index}, but the palette has ${entries}`,
				);
			}
			// Leftmost pixel in the most significant bits (PNG spec §7.2).
			const shift = 8 - bitDepth * ((x % perByte) + 1);
			rows[y * rowBytes + ((x * bitDepth) >> 3)] |= remap[index] << shift;
		}
		if (tick(width)) yield;
	}
	const chunks: Chunk[] = [{ type: 'PLTE', data: plte }];
	if (transparent > 0) chunks.push({ type: 'tRNS', data: trns });
	return { rows, rowBytes, bpp: 1, bitDepth, colourType: 3, chunks };
}

/**
 * Old palette index of each new entry: unchanged, unless moving the non-opaque entries to the front (in their
 * order) shortens tRNS, which must reach the last non-opaque entry.
 */
function paletteOrder(palette: Uint8Array, entries: number): Uint8Array {
	const order = new Uint8Array(entries);
	let nonOpaque = 0;
	let lastNonOpaque = -1;
	for (let i = 0; i < entries; i++) {
		order[i] = i;
		if (palette[i * 4 + 3] !== 255) {
			nonOpaque++;
			lastNonOpaque = i;
		}
	}
	if (nonOpaque === lastNonOpaque + 1) return order;
	let front = 0;
	let back = nonOpaque;
	for (let i = 0; i < entries; i++) {
		if (palette[i * 4 + 3] !== 255) order[front++] = i;
		else order[back++] = i;
	}
	return order;
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
	bytes[offset] = value >>> 24;
	bytes[offset + 1] = (value >>> 16) & 0xff;
	bytes[offset + 2] = (value >>> 8) & 0xff;
	bytes[offset + 3] = value & 0xff;
}

/** Signature, then each chunk as length, type, data and the CRC-32 of type and data. */
function* assemble(chunks: Chunk[]): Sliced<Uint8Array> {
	let size = SIGNATURE.length;
	for (const chunk of chunks) size += 12 + chunk.data.length;
	const file = new Uint8Array(size);
	file.set(SIGNATURE, 0);
	let offset = SIGNATURE.length;
	for (const chunk of chunks) {
		writeUint32(file, offset, chunk.data.length);
		for (let i = 0; i < 4; i++) file[offset + 4 + i] = chunk.type.charCodeAt(i);
		file.set(chunk.data, offset + 8);
		const end = offset + 8 + chunk.data.length;
		writeUint32(file, end, crc32(file, offset + 4, end));
		offset = end + 4;
		if (chunk.data.length >= MAX_IDAT_BYTES >> 2) yield;
	}
	return file;
}
