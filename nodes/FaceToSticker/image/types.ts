/**
 * Shared shapes of the image code. This folder works on byte arrays only and imports nothing from n8n, so
 * every codec here can be read, tested and benchmarked on its own.
 */

/** 8-bit RGBA pixels, row-major, straight (not premultiplied) alpha: 4 bytes per pixel. */
export interface RgbaImage {
	width: number;
	height: number;
	data: Uint8Array;
}

/** A palette image: `palette` holds RGBA entries (4 bytes each, at most 256), `indices` one byte per pixel. */
export interface IndexedImage {
	width: number;
	height: number;
	palette: Uint8Array;
	indices: Uint8Array;
}

/** What an image from a server is allowed to cost before it is refused. */
export interface DecodeLimits {
	/** Largest width × height accepted (the header is checked before any pixel memory is taken). */
	maxPixels: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxPixels: 4096 * 4096 };

/**
 * A picture that could not be read or written. `message` names what was wrong in words a workflow builder
 * can act on (e.g. "the PNG is truncated: the IDAT chunk ends early").
 */
export class ImageFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ImageFormatError';
	}
}
