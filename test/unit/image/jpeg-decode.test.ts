import { createHash } from 'crypto';

import { encodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/encode';
import { decodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/decode';
import { UnsupportedJpegError } from '../../../nodes/FaceToSticker/image/jpeg/errors';
import { readJpegHeader } from '../../../nodes/FaceToSticker/image/jpeg/header';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { sliceGaps } from '../../helpers/imageChecks';
import { jpeg } from '../../helpers/images';
import { image } from '../../helpers/pixels';
import { FIXTURE_SIZE, FIXTURES, fixture } from './jpeg-fixtures';

const decode = (bytes: Uint8Array, maxPixels = 1 << 24): RgbaImage => runToEnd(decodeJpeg(bytes, { maxPixels }));

function rgbSha256(image: RgbaImage): string {
	const rgb = new Uint8Array(image.width * image.height * 3);
	for (let i = 0; i < image.width * image.height; i++) rgb.set(image.data.subarray(i * 4, i * 4 + 3), i * 3);
	return createHash('sha256').update(rgb).digest('hex');
}

/** SOI + one frame header + EOI. */
function frameOnly(marker: number, precision: number, width: number, height: number, components: number[][]): Uint8Array {
	const body = [precision, height >> 8, height & 255, width >> 8, width & 255, components.length, ...components.flat()];
	return new Uint8Array([0xff, 0xd8, 0xff, marker, 0, body.length + 2, ...body, 0xff, 0xd9]);
}

function expectError(bytes: Uint8Array, message: RegExp, type: typeof ImageFormatError = ImageFormatError): void {
	let thrown: unknown;
	try {
		decode(bytes);
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(type);
	expect((thrown as Error).message).toMatch(message);
}

describe('decodeJpeg against djpeg (hashes of djpeg -dct int output, see jpeg-fixtures.ts)', () => {
	it.each(Object.keys(FIXTURES))('decodes %s to exactly the samples djpeg gives', (name) => {
		const image = decode(fixture(name));
		expect({ width: image.width, height: image.height }).toEqual(FIXTURE_SIZE);
		expect(rgbSha256(image)).toBe(FIXTURES[name].djpegSha256);
		// Opaque everywhere.
		for (let i = 3; i < image.data.length; i += 4) if (image.data[i] !== 255) throw new Error(`alpha ${image.data[i]} at ${i}`);
	});

	it.each([
		['b420r', 'p420'],
		['b422r', 'p422r'],
		['b440', 'p440'],
		['bgrey', 'pgrey'],
		['b444', 'p444'],
		['b420r', 's420'],
	])('decodes the progressive / multi-scan %s→%s to the same pixels as its baseline', (baseline, other) => {
		expect(Buffer.from(decode(fixture(other)).data).equals(Buffer.from(decode(fixture(baseline)).data))).toBe(true);
	});

	it('yields between slices: a 512 × 512 picture decodes in many short steps', () => {
		const big = runToEnd(encodeJpeg(image(512, 512, (x, y) => [x & 255, y & 255, (x * y) & 255, 255])));
		const work = decodeJpeg(big);
		let yields = 0;
		while (!work.next().done) yields++;
		expect(yields).toBeGreaterThan(10);
		// Under jest with coverage the slices run several times slower than in plain Node (bench-photo.js).
		expect(sliceGaps(() => decodeJpeg(big)).longest).toBeLessThan(40);
	});

	it("decodes the test emulator's own JPEGs (another writer) to their flat colour", () => {
		const decoded = decode(new Uint8Array(jpeg(40, 24, [200, 120, 40])));
		expect(decoded.width).toBe(40);
		for (let i = 0; i < decoded.data.length; i += 4) {
			expect(Math.abs(decoded.data[i] - 200) + Math.abs(decoded.data[i + 1] - 120) + Math.abs(decoded.data[i + 2] - 40)).toBeLessThan(12);
		}
	});
});

describe('decodeJpeg with shrink (1/2, 1/4, 1/8 of the size)', () => {
	/** The full-size decode averaged over shrink × shrink boxes (edge boxes over what is there). */
	function boxAverage(full: RgbaImage, shrink: number): RgbaImage {
		const width = Math.ceil(full.width / shrink);
		const height = Math.ceil(full.height / shrink);
		const data = new Uint8Array(width * height * 4);
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) {
				const sum = [0, 0, 0];
				let n = 0;
				for (let yy = y * shrink; yy < Math.min(full.height, (y + 1) * shrink); yy++) {
					for (let xx = x * shrink; xx < Math.min(full.width, (x + 1) * shrink); xx++) {
						for (let c = 0; c < 3; c++) sum[c] += full.data[(yy * full.width + xx) * 4 + c];
						n++;
					}
				}
				data.set([...sum.map((v) => Math.round(v / n)), 255], (y * width + x) * 4);
			}
		}
		return { width, height, data };
	}

	function psnr(a: RgbaImage, b: RgbaImage): number {
		let sum = 0;
		for (let i = 0; i < a.data.length; i++) sum += (a.data[i] - b.data[i]) ** 2;
		return 10 * Math.log10((255 * 255) / (sum / a.data.length));
	}

	it.each([
		['b420r', 2],
		['p422r', 4],
		['b440', 8],
		['pgrey', 2],
		['s420', 4],
		['b4x2', 2],
	] as const)('%s at 1/%i is the full decode averaged in boxes, within upsampling differences', (name, shrink) => {
		const full = decode(fixture(name));
		const shrunk = runToEnd(decodeJpeg(fixture(name), undefined, { shrink }));
		expect({ width: shrunk.width, height: shrunk.height }).toEqual({ width: Math.ceil(37 / shrink), height: Math.ceil(27 / shrink) });
		expect(psnr(shrunk, boxAverage(full, shrink))).toBeGreaterThan(shrink === 8 ? 25 : 30);
	});

	it('1/1 is the exact decode', () => {
		expect(rgbSha256(runToEnd(decodeJpeg(fixture('p420'), undefined, { shrink: 1 })))).toBe(FIXTURES.p420.djpegSha256);
	});
});

describe('readJpegHeader', () => {
	it('reads size and process without decoding', () => {
		expect(readJpegHeader(fixture('p420'))).toEqual({ width: 37, height: 27, components: 3, progressive: true, unsupported: null });
		expect(readJpegHeader(fixture('bgrey'))).toMatchObject({ components: 1, progressive: false, unsupported: null });
	});

	it.each([
		[0xc3, 8, 3, 'lossless coding (SOF3)'],
		[0xc9, 8, 3, 'arithmetic coding (SOF9)'],
		[0xc5, 8, 3, 'hierarchical coding (SOF5)'],
		[0xc0, 12, 3, '12-bit samples'],
		[0xc0, 8, 4, 'CMYK colour (4 components)'],
		[0xc0, 8, 2, '2 colour components'],
	])('names what it cannot decode: SOF 0x%s, %i-bit, %i components', (marker, precision, count, feature) => {
		const components = Array.from({ length: count }, (_, i) => [i + 1, 0x11, 0]);
		expect(readJpegHeader(frameOnly(marker, precision, 10, 10, components)).unsupported).toBe(feature);
	});

	it('refuses a file without SOI, a frame-less file and a zero width', () => {
		expect(() => readJpegHeader(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a JPEG/);
		expect(() => readJpegHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toThrow(/no frame header/);
		expect(() => readJpegHeader(frameOnly(0xc0, 8, 0, 10, [[1, 0x11, 0]]))).toThrow(/0 pixels wide/);
		expect(() => readJpegHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 4, 8, 0, 0xff, 0xd9]))).toThrow(/too short/);
		expect(readJpegHeader(frameOnly(0xc0, 8, 10, 0, [[1, 0x11, 0]])).unsupported).toMatch(/DNL/);
	});
});

