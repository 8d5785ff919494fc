/**
 * A PNG's metadata chunks: text (tEXt, zTXt, iTXt, where XMP also lives), eXIf (with the orientation) and
 * tIME, and the file without them. Every other chunk is copied as it is, CRC included, so colour chunks (iCCP,
 * sRGB, gAMA, cHRM) stay.
 */
import { ImageFormatError } from '../types';
import { readExif } from './exif';

export interface PngMetadata {
	orientation: number;
	removable: string[];
	/** The compressed iCCP profile (zlib stream), if any. */
	iccCompressed?: Uint8Array;
	keep: Array<[number, number]>;
}

const DROPPED: Record<string, string> = { tEXt: 'text', zTXt: 'text', iTXt: 'text', eXIf: 'EXIF', tIME: 'tIME' };

function chunkType(bytes: Uint8Array, at: number): string {
	return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/** Walks the chunks up to IEND (the PNG decoder checks them in full). */
export function readPngMetadata(bytes: Uint8Array): PngMetadata {
	const removable = new Set<string>();
	const keep: Array<[number, number]> = [[0, 8]];
	let orientation = 1;
	let iccCompressed: Uint8Array | undefined;
	let pos = 8;
	for (;;) {
		if (pos + 12 > bytes.length) throw new ImageFormatError('The PNG is truncated: it ends before its IEND chunk');
		const length = ((bytes[pos] << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]) >>> 0;
		const type = chunkType(bytes, pos + 4);
		const end = pos + 12 + length;
		if (end > bytes.length) throw new ImageFormatError(`The PNG is truncated: its ${type} chunk ends early`);
		const data = bytes.subarray(pos + 8, pos + 8 + length);
		const dropped = DROPPED[type];
		if (dropped) {
			if (type === 'eXIf') {
				const exif = readExif(data);
				orientation = exif.orientation;
				if (exif.gps) removable.add('GPS');
			}
			if (type === 'iTXt' && chunkType(data, 0) === 'XML:' && String.fromCharCode(...data.subarray(0, 17)) === 'XML:com.adobe.xmp') removable.add('XMP');
			else removable.add(dropped);
		} else keep.push([pos, end]);
		if (type === 'iCCP') {
			const nul = data.indexOf(0);
			if (nul > 0 && nul + 2 <= data.length) iccCompressed = data.subarray(nul + 2);
		}
		pos = end;
		if (type === 'IEND') break;
	}
	if (pos < bytes.length) removable.add('data after the image');
	return { orientation, removable: [...removable], iccCompressed, keep };
}

export function stripPng(bytes: Uint8Array, metadata: PngMetadata): Uint8Array {
	const out = new Uint8Array(metadata.keep.reduce((n, [a, b]) => n + b - a, 0));
	let at = 0;
	for (const [from, to] of metadata.keep) {
		out.set(bytes.subarray(from, to), at);
		at += to - from;
	}
	return out;
}
