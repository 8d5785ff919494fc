import { addOutline } from '../../../nodes/FaceToSticker/image/ops/outline';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';

function blank(width: number, height: number): RgbaImage {
	return { width, height, data: new Uint8Array(width * height * 4) };
}

function rgbaAt(image: RgbaImage, x: number, y: number): number[] {
	const i = (y * image.width + x) * 4;
	return Array.from(image.data.subarray(i, i + 4));
}

/** Brute-force distance from (x, y) of the outlined image to the nearest body pixel (alpha ≥ 128). */
function distanceToBody(source: RgbaImage, pad: number, x: number, y: number): number {
	let best = Infinity;
	for (let sy = 0; sy < source.height; sy++) {
		for (let sx = 0; sx < source.width; sx++) {
			if (source.data[(sy * source.width + sx) * 4 + 3] < 128) continue;
			best = Math.min(best, Math.hypot(sx + pad - x, sy + pad - y));
		}
	}
	return best;
}

const GREEN: [number, number, number] = [0, 200, 0];

describe('addOutline', () => {
	it('returns the image unchanged at width 0', () => {
		const image = blank(4, 4);
		image.data.set([1, 2, 3, 255], 20);
		expect(runToEnd(addOutline(image, 0, GREEN))).toBe(image);
	});

	it('grows the image by the width on each side', () => {
		const out = runToEnd(addOutline(blank(10, 6), 3, GREEN));
		expect([out.width, out.height]).toEqual([16, 12]);
	});

	it('follows the exact Euclidean distance: opaque within width − 0.5, transparent beyond width + 0.5', () => {
		// An irregular shape, so the distance transform is tested against brute force everywhere.
		const source = blank(24, 18);
		for (let y = 0; y < 18; y++) {
			for (let x = 0; x < 24; x++) {
				const inBlob = Math.hypot(x - 8, y - 8) < 5 || (x > 12 && x < 20 && y > 9 && y < 14) || (x === 21 && y === 3);
				if (inBlob) source.data.set([200, 30, 60, 255], (y * 24 + x) * 4);
			}
		}
		const width = 5;
		const out = runToEnd(addOutline(source, width, GREEN));
		let partial = 0;
		for (let y = 0; y < out.height; y++) {
			for (let x = 0; x < out.width; x++) {
				const [r, g, b, a] = rgbaAt(out, x, y);
				const d = distanceToBody(source, width, x, y);
				if (d === 0) expect([r, g, b, a]).toEqual([200, 30, 60, 255]);
				else if (d <= width - 0.5) expect([r, g, b, a]).toEqual([...GREEN, 255]);
				else if (d >= width + 0.5) expect([r, g, b, a]).toEqual([0, 0, 0, 0]);
				else {
					partial++;
					expect(a).toBe(Math.round(255 * (width + 0.5 - d)));
					expect([r, g, b]).toEqual(GREEN);
				}
			}
		}
		expect(partial).toBeGreaterThan(10);
	});

	it("rounds a square's corner: the pixel at (w, w) diagonally from the corner is transparent", () => {
		const source = blank(10, 10);
		for (let i = 0; i < source.data.length; i += 4) source.data.set([0, 0, 255, 255], i);
		const w = 8;
		const out = runToEnd(addOutline(source, w, [255, 255, 255]));
		// The square covers [w, w + 9] in the output; its top-left pixel is at (w, w).
		expect(rgbaAt(out, 0, 0)).toEqual([0, 0, 0, 0]);
		expect(rgbaAt(out, out.width - 1, out.height - 1)).toEqual([0, 0, 0, 0]);
		// Straight out from an edge: opaque up to distance w − 1, the pixel at distance w half covered.
		expect(rgbaAt(out, 1, w + 4)).toEqual([255, 255, 255, 255]);
		expect(rgbaAt(out, w + 4, 1)).toEqual([255, 255, 255, 255]);
		expect(rgbaAt(out, 0, w + 4)).toEqual([255, 255, 255, 128]);
		// On the diagonal, 5·√2 ≈ 7.07 ≤ w − 0.5 is still opaque; 6·√2 ≈ 8.49 is nearly gone, 8·√2 is out.
		expect(rgbaAt(out, 3, 3)).toEqual([255, 255, 255, 255]);
		expect(rgbaAt(out, 2, 2)[3]).toBe(Math.round(255 * (w + 0.5 - 6 * Math.SQRT2)));
	});

	it('draws the outline under translucent sticker pixels (sticker OVER outline)', () => {
		const source = blank(5, 5);
		for (let i = 0; i < source.data.length; i += 4) source.data.set([0, 0, 0, 255], i);
		source.data.set([255, 0, 0, 64], (0 * 5 + 2) * 4); // a faint red rim pixel on top
		const out = runToEnd(addOutline(source, 2, [0, 0, 255]));
		// 64/255 red over opaque blue.
		const [r, g, b, a] = rgbaAt(out, 2 + 2, 2);
		expect(a).toBe(255);
		expect(r).toBe(64);
		expect(g).toBe(0);
		expect(b).toBe(Math.round((255 * 191) / 255));
	});

	it('yields while working on a 512 × 512 image', () => {
		const source = blank(496, 496);
		for (let y = 100; y < 400; y++) for (let x = 100; x < 400; x++) source.data[(y * 496 + x) * 4 + 3] = 255;
		const work = addOutline(source, 8, [255, 255, 255]);
		let yields = 0;
		while (!work.next().done) yields++;
		expect(yields).toBeGreaterThan(20);
	});
});
