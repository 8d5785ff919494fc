import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, NodeExecution } from './execution';
import { assertFaceImagePresent } from '../helpers/binary';
import type { PackTask } from '../helpers/packInterfaces';
import { readPackTask } from '../helpers/packParameters';
import { ParameterReader } from '../helpers/parameters';
import { PackFailure, PackMaker } from '../sticker/pack';
import { PackFiles } from '../sticker/packFiles';
import { PackOutput } from '../sticker/packOutput';

/**
 * Create Sticker Pack: every item's pack is checked before the first request (expressions, emoji, names,
 * titles), then the packs are made one after another, each pack's stickers at once (sticker/pack.ts). Every
 * output item is paired with the input item whose photo it came from.
 */
export async function createPacks(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const run = new ParameterReader(this, 0).readRunSettings();

	const tasks: Array<PackTask | Error> = items.map((_, itemIndex) => {
		try {
			const task = readPackTask(new ParameterReader(this, itemIndex));
			if (task.sticker.image.source === 'binary') assertFaceImagePresent(this, itemIndex, task.sticker.image.binaryPropertyName);
			return task;
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, itemIndex);
			return error as Error;
		}
	});

	const execution = await NodeExecution.start(this, run);
	const maker = new PackMaker(
		this.getNode(),
		execution.pipeline,
		execution.exchange,
		new PackFiles(execution.isStopped),
		execution.photos,
		new PackOutput(this),
		run.concurrency,
		execution.isStopped,
	);
	const results: INodeExecutionData[] = [];
	try {
		for (let itemIndex = 0; itemIndex < items.length && !execution.isStopped(); itemIndex++) {
			const task = tasks[itemIndex];
			const pairedItem = { item: itemIndex };
			try {
				if (task instanceof Error) throw task;
				for (const item of await maker.run(task, itemIndex)) results.push({ ...item, pairedItem });
			} catch (error) {
				if (execution.cancelled) break;
				if (!continueOnFail) {
					execution.fatalError = error instanceof PackFailure ? error.error : execution.asNodeError(error, itemIndex);
					break;
				}
				if (error instanceof PackFailure && error.paidItems.length > 0) {
					// The stickers already paid for travel with the error, to the error output.
					for (const item of error.paidItems) {
						results.push({ ...item, json: { ...execution.errorJson(error.error), ...item.json }, error: error.error, pairedItem });
					}
				} else {
					results.push({ json: execution.errorJson(error instanceof PackFailure ? error.error : error), pairedItem });
				}
			}
		}
	} finally {
		execution.end();
	}
	execution.throwIfFailed();
	return [results];
}
