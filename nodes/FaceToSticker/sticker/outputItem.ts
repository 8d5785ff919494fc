import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';

import { storeSticker } from '../helpers/binary';
import { addCosts } from '../helpers/credits';
import type {
	FinishedImage,
	ImageBytes,
	JobState,
	MadeSticker,
	SubmittedJob,
	TransparentSticker,
} from '../helpers/interfaces';
import { ORIGINAL_BINARY_FIELD } from '../helpers/interfaces';
import type { JobErrors } from '../transport/jobErrors';

/**
 * A step after the paid generation failed (background removal, finishing). Carries the item that keeps the flat sticker,
 * so that with an error output nothing paid for is thrown away; `error` is what the node reports otherwise.
 */
export class StickerKeptFailure extends Error {
	constructor(
		readonly error: NodeApiError,
		readonly keptItem: INodeExecutionData,
	) {
		super(error.message);
		this.name = 'StickerKeptFailure';
	}
}

/**
 * Step 4 of a sticker: the output item. Binary data (the finished sticker, else the cut-out, else the flat one)
 * plus the JSON record of everything the earlier steps did and cost.
 */
export class StickerOutput {
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly errors: JobErrors,
	) {}

	/** A queue job submitted without waiting: its IDs only, no binary. */
	submitted(job: SubmittedJob): INodeExecutionData {
		return { json: job.submitted };
	}

	async item(
		job: JobState,
		made: MadeSticker,
		cutout?: TransparentSticker,
		finished?: FinishedImage,
	): Promise<INodeExecutionData> {
		if (!cutout) return await this.build(job, made.image, { ...made.record, backgroundRemoved: false });
		const { cost, remainingCredits } = made.record;
		const item = await this.build(job, finished?.image ?? cutout.image, {
			...made.record,
			cost: addCosts(cost, cutout.cost),
			remainingCredits: cutout.remainingCredits ?? remainingCredits,
			backgroundRemoved: true,
			backgroundRemovalCost: cutout.cost,
			backgroundRemovalTime: cutout.time,
			...(finished ? stickerRecord(finished) : {}),
		});
		if (job.settings.keepOriginal) {
			const fileName = `${job.settings.fileName}-original`;
			item.binary![ORIGINAL_BINARY_FIELD] = await storeSticker(this.context, made.image.bytes, made.image.type, fileName);
		}
		return item;
	}

	/** A step after the paid generation failed: the error, and an item that keeps the flat sticker. */
	async keptFailure(job: JobState, made: MadeSticker, step: string, cause: Error): Promise<StickerKeptFailure> {
		const url = made.record.imageUrl;
		const reason = cause.message.replace(` (request ID ${job.requestId})`, '');
		const id = job.requestId ? ` (request ID ${job.requestId})` : '';
		const where = url ? `The flat sticker is at ${url}${id}` : `The flat sticker was made${id}`;
		const error = this.errors.job(
			job,
			`${step} failed: ${reason}. ${where}`,
			`The sticker itself was made and paid for.${url ? ' Segmind keeps it at that URL for 7 days, and Get Result can fetch it with the request ID within an hour.' : ''} With On Error set to "Continue (using error output)", the item goes to the error output carrying the flat sticker. ${(cause as { description?: string }).description ?? ''}`.trim(),
		);
		const kept = await this.build(job, made.image, { ...made.record, backgroundRemoved: false });
		kept.json = { error: error.message, ...kept.json };
		return new StickerKeptFailure(error, kept);
	}

	private async build(job: JobState, image: ImageBytes, record: IDataObject): Promise<INodeExecutionData> {
		const binary = await storeSticker(this.context, image.bytes, image.type, job.settings.fileName);
		// What Photo Preparation did comes last: the sticker's own fields first in the output panel.
		const { photo, ...own } = record;
		const json: IDataObject = {
			requestId: job.requestId ?? null,
			status: 'COMPLETED',
			...own,
			elapsedTime: Math.round(Date.now() - job.startedAt) / 1000,
			polls: job.polls,
			mimeType: image.type.mimeType,
			fileSize: image.bytes.length,
			photo,
		};
		for (const key of ['imageUrl', 'photoRoute', 'photo']) if (json[key] === undefined) delete json[key];
		return { json, binary: { [job.settings.outputBinaryPropertyName]: binary } };
	}
}

/** What the finish made, for the JSON record. */
function stickerRecord(finished: FinishedImage): IDataObject {
	return {
		stickerFormat: finished.format,
		width: finished.width,
		height: finished.height,
		outlineWidth: finished.outlineWidth,
		palette: finished.paletteColors !== null,
		paletteColors: finished.paletteColors,
		compression: finished.compression,
		quality: finished.quality,
		finishTime: finished.time,
	};
}
