import { execFileSync } from 'child_process';
import * as fs from 'fs';

import { decodePng } from '../../nodes/FaceToSticker/image/png/decode';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';
import { sliceGaps } from '../helpers/imageChecks';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decodeWithOracle, ensureOracles, tempFolder } = require('../helpers/oracles');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cutoutPng, cutoutRgba, FACE } = require('../helpers/stickerFixture');

// PNGs written by ImageMagick 6 and Pillow in every colour type × bit depth × interlace the PNG spec allows,
// each decoded by us and compared byte for byte with the writer's own reading of the file as RGBA (16-bit
// files: its 16-bit samples with the decoder's Math.round(v / 257) rule).

const { convert, python } = ensureOracles();
const inTemp = tempFolder('png-decode-oracle-');

beforeAll(() => {
	// An odd size, so Adam7 passes and partial bytes at low depths all occur.
	execFileSync(convert, [FACE, '-resize', '37x23!', inTemp('src.png')]);
	execFileSync(convert, [
		FACE, '-resize', '37x23!', '-alpha', 'set', '-channel', 'A', '-fx', 'i/w', '+channel', inTemp('alpha.png'),
	]);
});

interface Ihdr {
	bitDepth: number;
	colorType: number;
	interlaced: boolean;
	chunks: string[];
}

/** The IHDR fields and chunk names, read straight from the file (what the writer really wrote). */
function ihdrOf(file: Buffer): Ihdr {
	const chunks: string[] = [];
	for (let at = 8; at + 8 <= file.length; at += 12 + file.readUInt32BE(at)) chunks.push(file.toString('latin1', at + 4, at + 8));
	return { bitDepth: file[24], colorType: file[25], interlaced: file[28] === 1, chunks };
}

function decodeOurs(file: Buffer): Uint8Array {
	return runToEnd(decodePng(new Uint8Array(file))).data;
}

