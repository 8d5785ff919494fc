import type { IDataObject } from 'n8n-workflow';

import type { PhotoSender } from './photo';
import type { ResultImages } from './resultImages';
import { extractOutput, numberOrNull } from './resultImages';
import type { CreateTask, ItemTask, JobState, MadeSticker, SubmittedJob } from '../helpers/interfaces';
import { LIMITS } from '../helpers/limits';
import type { RetryingExchange } from '../transport/exchange';
import { DIRECT_POLICY, FIRST_RETRY_DELAY_MS, READ_POLICY, SUBMIT_POLICY } from '../transport/exchange';
import { PollSchedule } from '../transport/pollSchedule';
import { serializeRequestBody } from '../transport/requestBodies';
import type { HttpResponse } from '../transport/response';
import { errorDetail, parseJsonBody } from '../transport/response';

/** JSON bodies (submit, status, result) are small; anything beyond this is not Segmind talking. */
const MAX_JSON_BYTES = 2 * 1024 * 1024;
/** A job waiting for its first check looks at the learned schedule again this often (it may move later). */
const SCHEDULE_RECHECK_MS = 5_000;

/**
 * Step 1 of a sticker: making it. The flows of one item's task against Segmind: queue (submit, poll, fetch the
 * result), direct (one long request) and Get Result (poll a job submitted earlier). Each ends with the sticker
 * Segmind made and billed, or, for a queue job not waited for, with the submitted job. Retries and pacing live
 * in RetryingExchange, the photo's route in PhotoSender.
 */
export class StickerMaker {
	constructor(
		private readonly exchange: RetryingExchange,
		private readonly photos: PhotoSender,
		private readonly images: ResultImages,
	) {}

	async make(task: ItemTask, job: JobState): Promise<MadeSticker | SubmittedJob> {
		const made = await this.makeOnce(task, job);
		// What Segmind charged is what the next pack's estimate uses (sticker/packBudget.ts).
		if ('record' in made && made.record.cost !== null) this.exchange.account.prices.generation = made.record.cost;
		return made;
	}

	private async makeOnce(task: ItemTask, job: JobState): Promise<MadeSticker | SubmittedJob> {
		if (task.operation === 'getResult') {
			job.requestId = task.requestId;
			// Submitted earlier, at a time not known here: the first check goes out at once, nothing is learned.
			return await this.finishQueuedJob(job, this.jobUrls(task.requestId), undefined, null);
		}
		// A generation holds one of the account's slots while Segmind runs it: a queue job until Segmind reports
		// it done (its result and image need no slot), a direct call until its answer (or it fails, or only submits).
		await this.exchange.acquireJobSlot(job);
		let holding = true;
		const releaseSlot = () => {
			if (holding) this.exchange.releaseJobSlot();
			holding = false;
		};
		try {
			return task.mode === 'direct' ? await this.runDirect(task, job) : await this.runQueued(task, job, releaseSlot);
		} finally {
			releaseSlot();
		}
	}

	private async runQueued(task: CreateTask, job: JobState, generationDone: () => void): Promise<MadeSticker | SubmittedJob> {
		const { response, route, photo } = await this.photos.send(task, job, async (image) => await this.submit(task, job, image));
		if (response.statusCode !== 200 && response.statusCode !== 201 && response.statusCode !== 202) {
			throw this.exchange.errors.response(response, 'submit', job);
		}
		const submittedAt = Date.now();
		const submitted = parseJsonBody(response);
		const requestId = typeof submitted?.request_id === 'string' ? submitted.request_id : '';
		if (!requestId) {
			throw this.exchange.errors.job(
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
				submitted: {
					requestId,
					status: typeof submitted?.status === 'string' ? submitted.status : 'QUEUED',
					mode: 'queue',
					seed: task.settings.seed,
					photoRoute: route,
					...(photo ? { photo } : {}),
					statusUrl: urls.status,
					resultUrl: urls.result,
				},
			};
		}
		const sticker = await this.finishQueuedJob(job, urls, submittedAt, task.settings.seed, generationDone);
		sticker.record.photoRoute = route;
		if (photo) sticker.record.photo = photo;
		return sticker;
	}

	/** Its own call so that the request body, the photo in base64, is freed once the job is queued. */
	private async submit(task: CreateTask, job: JobState, image: string | Buffer): Promise<HttpResponse> {
		return await this.exchange.exchange('submit', job, SUBMIT_POLICY, {
			method: 'POST',
			url: this.exchange.transport.apiUrl('/v2/face-to-sticker'),
			body: serializeRequestBody(task.settings, image),
			timeoutMs: task.timeoutMs,
			maxBodyBytes: MAX_JSON_BYTES,
		});
	}

