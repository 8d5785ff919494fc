import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CallKind } from './apiErrors';
import { jobError, responseError, withRequestId } from './apiErrors';
import type { HttpResponse, NetworkFailure } from './response';
import { formatBytes } from '../helpers/binary';
import type { JobState } from '../helpers/interfaces';
import { LIMITS } from '../helpers/limits';

/** Builds the errors of one job: each names the item, the request ID when there is one, and what to do. */
export class JobErrors {
	constructor(
		private readonly node: INode,
		private readonly redact: (text: string) => string,
	) {}

	response(response: HttpResponse, call: CallKind, job: JobState): NodeApiError {
		return responseError(this.node, response, {
			call,
			itemIndex: job.itemIndex,
			requestId: job.requestId,
			redact: this.redact,
		});
	}

	job(job: JobState, message: string, description: string, httpCode?: number): NodeApiError {
		return jobError(this.node, withRequestId(message, job.requestId), description, { itemIndex: job.itemIndex, redact: this.redact }, httpCode);
	}

	stopped(job: JobState): NodeOperationError {
		return new NodeOperationError(this.node, withRequestId('Stopped before the sticker was ready', job.requestId), {
			itemIndex: job.itemIndex,
			description: 'The execution was cancelled or another item failed.',
		});
	}

	timeout(job: JobState, call: CallKind): NodeApiError {
		const waited = Math.round(job.settings.maxWaitMs / 1000);
		const why = job.lastProblem ? ` Last problem: ${job.lastProblem}.` : '';
		if (!job.requestId) {
			return this.job(
				job,
				`The photo could not be sent to Segmind within ${waited} s`,
				`Nothing was submitted, so nothing was charged.${why} Raise Max Wait Time (under Options) or lower Concurrency.`,
			);
		}
		return this.job(
			job,
			`The sticker was not ready after ${waited} s`,
			`The job may still finish on Segmind (it was waiting for the ${call} step).${why} Fetch it within an hour with the Get Result operation and this request ID, or raise Max Wait Time (under Options).`,
		);
	}

	network(job: JobState, call: CallKind, failure: NetworkFailure): NodeApiError {
		const billedPost = call === 'submit' || call === 'direct';
		const host = call === 'download' ? 'the image host' : call === 'upload' ? 'Segmind\'s upload service' : 'Segmind';
		const description = billedPost
			? `The connection failed after the request was sent (${failure.code}), so Segmind may have started, and charged, the job. It was not resent, to avoid a second charge. Check the Segmind console before running the item again.`
			: `No answer from ${host} (${failure.code}). Check the network between n8n and Segmind, and try again.`;
		return this.job(
			job,
			failure.timedOut ? 'Segmind did not answer in time' : 'The connection to Segmind failed',
			description,
		);
	}

	tooLarge(job: JobState): NodeApiError {
		return this.job(
			job,
			`The sticker is larger than ${formatBytes(LIMITS.outputImageBytes)}`,
			'That is not a sticker; the download was stopped and nothing was stored.',
		);
	}
}
