/**
 * The names messengers file a pack under. Telegram's set name (core.telegram.org/bots/api#createnewstickerset):
 * English letters, digits and underscores, starts with a letter, no "__", ends in "_by_<bot username>"
 * (case-insensitive), 1-64 characters; the bot's username: 5-32 letters, digits and underscores ending in
 * "bot". WhatsApp's identifier (StickerPackValidator.java in github.com/WhatsApp/stickers): letters, digits,
 * "_", "-", "." and spaces, no "..", under 128 characters.
 */
import type { Checked } from './packRules';

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(problem: string): Checked<T> => ({ ok: false, problem });

export const TELEGRAM_NAME_MAX = 64;
export const WHATSAPP_IDENTIFIER_MAX = 127;

/** Letters that NFD does not split into a base letter and a mark, spelled in ASCII. */
const LETTERS: Record<string, string> = {
	ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', þ: 'th', Þ: 'Th', ð: 'd', Ð: 'D', ı: 'i',
};

/** "Café Ünïcorn Straße" -> "Cafe Unicorn Strasse": accents dropped, a few letters spelled out, the rest kept. */
export function toAscii(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.replace(/[ßæÆœŒøØłŁđĐþÞðÐı]/g, (letter) => LETTERS[letter]);
}

/** The bot's username without a leading "@", checked. */
export function checkBotUsername(input: string): Checked<string> {
	const bot = input.trim().replace(/^@/, '');
	const shown = JSON.stringify(bot);
	if (bot === '') return fail('The Bot Username is empty: give the username of the bot that will own the sticker set, e.g. "my_sticker_bot"');
	if (!/^[A-Za-z0-9_]+$/.test(bot)) return fail(`The Bot Username ${shown} may only hold English letters, digits and underscores`);
	if (bot.length < 5 || bot.length > 32) return fail(`The Bot Username ${shown} is ${bot.length} character${bot.length === 1 ? '' : 's'} long; a Telegram username has 5 to 32`);
	if (!/^[A-Za-z]/.test(bot)) return fail(`The Bot Username ${shown} must start with a letter`);
	if (!/bot$/i.test(bot)) return fail(`The Bot Username ${shown} must end in "bot", as every Telegram bot's username does`);
	if (bot.includes('__')) return fail(`The Bot Username ${shown} holds "__", which a sticker set name (…_by_${bot}) cannot hold`);
	return ok(bot);
}

/**
 * A valid set name from the Pack Title: "Anna's Stickers!" + "my_bot" -> "Anna_s_Stickers_by_my_bot". The
 * title part is cut so that the whole name has at most 64 characters. Fails only for a bad bot username.
 */
export function telegramSetName(title: string, botUsername: string): Checked<string> {
	const bot = checkBotUsername(botUsername);
	if (!bot.ok) return bot;
	const suffix = `_by_${bot.value}`;
	let base = toAscii(title).replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
	if (base === '') base = 'pack';
	else if (!/^[A-Za-z]/.test(base)) base = `pack_${base}`;
	base = base.slice(0, TELEGRAM_NAME_MAX - suffix.length).replace(/_+$/, '');
	return ok(`${base}${suffix}`);
}

/** A set name the user typed, checked against Telegram's rules for this bot. */
export function checkTelegramSetName(input: string, botUsername: string): Checked<string> {
	const bot = checkBotUsername(botUsername);
	if (!bot.ok) return bot;
	const name = input.trim();
	const shown = JSON.stringify(name);
	const suffix = `_by_${bot.value}`;
	if (name === '') return fail(`The Sticker Set Name is empty: leave it out to have one made from the Pack Title, or give one ending in "${suffix}"`);
	if (!/^[A-Za-z0-9_]+$/.test(name)) return fail(`The Sticker Set Name ${shown} may only hold English letters, digits and underscores`);
	if (!/^[A-Za-z]/.test(name)) return fail(`The Sticker Set Name ${shown} must start with a letter`);
	if (name.includes('__')) return fail(`The Sticker Set Name ${shown} holds "__"; Telegram does not allow two underscores in a row`);
	if (!name.toLowerCase().endsWith(suffix.toLowerCase()) || name.length === suffix.length) {
		const example = `${name.replace(/_by_[A-Za-z0-9_]*$/i, '') || 'my_pack'}${suffix}`;
		return fail(`The Sticker Set Name ${shown} must end in "${suffix}" (the bot's username), e.g. "${example}"`);
	}
	if (name.length > TELEGRAM_NAME_MAX) {
		return fail(`The Sticker Set Name ${shown} is ${name.length} characters long; Telegram allows at most ${TELEGRAM_NAME_MAX}, "${suffix}" included`);
	}
	return ok(name);
}

/** Where a Telegram user adds the set. */
export function telegramSetLink(name: string): string {
	return `https://t.me/addstickers/${name}`;
}

/** WhatsApp's identifier from the Pack Title: allowed characters only, no "..", 1-127 characters. */
export function whatsappIdentifier(title: string): string {
	const cleaned = toAscii(title)
		.replace(/[^A-Za-z0-9_\-. ]+/g, '_')
		.replace(/\.{2,}/g, '.')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, WHATSAPP_IDENTIFIER_MAX)
		.trim();
	return /^[ .]*$/.test(cleaned) ? 'sticker_pack' : cleaned;
}

/** An identifier the user typed, checked as WhatsApp's validator does. */
export function checkWhatsappIdentifier(input: string): Checked<string> {
	const id = input.trim();
	const shown = JSON.stringify(id);
	if (id === '') return fail('The Pack Identifier is empty: leave it out to have one made from the Pack Title');
	if (!/^[A-Za-z0-9_\-. ]+$/.test(id)) return fail(`The Pack Identifier ${shown} may only hold English letters, digits, "_", "-", "." and spaces`);
	if (id.includes('..')) return fail(`The Pack Identifier ${shown} holds ".."; WhatsApp does not allow it`);
	if (id.length > WHATSAPP_IDENTIFIER_MAX) return fail(`The Pack Identifier ${shown} is ${id.length} characters long; WhatsApp takes at most ${WHATSAPP_IDENTIFIER_MAX}`);
	return ok(id);
}