/** ImageMagick's own reading as 8-bit RGBA; 16-bit files are read at 16 bits and rounded as the spec'd rule. */
function magickRgba(file: string, bitDepth: number): Uint8Array {
	if (bitDepth !== 16) return decodeWithOracle(fs.readFileSync(file)).data;
	const wide = execFileSync(convert, [file, '-depth', '16', '-endian', 'MSB', 'rgba:-']);
	const out = new Uint8Array(wide.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = Math.round(wide.readUInt16BE(i * 2) / 257);
	return out;
}

const E = ['-define', 'png:exclude-chunks=bKGD,date,tIME'];
const define = (colorType: number, depth: number) => [
	'-define', `png:color-type=${colorType}`, '-define', `png:bit-depth=${depth}`,
];
/** [name, colour type, depth, tRNS expected, convert arguments between source and output]. */
const MAGICK: Array<[string, number, number, boolean, string[], string]> = [];
for (const d of [1, 2, 4, 8, 16]) {
	MAGICK.push([`grey ${d}-bit`, 0, d, false, ['-colorspace', 'Gray', '-depth', `${d}`, ...E, ...define(0, d)], 'src']);
	MAGICK.push([
		`grey ${d}-bit with a tRNS key`, 0, d, true,
		['-colorspace', 'Gray', '-depth', `${d}`, '-alpha', 'off', '-fill', 'black', '-draw', 'rectangle 0,0 9,9',
			'-transparent', 'black', ...E, ...define(0, d)],
		'src',
	]);
}
for (const d of [8, 16]) {
	MAGICK.push([`RGB ${d}-bit`, 2, d, false, [...E, ...define(2, d)], 'src']);
	MAGICK.push([
		`RGB ${d}-bit with a tRNS key`, 2, d, true,
		['-alpha', 'off', '-fill', '#ff00ff', '-draw', 'rectangle 0,0 9,9', '-transparent', '#ff00ff', ...E, ...define(2, d)],
		'src',
	]);
	MAGICK.push([`grey+alpha ${d}-bit`, 4, d, false, ['-colorspace', 'Gray', ...E, ...define(4, d)], 'alpha']);
	MAGICK.push([`RGBA ${d}-bit`, 6, d, false, [...E, ...define(6, d)], 'alpha']);
}
for (const [d, colors, alphaColors] of [[1, 2, 2], [2, 4, 4], [4, 16, 12], [8, 200, 100]]) {
	MAGICK.push([`palette ${d}-bit`, 3, d, false, ['-colors', `${colors}`, ...E, ...define(3, d)], 'src']);
	// With alpha, ImageMagick picks the palette depth from the colour count and writes tRNS itself.
	MAGICK.push([`palette ${d}-bit with tRNS alpha`, 3, d, true, ['-colors', `${alphaColors}`, ...E], 'alpha']);
}

describe('decodePng against ImageMagick-written PNGs', () => {
	for (const interlaced of [false, true]) {
		for (const [name, colorType, bitDepth, trns, args, source] of MAGICK) {
			test(`${name}, ${interlaced ? 'Adam7' : 'not interlaced'}: same RGBA as ImageMagick reads`, () => {
				const file = inTemp(`${name.replace(/[^a-z0-9]+/gi, '-')}-${interlaced ? 'i' : 'n'}.png`);
				const extra = interlaced ? ['-interlace', 'PNG'] : ['-interlace', 'none'];
				execFileSync(convert, [inTemp(`${source}.png`), ...args, ...extra, file], { stdio: 'pipe' });
				const bytes = fs.readFileSync(file);
				const header = ihdrOf(bytes);
				expect({ colorType: header.colorType, bitDepth: header.bitDepth, interlaced: header.interlaced }).toEqual({
					colorType,
					bitDepth,
					interlaced,
				});
				expect(header.chunks.includes('tRNS')).toBe(trns);
				const ours = decodeOurs(bytes);
				const theirs = magickRgba(file, bitDepth);
				expect(ours.length).toBe(37 * 23 * 4);
				expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
			});
		}
	}
});

/** Pillow modes and save options; Pillow writes non-interlaced PNGs. [name, colour type, depth, tRNS, python]. */
const PILLOW: Array<[string, number, number, boolean, string]> = [
	['mode 1', 0, 1, false, "src.convert('1').save(out)"],
	['mode L', 0, 8, false, "src.convert('L').save(out)"],
	['mode L with transparency', 0, 8, true, "src.convert('L').save(out, transparency=int(src.convert('L').getpixel((3, 3))))"],
	['mode I;16', 0, 16, false,
		"Image.frombytes('I;16', src.size, bytes((i * 37) % 256 for i in range(src.size[0] * src.size[1] * 2))).save(out)"],
	['mode P 1-bit', 3, 1, false, 'src.quantize(2).save(out, bits=1)'],
	['mode P 2-bit with transparency', 3, 2, true, 'src.quantize(4).save(out, bits=2, transparency=bytes([0, 128]))'],
	['mode P 4-bit with transparency', 3, 4, true, 'src.quantize(16).save(out, bits=4, transparency=bytes(range(0, 256, 32)))'],
	['mode P 8-bit with transparency', 3, 8, true, 'src.quantize(200).save(out, transparency=bytes(range(0, 200, 3)))'],
	['mode LA', 4, 8, false, "alpha.convert('LA').save(out)"],
	['mode RGB', 2, 8, false, 'src.save(out)'],
	['mode RGB with transparency', 2, 8, true, 'src.save(out, transparency=src.getpixel((3, 3)))'],
	['mode RGBA', 6, 8, false, 'alpha.save(out)'],
];

/** Pillow writes the file, then reads it back: 8-bit RGBA, or the raw 16-bit samples of an I;16 file. */
function pillow(code: string, out: string, sixteen: boolean): Uint8Array {
	const script = [
		'import sys',
		'from PIL import Image',
		`src = Image.open(${JSON.stringify(inTemp('src.png'))}).convert('RGB')`,
		`alpha = Image.open(${JSON.stringify(inTemp('alpha.png'))}).convert('RGBA')`,
		`out = ${JSON.stringify(out)}`,
		code,
		'im = Image.open(out)',
		sixteen
			? "sys.stdout.buffer.write(b''.join(min(v, 65535).to_bytes(2, 'big') for v in im.getdata()))"
			: "sys.stdout.buffer.write(im.convert('RGBA').tobytes())",
	].join('\n');
	const raw = execFileSync(python, ['-c', script], { maxBuffer: 1 << 26 });
	if (!sixteen) return new Uint8Array(raw);
	const out8 = new Uint8Array((raw.length / 2) * 4);
	for (let i = 0; i < raw.length / 2; i++) {
		const g = Math.round(raw.readUInt16BE(i * 2) / 257);
		out8.set([g, g, g, 255], i * 4);
	}
	return out8;
}

describe('decodePng against Pillow-written PNGs', () => {
	for (const [name, colorType, bitDepth, trns, code] of PILLOW) {
		test(`Pillow ${name}: same RGBA as Pillow reads`, () => {
			const file = inTemp(`pillow-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
			const theirs = pillow(code, file, bitDepth === 16);
			const bytes = fs.readFileSync(file);
			const header = ihdrOf(bytes);
			expect({ colorType: header.colorType, bitDepth: header.bitDepth, interlaced: header.interlaced }).toEqual({
				colorType,
				bitDepth,
				interlaced: false,
			});
			expect(header.chunks.includes('tRNS')).toBe(trns);
			expect(Buffer.from(decodeOurs(bytes)).equals(Buffer.from(theirs))).toBe(true);
		});
	}
});

describe('decodePng on the 1024 × 1024 cut-out sticker fixture', () => {
	test('decodes to exactly what ImageMagick reads, fast, in slices of under 20 ms', () => {
		const bytes = new Uint8Array(fs.readFileSync(cutoutPng(1024)));
		const reference = cutoutRgba(1024);
		const image = runToEnd(decodePng(bytes));
		expect(Buffer.from(image.data).equals(Buffer.from(reference.data))).toBe(true);
		const times: number[] = [];
		for (let run = 0; run < 5; run++) {
			const start = process.hrtime.bigint();
			runToEnd(decodePng(bytes));
			times.push(Number(process.hrtime.bigint() - start) / 1e6);
		}
		const { slices, longest } = sliceGaps(() => decodePng(bytes));
		times.sort((a, b) => a - b);
		console.log(
			`decodePng cutoutPng(1024) (${bytes.length} bytes): best ${times[0].toFixed(1)} ms, median ${times[2].toFixed(1)} ms; ` +
				`${slices} slices, longest ${longest.toFixed(2)} ms`,
		);
		expect(times[0]).toBeLessThan(300);
		expect(longest).toBeLessThan(20);
	});
});