	/**
	 * Polls a submitted job until it ends, then fetches its result and downloads the sticker. A job submitted
	 * here (`submittedAt` known) is checked on the account's learned schedule (pollSchedule.ts) and teaches it
	 * how long it took; one submitted earlier (Get Result) is checked at once, then every Poll Interval.
	 */
	private async finishQueuedJob(
		job: JobState,
		urls: { status: string; result: string },
		submittedAt: number | undefined,
		sentSeed: number | null,
		generationDone: () => void = () => {},
	): Promise<MadeSticker> {
		const account = this.exchange.account;
		const schedule = new PollSchedule(account.durations, job.settings.pollIntervalMs, account.counts('status'));
		const seen: { lastCheckAt?: number; lastRunningMs?: number; completedSeenMs?: number } = {};
		for (;;) {
			await this.waitForCheck(job, schedule, submittedAt, seen.lastCheckAt);
			const sentAt = Date.now();
			const status = await this.readJob('status', job, urls.status);
			seen.lastCheckAt = Date.now();
			if (status.state === 'running') {
				if (submittedAt !== undefined) seen.lastRunningMs = sentAt - submittedAt;
				continue;
			}
			if (submittedAt !== undefined) seen.completedSeenMs ??= seen.lastCheckAt - submittedAt;
			generationDone();
			const result = status.body.output !== undefined || status.body.images !== undefined
				? status.body
				: (await this.readJob('result', job, urls.result)).body;
			const ref = extractOutput(result);
			if (!ref) {
				// COMPLETED without an output yet: the result record may lag the status; ask again.
				job.lastProblem = 'Segmind reported the job completed but gave no image yet';
				continue;
			}
			const metrics = (result.metrics ?? status.body.metrics ?? {}) as IDataObject;
			if (seen.completedSeenMs !== undefined) {
				const reported = numberOrNull(metrics.total_time);
				account.durations.record({
					lastRunningMs: seen.lastRunningMs,
					completedSeenMs: seen.completedSeenMs,
					reportedMs: reported === null ? undefined : reported * 1000,
				});
			}
			return {
				image: await this.images.fetch(job, ref),
				record: {
					mode: 'queue',
					seed: numberOrNull(result.seed) ?? sentSeed,
					cost: numberOrNull(metrics.cost),
					remainingCredits: numberOrNull(metrics.remaining_credits),
					generationTime: numberOrNull(metrics.inference_time),
					queueTime: numberOrNull(metrics.queue_time),
					totalTime: numberOrNull(metrics.total_time),
					imageUrl: ref.url,
				},
			};
		}
	}

	/** Waits until the next status check is due; re-reads the schedule now and then, as other jobs teach it. */
	private async waitForCheck(job: JobState, schedule: PollSchedule, submittedAt: number | undefined, lastCheckAt: number | undefined): Promise<void> {
		for (;;) {
			const wait = schedule.nextCheckAt(submittedAt, lastCheckAt, job.deadline) - Date.now();
			if (wait <= 0) return;
			await this.exchange.waitWithin(job, Math.min(wait, SCHEDULE_RECHECK_MS));
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
		const response = await this.exchange.exchange(call, job, READ_POLICY, {
			method: 'GET',
			url,
			timeoutMs: job.settings.timeoutMs,
			maxBodyBytes: MAX_JSON_BYTES,
		});
		const body = parseJsonBody(response);
		const state = typeof body?.status === 'string' ? body.status.toUpperCase() : '';
		if (body && state === 'FAILED') {
			const reason = typeof body.error === 'string' && body.error ? body.error : 'no reason given';
			throw this.exchange.errors.job(
				job,
				`Segmind could not generate the sticker: ${reason}`,
				'The job failed on Segmind\'s side and was not charged. Check the parameters and that the photo shows one clearly visible face; it was not resubmitted automatically.',
				response.statusCode,
			);
		}
		if (body && state === 'COMPLETED') return { state: 'completed', body };
		if (response.statusCode >= 300) throw this.exchange.errors.response(response, call, job);
		if (!body) {
			job.lastProblem = `Segmind's ${call} answer was not JSON`;
		} else if (state !== 'QUEUED' && state !== 'PROCESSING') {
			job.lastProblem = `Segmind reported the unknown job status "${state || 'none'}"`;
		}
		return { state: 'running', body: body ?? {} };
	}

	private async runDirect(task: CreateTask, job: JobState): Promise<MadeSticker> {
		const { response, route, photo } = await this.photos.send(task, job, async (image) => await this.postDirect(task, job, image));
		if (response.statusCode !== 200) throw this.exchange.errors.response(response, 'direct', job);
		const headers = response.headers;
		return {
			image: await this.images.fromAnswer(job, response),
			record: {
				mode: 'direct',
				seed: numberOrNull(headers['x-seed-value']) ?? task.settings.seed,
				cost: numberOrNull(headers['x-cost']),
				remainingCredits: numberOrNull(headers['x-remaining-credits']),
				generationTime: numberOrNull(headers['x-generation-time']),
				photoRoute: route,
				...(photo ? { photo } : {}),
			},
		};
	}

	/** One v1 generation. v1's 500 often means a parameter the model choked on, so it is retried once only. */
	private async postDirect(task: CreateTask, job: JobState, image: string | Buffer): Promise<HttpResponse> {
		const body = serializeRequestBody(task.settings, image);
		let serverErrors = 0;
		for (;;) {
			const response = await this.exchange.exchange('direct', job, DIRECT_POLICY, {
				method: 'POST',
				url: this.exchange.transport.apiUrl('/v1/face-to-sticker'),
				body,
				timeoutMs: task.timeoutMs,
				maxBodyBytes: LIMITS.outputImageBytes * 2,
			});
			job.requestId = response.headers['x-request-id'] || undefined;
			if (response.statusCode === 500 && serverErrors++ === 0 && this.exchange.timeLeft(job) > FIRST_RETRY_DELAY_MS) {
				job.lastProblem = `HTTP 500: ${errorDetail(response)}`;
				await this.exchange.waitWithin(job, FIRST_RETRY_DELAY_MS);
				continue;
			}
			return response;
		}
	}

	private jobUrls(requestId: string, submitted?: IDataObject): { status: string; result: string } {
		const id = encodeURIComponent(requestId);
		const transport = this.exchange.transport;
		const given = (value: unknown) => (typeof value === 'string' && value ? transport.resolve(value) : '');
		return {
			status: given(submitted?.status_url) || transport.apiUrl(`/v2/requests/${id}/status`),
			result: given(submitted?.response_url) || transport.apiUrl(`/v2/requests/${id}`),
		};
	}
}
