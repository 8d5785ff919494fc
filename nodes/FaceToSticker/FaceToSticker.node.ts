import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { randomUUID } from 'crypto';

import type { Account } from './account';
import { accounts } from './account';
import { BackgroundRemover } from './background';
import { faceToStickerProperties } from './description';
import { RetryingExchange } from './exchange';
import { assertFaceImagePresent } from './images';
import { JobErrors } from './jobErrors';
import { StickerJobs } from './jobs';
import { StickerKeptFailure, StickerOutput } from './output';
import { RequestPacer } from './pacer';
import type { ItemTask } from './parameters';
import { ParameterReader } from './parameters';
import { PhotoSender } from './photo';
import { ResultImages } from './results';
import { runConcurrently } from './runner';
import { readApiEndpoint, SegmindTransport } from './transport';

export class FaceToSticker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Face to Sticker',
		name: 'faceToSticker',
		icon: { light: 'file:faceToSticker.svg', dark: 'file:faceToSticker.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "getResult" ? "Get result" : "Create sticker" + ($parameter["options"]["background"] === "transparent" ? " (transparent)" : "")}}',
		description: 'Turn a photo of a face into a sticker with Segmind\'s face-to-sticker model',
		defaults: { name: 'Face to Sticker' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: faceToStickerProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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
		const jobs = createJobs(this, transport, isStopped, account, execution);

		const results: INodeExecutionData[] = new Array(items.length);
		try {
			await runConcurrently(
				items.length,
				run.concurrency,
				async (itemIndex) => {
					const task = tasks[itemIndex];
					try {
						if (task instanceof Error) throw task;
						const output = await jobs.run(task, itemIndex);
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
}

/** The parts that run one item's job, wired for this execution (the photo route is remembered across items). */
function createJobs(
	context: IExecuteFunctions,
	transport: SegmindTransport,
	isStopped: () => boolean,
	account: Account,
	execution: string,
): StickerJobs {
	const errors = new JobErrors(context.getNode(), transport.endpoint.redact);
	const exchange = new RetryingExchange(context.getNode(), transport, errors, isStopped, account, execution);
	const images = new ResultImages(exchange);
	const output = new StickerOutput(context, new BackgroundRemover(exchange, images), errors);
	return new StickerJobs(exchange, new PhotoSender(context, exchange), images, output);
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
