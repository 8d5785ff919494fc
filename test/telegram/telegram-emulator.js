'use strict';
// A Telegram Bot API emulator: a real HTTP server on 127.0.0.1, strict to core.telegram.org/bots/api for the
// methods a sticker bot uses. Paths /bot<token>/<method> (GET query, JSON, urlencoded or multipart bodies) and
// downloads /file/bot<token>/<file_path>; answers {"ok":true,"result":...} or Telegram's error shape
// {"ok":false,"error_code":400,"description":"Bad Request: ..."} (401 Unauthorized for a wrong token, 404 Not
// Found for an unknown method). Sticker rules are in sticker-rules.js. Development tool only.
//
// Methods: getMe, setWebhook, deleteWebhook, getWebhookInfo, getFile, sendMessage, sendPhoto, sendSticker,
// sendDocument, uploadStickerFile, createNewStickerSet, addStickerToSet, setStickerSetThumbnail, getStickerSet.
// For tests: addPhoto(bytes), sendUpdate(update), sendPhotoUpdate(bytes, { userId }), stickerSet(name), requests,
// sentMessages, webhook; control over HTTP: GET /__emulator/requests, POST /__emulator/reset.

const http = require('http');
const crypto = require('crypto');
const { parseMultipart } = require('./multipart');
const rules = require('./sticker-rules');
const { stickerMethods } = require('./sticker-methods');
const { sendMethods } = require('./send-methods');
const { BotApiError, parseJsonField } = require('./errors');

const DEFAULT_TOKEN = '7000000001:AAEmulatorTokenForStickerTests0001';

class TelegramEmulator {
	/** @param {{ token?: string, botUsername?: string, botId?: number, requireHttpsWebhook?: boolean }} [options] */
	constructor(options = {}) {
		this.token = options.token ?? DEFAULT_TOKEN;
		this.botUsername = options.botUsername ?? 'sticker_test_bot';
		this.botId = options.botId ?? Number(this.token.split(':')[0]);
		this.requireHttpsWebhook = options.requireHttpsWebhook ?? false;
		this.sockets = new Set();
		this.reset();
	}

	reset() {
		this.requests = [];
		this.sentMessages = [];
		/** file_id -> { file_id, file_unique_id, file_path, bytes, kind, width?, height?, format? } */
		this.files = new Map();
		/** lower-case name -> the stored set */
		this.sets = new Map();
		this.webhook = { url: '', secretToken: undefined, allowedUpdates: undefined, maxConnections: 40 };
		this.seq = 0;
		this.nextMessageId = 1;
		this.nextUpdateId = 1;
	}

