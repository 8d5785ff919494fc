import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ImageType } from './interfaces';
import { LIMITS } from './limits';
import { sniffPhotoFormat } from '../image/photo/sniff';

/** Tells the image type from the bytes themselves: file names and declared mime types can lie. */
export function detectImageType(bytes: Buffer): ImageType | undefined {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return { mimeType: 'image/jpeg', extension: 'jpg' };
	}
	if (
		bytes.length >= 8 &&
		bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
	) {
		return { mimeType: 'image/png', extension: 'png' };
	}
	if (
		bytes.length >= 12 &&
		bytes.toString('latin1', 0, 4) === 'RIFF' &&
		bytes.toString('latin1', 8, 12) === 'WEBP'
	) {
		return { mimeType: 'image/webp', extension: 'webp' };
	}
	return undefined;
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/**
 * Checks that the item has the binary field (through n8n's helper, which also knows the workflow's binary mode)
 * without reading the file, so a missing field fails before any item starts. n8n's own message says what is
 * missing; a sticker user also needs to hear how to get the photo there.
 */
export function assertFaceImagePresent(context: IExecuteFunctions, itemIndex: number, propertyName: string) {
	try {
		context.helpers.assertBinaryData(itemIndex, propertyName);
	} catch (error) {
		const present = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		const fix = present.length
			? `The item has the binary field${present.length > 1 ? 's' : ''} ${present.map((name) => `"${name}"`).join(', ')}: set Input Binary Field to the one holding the photo.`
			: 'Add a node before this one that outputs the photo as a file (for example Read Files from Disk, HTTP Request with the response as a file, or Telegram Trigger with Download Images on), or set Image Source to URL.';
		throw new NodeOperationError(context.getNode(), `No face photo in the input binary field "${propertyName}"`, {
			itemIndex,
			description: `${fix} (n8n: ${(error as Error).message})`,
		});
	}
}

/** The largest face photo each Photo Preparation takes: as it is, what Segmind accepts; prepared, what n8n can shrink. */
export const PHOTO_LIMITS = {
	asIs: { bytes: LIMITS.inputImageBytes, label: '10 MB', why: 'Segmind accepts', fix: 'Resize or compress the photo first, or set Photo Preparation (under Options) to Auto.' },
	auto: { bytes: LIMITS.preparedPhotoBytes, label: '100 MB', why: 'the node prepares', fix: 'Send a smaller photo: a phone photo is 3 to 25 MB.' },
} as const;

/**
 * Reads the face photo of one item, in whatever binary mode n8n runs (filesystem, database, S3), checks its size
 * against what its Photo Preparation takes, and that it is a JPEG, PNG or WebP (or, when prepared, a format whose
 * refusal preparation explains), and returns its bytes.
 */
export async function readFaceImage(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	preparation: keyof typeof PHOTO_LIMITS = 'asIs',
): Promise<Buffer> {
	const limit = PHOTO_LIMITS[preparation];
	const metadata = context.helpers.assertBinaryData(itemIndex, propertyName);
	const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const name = metadata.fileName ? `"${metadata.fileName}"` : `the file in "${propertyName}"`;
	if (bytes.length === 0) {
		throw new NodeOperationError(context.getNode(), `The face photo ${name} is empty (0 bytes)`, {
			itemIndex,
			description: `Check the node that produced the binary field "${propertyName}".`,
		});
	}
	if (bytes.length > limit.bytes) {
		throw new NodeOperationError(
			context.getNode(),
			`The face photo ${name} is ${formatBytes(bytes.length)}, more than the ${limit.label} ${limit.why}`,
			{ itemIndex, description: limit.fix },
		);
	}
	if (!detectImageType(bytes) && (preparation === 'asIs' || sniffPhotoFormat(bytes) === 'unknown')) {
		const declared = metadata.mimeType ? ` (declared as ${metadata.mimeType})` : '';
		throw new NodeOperationError(
			context.getNode(),
			`The face photo ${name}${declared} is not a JPEG, PNG or WebP image`,
			{
				itemIndex,
				description: `Segmind accepts JPEG, PNG and WebP photos. Check that "${propertyName}" holds the photo and not another file.`,
			},
		);
	}
	return bytes;
}

/** Stores the sticker through n8n's binary data service, named after its actual type. */
export async function storeSticker(
	context: IExecuteFunctions,
	bytes: Buffer,
	imageType: ImageType,
	fileName: string,
): Promise<IBinaryData> {
	return await context.helpers.prepareBinaryData(
		bytes,
		`${fileName}.${imageType.extension}`,
		imageType.mimeType,
	);
}
