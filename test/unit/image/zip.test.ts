import { inflateRawSync } from 'zlib';

import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { deflateRaw } from '../../../nodes/FaceToSticker/image/zip/deflateRaw';
import { dosDateTime } from '../../../nodes/FaceToSticker/image/zip/records';
import { isCompressedFormat, MAX_ZIP_ENTRIES, writeZip, ZipEntry } from '../../../nodes/FaceToSticker/image/zip/write';
import { expectImageFormatError, sliceGaps } from '../../helpers/imageChecks';
import { prng } from '../../helpers/random';

// Archives are parsed back here field by field (APPNOTE 6.3.x §4.3), every CRC is recomputed with a bitwise
// CRC-32 written in this test, and every deflated entry is inflated by node:zlib, not by this project's code.

interface ParsedEntry {
	name: string;
	flags: number;
	method: number;
	time: number;
	date: number;
	crc: number;
	compressedSize: number;
	size: number;
	madeBy: number;
	needed: number;
	externalAttributes: number;
	offset: number;
	body: Buffer;
	content: Buffer;
}

function bitwiseCrc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

/** Reads the end record, then every central header and the local header it points to; checks they agree. */
function parseZip(zip: Uint8Array): { entries: ParsedEntry[]; directoryOffset: number } {
	const file = Buffer.from(zip.buffer, zip.byteOffset, zip.length);
	const end = file.length - 22;
	expect(file.readUInt32LE(end)).toBe(0x06054b50);
	expect(file.readUInt16LE(end + 4)).toBe(0);
	expect(file.readUInt16LE(end + 6)).toBe(0);
	const count = file.readUInt16LE(end + 10);
	expect(file.readUInt16LE(end + 8)).toBe(count);
	const directorySize = file.readUInt32LE(end + 12);
	const directoryOffset = file.readUInt32LE(end + 16);
	expect(file.readUInt16LE(end + 20)).toBe(0);
	expect(directoryOffset + directorySize).toBe(end);
	const entries: ParsedEntry[] = [];
	let at = directoryOffset;
	let expectedOffset = 0;
	for (let i = 0; i < count; i++) {
		expect(file.readUInt32LE(at)).toBe(0x02014b50);
		const nameLength = file.readUInt16LE(at + 28);
		expect([file.readUInt16LE(at + 30), file.readUInt16LE(at + 32), file.readUInt16LE(at + 34), file.readUInt16LE(at + 36)]).toEqual([0, 0, 0, 0]);
		const entry = {
			madeBy: file.readUInt16LE(at + 4),
			needed: file.readUInt16LE(at + 6),
			flags: file.readUInt16LE(at + 8),
			method: file.readUInt16LE(at + 10),
			time: file.readUInt16LE(at + 12),
			date: file.readUInt16LE(at + 14),
			crc: file.readUInt32LE(at + 16),
			compressedSize: file.readUInt32LE(at + 20),
			size: file.readUInt32LE(at + 24),
			externalAttributes: file.readUInt32LE(at + 38),
			offset: file.readUInt32LE(at + 42),
			name: file.toString('utf8', at + 46, at + 46 + nameLength),
		};
		at += 46 + nameLength;
		// Entries are laid out back to back from offset 0, in the order given.
		expect(entry.offset).toBe(expectedOffset);
		const local = entry.offset;
		expect(file.readUInt32LE(local)).toBe(0x04034b50);
		expect(file.readUInt16LE(local + 4)).toBe(entry.needed);
		expect(file.readUInt16LE(local + 6)).toBe(entry.flags);
		expect(file.readUInt16LE(local + 8)).toBe(entry.method);
		expect(file.readUInt16LE(local + 10)).toBe(entry.time);
		expect(file.readUInt16LE(local + 12)).toBe(entry.date);
		expect(file.readUInt32LE(local + 14)).toBe(entry.crc);
		expect(file.readUInt32LE(local + 18)).toBe(entry.compressedSize);
		expect(file.readUInt32LE(local + 22)).toBe(entry.size);
		expect(file.readUInt16LE(local + 26)).toBe(nameLength);
		expect(file.readUInt16LE(local + 28)).toBe(0);
		expect(file.toString('utf8', local + 30, local + 30 + nameLength)).toBe(entry.name);
		const bodyStart = local + 30 + nameLength;
		const body = file.subarray(bodyStart, bodyStart + entry.compressedSize);
		expect([0, 8]).toContain(entry.method);
		const content = entry.method === 8 ? inflateRawSync(body) : body;
		expect(content.length).toBe(entry.size);
		expect(bitwiseCrc32(content)).toBe(entry.crc);
		expectedOffset = bodyStart + entry.compressedSize;
		entries.push({ ...entry, body, content });
	}
	expect(expectedOffset).toBe(directoryOffset);
	expect(at).toBe(end);
	return { entries, directoryOffset };
}

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const COMPRESSIBLE = text('{"sticker": "happy", "emoji": ["😀"]}\n'.repeat(200));
const PNG_LIKE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(300).fill(7)]);
const WEBP_LIKE = new Uint8Array([...Buffer.from('RIFF'), 0, 1, 0, 0, ...Buffer.from('WEBPVP8L'), ...new Array(300).fill(7)]);

