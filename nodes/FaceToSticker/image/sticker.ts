import type { DecodeLimits, IndexedImage, RgbaImage } from './types';
import { DEFAULT_DECODE_LIMITS, ImageFormatError } from './types';
import type { Sliced } from './slices';
import type { StickerCompression, StickerEncoding, StickerTarget } from './targets';
import { decodePng } from './png/decode';
import { encodePng } from './png/encode';
import { encodeWebpLossless } from './webp/encode';
import { encodePrepared, fitPrepared, prepareLossy } from './webp/lossy';
import type { LossyEncoding } from './webp/lossy';
import { yuvToRgba } from './vp8/toRgba';
import { trimToAlpha } from './ops/trim';
import { fitWithin, resizePremultiplied } from './ops/resize';
import { addOutline } from './ops/outline';
import { placeCentred } from './ops/canvas';
import { buildColourTable } from './ops/colourTable';
import { expandIndexed, quantize } from './ops/quantize';

export interface FinishedSticker {
	bytes: Uint8Array;
	encoding: StickerEncoding;
	mimeType: 'image/png' | 'image/webp';
	extension: 'png' | 'webp';
	width: number;
	height: number;
	outlineWidth: number;
	/** null = lossless truecolour or lossy; else the palette size that made the file fit. */
	paletteColors: number | null;
	/** How the file was compressed: 'palette' is the lossless format with a reduced palette. */
	compression: 'lossless' | 'lossy' | 'palette';
	/** The lossy quality (1..100) the file was made at; null unless compression is 'lossy'. */
	quality: number | null;
	/**
	 * Exactly the pixels the file decodes to (for tests and previews): for a lossy file, the encoder's own
	 * reconstruction turned into RGBA as libwebp's dwebp does (fancy upsampling), with the exact alpha.
	 */
	pixels: RgbaImage;
}

/** Even the 2-colour file is over the target's byte limit. */
export class StickerTooLargeError extends ImageFormatError {
	constructor(
		readonly smallestBytes: number,
		readonly maxBytes: number,
	) {
		super(
			`The sticker cannot be made small enough: the smallest file, with 2 colours, is ${kilobytes(smallestBytes)} KB, ` +
				`over the ${kilobytes(maxBytes)} KB limit of the target`,
		);
		this.name = 'StickerTooLargeError';
	}
}

function kilobytes(bytes: number): string {
	return String(Math.round((bytes / 1024) * 10) / 10);
}

/** Palette sizes tried, largest first, when the lossless file is over the limit. */
export const PALETTE_STEPS = [256, 128, 64, 32, 16, 8, 4, 2];

/** Turns a background-removed RGBA PNG into the file `target` asks for. */
export function* finishSticker(
	cutoutPng: Uint8Array,
	target: StickerTarget,
	limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Sliced<FinishedSticker> {
	const cutout = yield* decodePng(cutoutPng, limits);
	const trimmed = yield* trimToAlpha(cutout);
	if (trimmed === null) {
		throw new ImageFormatError('The background removal left nothing to make a sticker of: every pixel of the cut-out is transparent');
	}
	const border = target.margin + target.outlineWidth;
	const size = fitWithin(trimmed.width, trimmed.height, target.width - 2 * border, target.height - 2 * border);
	const scaled = yield* resizePremultiplied(trimmed, size.width, size.height);
	const outlined = yield* addOutline(scaled, target.outlineWidth, target.outlineColor);
	const placed =
		target.layout === 'canvas'
			? yield* placeCentred(outlined, target.width, target.height)
			: yield* placeCentred(outlined, outlined.width + 2 * target.margin, outlined.height + 2 * target.margin);
	const file = yield* encodeWithinLimit(placed, target);
	return {
		...file,
		encoding: target.encoding,
		mimeType: target.encoding === 'png' ? 'image/png' : 'image/webp',
		extension: target.encoding,
		width: placed.width,
		height: placed.height,
		outlineWidth: target.outlineWidth,
	};
}

function encode(image: RgbaImage | IndexedImage, encoding: StickerEncoding): Sliced<Uint8Array> {
	return encoding === 'png' ? encodePng(image) : encodeWebpLossless(image);
}

interface EncodedSticker {
	bytes: Uint8Array;
	paletteColors: number | null;
	compression: 'lossless' | 'lossy' | 'palette';
	quality: number | null;
	pixels: RgbaImage;
}

const LOSSLESS: StickerCompression = { mode: 'lossless' };

/**
 * Lossy WebP at the quality asked for (best-fit: 100), or the highest lower quality that fits the limit;
 * null when even quality 1 is over it.
 */
function* encodeLossy(image: RgbaImage, compression: StickerCompression, maxBytes: number | null): Sliced<EncodedSticker | null> {
	const prepared = yield* prepareLossy(image);
	const wanted = compression.mode === 'lossy' ? Math.min(100, Math.max(1, Math.round(compression.quality))) : 100;
	let found: LossyEncoding | null;
	if (maxBytes === null) found = yield* encodePrepared(prepared, wanted);
	else found = yield* fitPrepared(prepared, maxBytes, wanted);
	if (found === null) return null;
	const alpha = new Uint8Array(image.width * image.height);
	for (let i = 0; i < alpha.length; i++) alpha[i] = image.data[i * 4 + 3];
	const decoded = { ...found.planes, y: found.frame.y, u: found.frame.u, v: found.frame.v };
	const pixels = yield* yuvToRgba(decoded, image.width, image.height, alpha);
	return { bytes: found.bytes, paletteColors: null, compression: 'lossy', quality: found.quality, pixels };
}

/**
 * WebP lossy or best-fit: the lossy file (see encodeLossy). Otherwise, and when no lossy quality fits:
 * lossless truecolour if it fits; else the largest palette (256, 128, … 2 colours) whose file fits.
 */
function* encodeWithinLimit(image: RgbaImage, target: StickerTarget): Sliced<EncodedSticker> {
	const compression = target.encoding === 'webp' ? (target.compression ?? LOSSLESS) : LOSSLESS;
	if (compression.mode !== 'lossless') {
		const lossy = yield* encodeLossy(image, compression, target.maxBytes);
		if (lossy !== null) return lossy;
	}
	const lossless = yield* encode(image, target.encoding);
	if (target.maxBytes === null || lossless.length <= target.maxBytes) {
		return { bytes: lossless, paletteColors: null, compression: 'lossless', quality: null, pixels: image };
	}
	const colours = yield* buildColourTable(image);
	let twoColourBytes = lossless.length;
	for (const paletteColors of PALETTE_STEPS) {
		const indexed = yield* quantize(colours, paletteColors);
		const bytes = yield* encode(indexed, target.encoding);
		if (bytes.length <= target.maxBytes) {
			return { bytes, paletteColors, compression: 'palette', quality: null, pixels: yield* expandIndexed(indexed) };
		}
		twoColourBytes = bytes.length;
	}
	throw new StickerTooLargeError(twoColourBytes, target.maxBytes);
}
