import { ImageFormatError } from '../types';

/** A photo in a format or variant the node cannot prepare; the message says what to do instead. */
export class UnsupportedPhotoError extends ImageFormatError {
	constructor(message: string) {
		super(message);
		this.name = 'UnsupportedPhotoError';
	}
}
