import { applyOrientation, orientedSize } from '../../../nodes/FaceToSticker/image/photo/orient';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { sliceGaps } from '../../helpers/imageChecks';
import { image } from '../../helpers/pixels';

/** A 3 × 2 picture whose pixel values name their stored position: red = x, green = y. */
const stored = image(3, 2, (x, y) => [x, y, 0, 255]);

/** The stored (x, y) each upright pixel came from, row by row. */
function sources(picture: RgbaImage): string {
	const rows: string[] = [];
	for (let y = 0; y < picture.height; y++) {
		const row: string[] = [];
		for (let x = 0; x < picture.width; x++) row.push(`${picture.data[(y * picture.width + x) * 4]}${picture.data[(y * picture.width + x) * 4 + 1]}`);
		rows.push(row.join(' '));
	}
	return rows.join(' / ');
}

describe('applyOrientation (EXIF 2.3 tag 0x0112)', () => {
	// Stored:  00 10 20 / 01 11 21  (xy of each pixel)
	it.each([
		[1, '00 10 20 / 01 11 21'], // as stored
		[2, '20 10 00 / 21 11 01'], // mirrored left-right
		[3, '21 11 01 / 20 10 00'], // turned 180°
		[4, '01 11 21 / 00 10 20'], // mirrored top-bottom
		[5, '00 01 / 10 11 / 20 21'], // transposed
		[6, '01 00 / 11 10 / 21 20'], // turned 90° clockwise: the stored left column becomes the top row
		[7, '21 20 / 11 10 / 01 00'], // transverse
		[8, '20 21 / 10 11 / 00 01'], // turned 90° counter-clockwise
	])('orientation %i', (orientation, expected) => {
		const upright = runToEnd(applyOrientation(stored, orientation));
		expect(sources(upright)).toBe(expected);
		expect({ width: upright.width, height: upright.height }).toEqual(orientedSize(3, 2, orientation));
	});

	it('returns the picture itself for 1 and for values outside 1-8', () => {
		expect(runToEnd(applyOrientation(stored, 1))).toBe(stored);
		expect(runToEnd(applyOrientation(stored, 0))).toBe(stored);
		expect(runToEnd(applyOrientation(stored, 9))).toBe(stored);
	});

	it('works on pixels that do not start on a 4-byte boundary', () => {
		const bytes = new Uint8Array(stored.data.length + 1);
		bytes.set(stored.data, 1);
		const shifted = { width: 3, height: 2, data: bytes.subarray(1) };
		expect(sources(runToEnd(applyOrientation(shifted, 6)))).toBe('01 00 / 11 10 / 21 20');
	});

	it('turns a 1536 × 1152 picture in slices', () => {
		const big = { width: 1536, height: 1152, data: new Uint8Array(1536 * 1152 * 4) };
		const { slices, longest } = sliceGaps(() => applyOrientation(big, 6));
		expect(slices).toBeGreaterThan(10);
		expect(longest).toBeLessThan(40);
	});
});