describe('decodeJpeg refuses what it cannot decode, naming it', () => {
	it.each([
		[0xc3, 8, 3, /lossless/],
		[0xca, 8, 3, /arithmetic/],
		[0xc7, 8, 3, /hierarchical/],
		[0xc2, 12, 3, /12-bit/],
		[0xc0, 8, 4, /CMYK/],
		[0xc0, 8, 2, /2 colour components/],
	])('SOF 0x%s, %i-bit, %i components', (marker, precision, count, message) => {
		const components = Array.from({ length: count }, (_, i) => [i + 1, 0x11, 0]);
		expectError(frameOnly(marker, precision, 10, 10, components), message, UnsupportedJpegError);
	});

	it('a DAC segment (arithmetic conditioning) and a DNL segment', () => {
		expectError(new Uint8Array([0xff, 0xd8, 0xff, 0xcc, 0, 4, 0, 0, 0xff, 0xd9]), /arithmetic/, UnsupportedJpegError);
		expectError(new Uint8Array([0xff, 0xd8, 0xff, 0xdc, 0, 4, 0, 0, 0xff, 0xd9]), /DNL/, UnsupportedJpegError);
		expectError(frameOnly(0xc0, 8, 10, 0, [[1, 0x11, 0]]), /DNL/, UnsupportedJpegError);
	});

	it('sampling factors that do not divide the largest', () => {
		expectError(frameOnly(0xc0, 8, 10, 10, [[1, 0x31, 0], [2, 0x21, 0], [3, 0x11, 0]]), /do not divide evenly/, UnsupportedJpegError);
	});
});
