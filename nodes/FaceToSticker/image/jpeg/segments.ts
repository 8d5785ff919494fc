/**
 * The marker segments of a JPEG file (T.81 B.1-B.2): walking from one to the next, and reading the frame
 * header (SOF), scan header (SOS), quantisation (DQT), Huffman (DHT) and restart interval (DRI) segments.
 */
import { DecodeLimits, ImageFormatError } from '../types';
import { UnsupportedJpegError } from './errors';
import { buildHuffmanDecoder, HuffmanDecoder } from './huffmanDecode';
import { ZIGZAG } from './tables';

export const SOI = 0xd8;
export const EOI = 0xd9;
export const SOS = 0xda;
export const DQT = 0xdb;
export const DHT = 0xc4;
export const DRI = 0xdd;
export const DNL = 0xdc;
export const DAC = 0xcc;
export const COM = 0xfe;

/** One segment: its marker and where its payload (after the length field) starts and ends. */
export interface Segment {
	marker: number;
	/** Offset of the 0xFF that starts it. */
	start: number;
	dataStart: number;
	/** Offset just past the segment. */
	end: number;
}

/** Markers that stand alone, without a length: SOI, EOI, RST0-7 and TEM. */
function standsAlone(marker: number): boolean {
	return marker === SOI || marker === EOI || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01;
}

/** The segment at `pos` (fill bytes 0xFF before the marker are skipped). */
export function readSegment(bytes: Uint8Array, pos: number): Segment {
	if (pos >= bytes.length) throw new ImageFormatError('The JPEG is truncated: it ends before its end marker (EOI)');
	if (bytes[pos] !== 0xff) {
		throw new ImageFormatError(`The JPEG is damaged: a marker was expected at byte ${pos}, found 0x${bytes[pos].toString(16)}`);
	}
	const start = pos;
	while (pos < bytes.length && bytes[pos] === 0xff) pos++;
	if (pos >= bytes.length) throw new ImageFormatError('The JPEG is truncated: it ends inside a marker');
	const marker = bytes[pos++];
	if (marker === 0) throw new ImageFormatError(`The JPEG is damaged: 0xFF 0x00 at byte ${start} where a marker was expected`);
	if (standsAlone(marker)) return { marker, start, dataStart: pos, end: pos };
	if (pos + 2 > bytes.length) throw new ImageFormatError(`The JPEG is truncated: it ends inside the ${markerName(marker)} segment`);
	const length = (bytes[pos] << 8) | bytes[pos + 1];
	if (length < 2) throw new ImageFormatError(`The JPEG is damaged: the ${markerName(marker)} segment claims a length of ${length}`);
	const end = pos + length;
	if (end > bytes.length) throw new ImageFormatError(`The JPEG is truncated: it ends inside the ${markerName(marker)} segment`);
	return { marker, start, dataStart: pos + 2, end };
}

export function markerName(marker: number): string {
	if (marker >= 0xe0 && marker <= 0xef) return `APP${marker - 0xe0}`;
	if (marker >= 0xd0 && marker <= 0xd7) return `RST${marker - 0xd0}`;
	if (marker >= 0xc0 && marker <= 0xcf && marker !== DHT && marker !== DAC && marker !== 0xc8) return `SOF${marker - 0xc0}`;
	const names: Record<number, string> = { [SOI]: 'SOI', [EOI]: 'EOI', [SOS]: 'SOS', [DQT]: 'DQT', [DHT]: 'DHT', [DRI]: 'DRI', [DNL]: 'DNL', [DAC]: 'DAC', [COM]: 'COM' };
	return names[marker] ?? `0xFF${marker.toString(16).toUpperCase()}`;
}

export interface FrameComponent {
	id: number;
	h: number;
	v: number;
	quantId: number;
	/** Size in samples of the component's own plane (T.81 A.1.1). */
	width: number;
	height: number;
	/** Blocks stored per row and rows of blocks: whole MCUs, so interleaved scans never fall off the edge. */
	blocksPerLine: number;
	blocksPerColumn: number;
}

export interface Frame {
	progressive: boolean;
	width: number;
	height: number;
	components: FrameComponent[];
	hMax: number;
	vMax: number;
	mcusX: number;
	mcusY: number;
}

/** The coding process of a start-of-frame marker that this decoder leaves out, or null for SOF0-2. */
export function unsupportedProcess(marker: number): string | null {
	if (marker <= 0xc2) return null;
	if (marker === 0xc3) return 'lossless coding (SOF3)';
	if (marker >= 0xc5 && marker <= 0xc7) return `hierarchical coding (SOF${marker - 0xc0})`;
	return `arithmetic coding (SOF${marker - 0xc0})`;
}

