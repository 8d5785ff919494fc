/**
 * JPEG decoding (ITU-T T.81, JFIF): baseline, extended sequential (8-bit, Huffman) and progressive files,
 * greyscale or YCbCr (or RGB per Adobe APP14), any integer sampling factors, restart intervals. The output
 * matches libjpeg-turbo's defaults (islow IDCT, fancy upsampling) sample for sample. ICC profiles are not
 * applied. Everything else in T.81 (arithmetic coding, lossless, hierarchical, 12-bit, CMYK) is an
 * UnsupportedJpegError; every damage an ImageFormatError that names it.
 */
import { Sliced, ticker } from '../slices';
import { DecodeLimits, DEFAULT_DECODE_LIMITS, ImageFormatError, RgbaImage } from '../types';
import { planesToRgba } from './colour';
import { UnsupportedJpegError } from './errors';
import type { HuffmanDecoder } from './huffmanDecode';
import { idctShrunk, shrunkFrame } from './shrink';
import { BlockSink, decodeScan } from './scan';
import {
	DAC,
	DHT,
	DNL,
	DQT,
	DRI,
	EOI,
	Frame,
	isFrameMarker,
	markerName,
	parseFrame,
	parseHuffmanTables,
	parseQuantTables,
	parseRestartInterval,
	parseScanHeader,
	readSegment,
	SOI,
	SOS,
} from './segments';

/**
 * Most scans accepted. Real progressive files have about 10; a file of thousands of tiny scans, each walking
 * every block again, could otherwise keep the decoder busy for minutes (libjpeg-turbo's TurboJPEG API stops
 * at 500 by default).
 */
export const MAX_SCANS = 1000;

/** Blocks transformed between two yields. */
const SLICE_BLOCKS = 1024;

export interface JpegDecodeOptions {
	/**
	 * 1 (default) for full size, or 2, 4, 8 for 1/2, 1/4, 1/8 of it (each side rounded up; block averages, no
	 * longer sample-exact with djpeg): much less memory and time for a picture that is scaled down next.
	 */
	shrink?: 1 | 2 | 4 | 8;
}

