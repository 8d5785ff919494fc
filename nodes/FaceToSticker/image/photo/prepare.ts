/**
 * Photo preparation (issue 22): a phone photo made upright, private and small before it leaves n8n.
 * JPEG and PNG: the EXIF orientation is applied to the pixels, metadata that can identify a person or place is
 * removed, a photo whose longer side is over `maxSide` is scaled down, and a picture that had to change pixels
 * is sent as a baseline JPEG of quality 90 (a PNG with transparency is flattened on white first). A photo that
 * only carried metadata loses it losslessly (its other bytes are kept); one that needed nothing is sent as it
 * came. WebP: EXIF and XMP chunks removed, sent as WebP (not decoded, so neither turned nor scaled). HEIC, AVIF,
 * GIF, BMP and TIFF are refused with what to do. Sizes are checked from the header before pixel memory.
 */
import { decodeJpeg } from '../jpeg/decode';
import { encodeJpeg } from '../jpeg/encode';
import { readJpegHeader } from '../jpeg/header';
import { fitWithin, resizePremultiplied } from '../ops/resize';
import { decodePng, readPngHeader } from '../png/decode';
import { Sliced } from '../slices';
import { ImageFormatError, RgbaImage } from '../types';
import { inflateZlib } from '../zlib/inflate';
import { UnsupportedPhotoError } from './errors';
import { flattenOnWhite, hasTransparency } from './flatten';
import { readJpegMetadata, stripJpeg } from './jpegMeta';
import { applyOrientation, orientedSize } from './orient';
import { readPngMetadata, stripPng } from './pngMeta';
import { PhotoFormat, sniffPhotoFormat } from './sniff';
import { readWebp, stripWebp } from './webpMeta';

export { UnsupportedPhotoError } from './errors';
export { sniffPhotoFormat } from './sniff';
export type { PhotoFormat } from './sniff';

export interface PhotoLimits {
	/** Largest file accepted, in bytes. */
	maxBytes: number;
	/** Largest width × height accepted (checked from the header). */
	maxPixels: number;
	/** Longer side of the photo sent; larger photos are scaled down to it. */
	maxSide: number;
}

export const DEFAULT_PHOTO_LIMITS: PhotoLimits = { maxBytes: 100 * 1024 * 1024, maxPixels: 100_000_000, maxSide: 1536 };

export interface PreparedPhoto {
	bytes: Uint8Array;
	mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
	/** False when `bytes` is the input itself. */
	changed: boolean;
	original: { bytes: number; width: number; height: number; format: 'jpeg' | 'png' | 'webp' };
	sent: { bytes: number; width: number; height: number };
	/** The EXIF orientation applied (1-8); 1 = none. */
	orientation: number;
	metadataRemoved: boolean;
	/** What was removed, e.g. ['EXIF', 'GPS', 'XMP', 'COM']. */
	removed: string[];
}

/** The quality of the JPEG sent when pixels changed (IJG scale). */
export const PREPARED_JPEG_QUALITY = 90;
/** Bytes that need no change are still re-encoded above this, so the photo sent stays well under 10 MB. */
const SEND_AS_IS_MAX_BYTES = 8 * 1024 * 1024;
/** Largest ICC profile carried over into a re-encoded photo. */
const MAX_ICC_BYTES = 1 << 20;

const REFUSALS: Record<Exclude<PhotoFormat, 'jpeg' | 'png' | 'webp'>, string> = {
	heic: 'This is an iPhone HEIC photo: set Camera > Formats > Most Compatible, or convert it to JPEG first',
	avif: 'This is an AVIF image, which the node cannot read: convert it to JPEG or PNG first',
	gif: 'This is a GIF image, which the node cannot send as a photo: convert it to JPEG or PNG first',
	bmp: 'This is a BMP image, which the node cannot read: convert it to JPEG or PNG first',
	tiff: 'This is a TIFF image, which the node cannot read: convert it to JPEG or PNG first',
	unknown: 'This file is not a JPEG, PNG or WebP photo: send a JPEG or PNG photo',
};

