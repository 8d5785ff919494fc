import { fitWithin, resizePremultiplied } from '../../../nodes/FaceToSticker/image/ops/resize';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';

function solid(width: number, height: number, rgba: number[]): RgbaImage {
	const data = new Uint8Array(width * height * 4);
	for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
	return { width, height, data };
}

/** An anti-aliased red disc on transparent BLACK, the case where straight-alpha filtering goes dark. */
function redDisc(size: number): RgbaImage {
	const image = solid(size, size, [0, 0, 0, 0]);
	const c = size / 2;
	const r = size * 0.4;
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
			const a = Math.round(255 * Math.min(1, Math.max(0, r + 0.5 - d)));
			if (a > 0) image.data.set([255, 0, 0, a], (y * size + x) * 4);
		}
	}
	return image;
}

function pixels(image: RgbaImage): number[][] {
	const out: number[][] = [];
	for (let i = 0; i < image.data.length; i += 4) out.push(Array.from(image.data.subarray(i, i + 4)));
	return out;
}

describe('fitWithin', () => {
	it('keeps the aspect ratio with the limiting side exact', () => {
		expect(fitWithin(860, 1024, 496, 496)).toEqual({ width: 417, height: 496 });
		expect(fitWithin(1024, 860, 496, 496)).toEqual({ width: 496, height: 417 });
		expect(fitWithin(10, 10, 480, 480)).toEqual({ width: 480, height: 480 });
		expect(fitWithin(3, 1, 100, 400)).toEqual({ width: 100, height: 33 });
	});

	it('never gives a side below 1 px', () => {
		expect(fitWithin(1000, 1, 50, 50)).toEqual({ width: 50, height: 1 });
		expect(fitWithin(1, 1000, 50, 50)).toEqual({ width: 1, height: 50 });
	});

	it('refuses an empty box', () => {
		expect(() => fitWithin(10, 10, 0, 10)).toThrow('empty');
	});
});

describe('resizePremultiplied', () => {
	it.each([
		['down', 100, 60, 37, 23],
		['up', 5, 3, 40, 24],
		['down in x, up in y', 90, 4, 11, 17],
	])('keeps a flat translucent colour exact (%s)', (_case, w, h, ow, oh) => {
		const out = runToEnd(resizePremultiplied(solid(w, h, [100, 150, 200, 128]), ow, oh));
		expect([out.width, out.height]).toEqual([ow, oh]);
		for (const p of pixels(out)) expect(p).toEqual([100, 150, 200, 128]);
	});

	it('is the identity at the same size', () => {
		const image = solid(9, 7, [0, 0, 0, 0]);
		for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 61) % 256;
		for (let i = 3; i < image.data.length; i += 4) if (image.data[i] === 0) image.data.fill(0, i - 3, i);
		expect(Array.from(runToEnd(resizePremultiplied(image, 9, 7)).data)).toEqual(Array.from(image.data));
	});

	it.each([
		['downscale', 200, 57],
		['upscale', 40, 173],
	])('leaves no dark fringe on a red disc over transparent black (%s)', (_case, size, out) => {
		const resized = runToEnd(resizePremultiplied(redDisc(size), out, out));
		let edge = 0;
		for (const [r, g, b, a] of pixels(resized)) {
			if (a === 0) {
				expect([r, g, b]).toEqual([0, 0, 0]);
				continue;
			}
			if (a < 255) edge++;
			// Straight-alpha filtering would mix in the black: r < 255 at the rim.
			expect([r, g, b]).toEqual([255, 0, 0]);
		}
		expect(edge).toBeGreaterThan(20);
	});

	it('stores fully transparent results as 0,0,0,0 whatever colour was there', () => {
		const image = solid(30, 30, [90, 180, 40, 0]);
		for (let y = 10; y < 20; y++) for (let x = 10; x < 20; x++) image.data.set([90, 180, 40, 255], (y * 30 + x) * 4);
		const out = runToEnd(resizePremultiplied(image, 13, 13));
		for (const [r, g, b, a] of pixels(out)) if (a === 0) expect([r, g, b]).toEqual([0, 0, 0]);
		expect(pixels(out)[0]).toEqual([0, 0, 0, 0]);
	});

	it('scales content with the image: a 40 × 20 block in 80 × 40 becomes 20 × 10 at half size', () => {
		const image = solid(80, 40, [0, 0, 0, 0]);
		for (let y = 10; y < 30; y++) for (let x = 20; x < 60; x++) image.data.set([0, 0, 255, 255], (y * 80 + x) * 4);
		const out = runToEnd(resizePremultiplied(image, 40, 20));
		let opaque = 0;
		let minX = 40;
		let maxX = 0;
		for (let y = 0; y < 20; y++) {
			for (let x = 0; x < 40; x++) {
				if (out.data[(y * 40 + x) * 4 + 3] < 128) continue;
				opaque++;
				minX = Math.min(minX, x);
				maxX = Math.max(maxX, x);
			}
		}
		expect(opaque).toBe(200);
		expect([minX, maxX]).toEqual([10, 29]);
	});

	it('spreads one pixel over N (1 → N)', () => {
		const out = runToEnd(resizePremultiplied(solid(1, 1, [12, 34, 56, 78]), 7, 5));
		for (const p of pixels(out)) expect(p).toEqual([12, 34, 56, 78]);
	});

	it('averages N pixels into one (N → 1), weighted by alpha', () => {
		const row = solid(8, 1, [0, 0, 0, 0]);
		for (let x = 0; x < 8; x++) row.data.set(x < 4 ? [255, 0, 0, 255] : [0, 0, 255, 0], x * 4);
		const [r, g, b, a] = pixels(runToEnd(resizePremultiplied(row, 1, 1)))[0];
		// Half the weight is transparent: about half alpha, and the colour is still pure red.
		expect(a).toBeGreaterThan(100);
		expect(a).toBeLessThan(155);
		expect([r, g, b]).toEqual([255, 0, 0]);
		expect(pixels(runToEnd(resizePremultiplied(solid(50, 1, [7, 8, 9, 10]), 1, 1)))[0]).toEqual([7, 8, 9, 10]);
	});

	it('refuses an empty output', () => {
		expect(() => runToEnd(resizePremultiplied(solid(2, 2, [0, 0, 0, 0]), 0, 3))).toThrow('empty');
	});

	it('yields often on a large image', () => {
		const work = resizePremultiplied(solid(1024, 1024, [1, 2, 3, 255]), 496, 417);
		let yields = 0;
		while (!work.next().done) yields++;
		expect(yields).toBeGreaterThan(30);
	});
});
