'use strict';
// A small multipart/form-data reader (RFC 7578) for the Telegram emulator: text fields and files, as a Bot API
// request carries them. Enough for what HTTP clients send (n8n's form-data, undici's FormData, curl -F).

/**
 * @param {Buffer} body
 * @param {string} contentType the request's Content-Type, with its boundary
 * @returns {{ fields: Record<string, string>, files: Record<string, { filename: string, contentType: string, bytes: Buffer }> }}
 */
function parseMultipart(body, contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!match) throw new Error('multipart body without a boundary');
	const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
	const fields = {};
	const files = {};
	let start = body.indexOf(delimiter);
	if (start < 0) throw new Error('multipart body without its boundary');
	while (start >= 0) {
		let partStart = start + delimiter.length;
		// "--" after the delimiter closes the body.
		if (body[partStart] === 0x2d && body[partStart + 1] === 0x2d) break;
		if (body[partStart] === 0x0d && body[partStart + 1] === 0x0a) partStart += 2;
		const next = body.indexOf(delimiter, partStart);
		if (next < 0) throw new Error('multipart body not closed');
		// The part ends with the CRLF before the next delimiter.
		const partEnd = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
		const part = body.subarray(partStart, partEnd);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd < 0) throw new Error('multipart part without headers');
		const headers = {};
		for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] ?? '';
		const name = parameter(disposition, 'name');
		const filename = parameter(disposition, 'filename');
		const bytes = part.subarray(headerEnd + 4);
		if (name !== undefined) {
			if (filename !== undefined) files[name] = { filename, contentType: headers['content-type'] ?? 'application/octet-stream', bytes: Buffer.from(bytes) };
			else fields[name] = bytes.toString('utf8');
		}
		start = next;
	}
	return { fields, files };
}

/** A parameter of a header value: name="value" (quoted, with \" escapes) or name=token. */
function parameter(header, key) {
	const pattern = new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
	const match = pattern.exec(header);
	if (!match) return undefined;
	return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2].trim();
}

module.exports = { parseMultipart };
