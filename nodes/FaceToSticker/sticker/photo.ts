import type { IDataObject } from 'n8n-workflow';

import type { PhotoPreparer } from './photoPreparation';
import { detectImageType } from '../helpers/binary';
import type { CreateTask, JobState, PhotoRoute } from '../helpers/interfaces';
import type { RetryingExchange } from '../transport/exchange';
import { CHEAP_POST_POLICY } from '../transport/exchange';
import { serializeUploadBody } from '../transport/requestBodies';
import type { HttpResponse } from '../transport/response';
import { errorDetail, parseJsonBody } from '../transport/response';

/** The upload answer is a short JSON list of URLs. */
const MAX_UPLOAD_ANSWER_BYTES = 64 * 1024;

/**
 * Sends a job's face photo to Segmind the way the Photo Upload option says: a URL as it is; a binary photo as
 * base64 in the request (inline), or uploaded to Segmind's storage first and passed as its URL (upload), or
 * inline with a fall-back to upload when Segmind refuses the base64 (auto). One per execution: once Segmind has
 * refused base64, every later job of the execution uploads straight away.
 */
export class PhotoSender {
	private inlineRefused = false;

	constructor(
		private readonly exchange: RetryingExchange,
		private readonly photos: PhotoPreparer,
	) {}

	/**
	 * Calls `send` with the photo as the `image` field (and again at most once, after an upload); says how the
	 * photo went and what its preparation did.
	 */
	async send(
		task: CreateTask,
		job: JobState,
		send: (image: string | Buffer) => Promise<HttpResponse>,
	): Promise<{ response: HttpResponse; route: PhotoRoute; photo?: IDataObject }> {
		if (task.image.source === 'url') return { response: await send(task.image.url), route: 'url' };
		const prepared = await this.photos.photoFor(task, job.itemIndex);
		const photo = prepared.bytes;
		const about = prepared.record ? { photo: prepared.record } : {};
		if (task.photoUpload === 'upload' || (task.photoUpload === 'auto' && this.inlineRefused)) {
			return { response: await send(await this.upload(job, photo)), route: 'upload', ...about };
		}
		const response = await send(photo);
		if (task.photoUpload === 'inline' || !refusesInlinePhoto(response)) return { response, route: 'inline', ...about };
		// A 400 is not billed: upload the photo and submit once more, with its URL.
		this.inlineRefused = true;
		job.requestId = undefined;
		job.lastProblem = `Segmind refused the photo as base64 (HTTP ${response.statusCode}: ${errorDetail(response)})`;
		return { response: await send(await this.upload(job, photo)), route: 'upload', ...about };
	}

	/** Uploads the photo to Segmind's storage, as Segmind's own SDK does, and returns its URL there. */
	async upload(job: JobState, photo: Buffer): Promise<string> {
		const mimeType = detectImageType(photo)?.mimeType ?? 'image/jpeg';
		const response = await this.exchange.exchange('upload', job, CHEAP_POST_POLICY, {
			method: 'POST',
			url: this.exchange.transport.uploadUrl('/upload-asset'),
			body: serializeUploadBody(photo, mimeType),
			timeoutMs: job.settings.timeoutMs,
			maxBodyBytes: MAX_UPLOAD_ANSWER_BYTES,
		});
		if (response.statusCode < 200 || response.statusCode >= 300) throw this.exchange.errors.response(response, 'upload', job);
		const url = uploadedUrl(parseJsonBody(response));
		if (!url) {
			throw this.exchange.errors.job(
				job,
				'Segmind\'s upload service returned no URL for the photo',
				`Nothing was generated, so nothing was charged. Check the credential's Upload URL, or set Photo Upload (under Options) to Inline. It answered: "${errorDetail(response)}"`,
				response.statusCode,
			);
		}
		return url;
	}
}

/** `{"urls": [...]}`, or `{"file_urls": [...]}` as some SDK versions print it. */
function uploadedUrl(answer: IDataObject | undefined): string | undefined {
	for (const key of ['urls', 'file_urls']) {
		const list = answer?.[key];
		const first = Array.isArray(list) ? list[0] : list;
		if (typeof first === 'string' && /^https?:\/\//i.test(first.trim())) return first.trim();
	}
	return undefined;
}

/**
 * Whether Segmind turned the request down because of how the image was given: a 400 (or v1's 422 validation
 * error) whose message is about the image field, not about the face in it. Such answers are not billed.
 */
export function refusesInlinePhoto(response: HttpResponse): boolean {
	if (response.statusCode !== 400 && response.statusCode !== 422) return false;
	const detail = errorDetail(response);
	return /image|base64|\buri\b|\burl\b/i.test(detail) && !/\bface\b/i.test(detail);
}
