/**
 * Raw deflate (RFC 1951), as ZIP entries hold it: the zlib stream of ../zlib without its 2-byte header and
 * its 4-byte Adler-32 trailer. Slicing keeps the zlib folder the one deflate of the project.
 */
import type { Sliced } from '../slices';
import { deflateZlib } from '../zlib/deflate';

const ZLIB_HEADER_BYTES = 2;
const ADLER_BYTES = 4;

export function* deflateRaw(data: Uint8Array): Sliced<Uint8Array> {
	const zlib = yield* deflateZlib(data);
	return zlib.subarray(ZLIB_HEADER_BYTES, zlib.length - ADLER_BYTES);
}
