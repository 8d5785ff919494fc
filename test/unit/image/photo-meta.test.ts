import * as zlib from 'zlib';

import { decodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/decode';
import { decodePng } from '../../../nodes/FaceToSticker/image/png/decode';
import { readJpegMetadata, stripJpeg } from '../../../nodes/FaceToSticker/image/photo/jpegMeta';
import { readPngMetadata, stripPng } from '../../../nodes/FaceToSticker/image/photo/pngMeta';
import { readWebp, stripWebp } from '../../../nodes/FaceToSticker/image/photo/webpMeta';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { expectImageFormatError } from '../../helpers/imageChecks';
import { fixture } from './jpeg-fixtures';
import { chunk, exifSegment, marked, rgbaPng, segment, tiff, webp, withSegments } from './photo-builders';

const has = (bytes: Uint8Array, text: string): boolean => Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));

describe('JPEG metadata', () => {
	const base = fixture('p420'); // progressive: several scans and DHT segments between them
	const icc = segment(0xe2, [...Buffer.from('ICC_PROFILE\0', 'latin1'), 1, 1, ...Buffer.from('fake profile bytes')]);
	const tagged = withSegments(
		base,
		[
			exifSegment(6, { gps: true }),
			segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Creator: Test Person</x:xmpmeta>'),
			icc,
			segment(0xe2, 'MPF\0II*\0secondary image index'),
			segment(0xed, 'Photoshop 3.0\x008BIM IPTC city'),
			segment(0xe3, 'vendor thumbnail'),
			segment(0xe0, 'JFXX\0thumbnail'),
			segment(0xfe, 'taken at home'),
			segment(0xee, 'Adobe\0\x64\0\0\0\0\x01'),
		],
		Buffer.from('\xff\xd8 appended depth map \xff\xd9', 'latin1'),
	);

	it('names everything that identifies, and reads the orientation', () => {
		const metadata = runToEnd(readJpegMetadata(tagged));
		expect(metadata.orientation).toBe(6);
		expect(metadata.removable.sort()).toEqual(['APP0', 'APP3', 'COM', 'EXIF', 'GPS', 'IPTC', 'MPF', 'XMP', 'data after the image'].sort());
		expect(metadata.iccProfile && Buffer.from(metadata.iccProfile).toString()).toBe('fake profile bytes');
	});

	it('strips it and keeps JFIF, the ICC profile, Adobe APP14 and every scan byte for byte', () => {
		const stripped = stripJpeg(tagged, runToEnd(readJpegMetadata(tagged)));
		for (const gone of ['Exif', 'xmpmeta', 'MPF', 'Photoshop', 'vendor', 'JFXX', 'taken at home', 'depth map']) expect(has(stripped, gone)).toBe(false);
		expect(has(stripped, 'JFIF')).toBe(true);
		expect(has(stripped, 'ICC_PROFILE')).toBe(true);
		expect(has(stripped, 'Adobe')).toBe(true);
		expect(Buffer.from(runToEnd(decodeJpeg(stripped)).data).equals(Buffer.from(runToEnd(decodeJpeg(base)).data))).toBe(true);
		expect(runToEnd(readJpegMetadata(stripped)).removable).toEqual([]);
		expect(stripped.length).toBe(base.length + icc.length + 16);
	});

	it('reads a file without metadata as orientation 1 with nothing to remove', () => {
		expect(runToEnd(readJpegMetadata(base))).toMatchObject({ orientation: 1, removable: [], iccProfile: undefined });
	});

	it('takes the first EXIF orientation, joins ICC parts in their numbered order, names other APP1/APP2', () => {
		const part = (n: number, text: string) => segment(0xe2, [...Buffer.from('ICC_PROFILE\0', 'latin1'), n, 2, ...Buffer.from(text)]);
		const file = withSegments(base, [exifSegment(8), exifSegment(3), part(2, 'world'), part(1, 'hello '), segment(0xe1, 'other'), segment(0xe2, 'FPXR')]);
		const metadata = runToEnd(readJpegMetadata(file));
		expect(metadata.orientation).toBe(8);
		expect(Buffer.from(metadata.iccProfile!).toString()).toBe('hello world');
		expect(metadata.removable.sort()).toEqual(['APP1', 'APP2', 'EXIF']);
	});

	it('searches long image data in slices', () => {
		const sos = segment(0xda, [1, 1, 0, 0, 63, 0]);
		const data = new Uint8Array(5 << 20).fill(0x11);
		for (let i = 1000; i < data.length; i += 1000) data.set([0xff, 0x00], i);
		const file = new Uint8Array([0xff, 0xd8, ...sos, ...data.subarray(0, 16)]);
		const big = new Uint8Array(file.length + data.length + 2);
		big.set(file);
		big.set(data, file.length);
		big.set([0xff, 0xd9], big.length - 2);
		const work = readJpegMetadata(big);
		let yields = 0;
		let step = work.next();
		for (; !step.done; step = work.next()) yields++;
		expect(yields).toBeGreaterThanOrEqual(2);
		expect(step.value.keep.at(-1)).toEqual([big.length - 2, big.length]);
	});

	it('refuses a file that ends inside its image data', () => {
		expectImageFormatError(() => runToEnd(readJpegMetadata(base.subarray(0, base.length - 2))), /ends before its end marker/);
	});
});

