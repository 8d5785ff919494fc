import type { GenerationSettings } from '../helpers/interfaces';

/** Base64 slice size: a multiple of 3, so the slices join without padding in between. */
const BASE64_SLICE_BYTES = 3 * 16 * 1024;

/**
 * JSON bytes `<before><base64 of bytes><after>`, with the bytes encoded straight into the body slice by slice:
 * a request holds one buffer the size of its base64 and never a base64 string of the whole image or a second
 * copy of it. With many jobs in flight, that is what keeps memory flat. `before` and `after` must be JSON
 * fragments that put the base64 inside a string.
 */
export function jsonWithBase64(before: string, bytes: Buffer, after: string): Buffer {
	const head = Buffer.from(before);
	const tail = Buffer.from(after);
	const body = Buffer.allocUnsafe(head.length + Math.ceil(bytes.length / 3) * 4 + tail.length);
	let offset = head.copy(body, 0);
	for (let start = 0; start < bytes.length; start += BASE64_SLICE_BYTES) {
		const slice = bytes.toString('base64', start, Math.min(start + BASE64_SLICE_BYTES, bytes.length));
		offset += body.write(slice, offset, 'latin1');
	}
	tail.copy(body, offset);
	return body;
}

/** The face-to-sticker request: `{"image": <URL or base64 photo>, ...settings}`. */
export function serializeRequestBody(settings: GenerationSettings, image: string | Buffer): Buffer {
	if (typeof image === 'string') return Buffer.from(JSON.stringify({ image, ...settings }));
	return jsonWithBase64('{"image":"', image, `",${JSON.stringify(settings).slice(1)}`);
}

/** Background Removal V2: `{"image": <sticker URL or base64>, "type": "transparent"}`. */
export function serializeBackgroundRemovalBody(image: string | Buffer): Buffer {
	if (typeof image === 'string') return Buffer.from(JSON.stringify({ image, type: 'transparent' }));
	return jsonWithBase64('{"image":"', image, '","type":"transparent"}');
}

/** Segmind's storage upload, as its SDK sends it: `{"data_urls": ["data:<mime>;base64,..."]}`. */
export function serializeUploadBody(bytes: Buffer, mimeType: string): Buffer {
	return jsonWithBase64(`{"data_urls":["data:${mimeType};base64,`, bytes, '"]}');
}
