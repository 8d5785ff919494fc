import * as zlib from 'zlib';
import { encodePng } from '../../../nodes/FaceToSticker/image/png/encode';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError, IndexedImage, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { rgbaOf } from '../../helpers/pixels';

interface Chunk {
	type: string;
	data: Buffer;
}

/** Splits a PNG into chunks, checking the signature and every CRC with Node's zlib.crc32. */
function readChunks(png: Uint8Array): Chunk[] {
	const file = Buffer.from(png);
	expect([...file.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
	const chunks: Chunk[] = [];
	let offset = 8;
	while (offset < file.length) {
		const length = file.readUInt32BE(offset);
		const type = file.toString('latin1', offset + 4, offset + 8);
		const data = file.subarray(offset + 8, offset + 8 + length);
		expect(file.readUInt32BE(offset + 8 + length)).toBe(zlib.crc32(file.subarray(offset + 4, offset + 8 + length)));
		chunks.push({ type, data });
		offset += 12 + length;
	}
	expect(offset).toBe(file.length);
	return chunks;
}

/** Chunk order the spec requires for what we write: IHDR, PLTE, tRNS, consecutive IDATs, IEND. */
function expectChunkOrder(chunks: Chunk[], palette: boolean, trns: boolean): void {
	const types = chunks.map((c) => c.type);
	const idats = types.filter((t) => t === 'IDAT').length;
	const expected = ['IHDR', ...(palette ? ['PLTE'] : []), ...(trns ? ['tRNS'] : []), ...Array(idats).fill('IDAT'), 'IEND'];
	expect(idats).toBeGreaterThanOrEqual(1);
	expect(types).toEqual(expected);
}

interface Header {
	width: number;
	height: number;
	bitDepth: number;
	colourType: number;
	rest: number[];
}

function header(chunks: Chunk[]): Header {
	const data = chunks[0].data;
	expect(data.length).toBe(13);
	return {
		width: data.readUInt32BE(0),
		height: data.readUInt32BE(4),
		bitDepth: data[8],
		colourType: data[9],
		rest: [data[10], data[11], data[12]],
	};
}

/** An independent decoder for what the encoder writes (8-bit RGB/RGBA, palette at 1-8 bits): RGBA out. */
function decode(png: Uint8Array): RgbaImage {
	const chunks = readChunks(png);
	const { width, height, bitDepth, colourType } = header(chunks);
	const raw = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
	const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 1;
	const bpp = Math.max(1, (channels * bitDepth) / 8);
	const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
	expect(raw.length).toBe(height * (rowBytes + 1));
	const rows = new Uint8Array(height * rowBytes);
	for (let y = 0; y < height; y++) {
		const type = raw[y * (rowBytes + 1)];
		expect(type).toBeLessThanOrEqual(4);
		for (let i = 0; i < rowBytes; i++) {
			const x = raw[y * (rowBytes + 1) + 1 + i];
			const a = i >= bpp ? rows[y * rowBytes + i - bpp] : 0;
			const b = y > 0 ? rows[(y - 1) * rowBytes + i] : 0;
			const c = y > 0 && i >= bpp ? rows[(y - 1) * rowBytes + i - bpp] : 0;
			const p = a + b - c;
			const paeth =
				Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
			const prediction = [0, a, b, (a + b) >> 1, paeth][type];
			rows[y * rowBytes + i] = (x + prediction) & 0xff;
		}
	}
	const out = new Uint8Array(width * height * 4);
	const plte = chunks.find((c) => c.type === 'PLTE')?.data;
	const trns = chunks.find((c) => c.type === 'tRNS')?.data ?? Buffer.alloc(0);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const o = (y * width + x) * 4;
			const r = y * rowBytes;
			if (colourType === 3) {
				const bit = x * bitDepth;
				const index = (rows[r + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
				expect(index * 3).toBeLessThan(plte!.length);
				out.set(plte!.subarray(index * 3, index * 3 + 3), o);
				out[o + 3] = index < trns.length ? trns[index] : 255;
			} else {
				out.set(rows.subarray(r + x * channels, r + x * channels + 3), o);
				out[o + 3] = channels === 4 ? rows[r + x * 4 + 3] : 255;
			}
		}
	}
	return { width, height, data: out };
}

function gradient(width: number, height: number, alpha: (x: number, y: number) => number): RgbaImage {
	const data = new Uint8Array(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 4;
			data.set([(x * 7) & 0xff, (y * 5) & 0xff, (x * y) & 0xff, alpha(x, y)], i);
		}
	}
	return { width, height, data };
}

function indexed(width: number, height: number, entries: number, alpha: (entry: number) => number): IndexedImage {
	const palette = new Uint8Array(entries * 4);
	for (let e = 0; e < entries; e++) palette.set([(e * 37) & 0xff, (e * 91) & 0xff, (e * 13) & 0xff, alpha(e)], e * 4);
	const indices = new Uint8Array(width * height);
	for (let i = 0; i < indices.length; i++) indices[i] = (i * 7 + (i >> 3)) % entries;
	return { width, height, palette, indices };
}

const encode = (image: RgbaImage | IndexedImage) => runToEnd(encodePng(image));

describe('encodePng, truecolour', () => {
	it('writes RGBA with transparency as colour type 6, 8-bit, non-interlaced, pixels exact', () => {
		const image = gradient(37, 23, (x, y) => (x + y) % 3 === 0 ? 0 : 200);
		const png = encode(image);
		const chunks = readChunks(png);
		expectChunkOrder(chunks, false, false);
		expect(header(chunks)).toEqual({ width: 37, height: 23, bitDepth: 8, colourType: 6, rest: [0, 0, 0] });
		expect(Buffer.from(decode(png).data).equals(Buffer.from(image.data))).toBe(true);
	});

	it('writes a fully opaque RGBA image as colour type 2 (RGB), pixels exact', () => {
		const image = gradient(64, 40, () => 255);
		const png = encode(image);
		expect(header(readChunks(png)).colourType).toBe(2);
		expect(Buffer.from(decode(png).data).equals(Buffer.from(image.data))).toBe(true);
	});

	it('chooses among all five filter types on varied rows', () => {
		// Ramps favour Sub, stripes Up, smooth areas Average/Paeth, small bytes of period 3 after noise None.
		const width = 64;
		const height = 64;
		const data = new Uint8Array(width * height * 4);
		let seed = 9;
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) {
				seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
				const kind = y % 5;
				const i = (y * width + x) * 4;
				if (kind === 4) for (let k = 0; k < 4; k++) data[i + k] = (x * 4 + k) % 3 === 0 ? 2 : 0;
				else if (kind === 3) data.set([seed >>> 24, (seed >>> 16) & 0xff, (seed >>> 8) & 0xff, 128], i);
				else {
					const value = kind === 0 ? x * 3 : kind === 1 ? (x & 1) * 90 : x + y * 2;
					data.set([value & 0xff, (value * 3) & 0xff, (x * y) & 0xff, 128], i);
				}
			}
		}
		const png = encode({ width, height, data });
		const chunks = readChunks(png);
		const raw = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
		const types = new Set<number>();
		for (let y = 0; y < height; y++) types.add(raw[y * (width * 4 + 1)]);
		expect([...types].sort()).toEqual([0, 1, 2, 3, 4]);
		expect(Buffer.from(decode(png).data).equals(Buffer.from(data))).toBe(true);
	});

	it('splits a large compressed stream into IDAT chunks of at most 256 KB', () => {
		// Noise does not compress: 320 × 320 × 4 bytes need two chunks.
		const width = 320;
		const height = 320;
		const data = new Uint8Array(width * height * 4);
		let seed = 5;
		for (let i = 0; i < data.length; i++) {
			seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
			data[i] = seed >>> 24;
		}
		const png = encode({ width, height, data });
		const chunks = readChunks(png);
		const idats = chunks.filter((c) => c.type === 'IDAT');
		expect(idats.length).toBe(2);
		expect(idats[0].data.length).toBe(1 << 18);
		for (const c of idats) expect(c.data.length).toBeLessThanOrEqual(1 << 18);
		expectChunkOrder(chunks, false, false);
		expect(Buffer.from(decode(png).data).equals(Buffer.from(data))).toBe(true);
	});

	it('refuses pixel data whose length does not match width × height × 4', () => {
		expect(() => encode({ width: 4, height: 4, data: new Uint8Array(60) })).toThrow(ImageFormatError);
		expect(() => encode({ width: 4, height: 4, data: new Uint8Array(60) })).toThrow(/60 bytes.*needs 64/);
	});

	it('refuses zero, negative and fractional sizes', () => {
		for (const [width, height] of [[0, 1], [1, -2], [1.5, 1], [1, NaN]]) {
			expect(() => encode({ width, height, data: new Uint8Array(4) })).toThrow(ImageFormatError);
		}
	});
});

