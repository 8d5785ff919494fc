import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runInSlices } from './slicedRun';
import { readFaceImage } from '../helpers/binary';
import type { CreateTask, StopCheck } from '../helpers/interfaces';
import { preparePhoto } from '../image/photo/prepare';
import type { PreparedPhoto } from '../image/photo/prepare';
import { ImageFormatError } from '../image/types';

/** A binary face photo as it will be sent, and what preparation did to it (null: sent as it came, unread). */
export interface FacePhoto {
	bytes: Buffer;
	record: IDataObject | null;
}

/**
 * Photo Preparation: a phone photo made upright, private and small before it leaves n8n (image/photo/prepare.ts:
 * the EXIF orientation applied, GPS, serial numbers, times and other metadata removed, scaled to at most 1536 px,
 * re-encoded only when pixels changed). Once per item: a pack's stickers share their item's prepared photo.
 * A photo the node cannot use fails here, before any request, with what to do.
 */
export class PhotoPreparer {
	private readonly prepared = new Map<number, Promise<FacePhoto>>();

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly isStopped: StopCheck,
	) {}

	async photoFor(task: CreateTask, itemIndex: number): Promise<FacePhoto> {
		if (task.image.source !== 'binary') throw new Error('a URL photo is not prepared');
		let photo = this.prepared.get(itemIndex);
		if (!photo) {
			photo = this.prepare(task, task.image.binaryPropertyName, itemIndex);
			this.prepared.set(itemIndex, photo);
		}
		return await photo;
	}

	private async prepare(task: CreateTask, propertyName: string, itemIndex: number): Promise<FacePhoto> {
		const bytes = await readFaceImage(this.context, itemIndex, propertyName, task.photoPreparation);
		if (task.photoPreparation === 'asIs') return { bytes, record: null };
		let prepared: PreparedPhoto;
		try {
			prepared = await runInSlices(preparePhoto(bytes), this.isStopped, 'the photo was being prepared');
		} catch (error) {
			const name = this.context.getInputData()[itemIndex]?.binary?.[propertyName]?.fileName;
			const why = error instanceof ImageFormatError ? lowerFirst(error.message) : (error as Error).message;
			throw new NodeOperationError(this.context.getNode(), `The face photo${name ? ` "${name}"` : ''} cannot be sent: ${why}`, {
				itemIndex,
				description: 'Nothing was sent to Segmind. Photo Preparation (under Options) reads JPEG and PNG photos; Send As Is sends a JPEG, PNG or WebP file of at most 10 MB unread.',
			});
		}
		const sent = prepared.changed ? Buffer.from(prepared.bytes.buffer, prepared.bytes.byteOffset, prepared.bytes.byteLength) : bytes;
		return { bytes: sent, record: describe(prepared) };
	}
}

/** The output record's `photo`: what was sent, against what came. */
function describe(prepared: PreparedPhoto): IDataObject {
	return {
		prepared: prepared.changed,
		format: prepared.original.format,
		originalBytes: prepared.original.bytes,
		originalWidth: prepared.original.width,
		originalHeight: prepared.original.height,
		sentBytes: prepared.sent.bytes,
		sentWidth: prepared.sent.width,
		sentHeight: prepared.sent.height,
		sentType: prepared.mimeType,
		orientation: prepared.orientation,
		metadataRemoved: prepared.metadataRemoved,
		removed: prepared.removed,
	};
}

function lowerFirst(text: string): string {
	return /^This /.test(text) ? `this${text.slice(4)}` : /^The /.test(text) ? `the${text.slice(3)}` : text;
}
