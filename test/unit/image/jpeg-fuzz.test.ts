import { decodeJpeg } from '../../../nodes/FaceToSticker/image/jpeg/decode';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError } from '../../../nodes/FaceToSticker/image/types';
import { byteMutations, describeDecoderFuzz, int, Mutation, pick } from '../../helpers/fuzz';
import { fixture } from './jpeg-fixtures';

// Mutated JPEGs from small valid seeds (cjpeg / jpegtran files in every mode): each must end in an
// ImageFormatError or a well-formed image within the pixel limit, quickly. Replay with JPEG_FUZZ_SEED=<n>.

const LIMITS = { maxPixels: 256 * 256 };
const SEEDS = ['b420r', 'p420', 'p422r', 'b440', 'pgrey', 'p444', 's420', 'rgb', 'b4x2'].map((name) => Buffer.from(fixture(name)));

interface Part {
	marker: number;
	/** The whole segment, marker included; the last part also holds the entropy-coded data to the end. */
	bytes: Buffer;
}

/** Splits a file into SOI, the segments before the first scan, and the first SOS with everything after it. */
function parts(file: Buffer): Part[] {
	const out: Part[] = [{ marker: 0xd8, bytes: file.subarray(0, 2) }];
	for (let at = 2; at + 4 <= file.length; ) {
		const marker = file[at + 1];
		const end = at + 2 + file.readUInt16BE(at + 2);
		if (marker === 0xda) {
			out.push({ marker, bytes: file.subarray(at) });
			break;
		}
		out.push({ marker, bytes: file.subarray(at, end) });
		at = end;
	}
	return out;
}

const join = (list: Part[]): Buffer => Buffer.concat(list.map((p) => p.bytes));

/** Changes bytes of one segment with `marker` (payload offsets from the length field on). */
const inSegment = (f: Buffer, r: () => number, markers: number[], change: (payload: Buffer) => void): Buffer => {
	const list = parts(f);
	const found = list.filter((p) => markers.includes(p.marker));
	if (found.length === 0) return f;
	const target = pick(r, found);
	const copy = Buffer.from(target.bytes);
	change(copy.subarray(4));
	target.bytes = copy;
	return join(list);
};

const MUTATIONS: Array<[string, Mutation]> = [
	...byteMutations([0, 255, 0xd9, 0xd0, 0xc4, 0x7f]),
	['segment length changes', (f, r) => {
		const list = parts(f);
		const target = pick(r, list.slice(1));
		const copy = Buffer.from(target.bytes);
		const length = copy.readUInt16BE(2);
		copy.writeUInt16BE(pick(r, [0, 1, 2, length + 1, Math.max(0, length - 1), 0xffff, int(r, 1 << 16)]), 2);
		target.bytes = copy;
		return join(list);
	}],
	['segment swaps, duplications and drops', (f, r) => {
		const list = parts(f);
		const i = 1 + int(r, list.length - 1);
		const j = 1 + int(r, list.length - 1);
		const kind = int(r, 3);
		if (kind === 0) [list[i], list[j]] = [list[j], list[i]];
		else if (kind === 1) list.splice(j, 0, list[i]);
		else list.splice(i, 1);
		return join(list);
	}],
	['frame header values (sizes, sampling, tables)', (f, r) =>
		inSegment(f, r, [0xc0, 0xc1, 0xc2], (p) => {
			const value = () => pick(r, [0, 1, 2, 7, 8, 9, 255, 256, 4095, 65535, int(r, 1 << 16)]);
			if (r() < 0.5) p.writeUInt16BE(value(), 1);
			if (r() < 0.5) p.writeUInt16BE(value(), 3);
			if (r() < 0.5) p[6 + 3 * int(r, p[5]) + int(r, 3)] = pick(r, [0, 0x11, 0x22, 0x41, 0x14, 0x44, 0x55, 4, int(r, 256)]);
			if (r() < 0.2) p[5] = int(r, 6);
		})],
	['Huffman table contents', (f, r) =>
		inSegment(f, r, [0xc4], (p) => {
			for (let n = 1 + int(r, 3); n > 0; n--) p[int(r, Math.min(p.length, 17))] = pick(r, [0, 1, 2, 16, 255, int(r, 256)]);
		})],
	['quantisation table contents', (f, r) =>
		inSegment(f, r, [0xdb], (p) => {
			for (let n = 1 + int(r, 3); n > 0; n--) p[int(r, p.length)] = pick(r, [0, 1, 0x10, 0x13, 255, int(r, 256)]);
		})],
	['scan header values', (f, r) => {
		const out = Buffer.from(f);
		const sosList: number[] = [];
		for (let at = out.indexOf(Buffer.from([0xff, 0xda])); at >= 0; at = out.indexOf(Buffer.from([0xff, 0xda]), at + 2)) sosList.push(at);
		const at = pick(r, sosList);
		const length = out.readUInt16BE(at + 2);
		for (let n = 1 + int(r, 3); n > 0; n--) out[at + 4 + int(r, length - 2)] = pick(r, [0, 1, 2, 3, 0x10, 0x11, 0x32, 63, 64, 0xff, int(r, 256)]);
		return out;
	}],
	['entropy-coded data', (f, r) => {
		const out = Buffer.from(f);
		const sos = out.indexOf(Buffer.from([0xff, 0xda]));
		const from = sos + 2 + out.readUInt16BE(sos + 2);
		for (let n = 1 + int(r, 6); n > 0; n--) out[from + int(r, out.length - 2 - from)] = int(r, 256);
		return out;
	}],
];

describeDecoderFuzz({
	format: 'JPEG',
	seedVariable: 'JPEG_FUZZ_SEED',
	seed: Number(process.env.JPEG_FUZZ_SEED ?? 20261204),
	seeds: SEEDS,
	mutations: MUTATIONS,
	casesPerMutation: 300,
	decode: (file) => runToEnd(decodeJpeg(file, LIMITS)),
	ownError: ImageFormatError,
	maxPixels: LIMITS.maxPixels,
	slowestMs: 250,
	// what the issue names: truncation, bad markers, a Huffman code that does not exist, absurd sizes, DHT or DQT
	// out of place; and some mutants still decode
	stages: [/truncated/, /marker was expected|stops early, at marker/, /Huffman code that does not exist/, /more than the N pixels accepted/, /before a DHT seg/, /before a DQT seg/, /decoded/],
});
