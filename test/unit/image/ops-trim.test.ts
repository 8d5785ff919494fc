import { alphaBoundingBox, crop, trimToAlpha } from '../../../nodes/FaceToSticker/image/ops/trim';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';

function blank(width: number, height: number): RgbaImage {
	return { width, height, data: new Uint8Array(width * height * 4) };
}

function paint(image: RgbaImage, x: number, y: number, rgba: number[]): void {
	image.data.set(rgba, (y * image.width + x) * 4);
}

describe('alphaBoundingBox', () => {
	it('is the box of every pixel with alpha > 0, alpha 1 included', () => {
		const image = blank(20, 10);
		paint(image, 3, 2, [255, 0, 0, 255]);
		paint(image, 15, 7, [0, 0, 0, 1]);
		paint(image, 9, 1, [0, 255, 0, 40]);
		expect(runToEnd(alphaBoundingBox(image))).toEqual({ x: 3, y: 1, width: 13, height: 7 });
	});

	it('ignores colour in fully transparent pixels', () => {
		const image = blank(8, 8);
		image.data.fill(200);
		for (let i = 3; i < image.data.length; i += 4) image.data[i] = 0;
		paint(image, 4, 5, [1, 2, 3, 9]);
		expect(runToEnd(alphaBoundingBox(image))).toEqual({ x: 4, y: 5, width: 1, height: 1 });
	});

	it('is null for a fully transparent image', () => {
		expect(runToEnd(alphaBoundingBox(blank(5, 4)))).toBeNull();
	});

	it('handles a 1 × 1 image, visible or not', () => {
		const one = blank(1, 1);
		expect(runToEnd(alphaBoundingBox(one))).toBeNull();
		paint(one, 0, 0, [9, 9, 9, 255]);
		expect(runToEnd(alphaBoundingBox(one))).toEqual({ x: 0, y: 0, width: 1, height: 1 });
	});

	it('finds the right edge in a later row than the left edge', () => {
		const image = blank(10, 3);
		paint(image, 1, 0, [0, 0, 0, 255]);
		paint(image, 8, 2, [0, 0, 0, 255]);
		expect(runToEnd(alphaBoundingBox(image))).toEqual({ x: 1, y: 0, width: 8, height: 3 });
	});
});

describe('trimToAlpha', () => {
	it('returns a full image itself', () => {
		const image = blank(6, 3);
		paint(image, 0, 0, [1, 1, 1, 1]);
		paint(image, 5, 2, [1, 1, 1, 1]);
		expect(runToEnd(trimToAlpha(image))).toBe(image);
	});

	it('copies exactly the pixels of the box', () => {
		const image = blank(7, 5);
		for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 37) % 251;
		for (let y = 0; y < 5; y++) for (let x = 0; x < 7; x++) if (x < 2 || x > 4 || y < 1 || y > 3) paint(image, x, y, [0, 0, 0, 0]);
		for (let y = 1; y <= 3; y++) for (let x = 2; x <= 4; x++) image.data[(y * 7 + x) * 4 + 3] = 100 + x + y;
		const trimmed = runToEnd(trimToAlpha(image));
		expect(trimmed).not.toBeNull();
		expect([trimmed!.width, trimmed!.height]).toEqual([3, 3]);
		for (let y = 0; y < 3; y++) {
			for (let x = 0; x < 3; x++) {
				const from = ((y + 1) * 7 + x + 2) * 4;
				expect(Array.from(trimmed!.data.subarray((y * 3 + x) * 4, (y * 3 + x) * 4 + 4))).toEqual(Array.from(image.data.subarray(from, from + 4)));
			}
		}
	});

	it('is null when nothing is visible', () => {
		expect(runToEnd(trimToAlpha(blank(3, 3)))).toBeNull();
	});

	it('yields while scanning and copying a large image', () => {
		const image = blank(1024, 1024);
		paint(image, 100, 100, [1, 1, 1, 255]);
		paint(image, 1000, 900, [1, 1, 1, 255]);
		let yields = 0;
		const work = trimToAlpha(image);
		let step = work.next();
		while (!step.done) {
			yields++;
			step = work.next();
		}
		expect(yields).toBeGreaterThan(4);
		expect(step.value!.width).toBe(901);
		expect(runToEnd(crop(image, { x: 100, y: 100, width: 1, height: 1 })).data[3]).toBe(255);
	});
});