/** Says what a start-of-frame marker is; throws UnsupportedJpegError for the coding processes left out. */
export function checkFrameMarker(marker: number): { progressive: boolean } {
	const unsupported = unsupportedProcess(marker);
	if (unsupported) throw new UnsupportedJpegError(unsupported);
	return { progressive: marker === 0xc2 };
}

export function isFrameMarker(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && marker !== DHT && marker !== DAC && marker !== 0xc8;
}

/** Reads SOF0-2 and checks the size against `limits` before anything is allocated. */
export function parseFrame(bytes: Uint8Array, segment: Segment, limits: DecodeLimits): Frame {
	const { progressive } = checkFrameMarker(segment.marker);
	const p = segment.dataStart;
	const length = segment.end - p;
	if (length < 6) throw new ImageFormatError('The JPEG is damaged: its frame header (SOF) is too short');
	const precision = bytes[p];
	const height = (bytes[p + 1] << 8) | bytes[p + 2];
	const width = (bytes[p + 3] << 8) | bytes[p + 4];
	const count = bytes[p + 5];
	if (precision !== 8) throw new UnsupportedJpegError(`${precision}-bit samples (only 8-bit JPEGs are decoded)`);
	if (count === 4) throw new UnsupportedJpegError('CMYK colour (4 components)');
	if (count !== 1 && count !== 3) throw new UnsupportedJpegError(`${count} colour components (only greyscale and YCbCr are decoded)`);
	if (length < 6 + 3 * count) throw new ImageFormatError('The JPEG is damaged: its frame header (SOF) is too short');
	if (height === 0) throw new UnsupportedJpegError('a height given later in a DNL segment');
	if (width === 0) throw new ImageFormatError('The JPEG is damaged: its frame header says it is 0 pixels wide');
	if (width * height > limits.maxPixels) {
		throw new ImageFormatError(`The JPEG is ${width} × ${height} pixels, more than the ${limits.maxPixels} pixels accepted`);
	}
	const raw: Array<{ id: number; h: number; v: number; quantId: number }> = [];
	for (let i = 0; i < count; i++) {
		const at = p + 6 + 3 * i;
		const id = bytes[at];
		const h = bytes[at + 1] >> 4;
		const v = bytes[at + 1] & 15;
		const quantId = bytes[at + 2];
		if (h < 1 || h > 4 || v < 1 || v > 4) throw new ImageFormatError(`The JPEG is damaged: component ${id} has sampling factors ${h} × ${v}`);
		if (quantId > 3) throw new ImageFormatError(`The JPEG is damaged: component ${id} uses quantisation table ${quantId} (0-3 exist)`);
		if (raw.some((c) => c.id === id)) throw new ImageFormatError(`The JPEG is damaged: component ${id} appears twice in its frame header`);
		raw.push({ id, h, v, quantId });
	}
	// One component: its MCU is a single block whatever factors it declares (T.81 A.2.2).
	if (count === 1) raw[0].h = raw[0].v = 1;
	const hMax = Math.max(...raw.map((c) => c.h));
	const vMax = Math.max(...raw.map((c) => c.v));
	for (const c of raw) {
		if (hMax % c.h !== 0 || vMax % c.v !== 0) throw new UnsupportedJpegError(`sampling factors that do not divide evenly (${c.h} × ${c.v} of ${hMax} × ${vMax})`);
	}
	const mcusX = Math.ceil(width / (8 * hMax));
	const mcusY = Math.ceil(height / (8 * vMax));
	const components = raw.map((c) => ({
		...c,
		width: Math.ceil((width * c.h) / hMax),
		height: Math.ceil((height * c.v) / vMax),
		blocksPerLine: mcusX * c.h,
		blocksPerColumn: mcusY * c.v,
	}));
	return { progressive, width, height, components, hMax, vMax, mcusX, mcusY };
}

/** Reads a DQT segment into `tables` (natural order); 16-bit entries belong to 12-bit JPEGs but are read too. */
export function parseQuantTables(bytes: Uint8Array, segment: Segment, tables: Array<Uint16Array | undefined>): void {
	let p = segment.dataStart;
	while (p < segment.end) {
		const precision = bytes[p] >> 4;
		const id = bytes[p] & 15;
		if (precision > 1 || id > 3) throw new ImageFormatError(`The JPEG is damaged: a DQT segment defines table ${id} with precision ${precision}`);
		const size = precision === 0 ? 64 : 128;
		if (p + 1 + size > segment.end) throw new ImageFormatError('The JPEG is damaged: a DQT segment is shorter than its tables');
		const table = new Uint16Array(64);
		for (let k = 0; k < 64; k++) {
			const value = precision === 0 ? bytes[p + 1 + k] : (bytes[p + 1 + 2 * k] << 8) | bytes[p + 2 + 2 * k];
			if (value === 0) throw new ImageFormatError(`The JPEG is damaged: quantisation table ${id} holds a zero`);
			table[ZIGZAG[k]] = value;
		}
		tables[id] = table;
		p += 1 + size;
	}
}

