'use strict';
// JPEG writers for the emulator and the tests, no dependency: `encodeJpeg` is a baseline encoder for any picture
// (the emulator's stickers), `encodeBlockJpeg` a tiny one for pictures of flat 8x8 blocks (test photos: a flat
// block has only a DC coefficient, so it needs no DCT; YCbCr 4:4:4, quality tables all ones). Both decode in any
// JPEG reader.

const { DC_LUMA, DC_CHROMA, huffmanCodes, segment, dhtPayload } = require('./jpeg-shared');
const { encodeJpeg } = require('./jpeg-baseline');

// AC tables need only the end-of-block symbol (0x00).
const AC_EOB_ONLY = { counts: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], symbols: [0x00] };

class BitWriter {
	constructor() {
		this.bytes = [];
		this.buffer = 0;
		this.count = 0;
	}
	write(value, length) {
		for (let i = length - 1; i >= 0; i--) {
			this.buffer = (this.buffer << 1) | ((value >> i) & 1);
			this.count++;
			if (this.count === 8) this.flushByte();
		}
	}
	flushByte() {
		this.bytes.push(this.buffer);
		if (this.buffer === 0xff) this.bytes.push(0x00); // byte stuffing
		this.buffer = 0;
		this.count = 0;
	}
	finish() {
		while (this.count !== 0) this.write(1, 1);
		return Buffer.from(this.bytes);
	}
}

/**
 * @param {number} width
 * @param {number} height
 * @param {(blockX: number, blockY: number) => [number, number, number]} colourOfBlock RGB of each 8x8 block
 */
function encodeBlockJpeg(width, height, colourOfBlock) {
	const blocksX = Math.ceil(width / 8);
	const blocksY = Math.ceil(height / 8);
	const codes = [huffmanCodes(DC_LUMA), huffmanCodes(DC_CHROMA)];
	const eob = [huffmanCodes(AC_EOB_ONLY).get(0), huffmanCodes(AC_EOB_ONLY).get(0)];
	const writer = new BitWriter();
	const previous = [0, 0, 0];
	for (let by = 0; by < blocksY; by++) {
		for (let bx = 0; bx < blocksX; bx++) {
			const [r, g, b] = colourOfBlock(bx, by);
			const ycc = [
				0.299 * r + 0.587 * g + 0.114 * b,
				128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
				128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
			];
			for (let c = 0; c < 3; c++) {
				// A flat block's DC coefficient is 8 x (value - 128) with quantisation 1.
				const dc = Math.round(8 * (Math.max(0, Math.min(255, ycc[c])) - 128));
				const diff = dc - previous[c];
				previous[c] = dc;
				const magnitude = Math.abs(diff);
				const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
				const table = codes[c === 0 ? 0 : 1];
				const huff = table.get(category);
				writer.write(huff.code, huff.length);
				if (category > 0) writer.write(diff < 0 ? diff + (1 << category) - 1 : diff, category);
				const end = eob[c === 0 ? 0 : 1];
				writer.write(end.code, end.length);
			}
		}
	}
	const scan = writer.finish();
	const ones = Buffer.alloc(64, 1);
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
		segment(0xdb, Buffer.concat([Buffer.from([0x00]), ones, Buffer.from([0x01]), ones])),
		segment(0xc0, Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1])),
		segment(0xc4, Buffer.concat([
			dhtPayload(0, 0, DC_LUMA),
			dhtPayload(1, 0, AC_EOB_ONLY),
			dhtPayload(0, 1, DC_CHROMA),
			dhtPayload(1, 1, AC_EOB_ONLY),
		])),
		segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])),
		scan,
		Buffer.from([0xff, 0xd9]),
	]);
}

/** Width and height from a JPEG's SOF0/SOF2 segment, or undefined. */
function jpegSize(bytes) {
	let i = 2;
	while (i + 9 < bytes.length) {
		if (bytes[i] !== 0xff) return undefined;
		const marker = bytes[i + 1];
		const length = bytes.readUInt16BE(i + 2);
		if (marker === 0xc0 || marker === 0xc2) {
			return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
		}
		i += 2 + length;
	}
	return undefined;
}

module.exports = { encodeBlockJpeg, encodeJpeg, jpegSize };
