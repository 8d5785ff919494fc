/**
 * Reads a PNG's chunk sequence (W3C PNG spec §5, §11): signature, CRCs, the IHDR, the order rules of PLTE,
 * tRNS, IDAT and IEND, and the critical/ancillary split. Pixels are not touched here.
 */
import { crc32 } from '../checksums';
import { Sliced, ticker } from '../slices';
import { DecodeLimits, DEFAULT_DECODE_LIMITS, ImageFormatError } from '../types';

export interface PngHeader {
	width: number;
	height: number;
	bitDepth: number;
	colorType: number;
	interlaced: boolean;
}

export interface PngChunks {
	header: PngHeader;
	/** PLTE as RGBA entries (alpha from tRNS, else 255); empty when there is no PLTE. */
	palette: Uint8Array;
	paletteCount: number;
	/** The tRNS chunk's bytes for colour types 0 and 2 (the transparent sample values), else undefined. */
	transparentKey?: Uint8Array;
	/** The IDAT chunks' data joined: one zlib stream. */
	zlib: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Bit depths allowed for each colour type (PNG spec §11.2.2). */
const DEPTHS: { [colorType: number]: number[] } = {
	0: [1, 2, 4, 8, 16],
	2: [8, 16],
	3: [1, 2, 4, 8],
	4: [8, 16],
	6: [8, 16],
};
/** CRC work between two yields. */
const SLICE_BYTES = 1 << 18;

function u32(bytes: Uint8Array, at: number): number {
	return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function chunkName(bytes: Uint8Array, at: number): string {
	let name = '';
	for (let i = 0; i < 4; i++) {
		const c = bytes[at + i];
		const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
		if (!letter) throw new ImageFormatError(`The PNG has a chunk at byte ${at - 4} whose type is not four letters`);
		name += String.fromCharCode(c);
	}
	return name;
}

function describeLimit(maxPixels: number): string {
	const side = Math.round(Math.sqrt(maxPixels));
	return side * side === maxPixels ? `${side} × ${side}` : `${maxPixels} pixels`;
}

function checkSignature(bytes: Uint8Array): void {
	if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
		throw new ImageFormatError('The file is not a PNG: its first 8 bytes are not the PNG signature');
	}
}

/** The chunk at `at`: its name, data range and end, after checking that it is whole. */
function chunkAt(bytes: Uint8Array, at: number): { name: string; start: number; end: number } {
	if (at + 8 > bytes.length) throw new ImageFormatError('The PNG is truncated: it ends before its IEND chunk');
	const length = u32(bytes, at);
	const name = chunkName(bytes, at + 4);
	if (length > 0x7fffffff) throw new ImageFormatError(`The PNG's ${name} chunk declares an impossible length`);
	const start = at + 8;
	if (start + length + 4 > bytes.length) throw new ImageFormatError(`The PNG is truncated: the ${name} chunk ends early`);
	return { name, start, end: start + length };
}

function checkCrc(bytes: Uint8Array, name: string, at: number, crc: number): void {
	if (crc !== u32(bytes, at)) throw new ImageFormatError(`The PNG's ${name} chunk fails its CRC check`);
}

function parseHeader(bytes: Uint8Array, limits: DecodeLimits): PngHeader {
	checkSignature(bytes);
	const { name, start, end } = chunkAt(bytes, 8);
	if (name !== 'IHDR') throw new ImageFormatError(`The PNG's first chunk is ${name}, not IHDR`);
	if (end - start !== 13) throw new ImageFormatError(`The PNG's IHDR chunk has ${end - start} bytes, not 13`);
	checkCrc(bytes, name, end, crc32(bytes, start - 4, end));
	const width = u32(bytes, start);
	const height = u32(bytes, start + 4);
	const [bitDepth, colorType, compression, filter, interlace] = bytes.subarray(start + 8, start + 13);
	if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
		throw new ImageFormatError(`The PNG's IHDR says ${width} × ${height} pixels, which is not a valid size`);
	}
	const depths = DEPTHS[colorType];
	if (!depths) throw new ImageFormatError(`The PNG's IHDR has an unknown colour type ${colorType}`);
	if (!depths.includes(bitDepth)) {
		throw new ImageFormatError(`The PNG's IHDR has bit depth ${bitDepth}, not allowed for colour type ${colorType}`);
	}
	if (compression !== 0) throw new ImageFormatError(`The PNG's IHDR has an unknown compression method ${compression}`);
	if (filter !== 0) throw new ImageFormatError(`The PNG's IHDR has an unknown filter method ${filter}`);
	if (interlace > 1) throw new ImageFormatError(`The PNG's IHDR has an unknown interlace method ${interlace}`);
	if (width * height > limits.maxPixels) {
		throw new ImageFormatError(
			`The PNG's IHDR says ${width} × ${height} pixels, more than the ${describeLimit(limits.maxPixels)} allowed`,
		);
	}
	return { width, height, bitDepth, colorType, interlaced: interlace === 1 };
}

/** Checks the signature and IHDR (with its CRC) and the pixel limit; reads nothing else. */
export function readPngHeader(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): PngHeader {
	return parseHeader(bytes, limits);
}

