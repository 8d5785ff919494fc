import { buildColourTable } from '../../../nodes/FaceToSticker/image/ops/colourTable';
import { expandIndexed, quantize } from '../../../nodes/FaceToSticker/image/ops/quantize';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { IndexedImage, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { image } from '../../helpers/pixels';

/** A photo-like image: smooth gradients with noise, a transparent surround and a soft rim. */
function photoLike(size: number): RgbaImage {
	let seed = 7;
	const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 9) - 4;
	return image(size, size, (x, y) => {
		const d = Math.hypot(x - size / 2, y - size / 2);
		const a = Math.max(0, Math.min(255, Math.round((size * 0.45 - d) * 64)));
		if (a === 0) return [0, 0, 0, 0];
		const c = (v: number) => Math.max(0, Math.min(255, Math.round(v + noise())));
		return [c(200 - x), c(120 + y / 2), c(80 + (x * y) / size), a];
	});
}

function run(source: RgbaImage, colours: number): { indexed: IndexedImage; shown: RgbaImage } {
	const indexed = runToEnd(quantize(runToEnd(buildColourTable(source)), colours));
	return { indexed, shown: runToEnd(expandIndexed(indexed)) };
}

const premultipliedDistance = (p: Uint8Array, i: number, q: Uint8Array, j: number) => {
	let sum = 0;
	for (let ch = 0; ch < 3; ch++) {
		const a = Math.round((p[i + ch] * p[i + 3]) / 255) - Math.round((q[j + ch] * q[j + 3]) / 255);
		sum += a * a;
	}
	return sum + (p[i + 3] - q[j + 3]) ** 2;
};

describe('buildColourTable', () => {
	it('counts each distinct visible colour and every transparent pixel once', () => {
		const source = image(4, 2, (x, y) => (y === 0 ? [10, 20, 30, x < 2 ? 255 : 0] : [x * 50, 0, 0, 255]));
		const table = runToEnd(buildColourTable(source));
		expect(table.transparentPixels).toBe(2);
		expect(table.colours.length).toBe(5);
		expect(Array.from(table.counts).reduce((a, b) => a + b, 0)).toBe(6);
		expect(Array.from(table.pixelColours.subarray(0, 4))).toEqual([0, 0, -1, -1]);
	});
});

describe('quantize', () => {
	it.each([256, 64, 16, 2])('gives at most %i palette entries for a photo-like image', (n) => {
		const { indexed } = run(photoLike(96), n);
		expect(indexed.palette.length / 4).toBeLessThanOrEqual(n);
		expect(indexed.palette.length / 4).toBeGreaterThanOrEqual(2);
		const entries = indexed.palette.length / 4;
		expect(Math.max(...indexed.indices)).toBeLessThan(entries);
	});

	it('maps an image with no more colours than the palette exactly', () => {
		const colours = [
			[255, 0, 0, 255],
			[0, 128, 255, 255],
			[10, 20, 30, 40],
			[10, 20, 31, 40],
			[255, 255, 255, 1],
		];
		const source = image(20, 10, (x, y) => ((x + y) % 6 === 5 ? [0, 0, 0, 0] : colours[(x * 3 + y) % 6 === 5 ? 0 : (x * 3 + y) % 6]));
		const { indexed, shown } = run(source, 8);
		expect(indexed.palette.length / 4).toBe(6);
		expect(Array.from(shown.data)).toEqual(Array.from(source.data));
		// Even when the palette is exactly full (5 colours + transparent = 6).
		expect(Array.from(run(source, 6).shown.data)).toEqual(Array.from(source.data));
	});

	it('keeps transparent pixels transparent and opaque ones opaque', () => {
		const source = photoLike(64);
		for (let i = 0; i < source.data.length; i += 4) {
			if (source.data[i + 3] === 0) source.data.set([99, 98, 97], i); // colour hidden under alpha 0
			else if (source.data[i + 3] < 255) source.data[i + 3] = 255;
		}
		for (const n of [128, 8, 2]) {
			const { shown } = run(source, n);
			let wrong = 0;
			for (let i = 0; i < source.data.length; i += 4) {
				const transparent = shown.data[i + 3] === 0 && shown.data[i] === 0 && shown.data[i + 1] === 0 && shown.data[i + 2] === 0;
				if (source.data[i + 3] === 0 ? !transparent : shown.data[i + 3] !== 255) wrong++;
			}
			expect(wrong).toBe(0);
		}
	});

	it('puts one fully transparent entry first and sorts the palette by alpha', () => {
		const { indexed } = run(photoLike(64), 32);
		const alphas = [];
		for (let e = 3; e < indexed.palette.length; e += 4) alphas.push(indexed.palette[e]);
		expect(Array.from(indexed.palette.subarray(0, 4))).toEqual([0, 0, 0, 0]);
		expect(alphas).toEqual([...alphas].sort((a, b) => a - b));
		expect(alphas.filter((a) => a === 0).length).toBe(1);
	});

	it('maps every pixel to its nearest palette entry (premultiplied RGBA)', () => {
		const source = photoLike(80);
		const { indexed } = run(source, 48);
		const entries = indexed.palette.length / 4;
		let notNearest = 0;
		let searched = 0;
		for (let p = 0; p < indexed.indices.length; p++) {
			if (source.data[p * 4 + 3] === 0) continue;
			const chosen = premultipliedDistance(source.data, p * 4, indexed.palette, indexed.indices[p] * 4);
			for (let e = 0; e < entries; e++) if (premultipliedDistance(source.data, p * 4, indexed.palette, e * 4) < chosen) notNearest++;
			searched++;
		}
		expect(searched).toBeGreaterThan(4000);
		expect(notNearest).toBe(0);
	});

	it('gives a 2-colour palette of transparent plus one colour', () => {
		const { indexed } = run(photoLike(40), 2);
		expect(indexed.palette.length).toBe(8);
		expect(indexed.palette[3]).toBe(0);
		expect(indexed.palette[7]).toBeGreaterThan(0);
	});

	it('uses both colours of 2 when there is no transparency', () => {
		const source = image(10, 10, (x) => (x < 5 ? [0, 0, 0, 255] : [250, 250, 250, 255]));
		source.data.set([10, 10, 10, 255], 0); // a third colour forces the median cut
		const { indexed, shown } = run(source, 2);
		expect(indexed.palette.length).toBe(8);
		expect(Array.from(shown.data.subarray(9 * 4, 9 * 4 + 4))).toEqual([250, 250, 250, 255]);
		expect(shown.data[4 * 4]).toBeLessThan(10);
	});

	it('stops splitting when every box is a single colour', () => {
		// 3 distinct straight colours that premultiply to the same value cannot be told apart.
		const source = image(3, 1, (x) => [x, 0, 0, 1]);
		const { indexed } = run(source, 2);
		expect(indexed.palette.length / 4).toBe(1);
	});

	it('refuses palette sizes outside 2..256', () => {
		const table = runToEnd(buildColourTable(photoLike(8)));
		expect(() => runToEnd(quantize(table, 1))).toThrow('outside 2..256');
		expect(() => runToEnd(quantize(table, 257))).toThrow('outside 2..256');
	});
});
