/**
 * A small VP8 key-frame parser for the tests, written from RFC 6386 (sections 9, 11, 13, 19): the frame tag,
 * the frame header of the first partition, every macroblock's modes, and a token reader for one block. It
 * reconstructs nothing (dwebp does that in the oracle tests); it checks the syntax the encoder writes.
 */
import { BoolDecoder } from './boolDecoder';

const BANDS = [0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0];
const CAT_PROBS = [
	[173, 148, 140],
	[176, 155, 140, 135],
	[180, 157, 141, 134, 130],
	[254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129],
];

export interface Vp8Header {
	keyFrame: boolean;
	version: number;
	show: boolean;
	firstPartitionSize: number;
	width: number;
	height: number;
	colourSpace: number;
	clamping: number;
	segmentation: number;
	simpleFilter: number;
	filterLevel: number;
	sharpness: number;
	filterDeltas: number;
	partitionsLog2: number;
	quantIndex: number;
	quantDeltas: number[];
	refreshEntropy: number;
	updatedProbs: number;
	probs: Uint8Array;
	useSkip: number;
	skipProb: number;
}

export interface Vp8Macroblock {
	skip: number;
	/** 0 DC, 1 V, 2 H, 3 TM, 4 B_PRED */
	yMode: number;
	subModes: number[];
	uvMode: number;
}

/** Reads a token tree walk for one block (levels in zigzag order); returns them and the end position. */
export function readBlock(d: BoolDecoder, probs: Uint8Array, type: number, ctx: number, first: number): { levels: number[]; end: number } {
	const levels = new Array(16).fill(0);
	let n = first;
	let p = (type * 24 + BANDS[n] * 3 + ctx) * 11;
	for (; n < 16; n++) {
		if (!d.read(probs[p])) return { levels, end: n };
		while (!d.read(probs[p + 1])) {
			n++;
			if (n === 16) return { levels, end: 16 };
			p = (type * 24 + BANDS[n] * 3) * 11;
		}
		let v: number;
		let next: number;
		if (!d.read(probs[p + 2])) {
			v = 1;
			next = 1;
		} else {
			if (!d.read(probs[p + 3])) v = !d.read(probs[p + 4]) ? 2 : 3 + d.read(probs[p + 5]);
			else if (!d.read(probs[p + 6])) v = !d.read(probs[p + 7]) ? 5 + d.read(159) : 7 + 2 * d.read(165) + d.read(145);
			else {
				const b1 = d.read(probs[p + 8]);
				const b0 = d.read(probs[p + 9 + b1]);
				const cat = 2 * b1 + b0;
				v = 0;
				for (const prob of CAT_PROBS[cat]) v = 2 * v + d.read(prob);
				v += 3 + (8 << cat);
			}
			next = 2;
		}
		levels[n] = d.read(128) ? -v : v;
		p = (type * 24 + BANDS[n + 1] * 3 + next) * 11;
	}
	return { levels, end: 16 };
}

