'use strict';
// A Segmind face-to-sticker emulator: real HTTP servers on 127.0.0.1 that behave like the API described in
// ../shared/segmind-api.md, with faults on demand and a record of every request. Development tool only: it is
// not part of the npm package.
//
// Four origins, like the real service:
//   api     - the gateway (x-api-key required): /v1 and /v2 face-to-sticker, job status and result, credits,
//             and /v1/bg-removal-v2 (a real RGBA PNG cut out of the sticker it is given)
//   upload  - Segmind's storage service (x-api-key required), like workflows-api.segmind.com: /upload-asset
//             stores data URLs and answers their URLs on the images origin
//   images  - the output image host (no key), like images.segmind.com: stickers and uploaded assets
//   foreign - an origin that is not Segmind's: it serves the same job and image paths and records any key it
//             receives, for tests that prove the key never leaves the API origin
//
// Faults: `addFault({ on, action, count, promptIncludes })` or a `faultHook(kind, context)` function.
//   on:     submit | status | result | image | direct | credits | bg-removal | upload | asset | any
//   action: 429 | 429-no-reset | 400 | 401 | 402-credits | 403 | 404 | 405 | 406-credits | 406-content-type | 406-spend
//           | 410 | 500 | 502 | 503 | 504 | drop (connection closed, request not taken)
//           | drop-after-accept (submit/direct: the job is taken and billed, then the connection closes)
//           | slow:<ms> (the answer comes that much later; submit/direct: the job is taken first)
//           | truncate (body cut short) | not-image (200 with an HTML page) | huge (200 image/jpeg, 60 MB)
//           | fail-job (submit: accepted, then the job ends FAILED) | redirect-foreign (302 to the foreign origin)

const http = require('http');
const crypto = require('crypto');
const { encodeJpeg } = require('./jpeg');
const { encodeRgbaPng, encodePixels } = require('./png');
const { decodePhoto } = require('./photo');
const { faceModel } = require('./face-model');
const { drawFlatSticker, drawSticker, styleOf } = require('./sticker-art');

