/**
 * Lossy WebP (RFC 9649): a VP8 key frame (../vp8) for the colour and, when any pixel is not opaque, an ALPH
 * chunk that keeps the alpha plane exact. The alpha plane goes through the best of the four prediction
 * filters and the project's lossless (VP8L) encoder, stored without the VP8L header (ALPH compression 1).
 * Files: RIFF/WEBP with VP8X (alpha flag) + ALPH + VP8, or RIFF/WEBP with a plain VP8 chunk when opaque.
 */
import { runToEnd } from '../slices';
import type { Sliced } from '../slices';
import { ImageFormatError } from '../types';
import type { RgbaImage } from '../types';
import { encodeVp8 } from '../vp8/encode';
import type { Vp8Frame, Vp8Options } from '../vp8/encode';
import { qualityToIndex } from '../vp8/quant';
import { sharpenYuv } from '../vp8/sharpYuv';
import { rgbaToYuv } from '../vp8/yuv';
import type { YuvPlanes } from '../vp8/yuv';
import { encodeWebpLossless } from './encode';

const MAX_VP8_DIMENSION = 16383;
/** ALPH header: no pre-processing, filter in bits 2-3, compression 1 (lossless) in bits 0-1. */
const ALPHA_LOSSLESS = 1;
export const ALPHA_FILTERS = ['none', 'horizontal', 'vertical', 'gradient'] as const;

/** Rows of the alpha plane filtered between yields. */
const FILTER_ROWS = 32;
/** Pixels between yields in the alpha plane's other loops. */
const ALPHA_PIXELS_PER_SLICE = 1 << 15;

/** Alpha minus its predictor modulo 256 (RFC 9649 "Alpha": filtering methods 1-3). */
export function filterAlpha(alpha: Uint8Array, width: number, height: number, method: number): Uint8Array {
	return runToEnd(filterAlphaSliced(alpha, width, height, method));
}

function* filterAlphaSliced(alpha: Uint8Array, width: number, height: number, method: number): Sliced<Uint8Array> {
	if (method === 0) return alpha.slice();
	const out = new Uint8Array(alpha.length);
	for (let y = 0; y < height; y += FILTER_ROWS) {
		filterRows(alpha, width, method, out, y, Math.min(height, y + FILTER_ROWS));
		yield;
	}
	return out;
}

function filterRows(alpha: Uint8Array, width: number, method: number, out: Uint8Array, from: number, to: number): void {
	for (let y = from; y < to; y++) {
		for (let x = 0; x < width; x++) {
			const i = y * width + x;
			let predictor: number;
			if (x === 0 && y === 0) predictor = 0;
			else if (y === 0) predictor = alpha[i - 1];
			else if (x === 0) predictor = alpha[i - width];
			else if (method === 1) predictor = alpha[i - 1];
			else if (method === 2) predictor = alpha[i - width];
			else {
				const g = alpha[i - 1] + alpha[i - width] - alpha[i - width - 1];
				predictor = g < 0 ? 0 : g > 255 ? 255 : g;
			}
			out[i] = (alpha[i] - predictor) & 0xff;
		}
	}
}

/** The VP8L image stream of a file from encodeWebpLossless, without the RIFF and VP8L headers. */
function imageStream(file: Uint8Array): Uint8Array {
	// RIFF header (12) + chunk header (8) + the 5-byte VP8L header (signature, size, alpha, version).
	const chunkSize = new DataView(file.buffer, file.byteOffset).getUint32(16, true);
	return file.subarray(25, 20 + chunkSize);
}

/** Above this many distinct filtered values the spatial (predictor) coding is tried beside the palette. */
const SPATIAL_ALPHA_COLOURS = 64;

/**
 * The ALPH chunk's payload: header byte + VP8L image stream, with the filter giving the fewest bytes. The
 * decoder reads the green channel, so the filtered values are grey pixels; an alpha plane has at most 256
 * values, so colour indexing always applies and is tried for every filter (cheap). A cut-out's alpha is
 * mostly 0 and 255 with an anti-aliased rim, where that is also the smallest; a smoother alpha (many values)
 * also tries the predictor coding for the best filter.
 */
