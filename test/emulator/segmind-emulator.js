'use strict';
// A Segmind face-to-sticker emulator: real HTTP servers on 127.0.0.1 that behave like the API described in
// ../shared/segmind-api.md, with faults on demand and a record of every request. Development tool only: it is
// not part of the npm package.
//
// Three origins, like the real service:
//   api     - the gateway (x-api-key required): /v1 and /v2 face-to-sticker, job status and result, credits
//   images  - the output image host (no key), like images.segmind.com
//   foreign - an origin that is not Segmind's: it serves the same job and image paths and records any key it
//             receives, for tests that prove the key never leaves the API origin
//
// Faults: `addFault({ on, action, count, promptIncludes })` or a `faultHook(kind, context)` function.
//   on:     submit | status | result | image | direct | credits | any
//   action: 429 | 429-no-reset | 400 | 401 | 403 | 404 | 405 | 406-credits | 406-content-type | 406-spend
//           | 410 | 500 | 502 | 503 | 504 | drop (connection closed, request not taken)
//           | drop-after-accept (submit/direct: the job is taken and billed, then the connection closes)
//           | slow:<ms> (the answer comes that much later; submit/direct: the job is taken first)
//           | truncate (body cut short) | not-image (200 with an HTML page) | huge (200 image/jpeg, 60 MB)
//           | fail-job (submit: accepted, then the job ends FAILED) | redirect-foreign (302 to the foreign origin)

const http = require('http');
const crypto = require('crypto');
const { encodeBlockJpeg } = require('./jpeg');

const DEFAULT_KEY = 'SG_emulator0key0001';
const COST = 0.0866;
const MODEL_PARAMETERS = {
	prompt: 'string',
	negative_prompt: 'string',
	width: 'integer',
	height: 'integer',
	steps: 'integer',
	seed: 'integer',
	prompt_strength: 'number',
	instant_id_strength: 'unit',
	ip_adapter_weight: 'unit',
	ip_adapter_noise: 'unit',
	upscale: 'boolean',
	upscale_steps: 'integer',
};
const HTML_405 = '<!DOCTYPE html><html><head><title>405 Method Not Allowed</title></head><body><h1>Method Not Allowed</h1><p>The method is not allowed for the requested URL.</p></body></html>';

class SegmindEmulator {
	constructor(options = {}) {
		this.apiKey = options.apiKey || DEFAULT_KEY;
		this.configure({ latencyMs: 300, credits: 1000, rateLimitPerMinute: 0, outputShape: 'string', urlsOrigin: 'api', ...options });
		this.servers = {};
		this.origins = {};
		this.sockets = new Set();
		this.reset();
	}

	/** Changes behaviour between runs: latencyMs, credits, noBalanceRecord, rateLimitPerMinute, outputShape
	 * ('string' | 'array' | 'images'), urlsOrigin ('api' | 'foreign'), directFormat ('jpeg' | 'json'). */
	configure(options) {
		for (const [key, value] of Object.entries(options)) {
			if (key !== 'apiKey') this[key] = value;
		}
	}

	reset() {
		this.requests = [];
		this.faults = [];
		this.faultHook = null;
		this.jobs = new Map();
		this.outputs = new Map();
		this.window = [];
		this.foreignKeysReceived = [];
		this.seq = 0;
	}

	addFault(fault) {
		this.faults.push({ count: Number.POSITIVE_INFINITY, ...fault });
	}

	async start() {
		for (const name of ['api', 'images', 'foreign']) {
			const server = http.createServer((req, res) => this.handle(name, req, res));
			server.keepAliveTimeout = 1000;
			server.on('connection', (socket) => {
				this.sockets.add(socket);
				socket.on('close', () => this.sockets.delete(socket));
			});
			await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
			this.servers[name] = server;
			this.origins[name] = `http://127.0.0.1:${server.address().port}`;
		}
		return this;
	}

	async stop() {
		for (const socket of this.sockets) socket.destroy();
		await Promise.all(Object.values(this.servers).map((server) => new Promise((resolve) => server.close(resolve))));
	}

	get baseUrl() {
		return this.origins.api;
	}

