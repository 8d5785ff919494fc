'use strict';
// What the sticker pack suite holds files and answers to: the published limits it checks, the example photo, and
// the Segmind emulator's balance arithmetic.

const path = require('path');

const { ROOT } = require('./n8n-harness');

const KB = 1024;
const FACE = path.join(ROOT, 'examples', 'face.png');
/** The Segmind emulator's free credits, added to `credits` in every balance answer. */
const FREE_CREDITS = 0.0184921035;
const round6 = (value) => Math.round(value * 1e6) / 1e6;

/** The alpha of the four corners of a decoded image (transparent corners: all 0). */
function cornerAlphas(image) {
	const at = (x, y) => image.data[(y * image.width + x) * 4 + 3];
	return [at(0, 0), at(image.width - 1, 0), at(0, image.height - 1), at(image.width - 1, image.height - 1)];
}

module.exports = { KB, FACE, FREE_CREDITS, round6, cornerAlphas };
