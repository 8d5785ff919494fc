'use strict';
// A baseline JPEG encoder for any picture (ITU-T T.81), for the emulator's stickers: the AAN forward DCT, the
// standard quantisation tables of Annex K scaled to a quality as libjpeg does, the standard Huffman tables of
// Annex K.3, YCbCr 4:2:0 or 4:4:4.

const { DC_LUMA, DC_CHROMA, huffmanCodes, segment, dhtPayload } = require('./jpeg-shared');

const ZIGZAG = [
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];
const LUMA_QUANT = [
	16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_QUANT = [
	17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
	...new Array(32).fill(99),
];
const AC_LUMA = {
	counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
	symbols: [
		0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
		0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
		0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
		0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
		0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
		0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
		0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
	],
};
const AC_CHROMA = {
	counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
	symbols: [
		0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
		0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
		0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
		0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
		0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
		0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
		0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
	],
};

/** Code and length of every symbol, as flat arrays indexed by symbol (faster than a Map in the hot loop). */
function codeArrays(table) {
	const codes = huffmanCodes(table);
	const code = new Uint16Array(256);
	const length = new Uint8Array(256);
	for (const [symbol, entry] of codes) {
		code[symbol] = entry.code;
		length[symbol] = entry.length;
	}
	return { code, length };
}

/** libjpeg's quality scaling of a base table (quality 1-100), in natural (row-major) order. */
function scaledTable(base, quality) {
	const q = Math.max(1, Math.min(100, Math.round(quality)));
	const scale = q < 50 ? 5000 / q : 200 - 2 * q;
	return base.map((value) => Math.max(1, Math.min(255, Math.floor((value * scale + 50) / 100))));
}

// The AAN forward DCT (Arai, Agui, Nakajima; libjpeg's jfdctflt.c): its outputs are the DCT's scaled by
// AAN_SCALE[u] x AAN_SCALE[v] x 8, which the quantisation divisors take back out.
const AAN_SCALE = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** One 8-point AAN pass over data[start], data[start + step], ... in place. */
function aan(data, start, step) {
	const i0 = start;
	const i1 = start + step;
	const i2 = start + 2 * step;
	const i3 = start + 3 * step;
	const i4 = start + 4 * step;
	const i5 = start + 5 * step;
	const i6 = start + 6 * step;
	const i7 = start + 7 * step;
	const tmp0 = data[i0] + data[i7];
	const tmp7 = data[i0] - data[i7];
	const tmp1 = data[i1] + data[i6];
	const tmp6 = data[i1] - data[i6];
	const tmp2 = data[i2] + data[i5];
	const tmp5 = data[i2] - data[i5];
	const tmp3 = data[i3] + data[i4];
	const tmp4 = data[i3] - data[i4];
	let tmp10 = tmp0 + tmp3;
	const tmp13 = tmp0 - tmp3;
	let tmp11 = tmp1 + tmp2;
	let tmp12 = tmp1 - tmp2;
	data[i0] = tmp10 + tmp11;
	data[i4] = tmp10 - tmp11;
	const z1 = (tmp12 + tmp13) * 0.707106781;
	data[i2] = tmp13 + z1;
	data[i6] = tmp13 - z1;
	tmp10 = tmp4 + tmp5;
	tmp11 = tmp5 + tmp6;
	tmp12 = tmp6 + tmp7;
	const z5 = (tmp10 - tmp12) * 0.382683433;
	const z2 = 0.5411961 * tmp10 + z5;
	const z4 = 1.306562965 * tmp12 + z5;
	const z3 = tmp11 * 0.707106781;
	const z11 = tmp7 + z3;
	const z13 = tmp7 - z3;
	data[i5] = z13 + z2;
	data[i3] = z13 - z2;
	data[i1] = z11 + z4;
	data[i7] = z11 - z4;
}

/** A growing byte buffer with a 32-bit bit accumulator and JPEG's 0xFF stuffing. */
class ScanWriter {
	constructor(capacity) {
		this.bytes = new Uint8Array(Math.max(1024, capacity));
		this.length = 0;
		this.acc = 0;
		this.bits = 0;
	}
	push(byte) {
		if (this.length + 2 > this.bytes.length) {
			const bigger = new Uint8Array(this.bytes.length * 2);
			bigger.set(this.bytes);
			this.bytes = bigger;
		}
		this.bytes[this.length++] = byte;
		if (byte === 0xff) this.bytes[this.length++] = 0;
	}
	write(value, length) {
		// length <= 16, so acc never holds more than 23 bits.
		this.acc = (this.acc << length) | (value & ((1 << length) - 1));
		this.bits += length;
		while (this.bits >= 8) {
			this.bits -= 8;
			this.push((this.acc >>> this.bits) & 0xff);
		}
		this.acc &= (1 << this.bits) - 1;
	}
	finish() {
		if (this.bits > 0) this.write((1 << (8 - this.bits)) - 1, 8 - this.bits);
		return Buffer.from(this.bytes.buffer, 0, this.length);
	}
}

/**
 * Encodes RGB pixels as a baseline JPEG.
 * @param {number} width
 * @param {number} height
 * @param {Uint8Array} rgb width x height x 3 bytes, row by row
 * @param {{ quality?: number, subsampling?: '420' | '444' }} [options] quality 90 and 4:2:0 unless told
 */
function encodeJpeg(width, height, rgb, options = {}) {
	const quality = options.quality ?? 90;
	const sub = options.subsampling === '444' ? 1 : 2;
	if (!(width > 0 && height > 0 && width < 65536 && height < 65536)) throw new Error(`cannot encode ${width} x ${height}`);
	if (rgb.length < width * height * 3) throw new Error('not enough pixels');
	const tables = [scaledTable(LUMA_QUANT, quality), scaledTable(CHROMA_QUANT, quality)];
	// Divisors in zigzag order, so the quantised block comes out ready to code.
	const divisors = tables.map((table) => Float64Array.from(ZIGZAG, (n) => 1 / (table[n] * AAN_SCALE[n >> 3] * AAN_SCALE[n & 7] * 8)));
	const dc = [codeArrays(DC_LUMA), codeArrays(DC_CHROMA)];
	const ac = [codeArrays(AC_LUMA), codeArrays(AC_CHROMA)];
	const mcu = 8 * sub;
	const mcusX = Math.ceil(width / mcu);
	const mcusY = Math.ceil(height / mcu);
	// Planes padded to whole MCUs by repeating the last row and column.
	const pw = mcusX * mcu;
	const ph = mcusY * mcu;
	const Y = new Float32Array(pw * ph);
	const Cb = new Float32Array(pw * ph);
	const Cr = new Float32Array(pw * ph);
	for (let y = 0; y < ph; y++) {
		const sy = y < height ? y : height - 1;
		for (let x = 0; x < pw; x++) {
			const s = (sy * width + (x < width ? x : width - 1)) * 3;
			const r = rgb[s];
			const g = rgb[s + 1];
			const b = rgb[s + 2];
			const o = y * pw + x;
			Y[o] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
			Cb[o] = -0.168736 * r - 0.331264 * g + 0.5 * b;
			Cr[o] = 0.5 * r - 0.418688 * g - 0.081312 * b;
		}
	}
	const writer = new ScanWriter(width * height);
	const block = new Float64Array(64);
	const coefficients = new Int32Array(64);
	const previous = [0, 0, 0];
	const round = Math.round;
	const codeBlock = (plane, x0, y0, step, component) => {
		const table = component === 0 ? 0 : 1;
		// Load (averaging 2 x 2 pixels for subsampled chroma).
		if (step === 1) {
			for (let v = 0; v < 8; v++) {
				const base = (y0 + v) * pw + x0;
				for (let u = 0; u < 8; u++) block[v * 8 + u] = plane[base + u];
			}
		} else {
			for (let v = 0; v < 8; v++) {
				const base = (y0 + 2 * v) * pw + x0;
				for (let u = 0; u < 8; u++) {
					const o = base + 2 * u;
					block[v * 8 + u] = (plane[o] + plane[o + 1] + plane[o + pw] + plane[o + pw + 1]) * 0.25;
				}
			}
		}
		for (let v = 0; v < 8; v++) aan(block, v * 8, 1);
		for (let u = 0; u < 8; u++) aan(block, u, 8);
		const div = divisors[table];
		for (let i = 0; i < 64; i++) coefficients[i] = round(block[ZIGZAG[i]] * div[i]);
		// DC difference, then run-length coded AC.
		const diff = coefficients[0] - previous[component];
		previous[component] = coefficients[0];
		writeValue(writer, dc[table], 0, diff);
		let run = 0;
		const acTable = ac[table];
		for (let i = 1; i < 64; i++) {
			const value = coefficients[i];
			if (value === 0) {
				run++;
				continue;
			}
			while (run > 15) {
				writer.write(acTable.code[0xf0], acTable.length[0xf0]);
				run -= 16;
			}
			writeValue(writer, acTable, run << 4, value);
			run = 0;
		}
		if (run > 0) writer.write(acTable.code[0x00], acTable.length[0x00]);
	};
	for (let my = 0; my < mcusY; my++) {
		for (let mx = 0; mx < mcusX; mx++) {
			const x0 = mx * mcu;
			const y0 = my * mcu;
			for (let by = 0; by < sub; by++) for (let bx = 0; bx < sub; bx++) codeBlock(Y, x0 + bx * 8, y0 + by * 8, 1, 0);
			codeBlock(Cb, x0, y0, sub, 1);
			codeBlock(Cr, x0, y0, sub, 2);
		}
	}
	const scan = writer.finish();
	const lumaSampling = sub === 2 ? 0x22 : 0x11;
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
		segment(0xdb, Buffer.from([0x00, ...ZIGZAG.map((n) => tables[0][n]), 0x01, ...ZIGZAG.map((n) => tables[1][n])])),
		segment(0xc0, Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, lumaSampling, 0, 2, 0x11, 1, 3, 0x11, 1])),
		segment(0xc4, Buffer.concat([dhtPayload(0, 0, DC_LUMA), dhtPayload(1, 0, AC_LUMA), dhtPayload(0, 1, DC_CHROMA), dhtPayload(1, 1, AC_CHROMA)])),
		segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])),
		scan,
		Buffer.from([0xff, 0xd9]),
	]);
}

/** Writes a value's category (with `high` as the run nibble for AC) and then its bits, as T.81 F.1.2 says. */
function writeValue(writer, table, high, value) {
	const magnitude = value < 0 ? -value : value;
	let category = 0;
	while (magnitude >> category) category++;
	const symbol = high | category;
	writer.write(table.code[symbol], table.length[symbol]);
	if (category > 0) writer.write(value < 0 ? value + (1 << category) - 1 : value, category);
}

module.exports = { encodeJpeg };
