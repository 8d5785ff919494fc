import { createHash } from 'crypto';

import type { IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import type { AccountLimits } from './account';
import type { RequestPacer } from './pacer';
import type { HttpResponse } from './response';
import { BodyTooLarge, NetworkFailure } from './response';

export const CREDENTIAL_TYPE = 'segmindApi';
const DEFAULT_BASE_URL = 'https://api.segmind.com';
const DEFAULT_UPLOAD_URL = 'https://workflows-api.segmind.com';
const MAX_REDIRECTS = 5;

/** Where Segmind lives for this credential, and how to keep its key out of anything a user sees. */
export interface ApiEndpoint {
	baseUrl: string;
	origin: string;
	/** Segmind's storage service, where photos are uploaded (the key's only other origin). */
	uploadUrl: string;
	uploadOrigin: string;
	/** The account for the process-wide limits: the API origin and a SHA-256 of the key, never the key. */
	accountId: string;
	limits: AccountLimits;
	redact: (text: string) => string;
}

export async function readApiEndpoint(context: IExecuteFunctions): Promise<ApiEndpoint> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = credentialUrl(credentials.baseUrl, DEFAULT_BASE_URL);
	const uploadUrl = credentialUrl(credentials.uploadUrl, DEFAULT_UPLOAD_URL);
	const secret = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const origin = originOf(baseUrl);
	return {
		baseUrl,
		origin,
		uploadUrl,
		uploadOrigin: originOf(uploadUrl),
		accountId: `${origin} ${createHash('sha256').update(secret).digest('hex')}`,
		limits: {
			requestsPerMinute: limit(credentials.requestsPerMinute),
			maxConcurrentJobs: limit(credentials.maxConcurrentJobs),
			counting: credentials.requestsCounted === 'work' ? 'work' : 'all',
		},
		redact: (text) => redactSecret(text, secret),
	};
}

/** A plan limit from the credential: a whole number above 0, or 0 for no cap (older credentials lack the field). */
function limit(value: unknown): number {
	const number = typeof value === 'string' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) && number > 0 ? Math.floor(number) : 0;
}

function credentialUrl(value: unknown, fallback: string): string {
	const configured = typeof value === 'string' ? value.trim() : '';
	return (configured || fallback).replace(/\/+$/, '');
}

function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return '';
	}
}

export function redactSecret(text: string, secret: string): string {
	if (!secret || secret.length < 4) return text;
	return text.split(secret).join('***');
}

export interface SegmindRequest {
	method: IHttpRequestMethods;
	url: string;
	/** JSON bytes (see bodies.ts). */
	body?: Buffer;
	timeoutMs: number;
	/** Largest body accepted; the transfer stops past it. */
	maxBodyBytes: number;
}

/**
 * Speaks HTTP to Segmind. The API key (through n8n's credential helper) goes only to the credential's two
 * origins, the API and the upload service: status, result and image URLs on any other origin are fetched
 * without it, and redirects are followed here, hop by hop, so that a redirect to another origin cannot carry
 * the key along.
 */
export class SegmindTransport {
	constructor(
		private readonly context: IExecuteFunctions,
		readonly endpoint: ApiEndpoint,
		readonly pacer: RequestPacer,
	) {}

	apiUrl(path: string): string {
		return `${this.endpoint.baseUrl}${path}`;
	}

	/** Resolves a URL the API returned (absolute, or relative to the base URL). */
	resolve(url: string): string {
		return new URL(url, `${this.endpoint.baseUrl}/`).toString();
	}

	uploadUrl(path: string): string {
		return `${this.endpoint.uploadUrl}${path}`;
	}

	isApiOrigin(url: string): boolean {
		return new URL(url).origin === this.endpoint.origin;
	}

	/** The origins the key may go to: the credential's Base URL and Upload URL, nothing else. */
	isKeyOrigin(url: string): boolean {
		const origin = new URL(url).origin;
		return origin === this.endpoint.origin || (this.endpoint.uploadOrigin !== '' && origin === this.endpoint.uploadOrigin);
	}

