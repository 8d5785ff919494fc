// A realistic cut-out sticker for the image tests, made by ImageMagick (an oracle this project did not write)
// from the example face photo: resized, then given a soft-edged elliptical alpha like a background removal
// leaves behind. Cached in the temp folder; nothing large is committed.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { decodeWithOracle, ensureOracles } = require('./oracles');

const FACE = path.join(__dirname, '..', '..', 'examples', 'face.png');

/** Path of a size×size RGBA PNG cut-out (transparent corners, anti-aliased edge). */
function cutoutPng(size = 1024) {
	const file = path.join(os.tmpdir(), `face-to-sticker-cutout-${size}.png`);
	if (fs.existsSync(file)) return file;
	const { convert } = ensureOracles();
	const r = Math.round(size * 0.42);
	const c = Math.round(size / 2);
	const tmp = `${file}.${process.pid}.png`;
	execFileSync(convert, [
		FACE, '-resize', `${size}x${size}!`, '-alpha', 'set',
		'(', '-size', `${size}x${size}`, 'xc:black', '-fill', 'white',
		'-draw', `ellipse ${c},${c} ${Math.round(r * 0.85)},${r} 0,360`, '-blur', '0x2', '-alpha', 'off', ')',
		'-compose', 'CopyOpacity', '-composite', '-define', 'png:color-type=6', `PNG32:${tmp}`,
	]);
	fs.renameSync(tmp, file);
	return file;
}

/** The cut-out's pixels as ImageMagick reads them: { width, height, data } with 8-bit straight RGBA. */
function cutoutRgba(size = 1024) {
	const { width, height, data } = decodeWithOracle(fs.readFileSync(cutoutPng(size)));
	return { width, height, data };
}

module.exports = { cutoutPng, cutoutRgba, FACE };