describe('PNG metadata', () => {
	const picture = marked(8, 6);
	const iccp = chunk('iCCP', [...Buffer.from('sRGB\0\0'), ...zlib.deflateSync(Buffer.from('fake profile'))]);
	const tagged = rgbaPng(picture, [
		iccp,
		chunk('tEXt', Buffer.from('Author\0Test Person')),
		chunk('zTXt', [...Buffer.from('Comment\0\0'), ...zlib.deflateSync(Buffer.from('taken at home'))]),
		chunk('iTXt', Buffer.from('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>')),
		chunk('iTXt', Buffer.from('Title\0\0\0\0\0holiday')),
		chunk('eXIf', tiff(8, { gps: true, little: false })),
		chunk('tIME', [7, 234, 11, 30, 14, 15, 16]),
	]);

	it('names text, XMP, EXIF with GPS and tIME, reads the eXIf orientation and the iCCP profile', () => {
		const metadata = readPngMetadata(tagged);
		expect(metadata.orientation).toBe(8);
		expect(metadata.removable.sort()).toEqual(['EXIF', 'GPS', 'XMP', 'tIME', 'text']);
		expect(zlib.inflateSync(Buffer.from(metadata.iccCompressed!)).toString()).toBe('fake profile');
	});

	it('strips those chunks, keeps iCCP and the pixels', () => {
		const stripped = stripPng(tagged, readPngMetadata(tagged));
		for (const gone of ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']) expect(has(stripped, gone)).toBe(false);
		expect(has(stripped, 'iCCP')).toBe(true);
		expect(Buffer.from(runToEnd(decodePng(stripped)).data).equals(Buffer.from(picture.data))).toBe(true);
	});

	it('reads a plain PNG as orientation 1 with nothing to remove, notes data after IEND', () => {
		const plain = rgbaPng(picture);
		expect(readPngMetadata(plain)).toMatchObject({ orientation: 1, removable: [] });
		expect(readPngMetadata(new Uint8Array([...plain, 1, 2, 3])).removable).toEqual(['data after the image']);
	});

	it('refuses a truncated chunk list', () => {
		expectImageFormatError(() => readPngMetadata(tagged.subarray(0, 40)), /truncated/);
		expectImageFormatError(() => readPngMetadata(tagged.subarray(0, tagged.length - 12)), /before its IEND/);
	});
});

describe('WebP metadata', () => {
	const file = webp(300, 200, [
		['EXIF', [...Buffer.from('Exif\0\0', 'latin1'), ...tiff(6, { gps: true })]],
		['XMP ', Buffer.from('<x:xmpmeta/>')],
		['ICCP', Buffer.from('fake')],
	]);

	it('reads the canvas size, the EXIF orientation and what identifies', () => {
		expect(readWebp(file)).toMatchObject({ width: 300, height: 200, orientation: 6 });
		expect(readWebp(file).removable.sort()).toEqual(['EXIF', 'GPS', 'XMP']);
	});

	it('drops EXIF and XMP, clears their VP8X flags, fixes the RIFF size', () => {
		const stripped = stripWebp(file, readWebp(file));
		expect(has(stripped, 'EXIF')).toBe(false);
		expect(has(stripped, 'XMP ')).toBe(false);
		expect(has(stripped, 'ICCP')).toBe(true);
		expect(stripped[20] & 0x0c).toBe(0);
		expect(Buffer.from(stripped).readUInt32LE(4)).toBe(stripped.length - 8);
		expect(readWebp(stripped)).toMatchObject({ width: 300, height: 200, removable: [] });
	});

	it('reads the size of a simple lossy (VP8) and lossless (VP8L) file', () => {
		const vp8 = Buffer.alloc(30);
		vp8.write('RIFF', 0, 'latin1');
		vp8.writeUInt32LE(22, 4);
		vp8.write('WEBPVP8 ', 8, 'latin1');
		vp8.writeUInt32LE(10, 16);
		vp8.set([0, 0, 0, 0x9d, 0x01, 0x2a], 20);
		vp8.writeUInt16LE(640, 26);
		vp8.writeUInt16LE(480, 28);
		expect(readWebp(new Uint8Array(vp8))).toMatchObject({ width: 640, height: 480 });
		const lossless = webp(17, 9, []);
		const noVp8x = new Uint8Array([...lossless.subarray(0, 12), ...lossless.subarray(30)]);
		expect(readWebp(noVp8x)).toMatchObject({ width: 17, height: 9 });
	});

	it('refuses a truncated file or one without an image chunk', () => {
		expectImageFormatError(() => readWebp(file.subarray(0, 10)), /truncated/);
		expectImageFormatError(() => readWebp(file.subarray(0, 40)), /truncated: its VP8L chunk ends early/);
		const empty = new Uint8Array([...Buffer.from('RIFF'), 12, 0, 0, 0, ...Buffer.from('WEBPJUNK'), 0, 0, 0, 0]);
		expectImageFormatError(() => readWebp(empty), /no image chunk/);
	});
});
