// Sticker cut-outs from real photographs, for the lossy WebP tests and bench: Debian's python3-skimage ships
// sample photos (a portrait, a cat, the cameraman, a coffee cup); ImageMagick (an oracle this project did not
// write) gives each a soft-edged elliptical alpha around its subject, the way a background removal leaves a
// cut-out. Cached in the temp folder; nothing large is committed. The finish's pipeline (finishSticker) then
// makes the 512 × 512 sticker of each.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureOracles } = require('./oracles');

const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data';

/** Photo, and the ellipse around its subject as fractions of width and height: centre x, y, radius x, y. */
const PHOTOS = {
	astronaut: { file: 'astronaut.png', ellipse: [0.47, 0.42, 0.33, 0.43] },
	chelsea: { file: 'chelsea.png', ellipse: [0.5, 0.47, 0.33, 0.47] },
	camera: { file: 'camera.png', ellipse: [0.45, 0.42, 0.3, 0.42] },
	coffee: { file: 'coffee.png', ellipse: [0.5, 0.5, 0.42, 0.46] },
};

/** The photos come with python3-skimage, in the oracles' apt list (test/helpers/oracles.js). */
function ensureSkimage() {
	ensureOracles();
}

/** Path of the RGBA PNG cut-out of photo `name` (a key of PHOTOS). */
function photoCutoutPng(name) {
	const photo = PHOTOS[name];
	if (!photo) throw new Error(`no photo named ${name}`);
	const file = path.join(os.tmpdir(), `face-to-sticker-photo-cutout-${name}.png`);
	if (fs.existsSync(file)) return file;
	ensureSkimage();
	const { convert } = ensureOracles();
	const source = path.join(SKIMAGE_DATA, photo.file);
	const [width, height] = execFileSync(convert, [source, '-format', '%w %h', 'info:']).toString().trim().split(' ').map(Number);
	const [cx, cy, rx, ry] = photo.ellipse;
	const e = (v, size) => Math.round(v * size);
	const tmp = `${file}.${process.pid}.png`;
	execFileSync(convert, [
		source, '-colorspace', 'sRGB', '-type', 'TrueColor', '-alpha', 'set',
		'(', '-size', `${width}x${height}`, 'xc:black', '-fill', 'white',
		'-draw', `ellipse ${e(cx, width)},${e(cy, height)} ${e(rx, width)},${e(ry, height)} 0,360`, '-blur', '0x3', '-alpha', 'off', ')',
		'-compose', 'CopyOpacity', '-composite', '-define', 'png:color-type=6', `PNG32:${tmp}`,
	]);
	fs.renameSync(tmp, file);
	return file;
}

module.exports = { PHOTOS, photoCutoutPng, ensureSkimage, SKIMAGE_DATA };
