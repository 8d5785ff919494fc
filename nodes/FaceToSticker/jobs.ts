import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CallKind, HttpResponse } from './errors';
import { errorDetail, jobError, parseJsonBody, responseError, withRequestId } from './errors';
import type { ImageType } from './images';
import { detectImageType, formatBytes, readFaceImage, storeSticker } from './images';
import { LIMITS } from './limits';
import type { StopCheck } from './pacer';
import { pause } from './pacer';
import type { CallMode, CreateTask, ItemSettings, ItemTask } from './parameters';
import { serializeRequestBody } from './parameters';
import type { SegmindRequest, SegmindTransport } from './transport';
import { BodyTooLarge, NetworkFailure } from './transport';

/** JSON bodies (submit, status, result) are small; anything beyond this is not Segmind talking. */
const MAX_JSON_BYTES = 2 * 1024 * 1024;
const FIRST_RETRY_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 16_000;

/** How one call may be retried. Reads may always be; a POST only when the server surely did not take it. */
interface RetryPolicy {
	/** Statuses (besides 429, always waited out) that mean "not taken, try again". */
	retryStatus: (status: number) => boolean;
	/** Whether a request that got no answer may be sent again. */
	retryNetwork: (failure: NetworkFailure) => boolean;
	maxRetries: number;
}

const READ_POLICY: RetryPolicy = {
	retryStatus: (status) => status >= 500,
	retryNetwork: () => true,
	maxRetries: Number.POSITIVE_INFINITY,
};

// A 5xx or 429 answer to a POST means Segmind did not take the job (only 200 is billed). A connection that
// failed after the request went out may have started a billed job, so that POST is never resent.
const SUBMIT_POLICY: RetryPolicy = {
	retryStatus: (status) => status >= 500,
	retryNetwork: (failure) => !failure.maySucceedOnServer,
	maxRetries: 4,
};

// v1's 500 often means a parameter the model choked on: one more try at most.
const DIRECT_POLICY: RetryPolicy = {
	retryStatus: (status) => status === 502 || status === 503 || status === 504,
	retryNetwork: (failure) => !failure.maySucceedOnServer,
	maxRetries: 4,
};

/** What is known about one item's job while it runs. */
interface JobState {
	itemIndex: number;
	settings: ItemSettings;
	startedAt: number;
	deadline: number;
	requestId?: string;
	polls: number;
	/** The last transient problem, to explain a timeout. */
	lastProblem?: string;
}

interface Output {
	url?: string;
	base64?: string;
}

interface JobRecord {
	mode: CallMode;
	seed: number | null;
	cost: number | null;
	remainingCredits: number | null;
	generationTime: number | null;
	queueTime?: number | null;
	totalTime?: number | null;
	imageUrl?: string;
}

/**
 * Runs one item's task against Segmind: reads the face photo, submits it (queue) or generates it in one call
 * (direct), waits for the job, downloads the sticker and stores it as n8n binary data.
 */
