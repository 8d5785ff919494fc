import { execFileSync } from 'child_process';
import * as fs from 'fs';

import { decodeJpeg } from '../../nodes/FaceToSticker/image/jpeg/decode';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { djpegRgb, ensureOracles, SKIMAGE_DATA, tempFolder } = require('../helpers/oracles');

// JPEGs of real photographs (scikit-image's astronaut, chelsea, coffee; cropped to odd sizes) written by
// libjpeg-turbo's cjpeg and jpegtran, ImageMagick 6 and Pillow in every mode the decoder supports, each
// decoded by us and by djpeg (-dct int, its default fancy upsampling): at most 1 off per sample, and the share
// of exact samples is asserted at 99.9 % (it is 100 % when the IDCT and upsampling match libjpeg-turbo's).

const { convert, cjpeg, jpegtran, python } = ensureOracles();
const inTemp = tempFolder('jpeg-decode-oracle-');

const PHOTOS: Array<[string, string]> = [
	['astronaut', '-crop 301x253+101+37'],
	['chelsea', '-crop 451x299+0+1'],
	['coffee', '-crop 397x301+5+7'],
];

interface Written {
	name: string;
	file: string;
}

const written: Written[] = [];

beforeAll(() => {
	for (const [photo, crop] of PHOTOS) {
		const ppm = inTemp(`${photo}.ppm`);
		execFileSync(convert, [`${SKIMAGE_DATA}/${photo}.png`, ...crop.split(' '), '+repage', '-strip', ppm]);
		const out = (name: string) => {
			const file = inTemp(`${photo}-${name}.jpg`);
			written.push({ name: `${photo} ${name}`, file });
			return file;
		};
		const cj = (name: string, args: string[]) => execFileSync(cjpeg, [...args, '-outfile', out(name), ppm]);
		for (const sample of ['2x2', '2x1', '1x2', '1x1']) {
			cj(`cjpeg ${sample} baseline`, ['-quality', '85', '-sample', sample]);
			cj(`cjpeg ${sample} progressive`, ['-quality', '85', '-sample', sample, '-progressive']);
			cj(`cjpeg ${sample} restart 3 rows`, ['-quality', '80', '-sample', sample, '-restart', '3']);
		}
		cj('cjpeg 4x1 baseline', ['-quality', '90', '-sample', '4x1']);
		cj('cjpeg grey', ['-quality', '90', '-grayscale']);
		cj('cjpeg grey progressive restart 5 blocks', ['-quality', '70', '-grayscale', '-progressive', '-restart', '5B']);
		cj('cjpeg optimised q100', ['-quality', '100', '-optimize']);
		cj('cjpeg rgb', ['-quality', '90', '-rgb']);
		execFileSync(jpegtran, ['-progressive', '-restart', '2', '-outfile', out('jpegtran progressive restart 2 rows'), inTemp(`${photo}-cjpeg 2x2 baseline.jpg`)]);
		for (const [name, args] of [
			['ImageMagick 4:2:0', ['-quality', '85']],
			['ImageMagick 4:2:2', ['-sampling-factor', '2x1', '-quality', '92']],
			['ImageMagick 4:4:4 progressive', ['-sampling-factor', '1x1', '-interlace', 'JPEG', '-quality', '95']],
			['ImageMagick grey', ['-colorspace', 'Gray', '-quality', '80']],
		] as Array<[string, string[]]>) {
			execFileSync(convert, [ppm, ...args, out(name)]);
		}
		const pillow = [
			'import sys',
			'from PIL import Image',
			'im = Image.open(sys.argv[1])',
			"im.save(sys.argv[2], quality=80)",
			"im.save(sys.argv[3], quality=95, subsampling=0, progressive=True)",
			"im.save(sys.argv[4], quality=90, subsampling=1, optimize=True)",
			"im.convert('L').save(sys.argv[5], quality=85, progressive=True)",
		].join('\n');
		execFileSync(python, ['-c', pillow, ppm, out('Pillow 4:2:0'), out('Pillow 4:4:4 progressive'), out('Pillow 4:2:2 optimised'), out('Pillow grey progressive')]);
	}
}, 120000);

describe('our JPEG decoder against djpeg -dct int', () => {
	const results: string[] = [];

	it('decodes every file like djpeg: at most 1 off per sample, and at least 99.9 % of samples exact', () => {
		expect(written.length).toBe(3 * 26);
		for (const { name, file } of written) {
			const bytes = fs.readFileSync(file);
			const ours = runToEnd(decodeJpeg(new Uint8Array(bytes)));
			const theirs = djpegRgb(bytes);
			expect([name, ours.width, ours.height]).toEqual([name, theirs.width, theirs.height]);
			let maxDiff = 0;
			let exact = 0;
			const samples = theirs.width * theirs.height * 3;
			for (let i = 0; i < theirs.width * theirs.height; i++) {
				for (let c = 0; c < 3; c++) {
					const d = Math.abs(ours.data[i * 4 + c] - theirs.data[i * 3 + c]);
					if (d === 0) exact++;
					if (d > maxDiff) maxDiff = d;
				}
			}
			const share = exact / samples;
			results.push(`${name.padEnd(48)} ${theirs.width} × ${theirs.height}  max ${maxDiff}  exact ${(share * 100).toFixed(3)} %`);
			expect([name, maxDiff <= 1]).toEqual([name, true]);
			expect([name, share >= 0.999]).toEqual([name, true]);
		}
	});

	afterAll(() => console.log(results.join('\n')));
});