export function* encodeAlphaChunk(image: RgbaImage): Sliced<{ payload: Uint8Array; filter: number }> {
	const { width, height, data } = image;
	const alpha = new Uint8Array(width * height);
	for (let i = 0; i < alpha.length; i++) {
		alpha[i] = data[i * 4 + 3];
		if ((i & (ALPHA_PIXELS_PER_SLICE - 1)) === 0) yield;
	}
	let best: { stream: Uint8Array; filter: number; filtered: Uint8Array; colours: number } | null = null;
	for (let filter = 0; filter < 4; filter++) {
		const filtered = yield* filterAlphaSliced(alpha, width, height, filter);
		const slot = new Int16Array(256).fill(-1);
		const values: number[] = [];
		for (let i = 0; i < filtered.length; i++) {
			if (slot[filtered[i]] < 0) {
				slot[filtered[i]] = values.length;
				values.push(filtered[i]);
			}
			if ((i & (ALPHA_PIXELS_PER_SLICE - 1)) === 0) yield;
		}
		const palette = new Uint8Array(values.length * 4);
		values.forEach((v, i) => palette.set([v, v, v, 255], i * 4));
		const indices = new Uint8Array(filtered.length);
		for (let i = 0; i < filtered.length; i++) {
			indices[i] = slot[filtered[i]];
			if ((i & (ALPHA_PIXELS_PER_SLICE - 1)) === 0) yield;
		}
		const stream = imageStream(yield* encodeWebpLossless({ width, height, palette, indices }));
		if (best === null || stream.length < best.stream.length) best = { stream, filter, filtered, colours: values.length };
	}
	if (best!.colours > SPATIAL_ALPHA_COLOURS) {
		const grey = new Uint8Array(alpha.length * 4);
		for (let i = 0; i < alpha.length; i++) grey.fill(best!.filtered[i], i * 4, i * 4 + 3), (grey[i * 4 + 3] = 255);
		yield;
		const stream = imageStream(yield* encodeWebpLossless({ width, height, data: grey }));
		if (stream.length < best!.stream.length) best!.stream = stream;
	}
	const payload = new Uint8Array(best!.stream.length + 1);
	payload[0] = (best!.filter << 2) | ALPHA_LOSSLESS;
	payload.set(best!.stream, 1);
	return { payload, filter: best!.filter };
}

function chunk(fourcc: string, payload: Uint8Array): Uint8Array {
	const out = new Uint8Array(8 + payload.length + (payload.length & 1));
	for (let i = 0; i < 4; i++) out[i] = fourcc.charCodeAt(i);
	new DataView(out.buffer).setUint32(4, payload.length, true);
	out.set(payload, 8);
	return out;
}

/** RIFF/WEBP around the chunks. */
export function riffWebp(chunks: Uint8Array[]): Uint8Array {
	const body = chunks.reduce((n, c) => n + c.length, 0);
	const file = new Uint8Array(12 + body);
	file.set([0x52, 0x49, 0x46, 0x46], 0);
	new DataView(file.buffer).setUint32(4, 4 + body, true);
	file.set([0x57, 0x45, 0x42, 0x50], 8);
	let offset = 12;
	for (const c of chunks) {
		file.set(c, offset);
		offset += c.length;
	}
	return file;
}

/** VP8X with only the alpha flag, for a width × height canvas. */
function vp8xChunk(width: number, height: number): Uint8Array {
	const payload = new Uint8Array(10);
	payload[0] = 0x10;
	const w = width - 1, h = height - 1;
	payload.set([w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff], 4);
	return chunk('VP8X', payload);
}

/** What is kept between encodings of the same image at different qualities. */
export interface LossyPrepared {
	image: RgbaImage;
	planes: YuvPlanes;
	/** null when every pixel is opaque. */
	alphaChunk: Uint8Array | null;
	alphaFilter: number | null;
}

export interface LossyEncoding {
	bytes: Uint8Array;
	quality: number;
	frame: Vp8Frame;
	planes: YuvPlanes;
}

function checkImage(image: RgbaImage): void {
	const fits = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_VP8_DIMENSION;
	if (!fits(image.width) || !fits(image.height)) {
		throw new ImageFormatError(
			`A lossy WebP can be 1 to ${MAX_VP8_DIMENSION} pixels wide and high; this image is ${image.width} × ${image.height}`,
		);
	}
	if (image.data.length !== image.width * image.height * 4) {
		throw new ImageFormatError(`The image has ${image.data.length} bytes of RGBA for ${image.width * image.height} pixels`);
	}
}

function checkQuality(quality: number): void {
	if (!(quality >= 1 && quality <= 100)) {
		throw new ImageFormatError(`The WebP quality must be a number from 1 to 100; it is ${quality}`);
	}
}

/** The colour planes and the alpha chunk, which do not depend on the quality. */
export function* prepareLossy(image: RgbaImage): Sliced<LossyPrepared> {
	checkImage(image);
	const planes = yield* rgbaToYuv(image);
	yield* sharpenYuv(image, planes);
	if (planes.opaque) return { image, planes, alphaChunk: null, alphaFilter: null };
	const alpha = yield* encodeAlphaChunk(image);
	return { image, planes, alphaChunk: chunk('ALPH', alpha.payload), alphaFilter: alpha.filter };
}

