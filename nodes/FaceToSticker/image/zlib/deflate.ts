/**
 * zlib streams (RFC 1950) around deflate (RFC 1951): LZ77 with lazy matching (lz77.ts) cut into blocks of
 * BLOCK_SYMBOLS symbols, each written as the cheapest block type (deflateBlocks.ts), then the Adler-32.
 */
import { BitWriter } from '../bitWriter';
import { adler32 } from '../checksums';
import { Sliced } from '../slices';
import { writeBlock } from './deflateBlocks';
import { Lz77 } from './lz77';
import { SymbolBlock } from './symbols';

/** As zlib's memLevel 9: 32K symbols a block, enough to pay for a dynamic header, short enough to adapt. */
const BLOCK_SYMBOLS = 32768;
/** Work units (bytes passed + hash-chain links followed) between yields: about 0.5-2 ms. */
const WORK_PER_SLICE = 16384;
const ADLER_BYTES_PER_SLICE = 1 << 18;

/** Compresses `data` as a zlib stream: header (deflate, 32 KB window, maximum compression), blocks, Adler-32. */
export function* deflateZlib(data: Uint8Array): Sliced<Uint8Array> {
	const out = new BitWriter((data.length >>> 2) + 1024);
	// CMF 0x78: deflate with a 32 KB window; FLG 0xDA: level "maximum", and 0x78DA is a multiple of 31.
	out.write(0x78, 8);
	out.write(0xda, 8);
	const matcher = new Lz77(data);
	const block = new SymbolBlock(BLOCK_SYMBOLS);
	for (;;) {
		matcher.run(block, WORK_PER_SLICE);
		if (matcher.done) {
			writeBlock(out, block, data, true);
			break;
		}
		if (block.full) {
			writeBlock(out, block, data, false);
			block.reset(block.rawEnd);
		}
		yield;
	}
	let adler = 1;
	for (let start = 0; start < data.length; start += ADLER_BYTES_PER_SLICE) {
		adler = adler32(data, start, Math.min(data.length, start + ADLER_BYTES_PER_SLICE), adler);
		yield;
	}
	out.alignToByte();
	out.write(adler >>> 24, 8);
	out.write((adler >>> 16) & 0xff, 8);
	out.write((adler >>> 8) & 0xff, 8);
	out.write(adler & 0xff, 8);
	return out.finish();
}
