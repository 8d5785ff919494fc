import { binaryItem, runNodeExpectingError } from '../helpers/fakeContext';
import { FACE } from '../helpers/stickerJob';

const expressions = (...list: Array<[string, string]>) => ({ expression: list.map(([expression, emoji]) => ({ expression, emoji })) });
const base = {
	operation: 'createPack',
	packFor: 'telegram',
	packTitle: 'My Stickers',
	botUsername: 'sticker_test_bot',
	packAuthor: 'Anna',
	expressions: expressions(['happy', '😄'], ['sad', '😢'], ['cool', '😎']),
};

/** Each case: the parameters that differ from `base`, and the exact message; none may send a request. */
const CASES: Array<[string, Record<string, unknown>, string]> = [
	['too few expressions for WhatsApp', { packFor: 'whatsapp', expressions: expressions(['happy', '😄'], ['sad', '😢']) }, 'A WhatsApp sticker pack takes 3 to 30 stickers; 2 expressions were given: add 1 more'],
	['too many expressions for Telegram', { expressions: { expression: Array.from({ length: 51 }, () => ({ expression: 'happy', emoji: '😄' })) } }, 'A Telegram sticker set takes 1 to 50 stickers; 51 expressions were given: remove 1'],
	['no expressions at all', { expressions: {} }, 'A Telegram sticker set takes 1 to 50 stickers; 0 expressions were given: add 1 more'],
	['an expression without emoji', { expressions: expressions(['happy', '😄'], ['sad', '']) }, 'Expression 2 ("sad") has no emoji; a Telegram sticker takes 1 to 20'],
	['four emoji for a WhatsApp sticker', { packFor: 'whatsapp', expressions: expressions(['happy', '😄😁😀🙂'], ['sad', '😢'], ['cool', '😎']) }, 'Expression 1 ("happy") has 4 emoji; a WhatsApp sticker takes 1 to 3'],
	['two emoji for a Signal sticker', { packFor: 'signal', expressions: expressions(['happy', '😄 😁']) }, 'Expression 1 ("happy") has 2 emoji; a Signal sticker takes exactly 1'],
	['a word where an emoji belongs', { expressions: expressions(['happy', 'smile']) }, 'Expression 1 ("happy"): "s" is not an emoji in its emoji; a Telegram sticker takes 1 to 20'],
	['an empty expression', { expressions: expressions(['  ', '😄']) }, 'Expression 1 is empty: write what the face should show, e.g. "surprised"'],
	['a set name without _by_<bot>', { setName: 'my_pack' }, 'The Sticker Set Name "my_pack" must end in "_by_sticker_test_bot" (the bot\'s username), e.g. "my_pack_by_sticker_test_bot"'],
	['a set name with a double underscore', { setName: 'my__pack_by_sticker_test_bot' }, 'The Sticker Set Name "my__pack_by_sticker_test_bot" holds "__"; Telegram does not allow two underscores in a row'],
	['a set name starting with a digit', { setName: '1pack_by_sticker_test_bot' }, 'The Sticker Set Name "1pack_by_sticker_test_bot" must start with a letter'],
	['a set name over 64 characters', { setName: `${'a'.repeat(50)}_by_sticker_test_bot` }, `The Sticker Set Name "${'a'.repeat(50)}_by_sticker_test_bot" is 70 characters long; Telegram allows at most 64, "_by_sticker_test_bot" included`],
	['a bot username that is not a bot\'s', { botUsername: 'anna_smith' }, 'The Bot Username "anna_smith" must end in "bot", as every Telegram bot\'s username does'],
	['an empty bot username', { botUsername: ' ' }, 'The Bot Username is empty: give the username of the bot that will own the sticker set, e.g. "my_sticker_bot"'],
	['a Telegram title over 64 characters', { packTitle: 'x'.repeat(65) }, 'The Pack Title is 65 characters long; a Telegram sticker set\'s title takes at most 64'],
	['a WhatsApp title over 128 characters', { packFor: 'whatsapp', packTitle: 'x'.repeat(129) }, 'The Pack Title is 129 characters long; a WhatsApp sticker pack\'s title takes at most 128'],
	['an empty WhatsApp publisher', { packFor: 'whatsapp', packAuthor: '' }, 'The Publisher is empty: a WhatsApp sticker pack shows who made it, in 1 to 128 characters'],
	['an unknown messenger', { packFor: 'viber' }, '"Pack For" must be one of "telegram", "whatsapp", "signal", got the text "viber"'],
	['a negative Max Pack Cost', { options: { maxPackCost: -1 } }, '"Max Pack Cost (Credits)" must be from 0 to 1000000, got -1'],
];

describe('Create Sticker Pack refuses bad input before any request', () => {
	test.each(CASES)('%s', async (_, parameters, message) => {
		const { error, sent } = await runNodeExpectingError({ items: [binaryItem(FACE)], parameters: { ...base, ...parameters } });
		expect(error.message).toBe(message);
		expect(error.context?.itemIndex ?? (error as unknown as { itemIndex?: number }).itemIndex).toBe(0);
		expect(sent).toHaveLength(0);
	});

});

describe('TESTING.md', () => {
	test('lists every careless-input case of Create Sticker Pack with its current message', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const text: string = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'TESTING.md'), 'utf8');
		for (const [name, , message] of CASES) {
			expect([name, text.includes(`| ${name} |`) && text.includes(`| ${message.replace(/\|/g, '\\|')} |`)]).toEqual([name, true]);
		}
	});
});
