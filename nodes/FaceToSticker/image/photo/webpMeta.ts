/**
 * A WebP's size and metadata (RIFF container, RFC 9649 §2.7): the EXIF and XMP chunks are dropped and the VP8X
 * header's flags for them cleared, the RIFF size fixed; image chunks (VP8, VP8L, ALPH, ANIM/ANMF) and the ICC
 * profile are copied as they are. The pixels are not decoded.
 */
import { ImageFormatError } from '../types';
import { readExif } from './exif';

export interface WebpInfo {
	width: number;
	height: number;
	/** EXIF orientation found (not applied: the WebP is sent as it is). */
	orientation: number;
	removable: string[];
	keep: Array<[number, number]>;
	/** Offset of the VP8X chunk's flags byte in the input, or -1. */
	vp8xFlags: number;
}

const u24 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32 = (b: Uint8Array, at: number): number => (u24(b, at) | (b[at + 3] << 24)) >>> 0;

export function readWebp(bytes: Uint8Array): WebpInfo {
	if (bytes.length < 20) throw new ImageFormatError('The WebP is truncated: it ends inside its header');
	const riffEnd = Math.min(bytes.length, 8 + u32(bytes, 4));
	const removable = new Set<string>();
	const keep: Array<[number, number]> = [];
	let width = 0;
	let height = 0;
	let orientation = 1;
	let vp8xFlags = -1;
	for (let pos = 12; pos + 8 <= riffEnd; ) {
		const type = String.fromCharCode(bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]);
		const size = u32(bytes, pos + 4);
		const dataAt = pos + 8;
		const end = dataAt + size + (size & 1);
		if (dataAt + size > bytes.length) throw new ImageFormatError(`The WebP is truncated: its ${type.trim()} chunk ends early`);
		if (type === 'VP8X' && size >= 10) {
			vp8xFlags = dataAt;
			width = u24(bytes, dataAt + 4) + 1;
			height = u24(bytes, dataAt + 7) + 1;
		} else if (type === 'VP8 ' && size >= 10 && width === 0) {
			width = (bytes[dataAt + 6] | (bytes[dataAt + 7] << 8)) & 0x3fff;
			height = (bytes[dataAt + 8] | (bytes[dataAt + 9] << 8)) & 0x3fff;
		} else if (type === 'VP8L' && size >= 5 && width === 0) {
			const bits = u32(bytes, dataAt + 1);
			width = (bits & 0x3fff) + 1;
			height = ((bits >>> 14) & 0x3fff) + 1;
		}
		if (type === 'EXIF') {
			removable.add('EXIF');
			const exif = bytes.subarray(dataAt, dataAt + size);
			// Some writers keep JPEG's "Exif\0\0" prefix.
			const summary = readExif(exif[0] === 0x45 && exif[1] === 0x78 ? exif.subarray(6) : exif);
			orientation = summary.orientation;
			if (summary.gps) removable.add('GPS');
		} else if (type === 'XMP ') removable.add('XMP');
		else keep.push([pos, Math.min(end, bytes.length)]);
		pos = end;
	}
	if (width === 0 || height === 0) throw new ImageFormatError('The WebP holds no image chunk (VP8, VP8L or VP8X) that gives its size');
	if (riffEnd < bytes.length) removable.add('data after the image');
	return { width, height, orientation, removable: [...removable], keep, vp8xFlags };
}

/** The WebP without EXIF and XMP: VP8X flags cleared for them, RIFF size recomputed. */
export function stripWebp(bytes: Uint8Array, info: WebpInfo): Uint8Array {
	const body = info.keep.reduce((n, [a, b]) => n + b - a, 0);
	const out = new Uint8Array(12 + body);
	out.set(bytes.subarray(0, 12));
	const size = 4 + body;
	out[4] = size & 0xff;
	out[5] = (size >>> 8) & 0xff;
	out[6] = (size >>> 16) & 0xff;
	out[7] = (size >>> 24) & 0xff;
	let at = 12;
	for (const [from, to] of info.keep) {
		out.set(bytes.subarray(from, to), at);
		if (from + 8 === info.vp8xFlags) out[at + 8] &= ~0x0c; // EXIF (bit 3) and XMP (bit 2) flags
		at += to - from;
	}
	return out;
}