	/** What the test asserts on: every request, and the sums that matter for billing. */
	summary() {
		const count = (predicate) => this.requests.filter(predicate).length;
		return {
			requests: this.requests.length,
			submits: count((r) => r.kind === 'submit'),
			billedSubmits: count((r) => r.kind === 'submit' && r.accepted),
			billedDirect: count((r) => r.kind === 'direct' && r.billed),
			statusPolls: count((r) => r.kind === 'status'),
			rateLimited: count((r) => r.status === 429),
			faults: this.requests.filter((r) => r.fault).reduce((acc, r) => ({ ...acc, [r.fault]: (acc[r.fault] || 0) + 1 }), {}),
		};
	}

	// --- request handling -------------------------------------------------------------------------------

	async handle(originName, req, res) {
		const body = await readBody(req);
		const url = new URL(req.url, 'http://x');
		const record = {
			seq: ++this.seq,
			at: Date.now(),
			origin: originName,
			method: req.method,
			path: url.pathname,
			kind: 'other',
			hasKey: Boolean(req.headers['x-api-key']),
			keyValid: req.headers['x-api-key'] === this.apiKey,
			status: 0,
		};
		if (originName !== 'api' && record.hasKey) this.foreignKeysReceived.push({ origin: originName, path: url.pathname });
		this.requests.push(record);

		if (originName === 'api' && url.pathname.startsWith('/__emulator/')) return this.control(url, body, req, res);

		const route = this.route(originName, req.method, url.pathname);
		record.kind = route.kind;
		const parsed = route.kind === 'submit' || route.kind === 'direct' ? tryJson(body) : undefined;
		record.prompt = parsed && typeof parsed.prompt === 'string' ? parsed.prompt : undefined;
		record.body = parsed ? { ...parsed, image: describeImage(parsed.image) } : undefined;

		const fault = this.pickFault(route.kind, record);
		if (fault) record.fault = fault;
		const send = (status, headers, payload) => {
			record.status = status;
			respond(res, status, headers, payload);
		};

		if (fault === 'drop') return req.socket.destroy();
		if (fault && /^\d{3}/.test(fault) && !fault.startsWith('406')) return this.sendFault(fault, send);
		if (fault && fault.startsWith('406')) return this.sendFault(fault, send);
		if (fault === 'redirect-foreign') {
			return send(302, { location: `${this.origins.foreign}${req.url}` }, '');
		}

		if (originName === 'api' && route.kind !== 'unrouted') {
			if (!record.hasKey) return send(401, json(), { error: 'Missing Authorization or x-api-key in header' });
			if (!record.keyValid) {
				return send(401, json(), {
					error: 'Unauthorized. API key is invalid or may have expired. Please check your API key at https://cloud.segmind.com/console/api-keys',
				});
			}
			const limited = this.rateLimit();
			if (limited) return send(429, { ...json(), 'x-rate-limit-reset-at-utc': limited }, { error: 'rate_limit_exceeded' });
		}

		switch (route.kind) {
			case 'method-not-allowed':
				return send(405, { 'content-type': 'text/html' }, HTML_405);
			case 'unrouted':
				return send(400, { 'content-type': 'text/plain' }, 'Incorrect or Missing host header');
			case 'credits':
				if (this.noBalanceRecord) return send(404, json(), { error: 'No credits found for the user' });
				return send(200, json(), { credits: round(this.credits), 'free-credits': 0.0184921035 });
			case 'submit':
			case 'direct':
				return this.generate(route.kind, req, body, record, fault, send, res);
			case 'status':
			case 'result':
				return this.jobAnswer(route.kind, route.id, fault, send, res, originName);
			case 'image':
				return this.imageAnswer(route.id, fault, send, res);
			default:
				return send(404, json(), { error: 'Not found' });
		}
	}

	route(originName, method, path) {
		let match;
		if (originName === 'api' && path === '/v1/get-user-credits' && method === 'GET') return { kind: 'credits' };
		if (originName === 'api' && (path === '/v1/face-to-sticker' || path === '/v2/face-to-sticker')) {
			if (method !== 'POST') return { kind: 'method-not-allowed' };
			return { kind: path.startsWith('/v1') ? 'direct' : 'submit' };
		}
		if ((match = /^\/v2\/requests\/([^/]+)\/status$/.exec(path)) && method === 'GET') return { kind: 'status', id: match[1] };
		if ((match = /^\/v2\/requests\/([^/]+)$/.exec(path)) && method === 'GET') return { kind: 'result', id: match[1] };
		if ((match = /^\/outputs\/([^/]+)\.jpg$/.exec(path)) && method === 'GET' && originName !== 'api') {
			return { kind: 'image', id: match[1] };
		}
		if (originName === 'api' && path.startsWith('/v1/') && method === 'POST') return { kind: 'unknown-model' };
		return { kind: 'unrouted' };
	}

