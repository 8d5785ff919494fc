/**
 * One scan (T.81 B.2.3, E.2.3-E.2.5 / G.1.1): its MCUs in order, restart intervals, and where the data
 * ends. Blocks go either into the coefficient store (progressive JPEGs, or components spread over scans), or
 * straight through the IDCT into the component planes (a sequential scan holding every component).
 */
import { Sliced, ticker } from '../slices';
import { ImageFormatError } from '../types';
import { BitReader } from './bitReader';
import type { HuffmanDecoder } from './huffmanDecode';
import { idctShrunk } from './shrink';
import { BlockDecoder } from './scanBlocks';
import { Frame, FrameComponent, markerName, ScanHeader } from './segments';

/** Where decoded blocks go. */
export interface BlockSink {
	/** Per component, 64 coefficients per block; null when the blocks go straight to `planes`. */
	coefficients: Int16Array[] | null;
	planes: Uint8Array[];
	/** Quantisation tables latched per component for the direct path. */
	quant: Array<Uint16Array | undefined>;
	/** 1, or 2, 4, 8 to decode at that fraction of the size (see shrink.ts). */
	shrink: number;
}

export interface ScanTables {
	dc: Array<HuffmanDecoder | undefined>;
	ac: Array<HuffmanDecoder | undefined>;
	restartInterval: number;
}

/** Blocks decoded between two yields. */
const SLICE_BLOCKS = 512;

/** Offset of the next marker at or after `pos` (skipping stray bytes as libjpeg does), or bytes.length. */
function nextMarker(bytes: Uint8Array, pos: number): number {
	for (pos = bytes.indexOf(0xff, pos); pos >= 0 && pos + 1 < bytes.length; pos = bytes.indexOf(0xff, pos + 1)) {
		if (bytes[pos + 1] !== 0 && bytes[pos + 1] !== 0xff) return pos;
	}
	return bytes.length;
}

function table<T>(tables: Array<T | undefined>, id: number, kind: string): T {
	const found = tables[id];
	if (!found) throw new ImageFormatError(`The JPEG is damaged: a scan uses ${kind} Huffman table ${id} before a DHT segment defines it`);
	return found;
}

/** Decodes the scan whose entropy-coded data starts at `pos`; returns the offset of the marker after it. */
export function* decodeScan(bytes: Uint8Array, pos: number, frame: Frame, header: ScanHeader, tables: ScanTables, sink: BlockSink): Sliced<number> {
	const reader = new BitReader(bytes, pos);
	const decoder = new BlockDecoder(reader, header.ss, header.se, header.al);
	const comps: FrameComponent[] = header.components.map((c) => frame.components[c.index]);
	const indices = header.components.map((c) => c.index);
	const progressive = frame.progressive;
	const dcFirst = progressive && header.ss === 0 && header.ah === 0;
	const dcRefine = progressive && header.ss === 0 && header.ah !== 0;
	const acFirst = progressive && header.ss > 0 && header.ah === 0;
	const needDc = !progressive || dcFirst;
	const needAc = !progressive || header.ss > 0;
	const dcTables = header.components.map((c) => (needDc ? table(tables.dc, c.dcTable, 'DC') : undefined));
	const acTables = header.components.map((c) => (needAc ? table(tables.ac, c.acTable, 'AC') : undefined));
	const preds = new Int32Array(comps.length);
	const scratch = new Int32Array(64);
	const ws = new Int32Array(64);
	const samples = new Uint8Array(64);
	const n = 8 / sink.shrink;
	const direct = sink.coefficients === null;

	const single = comps.length === 1;
	const mcusX = single ? Math.ceil(comps[0].width / 8) : frame.mcusX;
	const mcusY = single ? Math.ceil(comps[0].height / 8) : frame.mcusY;
	const total = mcusX * mcusY;
	const interval = tables.restartInterval;
	let expected = 0;
	const tick = ticker(SLICE_BLOCKS);

	const block = (s: number, row: number, col: number): void => {
		const c = comps[s];
		if (direct) {
			preds[s] = decoder.sequential(dcTables[s]!, acTables[s]!, scratch, 0, preds[s]);
			const stride = c.blocksPerLine * n;
			idctShrunk(scratch, 0, sink.quant[indices[s]]!, sink.planes[indices[s]], row * n * stride + col * n, stride, ws, samples, sink.shrink);
			return;
		}
		const coef = sink.coefficients![indices[s]];
		const o = (row * c.blocksPerLine + col) * 64;
		if (!progressive) preds[s] = decoder.sequential(dcTables[s]!, acTables[s]!, coef, o, preds[s]);
		else if (dcFirst) preds[s] = decoder.dcFirst(dcTables[s]!, coef, o, preds[s]);
		else if (dcRefine) decoder.dcRefine(coef, o);
		else if (acFirst) decoder.acFirst(acTables[s]!, coef, o);
		else decoder.acRefine(acTables[s]!, coef, o);
	};

	for (let m = 0; m < total; m++) {
		if (interval > 0 && m > 0 && m % interval === 0) {
			if (reader.overran()) throw endedEarly(bytes, reader);
			const at = nextMarker(bytes, reader.pos);
			const marker = at < bytes.length ? bytes[at + 1] : -1;
			if (marker !== 0xd0 + expected) {
				throw new ImageFormatError(
					`The JPEG is damaged: restart marker RST${expected} expected after MCU ${m}, found ${marker < 0 ? 'the end of the file' : markerName(marker)}`,
				);
			}
			expected = (expected + 1) & 7;
			reader.reset(at + 2);
			decoder.eobrun = 0;
			preds.fill(0);
		}
		const mcuY = (m / mcusX) | 0;
		const mcuX = m - mcuY * mcusX;
		if (single) block(0, mcuY, mcuX);
		else {
			for (let s = 0; s < comps.length; s++) {
				const { h, v } = comps[s];
				for (let by = 0; by < v; by++) for (let bx = 0; bx < h; bx++) block(s, mcuY * v + by, mcuX * h + bx);
			}
		}
		if (tick(comps.length)) {
			if (reader.overran()) throw endedEarly(bytes, reader);
			yield;
		}
	}
	if (reader.overran()) throw endedEarly(bytes, reader);
	// Restart markers after the last interval are allowed; step over them.
	let at = nextMarker(bytes, reader.pos);
	while (at < bytes.length && bytes[at + 1] >= 0xd0 && bytes[at + 1] <= 0xd7) at = nextMarker(bytes, at + 2);
	return at;
}

function endedEarly(bytes: Uint8Array, reader: BitReader): ImageFormatError {
	const at = nextMarker(bytes, reader.pos);
	if (at >= bytes.length) return new ImageFormatError('The JPEG is truncated: its image data ends before the last block');
	return new ImageFormatError(`The JPEG is damaged: its image data stops early, at marker ${markerName(bytes[at + 1])}`);
}
