import * as zlib from 'zlib';

import { decodePng } from '../../../nodes/FaceToSticker/image/png/decode';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError } from '../../../nodes/FaceToSticker/image/types';
import { CHANNELS, passRows } from '../../helpers/pngWriter';
import { byteMutations, describeDecoderFuzz, int, Mutation, pick } from '../../helpers/fuzz';
import { prng } from '../../helpers/random';

// Mutated PNGs from a few small valid seeds: each must end in an ImageFormatError or a well-formed image,
// quickly. Replay another run with PNG_FUZZ_SEED=<n>.

const SEED = Number(process.env.PNG_FUZZ_SEED ?? 20261202);
const LIMITS = { maxPixels: 256 * 256 };

interface Chunk {
	type: string;
	data: Buffer;
}

function encodeChunks(chunks: Chunk[]): Buffer {
	const parts: Buffer[] = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])];
	for (const { type, data } of chunks) {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(data.length, 0);
		head.write(type, 4, 'latin1');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(Buffer.from(type, 'latin1'))));
		parts.push(head, data, crc);
	}
	return Buffer.concat(parts);
}

/** Splits a well-formed file back into chunks (the seeds and CRC-fixed mutations need this). */
function parseChunks(file: Buffer): Chunk[] {
	const chunks: Chunk[] = [];
	for (let at = 8; at + 12 <= file.length; ) {
		const length = file.readUInt32BE(at);
		chunks.push({ type: file.toString('latin1', at + 4, at + 8), data: Buffer.from(file.subarray(at + 8, at + 8 + length)) });
		at += 12 + length;
	}
	return chunks;
}

/** Random scanlines of the right size (random filter types 0-4) for a header. */
function randomScanlines(random: () => number, w: number, h: number, depth: number, type: number, interlaced: boolean) {
	const bytes: number[] = [];
	for (const pass of passRows(w, h, interlaced)) {
		for (const row of pass) {
			bytes.push(Math.floor(random() * 5));
			for (let i = Math.ceil((row.length * CHANNELS[type] * depth) / 8); i > 0; i--) bytes.push(Math.floor(random() * 256));
		}
	}
	return Buffer.from(bytes);
}

function seedPng(random: () => number, w: number, h: number, depth: number, type: number, interlaced: boolean): Buffer {
	const head = Buffer.alloc(13);
	head.writeUInt32BE(w, 0);
	head.writeUInt32BE(h, 4);
	head.set([depth, type, 0, 0, interlaced ? 1 : 0], 8);
	const chunks: Chunk[] = [{ type: 'IHDR', data: head }];
	if (type === 3) {
		const entries = 1 << depth; // a full palette, so that every random index is valid
		chunks.push({ type: 'PLTE', data: Buffer.from(Array.from({ length: entries * 3 }, () => Math.floor(random() * 256))) });
		chunks.push({ type: 'tRNS', data: Buffer.from([0, 128, 255]) });
	}
	if (type === 0) chunks.push({ type: 'tRNS', data: Buffer.from([0, 1]) });
	chunks.push({ type: 'tEXt', data: Buffer.from('Title\0seed') });
	const z = zlib.deflateSync(randomScanlines(random, w, h, depth, type, interlaced), { level: 9 });
	const cut = Math.floor(z.length / 2);
	chunks.push({ type: 'IDAT', data: z.subarray(0, cut) }, { type: 'IDAT', data: z.subarray(cut) }, { type: 'IEND', data: Buffer.alloc(0) });
	return encodeChunks(chunks);
}

const seedRandom = prng(SEED);
const SEEDS = [
	seedPng(seedRandom, 16, 16, 8, 6, false),
	seedPng(seedRandom, 12, 9, 4, 3, true),
	seedPng(seedRandom, 7, 5, 16, 0, false),
	seedPng(seedRandom, 10, 10, 8, 2, true),
	seedPng(seedRandom, 9, 3, 1, 0, true),
	seedPng(seedRandom, 6, 6, 16, 4, false),
];