/** Reads a DHT segment into `dc` and `ac`. */
export function parseHuffmanTables(bytes: Uint8Array, segment: Segment, dc: Array<HuffmanDecoder | undefined>, ac: Array<HuffmanDecoder | undefined>): void {
	let p = segment.dataStart;
	while (p < segment.end) {
		if (p + 17 > segment.end) throw new ImageFormatError('The JPEG is damaged: a DHT segment is shorter than its tables');
		const tableClass = bytes[p] >> 4;
		const id = bytes[p] & 15;
		if (tableClass > 1 || id > 3) throw new ImageFormatError(`The JPEG is damaged: a DHT segment defines class ${tableClass} table ${id}`);
		const counts = bytes.slice(p + 1, p + 17);
		let total = 0;
		for (const n of counts) total += n;
		if (total > 256 || p + 17 + total > segment.end) throw new ImageFormatError('The JPEG is damaged: a DHT segment is shorter than its tables');
		const symbols = bytes.slice(p + 17, p + 17 + total);
		const what = `${tableClass === 0 ? 'DC' : 'AC'} table ${id}`;
		(tableClass === 0 ? dc : ac)[id] = buildHuffmanDecoder(counts, symbols, what);
		p += 17 + total;
	}
}

export function parseRestartInterval(bytes: Uint8Array, segment: Segment): number {
	if (segment.end - segment.dataStart < 2) throw new ImageFormatError('The JPEG is damaged: its DRI segment is too short');
	return (bytes[segment.dataStart] << 8) | bytes[segment.dataStart + 1];
}

export interface ScanComponent {
	/** Index into frame.components. */
	index: number;
	dcTable: number;
	acTable: number;
}

export interface ScanHeader {
	components: ScanComponent[];
	ss: number;
	se: number;
	ah: number;
	al: number;
}

/** Reads an SOS header and checks it against the frame and its coding (baseline, extended or progressive). */
export function parseScanHeader(bytes: Uint8Array, segment: Segment, frame: Frame): ScanHeader {
	const p = segment.dataStart;
	const count = bytes[p];
	if (count < 1 || count > 4 || segment.end - p < 4 + 2 * count) throw new ImageFormatError('The JPEG is damaged: a scan header (SOS) is malformed');
	const components: ScanComponent[] = [];
	let blocks = 0;
	for (let i = 0; i < count; i++) {
		const id = bytes[p + 1 + 2 * i];
		const index = frame.components.findIndex((c) => c.id === id);
		if (index < 0) throw new ImageFormatError(`The JPEG is damaged: a scan names component ${id}, which its frame does not have`);
		if (components.some((c) => c.index === index)) throw new ImageFormatError(`The JPEG is damaged: a scan names component ${id} twice`);
		const tables = bytes[p + 2 + 2 * i];
		if (tables >> 4 > 3 || (tables & 15) > 3) throw new ImageFormatError(`The JPEG is damaged: a scan names Huffman tables ${tables >> 4} and ${tables & 15}`);
		components.push({ index, dcTable: tables >> 4, acTable: tables & 15 });
		blocks += frame.components[index].h * frame.components[index].v;
	}
	if (count > 1 && blocks > 10) throw new ImageFormatError(`The JPEG is damaged: a scan has ${blocks} blocks per MCU (at most 10)`);
	const at = p + 1 + 2 * count;
	const ss = bytes[at];
	const se = bytes[at + 1];
	const ah = bytes[at + 2] >> 4;
	const al = bytes[at + 2] & 15;
	const bad = frame.progressive
		? ss > 63 || se > 63 || se < ss || (ss === 0) !== (se === 0) || (ss > 0 && count !== 1) || al > 13 || (ah !== 0 && ah !== al + 1)
		: ss !== 0 || se !== 63 || ah !== 0 || al !== 0;
	if (bad) throw new ImageFormatError(`The JPEG is damaged: a scan covers coefficients ${ss}-${se} with bits ${ah}/${al}, which its coding process does not allow`);
	return { components, ss, se, ah, al };
}