function megabytes(n: number): string {
	return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

function checkPixels(width: number, height: number, limits: PhotoLimits): void {
	if (width * height > limits.maxPixels) {
		throw new ImageFormatError(
			`The photo is ${width} × ${height} pixels (${(width * height / 1e6).toFixed(1)} megapixels), more than the ${(limits.maxPixels / 1e6).toFixed(0)} megapixels accepted: scale it down first`,
		);
	}
}

/** Prepares a photo for sending (see the file comment); throws ImageFormatError / UnsupportedPhotoError. */
export function* preparePhoto(bytes: Uint8Array, limits: PhotoLimits = DEFAULT_PHOTO_LIMITS): Sliced<PreparedPhoto> {
	if (bytes.length > limits.maxBytes) {
		throw new ImageFormatError(`The photo is ${megabytes(bytes.length)}, more than the ${megabytes(limits.maxBytes)} accepted`);
	}
	const format = sniffPhotoFormat(bytes);
	if (format === 'jpeg') return yield* prepareJpeg(bytes, limits);
	if (format === 'png') return yield* preparePng(bytes, limits);
	if (format === 'webp') return prepareWebp(bytes, limits);
	throw new UnsupportedPhotoError(REFUSALS[format]);
}

interface Plan {
	format: 'jpeg' | 'png' | 'webp';
	width: number;
	height: number;
	orientation: number;
	removable: string[];
}

/** The order `removed` lists things in: the most telling first, anything else after, trailing data last. */
const REMOVED_ORDER = ['EXIF', 'GPS', 'XMP', 'IPTC', 'COM', 'text', 'tIME', 'MPF'];
const rank = (name: string): number => (name === 'data after the image' ? 99 : REMOVED_ORDER.includes(name) ? REMOVED_ORDER.indexOf(name) : 50);

function result(bytes: Uint8Array, input: Uint8Array, plan: Plan, sent: { width: number; height: number; orientation: number; removed: string[] }): PreparedPhoto {
	const mimeType = bytes[0] === 0xff ? 'image/jpeg' : bytes[0] === 0x89 ? 'image/png' : 'image/webp';
	return {
		bytes,
		mimeType,
		changed: bytes !== input,
		original: { bytes: input.length, width: plan.width, height: plan.height, format: plan.format },
		sent: { bytes: bytes.length, width: sent.width, height: sent.height },
		orientation: sent.orientation,
		metadataRemoved: sent.removed.length > 0,
		removed: [...sent.removed].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)),
	};
}

/** The input, or the input without its metadata, when no pixel needs to change; null when pixels must. */
function unchangedPixels(input: Uint8Array, plan: Plan, limits: PhotoLimits, strip: () => Uint8Array): PreparedPhoto | null {
	if (plan.orientation !== 1 || Math.max(plan.width, plan.height) > limits.maxSide) return null;
	const bytes = plan.removable.length > 0 ? strip() : input;
	if (bytes.length > SEND_AS_IS_MAX_BYTES) return null;
	return result(bytes, input, plan, { width: plan.width, height: plan.height, orientation: 1, removed: plan.removable });
}

/** The picture scaled down to `maxSide` on its longer side, or itself when it fits. */
function* scaleDown(image: RgbaImage, limits: PhotoLimits): Sliced<RgbaImage> {
	if (Math.max(image.width, image.height) <= limits.maxSide) return image;
	const size = fitWithin(image.width, image.height, limits.maxSide, limits.maxSide);
	return yield* resizePremultiplied(image, size.width, size.height);
}

/** Turns upright, flattens and encodes the (already scaled) pixels: the end of the JPEG and PNG paths. */
function* finish(pixels: RgbaImage, input: Uint8Array, plan: Plan, iccProfile?: Uint8Array): Sliced<PreparedPhoto> {
	let upright = yield* applyOrientation(pixels, plan.orientation);
	if (hasTransparency(upright)) upright = yield* flattenOnWhite(upright);
	const bytes = yield* encodeJpeg(upright, { quality: PREPARED_JPEG_QUALITY, iccProfile });
	// Everything but the ICC profile is gone; the orientation tag with the rest of EXIF.
	return result(bytes, input, plan, { width: upright.width, height: upright.height, orientation: plan.orientation, removed: plan.removable });
}

