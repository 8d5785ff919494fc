/**
 * Baseline JPEG encoding (T.81 sequential DCT, Huffman; JFIF 1.01): RGB → YCbCr and 2 × 2 chroma averaging as
 * libjpeg does (jccolor.c, jcsample.c), islow forward DCT, IJG quality scaling, and Huffman tables either the
 * Annex K ones or optimised for the picture (two passes over the stored coefficients). Alpha is ignored:
 * flatten a transparent picture first.
 */
import { Sliced, ticker } from '../slices';
import type { RgbaImage } from '../types';
import { forwardDct } from './fdct';
import { countBlock, encodeBlock, huffmanCodes, JpegBitWriter, optimalSpec } from './huffmanEncode';
import { scaledQuantTables } from './quality';
import { HuffmanSpec, STANDARD_AC_CHROMINANCE, STANDARD_AC_LUMINANCE, STANDARD_DC_CHROMINANCE, STANDARD_DC_LUMINANCE, ZIGZAG } from './tables';
import { rgbToYcc, yccRows } from './yccRows';

export interface JpegEncodeOptions {
	/** 1-100 on the IJG scale (default 90). */
	quality?: number;
	/** Huffman tables made for this picture (smaller file, default) or the Annex K tables. */
	optimiseHuffman?: boolean;
	/** An ICC profile to embed (APP2 ICC_PROFILE segments), so the colours keep their meaning. */
	iccProfile?: Uint8Array;
}

/** Blocks handled between two yields. */
const SLICE_BLOCKS = 1024;

/** Encodes `image` (alpha ignored) as a baseline 4:2:0 JPEG, in slices. */
export function* encodeJpeg(image: RgbaImage, options: JpegEncodeOptions = {}): Sliced<Uint8Array> {
	const { width, height } = image;
	const quality = options.quality ?? 90;
	const tables = scaledQuantTables(quality);
	const divisors = [tables.luminance, tables.chrominance].map((t) => Int32Array.from(t, (q) => q * 8));
	const mcusX = Math.ceil(width / 16);
	const mcusY = Math.ceil(height / 16);
	// Coefficients, MCU by MCU: 4 luminance blocks, then Cb, then Cr.
	const coef = new Int16Array(mcusX * mcusY * 6 * 64);
	const tick = ticker(SLICE_BLOCKS);
	const ycc = yccRows(mcusX * 16);
	const block = new Int32Array(64);
	for (let my = 0; my < mcusY; my++) {
		rgbToYcc(image, my * 16, mcusX * 16, ycc);
		for (let mx = 0; mx < mcusX; mx++) {
			const base = (my * mcusX + mx) * 6 * 64;
			for (let b = 0; b < 4; b++) {
				loadBlock(ycc.y, mcusX * 16, (b >> 1) * 8, mx * 16 + (b & 1) * 8, block);
				forwardDct(block, divisors[0], coef, base + b * 64);
			}
			loadBlock(ycc.cb, mcusX * 8, 0, mx * 8, block);
			forwardDct(block, divisors[1], coef, base + 256);
			loadBlock(ycc.cr, mcusX * 8, 0, mx * 8, block);
			forwardDct(block, divisors[1], coef, base + 320);
		}
		if (tick(mcusX * 6)) yield;
	}

	const specs = options.optimiseHuffman === false ? [STANDARD_DC_LUMINANCE, STANDARD_AC_LUMINANCE, STANDARD_DC_CHROMINANCE, STANDARD_AC_CHROMINANCE] : yield* optimiseTables(coef, mcusX * mcusY);
	const [dcL, acL, dcC, acC] = specs.map(huffmanCodes);
	const writer = new JpegBitWriter(coef.length >> 2);
	writeHeaders(writer, image, tables, specs, options.iccProfile);
	let predY = 0;
	let predCb = 0;
	let predCr = 0;
	for (let m = 0, o = 0; m < mcusX * mcusY; m++, o += 384) {
		for (let b = 0; b < 4; b++) predY = encodeBlock(writer, coef, o + b * 64, predY, dcL, acL);
		predCb = encodeBlock(writer, coef, o + 256, predCb, dcC, acC);
		predCr = encodeBlock(writer, coef, o + 320, predCr, dcC, acC);
		if (tick(6)) yield;
	}
	writer.flush();
	writer.byte(0xff);
	writer.byte(0xd9);
	return writer.bytes.slice(0, writer.length);
}

/** Level-shifted 8 × 8 samples from a plane `stride` wide. */
function loadBlock(plane: Uint8Array, stride: number, row: number, col: number, block: Int32Array): void {
	for (let y = 0; y < 8; y++) {
		const from = (row + y) * stride + col;
		for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[from + x] - 128;
	}
}

function* optimiseTables(coef: Int16Array, mcus: number): Sliced<HuffmanSpec[]> {
	const counts = [0, 1, 2, 3].map(() => new Uint32Array(256));
	const tick = ticker(SLICE_BLOCKS * 4);
	let predY = 0;
	let predCb = 0;
	let predCr = 0;
	for (let m = 0, o = 0; m < mcus; m++, o += 384) {
		for (let b = 0; b < 4; b++) predY = countBlock(coef, o + b * 64, predY, counts[0], counts[1]);
		predCb = countBlock(coef, o + 256, predCb, counts[2], counts[3]);
		predCr = countBlock(coef, o + 320, predCr, counts[2], counts[3]);
		if (tick(6)) yield;
	}
	return counts.map(optimalSpec);
}

function segment(w: JpegBitWriter, marker: number, payload: ArrayLike<number>): void {
	const length = payload.length + 2;
	w.byte(0xff);
	w.byte(marker);
	w.byte(length >> 8);
	w.byte(length & 0xff);
	for (let i = 0; i < payload.length; i++) w.byte(payload[i]);
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

function writeHeaders(w: JpegBitWriter, image: RgbaImage, tables: { luminance: Uint16Array; chrominance: Uint16Array }, specs: HuffmanSpec[], icc?: Uint8Array): void {
	w.byte(0xff);
	w.byte(0xd8);
	// JFIF 1.01, no density unit, aspect 1:1, no thumbnail.
	segment(w, 0xe0, [...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
	if (icc && icc.length > 0) {
		// ICC.1 B.4: at most 65519 profile bytes per APP2, each numbered.
		const chunk = 65519;
		const total = Math.ceil(icc.length / chunk);
		for (let i = 0; i < total; i++) {
			const part = icc.subarray(i * chunk, (i + 1) * chunk);
			segment(w, 0xe2, [...ascii('ICC_PROFILE\0'), i + 1, total, ...part]);
		}
	}
	const dqt = [tables.luminance, tables.chrominance].flatMap((t, id) => [id, ...Array.from(ZIGZAG, (pos) => t[pos])]);
	segment(w, 0xdb, dqt);
	const { width, height } = image;
	segment(w, 0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	const dht = specs.flatMap((spec, i) => [((i & 1) << 4) | (i >> 1), ...spec.counts, ...spec.symbols]);
	segment(w, 0xc4, dht);
	segment(w, 0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
}