/** One encoding of a prepared image at `quality` (1..100), with the decoder's reconstruction. */
export function* encodePrepared(prepared: LossyPrepared, quality: number, options: Vp8Options = {}): Sliced<LossyEncoding> {
	checkQuality(quality);
	const frame = yield* encodeVp8(prepared.planes, qualityToIndex(quality), options);
	const vp8 = chunk('VP8 ', frame.bitstream);
	const { width, height } = prepared.image;
	const bytes = prepared.alphaChunk === null ? riffWebp([vp8]) : riffWebp([vp8xChunk(width, height), prepared.alphaChunk, vp8]);
	return { bytes, quality, frame, planes: prepared.planes };
}

/** A lossy .webp of `image` at `quality` 1..100 (libwebp's scale); alpha is kept exactly. */
export function* encodeWebpLossy(image: RgbaImage, quality: number): Sliced<Uint8Array> {
	checkQuality(quality);
	const prepared = yield* prepareLossy(image);
	return (yield* encodePrepared(prepared, quality)).bytes;
}

/** Bytes roughly halve every this many quantiser steps: the first guess of the search. */
const INDEX_STEPS_PER_HALVING = 16;

/**
 * The highest quality from 1 to `highest` whose file has at most `maxBytes` bytes, or null when even quality
 * 1 is larger. The search runs over the distinct quantisers those qualities map to: a guess from the bytes
 * seen so far (log bytes linear in the quantiser), kept strictly inside the bracket, so it ends in a few
 * encodings (each with one rate-distortion pass); the quality found is then encoded with two passes, kept
 * if it still fits (it is usually a little smaller and better).
 */
export function* fitPrepared(prepared: LossyPrepared, maxBytes: number, highest = 100): Sliced<LossyEncoding | null> {
	// Candidates: for each distinct quantiser index (ascending = falling quality), its highest quality.
	const candidates: Array<{ index: number; quality: number }> = [];
	for (let quality = Math.floor(highest); quality >= 1; quality--) {
		const index = qualityToIndex(quality);
		if (candidates.length === 0 || candidates[candidates.length - 1].index !== index) candidates.push({ index, quality });
	}
	const final = yield* encodePrepared(prepared, candidates[0].quality);
	if (final.bytes.length <= maxBytes) return final;
	const sizes = new Map<number, number>([[0, final.bytes.length]]);
	const tried = new Map<number, LossyEncoding>();
	// Invariant: position `bad` does not fit; position `good` fits (or is past the end).
	let bad = 0, good = candidates.length;
	while (good - bad > 1) {
		let guess: number;
		const badBytes = sizes.get(bad)!;
		const target = Math.log(maxBytes * 0.99);
		if (good < candidates.length) {
			// Interpolate log(bytes) over the index between the two ends of the bracket.
			const goodBytes = sizes.get(good)!;
			const i0 = candidates[bad].index, i1 = candidates[good].index;
			const f = (Math.log(badBytes) - target) / (Math.log(badBytes) - Math.log(goodBytes) || 1);
			guess = positionOf(candidates, i0 + f * (i1 - i0));
		} else {
			guess = positionOf(candidates, candidates[bad].index + INDEX_STEPS_PER_HALVING * Math.log2(badBytes / Math.exp(target)));
		}
		// Strictly inside the bracket; after a narrow step, bisect so that the bracket always shrinks fast.
		if (guess <= bad || guess >= good || good - bad <= 3) guess = (bad + good) >> 1;
		const result = yield* encodePrepared(prepared, candidates[guess].quality, { passes: 1 });
		sizes.set(guess, result.bytes.length);
		tried.set(guess, result);
		if (result.bytes.length <= maxBytes) good = guess;
		else bad = guess;
	}
	if (good === candidates.length) return null;
	const best = yield* encodePrepared(prepared, candidates[good].quality);
	return best.bytes.length <= maxBytes ? best : tried.get(good)!;
}

/** The candidate position whose quantiser index is nearest `index` (rounded towards higher quality). */
function positionOf(candidates: Array<{ index: number }>, index: number): number {
	let position = 0;
	while (position + 1 < candidates.length && candidates[position + 1].index <= index) position++;
	return position;
}

/** The highest quality whose file has at most `maxBytes` bytes, with its reconstruction; null if none. */
export function* encodeWebpLossyWithinDetailed(image: RgbaImage, maxBytes: number): Sliced<LossyEncoding | null> {
	return yield* fitPrepared(yield* prepareLossy(image), maxBytes);
}

/** The highest quality (1..100) whose file has at most `maxBytes` bytes, or null when even quality 1 is larger. */
export function* encodeWebpLossyWithin(image: RgbaImage, maxBytes: number): Sliced<{ bytes: Uint8Array; quality: number } | null> {
	const found = yield* encodeWebpLossyWithinDetailed(image, maxBytes);
	return found === null ? null : { bytes: found.bytes, quality: found.quality };
}
