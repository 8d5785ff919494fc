import type { IDataObject } from 'n8n-workflow';

import { detectImageType, formatBytes } from '../helpers/binary';
import type { ImageBytes, ImageRef, JobState } from '../helpers/interfaces';
import { LIMITS } from '../helpers/limits';
import type { RetryingExchange } from '../transport/exchange';
import { READ_POLICY } from '../transport/exchange';
import type { HttpResponse } from '../transport/response';
import { errorDetail, parseJsonBody } from '../transport/response';

/**
 * Gets images out of Segmind's answers: downloads output URLs (through the retry engine, without the key
 * unless the URL is on a key origin), decodes base64, and checks that what came back is an image.
 */
export class ResultImages {
	constructor(private readonly exchange: RetryingExchange) {}

	/** A result's image, downloaded or decoded. */
	async fetch(job: JobState, ref: ImageRef): Promise<ImageBytes> {
		if (ref.base64) return this.check(job, Buffer.from(ref.base64, 'base64'), 'The result');
		const url = ref.url as string;
		const response = await this.exchange.exchange('download', job, READ_POLICY, {
			method: 'GET',
			url,
			timeoutMs: job.settings.timeoutMs,
			maxBodyBytes: LIMITS.outputImageBytes,
		});
		if (response.statusCode === 404 || response.statusCode === 410) {
			throw this.exchange.errors.job(
				job,
				`The sticker image is no longer available at ${url}`,
				'Segmind keeps output images for 7 days. Generate the sticker again.',
				response.statusCode,
			);
		}
		if (response.statusCode !== 200) throw this.exchange.errors.response(response, 'download', job);
		return this.check(job, response.body, `The download from ${url}`);
	}

	/** A v1 answer: the image bytes themselves, or (like other Segmind models with base64 on) JSON carrying it. */
	async fromAnswer(job: JobState, response: HttpResponse): Promise<ImageBytes> {
		if (detectImageType(response.body)) return this.check(job, response.body, 'Segmind\'s answer');
		const json = parseJsonBody(response);
		const ref = json ? extractOutput(json) : undefined;
		if (ref) return await this.fetch(job, ref);
		const what = response.headers['content-type'] || 'unknown content';
		throw this.exchange.errors.job(
			job,
			`Segmind answered with ${what} instead of an image`,
			`Nothing usable came back. Segmind answered: "${errorDetail(response)}"`,
			response.statusCode,
		);
	}

	check(job: JobState, bytes: Buffer, source: string): ImageBytes {
		const type = detectImageType(bytes);
		if (!type) {
			throw this.exchange.errors.job(
				job,
				`${source} is not an image (${formatBytes(bytes.length)} of other data)`,
				'Segmind returned something that is not a JPEG, PNG or WebP image; nothing was stored. Try again, and report it to Segmind if it persists.',
			);
		}
		if (bytes.length > LIMITS.outputImageBytes) throw this.exchange.errors.tooLarge(job);
		return { bytes, type };
	}
}

/** Finds the image in a result: `output` as a URL, a list or an object, `images[]`, `image`, or base64 data. */
export function extractOutput(result: IDataObject): ImageRef | undefined {
	const candidates: unknown[] = [];
	const push = (value: unknown) => (Array.isArray(value) ? candidates.push(...value) : candidates.push(value));
	push(result.output);
	push(result.images);
	push(result.image);
	for (const candidate of candidates) {
		const value =
			candidate && typeof candidate === 'object' ? (candidate as IDataObject).url ?? (candidate as IDataObject).image : candidate;
		if (typeof value !== 'string' || !value.trim()) continue;
		const text = value.trim();
		if (/^https?:\/\//i.test(text)) return { url: text };
		if (/^data:image\/[a-z+.-]+;base64,/i.test(text)) return { base64: text.slice(text.indexOf(',') + 1) };
		if (text.length > 64 && /^[A-Za-z0-9+/=\r\n]+$/.test(text)) return { base64: text };
	}
	return undefined;
}

export function numberOrNull(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : null;
	}
	return null;
}
