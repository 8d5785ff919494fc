'use strict';
// The Telegram emulator's send methods (core.telegram.org/bots/api#available-methods): sendMessage, sendPhoto,
// sendSticker and sendDocument. Each is checked, recorded in `sentMessages` with its files' bytes, and answered
// with the Message Telegram would return.

const rules = require('./sticker-rules');
const { BotApiError } = require('./errors');

/** @param {import('./telegram-emulator').TelegramEmulator} emulator */
function sendMethods(emulator) {
	return {
		sendMessage: (params) => send(emulator, 'sendMessage', params),
		sendPhoto: (params) => send(emulator, 'sendPhoto', params),
		sendSticker: (params) => send(emulator, 'sendSticker', params),
		sendDocument: (params) => send(emulator, 'sendDocument', params),
	};
}

/** sendMessage / sendPhoto / sendSticker / sendDocument: checked, recorded (files kept), answered as a Message. */
function send(emulator, method, { fields, files }) {
	const chat = chatId(fields);
	const message = { message_id: emulator.nextMessageId++, from: emulator.me(), chat: { id: chat, type: 'private' }, date: Math.floor(Date.now() / 1000) };
	const record = { method, chat_id: chat, fields: { ...fields }, files: {} };
	if (method === 'sendMessage') {
		const text = fields.text === undefined ? '' : String(fields.text);
		if (text.trim() === '') throw new BotApiError('Bad Request: message text is empty');
		if (text.length > 4096) throw new BotApiError('Bad Request: message is too long');
		message.text = text;
	} else {
		const field = { sendPhoto: 'photo', sendSticker: 'sticker', sendDocument: 'document' }[method];
		const input = emulator.inputFile(fields[field], files[field], field);
		record.files[field] = input;
		const info = rules.imageInfo(input.bytes) ?? { width: 0, height: 0 };
		const stored = emulator.storeFile(input.bytes, field, input.extension, { width: info.width, height: info.height });
		const size = { file_id: stored.file_id, file_unique_id: stored.file_unique_id, file_size: input.bytes.length };
		if (method === 'sendPhoto') message.photo = [{ ...size, width: info.width, height: info.height }];
		if (method === 'sendSticker') message.sticker = { ...size, type: 'regular', width: info.width, height: info.height, is_animated: false, is_video: false };
		if (method === 'sendDocument') message.document = { ...size, file_name: input.filename, mime_type: input.contentType };
		if (fields.caption !== undefined) message.caption = String(fields.caption);
	}
	record.message = message;
	emulator.sentMessages.push(record);
	return message;
}

/** A chat_id: an integer, or a channel's @username (a string that is neither: "chat not found"). */
function chatId(fields) {
	const value = fields.chat_id;
	if (value === undefined || value === '') throw new BotApiError('Bad Request: chat_id is empty');
	if (/^-?\d+$/.test(String(value))) return Number(value);
	if (/^@[A-Za-z0-9_]{5,32}$/.test(String(value))) return String(value);
	throw new BotApiError('Bad Request: chat not found');
}

module.exports = { sendMethods, chatId };
