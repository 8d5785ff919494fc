import { ImageFormatError } from '../types';

/**
 * A well-formed JPEG that uses a part of T.81 this decoder leaves out (CMYK, 12-bit samples, arithmetic
 * coding, lossless or hierarchical mode). Its bytes may still be sent as they are; the message names the part.
 */
export class UnsupportedJpegError extends ImageFormatError {
	constructor(readonly feature: string) {
		super(`This JPEG uses ${feature}, which this node cannot decode`);
		this.name = 'UnsupportedJpegError';
	}
}
