import { execFileSync } from 'child_process';
import * as fs from 'fs';

import { preparePhoto } from '../../nodes/FaceToSticker/image/photo/prepare';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { djpegRgb, ensureOracles, parsePnm, SKIMAGE_DATA, tempFolder } = require('../helpers/oracles');

// All 8 EXIF orientations: a JPEG of a real photo (skimage's chelsea, 451 × 300, written by cjpeg) tagged by
// exiftool with each Orientation value; what preparePhoto sends, decoded by djpeg, must match ImageMagick's
// `convert -auto-orient` of the same file: same size and a PSNR only JPEG re-encoding explains (a wrong turn
// or mirror scores about 12 dB).

const { convert, cjpeg, exiftool } = ensureOracles();
const inTemp = tempFolder('photo-orient-oracle-');

function psnr(a: Uint8Array, b: Uint8Array): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
	return sum === 0 ? Infinity : 10 * Math.log10((255 * 255) / (sum / a.length));
}

beforeAll(() => {
	execFileSync(convert, [`${SKIMAGE_DATA}/chelsea.png`, '-strip', inTemp('chelsea.ppm')]);
	execFileSync(cjpeg, ['-quality', '92', '-outfile', inTemp('stored.jpg'), inTemp('chelsea.ppm')]);
});

const results: string[] = [];

describe('preparePhoto turns every EXIF orientation upright like ImageMagick -auto-orient', () => {
	it.each([1, 2, 3, 4, 5, 6, 7, 8])('Orientation %i', (orientation) => {
		const file = inTemp(`orientation-${orientation}.jpg`);
		fs.copyFileSync(inTemp('stored.jpg'), file);
		execFileSync(exiftool, ['-q', '-overwrite_original', `-Orientation#=${orientation}`, file]);
		expect(execFileSync(exiftool, ['-s3', '-n', '-Orientation', file]).toString().trim()).toBe(String(orientation));

		const reference = parsePnm(execFileSync(convert, [file, '-auto-orient', 'ppm:-'], { maxBuffer: 1 << 28 }));
		const prepared = runToEnd(preparePhoto(new Uint8Array(fs.readFileSync(file))));
		const ours = djpegRgb(Buffer.from(prepared.bytes));
		expect(prepared.orientation).toBe(orientation);
		expect([ours.width, ours.height]).toEqual([reference.width, reference.height]);
		const score = psnr(ours.data, reference.data);
		results.push(`Orientation ${orientation}: ${ours.width} × ${ours.height}, PSNR against convert -auto-orient ${score.toFixed(2)} dB`);
		expect(score).toBeGreaterThan(orientation === 1 ? 45 : 35);
		// And no orientation left behind for a viewer to apply a second time.
		expect(execFileSync(exiftool, ['-s3', '-n', '-Orientation', '-'], { input: Buffer.from(prepared.bytes) }).toString().trim()).toBe('');
	});
});

afterAll(() => console.log(results.join('\n')));