const DEFAULT_KEY = 'SG_emulator0key0001';
const COST = 0.0866;
const BG_REMOVAL_COST = 0.001;
/** Face models (one a photo) and drawn stickers (by job) the emulator keeps, the oldest forgotten first. */
const MODEL_CACHE = 16;
const DRAWN_CACHE = 4;
const BASE64_REFUSED = 'image must be a valid URI (http or https URL); base64 image data is not accepted';
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
		this.configure({
			latencyMs: 300,
			bgLatencyMs: 100,
			credits: 1000,
			rateLimitPerMinute: 0,
			concurrentLimit: 0,
			outputShape: 'string',
			urlsOrigin: 'api',
			refuseBase64: false,
			uploadAnswerKey: 'urls',
			invalidKeyBody: 'message',
			latencyJitterMs: 0,
			latencySeed: 1,
			rateLimitCounts: 'all',
			...options,
		});
		this.servers = {};
		this.origins = {};
		this.sockets = new Set();
		this.models = new Map();
		this.drawn = new Map();
		this.reset();
	}

	/** Changes behaviour between runs: latencyMs, bgLatencyMs, credits, noBalanceRecord, rateLimitPerMinute,
	 * outputShape ('string' | 'array' | 'images'), urlsOrigin ('api' | 'foreign'), directFormat ('jpeg' | 'json'),
	 * refuseBase64 (a photo sent as base64 gets Segmind's 400), uploadAnswerKey ('urls' | 'file_urls'),
	 * concurrentLimit (generations at once, like a plan's limit: a submit or direct call beyond it gets a 429),
	 * invalidKeyBody ('message' | 'envelope': which of Segmind's two documented 401 bodies a wrong key gets),
	 * latencyJitterMs (each generation takes latencyMs ± up to this, evenly spread, drawn from latencySeed: the
	 * same seed gives the same latencies after every reset), rateLimitCounts ('all': every API request counts
	 * toward rateLimitPerMinute; 'work': only submits, direct calls and background removals do). An empty
	 * balance gets 402 on a v2 submit (as Segmind's v2 answers) and 406 on v1. simplePictures: a flat disc for every
	 * sticker instead of one drawn from the photo, for load tests where hundreds of jobs must not hold the emulator's loop. */
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
		/** sha256 of every sticker made -> the job, so background removal knows which picture it was given. */
		this.madeBy = new Map();
		/** { requestId, width, height, cpuMs } of each sticker drawn. */
		this.renders = [];
		this.assets = new Map();
		this.window = [];
		/** Generations in progress: direct calls not yet answered, and queued jobs until their latency has passed. */
		this.generating = new Set();
		this.foreignKeysReceived = [];
		this.seq = 0;
		this.nextLatency = seededRandom(this.latencySeed);
	}

	/** This generation's latency: latencyMs, spread by latencyJitterMs when set. */
	drawLatency() {
		const spread = (this.nextLatency() * 2 - 1) * (this.latencyJitterMs || 0);
		return Math.max(0, Math.round(this.latencyMs + spread));
	}

	addFault(fault) {
		this.faults.push({ count: Number.POSITIVE_INFINITY, ...fault });
	}

	async start() {
		for (const name of ['api', 'upload', 'images', 'foreign']) {
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
			refusedBase64: count((r) => r.refusedBase64),
			uploads: count((r) => r.kind === 'upload' && r.status === 200),
			billedBgRemovals: count((r) => r.kind === 'bg-removal' && r.billed),
			statusPolls: count((r) => r.kind === 'status'),
			rateLimited: count((r) => r.status === 429),
			faults: this.requests.filter((r) => r.fault).reduce((acc, r) => ({ ...acc, [r.fault]: (acc[r.fault] || 0) + 1 }), {}),
		};
	}

	// --- request handling -------------------------------------------------------------------------------

	async handle(originName, req, res) {
		const arrived = Date.now();
		const body = await readBody(req);
		const url = new URL(req.url, 'http://x');
		const record = {
			seq: ++this.seq,
			at: Date.now(),
			/** ms from the request's head to the end of its body */
			bodyMs: Date.now() - arrived,
			origin: originName,
			method: req.method,
			path: url.pathname,
			kind: 'other',
			hasKey: Boolean(req.headers['x-api-key']),
			keyValid: req.headers['x-api-key'] === this.apiKey,
			status: 0,
		};
		// The key belongs to the API and upload origins only: anything else that receives it is a leak.
		if (originName !== 'api' && originName !== 'upload' && record.hasKey) this.foreignKeysReceived.push({ origin: originName, path: url.pathname });
		this.requests.push(record);
		// When the answer left (finish) or the client went away first (close without finish): tests tell a late
		// or lost answer from one the client had in time.
		res.on('finish', () => { record.answeredMs = Date.now() - record.at; });
		res.on('close', () => { if (!res.writableFinished) record.clientGone = true; });

		if (originName === 'api' && url.pathname.startsWith('/__emulator/')) return this.control(url, body, req, res);

		const route = this.route(originName, req.method, url.pathname);
		record.kind = route.kind;
		const parsed = ['submit', 'direct', 'bg-removal'].includes(route.kind) ? tryJson(body) : undefined;
		record.prompt = parsed && typeof parsed.prompt === 'string' ? parsed.prompt : undefined;
		record.body = parsed ? { ...parsed, image: describeImage(parsed.image) } : undefined;
		// Which photo a generation was made from, whatever route it came by (base64 or an uploaded asset's URL).
		if (parsed && (route.kind === 'submit' || route.kind === 'direct')) {
			record.photo = this.photoIdentity(parsed.image);
			this.keepReceivedPhoto(record.photo, this.photoBytes(parsed.image));
		}

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

		if ((originName === 'api' || originName === 'upload') && route.kind !== 'unrouted') {
			if (!record.hasKey) return send(401, json(), { error: 'Missing Authorization or x-api-key in header' });
			if (!record.keyValid) {
				// segmind-api.md documents two 401 bodies and does not say which the model routes send.
				if (this.invalidKeyBody === 'envelope') {
					return send(401, json(), { error: 'invalid_api_key', error_description: 'The API key is invalid or has been revoked', status_code: 401 });
				}
				return send(401, json(), {
					error: 'Unauthorized. API key is invalid or may have expired. Please check your API key at https://cloud.segmind.com/console/api-keys',
				});
			}
			const busy = originName === 'api' && (route.kind === 'submit' || route.kind === 'direct') ? this.generationLimit() : undefined;
			if (busy) return send(429, { ...json(), 'x-rate-limit-reset-at-utc': busy }, { error: 'rate_limit_exceeded: too many concurrent generations' });
			const counted = this.rateLimitCounts !== 'work' || ['submit', 'direct', 'bg-removal'].includes(route.kind);
			const limited = originName === 'api' && counted ? this.rateLimit() : undefined;
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
			case 'asset':
				return this.assets.has(route.id)
					? send(200, { 'content-type': this.assets.get(route.id).mimeType }, this.assets.get(route.id).bytes)
					: send(404, { 'content-type': 'text/plain' }, 'Not Found');
			case 'upload':
				return this.upload(body, send);
			case 'bg-removal':
				return this.removeBackground(body, record, fault, send, res);
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
		if (originName === 'api' && path === '/v1/bg-removal-v2') return method === 'POST' ? { kind: 'bg-removal' } : { kind: 'method-not-allowed' };
		if (originName === 'upload' && path === '/upload-asset' && method === 'POST') return { kind: 'upload' };
		if ((match = /^\/assets\/([^/]+)$/.exec(path)) && method === 'GET' && originName === 'images') return { kind: 'asset', id: match[1] };
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
		if (action === '402-credits') return send(402, json(), { error: `Insufficient credits. You have ${round(Math.max(0, this.credits))} credits.` });
		if (action === '406-credits') return send(406, { 'content-type': 'text/plain' }, `Insufficient credits. Your balance is ${round(this.credits)}, this call needs ${COST}.`);
		if (action === '406-content-type') return send(406, { 'content-type': 'text/plain' }, 'Invalid content type');
		if (action === '406-spend') return send(406, json(), { error: 'Team spend limit reached: 10 credits per day' });
		if (status === 405) return send(405, { 'content-type': 'text/html' }, HTML_405);
		const messages = { 400: 'Bad request', 401: 'Unauthorized', 403: 'Model access is restricted for your team', 404: 'Model not found', 410: 'This model has been retired', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable', 504: 'Gateway timeout' };
		if (status >= 502) return send(status, { 'content-type': 'text/html' }, `<html><head><title>${status} ${messages[status]}</title></head><body></body></html>`);
		return send(status, json(), { error: messages[status] || 'Error' });
	}

	/** With a concurrent limit, the time the earliest running generation ends, when every slot is taken. */
	generationLimit() {
		if (!this.concurrentLimit) return undefined;
		const now = Date.now();
		for (const generation of this.generating) if (generation.endsAt <= now) this.generating.delete(generation);
		if (this.generating.size < this.concurrentLimit) return undefined;
		return new Date(Math.min(...[...this.generating].map((g) => g.endsAt))).toISOString();
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
		if (this.refuseBase64 && typeof params.image === 'string' && !/^https?:\/\//i.test(params.image)) {
			record.refusedBase64 = true;
			return send(400, json(), { error: BASE64_REFUSED });
		}
		const invalid = validate(params);
		if (invalid) return send(422, json(), { error: invalid });
		if (this.credits < COST) {
			if (kind === 'submit') return send(402, json(), { error: `Insufficient credits. You have ${round(Math.max(0, this.credits))} credits.` });
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

		job.latencyMs = this.drawLatency();
		const generation = { endsAt: Date.now() + job.latencyMs };
		this.generating.add(generation);
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
		await sleep(job.latencyMs);
		this.generating.delete(generation);
		if (job.fail) return send(500, json(), { error: 'Generation failed: no face detected in the image' });
		if (fault === 'drop-after-accept') {
			this.charge(job);
			record.billed = true;
			return req.socket.destroy();
		}
		const image = this.render(job);
		this.outputs.set(id, image);
		this.charge(job);
		record.billed = true;
		const headers = {
			'x-cost': String(COST),
			'X-Remaining-Credits': String(round(this.credits)),
			'x-generation-time': (job.latencyMs / 1000).toFixed(2),
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
		const queueMs = Math.floor(job.latencyMs / 3);
		const state = elapsed < queueMs ? 'QUEUED' : elapsed < job.latencyMs ? 'PROCESSING' : job.fail ? 'FAILED' : 'COMPLETED';
		const base = originName === 'foreign' || this.urlsOrigin === 'foreign' ? this.origins.foreign : this.origins.api;
		const metrics = {
			inference_time: round((job.latencyMs - queueMs) / 1000),
			queue_time: round(queueMs / 1000),
			total_time: round(job.latencyMs / 1000),
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

	/**
	 * The sticker a job makes, drawn from its photo at the requested size: { width, height, rgb, fg, alpha }
	 * (sticker-art.js). The face is posterised from the photo (face-model.js); the seed picks the background and a
	 * hue shift (a pack shares them), the prompt the outline's wobble and a badge by its expression words. The
	 * last few are kept for background removal.
	 */
	picture(job) {
		if (this.drawn.has(job.id)) return this.drawn.get(job.id);
		const width = job.params.width ?? 1024;
		const height = job.params.height ?? 1024;
		const identity = this.photoIdentity(job.params.image);
		if (this.simplePictures) {
			const digest = crypto.createHash('sha256').update(identity).update(`\0${job.seed}\0${job.params.prompt}`).digest();
			const flat = drawFlatSticker(width, height, [digest[0], digest[1], digest[2]], [255 - (digest[3] >> 1), 255 - (digest[4] >> 1), 255 - (digest[5] >> 1)]);
			remember(this.drawn, job.id, flat, DRAWN_CACHE);
			return flat;
		}
		const seedDigest = crypto.createHash('sha256').update(identity).update(`\0${job.seed}`).digest();
		const promptDigest = crypto.createHash('sha256').update(identity).update(`\0${job.seed}\0${job.params.prompt}`).digest();
		const style = styleOf(seedDigest, promptDigest, job.params.prompt);
		const picture = drawSticker(this.faceModelOf(job.params.image, identity), width, height, style);
		remember(this.drawn, job.id, picture, DRAWN_CACHE);
		return picture;
	}

	/** The photo's face model, made once a photo (by its identity) and kept in a bounded cache. */
	faceModelOf(image, identity) {
		if (this.models.has(identity)) return this.models.get(identity);
		const bytes = this.photoBytes(image);
		const photo = bytes ? decodePhoto(bytes) : undefined;
		const model = faceModel(photo, crypto.createHash('sha256').update(identity).digest());
		remember(this.models, identity, model, MODEL_CACHE);
		return model;
	}

	/**
	 * The last photos generations were asked for, by identity (record.photo), bytes as received: what a test checks
	 * left n8n (upright, scaled, no GPS). At most 8, the oldest forgotten first.
	 */
	keepReceivedPhoto(identity, bytes) {
		if (!bytes) return;
		this.receivedPhotos ??= new Map();
		this.receivedPhotos.delete(identity);
		this.receivedPhotos.set(identity, bytes);
		if (this.receivedPhotos.size > 8) this.receivedPhotos.delete(this.receivedPhotos.keys().next().value);
	}

	/** The bytes of the photo a request (its record.photo) was made from, as Segmind received them. */
	receivedPhoto(identity) {
		return this.receivedPhotos?.get(identity);
	}

	/** The photo's bytes when the emulator has them (base64, a data URL or one of its own assets). */
	photoBytes(image) {
		if (typeof image !== 'string') return undefined;
		const asset = /\/assets\/([^/?#]+)$/.exec(image);
		if (asset) return this.assets.get(asset[1])?.bytes;
		if (/^https?:\/\//i.test(image)) return undefined;
		return Buffer.from(image.replace(/^data:image\/[a-z]+;base64,/i, ''), 'base64');
	}

	render(job) {
		const before = process.cpuUsage();
		const { width, height, rgb } = this.picture(job);
		const image = encodeJpeg(width, height, rgb, { quality: 90 });
		this.madeBy.set(sha256(image), job);
		const used = process.cpuUsage(before);
		// CPU spent drawing and encoding each sticker, for tests and benchmarks (the last 1000).
		this.renders.push({ requestId: job.id, width, height, cpuMs: (used.user + used.system) / 1000 });
		if (this.renders.length > 1000) this.renders.shift();
		return image;
	}

	/** The same photo gives the same sticker, whether it came as base64 or as an uploaded asset's URL. */
	photoIdentity(image) {
		if (typeof image !== 'string') return String(image);
		const asset = /\/assets\/([^/?#]+)$/.exec(image);
		if (asset && this.assets.has(asset[1])) return sha256(this.assets.get(asset[1]).bytes);
		if (/^https?:\/\//i.test(image)) return image;
		return sha256(Buffer.from(image.replace(/^data:image\/[a-z]+;base64,/i, ''), 'base64'));
	}

	/** Segmind's storage: `{"data_urls": [...]}` -> `{"urls": [...]}` on the images origin. */
	upload(body, send) {
		const parsed = tryJson(body);
		const dataUrls = parsed && Array.isArray(parsed.data_urls) ? parsed.data_urls : undefined;
		if (!dataUrls || dataUrls.length === 0) return send(400, json(), { error: 'data_urls is required' });
		const urls = [];
		for (const dataUrl of dataUrls) {
			const match = /^data:(image\/[a-z]+);base64,(.*)$/is.exec(String(dataUrl));
			const bytes = match ? Buffer.from(match[2], 'base64') : Buffer.alloc(0);
			if (!match || !isImage(bytes)) return send(400, json(), { error: 'each data URL must hold a base64 JPEG, PNG or WebP image' });
			const id = `${crypto.randomUUID()}.${match[1].split('/')[1].replace('jpeg', 'jpg')}`;
			this.assets.set(id, { bytes, mimeType: match[1] });
			urls.push(`${this.origins.images}/assets/${id}`);
		}
		return send(200, json(), { [this.uploadAnswerKey]: urls });
	}

	/** Background Removal V2: a PNG of the same size, the sticker (rim included) opaque with a 1.5 px soft edge,
	 * its background transparent. */
	async removeBackground(body, record, fault, send, res) {
		const params = tryJson(body);
		if (!params || typeof params.image !== 'string') return send(400, json(), { error: 'image is required' });
		let input;
		if (/^https?:\/\//i.test(params.image)) {
			const output = /\/outputs\/([^/]+)\.jpg$/.exec(params.image);
			const asset = /\/assets\/([^/?#]+)$/.exec(params.image);
			input = output ? this.outputs.get(output[1]) : asset ? this.assets.get(asset[1])?.bytes : undefined;
			if (!input) return send(400, json(), { error: 'image could not be downloaded' });
		} else {
			input = Buffer.from(params.image, 'base64');
			if (!isImage(input)) return send(400, json(), { error: 'image must be an http(s) URL or base64 of an image' });
		}
		if (this.credits < BG_REMOVAL_COST) return send(406, { 'content-type': 'text/plain' }, `Insufficient credits. Your balance is ${round(this.credits)}, this call needs ${BG_REMOVAL_COST}.`);
		await sleep(this.bgLatencyMs);
		const job = this.madeBy.get(sha256(input));
		const source = sha256(input);
		let png;
		if (job) {
			// The sticker's own colours, its silhouette's coverage as alpha: the rim included, soft at the edge.
			const { width, height, fg, alpha } = this.picture(job);
			png = encodePixels(width, height, fg, { 'source-sha256': source, 'request-id': job.id }, alpha);
		} else {
			// An image the emulator did not make: its own pixels at its own size, an ellipse around the middle kept
			// with a soft edge; a 64 x 64 disc when it cannot be read.
			const photo = decodePhoto(input);
			if (photo) {
				png = encodePixels(photo.width, photo.height, photo.rgb, { 'source-sha256': source }, ellipseAlpha(photo.width, photo.height));
			} else {
				const digest = Buffer.from(source, 'hex');
				png = encodeRgbaPng(64, 64, (x, y) => (Math.hypot(x - 31.5, y - 31.5) < 24 ? [digest[0], digest[1], digest[2], 255] : [0, 0, 0, 0]), { 'source-sha256': source });
			}
		}
		this.credits -= BG_REMOVAL_COST;
		record.billed = true;
		record.source = source;
		const headers = {
			'content-type': 'image/png',
			'x-cost': String(BG_REMOVAL_COST),
			'x-remaining-credits': String(round(this.credits)),
			'x-request-id': crypto.randomUUID(),
		};
		if (fault === 'not-image') return send(200, { 'content-type': 'text/html' }, '<html><body>maintenance</body></html>');
		return this.later(fault, res, () => send(200, headers, png));
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

/** Coverage of an ellipse filling 84 % x 90 % of a picture, with a 1.5 px soft edge, a byte a pixel. */
function ellipseAlpha(width, height) {
	const alpha = new Uint8Array(width * height);
	const [rx, ry] = [width * 0.42, height * 0.45];
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const qx = (x + 0.5 - width / 2) / rx;
			const qy = (y + 0.5 - height / 2) / ry;
			const rho = Math.sqrt(qx * qx + qy * qy);
			const gradient = Math.sqrt((qx / rx) ** 2 + (qy / ry) ** 2) / (rho || 1);
			const d = (rho - 1) / gradient;
			alpha[y * width + x] = Math.round(255 * Math.max(0, Math.min(1, 0.5 - d / 1.5)));
		}
	}
	return alpha;
}

/** Sets a key in a map used as a cache of at most `limit` entries, forgetting the oldest. */
function remember(map, key, value, limit) {
	map.delete(key);
	map.set(key, value);
	while (map.size > limit) map.delete(map.keys().next().value);
}

/** mulberry32: a small seeded generator, so a run's latencies can be replayed exactly. */
function seededRandom(seed) {
	let a = Number(seed) >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
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

function sha256(bytes) {
	return crypto.createHash('sha256').update(bytes).digest('hex');
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

module.exports = { SegmindEmulator, DEFAULT_KEY, COST, BG_REMOVAL_COST, BASE64_REFUSED, seededRandom };
