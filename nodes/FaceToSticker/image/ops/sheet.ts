/**
 * The pack's preview sheet: every sticker in a grid, scaled into equal cells, over a light chat-like
 * background whose cells carry a faint checkerboard so transparent parts read as transparent. The sheet is
 * opaque (alpha 255), so every viewer shows the same picture.
 */
import type { Sliced } from '../slices';
import type { RgbaImage } from '../types';
import { ImageFormatError } from '../types';
import { fitWithin, resizePremultiplied } from './resize';

export interface SheetOptions {
	/** Stickers per row; default 4, or more (√n) for large packs so the sheet stays near square. */
	columns?: number;
	/** Side of a cell in pixels; default 256, 128 for packs over 50 stickers. */
	cell?: number;
	/** Space around and between cells; default 16. */
	gap?: number;
	/** Sheet colour; default a light grey-blue as chat apps use. */
	background?: [number, number, number];
}

/** Signal's largest pack. */
export const MAX_SHEET_STICKERS = 200;
export const MAX_SHEET_WIDTH = 4096;
export const MAX_SHEET_PIXELS = 4096 * 4096;
const DEFAULT_BACKGROUND: [number, number, number] = [232, 236, 241];
/** The checkerboard's dark squares: this much darker than the background, in squares of CHECKER px. */
const CHECKER_SHADE = 14;
const CHECKER = 16;
const PIXELS_PER_SLICE = 1 << 17;

export interface SheetLayout {
	columns: number;
	rows: number;
	cell: number;
	gap: number;
	width: number;
	height: number;
	background: [number, number, number];
}

/** The grid for `count` stickers, options checked; an ImageFormatError names what to change. */
export function sheetLayout(count: number, options: SheetOptions = {}): SheetLayout {
	if (count < 1) throw new ImageFormatError('The preview sheet needs at least one sticker');
	if (count > MAX_SHEET_STICKERS) {
		throw new ImageFormatError(`The preview sheet shows at most ${MAX_SHEET_STICKERS} stickers (Signal's largest pack); ${count} were given`);
	}
	const columns = Math.min(count, checkedInteger('columns', options.columns ?? Math.max(4, Math.ceil(Math.sqrt(count))), 1, MAX_SHEET_STICKERS));
	const cell = checkedInteger('cell size', options.cell ?? (count > 50 ? 128 : 256), 16, 1024);
	const gap = checkedInteger('gap', options.gap ?? 16, 0, 256);
	const background = options.background ?? DEFAULT_BACKGROUND;
	if (background.length !== 3) throw new ImageFormatError(`The preview sheet's background must be 3 numbers (red, green, blue); ${background.length} were given`);
	background.forEach((value, i) => checkedInteger(`background's ${['red', 'green', 'blue'][i]}`, value, 0, 255));
	const rows = Math.ceil(count / columns);
	const width = columns * cell + (columns + 1) * gap;
	const height = rows * cell + (rows + 1) * gap;
	if (width > MAX_SHEET_WIDTH) {
		throw new ImageFormatError(`The preview sheet would be ${width} px wide, over ${MAX_SHEET_WIDTH}: use fewer columns or a smaller cell size`);
	}
	if (width * height > MAX_SHEET_PIXELS) {
		throw new ImageFormatError(`The preview sheet would be ${width} × ${height} px, over ${MAX_SHEET_PIXELS} pixels: use more columns or a smaller cell size`);
	}
	return { columns, rows, cell, gap, width, height, background: [background[0], background[1], background[2]] };
}

function checkedInteger(what: string, value: number, min: number, max: number): number {
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new ImageFormatError(`The preview sheet's ${what} is ${value}: use a whole number from ${min} to ${max}`);
	}
	return value;
}

/** One opaque RGBA image showing `stickers` left to right, top to bottom, each centred in its cell. */
export function* previewSheet(stickers: RgbaImage[], options: SheetOptions = {}): Sliced<RgbaImage> {
	const layout = sheetLayout(stickers.length, options);
	const { width, height, cell, gap, columns } = layout;
	const data = new Uint8Array(width * height * 4);
	const rows = backgroundRows(layout);
	const rowBytes = width * 4;
	const rowsPerSlice = Math.max(1, Math.floor(PIXELS_PER_SLICE / width));
	for (let y = 0; y < height; y++) {
		const inCell = (y - gap) % (cell + gap);
		const row = y < gap || inCell >= cell ? rows.gap : (Math.floor(inCell / CHECKER) & 1) === 0 ? rows.even : rows.odd;
		data.set(row, y * rowBytes);
		if (y % rowsPerSlice === rowsPerSlice - 1) yield;
	}
	for (let i = 0; i < stickers.length; i++) {
		const sticker = stickers[i];
		if (sticker.width < 1 || sticker.height < 1 || sticker.data.length !== sticker.width * sticker.height * 4) {
			throw new ImageFormatError(`Sticker ${i + 1} of the preview sheet is not a ${sticker.width} × ${sticker.height} RGBA image`);
		}
		const size = fitWithin(sticker.width, sticker.height, cell, cell);
		const scaled = size.width === sticker.width && size.height === sticker.height ? sticker : yield* resizePremultiplied(sticker, size.width, size.height);
		const left = gap + (i % columns) * (cell + gap) + Math.floor((cell - size.width) / 2);
		const top = gap + Math.floor(i / columns) * (cell + gap) + Math.floor((cell - size.height) / 2);
		const stickerRows = Math.max(1, Math.floor(PIXELS_PER_SLICE / size.width));
		for (let y = 0; y < size.height; y += stickerRows) {
			composite(scaled, data, width, left, top, y, Math.min(size.height, y + stickerRows));
			yield;
		}
	}
	return { width, height, data };
}

/**
 * The three rows the background is made of, copied into place: a gap row (background only) and the two
 * phases of a cell row, whose CHECKER-px squares alternate between the background and a shade darker.
 */
function backgroundRows(layout: SheetLayout): { gap: Uint8Array; even: Uint8Array; odd: Uint8Array } {
	const { width, cell, gap, background } = layout;
	const dark = background.map((v) => Math.max(0, v - CHECKER_SHADE));
	const paint = (phase: number) => {
		const row = new Uint8Array(width * 4);
		for (let x = 0; x < width; x++) {
			const inCell = (x - gap) % (cell + gap);
			const isDark = phase >= 0 && x >= gap && inCell < cell && ((Math.floor(inCell / CHECKER) + phase) & 1) === 1;
			row.set(isDark ? dark : background, x * 4);
			row[x * 4 + 3] = 255;
		}
		return row;
	};
	return { gap: paint(-1), even: paint(0), odd: paint(1) };
}

/** Source-over onto the opaque sheet: out = sticker × a + sheet × (1 - a), rounded. */
function composite(sticker: RgbaImage, data: Uint8Array, width: number, left: number, top: number, fromY: number, toY: number): void {
	const src = sticker.data;
	for (let y = fromY; y < toY; y++) {
		let s = y * sticker.width * 4;
		let d = ((top + y) * width + left) * 4;
		for (let x = 0; x < sticker.width; x++, s += 4, d += 4) {
			const a = src[s + 3];
			if (a === 0) continue;
			const keep = 255 - a;
			data[d] = ((src[s] * a + data[d] * keep + 127) / 255) | 0;
			data[d + 1] = ((src[s + 1] * a + data[d + 1] * keep + 127) / 255) | 0;
			data[d + 2] = ((src[s + 2] * a + data[d + 2] * keep + 127) / 255) | 0;
		}
	}
}
