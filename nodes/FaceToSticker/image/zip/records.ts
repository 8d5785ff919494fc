/**
 * The byte layouts of PKWARE's APPNOTE 6.3.x that a plain (not zip64, not encrypted, single-disk) archive
 * needs: local file header (§4.3.7), central directory header (§4.3.12), end of central directory (§4.3.16),
 * and the MS-DOS date and time the headers carry (§4.4.6). All fields are little-endian.
 */
import { ImageFormatError } from '../types';

export const LOCAL_HEADER_BYTES = 30;
export const CENTRAL_HEADER_BYTES = 46;
export const END_RECORD_BYTES = 22;

/** Store (0) and deflate (8), APPNOTE §4.4.5. */
export const METHOD_CODE = { store: 0, deflate: 8 } as const;
/** 2.0: the version that brought deflate; also what readers need for the UTF-8 flag. */
const VERSION_NEEDED = 20;
/** Made by: host 3 (UNIX), so unzip takes the file mode from the external attributes; spec version 6.3. */
const VERSION_MADE_BY = (3 << 8) | 63;
/** Bit 11: the name is UTF-8 (APPNOTE appendix D). */
const FLAG_UTF8 = 0x0800;
/** A regular file, rw-r--r--, in the high 16 bits (the UNIX st_mode). */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

export interface ZipTimestamp {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** 2026-01-01 00:00:00: a fixed time makes the same entries give the same bytes. */
export const DEFAULT_ZIP_TIMESTAMP: ZipTimestamp = { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 };

/** MS-DOS time and date words (2-second steps, years 1980-2107). */
export function dosDateTime(at: ZipTimestamp): { time: number; date: number } {
	const fields: Array<[keyof ZipTimestamp, number, number]> = [
		['year', 1980, 2107],
		['month', 1, 12],
		['day', 1, 31],
		['hour', 0, 23],
		['minute', 0, 59],
		['second', 0, 59],
	];
	for (const [field, min, max] of fields) {
		const value = at[field];
		if (!Number.isInteger(value) || value < min || value > max) {
			throw new ImageFormatError(`The ZIP timestamp's ${field} is ${value}: a ZIP file can hold ${min} to ${max}`);
		}
	}
	return {
		time: (at.hour << 11) | (at.minute << 5) | (at.second >> 1),
		date: ((at.year - 1980) << 9) | (at.month << 5) | at.day,
	};
}

/** What the local and the central header of one entry share. */
export interface EntryRecord {
	name: Uint8Array;
	method: number;
	time: number;
	date: number;
	crc: number;
	compressedSize: number;
	size: number;
	/** Where the entry's local header starts. */
	offset: number;
}

export function localHeader(entry: EntryRecord): Uint8Array {
	const out = new Uint8Array(LOCAL_HEADER_BYTES + entry.name.length);
	const view = new DataView(out.buffer);
	view.setUint32(0, 0x04034b50, true);
	view.setUint16(4, VERSION_NEEDED, true);
	view.setUint16(6, FLAG_UTF8, true);
	view.setUint16(8, entry.method, true);
	view.setUint16(10, entry.time, true);
	view.setUint16(12, entry.date, true);
	view.setUint32(14, entry.crc, true);
	view.setUint32(18, entry.compressedSize, true);
	view.setUint32(22, entry.size, true);
	view.setUint16(26, entry.name.length, true);
	view.setUint16(28, 0, true); // no extra field
	out.set(entry.name, LOCAL_HEADER_BYTES);
	return out;
}

export function centralHeader(entry: EntryRecord): Uint8Array {
	const out = new Uint8Array(CENTRAL_HEADER_BYTES + entry.name.length);
	const view = new DataView(out.buffer);
	view.setUint32(0, 0x02014b50, true);
	view.setUint16(4, VERSION_MADE_BY, true);
	view.setUint16(6, VERSION_NEEDED, true);
	view.setUint16(8, FLAG_UTF8, true);
	view.setUint16(10, entry.method, true);
	view.setUint16(12, entry.time, true);
	view.setUint16(14, entry.date, true);
	view.setUint32(16, entry.crc, true);
	view.setUint32(20, entry.compressedSize, true);
	view.setUint32(24, entry.size, true);
	view.setUint16(28, entry.name.length, true);
	// Extra field length, comment length, disk number start and internal attributes (30-37) stay 0.
	view.setUint32(38, EXTERNAL_ATTRIBUTES, true);
	view.setUint32(42, entry.offset, true);
	out.set(entry.name, CENTRAL_HEADER_BYTES);
	return out;
}

export function endRecord(entries: number, directorySize: number, directoryOffset: number): Uint8Array {
	const out = new Uint8Array(END_RECORD_BYTES);
	const view = new DataView(out.buffer);
	view.setUint32(0, 0x06054b50, true);
	// This disk's number and the central directory's disk (4-7) stay 0: one disk.
	view.setUint16(8, entries, true);
	view.setUint16(10, entries, true);
	view.setUint32(12, directorySize, true);
	view.setUint32(16, directoryOffset, true);
	view.setUint16(20, 0, true); // no archive comment
	return out;
}
