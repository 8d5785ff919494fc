import type { INodeExecutionData } from 'n8n-workflow';

import type { StickerFinisher } from './finish';
import type { StickerMaker } from './make';
import type { StickerOutput } from './outputItem';
import type { BackgroundRemover } from './removeBackground';
import type { FinishedImage, ItemTask, JobState, MadeSticker, SubmittedJob, TransparentSticker } from '../helpers/interfaces';
import { newJobState } from '../helpers/interfaces';

/** A sticker made, cut out and finished as its task asked, before it becomes an output item. */
export interface ProducedSticker {
	job: JobState;
	made: MadeSticker;
	cutout?: TransparentSticker;
	finished?: FinishedImage;
}

/**
 * One item's sticker, step by step. This is the one place that says the order:
 *   1. make it: queue, direct or Get Result                       (make.ts)
 *   2. remove the background, when the output needs a cut-out     (removeBackground.ts)
 *   3. finish it for its messenger, when a Sticker Format is set  (finish.ts, image/)
 *   4. build the output item                                      (outputItem.ts)
 * A sticker pack (pack.ts) runs steps 1-3 here for each of its expressions, then builds the pack's own output.
 * Once step 1 has made (and Segmind billed) a sticker, a later failure keeps it: the error carries an item with
 * the flat sticker (StickerKeptFailure).
 */
export class StickerPipeline {
	constructor(
		private readonly maker: StickerMaker,
		private readonly background: BackgroundRemover,
		private readonly finisher: StickerFinisher,
		private readonly output: StickerOutput,
	) {}

	async run(task: ItemTask, itemIndex: number): Promise<INodeExecutionData> {
		const sticker = await this.produce(task, itemIndex);
		if ('submitted' in sticker) return this.output.submitted(sticker);
		return await this.output.item(sticker.job, sticker.made, sticker.cutout, sticker.finished);
	}

	/** Steps 1 to 3: what the output item (or a pack's sticker) is built from. `job` records the request ID as it goes. */
	async produce(task: ItemTask, itemIndex: number, job: JobState = newJobState(itemIndex, task)): Promise<ProducedSticker | SubmittedJob> {
		const made = await this.maker.make(task, job);
		if ('submitted' in made) return made;

		const { finish } = job.settings;
		const cutout = job.settings.background === 'transparent' || finish
			? await this.keepingSticker(job, made, 'Background removal', async () =>
				await this.background.remove(job, made.image, made.record.imageUrl))
			: undefined;

		const finished = finish && cutout
			? await this.keepingSticker(job, made, 'Finishing the sticker', async () =>
				await this.finisher.finish(finish, cutout.image))
			: undefined;

		return { job, made, cutout, finished };
	}

	private async keepingSticker<T>(job: JobState, made: MadeSticker, step: string, work: () => Promise<T>): Promise<T> {
		try {
			return await work();
		} catch (error) {
			throw await this.output.keptFailure(job, made, step, error as Error);
		}
	}
}
