/**
 * Writes a ZIP archive (PKWARE APPNOTE 6.3.x) from in-memory files: each entry stored or deflated, then the
 * central directory. Deterministic: the same entries and timestamp give the same bytes. No zip64, so an
 * archive holds at most MAX_ZIP_ENTRIES entries and MAX_ZIP_BYTES bytes; both are checked before any work.
 */
import { crc32 } from '../checksums';
import type { Sliced } from '../slices';
import { ImageFormatError } from '../types';
import { deflateRaw } from './deflateRaw';
import { zipEntryName } from './names';
import {
	CENTRAL_HEADER_BYTES,
	centralHeader,
	DEFAULT_ZIP_TIMESTAMP,
	dosDateTime,
	END_RECORD_BYTES,
	endRecord,
	EntryRecord,
	LOCAL_HEADER_BYTES,
	localHeader,
	METHOD_CODE,
	ZipTimestamp,
} from './records';

export type { ZipTimestamp } from './records';

export interface ZipEntry {
	name: string;
	bytes: Uint8Array;
	/** Default: store files that are compressed already (PNG, WebP, JPEG, GIF, ZIP, gzip), else deflate when that saves bytes. */
	method?: 'deflate' | 'store';
}

/** 0xFFFF in the end record's count tells readers to look for a zip64 record, so the count stops one below. */
export const MAX_ZIP_ENTRIES = 0xfffe;
/** Likewise 0xFFFFFFFF in a size or offset field. */
export const MAX_ZIP_BYTES = 0xfffffffe;
const CRC_BYTES_PER_SLICE = 1 << 18;
const COPY_BYTES_PER_SLICE = 1 << 22;

export function* writeZip(entries: ZipEntry[], modified: ZipTimestamp = DEFAULT_ZIP_TIMESTAMP): Sliced<Uint8Array> {
	const { time, date } = dosDateTime(modified);
	const names = checkEntries(entries);
	const parts: Uint8Array[] = [];
	const records: EntryRecord[] = [];
	let offset = 0;
	for (let i = 0; i < entries.length; i++) {
		const { bytes } = entries[i];
		let crc = 0;
		for (let start = 0; start < bytes.length; start += CRC_BYTES_PER_SLICE) {
			crc = crc32(bytes, start, Math.min(bytes.length, start + CRC_BYTES_PER_SLICE), crc);
			yield;
		}
		const body = yield* entryBody(entries[i]);
		const record: EntryRecord = {
			name: names[i],
			method: body === bytes ? METHOD_CODE.store : METHOD_CODE.deflate,
			time,
			date,
			crc,
			compressedSize: body.length,
			size: bytes.length,
			offset,
		};
		records.push(record);
		const header = localHeader(record);
		parts.push(header, body);
		offset += header.length + body.length;
	}
	const directoryOffset = offset;
	for (const record of records) {
		const header = centralHeader(record);
		parts.push(header);
		offset += header.length;
	}
	parts.push(endRecord(records.length, offset - directoryOffset, directoryOffset));
	offset += END_RECORD_BYTES;
	// An explicit deflate of random bytes can grow a little past the estimate checkEntries made.
	if (offset > MAX_ZIP_BYTES) throw tooLarge(offset);
	return yield* concat(parts, offset);
}

/** Names encoded and checked, count and worst-case size checked, before anything is compressed. */
function checkEntries(entries: ZipEntry[]): Uint8Array[] {
	if (entries.length > MAX_ZIP_ENTRIES) {
		throw new ImageFormatError(`A ZIP file without zip64 holds at most ${MAX_ZIP_ENTRIES} entries; ${entries.length} were given`);
	}
	const seen = new Set<string>();
	let worstCase = END_RECORD_BYTES;
	const names = entries.map((entry) => {
		if (seen.has(entry.name)) throw new ImageFormatError(`Two ZIP entries are named ${JSON.stringify(entry.name)}: each name must be unique`);
		seen.add(entry.name);
		const name = zipEntryName(entry.name);
		const size = entry.bytes.length;
		if (size > MAX_ZIP_BYTES) throw tooLarge(size, entry.name);
		// Deflate never grows past stored blocks' 5 bytes per 64 KB (zlib's deflateBound is looser still).
		const body = entry.method === 'deflate' ? size + Math.ceil(size / 4096) + 16 : size;
		worstCase += LOCAL_HEADER_BYTES + CENTRAL_HEADER_BYTES + 2 * name.length + body;
		return name;
	});
	if (worstCase > MAX_ZIP_BYTES) throw tooLarge(worstCase);
	return names;
}

function tooLarge(bytes: number, entry?: string): ImageFormatError {
	const gigabytes = (bytes / 2 ** 30).toFixed(1);
	const what = entry === undefined ? 'The ZIP file would be' : `The ZIP entry ${JSON.stringify(entry)} is`;
	return new ImageFormatError(`${what} ${gigabytes} GB: a ZIP file without zip64 holds under 4 GB`);
}

/** The bytes the entry holds: its own (store) or deflated. Returns `entry.bytes` itself when stored. */
function* entryBody(entry: ZipEntry): Sliced<Uint8Array> {
	const method = entry.method ?? (isCompressedFormat(entry.bytes) ? 'store' : undefined);
	if (method === 'store' || entry.bytes.length === 0) return entry.bytes;
	const deflated = yield* deflateRaw(entry.bytes);
	if (method === 'deflate' || deflated.length < entry.bytes.length) return deflated;
	return entry.bytes;
}

const COMPRESSED_SIGNATURES: Array<{ at: number; bytes: number[] }> = [
	{ at: 0, bytes: [0x89, 0x50, 0x4e, 0x47] }, // PNG
	{ at: 8, bytes: [0x57, 0x45, 0x42, 0x50] }, // RIFF....WEBP
	{ at: 0, bytes: [0xff, 0xd8, 0xff] }, // JPEG
	{ at: 0, bytes: [0x47, 0x49, 0x46, 0x38] }, // GIF8
	{ at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] }, // ZIP
	{ at: 0, bytes: [0x1f, 0x8b] }, // gzip
];

/** Deflating these gains next to nothing and costs a full compression pass. */
export function isCompressedFormat(bytes: Uint8Array): boolean {
	return COMPRESSED_SIGNATURES.some(({ at, bytes: signature }) => signature.every((byte, i) => bytes[at + i] === byte));
}

function* concat(parts: Uint8Array[], total: number): Sliced<Uint8Array> {
	const out = new Uint8Array(total);
	let at = 0;
	let sinceYield = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
		sinceYield += part.length;
		if (sinceYield >= COPY_BYTES_PER_SLICE) {
			sinceYield = 0;
			yield;
		}
	}
	return out;
}
