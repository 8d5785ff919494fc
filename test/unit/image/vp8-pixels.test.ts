import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { filterLimits, loopFilter } from '../../../nodes/FaceToSticker/image/vp8/loopFilter';
import { predictBlock, predictSubblock } from '../../../nodes/FaceToSticker/image/vp8/predict';
import { yuvToRgba } from '../../../nodes/FaceToSticker/image/vp8/toRgba';
import { rgbaToYuv, rgbToY } from '../../../nodes/FaceToSticker/image/vp8/yuv';
import { sharpenYuv } from '../../../nodes/FaceToSticker/image/vp8/sharpYuv';
import { image } from '../../helpers/pixels';

// Colour conversion both ways (libwebp's BT.601 integer formulas), transparent-pixel flattening, the
// prediction edge rules and the loop filter's parameters.

describe('RGBA to YUV 4:2:0', () => {
	it('maps black, white and grey to studio-swing luma and neutral chroma', () => {
		expect([rgbToY(0, 0, 0), rgbToY(255, 255, 255), rgbToY(128, 128, 128)]).toEqual([16, 235, 126]);
		const planes = runToEnd(rgbaToYuv(image(2, 2, () => [255, 255, 255, 255])));
		expect([planes.y[0], planes.u[0], planes.v[0], planes.opaque]).toEqual([235, 128, 128, true]);
		expect([planes.mbw, planes.mbh, planes.yStride, planes.uvStride]).toEqual([1, 1, 16, 8]);
	});

	it('gives pure red its BT.601 values (Y 82, U 90, V 240)', () => {
		const planes = runToEnd(rgbaToYuv(image(2, 2, () => [255, 0, 0, 255])));
		expect([planes.y[0], planes.u[0], planes.v[0]]).toEqual([82, 90, 240]);
	});

	it('averages chroma with alpha weights: a transparent pixel does not bleed its colour', () => {
		const planes = runToEnd(rgbaToYuv(image(2, 2, (x) => (x === 0 ? [255, 0, 0, 255] : [0, 0, 255, 0]))));
		expect([planes.u[0], planes.v[0]]).toEqual([90, 240]);
		expect(planes.opaque).toBe(false);
		expect([planes.weightY[0], planes.weightY[1], planes.weightUV[0]]).toEqual([1, 0, 0.5]);
	});

	it('flattens transparent pixels to the mean of the visible ones in their block, and pads by repeating', () => {
		const planes = runToEnd(rgbaToYuv(image(10, 3, (x) => (x < 4 ? [255, 255, 255, 255] : x < 8 ? [0, 0, 0, 0] : [0, 0, 0, 255]))));
		// Block 0 (x 0..7): visible white (235) and transparent: the transparent ones become 235.
		expect(planes.y[5]).toBe(235);
		// Block 1 (x 8..9): all visible black.
		expect(planes.y[8]).toBe(16);
		// Padding repeats the last column and row.
		expect(planes.y[15]).toBe(16);
		expect(planes.y[15 * 16]).toBe(235);
	});

	it('fills a fully transparent block with the last mean of its row', () => {
		const planes = runToEnd(rgbaToYuv(image(16, 8, (x) => (x < 8 ? [255, 255, 255, 255] : [9, 9, 9, 0]))));
		expect(planes.y[12]).toBe(235);
	});
});

describe('sharp YUV', () => {
	it('brings the decoded RGB of a red and white stripe pattern closer to the source, leaving transparent samples', () => {
		const input = image(24, 16, (x, y) => (y === 0 && x < 2 ? [0, 0, 0, 0] : (x >> 1) % 3 === 0 ? [230, 20, 30, 255] : [255, 255, 255, 255]));
		const error = (planes: ReturnType<typeof rgbaToYuv> extends Generator<void, infer P, void> ? P : never) => {
			const decoded = runToEnd(yuvToRgba(planes, 24, 16, null));
			let sum = 0;
			for (let i = 0; i < decoded.data.length; i++) if ((i & 3) !== 3 && input.data[(i & ~3) + 3] > 0) sum += (decoded.data[i] - input.data[i]) ** 2;
			return sum;
		};
		const plain = runToEnd(rgbaToYuv(input));
		const sharp = runToEnd(rgbaToYuv(input));
		const transparentY = sharp.y[0];
		runToEnd(sharpenYuv(input, sharp));
		expect(error(sharp)).toBeLessThan(error(plain) * 0.7);
		expect(sharp.y[0]).toBe(transparentY);
	});
});