export class StickerJobs {
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly transport: SegmindTransport,
		private readonly isStopped: StopCheck,
	) {}

	async run(task: ItemTask, itemIndex: number): Promise<INodeExecutionData> {
		const startedAt = Date.now();
		const job: JobState = { itemIndex, settings: task, startedAt, deadline: startedAt + task.maxWaitMs, polls: 0 };
		if (task.operation === 'getResult') {
			job.requestId = task.requestId;
			return await this.finishQueuedJob(job, this.jobUrls(task.requestId), 0, 'queue', null);
		}
		return task.mode === 'direct' ? await this.runDirect(task, job) : await this.runQueued(task, job);
	}

	private async runQueued(task: CreateTask, job: JobState): Promise<INodeExecutionData> {
		const response = await this.submit(task, job);
		if (response.statusCode !== 200 && response.statusCode !== 201 && response.statusCode !== 202) {
			throw this.responseError(response, 'submit', job);
		}
		const submitted = parseJsonBody(response);
		const requestId = typeof submitted?.request_id === 'string' ? submitted.request_id : '';
		if (!requestId) {
			throw this.jobError(
				job,
				'Segmind accepted the photo but returned no request ID',
				`The job may have been charged; look it up in the Segmind console. Segmind answered: "${errorDetail(response)}"`,
				response.statusCode,
			);
		}
		job.requestId = requestId;
		const urls = this.jobUrls(requestId, submitted);
		if (!task.waitForCompletion) {
			return {
				json: {
					requestId,
					status: typeof submitted?.status === 'string' ? submitted.status : 'QUEUED',
					mode: 'queue',
					seed: task.settings.seed,
					statusUrl: urls.status,
					resultUrl: urls.result,
				},
			};
		}
		return await this.finishQueuedJob(job, urls, task.pollIntervalMs, 'queue', task.settings.seed);
	}

	/** Polls a submitted job until it ends, then fetches its result and downloads the sticker. */
	private async finishQueuedJob(
		job: JobState,
		urls: { status: string; result: string },
		firstPollDelayMs: number,
		mode: CallMode,
		sentSeed: number | null,
	): Promise<INodeExecutionData> {
		let delay = firstPollDelayMs;
		for (;;) {
			if (delay > 0) await this.waitWithin(job, delay);
			delay = job.settings.pollIntervalMs;
			const status = await this.readJob('status', job, urls.status);
			if (status.state === 'running') continue;
			const result = status.body.output !== undefined || status.body.images !== undefined
				? status.body
				: (await this.readJob('result', job, urls.result)).body;
			const output = extractOutput(result);
			if (!output) {
				// COMPLETED without an output yet: the result record may lag the status; ask again.
				job.lastProblem = 'Segmind reported the job completed but gave no image yet';
				continue;
			}
			const metrics = (result.metrics ?? status.body.metrics ?? {}) as IDataObject;
			const image = await this.downloadOutput(job, output);
			return await this.toOutputItem(job, image, {
				mode,
				seed: numberOrNull(result.seed) ?? sentSeed,
				cost: numberOrNull(metrics.cost),
				remainingCredits: numberOrNull(metrics.remaining_credits),
				generationTime: numberOrNull(metrics.inference_time),
				queueTime: numberOrNull(metrics.queue_time),
				totalTime: numberOrNull(metrics.total_time),
				imageUrl: output.url,
			});
		}
	}

	/**
	 * Reads the status or the result of a job. A body whose status is COMPLETED or FAILED is final whatever the
	 * HTTP code (FAILED comes as 422); QUEUED and PROCESSING mean "ask again".
	 */
	private async readJob(
		call: 'status' | 'result',
		job: JobState,
		url: string,
	): Promise<{ state: 'running' | 'completed'; body: IDataObject }> {
		if (call === 'status') job.polls++;
		const response = await this.exchange(call, job, READ_POLICY, {
			method: 'GET',
			url,
			timeoutMs: job.settings.timeoutMs,
			maxBodyBytes: MAX_JSON_BYTES,
		});
		const body = parseJsonBody(response);
		const state = typeof body?.status === 'string' ? body.status.toUpperCase() : '';
		if (body && state === 'FAILED') {
			const reason = typeof body.error === 'string' && body.error ? body.error : 'no reason given';
			throw this.jobError(
				job,
				`Segmind could not generate the sticker: ${reason}`,
				'The job failed on Segmind\'s side and was not charged. Check the parameters and that the photo shows one clearly visible face; it was not resubmitted automatically.',
				response.statusCode,
			);
		}
		if (body && state === 'COMPLETED') return { state: 'completed', body };
		if (response.statusCode >= 300) throw this.responseError(response, call, job);
		if (!body) {
			job.lastProblem = `Segmind's ${call} answer was not JSON`;
		} else if (state !== 'QUEUED' && state !== 'PROCESSING') {
			job.lastProblem = `Segmind reported the unknown job status "${state || 'none'}"`;
		}
		return { state: 'running', body: body ?? {} };
	}

	/** Its own call so that the request body, the photo in base64, is freed once the job is queued. */
	private async submit(task: CreateTask, job: JobState): Promise<HttpResponse> {
		return await this.exchange('submit', job, SUBMIT_POLICY, {
			method: 'POST',
			url: this.transport.apiUrl('/v2/face-to-sticker'),
			body: serializeRequestBody(task.settings, await this.imageField(task, job.itemIndex)),
			timeoutMs: task.timeoutMs,
			maxBodyBytes: MAX_JSON_BYTES,
		});
	}

	private async runDirect(task: CreateTask, job: JobState): Promise<INodeExecutionData> {
		const body = serializeRequestBody(task.settings, await this.imageField(task, job.itemIndex));
		let serverErrors = 0;
		for (;;) {
			const response = await this.exchange('direct', job, DIRECT_POLICY, {
				method: 'POST',
				url: this.transport.apiUrl('/v1/face-to-sticker'),
				body,
				timeoutMs: task.timeoutMs,
				maxBodyBytes: LIMITS.outputImageBytes * 2,
			});
			job.requestId = response.headers['x-request-id'] || undefined;
			if (response.statusCode === 500 && serverErrors++ === 0 && this.timeLeft(job) > FIRST_RETRY_DELAY_MS) {
				job.lastProblem = `HTTP 500: ${errorDetail(response)}`;
				await this.waitWithin(job, FIRST_RETRY_DELAY_MS);
				continue;
			}
			if (response.statusCode !== 200) throw this.responseError(response, 'direct', job);
			const image = this.directImage(job, response);
			const headers = response.headers;
			return await this.toOutputItem(job, image, {
				mode: 'direct',
				seed: numberOrNull(headers['x-seed-value']) ?? task.settings.seed,
				cost: numberOrNull(headers['x-cost']),
				remainingCredits: numberOrNull(headers['x-remaining-credits']),
				generationTime: numberOrNull(headers['x-generation-time']),
			});
		}
	}

	/** v1 answers with the image bytes, or (like other Segmind models with base64 on) JSON carrying base64. */
	private directImage(job: JobState, response: HttpResponse): { bytes: Buffer; type: ImageType } {
		const type = detectImageType(response.body);
		if (type) return this.checkImage(job, response.body, 'Segmind\'s answer');
		const json = parseJsonBody(response);
		const output = json ? extractOutput(json) : undefined;
		if (output?.base64) return this.checkImage(job, decodeBase64(output.base64), 'Segmind\'s answer');
		const what = response.headers['content-type'] || 'unknown content';
		throw this.jobError(
			job,
			`Segmind answered with ${what} instead of an image`,
			`Nothing usable came back. Segmind answered: "${errorDetail(response)}"`,
			response.statusCode,
		);
	}

	private async downloadOutput(job: JobState, output: Output): Promise<{ bytes: Buffer; type: ImageType }> {
		if (output.base64) return this.checkImage(job, decodeBase64(output.base64), 'The result');
		const url = output.url as string;
		const response = await this.exchange('download', job, READ_POLICY, {
			method: 'GET',
			url,
			timeoutMs: job.settings.timeoutMs,
			maxBodyBytes: LIMITS.outputImageBytes,
		});
		if (response.statusCode === 404 || response.statusCode === 410) {
			throw this.jobError(
				job,
				`The sticker image is no longer available at ${url}`,
				'Segmind keeps output images for 7 days. Generate the sticker again.',
				response.statusCode,
			);
		}
		if (response.statusCode !== 200) throw this.responseError(response, 'download', job);
		return this.checkImage(job, response.body, `The download from ${url}`);
	}

	private checkImage(job: JobState, bytes: Buffer, source: string): { bytes: Buffer; type: ImageType } {
		const type = detectImageType(bytes);
		if (!type) {
			throw this.jobError(
				job,
				`${source} is not an image (${formatBytes(bytes.length)} of other data)`,
				'Segmind returned something that is not a JPEG, PNG or WebP image; nothing was stored. Try again, and report it to Segmind if it persists.',
			);
		}
		if (bytes.length > LIMITS.outputImageBytes) {
			throw this.tooLarge(job);
		}
		return { bytes, type };
	}

	private async toOutputItem(
		job: JobState,
		image: { bytes: Buffer; type: ImageType },
		record: JobRecord,
	): Promise<INodeExecutionData> {
		const binary = await storeSticker(this.context, image.bytes, image.type, job.settings.fileName);
		const json: IDataObject = {
			requestId: job.requestId ?? null,
			status: 'COMPLETED',
			...record,
			elapsedTime: round((Date.now() - job.startedAt) / 1000),
			polls: job.polls,
			mimeType: image.type.mimeType,
			fileSize: image.bytes.length,
		};
		if (json.imageUrl === undefined) delete json.imageUrl;
		return { json, binary: { [job.settings.outputBinaryPropertyName]: binary } };
	}

	/**
	 * Sends one request, waiting for the rate limiter first, and retries what `policy` allows until the item's
	 * deadline: a 429 pauses every job until Segmind's window resets, other transient failures back off.
	 */
	private async exchange(
		call: CallKind,
		job: JobState,
		policy: RetryPolicy,
		request: SegmindRequest,
	): Promise<HttpResponse> {
		const paced = this.transport.isApiOrigin(this.transport.resolve(request.url));
		let retries = 0;
		for (;;) {
			this.throwIfStopped(job);
			if (paced && !(await this.transport.pacer.acquire(job.deadline))) {
				this.throwIfStopped(job);
				throw this.timeoutError(job, call);
			}
			let response: HttpResponse;
			try {
				response = await this.transport.send(request);
			} catch (error) {
				this.throwIfStopped(job);
				if (error instanceof BodyTooLarge) throw this.tooLarge(job);
				if (!(error instanceof NetworkFailure)) {
					throw new NodeOperationError(this.context.getNode(), error as Error, { itemIndex: job.itemIndex });
				}
				if (!policy.retryNetwork(error) || retries >= policy.maxRetries) throw this.networkError(job, call, error);
				job.lastProblem = error.timedOut ? 'a request timed out' : `the connection failed (${error.code})`;
				await this.backOff(job, retries++, call);
				continue;
			}
			if (response.statusCode === 429) {
				const waitMs = this.transport.pacer.rateLimited(response.headers['x-rate-limit-reset-at-utc']);
				job.lastProblem = 'Segmind\'s rate limit (HTTP 429)';
				if (Date.now() + waitMs > job.deadline) throw this.responseError(response, call, job);
				continue;
			}
			if (paced) this.transport.pacer.accepted();
			if (policy.retryStatus(response.statusCode) && retries < policy.maxRetries && !isFinalJobBody(response)) {
				job.lastProblem = `HTTP ${response.statusCode}: ${errorDetail(response)}`;
				if (this.timeLeft(job) <= 0) throw this.responseError(response, call, job);
				await this.backOff(job, retries++, call);
				continue;
			}
			return response;
		}
	}

	private async backOff(job: JobState, attempt: number, call: CallKind): Promise<void> {
		const delay = Math.min(FIRST_RETRY_DELAY_MS * 2 ** attempt, MAX_RETRY_DELAY_MS);
		if (Date.now() + delay > job.deadline) throw this.timeoutError(job, call);
		await this.waitWithin(job, delay);
	}

	private async waitWithin(job: JobState, ms: number): Promise<void> {
		if (Date.now() + ms > job.deadline) throw this.timeoutError(job, 'status');
		if (!(await pause(ms, this.isStopped))) this.throwIfStopped(job);
	}

	private timeLeft(job: JobState): number {
		return job.deadline - Date.now();
	}

	private async imageField(task: CreateTask, itemIndex: number): Promise<string | Buffer> {
		return task.image.source === 'url'
			? task.image.url
			: await readFaceImage(this.context, itemIndex, task.image.binaryPropertyName);
	}

	private jobUrls(requestId: string, submitted?: IDataObject): { status: string; result: string } {
		const id = encodeURIComponent(requestId);
		const given = (value: unknown) => (typeof value === 'string' && value ? this.transport.resolve(value) : '');
		return {
			status: given(submitted?.status_url) || this.transport.apiUrl(`/v2/requests/${id}/status`),
			result: given(submitted?.response_url) || this.transport.apiUrl(`/v2/requests/${id}`),
		};
	}

	private throwIfStopped(job: JobState): void {
		if (!this.isStopped()) return;
		throw new NodeOperationError(
			this.context.getNode(),
			withRequestId('Stopped before the sticker was ready', job.requestId),
			{ itemIndex: job.itemIndex, description: 'The execution was cancelled or another item failed.' },
		);
	}

	private responseError(response: HttpResponse, call: CallKind, job: JobState): NodeApiError {
		return responseError(this.context.getNode(), response, {
			call,
			itemIndex: job.itemIndex,
			requestId: job.requestId,
			redact: this.transport.endpoint.redact,
		});
	}

	private jobError(job: JobState, message: string, description: string, httpCode?: number): NodeApiError {
		return jobError(
			this.context.getNode(),
			withRequestId(message, job.requestId),
			description,
			{ itemIndex: job.itemIndex, redact: this.transport.endpoint.redact },
			httpCode,
		);
	}

	private timeoutError(job: JobState, call: CallKind): NodeApiError {
		const waited = Math.round(job.settings.maxWaitMs / 1000);
		const why = job.lastProblem ? ` Last problem: ${job.lastProblem}.` : '';
		if (!job.requestId) {
			return this.jobError(
				job,
				`The photo could not be sent to Segmind within ${waited} s`,
				`Nothing was submitted, so nothing was charged.${why} Raise Max Wait Time (under Options) or lower Concurrency.`,
			);
		}
		return this.jobError(
			job,
			`The sticker was not ready after ${waited} s`,
			`The job may still finish on Segmind (it was waiting for the ${call} step).${why} Fetch it within an hour with the Get Result operation and this request ID, or raise Max Wait Time (under Options).`,
		);
	}

	private networkError(job: JobState, call: CallKind, failure: NetworkFailure): NodeApiError {
		const posted = call === 'submit' || call === 'direct';
		const description = posted
			? `The connection failed after the request was sent (${failure.code}), so Segmind may have started, and charged, the job. It was not resent, to avoid a second charge. Check the Segmind console before running the item again.`
			: `No answer from ${call === 'download' ? 'the image host' : 'Segmind'} (${failure.code}). Check the network between n8n and Segmind, and try again.`;
		return this.jobError(
			job,
			failure.timedOut ? 'Segmind did not answer in time' : 'The connection to Segmind failed',
			description,
		);
	}

	private tooLarge(job: JobState): NodeApiError {
		return this.jobError(
			job,
			`The sticker is larger than ${formatBytes(LIMITS.outputImageBytes)}`,
			'That is not a sticker; the download was stopped and nothing was stored.',
		);
	}
}

/** A status or result body that already says how the job ended: never retried, whatever its HTTP code. */
function isFinalJobBody(response: HttpResponse): boolean {
	const status = parseJsonBody(response)?.status;
	return typeof status === 'string' && ['COMPLETED', 'FAILED'].includes(status.toUpperCase());
}

/** Finds the image in a result: `output` as a URL, a list or an object, `images[]`, or base64 data. */
export function extractOutput(result: IDataObject): Output | undefined {
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

function decodeBase64(text: string): Buffer {
	return Buffer.from(text, 'base64');
}

function numberOrNull(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : null;
	}
	return null;
}

function round(value: number): number {
	return Math.round(value * 1000) / 1000;
}
