/**
 * What kind of image a file is, from its first bytes: the signatures of JPEG (SOI), PNG, WebP (RIFF/WEBP),
 * GIF, BMP and TIFF, and for HEIF files (HEIC, AVIF) the brands of their `ftyp` box (ISO/IEC 14496-12, 23008-12).
 */
export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'heic' | 'avif' | 'gif' | 'bmp' | 'tiff' | 'unknown';

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2']);

function text(bytes: Uint8Array, at: number, length: number): string {
	let out = '';
	for (let i = at; i < at + length && i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
	return out;
}

function startsWith(bytes: Uint8Array, signature: number[], at = 0): boolean {
	if (bytes.length < at + signature.length) return false;
	return signature.every((b, i) => bytes[at + i] === b);
}

/** The brands of an ISO base media `ftyp` box at the start of the file: major first, then compatible ones. */
function ftypBrands(bytes: Uint8Array): string[] {
	if (bytes.length < 16 || text(bytes, 4, 4) !== 'ftyp') return [];
	const size = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
	const end = Math.min(bytes.length, Math.max(16, size), 4096);
	const brands = [text(bytes, 8, 4)];
	for (let at = 16; at + 4 <= end; at += 4) brands.push(text(bytes, at, 4));
	return brands;
}

export function sniffPhotoFormat(bytes: Uint8Array): PhotoFormat {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (text(bytes, 0, 4) === 'RIFF' && text(bytes, 8, 4) === 'WEBP') return 'webp';
	if (text(bytes, 0, 6) === 'GIF87a' || text(bytes, 0, 6) === 'GIF89a') return 'gif';
	if (text(bytes, 0, 2) === 'BM' && bytes.length >= 26) return 'bmp';
	if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
	const brands = ftypBrands(bytes);
	if (brands.length > 0) {
		if (AVIF_BRANDS.has(brands[0])) return 'avif';
		if (HEIC_BRANDS.has(brands[0])) return 'heic';
		if (HEIF_BRANDS.has(brands[0]) || brands.some((b) => HEIC_BRANDS.has(b) || AVIF_BRANDS.has(b))) {
			// A generic HEIF brand: the compatible brands say which codec is inside.
			if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
			return 'heic';
		}
	}
	return 'unknown';
}
