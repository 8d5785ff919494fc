import type { FinishedImage, ImageBytes, StickerFinish, StopCheck } from '../helpers/interfaces';
import { finishSticker, StickerTooLargeError } from '../image/sticker';
import { ImageFormatError } from '../image/types';
import { runInSlices } from './slicedRun';

/**
 * Step 3 of a sticker: finishing it for its messenger, inside the node (trim, scale, die-cut outline, canvas,
 * PNG or lossless WebP within the byte limit; see image/sticker.ts). Runs in slices with a turn for the event
 * loop between them.
 */
export class StickerFinisher {
	constructor(private readonly isStopped: StopCheck) {}

	async finish(finish: StickerFinish, cutout: ImageBytes): Promise<FinishedImage> {
		const startedAt = Date.now();
		let sticker;
		try {
			sticker = await runInSlices(finishSticker(cutout.bytes, finish.target), this.isStopped, 'the sticker was being finished');
		} catch (error) {
			throw explained(error);
		}
		return {
			image: {
				bytes: Buffer.from(sticker.bytes.buffer, sticker.bytes.byteOffset, sticker.bytes.byteLength),
				type: { mimeType: sticker.mimeType, extension: sticker.extension },
			},
			format: finish.format,
			width: sticker.width,
			height: sticker.height,
			outlineWidth: sticker.outlineWidth,
			paletteColors: sticker.paletteColors,
			compression: sticker.compression,
			quality: sticker.quality,
			time: Math.round(Date.now() - startedAt) / 1000,
			pixels: sticker.pixels,
		};
	}
}

/** An image error with what to do about it (the pipeline keeps the paid sticker either way). */
function explained(error: unknown): Error {
	if (error instanceof StickerTooLargeError) {
		return Object.assign(new Error(error.message), {
			description: 'Even with 2 colours the file is over the limit. With Sticker Format: Custom, raise Max File Size (KB) or choose a smaller size.',
		});
	}
	if (error instanceof ImageFormatError) {
		return Object.assign(new Error(`the cut-out Segmind sent could not be read: ${error.message}`), {
			description: 'Run the item again. If it keeps failing, use Sticker Format: As Generated with Background: Transparent to get the cut-out as Segmind sends it.',
		});
	}
	return error as Error;
}
