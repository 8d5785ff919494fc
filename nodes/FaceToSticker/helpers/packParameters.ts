import type { IDataObject } from 'n8n-workflow';

import type { PackExpression, PackIdentity, PackTask } from './packInterfaces';
import { checkBotUsername, checkTelegramSetName, checkWhatsappIdentifier, telegramSetLink, telegramSetName, whatsappIdentifier } from './packNames';
import type { Checked, PackMessenger } from './packRules';
import { checkAuthor, checkExpressions, checkTitle, PACK_RULES } from './packRules';
import type { ParameterReader } from './parameters';
import { readFinishFor } from './stickerParameters';

const MESSENGERS: PackMessenger[] = ['telegram', 'whatsapp', 'signal'];
const MAX_PACK_COST = { min: 0, max: 1_000_000 };

/**
 * Reads one item's Create Sticker Pack parameters and checks them against the messenger's published rules
 * (packRules.ts, packNames.ts), so that a pack Telegram, WhatsApp or Signal would refuse fails here, before any
 * credit is spent.
 */
export function readPackTask(reader: ParameterReader): PackTask {
	const messenger = reader.options('packFor', 'Pack For', MESSENGERS, 'telegram');
	const sticker = reader.readCreateTask();
	const expressions = readExpressions(reader, messenger);
	const identity = readIdentity(reader, messenger);
	return {
		operation: 'createPack',
		identity,
		expressions,
		output: reader.options('packOutput', 'Output', ['stickers', 'pack'], 'stickers'),
		maxPackCost: reader.optionNumber(reader.collection(), 'maxPackCost', 'Max Pack Cost (Credits)', 0, MAX_PACK_COST),
		// Every sticker of a pack is cut out, finished to the messenger's rules and waited for.
		sticker: {
			...sticker,
			waitForCompletion: true,
			background: 'transparent',
			keepOriginal: false,
			finish: readFinishFor(reader, messenger),
		},
	};
}

/** The value, or the item's error with the problem as its message. */
function valid<T>(reader: ParameterReader, checked: Checked<T>, hint: string): T {
	if (!checked.ok) reader.refuse(checked.problem, hint);
	return checked.value;
}

function readExpressions(reader: ParameterReader, messenger: PackMessenger): PackExpression[] {
	const raw = reader.raw('expressions', {}) as IDataObject | null;
	const list = raw && typeof raw === 'object' && Array.isArray(raw.expression) ? (raw.expression as IDataObject[]) : [];
	const inputs = list.map((entry, index) => ({
		expression: reader.checkString(`Expression ${index + 1}`, entry?.expression ?? ''),
		emoji: reader.checkString(`Emoji of expression ${index + 1}`, entry?.emoji ?? ''),
	}));
	const rules = PACK_RULES[messenger];
	const emoji = rules.minEmoji === rules.maxEmoji ? `${rules.minEmoji}` : `${rules.minEmoji} to ${rules.maxEmoji}`;
	return valid(
		reader,
		checkExpressions(inputs, messenger),
		`Edit the list under Expressions: a ${rules.messenger} pack has ${rules.minStickers} to ${rules.maxStickers} stickers, each with ${emoji} emoji.`,
	);
}

function readIdentity(reader: ParameterReader, messenger: PackMessenger): PackIdentity {
	const title = valid(reader, checkTitle(reader.string('packTitle', 'Pack Title', 'My Stickers'), messenger), 'Change the Pack Title.');
	if (messenger === 'telegram') {
		const hint = 'Telegram set names hold English letters, digits and underscores, start with a letter, have no "__" and end in _by_<bot username>, at most 64 characters.';
		const bot = valid(reader, checkBotUsername(reader.string('botUsername', 'Bot Username', '')), 'Use your bot\'s username as BotFather shows it, e.g. my_sticker_bot.');
		const typed = reader.string('setName', 'Sticker Set Name', '').trim();
		const name = valid(reader, typed ? checkTelegramSetName(typed, bot) : telegramSetName(title, bot), hint);
		return { messenger, title, author: '', name, link: telegramSetLink(name), botUsername: bot };
	}
	const author = valid(reader, checkAuthor(reader.string('packAuthor', 'Author', ''), messenger), `Fill in the ${PACK_RULES[messenger].authorLabel}.`);
	if (messenger === 'signal') return { messenger, title, author, name: '' };
	const typed = reader.string('packIdentifier', 'Pack Identifier', '').trim();
	const name = typed ? valid(reader, checkWhatsappIdentifier(typed), 'Leave Pack Identifier empty to have one made from the Pack Title.') : whatsappIdentifier(title);
	return { messenger, title, author, name };
}
