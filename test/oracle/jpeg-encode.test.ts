import { execFileSync } from 'child_process';
import * as fs from 'fs';

import { encodeJpeg } from '../../nodes/FaceToSticker/image/jpeg/encode';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';
import type { RgbaImage } from '../../nodes/FaceToSticker/image/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { djpegRgb, ensureOracles, parsePnm, SKIMAGE_DATA, tempFolder } = require('../helpers/oracles');

// Our encoder's files, from real photographs, decoded by three readers this project did not write (djpeg,
// ImageMagick, Pillow with verify()); quality against the source at least cjpeg's at the same setting minus
// 0.5 dB PSNR, and size at most 1.2 × cjpeg's (cjpeg's defaults: 4:2:0, Annex K Huffman tables).

const { convert, cjpeg, python } = ensureOracles();
const inTemp = tempFolder('jpeg-encode-oracle-');

const PHOTOS: Array<[string, string]> = [
	['astronaut', '512x512+0+0'],
	['chelsea', '451x299+0+1'],
	['coffee', '397x301+5+7'],
	['motorcycle_left', '741x497+0+0'],
];

function psnr(rgb: Uint8Array, other: Uint8Array): number {
	let sum = 0;
	for (let i = 0; i < rgb.length; i++) sum += (rgb[i] - other[i]) ** 2;
	return 10 * Math.log10((255 * 255) / (sum / rgb.length));
}

function rgba(rgb: Uint8Array, width: number, height: number): RgbaImage {
	const data = new Uint8Array(width * height * 4);
	for (let i = 0; i < width * height; i++) {
		data.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
		data[i * 4 + 3] = 255;
	}
	return { width, height, data };
}

const rows: string[] = [];

describe.each(PHOTOS)('our encoder on %s', (photo, crop) => {
	let source: { width: number; height: number; data: Uint8Array };
	const ppm = () => inTemp(`${photo}.ppm`);

	beforeAll(() => {
		execFileSync(convert, [`${SKIMAGE_DATA}/${photo}.png`, '-crop', crop, '+repage', '-strip', '-type', 'TrueColor', ppm()]);
		source = parsePnm(fs.readFileSync(ppm()));
	});

	it.each([75, 90])('quality %i: read by djpeg, ImageMagick and Pillow; PSNR ≥ cjpeg − 0.5 dB; size ≤ 1.2 × cjpeg', (quality) => {
		const ours = Buffer.from(runToEnd(encodeJpeg(rgba(source.data, source.width, source.height), { quality })));
		const file = inTemp(`${photo}-${quality}.jpg`);
		fs.writeFileSync(file, ours);
		const theirs = execFileSync(cjpeg, ['-quality', String(quality), ppm()]);

		const byDjpeg = djpegRgb(ours);
		expect([byDjpeg.width, byDjpeg.height]).toEqual([source.width, source.height]);
		const byMagick = execFileSync(convert, [file, '-depth', '8', 'rgb:-'], { maxBuffer: 1 << 28 });
		const verify = ['import sys', 'from PIL import Image', 'Image.open(sys.argv[1]).verify()', 'sys.stdout.buffer.write(Image.open(sys.argv[1]).convert("RGB").tobytes())'].join('\n');
		const byPillow = execFileSync(python, ['-c', verify, file], { maxBuffer: 1 << 28 });
		for (const decoded of [byMagick, byPillow]) {
			expect(decoded.length).toBe(source.width * source.height * 3);
			// Each reader has its own IDCT and upsampling; they agree with djpeg's reading closely.
			expect(psnr(byDjpeg.data, new Uint8Array(decoded))).toBeGreaterThan(40);
		}
		const ourPsnr = psnr(source.data, byDjpeg.data);
		const theirPsnr = psnr(source.data, djpegRgb(theirs).data);
		rows.push(`${photo} q${quality}: ours ${ours.length} B ${ourPsnr.toFixed(2)} dB, cjpeg ${theirs.length} B ${theirPsnr.toFixed(2)} dB (size ${(ours.length / theirs.length).toFixed(3)} ×)`);
		expect(ourPsnr).toBeGreaterThanOrEqual(theirPsnr - 0.5);
		expect(ours.length).toBeLessThanOrEqual(1.2 * theirs.length);
	});
});

afterAll(() => console.log(rows.join('\n')));
