import { randomUUID } from 'crypto';

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RunSettings } from '../helpers/interfaces';
import { StickerFinisher } from '../sticker/finish';
import { StickerMaker } from '../sticker/make';
import { StickerOutput } from '../sticker/outputItem';
import { PhotoSender } from '../sticker/photo';
import { PhotoPreparer } from '../sticker/photoPreparation';
import { StickerPipeline } from '../sticker/pipeline';
import { BackgroundRemover } from '../sticker/removeBackground';
import { ResultImages } from '../sticker/resultImages';
import type { ApiEndpoint } from '../transport';
import { readApiEndpoint, SegmindTransport } from '../transport';
import { accounts } from '../transport/account';
import { RetryingExchange } from '../transport/exchange';
import { JobErrors } from '../transport/jobErrors';
import { RequestPacer } from '../transport/pacer';

/**
 * One run of the node against Segmind, shared by its operations: the credential's endpoint, this run's place in
 * the account's process-wide limits, the retry engine and the sticker pipeline, and the run's stop state (the
 * first fatal error, or n8n's cancel).
 */
export class NodeExecution {
	fatalError: Error | undefined;

	readonly isStopped = () => this.fatalError !== undefined || this.cancelSignal?.aborted === true;

	private constructor(
		readonly context: IExecuteFunctions,
		readonly endpoint: ApiEndpoint,
		readonly exchange: RetryingExchange,
		readonly pipeline: StickerPipeline,
		/** Each item's face photo, prepared once (a pack's stickers share it). */
		readonly photos: PhotoPreparer,
		private readonly cancelSignal: AbortSignal | undefined,
		private readonly id: string,
	) {}

	/** Joins the account's shared limits; `end()` must follow. */
	static async start(context: IExecuteFunctions, run: RunSettings): Promise<NodeExecution> {
		const endpoint = await readApiEndpoint(context);
		const cancelSignal = context.getExecutionCancelSignal?.();
		const id = randomUUID();
		// This node run shares its account's limits with every other execution of the process, until it ends.
		const account = accounts.join(endpoint.accountId, endpoint.limits, id);
		let execution: NodeExecution | undefined;
		const isStopped = () => execution?.isStopped() ?? false;
		const transport = new SegmindTransport(context, endpoint, new RequestPacer(run.requestsPerMinute, isStopped));
		const errors = new JobErrors(context.getNode(), endpoint.redact);
		const exchange = new RetryingExchange(context.getNode(), transport, errors, isStopped, account, id);
		const images = new ResultImages(exchange);
		const photos = new PhotoPreparer(context, isStopped);
		const pipeline = new StickerPipeline(
			new StickerMaker(exchange, new PhotoSender(exchange, photos), images),
			new BackgroundRemover(exchange, images),
			new StickerFinisher(isStopped),
			new StickerOutput(context, errors),
		);
		execution = new NodeExecution(context, endpoint, exchange, pipeline, photos, cancelSignal, id);
		return execution;
	}

	get cancelled(): boolean {
		return this.cancelSignal?.aborted === true;
	}

	/** Leaves the account's limits; throws the run's fatal error, or the cancel. */
	end(): void {
		accounts.leave(this.endpoint.accountId, this.id);
	}

	/** After the items ran: the first fatal error, or the cancel, is what the node reports. */
	throwIfFailed(): void {
		if (this.fatalError) throw this.fatalError;
		if (this.cancelled) {
			throw new NodeOperationError(this.context.getNode(), 'The execution was cancelled', {
				description: 'Items that were not finished produced no output.',
			});
		}
	}

	asNodeError(error: unknown, itemIndex: number): Error {
		return asNodeError(this.context, error, itemIndex);
	}

	/** A failed item's JSON when the node continues on fail: the message, never the key. */
	errorJson(error: unknown): { error: string } {
		return { error: this.endpoint.redact(error instanceof Error ? error.message : String(error)) };
	}
}

export function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
