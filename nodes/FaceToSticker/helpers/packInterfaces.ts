import type { CreateTask } from './interfaces';
import type { PackMessenger } from './packRules';

/** The shapes of Create Sticker Pack: what one item's pack asks for, every value already checked. */

export type { PackMessenger } from './packRules';

/** One sticker of the pack: its place (1-based), the expression added to the Prompt, and its emoji. */
export interface PackExpression {
	position: number;
	expression: string;
	emoji: string[];
}

/** Who the pack is: what people see, and the names a messenger files it under. */
export interface PackIdentity {
	messenger: PackMessenger;
	title: string;
	/** WhatsApp's publisher, Signal's author; empty for Telegram. */
	author: string;
	/** Telegram's set name (`…_by_<bot>`), WhatsApp's identifier; Signal has none (empty). */
	name: string;
	/** Telegram: https://t.me/addstickers/<name>. */
	link?: string;
	botUsername?: string;
}

export interface PackTask {
	operation: 'createPack';
	identity: PackIdentity;
	expressions: PackExpression[];
	output: 'stickers' | 'pack';
	/** Credits; 0 = no cap. */
	maxPackCost: number;
	/**
	 * The sticker every expression starts from: the photo, the model settings with the pack's one seed, the
	 * messenger's finish. Each expression's task is this one with the expression added to the prompt.
	 */
	sticker: CreateTask;
}

/** A sticker of the pack that could not be made, and why; `requestId` when Segmind had taken the job. */
export interface MissingSticker {
	position: number;
	expression: string;
	reason: string;
	requestId: string | null;
	/** Whether Segmind made (and billed) the flat sticker before a later step failed. */
	paid: boolean;
}
