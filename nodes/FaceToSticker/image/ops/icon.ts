/**
 * A pack's icon from one of its stickers: the sticker's visible part, as large as fits a size × size square,
 * centred on a transparent canvas, encoded losslessly, else with the largest palette whose file fits the
 * messenger's byte limit (Telegram's thumbnail: 100 × 100, 128 KB; WhatsApp's tray icon: 96 × 96 PNG, 50 KB).
 */
import { encodePng } from '../png/encode';
import type { Sliced } from '../slices';
import { PALETTE_STEPS } from '../sticker';
import type { IndexedImage, RgbaImage } from '../types';
import { ImageFormatError } from '../types';
import { encodeWebpLossless } from '../webp/encode';
import { placeCentred } from './canvas';
import { buildColourTable } from './colourTable';
import { expandIndexed, quantize } from './quantize';
import { fitWithin, resizePremultiplied } from './resize';
import { trimToAlpha } from './trim';

export interface PackIcon {
	bytes: Uint8Array;
	width: number;
	height: number;
	/** null = lossless truecolour; else the palette size that made the file fit. */
	paletteColors: number | null;
	/** Exactly the pixels the file holds. */
	pixels: RgbaImage;
}

export const MAX_ICON_SIZE = 1024;

export function* packIcon(sticker: RgbaImage, size: number, encoding: 'png' | 'webp', maxBytes: number): Sliced<PackIcon> {
	if (!Number.isInteger(size) || size < 1 || size > MAX_ICON_SIZE) {
		throw new ImageFormatError(`The pack icon's size is ${size}: use a whole number of pixels from 1 to ${MAX_ICON_SIZE}`);
	}
	if (!(maxBytes > 0)) throw new ImageFormatError(`The pack icon's byte limit is ${maxBytes}: it must be above 0`);
	const trimmed = yield* trimToAlpha(sticker);
	if (trimmed === null) throw new ImageFormatError('The sticker for the pack icon is fully transparent: there is nothing to make an icon of');
	const fit = fitWithin(trimmed.width, trimmed.height, size, size);
	const scaled = fit.width === trimmed.width && fit.height === trimmed.height ? trimmed : yield* resizePremultiplied(trimmed, fit.width, fit.height);
	const placed = yield* placeCentred(scaled, size, size);
	const lossless = yield* encode(placed, encoding);
	if (lossless.length <= maxBytes) return { bytes: lossless, width: size, height: size, paletteColors: null, pixels: placed };
	const colours = yield* buildColourTable(placed);
	let smallest = lossless.length;
	for (const paletteColors of PALETTE_STEPS) {
		const indexed = yield* quantize(colours, paletteColors);
		const bytes = yield* encode(indexed, encoding);
		if (bytes.length <= maxBytes) return { bytes, width: size, height: size, paletteColors, pixels: yield* expandIndexed(indexed) };
		smallest = bytes.length;
	}
	throw new ImageFormatError(
		`The pack icon cannot be made small enough: with 2 colours its ${encoding.toUpperCase()} file is ${smallest} bytes, over the limit of ${maxBytes}`,
	);
}

function encode(image: RgbaImage | IndexedImage, encoding: 'png' | 'webp'): Sliced<Uint8Array> {
	return encoding === 'png' ? encodePng(image) : encodeWebpLossless(image);
}
