import type { IDataObject } from 'n8n-workflow';

/** One HTTP exchange as the transport sees it: status, lower-cased headers and the raw body bytes. */
export interface HttpResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: Buffer;
}

/**
 * A request that got no HTTP answer. `maySucceedOnServer` is true when the request may have reached Segmind
 * before the connection failed: a POST that failed that way may have started (and been billed for) a job.
 */
export class NetworkFailure extends Error {
	constructor(
		message: string,
		readonly code: string,
		readonly maySucceedOnServer: boolean,
		readonly timedOut: boolean,
	) {
		super(message);
		this.name = 'NetworkFailure';
	}
}

/** The body was larger than the call allows; the download was stopped there. */
export class BodyTooLarge extends Error {
	constructor(readonly limit: number) {
		super(`The response was larger than ${limit} bytes`);
		this.name = 'BodyTooLarge';
	}
}

const MAX_DETAIL_LENGTH = 300;

/** Parses a body as JSON when it is JSON, whatever the content type claims. */
export function parseJsonBody(response: HttpResponse): IDataObject | undefined {
	const text = response.body.toString('utf8').trim();
	if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
	try {
		const parsed = JSON.parse(text) as unknown;
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * What the server said, in one line: the `error` of Segmind's JSON envelope (or of the OAuth-style one), a
 * plain-text body, or the title of an HTML page (405). Never assumes the body is JSON.
 */
export function errorDetail(response: HttpResponse): string {
	const json = parseJsonBody(response);
	if (json) {
		for (const key of ['error_description', 'error', 'message', 'detail', 'html-message']) {
			const value = json[key];
			if (typeof value === 'string' && value.trim()) return clip(value);
			if (value && typeof value === 'object' && typeof (value as IDataObject).message === 'string') {
				return clip((value as IDataObject).message as string);
			}
		}
		return clip(JSON.stringify(json));
	}
	const text = response.body.toString('utf8');
	if (/<html|<!doctype/i.test(text)) {
		const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1>([^<]*)<\/h1>/i.exec(text)?.[1];
		return clip(title?.trim() || 'an HTML error page');
	}
	return clip(text.replace(/\s+/g, ' ').trim());
}

function clip(text: string): string {
	return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}
