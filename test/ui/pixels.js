'use strict';
// Reading a screenshot's pixels: is an icon visible against what is behind it?

const { decodePng } = require('../emulator/png');

/**
 * In a PNG screenshot, the share of the pixels inside `box` whose luminance differs from the background (the
 * screenshot's corner) by more than 60.
 */
function iconContrast(screenshot, box) {
	const png = decodePng(screenshot);
	const lum = (x, y) => {
		const [r, g, b] = png.pixel(x, y);
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};
	const backgroundLuminance = lum(3, 3);
	let differing = 0;
	let total = 0;
	for (let y = box.y; y < box.y + box.height; y++) {
		for (let x = box.x; x < box.x + box.width; x++) {
			total++;
			if (Math.abs(lum(x, y) - backgroundLuminance) > 60) differing++;
		}
	}
	return { backgroundLuminance, share: differing / total };
}

module.exports = { iconContrast };