	pickFault(kind, record) {
		if (this.faultHook) {
			const action = this.faultHook(kind, record);
			if (action) return action;
		}
		for (const fault of this.faults) {
			if (fault.count <= 0) continue;
			if (fault.on !== 'any' && fault.on !== kind) continue;
			if (fault.promptIncludes && !(record.prompt || '').includes(fault.promptIncludes)) continue;
			fault.count--;
			return fault.action;
		}
		return undefined;
	}

	sendFault(action, send) {
		const status = Number(action.slice(0, 3));
		if (action === '429') {
			return send(429, { ...json(), 'x-rate-limit-reset-at-utc': new Date(Date.now() + 1000).toISOString() }, { error: 'rate_limit_exceeded' });
		}
		if (action === '429-no-reset') return send(429, json(), { error: 'rate_limit_exceeded' });
		if (action === '406-credits') return send(406, { 'content-type': 'text/plain' }, `Insufficient credits. Your balance is ${round(this.credits)}, this call needs ${COST}.`);
		if (action === '406-content-type') return send(406, { 'content-type': 'text/plain' }, 'Invalid content type');
		if (action === '406-spend') return send(406, json(), { error: 'Team spend limit reached: 10 credits per day' });
		if (status === 405) return send(405, { 'content-type': 'text/html' }, HTML_405);
		const messages = { 400: 'Bad request', 401: 'Unauthorized', 403: 'Model access is restricted for your team', 404: 'Model not found', 410: 'This model has been retired', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable', 504: 'Gateway timeout' };
		if (status >= 502) return send(status, { 'content-type': 'text/html' }, `<html><head><title>${status} ${messages[status]}</title></head><body></body></html>`);
		return send(status, json(), { error: messages[status] || 'Error' });
	}

	rateLimit() {
		if (!this.rateLimitPerMinute) return undefined;
		const now = Date.now();
		this.window = this.window.filter((t) => t > now - 60_000);
		if (this.window.length >= this.rateLimitPerMinute) return new Date(this.window[0] + 60_000).toISOString();
		this.window.push(now);
		return undefined;
	}

	async generate(kind, req, body, record, fault, send, res) {
		const contentType = String(req.headers['content-type'] || '');
		if (!/^application\/json|^multipart\/form-data/i.test(contentType)) {
			return send(406, { 'content-type': 'text/plain' }, 'Invalid content type');
		}
		const params = tryJson(body);
		if (!params || typeof params !== 'object' || Array.isArray(params)) {
			return send(400, json(), { error: 'Request body must be a JSON object' });
		}
		const invalid = validate(params);
		if (invalid) return send(422, json(), { error: invalid });
		if (this.credits < COST) {
			return send(406, { 'content-type': 'text/plain' }, `Insufficient credits. Your balance is ${round(this.credits)}, this call needs ${COST}.`);
		}

		const id = crypto.randomUUID();
		const seed = Number.isInteger(params.seed) && params.seed >= 0 ? params.seed : crypto.randomInt(0, 2 ** 32);
		const job = {
			id,
			params,
			seed,
			createdAt: Date.now(),
			fail: fault === 'fail-job' || (record.prompt || '').includes('FAIL'),
			charged: false,
		};
		record.requestId = id;

		if (kind === 'submit') {
			this.jobs.set(id, job);
			record.accepted = true;
			if (fault === 'drop-after-accept') return req.socket.destroy();
			const base = this.urlsOrigin === 'foreign' ? this.origins.foreign : this.origins.api;
			const answer = {
				request_id: id,
				status: 'QUEUED',
				poll_url: `${base}/v1/requests/${id}`,
				status_url: `${base}/v2/requests/${id}/status`,
				response_url: `${base}/v2/requests/${id}`,
			};
			return this.later(fault, res, () => send(200, json(), answer));
		}

		// Direct mode: the connection stays open for the whole generation.
		await sleep(this.latencyMs);
		if (job.fail) return send(500, json(), { error: 'Generation failed: no face detected in the image' });
		if (fault === 'drop-after-accept') {
			this.charge(job);
			record.billed = true;
			return req.socket.destroy();
		}
		const image = this.render(job);
		this.charge(job);
		record.billed = true;
		const headers = {
			'x-cost': String(COST),
			'X-Remaining-Credits': String(round(this.credits)),
			'x-generation-time': (this.latencyMs / 1000).toFixed(2),
			'x-seed-value': String(seed),
			'x-request-id': id,
		};
		if (this.directFormat === 'json') {
			return this.later(fault, res, () => send(200, { ...headers, ...json() }, { image: image.toString('base64'), status: 'Success' }));
		}
		if (fault === 'truncate') return truncated(res, record, { ...headers, 'content-type': 'image/jpeg' }, image);
		return this.later(fault, res, () => send(200, { ...headers, 'content-type': 'image/jpeg' }, image));
	}

	jobAnswer(kind, id, fault, send, res, originName) {
		const job = this.jobs.get(id);
		if (!job) return send(404, json(), { error: `Request ${id} not found` });
		const elapsed = Date.now() - job.createdAt;
		const queueMs = Math.floor(this.latencyMs / 3);
		const state = elapsed < queueMs ? 'QUEUED' : elapsed < this.latencyMs ? 'PROCESSING' : job.fail ? 'FAILED' : 'COMPLETED';
		const base = originName === 'foreign' || this.urlsOrigin === 'foreign' ? this.origins.foreign : this.origins.api;
		const metrics = {
			inference_time: round((this.latencyMs - queueMs) / 1000),
			queue_time: round(queueMs / 1000),
			total_time: round(this.latencyMs / 1000),
		};
		if (state === 'FAILED') {
			return send(422, json(), { status: 'FAILED', error: 'Generation failed: no face detected in the image', metrics });
		}
		if (state !== 'COMPLETED') {
			return send(200, json(), { status: state, request_id: id, status_url: `${base}/v2/requests/${id}/status`, response_url: `${base}/v2/requests/${id}`, metrics: {} });
		}
		this.charge(job);
		if (!this.outputs.has(id)) this.outputs.set(id, this.render(job));
		const imageOrigin = this.urlsOrigin === 'foreign' ? this.origins.foreign : this.origins.images;
		const imageUrl = `${imageOrigin}/outputs/${id}.jpg`;
		if (kind === 'status') return send(200, json(), { status: 'COMPLETED', request_id: id, metrics });
		const billing = { cost: COST, remaining_credits: round(this.credits) };
		const output = this.outputShape === 'array' ? [imageUrl] : this.outputShape === 'images' ? undefined : imageUrl;
		const answer = {
			status: 'COMPLETED',
			error: null,
			output,
			images: [{ url: imageUrl, content_type: 'image/jpeg', file_name: `${id}.jpg`, file_size: this.outputs.get(id).length }],
			seed: job.seed,
			metrics: { ...metrics, ...billing },
		};
		if (fault === 'truncate') return truncated(res, null, json(), Buffer.from(JSON.stringify(answer)));
		if (fault === 'not-image') return send(200, { 'content-type': 'text/html' }, '<html><body>maintenance</body></html>');
		return this.later(fault, res, () => send(200, json(), answer));
	}

	imageAnswer(id, fault, send, res) {
		const image = this.outputs.get(id);
		if (!image) return send(404, { 'content-type': 'text/plain' }, 'Not Found');
		if (fault === 'not-image') return send(200, { 'content-type': 'image/jpeg' }, '<html><body>Access denied</body></html>');
		if (fault === 'huge') return hugeBody(res);
		if (fault === 'truncate') return truncated(res, null, { 'content-type': 'image/jpeg' }, image);
		return this.later(fault, res, () => send(200, { 'content-type': 'image/jpeg' }, image));
	}

	later(fault, res, answer) {
		const slow = /^slow:(\d+)$/.exec(fault || '');
		if (!slow) return answer();
		setTimeout(() => {
			if (!res.destroyed) answer();
		}, Number(slow[1]));
	}

	charge(job) {
		if (job.charged) return;
		job.charged = true;
		this.credits -= COST;
	}

	/** A sticker-like picture at the requested size whose colours derive from the input photo, prompt and seed. */
	render(job) {
		const width = job.params.width ?? 1024;
		const height = job.params.height ?? 1024;
		const digest = crypto.createHash('sha256').update(String(job.params.image)).update(String(job.params.prompt)).update(String(job.seed)).digest();
		const face = [digest[0], digest[1], digest[2]];
		const background = [255 - digest[3] / 2, 255 - digest[4] / 2, 255 - digest[5] / 2];
		const cx = width / 16;
		const cy = height / 16;
		const radius = Math.min(cx, cy) * 0.8;
		return encodeBlockJpeg(width, height, (bx, by) => {
			const d = Math.hypot(bx + 0.5 - cx, by + 0.5 - cy);
			if (d < radius - 1) return face;
			if (d < radius) return [255, 255, 255];
			return background;
		});
	}

	control(url, body, req, res) {
		if (url.pathname === '/__emulator/requests') return respond(res, 200, json(), { summary: this.summary(), requests: this.requests });
		if (url.pathname === '/__emulator/reset' && req.method === 'POST') {
			this.reset();
			return respond(res, 200, json(), { ok: true });
		}
		if (url.pathname === '/__emulator/config' && req.method === 'POST') {
			const { faults = [], ...options } = tryJson(body) || {};
			this.configure(options);
			for (const fault of faults) this.addFault(fault);
			return respond(res, 200, json(), { ok: true });
		}
		return respond(res, 404, json(), { error: 'unknown control path' });
	}
}

function validate(params) {
	for (const key of Object.keys(params)) {
		if (key !== 'image' && !(key in MODEL_PARAMETERS)) return `Unknown parameter: ${key}`;
	}
	if (params.image === undefined) return 'image is required';
	if (typeof params.image !== 'string') return 'image must be a string';
	if (/^https?:\/\//i.test(params.image)) {
		try {
			new URL(params.image);
		} catch {
			return 'image must be a valid URL';
		}
	} else {
		const bytes = Buffer.from(params.image.replace(/^data:image\/[a-z]+;base64,/i, ''), 'base64');
		if (!isImage(bytes)) return 'image must be an http(s) URL or base64 of a JPEG, PNG or WebP image';
	}
	for (const [key, type] of Object.entries(MODEL_PARAMETERS)) {
		const value = params[key];
		if (value === undefined) continue;
		if (type === 'string' && typeof value !== 'string') return `${key} must be a string`;
		if (type === 'boolean' && typeof value !== 'boolean') return `${key} must be a boolean`;
		if (type === 'integer' && !Number.isInteger(value)) return `${key} must be an integer`;
		if ((type === 'number' || type === 'unit') && (typeof value !== 'number' || !Number.isFinite(value))) return `${key} must be a number`;
		if (type === 'unit' && (value < 0 || value > 1)) return `${key} must be between 0 and 1`;
	}
	if (params.seed !== undefined && (params.seed < -1 || params.seed > 4294967295)) return 'seed is out of range';
	for (const key of ['width', 'height']) {
		if (params[key] !== undefined && (params[key] < 64 || params[key] > 4096)) return `${key} is out of range`;
	}
	return undefined;
}

function isImage(bytes) {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return true;
	if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
	return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
}

function describeImage(image) {
	if (typeof image !== 'string') return image;
	if (/^https?:\/\//i.test(image)) return image;
	return `base64:${image.length}:${crypto.createHash('sha256').update(image).digest('hex').slice(0, 16)}`;
}

function readBody(req) {
	return new Promise((resolve) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', () => resolve(Buffer.concat(chunks)));
	});
}

function tryJson(buffer) {
	try {
		return JSON.parse(buffer.toString('utf8'));
	} catch {
		return undefined;
	}
}

function json() {
	return { 'content-type': 'application/json' };
}

function respond(res, status, headers, payload) {
	if (res.destroyed || res.headersSent) return;
	const body = Buffer.isBuffer(payload) ? payload : typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(JSON.stringify(payload));
	res.writeHead(status, { ...headers, 'content-length': body.length });
	res.end(body);
}

function truncated(res, record, headers, payload) {
	if (record) record.status = 200;
	res.writeHead(200, { ...headers, 'content-length': payload.length });
	res.write(payload.subarray(0, Math.floor(payload.length / 2)));
	setTimeout(() => res.destroy(), 20);
}

function hugeBody(res) {
	const size = 60 * 1024 * 1024;
	res.writeHead(200, { 'content-type': 'image/jpeg' });
	const chunk = Buffer.alloc(1024 * 1024, 0);
	chunk[0] = 0xff;
	chunk[1] = 0xd8;
	chunk[2] = 0xff;
	let sent = 0;
	const pump = () => {
		while (sent < size) {
			sent += chunk.length;
			if (!res.write(chunk)) return res.once('drain', pump);
		}
		res.end();
	};
	res.on('error', () => {});
	pump();
}

function round(value) {
	return Math.round(value * 1e6) / 1e6;
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { SegmindEmulator, DEFAULT_KEY, COST };
