/**
 * zlib (RFC 1950) around deflate (RFC 1951) decompression, with table-driven Huffman decoding and an output
 * limit checked as the output grows, so that a "zlib bomb" costs at most the limit in work and memory.
 */
import { adler32 } from '../checksums';
import { Sliced, ticker } from '../slices';
import { ImageFormatError } from '../types';
import { Inflater, truncated } from './inflateDecoder';
import { buildDecodeTable, DecodeTable, fixedTables } from './inflateTables';

/** Output bytes decoded between two yields (well under a millisecond of work). */
const SLICE_BYTES = 1 << 16;
/** Order of the code length code lengths in a dynamic block header (RFC 1951 §3.2.7). */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Reads a dynamic block's code definitions (RFC 1951 §3.2.7). */
function readDynamicTables(inf: Inflater): { lit: DecodeTable; dist: DecodeTable } {
	const litCount = inf.bits(5) + 257;
	const distCount = inf.bits(5) + 1;
	const clenCount = inf.bits(4) + 4;
	if (litCount > 286 || distCount > 30) {
		throw new ImageFormatError(`${inf.subject} declares too many length or distance symbols`);
	}
	const clenLengths = new Uint8Array(19);
	for (let i = 0; i < clenCount; i++) clenLengths[CLEN_ORDER[i]] = inf.bits(3);
	const clen = buildDecodeTable(clenLengths, 7, `${inf.subject} has`, 'code length', 'complete');
	const lengths = new Uint8Array(litCount + distCount);
	for (let i = 0; i < lengths.length; ) {
		// Peek up to 7 bits (zero bytes past the end; the overrun check below catches their use).
		while (inf.bitCount < 7) {
			inf.bitBuf |= (inf.pos < inf.data.length ? inf.data[inf.pos] : 0) << inf.bitCount;
			inf.pos++;
			inf.bitCount += 8;
		}
		const entry = clen.table[inf.bitBuf & ((1 << clen.bits) - 1)];
		const len = entry & 15;
		inf.bitBuf >>>= len;
		inf.bitCount -= len;
		inf.checkOverrun();
		const symbol = entry >>> 8;
		if (symbol < 16) {
			lengths[i++] = symbol;
			continue;
		}
		let repeat: number;
		let value = 0;
		if (symbol === 16) {
			if (i === 0) throw new ImageFormatError(`${inf.subject} repeats a code length before the first one`);
			value = lengths[i - 1];
			repeat = 3 + inf.bits(2);
		} else if (symbol === 17) {
			repeat = 3 + inf.bits(3);
		} else {
			repeat = 11 + inf.bits(7);
		}
		if (i + repeat > lengths.length) {
			throw new ImageFormatError(`${inf.subject} repeats code lengths past the end of the code table`);
		}
		lengths.fill(value, i, i + repeat);
		i += repeat;
	}
	if (lengths[256] === 0) throw new ImageFormatError(`${inf.subject} has a block without an end-of-block code`);
	return {
		lit: buildDecodeTable(lengths.subarray(0, litCount), 10, `${inf.subject} has`, 'literal/length', 'single'),
		dist: buildDecodeTable(lengths.subarray(litCount), 8, `${inf.subject} has`, 'distance', 'single'),
	};
}

/** Copies a stored block (RFC 1951 §3.2.4) in slices. */
function* storedBlock(inf: Inflater): Sliced<void> {
	inf.alignToByte();
	const data = inf.data;
	if (inf.pos + 4 > data.length) throw truncated(inf.subject);
	const length = data[inf.pos] | (data[inf.pos + 1] << 8);
	const check = data[inf.pos + 2] | (data[inf.pos + 3] << 8);
	inf.pos += 4;
	if ((length ^ 0xffff) !== check) {
		throw new ImageFormatError(`${inf.subject} has a stored block whose length and its complement don't match`);
	}
	if (inf.pos + length > data.length) throw truncated(inf.subject);
	const out = inf.grow(inf.outPos + length);
	out.set(data.subarray(inf.pos, inf.pos + length), inf.outPos);
	inf.pos += length;
	inf.outPos += length;
	if (length > 0) yield;
}

/**
 * Inflates a zlib stream; refuses (ImageFormatError) any stream whose output would pass maxOutputBytes.
 * `subject` starts the error messages ("The zlib stream is truncated ...").
 */
export function* inflateZlib(
	data: Uint8Array,
	maxOutputBytes: number,
	subject = 'The zlib stream',
): Sliced<Uint8Array> {
	if (data.length < 2) throw truncated(subject);
	const cmf = data[0];
	const flg = data[1];
	if ((cmf & 15) !== 8 || cmf >>> 4 > 7) {
		throw new ImageFormatError(`${subject} uses an unknown compression method (header byte ${cmf})`);
	}
	if (((cmf << 8) | flg) % 31 !== 0) throw new ImageFormatError(`${subject} has a header that fails its check bits`);
	if (flg & 0x20) throw new ImageFormatError(`${subject} needs a preset dictionary, which is not supported`);
	const inf = new Inflater(data, maxOutputBytes, subject);
	inf.pos = 2;
	const tick = ticker(SLICE_BYTES);
	for (let final = 0; final === 0; ) {
		final = inf.bits(1);
		const type = inf.bits(2);
		const before = inf.outPos;
		if (type === 0) {
			yield* storedBlock(inf);
		} else if (type === 3) {
			throw new ImageFormatError(`${subject} has a block of the reserved type 3`);
		} else {
			const { lit, dist } = type === 1 ? fixedTables() : readDynamicTables(inf);
			while (!inf.codes(lit, dist, inf.outPos + SLICE_BYTES)) yield;
		}
		// Many tiny blocks make little output but real work: count each block too.
		if (tick(inf.outPos - before + 512)) yield;
	}
	inf.alignToByte();
	if (inf.pos + 4 > data.length) throw truncated(subject);
	const p = inf.pos;
	const expected = ((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]) >>> 0;
	let adler = 1;
	for (let start = 0; start < inf.outPos; start += 1 << 19) {
		adler = adler32(inf.out, start, Math.min(inf.outPos, start + (1 << 19)), adler);
		yield;
	}
	if (adler !== expected) throw new ImageFormatError(`${subject} fails its Adler-32 check`);
	return inf.out.length === inf.outPos ? inf.out : inf.out.slice(0, inf.outPos);
}
