/**
 * PNG decoding (W3C PNG spec): chunks → one zlib stream inflated to exactly the size the IHDR implies →
 * scanlines unfiltered and expanded to 8-bit straight RGBA, in slices. Gamma and ICC profiles are not
 * applied: the pixels are the file's raw samples.
 */
import { Sliced, ticker } from '../slices';
import { DecodeLimits, DEFAULT_DECODE_LIMITS, ImageFormatError, RgbaImage } from '../types';
import { inflateZlib } from '../zlib/inflate';
import { bitsPerPixel, passLayout } from './adam7';
import { readChunks } from './chunksRead';
import { expandRow, pixelFormat } from './expandPixels';
import { unfilterRow } from './unfilter';

export type { PngHeader } from './chunksRead';
export { readPngHeader } from './chunksRead';

/** Scanline bytes handled between two yields. */
const SLICE_BYTES = 1 << 16;

/** Decodes a PNG of any colour type, bit depth and interlace to 8-bit straight RGBA. */
export function* decodePng(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Sliced<RgbaImage> {
	const chunks = yield* readChunks(bytes, limits);
	const { width, height } = chunks.header;
	const { passes, totalBytes } = passLayout(chunks.header);
	const raw = yield* inflateZlib(chunks.zlib, totalBytes, "The PNG's image data (IDAT)");
	if (raw.length < totalBytes) {
		throw new ImageFormatError(
			`The PNG is truncated: its image data inflates to ${raw.length} bytes, but ${width} × ${height} pixels need ${totalBytes}`,
		);
	}
	const format = pixelFormat(chunks);
	const bpp = Math.max(1, bitsPerPixel(chunks.header) >> 3);
	const out = new Uint8Array(width * height * 4);
	const tick = ticker(SLICE_BYTES);
	for (const pass of passes) {
		const stride = pass.rowBytes + 1;
		for (let y = 0; y < pass.height; y++) {
			const row = pass.offset + y * stride;
			unfilterRow(raw, row, y === 0 ? -1 : row - stride, pass.rowBytes, bpp);
			const dst = ((pass.y0 + y * pass.dy) * width + pass.x0) * 4;
			expandRow(format, raw, row + 1, pass.width, out, dst, pass.dx * 4);
			if (tick(stride + pass.width)) yield;
		}
	}
	return { width, height, data: out };
}
