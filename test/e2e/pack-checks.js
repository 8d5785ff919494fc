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

/** How many pixels of a decoded image are not transparent within `margin` px of its edges, and how many inside. */
function drawnInMargin(image, margin) {
	let inMargin = 0;
	let inside = 0;
	for (let y = 0; y < image.height; y++) {
		for (let x = 0; x < image.width; x++) {
			if (image.data[(y * image.width + x) * 4 + 3] === 0) continue;
			if (x < margin || y < margin || x >= image.width - margin || y >= image.height - margin) inMargin++;
			else inside++;
		}
	}
	return { inMargin, inside };
}

module.exports = { KB, FACE, FREE_CREDITS, round6, cornerAlphas, drawnInMargin };
