/**
 * The published rules of each messenger's sticker pack, and the checks a pack's input must pass before any
 * credit is spent. Pure functions: each returns the cleaned value or a problem that says what to fix; the
 * node turns a problem into its error. Names (Telegram's set name, WhatsApp's identifier) are in packNames.ts.
 *
 * Sources: core.telegram.org/bots/api (createNewStickerSet, InputSticker); github.com/WhatsApp/stickers
 * (StickerPackValidator.java: 3-30 stickers, at most 3 emoji, name and publisher at most 128 characters);
 * Signal Desktop's sticker creator (1-200 stickers, one emoji each, title and author required, no length
 * limit published: 128 here, as WhatsApp).
 */

export type PackMessenger = 'telegram' | 'whatsapp' | 'signal';

/** A checked value, or what is wrong with it in words a workflow builder can act on. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(problem: string): Checked<T> => ({ ok: false, problem });

export interface PackRules {
	minStickers: number;
	maxStickers: number;
	minEmoji: number;
	maxEmoji: number;
	/** Characters (UTF-16 units, as WhatsApp's validator counts them). */
	titleMax: number;
	/** WhatsApp's publisher, Signal's author; null: the messenger has none (Telegram). */
	authorMax: number | null;
	/** How messages name the messenger, the pack, its sticker and its author field. */
	messenger: string;
	pack: string;
	sticker: string;
	authorLabel: string;
}

export const PACK_RULES: Readonly<Record<PackMessenger, PackRules>> = {
	telegram: { minStickers: 1, maxStickers: 50, minEmoji: 1, maxEmoji: 20, titleMax: 64, authorMax: null, pack: 'Telegram sticker set', sticker: 'Telegram sticker', authorLabel: '', messenger: 'Telegram' },
	whatsapp: { minStickers: 3, maxStickers: 30, minEmoji: 1, maxEmoji: 3, titleMax: 128, authorMax: 128, pack: 'WhatsApp sticker pack', sticker: 'WhatsApp sticker', authorLabel: 'Publisher', messenger: 'WhatsApp' },
	signal: { minStickers: 1, maxStickers: 200, minEmoji: 1, maxEmoji: 1, titleMax: 128, authorMax: 128, pack: 'Signal sticker pack', sticker: 'Signal sticker', authorLabel: 'Author', messenger: 'Signal' },
};

function range(min: number, max: number): string {
	return min === max ? `exactly ${min}` : `${min} to ${max}`;
}

/** "1 to 50 stickers, each with 1 to 20 emoji": the rules in words, for hints. */
export function describeRules(messenger: PackMessenger): string {
	const rules = PACK_RULES[messenger];
	return `${range(rules.minStickers, rules.maxStickers)} stickers, each with ${range(rules.minEmoji, rules.maxEmoji)} emoji`;
}

// Node's lib for this target has no Intl.Segmenter types; Node 16+ ships it (n8n needs 18+).
interface GraphemeSegmenter {
	segment(text: string): Iterable<{ segment: string }>;
}
type SegmenterConstructor = new (locale: string | undefined, options: { granularity: 'grapheme' }) => GraphemeSegmenter;

let segmenter: GraphemeSegmenter | undefined;

