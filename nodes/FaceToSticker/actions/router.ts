import { randomUUID } from 'crypto';

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { assertFaceImagePresent } from '../helpers/binary';
import { runConcurrently } from '../helpers/concurrency';
import type { ItemTask } from '../helpers/interfaces';
import { ParameterReader } from '../helpers/parameters';
import { StickerFinisher } from '../sticker/finish';
import { StickerMaker } from '../sticker/make';
import { StickerKeptFailure, StickerOutput } from '../sticker/outputItem';
import { PhotoSender } from '../sticker/photo';
import { StickerPipeline } from '../sticker/pipeline';
import { BackgroundRemover } from '../sticker/removeBackground';
import { ResultImages } from '../sticker/resultImages';
import { readApiEndpoint, SegmindTransport } from '../transport';
import type { Account } from '../transport/account';
import { accounts } from '../transport/account';
import { RetryingExchange } from '../transport/exchange';
import { JobErrors } from '../transport/jobErrors';
import { RequestPacer } from '../transport/pacer';

/**
 * Runs the node's items: reads and checks every item's parameters before the first request, joins the
 * account's shared limits, runs each item's sticker pipeline (at most Concurrency at once) and keeps every item,
 * failed or not, paired with its input.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const run = new ParameterReader(this, 0).readRunSettings();

	// Every item's parameters are checked before the first request, so bad input costs no credits.
	const tasks: Array<ItemTask | Error> = items.map((_, itemIndex) => {
		try {
			const task = new ParameterReader(this, itemIndex).readTask();
			if (task.operation === 'create' && task.image.source === 'binary') {
				assertFaceImagePresent(this, itemIndex, task.image.binaryPropertyName);
			}
			return task;
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, itemIndex);
			return error as Error;
		}
	});

	const endpoint = await readApiEndpoint(this);
	const cancelSignal = this.getExecutionCancelSignal?.();
	let fatalError: Error | undefined;
	const isStopped = () => fatalError !== undefined || cancelSignal?.aborted === true;
	// This node run shares its account's limits with every other execution of the process, until it ends.
	const execution = randomUUID();
	const account = accounts.join(endpoint.accountId, endpoint.limits, execution);
	const transport = new SegmindTransport(this, endpoint, new RequestPacer(run.requestsPerMinute, isStopped));
	const pipeline = createPipeline(this, transport, isStopped, account, execution);

	const results: INodeExecutionData[] = new Array(items.length);
	try {
		await runConcurrently(
			items.length,
			run.concurrency,
			async (itemIndex) => {
				const task = tasks[itemIndex];
				try {
					if (task instanceof Error) throw task;
					const output = await pipeline.run(task, itemIndex);
					results[itemIndex] = { ...output, pairedItem: { item: itemIndex } };
				} catch (error) {
					// After a cancel every running job stops with an error of its own; the cancel is what to report.
					if (cancelSignal?.aborted) return;
					if (error instanceof StickerKeptFailure) {
						// A paid sticker survives a later failure: n8n routes an item with `error` set to the error output.
						if (continueOnFail) results[itemIndex] = { ...error.keptItem, error: error.error, pairedItem: { item: itemIndex } };
						else fatalError ??= error.error;
						return;
					}
					if (continueOnFail) {
						results[itemIndex] = {
							json: { error: endpoint.redact(errorMessage(error)) },
							pairedItem: { item: itemIndex },
						};
					} else {
						fatalError ??= asNodeError(this, error, itemIndex);
					}
				}
			},
			isStopped,
		);
	} finally {
		accounts.leave(endpoint.accountId, execution);
	}

	if (fatalError) throw fatalError;
	if (cancelSignal?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled', {
			description: 'Items that were not finished produced no output.',
		});
	}
	return [results];
}

/** The steps that make one item's sticker, wired for this execution (the photo route is remembered across items). */
function createPipeline(
	context: IExecuteFunctions,
	transport: SegmindTransport,
	isStopped: () => boolean,
	account: Account,
	execution: string,
): StickerPipeline {
	const errors = new JobErrors(context.getNode(), transport.endpoint.redact);
	const exchange = new RetryingExchange(context.getNode(), transport, errors, isStopped, account, execution);
	const images = new ResultImages(exchange);
	return new StickerPipeline(
		new StickerMaker(exchange, new PhotoSender(context, exchange), images),
		new BackgroundRemover(exchange, images),
		new StickerFinisher(isStopped),
		new StickerOutput(context, errors),
	);
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