describe('encodePng, palette', () => {
	for (const [entries, depth] of [[2, 1], [3, 2], [4, 2], [16, 4], [17, 8], [256, 8]]) {
		it(`writes ${entries} opaque entries as colour type 3 at bit depth ${depth}, no tRNS, pixels exact`, () => {
			const image = indexed(13, 7, entries, () => 255);
			const png = encode(image);
			const chunks = readChunks(png);
			expectChunkOrder(chunks, true, false);
			expect(header(chunks)).toEqual({ width: 13, height: 7, bitDepth: depth, colourType: 3, rest: [0, 0, 0] });
			expect(chunks[1].data.length).toBe(entries * 3);
			expect(Buffer.from(decode(png).data).equals(Buffer.from(rgbaOf(image)))).toBe(true);
		});
	}

	for (const [entries, depth] of [[2, 1], [4, 2], [16, 4], [200, 8]]) {
		it(`writes ${entries} entries with transparent ones at depth ${depth} with tRNS, pixels exact`, () => {
			const image = indexed(21, 9, entries, (e) => (e < 2 ? e * 100 : 255));
			const png = encode(image);
			const chunks = readChunks(png);
			expectChunkOrder(chunks, true, true);
			expect(header(chunks).bitDepth).toBe(depth);
			expect([...chunks[2].data]).toEqual([0, 100]);
			expect(Buffer.from(decode(png).data).equals(Buffer.from(rgbaOf(image)))).toBe(true);
		});
	}

	it('moves non-opaque entries to the front so tRNS stays short, and remaps the indices', () => {
		// Entries 5 and 9 of 10 are translucent: in place tRNS would need 10 bytes, reordered 2.
		const image = indexed(16, 16, 10, (e) => (e === 5 ? 10 : e === 9 ? 0 : 255));
		const png = encode(image);
		const chunks = readChunks(png);
		expectChunkOrder(chunks, true, true);
		expect([...chunks[2].data]).toEqual([10, 0]);
		const plte = chunks[1].data;
		expect([...plte.subarray(0, 3)]).toEqual([...image.palette.subarray(20, 23)]);
		expect([...plte.subarray(3, 6)]).toEqual([...image.palette.subarray(36, 39)]);
		expect(Buffer.from(decode(png).data).equals(Buffer.from(rgbaOf(image)))).toBe(true);
	});

	it('keeps the palette order when the translucent entries already come first', () => {
		const image = indexed(8, 8, 6, (e) => (e < 3 ? 50 : 255));
		const chunks = readChunks(encode(image));
		expect([...chunks[1].data]).toEqual([...image.palette].filter((_, i) => i % 4 !== 3));
		expect(chunks[2].data.length).toBe(3);
	});

	it('uses filter type 0 on every palette row', () => {
		const image = indexed(40, 30, 256, () => 255);
		const chunks = readChunks(encode(image));
		const raw = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
		for (let y = 0; y < 30; y++) expect(raw[y * 41]).toBe(0);
	});

	it('refuses an index beyond the palette, naming the pixel', () => {
		const image = indexed(4, 4, 3, () => 255);
		image.indices[6] = 3;
		expect(() => encode(image)).toThrow(ImageFormatError);
		expect(() => encode(image)).toThrow(/Pixel \(2, 1\).*entry 3.*has 3/);
	});

	it('refuses an empty, oversized or ragged palette and a wrong number of indices', () => {
		const base = indexed(4, 4, 3, () => 255);
		expect(() => encode({ ...base, palette: new Uint8Array(0) })).toThrow(ImageFormatError);
		expect(() => encode({ ...base, palette: new Uint8Array(257 * 4) })).toThrow(ImageFormatError);
		expect(() => encode({ ...base, palette: new Uint8Array(10) })).toThrow(/10 bytes/);
		expect(() => encode({ ...base, indices: new Uint8Array(15) })).toThrow(/15 indices/);
	});
});