function randomBytes(length: number, seed: number): Uint8Array {
	const next = prng(seed);
	return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

describe('writeZip: structure', () => {
	it('writes local headers, a central directory and an end record that agree, entries in the order given', () => {
		const zip = runToEnd(writeZip([
			{ name: 'title.txt', bytes: text('My pack') },
			{ name: 'stickers/1.webp', bytes: WEBP_LIKE },
			{ name: 'contents.json', bytes: COMPRESSIBLE },
		]));
		const { entries } = parseZip(zip);
		expect(entries.map((e) => e.name)).toEqual(['title.txt', 'stickers/1.webp', 'contents.json']);
		expect(Buffer.from(entries[1].content).equals(Buffer.from(WEBP_LIKE))).toBe(true);
		expect(Buffer.from(entries[2].content).equals(Buffer.from(COMPRESSIBLE))).toBe(true);
		for (const entry of entries) {
			expect(entry.needed).toBe(20);
			expect(entry.madeBy).toBe((3 << 8) | 63);
			expect(entry.externalAttributes >>> 16).toBe(0o100644);
		}
	});

	it('writes an archive with no entries as the 22-byte end record alone', () => {
		const zip = runToEnd(writeZip([]));
		expect(Array.from(zip)).toEqual([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
	});

	it('stores an empty file with CRC 0 and size 0', () => {
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'empty', bytes: new Uint8Array(0) }]))).entries;
		expect([entry.method, entry.crc, entry.size, entry.compressedSize]).toEqual([0, 0, 0, 0]);
	});

	it('records the CRC-32 of each file as a bitwise CRC-32 computes it', () => {
		const bytes = randomBytes(5000, 11);
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'r.bin', bytes }]))).entries;
		expect(entry.crc).toBe(bitwiseCrc32(bytes));
	});

	it('records 0xCBF43926 for "123456789", the check value of CRC-32/ISO-HDLC', () => {
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'check', bytes: text('123456789'), method: 'store' }]))).entries;
		expect(entry.crc).toBe(0xcbf43926);
	});

	it('sets flag bit 11 and writes names as UTF-8 bytes', () => {
		const name = 'stickers/ünïcode 😀.webp';
		const zip = runToEnd(writeZip([{ name, bytes: WEBP_LIKE }]));
		const [entry] = parseZip(zip).entries;
		expect(entry.flags).toBe(0x0800);
		expect(entry.name).toBe(name);
		expect(Buffer.from(zip).includes(Buffer.from(name, 'utf8'))).toBe(true);
	});
});