	/** One exchange, redirects included. Resolves with any HTTP status; rejects only when no answer came. */
	async send(request: SegmindRequest): Promise<HttpResponse> {
		let url = this.resolve(request.url);
		for (let hop = 0; ; hop++) {
			const response = await this.sendOnce({ ...request, url });
			const location = response.headers.location;
			const redirected = response.statusCode >= 300 && response.statusCode < 400 && location;
			// Only reads follow redirects: a POST is never sent twice, whatever the server asks.
			if (!redirected || request.method !== 'GET' || hop >= MAX_REDIRECTS) return response;
			url = new URL(location, url).toString();
		}
	}

	private async sendOnce(request: SegmindRequest): Promise<HttpResponse> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: request.timeoutMs,
			headers: { accept: 'image/*, application/json;q=0.9, */*;q=0.5' },
			abortSignal: this.context.getExecutionCancelSignal?.(),
		};
		if (request.body !== undefined) {
			options.body = request.body;
			options.headers = { ...options.headers, 'content-type': 'application/json' };
		}
		let raw: unknown;
		try {
			raw = this.isKeyOrigin(request.url)
				? await this.context.helpers.httpRequestWithAuthentication.call(this.context, CREDENTIAL_TYPE, options)
				: await this.context.helpers.httpRequest(options);
		} catch (error) {
			throw toNetworkFailure(error, this.endpoint.redact);
		}
		return await readResponse(raw as RawFullResponse, request.maxBodyBytes).catch((error) => {
			if (error instanceof BodyTooLarge) throw error;
			throw toNetworkFailure(error, this.endpoint.redact);
		});
	}
}

interface RawFullResponse {
	statusCode?: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

async function readResponse(raw: RawFullResponse, maxBodyBytes: number): Promise<HttpResponse> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw.headers ?? {})) {
		if (value === undefined || value === null) continue;
		headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	const declared = Number(headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBodyBytes) {
		destroy(raw.body);
		throw new BodyTooLarge(maxBodyBytes);
	}
	return { statusCode: raw.statusCode ?? 0, headers, body: await readBody(raw.body, maxBodyBytes) };
}

async function readBody(body: unknown, maxBodyBytes: number): Promise<Buffer> {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body)) return checkSize(body, maxBodyBytes);
	if (body instanceof ArrayBuffer) return checkSize(Buffer.from(body), maxBodyBytes);
	if (typeof body === 'string') return checkSize(Buffer.from(body), maxBodyBytes);
	if (isAsyncIterable(body)) {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of body) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
			size += buffer.length;
			if (size > maxBodyBytes) {
				destroy(body);
				throw new BodyTooLarge(maxBodyBytes);
			}
			chunks.push(buffer);
		}
		return Buffer.concat(chunks);
	}
	return checkSize(Buffer.from(JSON.stringify(body)), maxBodyBytes);
}

function checkSize(buffer: Buffer, maxBodyBytes: number): Buffer {
	if (buffer.length > maxBodyBytes) throw new BodyTooLarge(maxBodyBytes);
	return buffer;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

function destroy(body: unknown) {
	const stream = body as { destroy?: () => void } | undefined;
	if (stream && typeof stream.destroy === 'function') stream.destroy();
}

const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/**
 * n8n wraps transport errors (NodeApiError around an AxiosError around a socket error), so the code can sit at
 * any depth. Only the code and a redacted message are kept: the original carries the request's headers.
 */
function toNetworkFailure(error: unknown, redact: (text: string) => string): NetworkFailure {
	let code = '';
	let timedOut = false;
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; reason?: unknown };
		if (!code && typeof candidate.code === 'string' && /^(E[A-Z_]+|ERR_[A-Z_]+)$/.test(candidate.code)) {
			code = candidate.code;
		}
		if (typeof candidate.message === 'string' && /timeout|timed out/i.test(candidate.message)) timedOut = true;
		current = candidate.cause ?? candidate.reason;
	}
	if (TIMEOUT_CODES.has(code)) timedOut = true;
	const message = error instanceof Error ? error.message : String(error);
	return new NetworkFailure(
		redact(message),
		code || (timedOut ? 'ETIMEDOUT' : 'ECONNRESET'),
		!NOT_CONNECTED_CODES.has(code),
		timedOut,
	);
}