/** Decodes a JPEG to 8-bit straight RGBA (alpha 255), in slices; refuses more than `limits.maxPixels` first. */
export function* decodeJpeg(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, options: JpegDecodeOptions = {}): Sliced<RgbaImage> {
	const shrink = options.shrink ?? 1;
	if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) throw new ImageFormatError('This is not a JPEG: it does not start with the SOI marker');
	const quant: Array<Uint16Array | undefined> = [];
	const dc: Array<HuffmanDecoder | undefined> = [];
	const ac: Array<HuffmanDecoder | undefined> = [];
	let restartInterval = 0;
	let frame: Frame | null = null;
	let sink: BlockSink | null = null;
	let adobeTransform = -1;
	let jfif = false;
	let scans = 0;
	let pos = 2;
	for (;;) {
		const segment = readSegment(bytes, pos);
		const marker = segment.marker;
		pos = segment.end;
		if (marker === EOI) break;
		if (marker === DQT) parseQuantTables(bytes, segment, quant);
		else if (marker === DHT) parseHuffmanTables(bytes, segment, dc, ac);
		else if (marker === DRI) restartInterval = parseRestartInterval(bytes, segment);
		else if (marker === DAC) throw new UnsupportedJpegError('arithmetic coding (DAC)');
		else if (marker === DNL) throw new UnsupportedJpegError('a height given later in a DNL segment');
		else if (isFrameMarker(marker)) {
			if (frame) throw new ImageFormatError('The JPEG is damaged: it has a second frame header (SOF)');
			frame = parseFrame(bytes, segment, limits);
			sink = { coefficients: null, planes: [], quant: [], shrink };
		} else if (marker === SOS) {
			if (!frame || !sink) throw new ImageFormatError('The JPEG is damaged: a scan (SOS) comes before the frame header (SOF)');
			if (scans >= MAX_SCANS) throw new ImageFormatError(`The JPEG has more than ${MAX_SCANS} scans, which no camera or editor writes`);
			const header = parseScanHeader(bytes, segment, frame);
			for (const { index } of header.components) {
				// The quantisation table is latched when a component's first scan starts (as libjpeg does).
				if (sink.quant[index]) continue;
				const id = frame.components[index].quantId;
				const table = quant[id];
				if (!table) throw new ImageFormatError(`The JPEG is damaged: a scan uses quantisation table ${id} before a DQT segment defines it`);
				sink.quant[index] = table;
			}
			if (scans === 0) allocate(frame, sink, !frame.progressive && header.components.length === frame.components.length);
			pos = yield* decodeScan(bytes, segment.end, frame, header, { dc, ac, restartInterval }, sink);
			scans++;
		} else if (marker === 0xe0 && isTagged(bytes, segment.dataStart, segment.end, 'JFIF\0')) jfif = true;
		else if (marker === 0xee && isTagged(bytes, segment.dataStart, segment.end, 'Adobe') && segment.end - segment.dataStart >= 12) {
			adobeTransform = bytes[segment.dataStart + 11];
		} else if (marker >= 0x02 && marker <= 0xbf) {
			throw new ImageFormatError(`The JPEG is damaged: it holds an unknown marker ${markerName(marker)} at byte ${segment.start}`);
		}
		// APPn, COM, JPGn and stray RSTn segments carry nothing the pixels need.
	}
	if (!frame || !sink || scans === 0) throw new ImageFormatError('The JPEG holds no image: it ends before its first scan');
	if (sink.coefficients) yield* transformAll(frame, sink);
	const strides = frame.components.map((c) => c.blocksPerLine * (8 / shrink));
	const rgb = frame.components.length === 3 && !jfif && (adobeTransform === 0 || (adobeTransform < 0 && frame.components.map((c) => c.id).join() === '82,71,66'));
	return yield* planesToRgba(shrunkFrame(frame, shrink), sink.planes, strides, rgb);
}

function isTagged(bytes: Uint8Array, from: number, to: number, tag: string): boolean {
	if (to - from < tag.length) return false;
	for (let i = 0; i < tag.length; i++) if (bytes[from + i] !== tag.charCodeAt(i)) return false;
	return true;
}

/** Component planes, and coefficient stores unless every block can go straight through the IDCT. */
function allocate(frame: Frame, sink: BlockSink, direct: boolean): void {
	const n = 8 / sink.shrink;
	sink.planes = frame.components.map((c) => new Uint8Array(c.blocksPerLine * c.blocksPerColumn * n * n));
	sink.coefficients = direct ? null : frame.components.map((c) => new Int16Array(c.blocksPerLine * c.blocksPerColumn * 64));
}

/** Runs the IDCT over every stored block (after the last scan), freeing each component's store when done. */
function* transformAll(frame: Frame, sink: BlockSink): Sliced<void> {
	const ws = new Int32Array(64);
	const samples = new Uint8Array(64);
	const n = 8 / sink.shrink;
	const tick = ticker(SLICE_BLOCKS);
	const coefficients = sink.coefficients!;
	for (let i = 0; i < frame.components.length; i++) {
		const c = frame.components[i];
		const coef = coefficients[i];
		const plane = sink.planes[i];
		const stride = c.blocksPerLine * n;
		// A component no scan named keeps zero coefficients (mid-grey), as libjpeg leaves it.
		const table = sink.quant[i] ?? new Uint16Array(64).fill(1);
		for (let row = 0; row < c.blocksPerColumn; row++) {
			for (let col = 0; col < c.blocksPerLine; col++) {
				idctShrunk(coef, (row * c.blocksPerLine + col) * 64, table, plane, row * n * stride + col * n, stride, ws, samples, sink.shrink);
			}
			if (tick(c.blocksPerLine)) yield;
		}
		coefficients[i] = new Int16Array(0);
	}
}