/** User-perceived characters: an emoji with a skin tone, a ZWJ family or a flag is one. */
export function graphemes(text: string): string[] {
	if (segmenter === undefined) {
		const Segmenter = (Intl as unknown as { Segmenter: SegmenterConstructor }).Segmenter;
		segmenter = new Segmenter(undefined, { granularity: 'grapheme' });
	}
	return Array.from(segmenter.segment(text), (part) => part.segment);
}

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** A flag is two regional indicators; one alone is a letter, not an emoji. */
const FLAG = /^\p{Regional_Indicator}{2}$/u;
/** Keycaps: 0-9, # or * with U+20E3 (they are not Extended_Pictographic). */
const KEYCAP = /^[0-9#*]\uFE0F?\u20E3$/u;
/** Between emoji a user may type spaces or commas. */
const SEPARATOR = /^[\s,]+$/u;

export function isEmoji(grapheme: string): boolean {
	return PICTOGRAPHIC.test(grapheme) || FLAG.test(grapheme) || KEYCAP.test(grapheme);
}

/** The emoji in `text` (spaces and commas between them allowed), or which character is not an emoji. */
export function splitEmoji(text: string): Checked<string[]> {
	const found: string[] = [];
	for (const grapheme of graphemes(text)) {
		if (SEPARATOR.test(grapheme)) continue;
		if (!isEmoji(grapheme)) return fail(`${JSON.stringify(grapheme)} is not an emoji`);
		found.push(grapheme);
	}
	return ok(found);
}

/** How many emoji `text` holds, or which character is not an emoji. */
export function countEmoji(text: string): Checked<number> {
	const split = splitEmoji(text);
	return split.ok ? ok(split.value.length) : split;
}

function characters(count: number): string {
	return `${count} character${count === 1 ? '' : 's'}`;
}

/** The Pack Title, trimmed: 1 to titleMax characters. */
export function checkTitle(title: string, messenger: PackMessenger): Checked<string> {
	const rules = PACK_RULES[messenger];
	const value = title.trim();
	if (value === '') return fail(`The Pack Title is empty: a ${rules.pack} needs a title of 1 to ${rules.titleMax} characters`);
	if (value.length > rules.titleMax) {
		return fail(`The Pack Title is ${characters(value.length)} long; a ${rules.pack}'s title takes at most ${rules.titleMax}`);
	}
	return ok(value);
}

/** WhatsApp's publisher or Signal's author, trimmed: required, at most authorMax characters. Telegram: ''. */
export function checkAuthor(author: string, messenger: PackMessenger): Checked<string> {
	const rules = PACK_RULES[messenger];
	if (rules.authorMax === null) return ok('');
	const value = author.trim();
	if (value === '') return fail(`The ${rules.authorLabel} is empty: a ${rules.pack} shows who made it, in 1 to ${rules.authorMax} characters`);
	if (value.length > rules.authorMax) {
		return fail(`The ${rules.authorLabel} is ${characters(value.length)} long; a ${rules.pack} takes at most ${rules.authorMax}`);
	}
	return ok(value);
}

/** An expression as the user entered it: the text added to the prompt, and its emoji. */
export interface ExpressionInput {
	expression: string;
	emoji: string | string[];
}

/** An expression checked: its 1-based position, trimmed text and emoji list. */
export interface CheckedExpression {
	position: number;
	expression: string;
	emoji: string[];
}

/**
 * The pack's expressions: a count within the messenger's range, each with text and the right number of
 * emoji. Every expression's problem is named with its position and text (joined with "; "), so one run
 * shows them all.
 */
export function checkExpressions(list: ExpressionInput[], messenger: PackMessenger): Checked<CheckedExpression[]> {
	const rules = PACK_RULES[messenger];
	const count = list.length;
	if (count < rules.minStickers || count > rules.maxStickers) {
		const fix = count < rules.minStickers ? `add ${rules.minStickers - count} more` : `remove ${count - rules.maxStickers}`;
		return fail(
			`A ${rules.pack} takes ${range(rules.minStickers, rules.maxStickers)} stickers; ${count} expression${count === 1 ? ' was' : 's were'} given: ${fix}`,
		);
	}
	const problems: string[] = [];
	const checked: CheckedExpression[] = [];
	list.forEach((input, index) => {
		const position = index + 1;
		const expression = (input.expression ?? '').trim();
		if (expression === '') {
			problems.push(`Expression ${position} is empty: write what the face should show, e.g. "surprised"`);
			return;
		}
		const named = `Expression ${position} (${JSON.stringify(expression)})`;
		const takes = `a ${rules.sticker} takes ${range(rules.minEmoji, rules.maxEmoji)}`;
		const split = splitEmoji(Array.isArray(input.emoji) ? input.emoji.join(' ') : (input.emoji ?? ''));
		if (!split.ok) problems.push(`${named}: ${split.problem} in its emoji; ${takes}`);
		else if (split.value.length < rules.minEmoji) problems.push(`${named} has no emoji; ${takes}`);
		else if (split.value.length > rules.maxEmoji) problems.push(`${named} has ${split.value.length} emoji; ${takes}`);
		else checked.push({ position, expression, emoji: split.value });
	});
	return problems.length > 0 ? fail(problems.join('; ')) : ok(checked);
}
