import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError } from '../../../nodes/FaceToSticker/image/types';
import type { IndexedImage, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { encodeWebpLossless, riffContainer } from '../../../nodes/FaceToSticker/image/webp/encode';
import { image } from '../../helpers/pixels';

const encode = (input: RgbaImage | IndexedImage) => runToEnd(encodeWebpLossless(input));
const text = (file: Uint8Array, offset: number) => String.fromCharCode(...file.subarray(offset, offset + 4));
const u32 = (file: Uint8Array, offset: number) => new DataView(file.buffer, file.byteOffset).getUint32(offset, true);

/** The VP8L header fields: 8-bit signature, 14-bit width-1 and height-1, alpha hint, 3-bit version. */
function header(file: Uint8Array) {
	const bits = u32(file, 21);
	return {
		signature: file[20],
		width: (bits & 0x3fff) + 1,
		height: ((bits >>> 14) & 0x3fff) + 1,
		alpha: (bits >>> 28) & 1,
		version: bits >>> 29,
	};
}

describe('WebP container and VP8L header', () => {
	it('writes RIFF/WEBP/VP8L with sizes that add up', () => {
		const file = encode(image(37, 19, (x, y) => [x, y, 9, 200]));
		expect(text(file, 0)).toBe('RIFF');
		expect(u32(file, 4)).toBe(file.length - 8);
		expect(text(file, 8)).toBe('WEBP');
		expect(text(file, 12)).toBe('VP8L');
		const chunk = u32(file, 16);
		expect(file.length).toBe(20 + chunk + (chunk & 1));
		expect(header(file)).toEqual({ signature: 0x2f, width: 37, height: 19, alpha: 1, version: 0 });
	});

	it('pads an odd-sized chunk with one zero byte that the chunk size leaves out', () => {
		const file = riffContainer(new Uint8Array([0x2f, 1, 2]));
		expect(u32(file, 16)).toBe(3);
		expect(file.length).toBe(24);
		expect(file[23]).toBe(0);
		expect(u32(file, 4)).toBe(16);
		expect(riffContainer(new Uint8Array(4)).length).toBe(24);
	});

	it('sets the alpha hint only when some pixel is not opaque', () => {
		expect(header(encode(image(3, 2, () => [1, 2, 3, 255]))).alpha).toBe(0);
		expect(header(encode(image(3, 2, (x) => [1, 2, 3, x === 2 ? 254 : 255]))).alpha).toBe(1);
		const palette = new Uint8Array([0, 0, 0, 255, 9, 9, 9, 0]);
		expect(header(encode({ width: 2, height: 1, palette, indices: new Uint8Array([0, 0]) })).alpha).toBe(0);
		expect(header(encode({ width: 2, height: 1, palette, indices: new Uint8Array([0, 1]) })).alpha).toBe(1);
	});

	it('encodes the largest width field, 16384', () => {
		expect(header(encode(image(16384, 1, (x) => [x & 255, 0, 0, 255]))).width).toBe(16384);
	});

	it('gives the same bytes for the same pixels', () => {
		const input = image(50, 50, (x, y) => [(x * y) & 255, x, y, 255]);
		expect(encode(input)).toEqual(encode(input));
	});

	it.each([
		[0, 5],
		[5, 0],
		[16385, 1],
		[2.5, 1],
	])('refuses a %p × %p image as an ImageFormatError', (width, height) => {
		expect(() => encode({ width, height, data: new Uint8Array(0) })).toThrow(ImageFormatError);
		expect(() => encode({ width, height, data: new Uint8Array(0) })).toThrow('1 to 16384 pixels');
	});

	it('refuses RGBA data whose length does not match the size', () => {
		expect(() => encode({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(/15 bytes of RGBA for 4 pixels/);
	});

	it('refuses an indexed image with a bad palette or index', () => {
		const indices = new Uint8Array([0, 1]);
		expect(() => encode({ width: 2, height: 1, palette: new Uint8Array(0), indices })).toThrow(/palette has 0 entries/);
		expect(() => encode({ width: 2, height: 1, palette: new Uint8Array(257 * 4), indices })).toThrow(ImageFormatError);
		expect(() => encode({ width: 2, height: 1, palette: new Uint8Array(6), indices })).toThrow(ImageFormatError);
		expect(() => encode({ width: 3, height: 1, palette: new Uint8Array(8), indices })).toThrow(/2 palette indices for 3/);
		expect(() => encode({ width: 2, height: 1, palette: new Uint8Array(4), indices })).toThrow(
			/palette index 1, but the palette has 1 entries/,
		);
	});

	it('yields between slices of work on a 256×256 photo-like image', () => {
		const work = encodeWebpLossless(image(256, 256, (x, y) => [(x * 3 + y) & 255, (y * 5) & 255, (x ^ y) & 255, 255]));
		let yields = 0;
		while (!work.next().done) yields++;
		expect(yields).toBeGreaterThan(20);
	});
});
