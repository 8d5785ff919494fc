/**
 * A JPEG's metadata: what its segments carry (EXIF with the orientation, XMP, IPTC, comments, MPF and other
 * application segments, data after the end marker), and the same file without them. Kept: JFIF APP0, the ICC
 * profile (APP2 ICC_PROFILE, so colours keep their meaning; a profile names a colour space, not a person or
 * place), Adobe APP14 (it says how the colours are stored) and every segment the picture needs. The scan data
 * is copied byte for byte.
 */
import type { Sliced } from '../slices';
import { ImageFormatError } from '../types';
import { COM, EOI, readSegment, Segment, SOS } from '../jpeg/segments';
import { readExif } from './exif';

export interface JpegMetadata {
	/** EXIF orientation 1-8 (1 when there is none). */
	orientation: number;
	/** Names of what stripping removes, e.g. ['EXIF', 'GPS', 'XMP', 'COM']. */
	removable: string[];
	/** The ICC profile from the APP2 ICC_PROFILE segments in order, if any. */
	iccProfile?: Uint8Array;
	/** Segments (and entropy-coded data between them) to keep, as [start, end) ranges, in order. */
	keep: Array<[number, number]>;
}

const EXIF_ID = 'Exif\0\0';
const XMP_IDS = ['http://ns.adobe.com/xap/1.0/\0', 'http://ns.adobe.com/xmp/extension/\0'];
const ICC_ID = 'ICC_PROFILE\0';

function tagged(bytes: Uint8Array, segment: Segment, tag: string): boolean {
	if (segment.end - segment.dataStart < tag.length) return false;
	for (let i = 0; i < tag.length; i++) if (bytes[segment.dataStart + i] !== tag.charCodeAt(i)) return false;
	return true;
}

/** Bytes of image data searched between two yields (indexOf is native: about a millisecond). */
const SLICE_BYTES = 1 << 21;

/** Where the entropy-coded data that starts at `pos` ends: the next marker other than RSTn. */
function* scanEnd(bytes: Uint8Array, pos: number): Sliced<number> {
	let sliceEnd = pos + SLICE_BYTES;
	for (pos = bytes.indexOf(0xff, pos); pos >= 0 && pos + 1 < bytes.length; pos = bytes.indexOf(0xff, pos + 1)) {
		const next = bytes[pos + 1];
		if (next !== 0 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return pos;
		if (pos > sliceEnd) {
			sliceEnd = pos + SLICE_BYTES;
			yield;
		}
	}
	throw new ImageFormatError('The JPEG is truncated: it ends before its end marker (EOI)');
}

/** Walks every segment to EOI, sorting what stays from what goes. */
export function* readJpegMetadata(bytes: Uint8Array): Sliced<JpegMetadata> {
	const removable = new Set<string>();
	const keep: Array<[number, number]> = [[0, 2]];
	const iccParts: Array<{ index: number; data: Uint8Array }> = [];
	let orientation = 0;
	let pos = 2;
	for (;;) {
		const segment = readSegment(bytes, pos);
		const { marker } = segment;
		let dropped: string | null = null;
		if (marker === 0xe1) {
			if (tagged(bytes, segment, EXIF_ID)) {
				dropped = 'EXIF';
				if (orientation === 0) {
					const exif = readExif(bytes.subarray(segment.dataStart + EXIF_ID.length, segment.end));
					orientation = exif.orientation;
					if (exif.gps) removable.add('GPS');
				}
			} else dropped = XMP_IDS.some((id) => tagged(bytes, segment, id)) ? 'XMP' : 'APP1';
		} else if (marker === 0xe0) {
			if (!tagged(bytes, segment, 'JFIF\0')) dropped = 'APP0';
		} else if (marker === 0xe2) {
			if (tagged(bytes, segment, ICC_ID) && segment.end - segment.dataStart > ICC_ID.length + 2) {
				const at = segment.dataStart + ICC_ID.length;
				iccParts.push({ index: bytes[at], data: bytes.subarray(at + 2, segment.end) });
			} else dropped = tagged(bytes, segment, 'MPF\0') ? 'MPF' : 'APP2';
		} else if (marker === 0xed) dropped = 'IPTC';
		else if (marker === 0xee) dropped = tagged(bytes, segment, 'Adobe') ? null : 'APP14';
		else if (marker >= 0xe3 && marker <= 0xef) dropped = `APP${marker - 0xe0}`;
		else if (marker === COM) dropped = 'COM';
		if (dropped) removable.add(dropped);
		if (marker === SOS) {
			const end = yield* scanEnd(bytes, segment.end);
			keep.push([segment.start, end]);
			pos = end;
			continue;
		}
		if (!dropped) keep.push([segment.start, segment.end]);
		pos = segment.end;
		if (marker === EOI) break;
	}
	// Phones append further pictures (MPF depth maps, gain maps) and vendor data after EOI.
	if (pos < bytes.length) removable.add('data after the image');
	iccParts.sort((a, b) => a.index - b.index);
	const iccProfile = iccParts.length > 0 ? joinParts(iccParts.map((p) => p.data)) : undefined;
	return { orientation: orientation || 1, removable: [...removable], iccProfile, keep };
}

function joinParts(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** The file with only the kept ranges. */
export function stripJpeg(bytes: Uint8Array, metadata: JpegMetadata): Uint8Array {
	return joinParts(metadata.keep.map(([from, to]) => bytes.subarray(from, to)));
}