describe('writeZip: methods', () => {
	it('deflates a compressible file by default, and node:zlib inflates it back byte for byte', () => {
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'contents.json', bytes: COMPRESSIBLE }]))).entries;
		expect(entry.method).toBe(8);
		expect(entry.compressedSize).toBeLessThan(COMPRESSIBLE.length / 10);
		expect(Buffer.from(inflateRawSync(entry.body)).equals(Buffer.from(COMPRESSIBLE))).toBe(true);
	});

	it('stores PNG and WebP files by default without trying deflate', () => {
		const { entries } = parseZip(runToEnd(writeZip([{ name: 'a.png', bytes: PNG_LIKE }, { name: 'b.webp', bytes: WEBP_LIKE }])));
		// Both fill with one repeated byte, which deflate would shrink: stored means the signature decided.
		expect(entries.map((e) => e.method)).toEqual([0, 0]);
		expect(entries.map((e) => e.compressedSize)).toEqual([PNG_LIKE.length, WEBP_LIKE.length]);
	});

	it('stores a file by default when deflate would not make it smaller', () => {
		const bytes = randomBytes(4000, 3);
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'noise.bin', bytes }]))).entries;
		expect(entry.method).toBe(0);
		expect(Buffer.from(entry.body).equals(Buffer.from(bytes))).toBe(true);
	});

	it('deflates when asked even if that grows the file', () => {
		const bytes = randomBytes(4000, 3);
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'noise.bin', bytes, method: 'deflate' }]))).entries;
		expect(entry.method).toBe(8);
		expect(entry.compressedSize).toBeGreaterThanOrEqual(bytes.length);
	});

	it('stores when asked even a compressible file', () => {
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'c.json', bytes: COMPRESSIBLE, method: 'store' }]))).entries;
		expect([entry.method, entry.compressedSize]).toEqual([0, COMPRESSIBLE.length]);
	});

	it('recognises PNG, WebP, JPEG, GIF, ZIP and gzip signatures as compressed, and text as not', () => {
		const starts = [PNG_LIKE, WEBP_LIKE, [0xff, 0xd8, 0xff, 0xe0], [...Buffer.from('GIF89a')], [0x50, 0x4b, 3, 4], [0x1f, 0x8b, 8]];
		for (const start of starts) expect(isCompressedFormat(Uint8Array.from(start))).toBe(true);
		expect(isCompressedFormat(text('RIFF....WAVE'))).toBe(false);
		expect(isCompressedFormat(COMPRESSIBLE)).toBe(false);
		expect(isCompressedFormat(new Uint8Array(0))).toBe(false);
	});

	it('deflateRaw gives the zlib stream without its header and Adler-32, which raw inflate reads', () => {
		const raw = runToEnd(deflateRaw(COMPRESSIBLE));
		expect(Buffer.from(inflateRawSync(raw)).equals(Buffer.from(COMPRESSIBLE))).toBe(true);
	});
});

describe('writeZip: timestamps and determinism', () => {
	it('writes 2026-01-01 00:00:00 when no time is given', () => {
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'a', bytes: text('a') }]))).entries;
		expect(entry.date).toBe((46 << 9) | (1 << 5) | 1);
		expect(entry.time).toBe(0);
	});

	it('encodes a given time as MS-DOS words, seconds in 2-second steps', () => {
		const at = { year: 2031, month: 12, day: 24, hour: 18, minute: 59, second: 59 };
		const [entry] = parseZip(runToEnd(writeZip([{ name: 'a', bytes: text('a') }], at))).entries;
		expect(entry.date).toBe((51 << 9) | (12 << 5) | 24);
		expect(entry.time).toBe((18 << 11) | (59 << 5) | 29);
	});

	it('gives identical bytes for identical entries', () => {
		const entries: ZipEntry[] = [{ name: 'x.json', bytes: COMPRESSIBLE }, { name: 'y.webp', bytes: WEBP_LIKE }];
		expect(Buffer.from(runToEnd(writeZip(entries))).equals(Buffer.from(runToEnd(writeZip(entries))))).toBe(true);
	});

	it.each([
		[{ year: 1979 }, "The ZIP timestamp's year is 1979: a ZIP file can hold 1980 to 2107"],
		[{ year: 2108 }, "The ZIP timestamp's year is 2108: a ZIP file can hold 1980 to 2107"],
		[{ month: 13 }, "The ZIP timestamp's month is 13: a ZIP file can hold 1 to 12"],
		[{ day: 0 }, "The ZIP timestamp's day is 0: a ZIP file can hold 1 to 31"],
		[{ hour: 24 }, "The ZIP timestamp's hour is 24: a ZIP file can hold 0 to 23"],
		[{ minute: 1.5 }, "The ZIP timestamp's minute is 1.5: a ZIP file can hold 0 to 59"],
		[{ second: 60 }, "The ZIP timestamp's second is 60: a ZIP file can hold 0 to 59"],
	])('refuses the out-of-range timestamp field %j', (field, message) => {
		const at = { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0, ...field };
		expectImageFormatError(() => dosDateTime(at), message);
		expectImageFormatError(() => runToEnd(writeZip([], at)), message);
	});
});

