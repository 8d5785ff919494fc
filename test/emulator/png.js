'use strict';
// A small PNG encoder (8-bit RGBA, with tEXt chunks, from a function or from bytes) for the emulator's background removal, and a decoder for
// the tests that check its output: colour type, alpha and pixels. Node's zlib does the compression.

const zlib = require('zlib');

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buffer) {
	let crc = 0xffffffff;
	for (let i = 0; i < buffer.length; i++) crc = CRC_TABLE[(crc ^ buffer[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** Encodes `width` x `height` pixels, `pixel(x, y)` giving [r, g, b, a], with `text` as tEXt chunks. */
function encodeRgbaPng(width, height, pixel, text = {}) {
	const rgba = new Uint8Array(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) rgba.set(pixel(x, y), (y * width + x) * 4);
	}
	return encodePixels(width, height, rgba, text);
}

/**
 * Encodes straight RGBA bytes (or RGB with `alpha` separate: `encodePixels(w, h, rgb, text, alpha)`) as an
 * 8-bit RGBA PNG. Every row takes the Up filter and zlib its run-length strategy: for flat-coloured pictures
 * like the emulator's cut-outs that is within a few per cent of the best size, at a fraction of the time.
 */
function encodePixels(width, height, pixels, text = {}, alpha = undefined) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // colour type: RGBA
	const stride = width * 4;
	const rgba = alpha ? new Uint8Array(width * height * 4) : pixels;
	if (alpha) {
		for (let i = 0; i < width * height; i++) {
			rgba[i * 4] = pixels[i * 3];
			rgba[i * 4 + 1] = pixels[i * 3 + 1];
			rgba[i * 4 + 2] = pixels[i * 3 + 2];
			rgba[i * 4 + 3] = alpha[i];
		}
	}
	const raw = Buffer.alloc((stride + 1) * height);
	for (let y = 0; y < height; y++) {
		const out = y * (stride + 1);
		const row = y * stride;
		raw[out] = 2; // filter: Up
		if (y === 0) raw.set(rgba.subarray(0, stride), 1);
		else for (let i = 0; i < stride; i++) raw[out + 1 + i] = rgba[row + i] - rgba[row - stride + i];
	}
	const texts = Object.entries(text).map(([key, value]) => chunk('tEXt', Buffer.from(`${key}\0${value}`, 'latin1')));
	const idat = zlib.deflateSync(raw, { level: 6, strategy: zlib.constants.Z_RLE });
	return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), ...texts, chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Decodes an 8-bit RGB or RGBA PNG (any filter, no interlace): size, colour type, tEXt and pixel(x, y). */
function decodePng(buffer) {
	if (!buffer.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
	let offset = 8;
	let header;
	const idat = [];
	const text = {};
	while (offset < buffer.length) {
		const length = buffer.readUInt32BE(offset);
		const type = buffer.toString('latin1', offset + 4, offset + 8);
		const data = buffer.subarray(offset + 8, offset + 8 + length);
		if (type === 'IHDR') header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8], colorType: data[9], interlace: data[12] };
		if (type === 'IDAT') idat.push(data);
		if (type === 'tEXt') {
			const split = data.indexOf(0);
			text[data.toString('latin1', 0, split)] = data.toString('latin1', split + 1);
		}
		offset += 12 + length;
	}
	if (!header || header.bitDepth !== 8 || header.interlace !== 0 || ![2, 6].includes(header.colorType)) {
		throw new Error('only 8-bit, non-interlaced RGB or RGBA PNGs are decoded here');
	}
	const channels = header.colorType === 6 ? 4 : 3;
	const stride = header.width * channels;
	const raw = zlib.inflateSync(Buffer.concat(idat));
	const pixels = Buffer.alloc(stride * header.height);
	for (let y = 0; y < header.height; y++) {
		const filter = raw[y * (stride + 1)];
		for (let i = 0; i < stride; i++) {
			const value = raw[y * (stride + 1) + 1 + i];
			const left = i >= channels ? pixels[y * stride + i - channels] : 0;
			const up = y > 0 ? pixels[(y - 1) * stride + i] : 0;
			const upLeft = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
			const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
			pixels[y * stride + i] = (value + predictor) & 0xff;
		}
	}
	const pixel = (x, y) => {
		const start = y * stride + x * channels;
		const rgba = [...pixels.subarray(start, start + channels)];
		return channels === 4 ? rgba : [...rgba, 255];
	};
	return { ...header, hasAlpha: channels === 4, text, pixel };
}

function paeth(a, b, c) {
	const p = a + b - c;
	const pa = Math.abs(p - a);
	const pb = Math.abs(p - b);
	const pc = Math.abs(p - c);
	if (pa <= pb && pa <= pc) return a;
	return pb <= pc ? b : c;
}

module.exports = { encodeRgbaPng, encodePixels, decodePng };
