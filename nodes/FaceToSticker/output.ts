import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import type { BackgroundRemover } from './background';
import { storeSticker } from './images';
import type { JobErrors } from './jobErrors';
import type { JobState } from './jobState';
import type { CallMode } from './parameters';
import { ORIGINAL_BINARY_FIELD } from './parameters';
import type { PhotoRoute } from './photo';
import type { ImageBytes } from './results';

/** The JSON record of one generation, before the fields every output gets. */
export interface JobRecord {
	mode: CallMode;
	seed: number | null;
	cost: number | null;
	remainingCredits: number | null;
	generationTime: number | null;
	queueTime?: number | null;
	totalTime?: number | null;
	imageUrl?: string;
	photoRoute?: PhotoRoute;
}

/** A sticker Segmind made (and billed), with what is known about it. */
export interface MadeSticker {
	image: ImageBytes;
	record: JobRecord;
}

/**
 * A step after the paid generation failed (background removal). Carries the item that keeps the flat sticker,
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

/** Turns a made sticker into the node's output item: binary data plus the JSON record, transparent on request. */
export class StickerOutput {
	constructor(
		private readonly context: IExecuteFunctions,
		private readonly background: BackgroundRemover,
		private readonly errors: JobErrors,
	) {}

	async finish(job: JobState, sticker: MadeSticker): Promise<INodeExecutionData> {
		if (job.settings.background !== 'transparent') {
			return await this.item(job, sticker.image, { ...sticker.record, backgroundRemoved: false });
		}
		let transparent;
		try {
			transparent = await this.background.remove(job, sticker.image, sticker.record.imageUrl);
		} catch (error) {
			throw await this.keptFailure(job, sticker, error as Error);
		}
		const { cost, remainingCredits } = sticker.record;
		const item = await this.item(job, transparent.image, {
			...sticker.record,
			cost: cost === null && transparent.cost === null ? null : round((cost ?? 0) + (transparent.cost ?? 0)),
			remainingCredits: transparent.remainingCredits ?? remainingCredits,
			backgroundRemoved: true,
			backgroundRemovalCost: transparent.cost,
			backgroundRemovalTime: transparent.time,
		});
		if (job.settings.keepOriginal) {
			const fileName = `${job.settings.fileName}-original`;
			item.binary![ORIGINAL_BINARY_FIELD] = await storeSticker(this.context, sticker.image.bytes, sticker.image.type, fileName);
		}
		return item;
	}

	private async keptFailure(job: JobState, sticker: MadeSticker, cause: Error): Promise<StickerKeptFailure> {
		const url = sticker.record.imageUrl;
		const reason = cause.message.replace(` (request ID ${job.requestId})`, '');
		const id = job.requestId ? ` (request ID ${job.requestId})` : '';
		const where = url ? `The flat sticker is at ${url}${id}` : `The flat sticker was made${id}`;
		const error = this.errors.job(
			job,
			`Background removal failed: ${reason}. ${where}`,
			`The sticker itself was made and paid for.${url ? ' Segmind keeps it at that URL for 7 days, and Get Result can fetch it with the request ID within an hour.' : ''} With On Error set to "Continue (using error output)", the item goes to the error output carrying the flat sticker. ${(cause as { description?: string }).description ?? ''}`.trim(),
		);
		const kept = await this.item(job, sticker.image, { ...sticker.record, backgroundRemoved: false });
		kept.json = { error: error.message, ...kept.json };
		return new StickerKeptFailure(error, kept);
	}

	private async item(job: JobState, image: ImageBytes, record: IDataObject): Promise<INodeExecutionData> {
		const binary = await storeSticker(this.context, image.bytes, image.type, job.settings.fileName);
		const json: IDataObject = {
			requestId: job.requestId ?? null,
			status: 'COMPLETED',
			...record,
			elapsedTime: Math.round(Date.now() - job.startedAt) / 1000,
			polls: job.polls,
			mimeType: image.type.mimeType,
			fileSize: image.bytes.length,
		};
		for (const key of ['imageUrl', 'photoRoute']) if (json[key] === undefined) delete json[key];
		return { json, binary: { [job.settings.outputBinaryPropertyName]: binary } };
	}
}

/** Credits are fractions of a cent: keep six decimals, drop float noise from the sum. */
function round(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}