	async start() {
		this.server = http.createServer((req, res) => this.handle(req, res));
		this.server.keepAliveTimeout = 1000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${this.server.address().port}`;
		return this;
	}

	async stop() {
		for (const socket of this.sockets) socket.destroy();
		if (this.server) await new Promise((resolve) => this.server.close(resolve));
	}

	/** The stored set (stickers with their bytes), by name, case-insensitive; undefined when there is none. */
	stickerSet(name) {
		return this.sets.get(String(name).toLowerCase());
	}

	/** A photo "sent" by a user: stored for getFile, answered as a PhotoSize for a message's `photo` array. */
	addPhoto(bytes) {
		const info = rules.imageInfo(bytes);
		const file = this.storeFile(bytes, 'photo', info?.type === 'png' ? 'png' : 'jpg', { width: info?.width ?? 0, height: info?.height ?? 0 });
		return { file_id: file.file_id, file_unique_id: file.file_unique_id, width: file.width, height: file.height, file_size: bytes.length };
	}

	/**
	 * A user sends the bot a photo: the photo is stored and a `message` update with it (one PhotoSize, as from the
	 * desktop app) goes to the webhook. Answers { update, status, body }.
	 */
	async sendPhotoUpdate(bytes, { userId = 42, chatId = userId, firstName = 'Ada', caption } = {}) {
		const photo = this.addPhoto(bytes);
		const message = {
			message_id: this.nextMessageId++,
			from: { id: userId, is_bot: false, first_name: firstName, language_code: 'en' },
			chat: { id: chatId, first_name: firstName, type: 'private' },
			date: Math.floor(Date.now() / 1000),
			photo: [photo],
			...(caption === undefined ? {} : { caption }),
		};
		const update = { update_id: this.nextUpdateId, message };
		return { update, ...(await this.sendUpdate(update)) };
	}

	/** POSTs an update to the registered webhook (with its secret token header): { status, body }. */
	async sendUpdate(update) {
		if (!this.webhook.url) throw new Error('no webhook is set: the bot has not called setWebhook');
		const body = JSON.stringify({ update_id: this.nextUpdateId, ...update });
		this.nextUpdateId = Math.max(this.nextUpdateId, Number(JSON.parse(body).update_id)) + 1;
		const headers = { 'content-type': 'application/json' };
		if (this.webhook.secretToken) headers['x-telegram-bot-api-secret-token'] = this.webhook.secretToken;
		const answer = await fetch(this.webhook.url, { method: 'POST', headers, body });
		return { status: answer.status, body: await answer.text() };
	}

	storeFile(bytes, kind, extension, extra = {}) {
		const n = this.files.size + 1;
		const file = {
			file_id: `${kind === 'sticker' ? 'CAACAgIAAxkB' : 'AgACAgIAAxkB'}${crypto.randomBytes(24).toString('base64url')}`,
			file_unique_id: `AgAD${crypto.randomBytes(6).toString('base64url')}`,
			file_path: `${kind === 'photo' ? 'photos' : kind === 'document' ? 'documents' : 'stickers'}/file_${n}.${extension}`,
			file_size: bytes.length,
			bytes: Buffer.from(bytes),
			kind,
			...extra,
		};
		this.files.set(file.file_id, file);
		return file;
	}

	// --- HTTP ------------------------------------------------------------------------------------------------

	async handle(req, res) {
		const body = await readBody(req);
		const url = new URL(req.url, 'http://x');
		const record = { seq: ++this.seq, at: Date.now(), httpMethod: req.method, path: url.pathname, method: undefined, status: 0 };
		if (url.pathname.startsWith('/__emulator/')) return this.control(url, req, res);
		this.requests.push(record);
		const send = (status, payload) => {
			record.status = status;
			record.ok = payload.ok;
			if (!payload.ok) record.description = payload.description;
			respond(res, status, { 'content-type': 'application/json' }, JSON.stringify(payload));
		};
		const fail = (error) => send(error.code, { ok: false, error_code: error.code, description: error.message });

		const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
		if (download) {
			record.method = 'download';
			if (download[1] !== this.token) return fail(new BotApiError('Unauthorized', 401));
			const file = [...this.files.values()].find((f) => f.file_path === decodeURIComponent(download[2]));
			if (!file) return fail(new BotApiError('Not Found', 404));
			record.status = 200;
			return respond(res, 200, { 'content-type': 'application/octet-stream' }, file.bytes);
		}
		const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
		if (!call) return fail(new BotApiError('Not Found', 404));
		// Method names are case-insensitive in the Bot API.
		const handler = this.methods()[call[2].toLowerCase()];
		record.method = handler ? handler.name : call[2];
		if (call[1] !== this.token) return fail(new BotApiError('Unauthorized', 401));
		if (!handler) return fail(new BotApiError('Not Found', 404));
		let params;
		try {
			params = this.readParams(url, req, body);
		} catch (error) {
			return fail(new BotApiError(`Bad Request: ${error.message}`));
		}
		record.params = describeParams(params);
		try {
			const result = await handler.run(params);
			return send(200, { ok: true, result, ...(handler.description ? { description: handler.description(params) } : {}) });
		} catch (error) {
			if (error instanceof BotApiError) return fail(error);
			throw error;
		}
	}

	/** Query and body together: { fields: { name: string | value }, files: { name: part } }. */
	readParams(url, req, body) {
		const fields = Object.fromEntries(url.searchParams);
		let files = {};
		const type = String(req.headers['content-type'] ?? '').toLowerCase();
		if (body.length > 0 && type.startsWith('application/json')) {
			let parsed;
			try {
				parsed = JSON.parse(body.toString('utf8'));
			} catch {
				throw new Error("can't parse JSON object");
			}
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error("can't parse JSON object");
			Object.assign(fields, parsed);
		} else if (body.length > 0 && type.startsWith('application/x-www-form-urlencoded')) {
			Object.assign(fields, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
		} else if (type.startsWith('multipart/form-data')) {
			const parsed = parseMultipart(body, String(req.headers['content-type']));
			Object.assign(fields, parsed.fields);
			files = parsed.files;
		}
		return { fields, files };
	}

	control(url, req, res) {
		const json = { 'content-type': 'application/json' };
		if (url.pathname === '/__emulator/requests') {
			const stickerSets = [...this.sets.values()].map((set) => ({ name: set.name, title: set.title, stickers: set.stickers.length, thumbnail: Boolean(set.thumbnail) }));
			return respond(res, 200, json, JSON.stringify({ requests: this.requests, sentMessages: this.sentMessages.map(describeMessage), webhook: this.webhook, stickerSets }));
		}
		if (url.pathname === '/__emulator/reset' && req.method === 'POST') {
			this.reset();
			return respond(res, 200, json, JSON.stringify({ ok: true }));
		}
		return respond(res, 404, json, JSON.stringify({ error: 'unknown control path' }));
	}

	// --- methods -----------------------------------------------------------------------------------------------

	/** Lower-case method name -> { name, run(params), description? }. */
	methods() {
		const list = [
			['getMe', () => this.me()],
			['setWebhook', (p) => this.setWebhook(p), () => 'Webhook was set'],
			['deleteWebhook', () => {
				this.webhook = { ...this.webhook, url: '', secretToken: undefined };
				return true;
			}, () => 'Webhook was deleted'],
			['getWebhookInfo', () => this.webhookInfo()],
			['getFile', (p) => this.getFile(p)],
			...Object.entries(sendMethods(this)),
			...Object.entries(stickerMethods(this)),
		];
		return Object.fromEntries(list.map(([name, run, description]) => [name.toLowerCase(), { name, run, description }]));
	}

	me() {
		return {
			id: this.botId,
			is_bot: true,
			first_name: 'Sticker Test Bot',
			username: this.botUsername,
			can_join_groups: true,
			can_read_all_group_messages: false,
			supports_inline_queries: false,
		};
	}

	setWebhook({ fields }) {
		const url = fields.url === undefined ? undefined : String(fields.url);
		if (url === undefined) throw new BotApiError('Bad Request: url is empty');
		if (url !== '') {
			let parsed;
			try {
				parsed = new URL(url);
			} catch {
				throw new BotApiError('Bad Request: bad webhook: Failed to resolve host: Name or service not known');
			}
			if (this.requireHttpsWebhook && parsed.protocol !== 'https:') throw new BotApiError('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
			if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new BotApiError('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
		}
		const secret = fields.secret_token === undefined || fields.secret_token === '' ? undefined : String(fields.secret_token);
		if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw new BotApiError('Bad Request: secret token contains unallowed characters');
		this.webhook = {
			url,
			secretToken: secret,
			allowedUpdates: fields.allowed_updates === undefined ? undefined : parseJsonField(fields.allowed_updates, 'allowed_updates'),
			maxConnections: fields.max_connections === undefined ? 40 : Number(fields.max_connections),
		};
		return true;
	}

	webhookInfo() {
		const info = { url: this.webhook.url, has_custom_certificate: false, pending_update_count: 0 };
		if (this.webhook.url) info.max_connections = this.webhook.maxConnections;
		if (this.webhook.url && this.webhook.allowedUpdates) info.allowed_updates = this.webhook.allowedUpdates;
		return info;
	}

	getFile({ fields }) {
		if (!fields.file_id) throw new BotApiError('Bad Request: file_id is empty');
		const file = this.files.get(String(fields.file_id));
		if (!file) throw new BotApiError('Bad Request: invalid file_id');
		return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
	}

	/**
	 * An InputFile parameter: the multipart part of that name, `attach://<part>`, a known file_id, or (for
	 * send methods) an HTTP URL, which the emulator cannot fetch and refuses as Telegram refuses a bad one.
	 */
	inputFile(value, part, field, parts = {}) {
		if (part) return { ...part, extension: extensionOf(part) };
		if (value === undefined || value === '') throw new BotApiError(`Bad Request: there is no ${field} in the request`);
		const text = String(value);
		const attach = /^attach:\/\/(.+)$/.exec(text);
		if (attach) {
			const attached = parts[attach[1]];
			if (!attached) throw new BotApiError('Bad Request: wrong file identifier/HTTP URL specified');
			return { ...attached, extension: extensionOf(attached) };
		}
		const file = this.files.get(text);
		if (!file) throw new BotApiError('Bad Request: wrong file identifier/HTTP URL specified');
		return { filename: file.file_path.split('/').pop(), contentType: 'application/octet-stream', bytes: file.bytes, extension: file.file_path.split('.').pop(), fileId: file.file_id };
	}
}

function extensionOf(part) {
	const info = rules.imageInfo(part.bytes);
	return info?.type === 'jpeg' ? 'jpg' : info?.type ?? (String(part.filename).split('.').pop() || 'bin');
}

/** The request record's view of its parameters: fields as sent, files as name, type and size. */
function describeParams({ fields, files }) {
	const described = { ...fields };
	for (const [name, part] of Object.entries(files)) described[name] = { filename: part.filename, contentType: part.contentType, size: part.bytes.length };
	return described;
}

function describeMessage(record) {
	const files = Object.fromEntries(Object.entries(record.files).map(([name, f]) => [name, { filename: f.filename, size: f.bytes.length }]));
	return { ...record, files };
}

function readBody(req) {
	return new Promise((resolve) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', () => resolve(Buffer.concat(chunks)));
	});
}

function respond(res, status, headers, body) {
	if (res.destroyed || res.headersSent) return;
	const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
	res.writeHead(status, { ...headers, 'content-length': bytes.length });
	res.end(bytes);
}

module.exports = { TelegramEmulator, BotApiError, DEFAULT_TOKEN };
