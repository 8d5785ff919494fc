'use strict';
// The Bot API's sticker rules, as core.telegram.org/bots/api and /stickers publish them, for the emulator:
// what a static sticker file is (WebP or PNG, one side exactly 512 px, the other at most 512, at most 512 KB),
// a set's thumbnail (WebP or PNG, 100 x 100, at most 128 KB), a set's name and title, emoji and keywords.

const KB = 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** { type: 'png' | 'webp' | 'jpeg', width, height } from a file's header, or undefined when it is none of them. */
function imageInfo(bytes) {
	if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR') {
		return { type: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	}
	if (bytes.length >= 30 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
		const chunk = bytes.toString('latin1', 12, 16);
		// VP8 (lossy): a key frame's start code 9d 01 2a, then 14-bit width and height (RFC 6386 9.1).
		if (chunk === 'VP8 ' && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
			return { type: 'webp', width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
		}
		// VP8L (lossless): signature 0x2f, then width - 1 and height - 1 in 14 bits each (RFC 9649 3.2).
		if (chunk === 'VP8L' && bytes[20] === 0x2f) {
			const bits = bytes.readUInt32LE(21);
			return { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
		}
		// VP8X (extended): the canvas, width - 1 and height - 1 in 24 bits each.
		if (chunk === 'VP8X') return { type: 'webp', width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
		return undefined;
	}
	if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
		let i = 2;
		while (i + 9 < bytes.length && bytes[i] === 0xff) {
			const marker = bytes[i + 1];
			if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
				return { type: 'jpeg', height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
			}
			i += 2 + bytes.readUInt16BE(i + 2);
		}
	}
	return undefined;
}

/**
 * Why a file cannot be a sticker of `format` (Telegram's description), or undefined when it can. Static: WebP or
 * PNG, one side 512 and the other at most 512, 512 KB; animated: a gzipped Lottie (TGS) of 64 KB; video: WEBM
 * of 256 KB, 512 px on one side.
 */
function stickerFileProblem(bytes, format, stickerType = 'regular') {
	if (format === 'static') {
		if (bytes.length > 512 * KB) return 'Bad Request: file is too big';
		const info = imageInfo(bytes);
		if (!info || (info.type !== 'png' && info.type !== 'webp')) return 'Bad Request: STICKER_PNG_NOPNG';
		if (stickerType === 'custom_emoji') return info.width === 100 && info.height === 100 ? undefined : 'Bad Request: STICKER_PNG_DIMENSIONS';
		const [longer, shorter] = [Math.max(info.width, info.height), Math.min(info.width, info.height)];
		return longer === 512 && shorter >= 1 && shorter <= 512 ? undefined : 'Bad Request: STICKER_PNG_DIMENSIONS';
	}
	if (format === 'animated') {
		if (bytes.length > 64 * KB) return 'Bad Request: file is too big';
		return bytes[0] === 0x1f && bytes[1] === 0x8b ? undefined : 'Bad Request: STICKER_TGS_NOTGS';
	}
	if (format === 'video') {
		if (bytes.length > 256 * KB) return 'Bad Request: file is too big';
		return bytes.readUInt32BE(0) === 0x1a45dfa3 ? undefined : 'Bad Request: STICKER_VIDEO_NOWEBM';
	}
	return 'Bad Request: invalid sticker format specified';
}

/** Why a file cannot be a set's static thumbnail, or undefined: WebP or PNG, exactly 100 x 100, at most 128 KB. */
function thumbnailProblem(bytes) {
	if (bytes.length > 128 * KB) return 'Bad Request: file is too big';
	const info = imageInfo(bytes);
	if (!info || (info.type !== 'png' && info.type !== 'webp')) return 'Bad Request: STICKERSET_THUMBNAIL_INVALID';
	return info.width === 100 && info.height === 100 ? undefined : 'Bad Request: STICKER_THUMB_PNG_DIMENSIONS';
}

/**
 * A set's name: 1-64 characters of letters, digits and underscores, starting with a letter, no two underscores in
 * a row, ending in `_by_<bot username>` (case-insensitive).
 */
function setNameIsValid(name, botUsername) {
	if (typeof name !== 'string' || name.length < 1 || name.length > 64) return false;
	if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.includes('__')) return false;
	return name.toLowerCase().endsWith(`_by_${botUsername.toLowerCase()}`);
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** One emoji: a single grapheme that is pictographic (with its modifiers and joins) or a flag. */
function isEmoji(value) {
	if (typeof value !== 'string' || value.length === 0) return false;
	const graphemes = [...segmenter.segment(value)];
	return graphemes.length === 1 && /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3)/u.test(value);
}

/** Why an InputSticker's emoji_list and keywords are wrong (Telegram's description), or undefined. */
function inputStickerTextProblem(input) {
	const emoji = input.emoji_list;
	if (!Array.isArray(emoji) || emoji.length < 1 || emoji.length > 20 || !emoji.every(isEmoji)) return 'Bad Request: invalid sticker emojis';
	if (input.keywords !== undefined) {
		const keywords = input.keywords;
		if (!Array.isArray(keywords) || keywords.length > 20 || !keywords.every((k) => typeof k === 'string')) return 'Bad Request: invalid sticker keywords';
		if (keywords.reduce((sum, k) => sum + k.length, 0) > 64) return 'Bad Request: invalid sticker keywords';
	}
	return undefined;
}

module.exports = { imageInfo, stickerFileProblem, thumbnailProblem, setNameIsValid, isEmoji, inputStickerTextProblem };
