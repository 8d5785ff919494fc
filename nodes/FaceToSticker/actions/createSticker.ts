import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, NodeExecution } from './execution';
import { assertFaceImagePresent } from '../helpers/binary';
import { runConcurrently } from '../helpers/concurrency';
import type { ItemTask } from '../helpers/interfaces';
import { ParameterReader } from '../helpers/parameters';
import { StickerKeptFailure } from '../sticker/outputItem';

/**
 * Create Sticker and Get Result: reads and checks every item's parameters before the first request, runs each
 * item's sticker pipeline (at most Concurrency at once, within the account's shared limits) and keeps every
 * item, failed or not, paired with its input.
 */
export async function createStickers(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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

	const execution = await NodeExecution.start(this, run);
	const results: INodeExecutionData[] = new Array(items.length);
	try {
		await runConcurrently(
			items.length,
			run.concurrency,
			async (itemIndex) => {
				const task = tasks[itemIndex];
				try {
					if (task instanceof Error) throw task;
					const output = await execution.pipeline.run(task, itemIndex);
					results[itemIndex] = { ...output, pairedItem: { item: itemIndex } };
				} catch (error) {
					// After a cancel every running job stops with an error of its own; the cancel is what to report.
					if (execution.cancelled) return;
					if (error instanceof StickerKeptFailure) {
						// A paid sticker survives a later failure: n8n routes an item with `error` set to the error output.
						if (continueOnFail) results[itemIndex] = { ...error.keptItem, error: error.error, pairedItem: { item: itemIndex } };
						else execution.fatalError ??= error.error;
						return;
					}
					if (continueOnFail) {
						results[itemIndex] = { json: execution.errorJson(error), pairedItem: { item: itemIndex } };
					} else {
						execution.fatalError ??= execution.asNodeError(error, itemIndex);
					}
				}
			},
			execution.isStopped,
		);
	} finally {
		execution.end();
	}
	execution.throwIfFailed();
	return [results];
}