describe('writeZip: names and limits', () => {
	it.each([
		['', 'A ZIP entry has an empty name'],
		['/etc/passwd', 'The ZIP entry name "/etc/passwd" is an absolute path: give a path relative to the archive'],
		['C:stickers', 'The ZIP entry name "C:stickers" is an absolute path: give a path relative to the archive'],
		['../evil.webp', 'The ZIP entry name "../evil.webp" holds a ".." step: it could point outside the archive\'s folder'],
		['a/../../b', 'The ZIP entry name "a/../../b" holds a ".." step: it could point outside the archive\'s folder'],
		['./a', 'The ZIP entry name "./a" holds a "." step: it could point outside the archive\'s folder'],
		['a//b', 'The ZIP entry name "a//b" has an empty path step (a leading, doubled or trailing "/")'],
		['folder/', 'The ZIP entry name "folder/" has an empty path step (a leading, doubled or trailing "/")'],
		['a\\b', 'The ZIP entry name "a\\\\b" holds a backslash: ZIP paths use forward slashes'],
		['a\nb', 'The ZIP entry name "a\\nb" holds a control character'],
		['a\ud800b', 'The ZIP entry name "a\\ud800b" holds a lone surrogate: it is not valid Unicode text'],
		['a\udc00', 'The ZIP entry name "a\\udc00" holds a lone surrogate: it is not valid Unicode text'],
	])('refuses the entry name %j', (name, message) => {
		expectImageFormatError(() => runToEnd(writeZip([{ name, bytes: text('x') }])), message);
	});

	it('accepts dots inside a name step ("..a", "a..b", ".hidden")', () => {
		const { entries } = parseZip(runToEnd(writeZip(['..a', 'a..b', '.hidden'].map((name) => ({ name, bytes: text(name) })))));
		expect(entries.map((e) => e.name)).toEqual(['..a', 'a..b', '.hidden']);
	});

	it('refuses a name over 65535 UTF-8 bytes', () => {
		expectImageFormatError(() => runToEnd(writeZip([{ name: 'é'.repeat(32768), bytes: text('x') }])), /is 65536 bytes long: a ZIP name holds at most 65535$/);
	});

	it('refuses two entries with the same name', () => {
		const entries = [{ name: 'a.webp', bytes: WEBP_LIKE }, { name: 'a.webp', bytes: PNG_LIKE }];
		expectImageFormatError(() => runToEnd(writeZip(entries)), 'Two ZIP entries are named "a.webp": each name must be unique');
	});

	it('writes the most entries a plain ZIP can count, and refuses one more', () => {
		const entries = Array.from({ length: MAX_ZIP_ENTRIES }, (_, i) => ({ name: `${i}`, bytes: new Uint8Array(0) }));
		const zip = runToEnd(writeZip(entries));
		expect(Buffer.from(zip).readUInt16LE(zip.length - 12)).toBe(65534);
		entries.push({ name: 'one more', bytes: new Uint8Array(0) });
		expectImageFormatError(() => runToEnd(writeZip(entries)), 'A ZIP file without zip64 holds at most 65534 entries; 65535 were given');
	});

	it('refuses a 4 GB entry before reading any of it', () => {
		// A stand-in with a length and no bytes: the size check must come before any read.
		const huge = { length: 2 ** 32 } as Uint8Array;
		expectImageFormatError(() => runToEnd(writeZip([{ name: 'huge.bin', bytes: huge }])), 'The ZIP entry "huge.bin" is 4.0 GB: a ZIP file without zip64 holds under 4 GB');
	});

	it('refuses entries that add up past 4 GB before reading any of them', () => {
		const big = { length: 3 * 2 ** 30 } as Uint8Array;
		const entries: ZipEntry[] = [{ name: 'a', bytes: big, method: 'store' }, { name: 'b', bytes: big, method: 'store' }];
		expectImageFormatError(() => runToEnd(writeZip(entries)), /^The ZIP file would be 6\.0 GB: a ZIP file without zip64 holds under 4 GB$/);
	});

	it('counts deflate growth when an explicit deflate entry is near the limit', () => {
		const nearly = { length: 2 ** 32 - 1000 } as Uint8Array;
		expectImageFormatError(() => runToEnd(writeZip([{ name: 'a', bytes: nearly, method: 'deflate' }])), /^The ZIP file would be 4\.0 GB/);
	});
});

describe('writeZip: slices', () => {
	it('yields between short slices while deflating half a megabyte', () => {
		const next = prng(5);
		const words = ['happy', 'sad', 'angry', 'cool', 'sleepy', 'surprised', 'laughing', 'in love'];
		const bytes = text(Array.from({ length: 70000 }, () => words[Math.floor(next() * words.length)]).join(' '));
		expect(bytes.length).toBeGreaterThan(450000);
		const { slices, longest } = sliceGaps(() => writeZip([{ name: 'words.txt', bytes }, { name: 'n.bin', bytes: randomBytes(300000, 9) }]));
		expect(slices).toBeGreaterThan(20);
		// Ground rule: no stretch over ~10 ms; jest (ts-jest, shared CPU) gets a margin.
		expect(longest).toBeLessThan(25);
	});
});
