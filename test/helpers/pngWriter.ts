// A test-only PNG writer, independent of the decoder: chunks with Node's CRC-32, and its own packing,
// filtering and Adam7 pass split, straight from the PNG spec (the caller compresses with Node's zlib).
import * as zlib from 'zlib';

export const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Samples per pixel of each colour type. */
export const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** PNG spec §8.2: the Adam7 pass (1 to 7) of each pixel of every 8 × 8 block, row by row. */
const ADAM7_PATTERN = ['16462646', '77777777', '56565656', '77777777', '36463646', '77777777', '56565656', '77777777'];

export interface Spec {
	width: number;
	height: number;
	colorType: number;
	bitDepth: number;
	interlaced: boolean;
}

export function chunk(type: string, data: ArrayLike<number> = []): Buffer {
	const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(Uint8Array.from(data))]);
	const out = Buffer.alloc(body.length + 8);
	out.writeUInt32BE(body.length - 4, 0);
	body.copy(out, 4);
	out.writeUInt32BE(zlib.crc32(body), body.length + 4);
	return out;
}

export function ihdr(width: number, height: number, bitDepth: number, colorType: number, interlace = 0, extra = [0, 0]): Buffer {
	const data = Buffer.alloc(13);
	data.writeUInt32BE(width, 0);
	data.writeUInt32BE(height, 4);
	data.set([bitDepth, colorType, extra[0], extra[1], interlace], 8);
	return chunk('IHDR', data);
}

export function png(...chunks: Buffer[]): Uint8Array {
	return new Uint8Array(Buffer.concat([Buffer.from(SIGNATURE), ...chunks]));
}

/**
 * The rows of every pass in file order, each row the indices (y × width + x) of its pixels: one pass for a
 * plain image, the seven Adam7 reduced images for an interlaced one (empty rows and passes left out).
 */
export function passRows(width: number, height: number, interlaced: boolean): number[][][] {
	const passes: number[][][] = [];
	for (let pass = 1; pass <= (interlaced ? 7 : 1); pass++) {
		const rows: number[][] = [];
		for (let y = 0; y < height; y++) {
			const row: number[] = [];
			for (let x = 0; x < width; x++) {
				if (!interlaced || Number(ADAM7_PATTERN[y & 7][x & 7]) === pass) row.push(y * width + x);
			}
			if (row.length > 0) rows.push(row);
		}
		if (rows.length > 0) passes.push(rows);
	}
	return passes;
}

/** Packs samples (channels per pixel, row-major) into filtered scanlines of every pass. */
export function scanlines(spec: Spec, samples: Uint16Array, filterFor: (row: number) => number): Uint8Array {
	const channels = CHANNELS[spec.colorType];
	const bits = channels * spec.bitDepth;
	const bpp = Math.max(1, bits >> 3);
	const out: Uint8Array[] = [];
	let rowIndex = 0;
	for (const rows of passRows(spec.width, spec.height, spec.interlaced)) {
		const rowBytes = Math.ceil((rows[0].length * bits) / 8);
		let prev = new Uint8Array(rowBytes);
		for (const pixels of rows) {
			const raw = new Uint8Array(rowBytes);
			let bit = 0;
			for (const pixel of pixels) {
				for (let c = 0; c < channels; c++) {
					const v = samples[pixel * channels + c];
					if (spec.bitDepth === 16) {
						raw[bit >> 3] = v >> 8;
						raw[(bit >> 3) + 1] = v & 255;
					} else if (spec.bitDepth === 8) raw[bit >> 3] = v;
					else raw[bit >> 3] |= v << (8 - spec.bitDepth - (bit & 7));
					bit += spec.bitDepth;
				}
			}
			const type = filterFor(rowIndex++);
			out.push(Uint8Array.of(type), filter(type, raw, prev, bpp));
			prev = raw;
		}
	}
	return new Uint8Array(Buffer.concat(out));
}

function filter(type: number, raw: Uint8Array, prev: Uint8Array, bpp: number): Uint8Array {
	const out = new Uint8Array(raw.length);
	for (let i = 0; i < raw.length; i++) {
		const a = i >= bpp ? raw[i - bpp] : 0;
		const b = prev[i];
		const c = i >= bpp ? prev[i - bpp] : 0;
		let predictor = 0;
		if (type === 1) predictor = a;
		else if (type === 2) predictor = b;
		else if (type === 3) predictor = (a + b) >> 1;
		else if (type === 4) {
			const [pa, pb, pc] = [Math.abs(b - c), Math.abs(a - c), Math.abs(a + b - 2 * c)];
			predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
		}
		out[i] = (raw[i] - predictor) & 255;
	}
	return out;
}
