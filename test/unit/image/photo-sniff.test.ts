import { sniffPhotoFormat } from '../../../nodes/FaceToSticker/image/photo/sniff';
import { fixture } from './jpeg-fixtures';
import { webp } from './photo-builders';

/** An ISO base media file starting with an ftyp box: major brand, minor version, compatible brands. */
function ftyp(major: string, compatible: string[]): Uint8Array {
	const size = 16 + 4 * compatible.length;
	const b = Buffer.alloc(size + 8);
	b.writeUInt32BE(size, 0);
	b.write('ftyp', 4, 'latin1');
	b.write(major, 8, 'latin1');
	compatible.forEach((brand, i) => b.write(brand, 16 + 4 * i, 'latin1'));
	b.write('meta', size + 4, 'latin1');
	return new Uint8Array(b);
}

const bytes = (text: string, pad = 32): Uint8Array => new Uint8Array(Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(pad)]));

describe('sniffPhotoFormat', () => {
	it.each([
		['an iPhone HEIC (major brand heic)', ftyp('heic', ['mif1', 'heic']), 'heic'],
		['a HEIF with major brand mif1 and heic compatible', ftyp('mif1', ['mif1', 'heic']), 'heic'],
		['a HEIF sequence (hevc)', ftyp('hevc', ['msf1', 'hevc']), 'heic'],
		['a generic HEIF (mif1 only)', ftyp('mif1', ['mif1']), 'heic'],
		['an AVIF (major brand avif)', ftyp('avif', ['mif1', 'miaf', 'avif']), 'avif'],
		['an AVIF written as mif1 with avif compatible', ftyp('mif1', ['mif1', 'avif', 'miaf']), 'avif'],
		['an AVIF sequence (avis)', ftyp('avis', ['msf1', 'avis']), 'avif'],
		['a GIF87a', bytes('GIF87a'), 'gif'],
		['a GIF89a', bytes('GIF89a'), 'gif'],
		['a BMP', bytes('BM'), 'bmp'],
		['a little-endian TIFF', new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), 'tiff'],
		['a big-endian TIFF', new Uint8Array([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]), 'tiff'],
		['a JPEG', fixture('b420r'), 'jpeg'],
		['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'png'],
		['a WebP', webp(4, 4, []), 'webp'],
		['an MP4 video (ftyp isom)', ftyp('isom', ['isom', 'mp41']), 'unknown'],
		['a PDF', bytes('%PDF-1.4'), 'unknown'],
		['an empty file', new Uint8Array(0), 'unknown'],
		['a 2-byte BMP-looking stub', new Uint8Array([0x42, 0x4d]), 'unknown'],
	])('%s', (_name, file, format) => {
		expect(sniffPhotoFormat(file)).toBe(format);
	});
});
