/**
 * Entry names as APPNOTE 6.3 §4.4.17 wants them (relative, forward slashes) and as unpackers can write them
 * safely: no absolute path, no drive letter, no `.` or `..` step, no empty step, no control character.
 * Encoded as UTF-8 here (no TextEncoder: this folder uses nothing of the host).
 */
import { ImageFormatError } from '../types';

const MAX_NAME_BYTES = 0xffff;

/** The UTF-8 bytes of `name`, or an ImageFormatError that says what is wrong with it. */
export function zipEntryName(name: string): Uint8Array {
	const shown = JSON.stringify(name);
	if (name.length === 0) throw new ImageFormatError('A ZIP entry has an empty name');
	if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
		throw new ImageFormatError(`The ZIP entry name ${shown} is an absolute path: give a path relative to the archive`);
	}
	if (name.includes('\\')) {
		throw new ImageFormatError(`The ZIP entry name ${shown} holds a backslash: ZIP paths use forward slashes`);
	}
	if (/[\u0000-\u001f\u007f]/.test(name)) {
		throw new ImageFormatError(`The ZIP entry name ${shown} holds a control character`);
	}
	for (const step of name.split('/')) {
		if (step === '..' || step === '.') {
			throw new ImageFormatError(`The ZIP entry name ${shown} holds a "${step}" step: it could point outside the archive's folder`);
		}
		if (step === '') throw new ImageFormatError(`The ZIP entry name ${shown} has an empty path step (a leading, doubled or trailing "/")`);
	}
	const bytes = utf8(name, shown);
	if (bytes.length > MAX_NAME_BYTES) {
		throw new ImageFormatError(`The ZIP entry name ${shown.slice(0, 40)}… is ${bytes.length} bytes long: a ZIP name holds at most ${MAX_NAME_BYTES}`);
	}
	return bytes;
}

function utf8(text: string, shown: string): Uint8Array {
	const out: number[] = [];
	for (let i = 0; i < text.length; i++) {
		let code = text.charCodeAt(i);
		if (code >= 0xd800 && code <= 0xdfff) {
			const low = text.charCodeAt(i + 1);
			if (code > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) {
				throw new ImageFormatError(`The ZIP entry name ${shown} holds a lone surrogate: it is not valid Unicode text`);
			}
			code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
			i++;
		}
		if (code < 0x80) out.push(code);
		else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
		else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
		else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
	}
	return Uint8Array.from(out);
}
