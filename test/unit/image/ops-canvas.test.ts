import { placeCentred } from '../../../nodes/FaceToSticker/image/ops/canvas';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';

function solid(width: number, height: number, rgba: number[]): RgbaImage {
	const data = new Uint8Array(width * height * 4);
	for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
	return { width, height, data };
}

function alphaBox(image: RgbaImage): number[] {
	let [x0, y0, x1, y1] = [image.width, image.height, -1, -1];
	for (let y = 0; y < image.height; y++) {
		for (let x = 0; x < image.width; x++) {
			if (image.data[(y * image.width + x) * 4 + 3] === 0) continue;
			[x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
		}
	}
	return [x0, y0, x1, y1];
}

describe('placeCentred', () => {
	it('centres with equal margins when the leftover is even', () => {
		const placed = runToEnd(placeCentred(solid(4, 2, [10, 20, 30, 255]), 10, 8));
		expect([placed.width, placed.height]).toEqual([10, 8]);
		expect(alphaBox(placed)).toEqual([3, 3, 6, 4]);
		expect(Array.from(placed.data.subarray((3 * 10 + 3) * 4, (3 * 10 + 3) * 4 + 4))).toEqual([10, 20, 30, 255]);
	});

	it('puts an odd leftover pixel on the right and at the bottom', () => {
		const placed = runToEnd(placeCentred(solid(3, 2, [1, 2, 3, 4]), 6, 5));
		expect(alphaBox(placed)).toEqual([1, 1, 3, 2]);
	});

	it('leaves the rest transparent black', () => {
		const placed = runToEnd(placeCentred(solid(2, 2, [255, 255, 255, 255]), 5, 5));
		let visible = 0;
		for (let i = 0; i < placed.data.length; i += 4) {
			if (placed.data[i + 3] > 0) visible++;
			else expect(Array.from(placed.data.subarray(i, i + 4))).toEqual([0, 0, 0, 0]);
		}
		expect(visible).toBe(4);
	});

	it('returns an image of the canvas size itself', () => {
		const image = solid(5, 5, [1, 1, 1, 1]);
		expect(runToEnd(placeCentred(image, 5, 5))).toBe(image);
	});

	it('refuses an image larger than the canvas', () => {
		expect(() => runToEnd(placeCentred(solid(6, 2, [0, 0, 0, 255]), 5, 5))).toThrow('does not fit 5 × 5');
	});
});
