import * as zlib from 'zlib';

import { decodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/decode';
import { applyOrientation } from '../../../nodes/FaceToSticker/image/photo/orient';
import { readJpegMetadata } from '../../../nodes/FaceToSticker/image/photo/jpegMeta';
import { DEFAULT_PHOTO_LIMITS, PhotoLimits, preparePhoto, PreparedPhoto, UnsupportedPhotoError } from '../../../nodes/FaceToSticker/image/photo/prepare';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { sliceGaps } from '../../helpers/imageChecks';
import { image } from '../../helpers/pixels';
import { fixture } from './jpeg-fixtures';
import { chunk, exifSegment, jpegOf, marked, rgbaPng, segment, tiff, webp, withSegments } from './photo-builders';

const prepare = (bytes: Uint8Array, limits: Partial<PhotoLimits> = {}): PreparedPhoto => runToEnd(preparePhoto(bytes, { ...DEFAULT_PHOTO_LIMITS, ...limits }));
const pixels = (bytes: Uint8Array): RgbaImage => runToEnd(decodeJpeg(bytes));

/** Mean colour of a box of the picture, as fractions of its size. */
function meanColour(picture: RgbaImage, x0: number, y0: number, x1: number, y1: number): number[] {
	const sum = [0, 0, 0];
	let n = 0;
	for (let y = Math.floor(y0 * picture.height); y < Math.floor(y1 * picture.height); y++) {
		for (let x = Math.floor(x0 * picture.width); x < Math.floor(x1 * picture.width); x++) {
			for (let c = 0; c < 3; c++) sum[c] += picture.data[(y * picture.width + x) * 4 + c];
			n++;
		}
	}
	return sum.map((s) => Math.round(s / n));
}

const isRed = ([r, g, b]: number[]): boolean => r > 200 && g < 60 && b < 60;

function refusal(bytes: Uint8Array, limits: Partial<PhotoLimits> = {}): Error {
	try {
		prepare(bytes, limits);
	} catch (error) {
		return error as Error;
	}
	throw new Error('not refused');
}

describe('preparePhoto: JPEG', () => {
	it('sends a small JPEG without metadata as it came (the same bytes)', () => {
		const file = jpegOf(marked(64, 48));
		const prepared = prepare(file);
		expect(prepared.bytes).toBe(file);
		expect(prepared).toMatchObject({
			mimeType: 'image/jpeg',
			changed: false,
			original: { bytes: file.length, width: 64, height: 48, format: 'jpeg' },
			sent: { bytes: file.length, width: 64, height: 48 },
			orientation: 1,
			metadataRemoved: false,
			removed: [],
		});
	});

	it('strips the metadata of an upright small JPEG without touching its image data', () => {
		const clean = jpegOf(marked(64, 48));
		const file = withSegments(clean, [exifSegment(1, { gps: true }), segment(0xfe, 'taken at home')]);
		const prepared = prepare(file);
		expect(prepared.changed).toBe(true);
		expect(Buffer.from(prepared.bytes).equals(Buffer.from(clean))).toBe(true);
		expect(prepared.removed).toEqual(['EXIF', 'GPS', 'COM']);
		expect(prepared.metadataRemoved).toBe(true);
	});

	it.each([
		[6, 48, 64],
		[8, 48, 64],
		[3, 64, 48],
		[2, 64, 48],
	])('turns orientation %i upright (the red corner ends top-left) and re-encodes at %i × %i', (orientation, width, height) => {
		// Stored so that the orientation shows the marked picture upright: store the inverse turn.
		const upright = marked(width, height);
		const storeAs = { 6: 8, 8: 6, 3: 3, 2: 2 }[orientation]!;
		const stored = runToEnd(applyOrientation(upright, storeAs));
		const file = withSegments(jpegOf(stored), [exifSegment(orientation)]);
		const prepared = prepare(file);
		expect(prepared).toMatchObject({ changed: true, orientation, sent: { width, height }, removed: ['EXIF'], metadataRemoved: true });
		const result = pixels(prepared.bytes);
		expect(isRed(meanColour(result, 0, 0, 0.2, 0.2))).toBe(true);
		expect(isRed(meanColour(result, 0.8, 0.8, 1, 1))).toBe(false);
		expect(runToEnd(readJpegMetadata(prepared.bytes))).toMatchObject({ orientation: 1, removable: [] });
	});

	it('scales a JPEG whose longer side is over maxSide down to it, keeping proportions and the ICC profile', () => {
		const icc = segment(0xe2, [...Buffer.from('ICC_PROFILE\0', 'latin1'), 1, 1, ...Buffer.from('profile')]);
		const file = withSegments(jpegOf(marked(200, 120)), [icc]);
		const prepared = prepare(file, { maxSide: 100 });
		expect(prepared).toMatchObject({ changed: true, sent: { width: 100, height: 60 }, orientation: 1, removed: [], metadataRemoved: false });
		expect(Buffer.from(runToEnd(readJpegMetadata(prepared.bytes)).iccProfile!).toString()).toBe('profile');
		expect(isRed(meanColour(pixels(prepared.bytes), 0, 0, 0.2, 0.2))).toBe(true);
	});

	it('re-encodes an upright small JPEG whose kept bytes are over 8 MB (a huge ICC profile is then dropped)', () => {
		const part = (n: number) => segment(0xe2, [...Buffer.from('ICC_PROFILE\0', 'latin1'), n, 140, ...new Uint8Array(60000)]);
		const file = withSegments(jpegOf(marked(32, 32)), Array.from({ length: 140 }, (_, i) => part(i + 1)));
		const prepared = prepare(file);
		expect(prepared.changed).toBe(true);
		expect(prepared.sent.bytes).toBeLessThan(10000);
		expect(runToEnd(readJpegMetadata(prepared.bytes)).iccProfile).toBeUndefined();
	});

	it('refuses a damaged small JPEG even when its bytes could go as they are', () => {
		const file = fixture('b420r').slice();
		file.set([0xff, 0x00, 0xff, 0x00, 0xff, 0x00], file.length - 300);
		expect(refusal(file)).toBeInstanceOf(ImageFormatError);
	});

	describe('a JPEG the decoder leaves out (here CMYK)', () => {
		const cmyk = (before: Uint8Array[]): Uint8Array => {
			const sof = segment(0xc0, [8, 0, 16, 0, 16, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
			const sos = segment(0xda, [4, 1, 0, 2, 0, 3, 0, 4, 0, 0, 63, 0]);
			return new Uint8Array([0xff, 0xd8, ...before.flatMap((s) => [...s]), ...sof, ...sos, 1, 2, 3, 0xff, 0xd9]);
		};

		it('is sent as it is, without its metadata, when no pixel must change', () => {
			const prepared = prepare(cmyk([exifSegment(1), segment(0xfe, 'note')]));
			expect(prepared).toMatchObject({ changed: true, sent: { width: 16, height: 16 }, removed: ['EXIF', 'COM'] });
			expect(prepare(cmyk([])).changed).toBe(false);
		});

		it('is refused, naming CMYK, when it must be turned or scaled', () => {
			const turned = refusal(cmyk([exifSegment(6)]));
			expect(turned).toBeInstanceOf(UnsupportedPhotoError);
			expect(turned.message).toBe(
				'This JPEG uses CMYK colour (4 components), which the node cannot decode to turn it upright: save it as an ordinary JPEG (8-bit, RGB) first, or set Photo Preparation to Send As Is',
			);
			expect(refusal(cmyk([]), { maxSide: 8 }).message).toMatch(/cannot decode to scale it down from 16 × 16/);
		});
	});
});

describe('preparePhoto: limits, read from the header first', () => {
	it('refuses more bytes than maxBytes before reading anything', () => {
		expect(refusal(new Uint8Array(1001), { maxBytes: 1000 }).message).toBe('The photo is 0.0 MB, more than the 0.0 MB accepted');
		expect(refusal(new Uint8Array(3 * 1024 * 1024), { maxBytes: 2 * 1024 * 1024 }).message).toMatch(/3\.0 MB, more than the 2\.0 MB/);
	});

	it('refuses a JPEG claiming 60000 × 60000 pixels from its frame header, before any pixel memory', () => {
		const sof = segment(0xc0, [8, 0xea, 0x60, 0xea, 0x60, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
		const file = new Uint8Array([0xff, 0xd8, ...sof, 0xff, 0xd9]);
		const started = Date.now();
		expect(refusal(file).message).toBe('The photo is 60000 × 60000 pixels (3600.0 megapixels), more than the 100 megapixels accepted: scale it down first');
		expect(Date.now() - started).toBeLessThan(100);
	});

	it('refuses a PNG claiming more than maxPixels from its IHDR', () => {
		const file = rgbaPng(marked(20, 10));
		expect(refusal(file, { maxPixels: 199 }).message).toMatch(/20 × 10 pixels \(0\.0 megapixels\), more than/);
	});

	it('refuses a WebP canvas over maxPixels', () => {
		expect(refusal(webp(20000, 10000, []), {}).message).toMatch(/20000 × 10000 pixels/);
	});
});

describe('preparePhoto: formats it cannot send', () => {
	const ftyp = (brand: string, compatible: string): Uint8Array => {
		const b = Buffer.alloc(32);
		b.writeUInt32BE(24, 0);
		b.write(`ftyp${brand}\0\0\0\0${compatible}mif1`, 4, 'latin1');
		return new Uint8Array(b);
	};
	it.each([
		['HEIC', ftyp('heic', 'heic'), 'This is an iPhone HEIC photo: set Camera > Formats > Most Compatible, or convert it to JPEG first'],
		['AVIF', ftyp('avif', 'avif'), 'This is an AVIF image, which the node cannot read: convert it to JPEG or PNG first'],
		['GIF', new Uint8Array(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')), 'This is a GIF image, which the node cannot send as a photo: convert it to JPEG or PNG first'],
		['BMP', new Uint8Array(Buffer.concat([Buffer.from('BM'), Buffer.alloc(40)])), 'This is a BMP image, which the node cannot read: convert it to JPEG or PNG first'],
		['TIFF', tiff(1), 'This is a TIFF image, which the node cannot read: convert it to JPEG or PNG first'],
		['a PDF', new Uint8Array(Buffer.from('%PDF-1.4 ...')), 'This file is not a JPEG, PNG or WebP photo: send a JPEG or PNG photo'],
	])('%s is refused with what to do', (_name, file, message) => {
		const error = refusal(file);
		expect(error).toBeInstanceOf(UnsupportedPhotoError);
		expect(error).toBeInstanceOf(ImageFormatError);
		expect(error.message).toBe(message);
	});
});

describe('preparePhoto: PNG', () => {
	it('sends a small PNG without metadata as it came', () => {
		const file = rgbaPng(marked(30, 20));
		expect(prepare(file)).toMatchObject({ bytes: file, changed: false, mimeType: 'image/png', original: { format: 'png', width: 30, height: 20 } });
	});

	it('strips text chunks losslessly and stays a PNG (transparency kept)', () => {
		const picture = image(30, 20, (x) => [10, 20, 30, x < 15 ? 0 : 255]);
		const file = rgbaPng(picture, [chunk('tEXt', Buffer.from('GPS\x0048.8584,2.2945'))]);
		const prepared = prepare(file);
		expect(prepared).toMatchObject({ changed: true, mimeType: 'image/png', removed: ['text'], sent: { width: 30, height: 20 } });
		expect(Buffer.from(prepared.bytes).includes(Buffer.from('48.8584'))).toBe(false);
	});

	it('applies the eXIf orientation, then sends a JPEG', () => {
		const upright = marked(40, 30);
		const stored = runToEnd(applyOrientation(upright, 6)); // 8's inverse
		const file = rgbaPng(stored, [chunk('eXIf', tiff(8))]);
		const prepared = prepare(file);
		expect(prepared).toMatchObject({ mimeType: 'image/jpeg', orientation: 8, sent: { width: 40, height: 30 }, removed: ['EXIF'] });
		expect(isRed(meanColour(pixels(prepared.bytes), 0, 0, 0.2, 0.2))).toBe(true);
	});

	it('flattens real transparency on white when it must re-encode, and carries the iCCP profile over', () => {
		const picture = image(200, 100, (x) => (x < 100 ? [0, 0, 0, 0] : [240, 20, 20, 255]));
		const iccp = chunk('iCCP', [...Buffer.from('p\0\0'), ...zlib.deflateSync(Buffer.from('png profile'))]);
		const prepared = prepare(rgbaPng(picture, [iccp]), { maxSide: 100 });
		expect(prepared).toMatchObject({ mimeType: 'image/jpeg', sent: { width: 100, height: 50 } });
		const result = pixels(prepared.bytes);
		expect(meanColour(result, 0, 0, 0.4, 1)).toEqual([255, 255, 255]);
		expect(isRed(meanColour(result, 0.6, 0, 1, 1))).toBe(true);
		expect(Buffer.from(runToEnd(readJpegMetadata(prepared.bytes)).iccProfile!).toString()).toBe('png profile');
	});

	it('drops a broken iCCP profile but still sends the photo', () => {
		const iccp = chunk('iCCP', [...Buffer.from('p\0\0'), 1, 2, 3, 4]);
		const prepared = prepare(rgbaPng(marked(200, 100), [iccp]), { maxSide: 100 });
		expect(runToEnd(readJpegMetadata(prepared.bytes)).iccProfile).toBeUndefined();
	});
});

describe('preparePhoto: WebP', () => {
	it('removes EXIF and XMP and sends it as WebP', () => {
		const file = webp(64, 48, [
			['EXIF', tiff(6, { gps: true })],
			['XMP ', Buffer.from('<x/>')],
		]);
		const prepared = prepare(file);
		expect(prepared).toMatchObject({ mimeType: 'image/webp', changed: true, orientation: 1, removed: ['EXIF', 'GPS', 'XMP'], sent: { width: 64, height: 48 } });
		expect(prepared.sent.bytes).toBeLessThan(file.length);
	});

	it('sends a WebP without metadata as it came', () => {
		const file = webp(64, 48, [], 0);
		expect(prepare(file)).toMatchObject({ bytes: file, changed: false, metadataRemoved: false });
	});
});

describe('preparePhoto: slices', () => {
	it('prepares a 1024 × 768 photo with orientation 6 in slices, none long', () => {
		const file = withSegments(jpegOf(marked(1024, 768), 90), [exifSegment(6)]);
		const { slices, longest } = sliceGaps(() => preparePhoto(file, { ...DEFAULT_PHOTO_LIMITS, maxSide: 512 }));
		expect(slices).toBeGreaterThan(15);
		// Under jest with coverage; plain Node is measured by scripts/bench-photo.js.
		expect(longest).toBeLessThan(60);
	});
});
