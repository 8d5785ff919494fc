'use strict';
// The Telegram emulator's sticker set methods (core.telegram.org/bots/api#stickers): uploadStickerFile,
// createNewStickerSet, addStickerToSet, setStickerSetThumbnail, getStickerSet. Every rule is checked in the
// order Telegram reports them and refused with its description; a set is stored with each sticker's bytes.

const rules = require('./sticker-rules');
const { BotApiError, parseJsonField } = require('./errors');

const MAX_STATIC_IN_SET = 120;
const STICKER_TYPES = ['regular', 'mask', 'custom_emoji'];
const FORMATS = ['static', 'animated', 'video'];

/** @param {import('./telegram-emulator').TelegramEmulator} emulator */
function stickerMethods(emulator) {
	const userId = (fields) => {
		const value = fields.user_id;
		if (value === undefined || value === '') throw new BotApiError('Bad Request: user_id is empty');
		if (!/^\d+$/.test(String(value)) || Number(value) <= 0) throw new BotApiError('Bad Request: user not found');
		return Number(value);
	};
	const ownedSet = (fields, user) => {
		if (!fields.name) throw new BotApiError('Bad Request: name is empty');
		const set = emulator.stickerSet(fields.name);
		if (!set || set.ownerId !== user) throw new BotApiError('Bad Request: STICKERSET_INVALID');
		return set;
	};

	/** An InputSticker, checked, its file's bytes resolved: { bytes, format, emoji_list, keywords, width, height }. */
	const inputSticker = (raw, files, stickerType) => {
		if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new BotApiError("Bad Request: can't parse InputSticker JSON object");
		if (raw.sticker === undefined || raw.sticker === '') throw new BotApiError('Bad Request: sticker is empty');
		if (raw.format === undefined) throw new BotApiError('Bad Request: sticker format must be specified');
		if (!FORMATS.includes(raw.format)) throw new BotApiError('Bad Request: invalid sticker format specified');
		const text = rules.inputStickerTextProblem(raw);
		if (text) throw new BotApiError(text);
		const file = emulator.inputFile(raw.sticker, undefined, 'sticker', files);
		const problem = rules.stickerFileProblem(file.bytes, raw.format, stickerType);
		if (problem) throw new BotApiError(problem);
		const info = rules.imageInfo(file.bytes) ?? { width: 512, height: 512, type: 'webp' };
		return { bytes: file.bytes, format: raw.format, emoji_list: raw.emoji_list, keywords: raw.keywords ?? [], width: info.width, height: info.height, type: info.type };
	};

	/** A sticker as the set stores it: a new file_id (Telegram gives one to every sticker in a set). */
	const stored = (set, input) => {
		const file = emulator.storeFile(input.bytes, 'sticker', input.type === 'png' ? 'png' : 'webp', { width: input.width, height: input.height });
		return { ...input, file_id: file.file_id, file_unique_id: file.file_unique_id, file_path: file.file_path, set_name: set.name };
	};

	return {
		uploadStickerFile({ fields, files }) {
			userId(fields);
			const format = fields.sticker_format;
			if (format === undefined || format === '') throw new BotApiError('Bad Request: sticker_format is empty');
			if (!FORMATS.includes(format)) throw new BotApiError('Bad Request: invalid sticker format specified');
			// The file must be uploaded here: a file_id or a URL is not an upload.
			const part = files.sticker;
			if (!part) throw new BotApiError(fields.sticker ? 'Bad Request: wrong file type: the sticker must be uploaded as a file' : 'Bad Request: there is no sticker file in the request');
			const problem = rules.stickerFileProblem(part.bytes, format);
			if (problem) throw new BotApiError(problem);
			const info = rules.imageInfo(part.bytes) ?? { width: 512, height: 512, type: 'webp' };
			const file = emulator.storeFile(part.bytes, 'sticker', info.type === 'png' ? 'png' : 'webp', { width: info.width, height: info.height, format, uploaded: true });
			return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
		},

		createNewStickerSet({ fields, files }) {
			const user = userId(fields);
			const name = fields.name === undefined ? '' : String(fields.name);
			if (name === '') throw new BotApiError('Bad Request: name is empty');
			if (!rules.setNameIsValid(name, emulator.botUsername)) throw new BotApiError('Bad Request: invalid sticker set name is specified');
			const title = fields.title === undefined ? '' : String(fields.title);
			if (title === '') throw new BotApiError('Bad Request: title is empty');
			if (title.length > 64) throw new BotApiError('Bad Request: invalid sticker set title is specified');
			const stickerType = fields.sticker_type === undefined || fields.sticker_type === '' ? 'regular' : String(fields.sticker_type);
			if (!STICKER_TYPES.includes(stickerType)) throw new BotApiError('Bad Request: invalid sticker type specified');
			if (fields.stickers === undefined || fields.stickers === '') throw new BotApiError('Bad Request: stickers is empty');
			const list = parseJsonField(fields.stickers, 'stickers');
			if (!Array.isArray(list)) throw new BotApiError("Bad Request: can't parse stickers JSON object");
			if (list.length === 0) throw new BotApiError('Bad Request: stickers must be non-empty');
			if (list.length > 50) throw new BotApiError('Bad Request: too many stickers specified');
			const inputs = list.map((raw) => inputSticker(raw, files, stickerType));
			if (emulator.stickerSet(name)) throw new BotApiError('Bad Request: sticker set name is already occupied');
			const set = { name, title, sticker_type: stickerType, ownerId: user, stickers: [], thumbnail: undefined };
			set.stickers = inputs.map((input) => stored(set, input));
			emulator.sets.set(name.toLowerCase(), set);
			return true;
		},

		addStickerToSet({ fields, files }) {
			const user = userId(fields);
			const set = ownedSet(fields, user);
			if (fields.sticker === undefined || fields.sticker === '') throw new BotApiError('Bad Request: sticker is empty');
			const input = inputSticker(parseJsonField(fields.sticker, 'sticker'), files, set.sticker_type);
			const statics = set.stickers.filter((s) => s.format === 'static').length;
			if (input.format === 'static' && statics >= MAX_STATIC_IN_SET) throw new BotApiError('Bad Request: STICKERS_TOO_MUCH');
			set.stickers.push(stored(set, input));
			return true;
		},

		setStickerSetThumbnail({ fields, files }) {
			const user = userId(fields);
			const set = ownedSet(fields, user);
			if (fields.format === undefined || fields.format === '') throw new BotApiError('Bad Request: format is empty');
			if (!FORMATS.includes(fields.format)) throw new BotApiError('Bad Request: invalid sticker format specified');
			// No thumbnail drops it: the set shows its first sticker again.
			if (!files.thumbnail && (fields.thumbnail === undefined || fields.thumbnail === '')) {
				set.thumbnail = undefined;
				return true;
			}
			const file = emulator.inputFile(fields.thumbnail, files.thumbnail, 'thumbnail', files);
			if (fields.format === 'static') {
				const problem = rules.thumbnailProblem(file.bytes);
				if (problem) throw new BotApiError(problem);
			}
			const info = rules.imageInfo(file.bytes) ?? { width: 100, height: 100, type: 'webp' };
			const thumb = emulator.storeFile(file.bytes, 'sticker', info.type === 'png' ? 'png' : 'webp', { width: info.width, height: info.height });
			set.thumbnail = { file_id: thumb.file_id, file_unique_id: thumb.file_unique_id, file_size: file.bytes.length, width: info.width, height: info.height, bytes: file.bytes, format: fields.format };
			return true;
		},

		getStickerSet({ fields }) {
			if (!fields.name) throw new BotApiError('Bad Request: name is empty');
			const set = emulator.stickerSet(fields.name);
			if (!set) throw new BotApiError('Bad Request: STICKERSET_INVALID');
			const answer = {
				name: set.name,
				title: set.title,
				sticker_type: set.sticker_type,
				stickers: set.stickers.map((s) => ({
					file_id: s.file_id,
					file_unique_id: s.file_unique_id,
					type: set.sticker_type,
					width: s.width,
					height: s.height,
					is_animated: s.format === 'animated',
					is_video: s.format === 'video',
					emoji: s.emoji_list[0],
					set_name: set.name,
					file_size: s.bytes.length,
				})),
			};
			if (set.thumbnail) {
				const { file_id, file_unique_id, file_size, width, height } = set.thumbnail;
				answer.thumbnail = { file_id, file_unique_id, file_size, width, height };
			}
			return answer;
		},
	};
}

module.exports = { stickerMethods };