describe('YUV to RGBA as dwebp shows it', () => {
	it('maps studio black, white and neutral grey back', () => {
		const planes = { y: new Uint8Array(16 * 2).fill(16), u: new Uint8Array(8).fill(128), v: new Uint8Array(8).fill(128), yStride: 16, uvStride: 8 };
		planes.y.fill(235, 16);
		const rgba = runToEnd(yuvToRgba(planes, 3, 2, null));
		expect(Array.from(rgba.data.subarray(0, 4))).toEqual([0, 0, 0, 255]);
		expect(Array.from(rgba.data.subarray(12, 16))).toEqual([255, 255, 255, 255]);
	});

	it('interpolates chroma between samples and takes alpha from the plane given', () => {
		const planes = { y: new Uint8Array(16 * 4).fill(126), u: new Uint8Array(16), v: new Uint8Array(16).fill(128), yStride: 16, uvStride: 8 };
		planes.u.set([100, 160], 0);
		planes.u.set([100, 160], 8);
		const rgba = runToEnd(yuvToRgba(planes, 4, 4, new Uint8Array(16).fill(7)));
		const blue = (x: number) => rgba.data[x * 4 + 2];
		expect(blue(0)).toBeLessThan(blue(1));
		expect(blue(1)).toBeLessThan(blue(2));
		expect(blue(2)).toBeLessThan(blue(3));
		expect(rgba.data[3]).toBe(7);
	});
});

describe('intra prediction edges', () => {
	const top = new Uint8Array(16).fill(100);
	const left = new Uint8Array(16).fill(50);
	const out = new Uint8Array(256);

	it('DC uses the edges that exist, 128 with none', () => {
		predictBlock(0, 16, top, left, 0, true, true, out);
		expect(out[0]).toBe(75);
		predictBlock(0, 16, top, left, 0, false, true, out);
		expect(out[0]).toBe(50);
		predictBlock(0, 8, top, left, 0, true, false, out);
		expect(out[0]).toBe(100);
		predictBlock(0, 8, top, left, 0, false, false, out);
		expect(out[0]).toBe(128);
	});

	it('TM clamps left + above - corner to 0..255', () => {
		predictBlock(3, 8, new Uint8Array(8).fill(250), new Uint8Array(8).fill(200), 10, true, true, out);
		expect(out[0]).toBe(255);
		predictBlock(3, 8, new Uint8Array(8).fill(5), new Uint8Array(8).fill(5), 200, true, true, out);
		expect(out[63]).toBe(0);
	});

	it('sub-block modes read the above-right samples (LD, VL) and the corner (RD, VR, HD)', () => {
		const above = Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80]);
		const side = Uint8Array.from([90, 100, 110, 120]);
		const sub = new Uint8Array(16);
		predictSubblock(6, above, side, 0, sub);
		expect(sub[15]).toBe(78);
		predictSubblock(4, above, side, 5, sub);
		expect(sub[0]).toBe(Math.floor((10 + 2 * 5 + 90 + 2) / 4));
		predictSubblock(9, above, side, 5, sub);
		expect(sub[15]).toBe(120);
	});
});

describe('loop filter parameters', () => {
	it('derives the interior limit from level and sharpness, the edge variance threshold from the level', () => {
		expect(filterLimits(20, 0)).toEqual({ interior: 20, hev: 1 });
		expect(filterLimits(20, 3)).toEqual({ interior: 6, hev: 1 });
		expect(filterLimits(20, 6)).toEqual({ interior: 3, hev: 1 });
		expect(filterLimits(0, 0)).toEqual({ interior: 1, hev: 0 });
		expect(filterLimits(45, 0).hev).toBe(2);
	});

	it('leaves the picture alone at level 0 and smooths a small step across a macroblock edge', () => {
		const y = new Uint8Array(32 * 16);
		for (let row = 0; row < 16; row++) y.fill(100, row * 32, row * 32 + 16), y.fill(108, row * 32 + 16, row * 32 + 32);
		const planes = { y, u: new Uint8Array(16 * 8).fill(128), v: new Uint8Array(16 * 8).fill(128), yStride: 32, uvStride: 16, mbw: 2, mbh: 1 };
		const before = y.slice();
		runToEnd(loopFilter(planes, new Uint8Array([0, 0]), { level: 0, sharpness: 0 }));
		expect(Array.from(y)).toEqual(Array.from(before));
		runToEnd(loopFilter(planes, new Uint8Array([1, 1]), { level: 30, sharpness: 0 }));
		expect(y[15]).toBeGreaterThan(100);
		expect(y[16]).toBeLessThan(108);
	});
});