function readPalette(bytes: Uint8Array, start: number, end: number, header: PngHeader): Uint8Array {
	const length = end - start;
	if (length === 0 || length % 3 !== 0 || length > 256 * 3) {
		throw new ImageFormatError(`The PNG's PLTE chunk has ${length} bytes, not 3 to 768 in steps of 3`);
	}
	const count = length / 3;
	if (header.colorType === 3 && count > 1 << header.bitDepth) {
		throw new ImageFormatError(
			`The PNG's PLTE chunk has ${count} entries, more than bit depth ${header.bitDepth} can index`,
		);
	}
	const palette = new Uint8Array(count * 4);
	for (let i = 0; i < count; i++) {
		palette.set(bytes.subarray(start + i * 3, start + i * 3 + 3), i * 4);
		palette[i * 4 + 3] = 255;
	}
	return palette;
}

/** Reads and checks every chunk up to IEND (data after IEND is ignored). */
export function* readChunks(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Sliced<PngChunks> {
	const header = parseHeader(bytes, limits);
	const { colorType } = header;
	let palette: Uint8Array = new Uint8Array(0);
	let transparentKey: Uint8Array | undefined;
	let seenTrns = false;
	const idat: Uint8Array[] = [];
	let idatBytes = 0;
	/** The first chunk after the IDAT run, once that run has ended. */
	let afterIdat = '';
	const tick = ticker(SLICE_BYTES);
	let at = 8 + 25;
	for (;;) {
		const { name, start, end } = chunkAt(bytes, at);
		let crc = crc32(bytes, start - 4, start);
		for (let from = start; from < end; from += SLICE_BYTES) {
			crc = crc32(bytes, from, Math.min(end, from + SLICE_BYTES), crc);
			if (tick(Math.min(end - from, SLICE_BYTES))) yield;
		}
		checkCrc(bytes, name, end, crc);
		// Parsing a chunk costs about as much as a CRC over 256 bytes: a file of many empty chunks still yields.
		if (tick(256)) yield;
		at = end + 4;
		if (idat.length > 0 && name !== 'IDAT' && afterIdat === '') afterIdat = name;
		if (name === 'IEND') break;
		if (name === 'IDAT') {
			if (afterIdat !== '') {
				throw new ImageFormatError(`The PNG's IDAT chunks are not consecutive: a ${afterIdat} chunk comes between them`);
			}
			if (colorType === 3 && palette.length === 0) {
				throw new ImageFormatError('The PNG uses a palette (colour type 3) but has no PLTE chunk before its IDAT');
			}
			idat.push(bytes.subarray(start, end));
			idatBytes += end - start;
		} else if (name === 'PLTE') {
			if (colorType === 0 || colorType === 4) {
				throw new ImageFormatError(`The PNG has a PLTE chunk, which a greyscale PNG (colour type ${colorType}) must not have`);
			}
			if (palette.length > 0) throw new ImageFormatError('The PNG has two PLTE chunks');
			if (idat.length > 0) throw new ImageFormatError('The PNG has its PLTE chunk after its IDAT chunks');
			if (seenTrns) throw new ImageFormatError('The PNG has its PLTE chunk after its tRNS chunk');
			palette = readPalette(bytes, start, end, header);
		} else if (name === 'tRNS') {
			if (colorType === 4 || colorType === 6) {
				throw new ImageFormatError(`The PNG has a tRNS chunk, which colour type ${colorType} (with alpha) must not have`);
			}
			if (seenTrns) throw new ImageFormatError('The PNG has two tRNS chunks');
			if (idat.length > 0) throw new ImageFormatError('The PNG has its tRNS chunk after its IDAT chunks');
			seenTrns = true;
			const length = end - start;
			if (colorType === 3) {
				if (palette.length === 0) throw new ImageFormatError('The PNG has its tRNS chunk before its PLTE chunk');
				if (length > palette.length / 4) {
					throw new ImageFormatError(`The PNG's tRNS chunk has ${length} entries, more than its palette's ${palette.length / 4}`);
				}
				for (let i = 0; i < length; i++) palette[i * 4 + 3] = bytes[start + i];
			} else {
				const expected = colorType === 0 ? 2 : 6;
				if (length !== expected) {
					throw new ImageFormatError(`The PNG's tRNS chunk has ${length} bytes, not ${expected} for colour type ${colorType}`);
				}
				transparentKey = bytes.slice(start, end);
			}
		} else if (name === 'IHDR') {
			throw new ImageFormatError('The PNG has a second IHDR chunk');
		} else if ((bytes[start - 4] & 0x20) === 0) {
			throw new ImageFormatError(`The PNG has an unknown critical chunk ${name}, so it cannot be read`);
		}
		// Anything else is an ancillary chunk (gAMA, iCCP, tEXt, ...): skipped, pixels are decoded raw.
	}
	if (idat.length === 0) throw new ImageFormatError('The PNG has no IDAT chunk (no image data)');
	let zlib: Uint8Array = idat[0];
	if (idat.length > 1) {
		zlib = new Uint8Array(idatBytes);
		let offset = 0;
		for (const part of idat) {
			zlib.set(part, offset);
			offset += part.length;
		}
	}
	return { header, palette, paletteCount: palette.length / 4, transparentKey, zlib };
}
