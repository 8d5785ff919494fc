/**
 * Builders for the photo tests, straight from the specifications: a TIFF/EXIF block (EXIF 2.3 §4.6: header,
 * IFD0 with Orientation and a GPS IFD pointer), JPEG segments, PNG chunks and a WebP RIFF with metadata.
 */
import * as zlib from 'zlib';

import { encodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/encode';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { image } from '../../helpers/pixels';
import { chunk, ihdr, png } from '../../helpers/pngWriter';

/** A TIFF block whose IFD0 holds Orientation (SHORT) and optionally a GPS IFD pointer (to an empty IFD). */
export function tiff(orientation: number | null, { little = true, gps = false } = {}): Uint8Array {
	const entries: Array<[number, number, number, number]> = [];
	if (orientation !== null) entries.push([0x0112, 3, 1, orientation]);
	entries.push([0x010f, 2, 4, 0x00414243]); // Make: "CBA\0" inline, something before Orientation's neighbour
	if (gps) entries.push([0x8825, 4, 1, 8 + 2 + entries.length * 12 + 12 + 4]);
	entries.sort((a, b) => a[0] - b[0]);
	const size = 8 + 2 + entries.length * 12 + 4 + 6;
	const b = Buffer.alloc(size);
	const u16 = (v: number, at: number) => (little ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
	const u32 = (v: number, at: number) => (little ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
	b.write(little ? 'II' : 'MM', 0, 'latin1');
	u16(42, 2);
	u32(8, 4);
	u16(entries.length, 8);
	entries.forEach(([tag, type, count, value], i) => {
		const at = 10 + i * 12;
		u16(tag, at);
		u16(type, at + 2);
		u32(count, at + 4);
		if (type === 3) u16(value, at + 8);
		else u32(value, at + 8);
	});
	return new Uint8Array(b);
}

export function segment(marker: number, payload: ArrayLike<number> | string): Uint8Array {
	const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : Buffer.from(Uint8Array.from(payload));
	const head = Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255]);
	return new Uint8Array(Buffer.concat([head, body]));
}

export const exifSegment = (orientation: number | null, options = {}): Uint8Array =>
	segment(0xe1, [...Buffer.from('Exif\0\0', 'latin1'), ...tiff(orientation, options)]);

/** Inserts segments right after SOI (and appends `trailer` after EOI). */
export function withSegments(jpeg: Uint8Array, segments: Uint8Array[], trailer: ArrayLike<number> = []): Uint8Array {
	return new Uint8Array(Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), ...segments.map((s) => Buffer.from(s)), Buffer.from(jpeg.subarray(2)), Buffer.from(Uint8Array.from(trailer))]));
}

/** A test picture whose top-left quarter is red, the rest a blue-green gradient: easy to locate after turning. */
export function marked(width: number, height: number): RgbaImage {
	return image(width, height, (x, y) => (x < width / 4 && y < height / 4 ? [255, 0, 0, 255] : [0, 100 + Math.round((x * 100) / width), 200, 255]));
}

export const jpegOf = (picture: RgbaImage, quality = 95): Uint8Array => runToEnd(encodeJpeg(picture, { quality }));

/** An 8-bit RGBA PNG (filter 0 rows, Node's zlib) with `extra` chunks before IDAT. */
export function rgbaPng(picture: RgbaImage, extra: Buffer[] = []): Uint8Array {
	const rows: Buffer[] = [];
	for (let y = 0; y < picture.height; y++) {
		rows.push(Buffer.from([0]), Buffer.from(picture.data.subarray(y * picture.width * 4, (y + 1) * picture.width * 4)));
	}
	return png(ihdr(picture.width, picture.height, 8, 6), ...extra, chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND'));
}

export { chunk };

/** A WebP RIFF: VP8X (flags), a VP8L chunk with only its size header, then `extra` chunks. */
export function webp(width: number, height: number, extra: Array<[string, ArrayLike<number>]>, flags = 0x0c): Uint8Array {
	const riffChunk = (type: string, data: ArrayLike<number>): Buffer => {
		const body = Buffer.from(Uint8Array.from(data));
		const head = Buffer.alloc(8);
		head.write(type, 0, 'latin1');
		head.writeUInt32LE(body.length, 4);
		return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
	};
	const vp8x = Buffer.alloc(10);
	vp8x[0] = flags;
	vp8x.writeUIntLE(width - 1, 4, 3);
	vp8x.writeUIntLE(height - 1, 7, 3);
	const vp8l = Buffer.alloc(5);
	vp8l[0] = 0x2f;
	vp8l.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
	const body = Buffer.concat([riffChunk('VP8X', vp8x), riffChunk('VP8L', vp8l), ...extra.map(([t, d]) => riffChunk(t, d))]);
	const head = Buffer.alloc(12);
	head.write('RIFF', 0, 'latin1');
	head.writeUInt32LE(body.length + 4, 4);
	head.write('WEBP', 8, 'latin1');
	return new Uint8Array(Buffer.concat([head, body]));
}