const withChunks = (file: Buffer, change: (chunks: Chunk[]) => void): Buffer => {
	const chunks = parseChunks(file);
	change(chunks);
	return encodeChunks(chunks);
};
const idatOf = (chunks: Chunk[]) => Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
const replaceIdat = (chunks: Chunk[], z: Buffer) => {
	const first = chunks.findIndex((c) => c.type === 'IDAT');
	const rest = chunks.filter((c, i) => c.type !== 'IDAT' || i === first);
	rest[first] = { type: 'IDAT', data: z };
	chunks.splice(0, chunks.length, ...rest);
};

const MUTATIONS: Array<[string, Mutation]> = [
	...byteMutations([0, 255, 0x7f, 0x80]),
	['chunk length changes', (f, r) => {
		const out = Buffer.from(f);
		const starts: number[] = [];
		for (let at = 8; at + 12 <= out.length; at += 12 + out.readUInt32BE(at)) starts.push(at);
		const at = pick(r, starts);
		const length = out.readUInt32BE(at);
		out.writeUInt32BE(pick(r, [0, length + 1, Math.max(0, length - 1), 0x7fffffff, 0xffffffff, int(r, 1 << 20)]) >>> 0, at);
		return out;
	}],
	['chunk swaps, duplications and drops', (f, r) =>
		withChunks(f, (chunks) => {
			const i = int(r, chunks.length);
			const j = int(r, chunks.length);
			const kind = int(r, 3);
			if (kind === 0) [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
			else if (kind === 1) chunks.splice(j, 0, chunks[i]);
			else chunks.splice(i, 1);
		})],
	['CRC-fixed data mutations', (f, r) =>
		withChunks(f, (chunks) => {
			const c = pick(r, chunks.filter((x) => x.data.length > 0));
			for (let n = 1 + int(r, 3); n > 0; n--) c.data[int(r, c.data.length)] = int(r, 256);
		})],
	['huge or odd IHDR dimensions (CRC fixed)', (f, r) =>
		withChunks(f, (chunks) => {
			const d = chunks[0].data;
			const value = () => pick(r, [0, 1, 2, 255, 256, 257, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff, int(r, 1 << 16)]);
			if (r() < 0.7) d.writeUInt32BE(value() >>> 0, 0);
			if (r() < 0.7) d.writeUInt32BE(value() >>> 0, 4);
			if (r() < 0.3) d[8 + int(r, 5)] = int(r, 20);
		})],
	['zlib stream mutations (CRC fixed)', (f, r) =>
		withChunks(f, (chunks) => {
			const z = Buffer.from(idatOf(chunks));
			const kind = int(r, 4);
			if (kind === 0) for (let n = 1 + int(r, 3); n > 0; n--) z[int(r, z.length)] ^= 1 << int(r, 8);
			else if (kind === 1) z[int(r, z.length)] = int(r, 256);
			replaceIdat(chunks, kind === 2 ? z.subarray(0, int(r, z.length)) : kind === 3 ? Buffer.concat([z, z]) : z);
		})],
	['scanline mutations, recompressed (CRC fixed)', (f, r) =>
		withChunks(f, (chunks) => {
			const raw = Buffer.from(zlib.inflateSync(idatOf(chunks)));
			const kind = int(r, 3);
			if (kind === 0) for (let n = 1 + int(r, 3); n > 0; n--) raw[int(r, raw.length)] = int(r, 256);
			const changed = kind === 1 ? raw.subarray(0, int(r, raw.length)) : kind === 2 ? Buffer.concat([raw, Buffer.alloc(1 + int(r, 9))]) : raw;
			replaceIdat(chunks, zlib.deflateSync(changed, { level: int(r, 10), strategy: int(r, 5) }));
		})],
];

describeDecoderFuzz({
	format: 'PNG',
	seedVariable: 'PNG_FUZZ_SEED',
	seed: SEED,
	seeds: SEEDS,
	mutations: MUTATIONS,
	casesPerMutation: 400,
	decode: (file) => runToEnd(decodePng(file, LIMITS)),
	ownError: ImageFormatError,
	maxPixels: LIMITS.maxPixels,
	slowestMs: 250,
	// header, chunk order, inflate, filters, and some decoded
	stages: [/CRC/, /IHDR says/, /not consecutive|comes|before|after/, /IDAT\) /, /filter type/, /decoded/],
});
