import { previewSheet, sheetLayout } from '../../../nodes/FaceToSticker/image/ops/sheet';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { expectImageFormatError, sliceGaps } from '../../helpers/imageChecks';
import { image } from '../../helpers/pixels';
import { prng } from '../../helpers/random';

const BACKGROUND = [232, 236, 241];
const DARK = [218, 222, 227];

function solid(width: number, height: number, rgba: number[]): RgbaImage {
	return image(width, height, () => rgba);
}

function pixel(sheet: RgbaImage, x: number, y: number): number[] {
	const at = (y * sheet.width + x) * 4;
	return Array.from(sheet.data.subarray(at, at + 4));
}

/** Top-left corner of cell `index` with the default 16 px gap. */
function cellOrigin(index: number, columns: number, cell: number, gap = 16): [number, number] {
	return [gap + (index % columns) * (cell + gap), gap + Math.floor(index / columns) * (cell + gap)];
}

describe('sheetLayout', () => {
	it.each([
		[1, 1, 1, 256, 288, 288],
		[3, 3, 1, 256, 832, 288],
		[8, 4, 2, 256, 1104, 560],
		[30, 6, 5, 256, 1648, 1376],
		[50, 8, 7, 256, 2192, 1920],
		[51, 8, 7, 128, 1168, 1024],
		[200, 15, 14, 128, 2176, 2032],
	])('lays %i stickers out in %i columns and %i rows of %i px cells: %i × %i', (count, columns, rows, cell, width, height) => {
		expect(sheetLayout(count)).toEqual({ columns, rows, cell, gap: 16, width, height, background: BACKGROUND });
	});

	it('takes the columns, cell, gap and background it is given', () => {
		expect(sheetLayout(5, { columns: 2, cell: 100, gap: 0, background: [1, 2, 3] })).toEqual({
			columns: 2, rows: 3, cell: 100, gap: 0, width: 200, height: 300, background: [1, 2, 3],
		});
	});

	it('uses no more columns than there are stickers', () => {
		expect(sheetLayout(2, { columns: 6 }).columns).toBe(2);
	});

	it.each([
		[0, {}, 'The preview sheet needs at least one sticker'],
		[201, {}, "The preview sheet shows at most 200 stickers (Signal's largest pack); 201 were given"],
		[4, { columns: 0 }, "The preview sheet's columns is 0: use a whole number from 1 to 200"],
		[4, { columns: 2.5 }, "The preview sheet's columns is 2.5: use a whole number from 1 to 200"],
		[4, { cell: 8 }, "The preview sheet's cell size is 8: use a whole number from 16 to 1024"],
		[4, { gap: -1 }, "The preview sheet's gap is -1: use a whole number from 0 to 256"],
		[4, { background: [0, 300, 0] }, "The preview sheet's background's green is 300: use a whole number from 0 to 255"],
		[4, { background: [0, 0] }, "The preview sheet's background must be 3 numbers (red, green, blue); 2 were given"],
		[40, { columns: 20 }, 'The preview sheet would be 5456 px wide, over 4096: use fewer columns or a smaller cell size'],
		[200, { columns: 1, cell: 1024 }, 'The preview sheet would be 1056 × 208016 px, over 16777216 pixels: use more columns or a smaller cell size'],
	])('refuses %i stickers with %j', (count, options, message) => {
		expectImageFormatError(() => sheetLayout(count, options as never), message);
		if (count > 0 && count <= 200) {
			expectImageFormatError(() => runToEnd(previewSheet(Array.from({ length: count }, () => solid(1, 1, [0, 0, 0, 0])), options as never)), message);
		}
	});
});