function* prepareJpeg(input: Uint8Array, limits: PhotoLimits): Sliced<PreparedPhoto> {
	const header = readJpegHeader(input);
	checkPixels(header.width, header.height, limits);
	const metadata = yield* readJpegMetadata(input);
	const plan: Plan = { format: 'jpeg', width: header.width, height: header.height, orientation: metadata.orientation, removable: metadata.removable };
	if (header.unsupported !== null) {
		// Not decodable here: fine to send as it is (without metadata) when no pixel has to change.
		const asIs = unchangedPixels(input, plan, limits, () => stripJpeg(input, metadata));
		if (asIs) return asIs;
		const upright = orientedSize(header.width, header.height, plan.orientation);
		throw new UnsupportedPhotoError(
			`This JPEG uses ${header.unsupported}, which the node cannot decode to ${plan.orientation !== 1 ? 'turn it upright' : `scale it down from ${upright.width} × ${upright.height}`}: save it as an ordinary JPEG (8-bit, RGB) first, or set Photo Preparation to Send As Is`,
		);
	}
	// Decoded even when the bytes may go as they are: a damaged JPEG is refused before any credit is spent.
	// A photo of at least twice maxSide is decoded at 1/2, 1/4 or 1/8 size right away (block averages): the
	// resize after it still only shrinks, and a 48-megapixel photo never takes its full size in memory.
	const longer = Math.max(header.width, header.height);
	const shrink = ([8, 4, 2] as const).find((s) => Math.ceil(longer / s) >= limits.maxSide) ?? 1;
	let image: RgbaImage | null = yield* decodeJpeg(input, { maxPixels: limits.maxPixels }, { shrink });
	const asIs = unchangedPixels(input, plan, limits, () => stripJpeg(input, metadata));
	if (asIs) return asIs;
	const small = yield* scaleDown(image, limits);
	image = null; // the full-size pixels can be collected while the small ones are encoded
	const icc = metadata.iccProfile && metadata.iccProfile.length <= MAX_ICC_BYTES ? metadata.iccProfile : undefined;
	return yield* finish(small, input, plan, icc);
}

function* preparePng(input: Uint8Array, limits: PhotoLimits): Sliced<PreparedPhoto> {
	const header = readPngHeader(input, { maxPixels: Number.MAX_SAFE_INTEGER });
	checkPixels(header.width, header.height, limits);
	const metadata = readPngMetadata(input);
	const plan: Plan = { format: 'png', width: header.width, height: header.height, orientation: metadata.orientation, removable: metadata.removable };
	let image: RgbaImage | null = yield* decodePng(input, { maxPixels: limits.maxPixels });
	const asIs = unchangedPixels(input, plan, limits, () => stripPng(input, metadata));
	if (asIs) return asIs;
	const small = yield* scaleDown(image, limits);
	image = null;
	let icc: Uint8Array | undefined;
	if (metadata.iccCompressed) {
		try {
			icc = yield* inflateZlib(metadata.iccCompressed, MAX_ICC_BYTES, "The PNG's ICC profile");
		} catch {
			icc = undefined; // a broken profile is dropped, the pixels are still good
		}
	}
	return yield* finish(small, input, plan, icc);
}

function prepareWebp(input: Uint8Array, limits: PhotoLimits): PreparedPhoto {
	const info = readWebp(input);
	checkPixels(info.width, info.height, limits);
	const plan: Plan = { format: 'webp', width: info.width, height: info.height, orientation: 1, removable: info.removable };
	const bytes = info.removable.length > 0 ? stripWebp(input, info) : input;
	return result(bytes, input, plan, { width: info.width, height: info.height, orientation: 1, removed: info.removable });
}
