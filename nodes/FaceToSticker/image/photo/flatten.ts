import { Sliced, ticker } from '../slices';
import type { RgbaImage } from '../types';

const { round } = Math;

/** True when some pixel is not fully opaque. */
export function hasTransparency(image: RgbaImage): boolean {
	const data = image.data;
	for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
	return false;
}

/** The picture over a white background, opaque (a JPEG has no alpha; white is what a page behind it shows). */
export function* flattenOnWhite(image: RgbaImage): Sliced<RgbaImage> {
	const data = image.data.slice();
	const tick = ticker(1 << 18);
	for (let i = 0; i < data.length; i += 4) {
		const a = data[i + 3];
		if (a !== 255) {
			const back = 255 * (255 - a);
			data[i] = round((data[i] * a + back) / 255);
			data[i + 1] = round((data[i + 1] * a + back) / 255);
			data[i + 2] = round((data[i + 2] * a + back) / 255);
			data[i + 3] = 255;
		}
		if (tick(1)) yield;
	}
	return { width: image.width, height: image.height, data };
}
