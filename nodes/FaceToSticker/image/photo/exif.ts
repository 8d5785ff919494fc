/**
 * The little of EXIF 2.3 this node needs: the TIFF structure (header in either byte order, IFD0) to read the
 * Orientation tag (0x0112) and to see whether a GPS IFD is present. Bad or truncated EXIF never fails a photo:
 * it reads as orientation 1 (EXIF is removed from what is sent in any case).
 */

export interface ExifSummary {
	/** 1-8 as EXIF defines them; 1 when absent or not valid. */
	orientation: number;
	/** IFD0 points to a GPS IFD. */
	gps: boolean;
}

const ORIENTATION = 0x0112;
const GPS_IFD = 0x8825;

/** Reads a TIFF structure (what follows "Exif\0\0" in a JPEG APP1, or a PNG eXIf chunk). */
export function readExif(tiff: Uint8Array): ExifSummary {
	const none: ExifSummary = { orientation: 1, gps: false };
	if (tiff.length < 8) return none;
	const little = tiff[0] === 0x49 && tiff[1] === 0x49;
	if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return none;
	const u16 = (at: number): number => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
	const u32 = (at: number): number => (little ? (u16(at) | (u16(at + 2) << 16)) >>> 0 : ((u16(at) << 16) | u16(at + 2)) >>> 0);
	if (u16(2) !== 42) return none;
	const ifd = u32(4);
	if (ifd < 8 || ifd + 2 > tiff.length) return none;
	const count = u16(ifd);
	const summary = { ...none };
	for (let i = 0; i < count; i++) {
		const entry = ifd + 2 + i * 12;
		if (entry + 12 > tiff.length) break;
		const tag = u16(entry);
		const type = u16(entry + 2);
		if (tag === ORIENTATION && type === 3 && u32(entry + 4) >= 1) {
			// A SHORT fits in the value field: its first two bytes.
			const value = u16(entry + 8);
			if (value >= 1 && value <= 8) summary.orientation = value;
		} else if (tag === GPS_IFD) summary.gps = true;
	}
	return summary;
}
