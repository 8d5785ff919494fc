import type { IDataObject } from 'n8n-workflow';

import type { StickerTarget } from '../image/targets';
import type { RgbaImage } from '../image/types';

/** The types the node's layers share: an item's task, its job as it runs, and the sticker it makes. */

export type CallMode = 'queue' | 'direct';

export type ImageInput =
	| { source: 'binary'; binaryPropertyName: string }
	| { source: 'url'; url: string };

/** The generation settings sent to Segmind, in the API's own field names, minus the image. */
export interface GenerationSettings {
	prompt: string;
	negative_prompt: string;
	width: number;
	height: number;
	steps: number;
	seed: number;
	prompt_strength: number;
	instant_id_strength: number;
	ip_adapter_weight: number;
	ip_adapter_noise: number;
	upscale: boolean;
	upscale_steps: number;
}

/** What one item needs to reach Segmind and to store its result; every value already validated. */
export interface ItemSettings {
	pollIntervalMs: number;
	maxWaitMs: number;
	timeoutMs: number;
	outputBinaryPropertyName: string;
	fileName: string;
	/** `transparent` chains Segmind's Background Removal V2 after the sticker. */
	background: 'keep' | 'transparent';
	/** With a transparent background, also output the flat sticker in the `original` binary field. */
	keepOriginal: boolean;
	/** A messenger-ready sticker made from the cut-out, or null for the image as Segmind made it. */
	finish: StickerFinish | null;
}

/** True once the execution is cancelled or failed: waits and slices end early. */
export type StopCheck = () => boolean;

/** The Sticker Format choices; every one but asGenerated is finished from the transparent cut-out. */
export type StickerFormat = 'asGenerated' | 'telegram' | 'whatsapp' | 'signal' | 'discord' | 'slack' | 'custom';

export interface StickerFinish {
	format: Exclude<StickerFormat, 'asGenerated'>;
	target: StickerTarget;
}

/** How a binary photo reaches Segmind: base64 in the request, or uploaded to Segmind's storage first. */
export type PhotoUpload = 'auto' | 'inline' | 'upload';

/** What happens to a binary photo first: made upright, private and small (auto), or sent as it came. */
export type PhotoPreparation = 'auto' | 'asIs';

/** The binary field that holds the flat sticker when Keep Original is on. */
export const ORIGINAL_BINARY_FIELD = 'original';

export interface CreateTask extends ItemSettings {
	operation: 'create';
	mode: CallMode;
	waitForCompletion: boolean;
	photoUpload: PhotoUpload;
	photoPreparation: PhotoPreparation;
	image: ImageInput;
	settings: GenerationSettings;
}

export interface GetResultTask extends ItemSettings {
	operation: 'getResult';
	requestId: string;
}

export type ItemTask = CreateTask | GetResultTask;

/** Settings of the whole run, read once from the first item. */
export interface RunSettings {
	concurrency: number;
	requestsPerMinute: number;
}

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
	/** What Photo Preparation did to a binary photo (absent for a URL). */
	photo?: IDataObject;
}

/** What background removal gave: the transparent sticker and what it cost. */
export interface TransparentSticker {
	image: ImageBytes;
	cost: number | null;
	remainingCredits: number | null;
	/** Seconds the call took, retries included. */
	time: number;
}

/** What the finish step made: the sticker file and what it is. */
export interface FinishedImage {
	image: ImageBytes;
	format: StickerFinish['format'];
	width: number;
	height: number;
	outlineWidth: number;
	/** null = lossless truecolour or lossy; else the palette size that made the file fit its byte limit. */
	paletteColors: number | null;
	/** How the file was compressed: lossless, lossy WebP, or lossless with a reduced palette. */
	compression: 'lossless' | 'lossy' | 'palette';
	/** The lossy WebP quality (1-100) the file was made at; null unless lossy. */
	quality: number | null;
	/** Seconds the finish took. */
	time: number;
	/** Exactly the pixels the file holds: what a pack's icon and preview sheet are drawn from. */
	pixels: RgbaImage;
}

/** A queue job submitted without waiting for it: what the output item says of it. */
export interface SubmittedJob {
	submitted: IDataObject;
}

/** A sticker Segmind made (and billed), with what is known about it. */
export interface MadeSticker {
	image: ImageBytes;
	record: JobRecord;
}

/** An image in hand, its type read from its bytes. */
export interface ImageBytes {
	bytes: Buffer;
	type: ImageType;
}

/** Where an answer put its image: a URL to download, or the bytes as base64. */
export interface ImageRef {
	url?: string;
	base64?: string;
}

/** How the photo reached Segmind, for the output record. */
export type PhotoRoute = 'inline' | 'upload' | 'url';

export interface ImageType {
	mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
	extension: 'jpg' | 'png' | 'webp';
}

/** What is known about one item's job while it runs: shared by the flows, the retry engine and the errors. */
export interface JobState {
	itemIndex: number;
	settings: ItemSettings;
	startedAt: number;
	deadline: number;
	requestId?: string;
	polls: number;
	/** The last transient problem, to explain a timeout. */
	lastProblem?: string;
}

export function newJobState(itemIndex: number, settings: ItemSettings): JobState {
	const startedAt = Date.now();
	return { itemIndex, settings, startedAt, deadline: startedAt + settings.maxWaitMs, polls: 0 };
}
