import { STANDARD_CHROMINANCE_QUANT, STANDARD_LUMINANCE_QUANT } from './tables';

/**
 * The Annex K tables scaled by a quality of 1-100 as the IJG's libjpeg does (jcparam.c: 50 keeps them, 100
 * makes every entry 1, below 50 the scale is 5000 / quality), limited to 1-255 for baseline JPEG.
 */
export function scaledQuantTables(quality: number): { luminance: Uint16Array; chrominance: Uint16Array } {
	const q = Math.min(100, Math.max(1, Math.round(quality)));
	const scale = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
	const scaleTable = (base: Uint8Array): Uint16Array =>
		Uint16Array.from(base, (entry) => Math.min(255, Math.max(1, Math.floor((entry * scale + 50) / 100))));
	return { luminance: scaleTable(STANDARD_LUMINANCE_QUANT), chrominance: scaleTable(STANDARD_CHROMINANCE_QUANT) };
}