/** Parses the frame tag, the key frame header and the modes of every macroblock. */
export function parseVp8(bitstream: Uint8Array, defaultProbs: Uint8Array, updateProbs: Uint8Array, bmodeProbs: Uint8Array) {
	const tag = bitstream[0] | (bitstream[1] << 8) | (bitstream[2] << 16);
	const header = {
		keyFrame: (tag & 1) === 0,
		version: (tag >> 1) & 7,
		show: ((tag >> 4) & 1) === 1,
		firstPartitionSize: tag >> 5,
		startCode: Array.from(bitstream.subarray(3, 6)),
		width: (bitstream[6] | (bitstream[7] << 8)) & 0x3fff,
		height: (bitstream[8] | (bitstream[9] << 8)) & 0x3fff,
	} as Vp8Header & { startCode: number[] };
	const first = bitstream.subarray(10, 10 + header.firstPartitionSize);
	const d = new BoolDecoder(first);
	header.colourSpace = d.literal(1);
	header.clamping = d.literal(1);
	header.segmentation = d.literal(1);
	header.simpleFilter = d.literal(1);
	header.filterLevel = d.literal(6);
	header.sharpness = d.literal(3);
	header.filterDeltas = d.literal(1);
	header.partitionsLog2 = d.literal(2);
	header.quantIndex = d.literal(7);
	header.quantDeltas = [0, 0, 0, 0, 0].map(() => d.literal(1));
	header.refreshEntropy = d.literal(1);
	const probs = defaultProbs.slice();
	let updated = 0;
	for (let i = 0; i < probs.length; i++) {
		if (d.read(updateProbs[i])) {
			probs[i] = d.literal(8);
			updated++;
		}
	}
	header.updatedProbs = updated;
	header.probs = probs;
	header.useSkip = d.literal(1);
	header.skipProb = header.useSkip ? d.literal(8) : 0;
	const mbw = (header.width + 15) >> 4, mbh = (header.height + 15) >> 4;
	const above = new Array(mbw * 4).fill(0);
	const macroblocks: Vp8Macroblock[] = [];
	for (let mby = 0; mby < mbh; mby++) {
		const left = [0, 0, 0, 0];
		for (let mbx = 0; mbx < mbw; mbx++) {
			const skip = header.useSkip ? d.read(header.skipProb) : 0;
			let yMode: number;
			const subModes: number[] = [];
			if (!d.read(145)) {
				yMode = 4;
				for (let y = 0; y < 4; y++) {
					for (let x = 0; x < 4; x++) {
						const base = (above[mbx * 4 + x] * 10 + left[y]) * 9;
						const p = (i: number) => bmodeProbs[base + i];
						// The tree in predict.ts numbering: DC TM VE HE RD VR LD VL HD HU.
						const mode = !d.read(p(0)) ? 0 : !d.read(p(1)) ? 1 : !d.read(p(2)) ? 2
							: !d.read(p(3)) ? (!d.read(p(4)) ? 3 : !d.read(p(5)) ? 4 : 5)
							: !d.read(p(6)) ? 6 : !d.read(p(7)) ? 7 : !d.read(p(8)) ? 8 : 9;
						subModes.push(mode);
						above[mbx * 4 + x] = mode;
						left[y] = mode;
					}
				}
			} else {
				yMode = d.read(156) ? (d.read(128) ? 3 : 2) : d.read(163) ? 1 : 0;
				const implied = [0, 2, 3, 1][yMode];
				above.fill(implied, mbx * 4, mbx * 4 + 4);
				left.fill(implied);
			}
			const uvMode = !d.read(142) ? 0 : !d.read(114) ? 1 : d.read(183) ? 3 : 2;
			macroblocks.push({ skip, yMode, subModes, uvMode });
		}
	}
	return { header, macroblocks, firstPartitionRead: d.position, tokens: bitstream.subarray(10 + header.firstPartitionSize) };
}

/**
 * Reads every macroblock's tokens with the contexts of RFC 6386 section 13.3; returns per macroblock the 25
 * blocks' levels (16 Y, 4 U, 4 V, then Y2 or null) and how many bytes the reader used.
 */
export function readAllTokens(parsed: ReturnType<typeof parseVp8>): { blocks: Array<Array<number[] | null> | null>; bytesRead: number } {
	const { header, macroblocks, tokens } = parsed;
	const d = new BoolDecoder(tokens);
	const mbw = (header.width + 15) >> 4;
	const top = new Uint8Array(mbw * 9);
	let left = new Uint8Array(9);
	const blocks: Array<Array<number[] | null> | null> = [];
	macroblocks.forEach((mb, index) => {
		const mbx = index % mbw;
		if (mbx === 0) left = new Uint8Array(9);
		const t = mbx * 9;
		const i4 = mb.yMode === 4;
		if (header.useSkip && mb.skip) {
			top.fill(0, t, t + 8);
			left.fill(0, 0, 8);
			if (!i4) top[t + 8] = left[8] = 0;
			blocks.push(null);
			return;
		}
		const out: Array<number[] | null> = [];
		let y2: number[] | null = null;
		if (!i4) {
			const r = readBlock(d, header.probs, 1, top[t + 8] + left[8], 0);
			top[t + 8] = left[8] = r.end > 0 ? 1 : 0;
			y2 = r.levels;
		}
		const first = i4 ? 0 : 1;
		for (let b = 0; b < 16; b++) {
			const r = readBlock(d, header.probs, i4 ? 3 : 0, top[t + (b & 3)] + left[b >> 2], first);
			top[t + (b & 3)] = left[b >> 2] = r.end > first ? 1 : 0;
			out.push(r.levels);
		}
		for (let b = 0; b < 8; b++) {
			const plane = b >> 2, bx = b & 1, by = (b >> 1) & 1;
			const ti = t + 4 + plane * 2 + bx, li = 4 + plane * 2 + by;
			const r = readBlock(d, header.probs, 2, top[ti] + left[li], 0);
			top[ti] = left[li] = r.end > 0 ? 1 : 0;
			out.push(r.levels);
		}
		out.push(y2);
		blocks.push(out);
	});
	return { blocks, bytesRead: d.position };
}
