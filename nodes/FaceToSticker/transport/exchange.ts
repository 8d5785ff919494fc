import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Account } from './account';
import type { CallKind } from './apiErrors';
import type { SegmindRequest, SegmindTransport } from './index';
import type { JobErrors } from './jobErrors';
import type { StopCheck } from '../helpers/interfaces';
import { pause } from './pacer';
import type { HttpResponse } from './response';
import { BodyTooLarge, errorDetail, NetworkFailure, parseJsonBody } from './response';
import type { JobState } from '../helpers/interfaces';

const FIRST_RETRY_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 16_000;

/** How one call may be retried. Reads may always be; a POST only when the server surely did not take it. */
export interface RetryPolicy {
	/** Statuses (besides 429, always waited out) that mean "not taken, try again". */
	retryStatus: (status: number) => boolean;
	/** Whether a request that got no answer may be sent again. */
	retryNetwork: (failure: NetworkFailure) => boolean;
	maxRetries: number;
}

export const READ_POLICY: RetryPolicy = {
	retryStatus: (status) => status >= 500,
	retryNetwork: () => true,
	maxRetries: Number.POSITIVE_INFINITY,
};

// A 5xx or 429 answer to a POST means Segmind did not take the job (only 200 is billed). A connection that
// failed after the request went out may have started a billed job, so that POST is never resent.
export const SUBMIT_POLICY: RetryPolicy = {
	retryStatus: (status) => status >= 500,
	retryNetwork: (failure) => !failure.maySucceedOnServer,
	maxRetries: 4,
};

// v1's 500 often means a parameter the model choked on: the direct flow retries it once itself.
export const DIRECT_POLICY: RetryPolicy = {
	retryStatus: (status) => status === 502 || status === 503 || status === 504,
	retryNetwork: (failure) => !failure.maySucceedOnServer,
	maxRetries: 4,
};

// Uploading a photo costs nothing, and background removal about $0.001 once a paid sticker depends on it:
// both are worth retrying, lost connections included.
export const CHEAP_POST_POLICY: RetryPolicy = {
	retryStatus: (status) => status >= 500,
	retryNetwork: () => true,
	maxRetries: 3,
};

/**
 * The retry engine: sends one request for a job, waiting for the rate limiter first, and retries what the
 * policy allows until the job's deadline. A 429 pauses every job until Segmind's window resets; other
 * transient failures back off exponentially. Also owns the job's waits, so a cancel stops them at once.
 */
export class RetryingExchange {
	constructor(
		private readonly node: INode,
		readonly transport: SegmindTransport,
		readonly errors: JobErrors,
		private readonly isStopped: StopCheck,
		/** The account shared with every execution of this n8n process that uses the same key. */
		readonly account: Account,
		/** This node run, for the account's round robin. */
		private readonly execution: string,
	) {}

	/** Waits for one of the account's generation slots (Concurrent Jobs); false past the deadline or when stopped. */
	async acquireJobSlot(job: JobState): Promise<void> {
		if (await this.account.acquireJob(this.execution, job.deadline, this.isStopped)) return;
		this.throwIfStopped(job);
		job.lastProblem = 'every generation slot of the account (the credential\'s Concurrent Jobs) stayed in use';
		throw this.errors.timeout(job, 'submit');
	}

	releaseJobSlot(): void {
		this.account.releaseJob();
	}

	async exchange(call: CallKind, job: JobState, policy: RetryPolicy, request: SegmindRequest): Promise<HttpResponse> {
		const paced = this.transport.isApiOrigin(this.transport.resolve(request.url));
		const pacer = this.transport.pacer;
		const counted = this.account.counts(call);
		let retries = 0;
		for (;;) {
			this.throwIfStopped(job);
			// A URL off Segmind's origins (an image download) waits for nothing and reports nothing.
			let answered: (() => void) | false = () => {};
			if (paced) {
				answered = (await pacer.acquire(job.deadline)) && (await this.account.acquireRequestUntilAnswered(this.execution, job.deadline, this.isStopped, counted));
			}
			if (!answered) {
				this.throwIfStopped(job);
				throw this.errors.timeout(job, call);
			}
			let response: HttpResponse;
			try {
				response = await this.transport.send(request);
			} catch (error) {
				answered();
				this.throwIfStopped(job);
				if (error instanceof BodyTooLarge) throw this.errors.tooLarge(job);
				if (!(error instanceof NetworkFailure)) {
					throw new NodeOperationError(this.node, error as Error, { itemIndex: job.itemIndex });
				}
				if (!policy.retryNetwork(error) || retries >= policy.maxRetries) throw this.errors.network(job, call, error);
				job.lastProblem = error.timedOut ? 'a request timed out' : `the connection failed (${error.code})`;
				await this.backOff(job, retries++, call);
				continue;
			}
			answered();
			if (response.statusCode === 429) {
				const waitMs = this.account.rateLimited(response.headers['x-rate-limit-reset-at-utc']);
				job.lastProblem = 'Segmind\'s rate limit (HTTP 429)';
				if (Date.now() + waitMs > job.deadline) throw this.errors.response(response, call, job);
				continue;
			}
			if (paced) this.account.accepted();
			if (policy.retryStatus(response.statusCode) && retries < policy.maxRetries && !isFinalJobBody(response)) {
				job.lastProblem = `HTTP ${response.statusCode}: ${errorDetail(response)}`;
				if (this.timeLeft(job) <= 0) throw this.errors.response(response, call, job);
				await this.backOff(job, retries++, call);
				continue;
			}
			return response;
		}
	}

	/** Waits `ms` unless that passes the job's deadline (a timeout error) or the run stops (a stop error). */
	async waitWithin(job: JobState, ms: number): Promise<void> {
		if (Date.now() + ms > job.deadline) throw this.errors.timeout(job, 'status');
		if (!(await pause(ms, this.isStopped))) this.throwIfStopped(job);
	}

	timeLeft(job: JobState): number {
		return job.deadline - Date.now();
	}

	throwIfStopped(job: JobState): void {
		if (this.isStopped()) throw this.errors.stopped(job);
	}

	private async backOff(job: JobState, attempt: number, call: CallKind): Promise<void> {
		const delay = Math.min(FIRST_RETRY_DELAY_MS * 2 ** attempt, MAX_RETRY_DELAY_MS);
		if (Date.now() + delay > job.deadline) throw this.errors.timeout(job, call);
		await this.waitWithin(job, delay);
	}
}

/** A status or result body that already says how the job ended: never retried, whatever its HTTP code. */
function isFinalJobBody(response: HttpResponse): boolean {
	const status = parseJsonBody(response)?.status;
	return typeof status === 'string' && ['COMPLETED', 'FAILED'].includes(status.toUpperCase());
}

export { FIRST_RETRY_DELAY_MS };
