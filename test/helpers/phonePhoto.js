// Phone-like JPEG photos for tests and benchmarks: a real photograph (scikit-image's coffee.png, Debian's
// python3-skimage) scaled up with ImageMagick to a phone's 4:3 size, grain added until the file is about
// `targetBytes`, stored turned so that `orientation` shows it upright, and tagged with exiftool as a phone
// tags it: Orientation, GPS position, camera make/model/serial number and the times.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureOracles } = require('./oracles');

const SOURCE = '/usr/lib/python3/dist-packages/skimage/data/coffee.png';

/** ImageMagick operation that stores an upright picture so that EXIF `orientation` turns it back. */
const STORE_AS = { 1: [], 2: ['-flop'], 3: ['-rotate', '180'], 4: ['-flip'], 5: ['-transpose'], 6: ['-rotate', '-90'], 7: ['-transverse'], 8: ['-rotate', '90'] };

/**
 * Upright width and height of a photo of about `megapixels` from a 4:3 landscape sensor: held upright (stored
 * turned, orientation 5-8) it is a 3:4 portrait, else a 4:3 landscape.
 */
function phoneSize(megapixels, orientation = 1) {
	const long = Math.round(Math.sqrt((megapixels * 1e6 * 4) / 3) / 16) * 16;
	const short = Math.round((long * 3) / 4 / 16) * 16;
	return orientation >= 5 ? { width: short, height: long } : { width: long, height: short };
}

/**
 * A phone-like JPEG: { megapixels, orientation = 6, targetBytes?, mark = true, quality = 92 } -> Buffer.
 * `mark` paints a red square in the upright picture's top-left corner (an eighth of its width), so a test can
 * check where it ends up.
 */
function makePhonePhoto({ megapixels, orientation = 6, targetBytes, mark = true, quality = 92 }) {
	const tools = ensureOracles();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-photo-'));
	try {
		const { width, height } = phoneSize(megapixels, orientation);
		const crop = width > height ? '533x400+33+0' : '300x400+150+0';
		const upright = path.join(dir, 'upright.ppm');
		const side = Math.round(width / 8);
		const draw = mark ? ['-fill', '#ff0000', '-draw', `rectangle 0,0 ${side - 1},${side - 1}`] : [];
		execFileSync(tools.convert, [SOURCE, '-crop', crop, '+repage', '-filter', 'Triangle', '-resize', `${width}x${height}!`, ...draw, upright]);
		const file = path.join(dir, 'photo.jpg');
		const write = (grain) => {
			const noise = grain > 0 ? ['-seed', '22', '-attenuate', String(grain), '+noise', 'Gaussian'] : [];
			execFileSync(tools.convert, [upright, ...noise, ...STORE_AS[orientation], '-sampling-factor', '2x2', '-quality', String(quality), file]);
			return fs.statSync(file).size;
		};
		let size = write(0);
		if (targetBytes && size < targetBytes * 0.9) {
			// Grain raises the size about linearly at these levels: two corrections get within about 10 %.
			let grain = 0.5;
			for (let i = 0; i < 4; i++) {
				size = write(grain);
				if (Math.abs(size - targetBytes) < targetBytes * 0.1) break;
				const base = i === 0 ? size : size;
				grain = Math.max(0.05, grain * (targetBytes / base) ** 1.5);
			}
		}
		execFileSync(tools.exiftool, [
			'-q',
			'-overwrite_original',
			`-Orientation#=${orientation}`,
			'-Make=PhoneMaker',
			'-Model=Phone 15 Test',
			'-SerialNumber=SN-22-4711',
			'-DateTimeOriginal=2026:11:30 14:15:16',
			'-CreateDate=2026:11:30 14:15:16',
			'-GPSLatitude=48.8584',
			'-GPSLatitudeRef=N',
			'-GPSLongitude=2.2945',
			'-GPSLongitudeRef=E',
			'-GPSAltitude=35',
			'-XMP-dc:Creator=Test Person',
			'-Comment=taken at home',
			file,
		]);
		return fs.readFileSync(file);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

module.exports = { makePhonePhoto, phoneSize, STORE_AS };
