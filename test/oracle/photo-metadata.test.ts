import { execFileSync } from 'child_process';

import { preparePhoto } from '../../nodes/FaceToSticker/image/photo/prepare';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { djpegRgb, ensureOracles } = require('../helpers/oracles');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makePhonePhoto } = require('../helpers/phonePhoto');

// A phone-like photo (test/helpers/phonePhoto.js: a real photo scaled up, stored turned with Orientation 6,
// tagged by exiftool with GPS, camera serial numbers, make/model, times, XMP creator and a comment): after
// preparePhoto, exiftool finds none of them, and the photo is upright (the red mark top-left), at most
// 1536 px on its longer side. The same for a photo that only needed its metadata removed.

const { exiftool } = ensureOracles();

/** Every tag exiftool reads, by group:name, with -n values. */
function tags(bytes: Uint8Array): Record<string, unknown> {
	const json = execFileSync(exiftool, ['-j', '-a', '-G1', '-n', '-'], { input: Buffer.from(bytes) }).toString();
	return JSON.parse(json)[0];
}

const IDENTIFYING = /GPS|Serial|DateTime|CreateDate|ModifyDate|Make|Model|MakerNote|Creator|Comment|Orientation|XMP|IPTC|Artist|Owner|Software/i;

function identifying(found: Record<string, unknown>): string[] {
	// Keys look like "GPS:GPSLatitude"; exiftool's System, Composite and JFIF groups describe the file or repeat other tags.
	return Object.keys(found).filter((key) => !/^(System|ExifTool|Composite|JFIF|SourceFile)(:|$)/.test(key) && IDENTIFYING.test(key));
}

function redCornerAtTopLeft(jpeg: Uint8Array): boolean {
	const { width, height, data } = djpegRgb(Buffer.from(jpeg));
	const side = Math.floor(width / 16);
	let red = 0;
	for (let y = 0; y < side; y++) {
		for (let x = 0; x < side; x++) {
			const i = (y * width + x) * 3;
			if (data[i] > 200 && data[i + 1] < 60 && data[i + 2] < 60) red++;
		}
	}
	return red > side * side * 0.9 && height > 0;
}

describe('metadata after preparation, read by exiftool', () => {
	it('a 3-megapixel phone photo with Orientation 6: no GPS, serial, time, maker or XMP tags, upright, 1536 px', () => {
		const photo = makePhonePhoto({ megapixels: 3, orientation: 6 });
		const before = tags(photo);
		expect(before['GPS:GPSLatitude']).toBeCloseTo(48.8584, 3);
		expect(before['ExifIFD:SerialNumber']).toBe('SN-22-4711');
		expect(before['File:Comment']).toBe('taken at home');
		expect(before['IFD0:Make']).toBe('PhoneMaker');
		expect(identifying(before).length).toBeGreaterThan(8);

		const prepared = runToEnd(preparePhoto(new Uint8Array(photo)));
		expect(prepared).toMatchObject({ orientation: 6, changed: true, metadataRemoved: true, sent: { width: 1155, height: 1536 } }); // stored 2000 × 1504
		expect(prepared.removed).toEqual(expect.arrayContaining(['EXIF', 'GPS', 'XMP', 'COM']));
		expect(identifying(tags(prepared.bytes))).toEqual([]);
		expect(redCornerAtTopLeft(prepared.bytes)).toBe(true);
	});

	it('a small upright photo loses only its metadata: same pixels, nothing identifying left', () => {
		const photo = makePhonePhoto({ megapixels: 1, orientation: 1 });
		const prepared = runToEnd(preparePhoto(new Uint8Array(photo)));
		expect(prepared).toMatchObject({ orientation: 1, changed: true, metadataRemoved: true });
		expect(identifying(tags(prepared.bytes))).toEqual([]);
		expect(Buffer.from(djpegRgb(Buffer.from(prepared.bytes)).data).equals(Buffer.from(djpegRgb(photo).data))).toBe(true);
		expect(redCornerAtTopLeft(prepared.bytes)).toBe(true);
	});
});