describe('previewSheet', () => {
	it('is opaque everywhere, even where every sticker is transparent', () => {
		const sheet = runToEnd(previewSheet([solid(64, 64, [255, 0, 0, 0]), solid(64, 64, [9, 9, 9, 0])], { cell: 64 }));
		for (let i = 3; i < sheet.data.length; i += 4) expect(sheet.data[i]).toBe(255);
	});

	it('paints the gaps in the background colour and the cells as a 16 px checkerboard of it and a shade darker', () => {
		const sheet = runToEnd(previewSheet([solid(64, 64, [0, 0, 0, 0])], { cell: 64 }));
		expect([sheet.width, sheet.height]).toEqual([96, 96]);
		expect(pixel(sheet, 0, 0)).toEqual([...BACKGROUND, 255]);
		expect(pixel(sheet, 15, 50)).toEqual([...BACKGROUND, 255]);
		expect(pixel(sheet, 80, 80)).toEqual([...BACKGROUND, 255]);
		expect(pixel(sheet, 16, 16)).toEqual([...BACKGROUND, 255]);
		expect(pixel(sheet, 31, 31)).toEqual([...BACKGROUND, 255]);
		expect(pixel(sheet, 32, 16)).toEqual([...DARK, 255]);
		expect(pixel(sheet, 16, 32)).toEqual([...DARK, 255]);
		expect(pixel(sheet, 32, 32)).toEqual([...BACKGROUND, 255]);
		expect(pixel(sheet, 79, 16)).toEqual([...DARK, 255]);
	});

	it('scales a 512 px opaque sticker to fill its 256 px cell exactly, and not one pixel more', () => {
		const sheet = runToEnd(previewSheet([solid(512, 512, [200, 30, 40, 255])]));
		expect([sheet.width, sheet.height]).toEqual([288, 288]);
		for (const [x, y] of [[16, 16], [271, 16], [16, 271], [271, 271], [140, 140]]) expect(pixel(sheet, x, y)).toEqual([200, 30, 40, 255]);
		for (const [x, y] of [[15, 16], [272, 16], [16, 15], [16, 272]]) expect(pixel(sheet, x, y)).toEqual([...BACKGROUND, 255]);
	});

	it('centres a wide sticker in its cell, leaving checkerboard above and below', () => {
		const sheet = runToEnd(previewSheet([solid(512, 256, [0, 0, 255, 255])]));
		// 512 × 256 -> 256 × 128, placed 64 px down in the cell.
		expect(pixel(sheet, 100, 16 + 63)).not.toEqual([0, 0, 255, 255]);
		expect(pixel(sheet, 100, 16 + 64)).toEqual([0, 0, 255, 255]);
		expect(pixel(sheet, 100, 16 + 191)).toEqual([0, 0, 255, 255]);
		expect(pixel(sheet, 100, 16 + 192)).not.toEqual([0, 0, 255, 255]);
	});

	it('places sticker i in column i mod columns and row i div columns', () => {
		const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255]];
		const sheet = runToEnd(previewSheet(colours.map((c) => solid(32, 32, [...c, 255])), { columns: 2, cell: 32 }));
		expect([sheet.width, sheet.height]).toEqual([112, 160]);
		colours.forEach((c, i) => {
			const [x, y] = cellOrigin(i, 2, 32);
			expect(pixel(sheet, x + 16, y + 16)).toEqual([...c, 255]);
		});
		// The sixth cell of the last row stays empty: checkerboard.
		const [x, y] = cellOrigin(5, 2, 32);
		expect(pixel(sheet, x, y)).toEqual([...BACKGROUND, 255]);
		expect(pixel(sheet, x + 16, y)).toEqual([...DARK, 255]);
	});

	it('blends a half-transparent sticker over the sheet: sticker × a + sheet × (1 - a), rounded', () => {
		const sheet = runToEnd(previewSheet([solid(32, 32, [200, 100, 0, 128])], { cell: 32, background: [0, 50, 250] }));
		const blend = (s: number, d: number) => Math.floor((s * 128 + d * 127 + 127) / 255);
		expect(pixel(sheet, 16, 16)).toEqual([blend(200, 0), blend(100, 50), blend(0, 250), 255]);
		expect(pixel(sheet, 16, 16)).toEqual([100, 75, 125, 255]);
	});

	it('refuses a sticker whose pixel data does not match its size, naming its position', () => {
		const broken = { width: 4, height: 4, data: new Uint8Array(10) };
		expectImageFormatError(() => runToEnd(previewSheet([solid(4, 4, [0, 0, 0, 255]), broken])), 'Sticker 2 of the preview sheet is not a 4 × 4 RGBA image');
	});

	it('yields between short slices while laying out 8 stickers of 512 × 512', () => {
		const next = prng(20);
		const stickers = Array.from({ length: 8 }, () => image(512, 512, (x, y) => [x & 255, y & 255, Math.floor(next() * 256), (x + y) & 255]));
		const { slices, longest } = sliceGaps(() => previewSheet(stickers));
		expect(slices).toBeGreaterThan(30);
		// Ground rule: no stretch over ~10 ms; jest (ts-jest, shared CPU) gets a margin.
		expect(longest).toBeLessThan(25);
	});
});
