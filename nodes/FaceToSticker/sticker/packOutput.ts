import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PackFile, PackFileSet } from './packFiles';
import { fileBase, packStickerName } from './packFiles';
import { addCosts, roundCredits } from '../helpers/credits';
import type { FinishedImage, JobState, MadeSticker, TransparentSticker } from '../helpers/interfaces';
import type { MissingSticker, PackExpression, PackTask } from '../helpers/packInterfaces';

/** One sticker of a pack, made, cut out and finished. */
export interface PackSticker {
	expression: PackExpression;
	made: MadeSticker;
	cutout?: TransparentSticker;
	finished: FinishedImage;
	job: JobState;
}

/**
 * The output of Create Sticker Pack, in one of two shapes (Output):
 * - one item per sticker: binary in the Output Binary Field, JSON with the pack, the sticker's position,
 *   expression and emoji, `format: "static"`, its request ID, seed and cost (upload each to Telegram, aggregate);
 * - one item with the whole pack: every sticker (sticker_01 …), the icon, the preview sheet and, for WhatsApp,
 *   the .wastickers file and contents.json.
 */
export class PackOutput {
	constructor(private readonly context: IExecuteFunctions) {}

	async items(task: PackTask, stickers: PackSticker[], missing: MissingSticker[], files: PackFileSet, startedAt: number): Promise<INodeExecutionData[]> {
		if (task.output === 'stickers') return await this.stickerItems(task, stickers, missing, startedAt);
		return [await this.packItem(task, stickers, missing, files, startedAt)];
	}

	/** One item per sticker (also what the error output gets when a pack falls short). */
	async stickerItems(task: PackTask, stickers: PackSticker[], missing: MissingSticker[], startedAt: number): Promise<INodeExecutionData[]> {
		const pack = packRecord(task, stickers, missing, startedAt);
		const field = task.sticker.outputBinaryPropertyName;
		return await Promise.all(
			stickers.map(async (sticker) => ({
				json: { pack, ...stickerRecord(sticker), fileName: this.stickerFileName(task, sticker) },
				binary: { [field]: await this.store(sticker.finished.image.bytes, this.stickerFileName(task, sticker), sticker.finished.image.type.mimeType) },
			})),
		);
	}

	private async packItem(task: PackTask, stickers: PackSticker[], missing: MissingSticker[], files: PackFileSet, startedAt: number): Promise<INodeExecutionData> {
		const binary: Record<string, IBinaryData> = {};
		const listed: IDataObject[] = [];
		for (const sticker of stickers) {
			const field = packStickerName(sticker).replace(/\.\w+$/, '');
			binary[field] = await this.store(sticker.finished.image.bytes, this.stickerFileName(task, sticker), sticker.finished.image.type.mimeType);
			listed.push({ ...stickerRecord(sticker), binaryField: field });
		}
		const extra: Record<string, PackFile | undefined> = { icon: files.icon, preview: files.preview, wastickers: files.wastickers, contents: files.contents };
		const described: IDataObject = {};
		for (const [field, file] of Object.entries(extra)) {
			if (!file) continue;
			binary[field] = await this.store(file.bytes, file.fileName, file.mimeType);
			described[field] = { binaryField: field, fileName: file.fileName, fileSize: file.bytes.length, ...(file.width ? { width: file.width, height: file.height } : {}) };
		}
		return { json: { ...packRecord(task, stickers, missing, startedAt), stickers: listed, files: described }, binary };
	}

	private stickerFileName(task: PackTask, sticker: PackSticker): string {
		return `${fileBase(task)}-${packStickerName(sticker).replace(/^sticker_/, '')}`;
	}

	private async store(bytes: Buffer, fileName: string, mimeType: string): Promise<IBinaryData> {
		return await this.context.helpers.prepareBinaryData(bytes, fileName, mimeType);
	}
}

/** What the whole pack is: who it is, how many stickers it has, what is missing and what it cost. */
function packRecord(task: PackTask, stickers: PackSticker[], missing: MissingSticker[], startedAt: number): IDataObject {
	const { identity } = task;
	const costs = stickers.map(stickerCost).filter((cost): cost is number => cost !== null);
	const remaining = stickers.map((sticker) => sticker.cutout?.remainingCredits ?? sticker.made.record.remainingCredits).filter((value): value is number => value !== null);
	return {
		messenger: identity.messenger,
		title: identity.title,
		...(identity.name ? { name: identity.name } : {}),
		...(identity.link ? { link: identity.link } : {}),
		...(identity.author ? { author: identity.author } : {}),
		...(identity.botUsername ? { botUsername: identity.botUsername } : {}),
		seed: task.sticker.settings.seed,
		stickerCount: stickers.length,
		requested: task.expressions.length,
		missing: missing.map((miss) => ({ ...miss })),
		cost: costs.length ? roundCredits(costs.reduce((sum, cost) => sum + cost, 0)) : null,
		remainingCredits: remaining.length ? Math.min(...remaining) : null,
		elapsedTime: Math.round(Date.now() - startedAt) / 1000,
	};
}

function stickerRecord(sticker: PackSticker): IDataObject {
	const { finished, made, expression } = sticker;
	return {
		position: expression.position,
		expression: expression.expression,
		emoji: expression.emoji[0],
		emojiList: expression.emoji,
		format: 'static',
		requestId: sticker.job.requestId ?? null,
		seed: made.record.seed,
		cost: stickerCost(sticker),
		width: finished.width,
		height: finished.height,
		mimeType: finished.image.type.mimeType,
		fileSize: finished.image.bytes.length,
		paletteColors: finished.paletteColors,
		compression: finished.compression,
		quality: finished.quality,
	};
}

function stickerCost(sticker: PackSticker): number | null {
	return addCosts(sticker.made.record.cost, sticker.cutout?.cost ?? null);
}

