'use strict';
// What both JPEG writers share (ITU-T T.81): the standard DC Huffman tables (Annex K.3), canonical Huffman codes
// from a table's counts, and the marker segments.

const DC_LUMA = { counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA = { counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
function huffmanCodes(table) {
	const codes = new Map();
	let code = 0;
	let k = 0;
	for (let length = 1; length <= 16; length++) {
		for (let i = 0; i < table.counts[length - 1]; i++) {
			codes.set(table.symbols[k++], { code, length });
			code++;
		}
		code <<= 1;
	}
	return codes;
}

function segment(marker, payload) {
	const header = Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
	return Buffer.concat([header, payload]);
}

function dhtPayload(tableClass, id, table) {
	return Buffer.from([(tableClass << 4) | id, ...table.counts, ...table.symbols]);
}

module.exports = { DC_LUMA, DC_CHROMA, huffmanCodes, segment, dhtPayload };
