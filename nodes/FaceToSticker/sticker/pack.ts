import type { INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PackFiles } from './packFiles';
import type { PhotoPreparer } from './photoPreparation';
import type { PackOutput, PackSticker } from './packOutput';
import { checkPackBudget } from './packBudget';
import { StickerKeptFailure } from './outputItem';
import type { StickerPipeline } from './pipeline';
import { runConcurrently } from '../helpers/concurrency';
import type { CreateTask, StopCheck } from '../helpers/interfaces';
import { newJobState } from '../helpers/interfaces';
import type { MissingSticker, PackExpression, PackTask } from '../helpers/packInterfaces';
import { PACK_RULES } from '../helpers/packRules';
import type { RetryingExchange } from '../transport/exchange';

/** A pack that cannot be delivered: too few stickers were made. Carries the items of the stickers that were paid for. */
export class PackFailure extends Error {
	constructor(
		readonly error: NodeOperationError,
		readonly paidItems: INodeExecutionData[],
	) {
		super(error.message);
		this.name = 'PackFailure';
	}
}

type Outcome = { sticker: PackSticker } | { missing: MissingSticker; kept?: INodeExecutionData };

/**
 * Create Sticker Pack, in the order a pack is made:
 *   1. money first: the estimate against Max Pack Cost and the balance (packBudget.ts); nothing spent if short
 *   2. one sticker per expression through the sticker pipeline (make, cut out, finish to the messenger's rules),
 *      all with the pack's one seed, at most Concurrency at once and within the account's limits
 *   3. a sticker that fails is named with its reason; the pack goes on without it while the messenger's minimum
 *      holds, else the item fails and the stickers already paid for go to the error output
 *   4. the pack's own files: icon, preview sheet, WhatsApp's .wastickers and contents.json (packFiles.ts)
 *   5. the output: one item per sticker, or one item with the whole pack (packOutput.ts)
 */
export class PackMaker {
	constructor(
		private readonly node: INode,
		private readonly pipeline: StickerPipeline,
		private readonly exchange: RetryingExchange,
		private readonly files: PackFiles,
		private readonly photos: PhotoPreparer,
		private readonly output: PackOutput,
		private readonly concurrency: number,
		private readonly isStopped: StopCheck,
	) {}

	async run(task: PackTask, itemIndex: number): Promise<INodeExecutionData[]> {
		const startedAt = Date.now();
		// The photo first: one the node cannot use is refused before any request, the balance check included.
		if (task.sticker.image.source === 'binary') await this.photos.photoFor(task.sticker, itemIndex);
		await checkPackBudget(this.node, this.exchange, task, newJobState(itemIndex, task.sticker));

		const outcomes: Outcome[] = new Array(task.expressions.length);
		await runConcurrently(
			task.expressions.length,
			this.concurrency,
			async (index) => {
				outcomes[index] = await this.makeSticker(task, task.expressions[index], itemIndex);
			},
			this.isStopped,
		);
		const stickers: PackSticker[] = [];
		const missing: MissingSticker[] = [];
		const kept: INodeExecutionData[] = [];
		task.expressions.forEach((expression, index) => {
			const outcome = outcomes[index] ?? notStarted(expression);
			if ('sticker' in outcome) {
				stickers.push(outcome.sticker);
			} else {
				missing.push(outcome.missing);
				if (outcome.kept) kept.push(outcome.kept);
			}
		});

		const rules = PACK_RULES[task.identity.messenger];
		if (stickers.length < rules.minStickers) {
			const paidItems = [...(await this.output.stickerItems(task, stickers, missing, startedAt)), ...kept];
			throw new PackFailure(this.tooFew(task, stickers.length, missing, itemIndex), paidItems);
		}
		const files = await this.files.build(task, stickers);
		return await this.output.items(task, stickers, missing, files, startedAt);
	}

	/** One expression's sticker: the pack's sticker task with the expression added to the prompt. */
	private async makeSticker(task: PackTask, expression: PackExpression, itemIndex: number): Promise<Outcome> {
		const stickerTask: CreateTask = {
			...task.sticker,
			settings: { ...task.sticker.settings, prompt: promptWith(task.sticker.settings.prompt, expression.expression) },
		};
		const job = newJobState(itemIndex, stickerTask);
		try {
			const produced = await this.pipeline.produce(stickerTask, itemIndex, job);
			if ('submitted' in produced || !produced.finished) throw new Error('the sticker was not finished');
			return { sticker: { expression, made: produced.made, cutout: produced.cutout, finished: produced.finished, job } };
		} catch (error) {
			const kept = error instanceof StickerKeptFailure ? error.keptItem : undefined;
			const reason = (error instanceof StickerKeptFailure ? error.error : (error as Error)).message;
			return {
				missing: {
					position: expression.position,
					expression: expression.expression,
					reason,
					requestId: job.requestId ?? null,
					paid: kept !== undefined,
				},
				kept,
			};
		}
	}

	private tooFew(task: PackTask, made: number, missing: MissingSticker[], itemIndex: number): NodeOperationError {
		const { messenger } = task.identity;
		const minimum = PACK_RULES[messenger].minStickers;
		const lines = missing.map(
			(miss) => `${miss.position}. "${miss.expression}": ${miss.reason}${miss.requestId && !miss.reason.includes(miss.requestId) ? ` (request ID ${miss.requestId})` : ''}`,
		);
		return new NodeOperationError(
			this.node,
			`Only ${made} of ${task.expressions.length} stickers could be made, and a ${PACK_RULES[messenger].messenger} pack needs at least ${minimum}`,
			{
				itemIndex,
				description: `What failed: ${lines.join('; ')}. The stickers that were made (and paid for) go to the error output with On Error set to "Continue (using error output)".`,
			},
		);
	}
}

/** "a person" + "laughing out loud" -> "a person, laughing out loud". */
export function promptWith(prompt: string, expression: string): string {
	const base = prompt.trim().replace(/[,\s]+$/, '');
	return base ? `${base}, ${expression}` : expression;
}

function notStarted(expression: PackExpression): Outcome {
	return {
		missing: {
			position: expression.position,
			expression: expression.expression,
			reason: 'not started: the execution was stopped',
			requestId: null,
			paid: false,
		},
	};
}
