import type { PackSticker } from './packOutput';
import { runInSlices } from './slicedRun';
import type { ImageType, StopCheck } from '../helpers/interfaces';
import type { PackTask } from '../helpers/packInterfaces';
import { packIcon } from '../image/ops/icon';
import { previewSheet } from '../image/ops/sheet';
import { encodePng } from '../image/png/encode';
import { writeZip } from '../image/zip/write';

const KB = 1024;
/** Telegram's set thumbnail (setStickerSetThumbnail) and WhatsApp's tray icon, by the published rules. */
const TELEGRAM_THUMBNAIL = { size: 100, encoding: 'webp', maxBytes: 128 * KB } as const;
const WHATSAPP_TRAY = { size: 96, encoding: 'png', maxBytes: 50 * KB } as const;

/** A file of the pack, ready to become n8n binary data. */
export interface PackFile {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	width?: number;
	height?: number;
}

/** The pack's own files beside its stickers. */
export interface PackFileSet {
	/** Telegram: the set thumbnail; WhatsApp: the tray icon; Signal: the cover (the first sticker). */
	icon: PackFile;
	/** Every sticker of the pack in a grid, one opaque PNG to look at. */
	preview: PackFile;
	/** WhatsApp only: the .wastickers ZIP that sticker installer apps read, and the sample app's contents.json. */
	wastickers?: PackFile;
	contents?: PackFile;
}

/** The name each sticker has inside the pack's files (and in contents.json). */
export function packStickerName(sticker: PackSticker): string {
	return `sticker_${String(sticker.expression.position).padStart(2, '0')}.${sticker.finished.image.type.extension}`;
}

const TRAY_NAME = 'tray.png';

/** Builds the icon, the preview sheet and WhatsApp's files in slices, so n8n keeps answering meanwhile. */
export class PackFiles {
	constructor(private readonly isStopped: StopCheck) {}

	async build(task: PackTask, stickers: PackSticker[]): Promise<PackFileSet> {
		const slices = async <T>(work: Generator<void, T, void>) => await runInSlices(work, this.isStopped, 'the pack\'s files were being made');
		const base = fileBase(task);
		const sheet = await slices(previewSheet(stickers.map((sticker) => sticker.finished.pixels)));
		const preview: PackFile = {
			bytes: toBuffer(await slices(encodePng(sheet))),
			fileName: `${base}-preview.png`,
			mimeType: 'image/png',
			width: sheet.width,
			height: sheet.height,
		};
		const { messenger } = task.identity;
		if (messenger === 'signal') {
			const first = stickers[0].finished;
			return { icon: { ...imageFile(first.image.bytes, first.image.type, `${base}-cover`), width: first.width, height: first.height }, preview };
		}
		const rule = messenger === 'telegram' ? TELEGRAM_THUMBNAIL : WHATSAPP_TRAY;
		const icon = await slices(packIcon(stickers[0].finished.pixels, rule.size, rule.encoding, rule.maxBytes));
		const iconFile: PackFile = {
			bytes: toBuffer(icon.bytes),
			fileName: messenger === 'telegram' ? `${base}-thumbnail.webp` : TRAY_NAME,
			mimeType: rule.encoding === 'png' ? 'image/png' : 'image/webp',
			width: icon.width,
			height: icon.height,
		};
		if (messenger === 'telegram') return { icon: iconFile, preview };

		const contents = Buffer.from(`${JSON.stringify(whatsappContents(task, stickers), null, 2)}\n`, 'utf8');
		const zip = await slices(
			writeZip([
				...stickers.map((sticker) => ({ name: packStickerName(sticker), bytes: sticker.finished.image.bytes })),
				{ name: TRAY_NAME, bytes: icon.bytes },
				{ name: 'title.txt', bytes: Buffer.from(task.identity.title, 'utf8') },
				{ name: 'author.txt', bytes: Buffer.from(task.identity.author, 'utf8') },
			]),
		);
		return {
			icon: iconFile,
			preview,
			wastickers: { bytes: toBuffer(zip), fileName: `${base}.wastickers`, mimeType: 'application/zip' },
			contents: { bytes: contents, fileName: 'contents.json', mimeType: 'application/json' },
		};
	}
}

/**
 * contents.json in the layout of WhatsApp's sample app (github.com/WhatsApp/stickers, Android
 * app/src/main/assets/contents.json): one sticker pack with its identifier, name, publisher, tray image and
 * stickers, each with its emoji.
 */
export function whatsappContents(task: PackTask, stickers: PackSticker[]) {
	return {
		android_play_store_link: '',
		ios_app_store_link: '',
		sticker_packs: [
			{
				identifier: task.identity.name,
				name: task.identity.title,
				publisher: task.identity.author,
				tray_image_file: TRAY_NAME,
				image_data_version: '1',
				avoid_cache: false,
				publisher_email: '',
				publisher_website: '',
				privacy_policy_website: '',
				license_agreement_website: '',
				animated_sticker_pack: false,
				stickers: stickers.map((sticker) => ({
					image_file: packStickerName(sticker),
					emojis: sticker.expression.emoji,
					accessibility_text: sticker.expression.expression,
				})),
			},
		],
	};
}

/** A file name from the pack's name (Telegram, WhatsApp) or title (Signal): safe on every file system. */
export function fileBase(task: PackTask): string {
	const from = task.identity.name || task.identity.title;
	return from.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, 64) || 'sticker-pack';
}

function imageFile(bytes: Buffer, type: ImageType, name: string): PackFile {
	return { bytes, fileName: `${name}.${type.extension}`, mimeType: type.mimeType };
}

function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
