import { readExif } from '../../../nodes/FaceToSticker/image/photo/exif';
import { tiff } from './photo-builders';

describe('readExif (TIFF IFD0)', () => {
	it.each([1, 2, 3, 4, 5, 6, 7, 8])('reads Orientation %i in both byte orders', (orientation) => {
		expect(readExif(tiff(orientation, { little: true })).orientation).toBe(orientation);
		expect(readExif(tiff(orientation, { little: false })).orientation).toBe(orientation);
	});

	it('sees a GPS IFD pointer', () => {
		expect(readExif(tiff(6, { gps: true }))).toEqual({ orientation: 6, gps: true });
		expect(readExif(tiff(6, { gps: true, little: false }))).toEqual({ orientation: 6, gps: true });
		expect(readExif(tiff(1))).toEqual({ orientation: 1, gps: false });
	});

	it('reads no orientation as 1, and an invalid value (0, 9) as 1', () => {
		expect(readExif(tiff(null)).orientation).toBe(1);
		expect(readExif(tiff(0)).orientation).toBe(1);
		expect(readExif(tiff(9)).orientation).toBe(1);
	});

	it('reads broken blocks as orientation 1 without throwing', () => {
		const good = tiff(6);
		expect(readExif(good.subarray(0, 7)).orientation).toBe(1); // shorter than a header
		expect(readExif(new Uint8Array([0x41, 0x41, 42, 0, 8, 0, 0, 0])).orientation).toBe(1); // no byte order
		const wrongMagic = good.slice();
		wrongMagic[2] = 43;
		expect(readExif(wrongMagic).orientation).toBe(1);
		const badOffset = good.slice();
		badOffset.set([0xff, 0xff, 0, 0], 4);
		expect(readExif(badOffset).orientation).toBe(1);
		expect(readExif(good.subarray(0, 20)).orientation).toBe(1); // IFD entries cut off
		const wrongType = good.slice();
		const entry = 10 + 12 * 1; // entries are sorted: Make (0x010f) then Orientation (0x0112)
		expect(wrongType[entry]).toBe(0x12);
		wrongType[entry + 2] = 4; // LONG, not SHORT
		expect(readExif(wrongType).orientation).toBe(1);
	});
});
