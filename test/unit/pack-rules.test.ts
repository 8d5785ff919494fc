import {
	checkBotUsername,
	checkTelegramSetName,
	checkWhatsappIdentifier,
	telegramSetLink,
	telegramSetName,
	toAscii,
	whatsappIdentifier,
} from '../../nodes/FaceToSticker/helpers/packNames';
import {
	checkAuthor,
	checkExpressions,
	checkTitle,
	countEmoji,
	describeRules,
	graphemes,
	isEmoji,
	PACK_RULES,
	splitEmoji,
} from '../../nodes/FaceToSticker/helpers/packRules';
import type { Checked } from '../../nodes/FaceToSticker/helpers/packRules';

const okValue = <T>(checked: Checked<T>): T => {
	if (!checked.ok) throw new Error(`expected a value, got the problem: ${checked.problem}`);
	return checked.value;
};
const problemOf = <T>(checked: Checked<T>): string => {
	if (checked.ok) throw new Error(`expected a problem, got ${JSON.stringify(checked.value)}`);
	return checked.problem;
};
const expressions = (count: number, emoji = '😀') => Array.from({ length: count }, (_, i) => ({ expression: `face ${i + 1}`, emoji }));

describe('PACK_RULES', () => {
	it('holds the published sticker and emoji ranges and title limits of each messenger', () => {
		const pick = (m: keyof typeof PACK_RULES) => {
			const { minStickers, maxStickers, minEmoji, maxEmoji, titleMax, authorMax } = PACK_RULES[m];
			return { minStickers, maxStickers, minEmoji, maxEmoji, titleMax, authorMax };
		};
		expect(pick('telegram')).toEqual({ minStickers: 1, maxStickers: 50, minEmoji: 1, maxEmoji: 20, titleMax: 64, authorMax: null });
		expect(pick('whatsapp')).toEqual({ minStickers: 3, maxStickers: 30, minEmoji: 1, maxEmoji: 3, titleMax: 128, authorMax: 128 });
		expect(pick('signal')).toEqual({ minStickers: 1, maxStickers: 200, minEmoji: 1, maxEmoji: 1, titleMax: 128, authorMax: 128 });
	});

	it('describes the rules in words for hints', () => {
		expect(describeRules('telegram')).toBe('1 to 50 stickers, each with 1 to 20 emoji');
		expect(describeRules('signal')).toBe('1 to 200 stickers, each with exactly 1 emoji');
	});
});

describe('emoji', () => {
	it.each([
		['😀', 1],
		['👍🏽', 1], // skin tone modifier: one grapheme
		['👨‍👩‍👧‍👦', 1], // ZWJ family
		['🇩🇪', 1], // flag: two regional indicators
		['🏴󠁧󠁢󠁳󠁣󠁴󠁿', 1], // tag sequence (Scotland)
		['1️⃣', 1], // keycap
		['❤️', 1], // VS16
		['😀😂', 2],
		['😀 😂, 🤣', 3],
		['', 0],
		[' , ', 0],
	])('counts %j as %i emoji', (text, count) => {
		expect(okValue(countEmoji(text))).toBe(count);
	});

	it.each([
		['a', '"a" is not an emoji'],
		['😀x', '"x" is not an emoji'],
		['1', '"1" is not an emoji'],
		['🇩', '"🇩" is not an emoji'], // a lone regional indicator
		[':)', '":" is not an emoji'],
	])('refuses %j: %s', (text, problem) => {
		expect(problemOf(countEmoji(text))).toBe(problem);
		expect(problemOf(splitEmoji(text))).toBe(problem);
	});

	it('splits emoji into graphemes, dropping spaces and commas between them', () => {
		expect(okValue(splitEmoji(' 👍🏽,🇩🇪 😀 '))).toEqual(['👍🏽', '🇩🇪', '😀']);
		expect(graphemes('a👍🏽')).toEqual(['a', '👍🏽']);
		expect(isEmoji('👍🏽')).toBe(true);
		expect(isEmoji('é')).toBe(false);
	});
});

describe('checkTitle and checkAuthor', () => {
	it('trims the title and keeps one at the limit', () => {
		expect(okValue(checkTitle('  My Pack  ', 'telegram'))).toBe('My Pack');
		expect(okValue(checkTitle('x'.repeat(64), 'telegram'))).toBe('x'.repeat(64));
		expect(okValue(checkTitle('x'.repeat(128), 'whatsapp'))).toBe('x'.repeat(128));
	});

	it.each([
		['   ', 'telegram', 'The Pack Title is empty: a Telegram sticker set needs a title of 1 to 64 characters'],
		['x'.repeat(65), 'telegram', "The Pack Title is 65 characters long; a Telegram sticker set's title takes at most 64"],
		['x'.repeat(129), 'whatsapp', "The Pack Title is 129 characters long; a WhatsApp sticker pack's title takes at most 128"],
		['x'.repeat(129), 'signal', "The Pack Title is 129 characters long; a Signal sticker pack's title takes at most 128"],
	] as const)('refuses the title %j for %s', (title, messenger, problem) => {
		expect(problemOf(checkTitle(title, messenger))).toBe(problem);
	});

	it("ignores the author for Telegram, which has none, and trims WhatsApp's publisher and Signal's author", () => {
		expect(okValue(checkAuthor('anything', 'telegram'))).toBe('');
		expect(okValue(checkAuthor(' Anna ', 'whatsapp'))).toBe('Anna');
		expect(okValue(checkAuthor('y'.repeat(128), 'signal'))).toBe('y'.repeat(128));
	});

	it.each([
		['', 'whatsapp', 'The Publisher is empty: a WhatsApp sticker pack shows who made it, in 1 to 128 characters'],
		[' ', 'signal', 'The Author is empty: a Signal sticker pack shows who made it, in 1 to 128 characters'],
		['y'.repeat(129), 'whatsapp', 'The Publisher is 129 characters long; a WhatsApp sticker pack takes at most 128'],
	] as const)('refuses the author %j for %s', (author, messenger, problem) => {
		expect(problemOf(checkAuthor(author, messenger))).toBe(problem);
	});
});

describe('checkExpressions', () => {
	it('returns each expression with its position, trimmed text and emoji list', () => {
		const checked = okValue(checkExpressions([
			{ expression: '  happy ', emoji: '😄' },
			{ expression: 'laughing', emoji: '😂 🤣' },
			{ expression: 'cool', emoji: ['😎', '🆒'] },
		], 'whatsapp'));
		expect(checked).toEqual([
			{ position: 1, expression: 'happy', emoji: ['😄'] },
			{ position: 2, expression: 'laughing', emoji: ['😂', '🤣'] },
			{ position: 3, expression: 'cool', emoji: ['😎', '🆒'] },
		]);
	});

	it.each([
		[2, 'whatsapp', 'A WhatsApp sticker pack takes 3 to 30 stickers; 2 expressions were given: add 1 more'],
		[31, 'whatsapp', 'A WhatsApp sticker pack takes 3 to 30 stickers; 31 expressions were given: remove 1'],
		[0, 'telegram', 'A Telegram sticker set takes 1 to 50 stickers; 0 expressions were given: add 1 more'],
		[51, 'telegram', 'A Telegram sticker set takes 1 to 50 stickers; 51 expressions were given: remove 1'],
		[201, 'signal', 'A Signal sticker pack takes 1 to 200 stickers; 201 expressions were given: remove 1'],
	] as const)('refuses %i expressions for %s', (count, messenger, problem) => {
		expect(problemOf(checkExpressions(expressions(count), messenger))).toBe(problem);
	});

	it('says "1 expression was given" for one expression too few', () => {
		expect(problemOf(checkExpressions(expressions(1), 'whatsapp'))).toBe('A WhatsApp sticker pack takes 3 to 30 stickers; 1 expression was given: add 2 more');
	});

	it('accepts the smallest and largest counts of each messenger', () => {
		expect(okValue(checkExpressions(expressions(3), 'whatsapp'))).toHaveLength(3);
		expect(okValue(checkExpressions(expressions(30), 'whatsapp'))).toHaveLength(30);
		expect(okValue(checkExpressions(expressions(1), 'telegram'))).toHaveLength(1);
		expect(okValue(checkExpressions(expressions(50, '😀'.repeat(20)), 'telegram'))).toHaveLength(50);
		expect(okValue(checkExpressions(expressions(200), 'signal'))).toHaveLength(200);
	});

	it('names an empty expression by its position', () => {
		const list = [...expressions(2), { expression: '  ', emoji: '😀' }];
		expect(problemOf(checkExpressions(list, 'whatsapp'))).toBe('Expression 3 is empty: write what the face should show, e.g. "surprised"');
	});

	it('names an expression without emoji by its position and text', () => {
		const list = [...expressions(2), { expression: 'sleepy', emoji: ' ' }];
		expect(problemOf(checkExpressions(list, 'whatsapp'))).toBe('Expression 3 ("sleepy") has no emoji; a WhatsApp sticker takes 1 to 3');
	});

	it('names an expression with more emoji than the messenger takes', () => {
		const list = [...expressions(2), { expression: 'surprised', emoji: '😮😲😯🙀' }];
		expect(problemOf(checkExpressions(list, 'whatsapp'))).toBe('Expression 3 ("surprised") has 4 emoji; a WhatsApp sticker takes 1 to 3');
		const telegram = [{ expression: 'many', emoji: '😀'.repeat(21) }];
		expect(problemOf(checkExpressions(telegram, 'telegram'))).toBe('Expression 1 ("many") has 21 emoji; a Telegram sticker takes 1 to 20');
		const signal = [{ expression: 'two', emoji: '😀😂' }];
		expect(problemOf(checkExpressions(signal, 'signal'))).toBe('Expression 1 ("two") has 2 emoji; a Signal sticker takes exactly 1');
	});

	it('names a character in the emoji that is not an emoji', () => {
		const list = [{ expression: 'happy', emoji: '😀 smile' }];
		expect(problemOf(checkExpressions(list, 'telegram'))).toBe('Expression 1 ("happy"): "s" is not an emoji in its emoji; a Telegram sticker takes 1 to 20');
	});

	it('lists every bad expression in one message', () => {
		const list = [{ expression: 'ok', emoji: '😀' }, { expression: '', emoji: '😀' }, { expression: 'none', emoji: '' }];
		expect(problemOf(checkExpressions(list, 'telegram'))).toBe(
			'Expression 2 is empty: write what the face should show, e.g. "surprised"; Expression 3 ("none") has no emoji; a Telegram sticker takes 1 to 20',
		);
	});
});

describe('Telegram names', () => {
	it.each([
		['my_sticker_bot', 'my_sticker_bot'],
		['@MyStickerBot', 'MyStickerBot'],
		['  helper_BOT ', 'helper_BOT'],
		['abbot', 'abbot'],
	])('accepts the bot username %j as %j', (input, bot) => {
		expect(okValue(checkBotUsername(input))).toBe(bot);
	});

	it.each([
		['', 'The Bot Username is empty: give the username of the bot that will own the sticker set, e.g. "my_sticker_bot"'],
		['@', 'The Bot Username is empty: give the username of the bot that will own the sticker set, e.g. "my_sticker_bot"'],
		['my-bot', 'The Bot Username "my-bot" may only hold English letters, digits and underscores'],
		['bot', 'The Bot Username "bot" is 3 characters long; a Telegram username has 5 to 32'],
		[`a${'b'.repeat(29)}bot`, `The Bot Username "a${'b'.repeat(29)}bot" is 33 characters long; a Telegram username has 5 to 32`],
		['1_pack_bot', 'The Bot Username "1_pack_bot" must start with a letter'],
		['my_sticker_helper', 'The Bot Username "my_sticker_helper" must end in "bot", as every Telegram bot\'s username does'],
		['my__bot', 'The Bot Username "my__bot" holds "__", which a sticker set name (…_by_my__bot) cannot hold'],
	])('refuses the bot username %j', (input, problem) => {
		expect(problemOf(checkBotUsername(input))).toBe(problem);
	});

	it.each([
		["Anna's Stickers!", 'my_bot1bot', 'Anna_s_Stickers_by_my_bot1bot'],
		['Café Straße', 'pack_bot', 'Cafe_Strasse_by_pack_bot'],
		['2024 faces', 'pack_bot', 'pack_2024_faces_by_pack_bot'],
		['😀😀', 'pack_bot', 'pack_by_pack_bot'],
		['__a  --  b__', 'pack_bot', 'a_b_by_pack_bot'],
		['Мои стикеры', 'pack_bot', 'pack_by_pack_bot'],
	])('makes the set name from the title %j and bot %j: %j', (title, bot, name) => {
		const made = okValue(telegramSetName(title, bot));
		expect(made).toBe(name);
		expect(okValue(checkTelegramSetName(made, bot))).toBe(made);
	});

	it('cuts a long title so the whole name is at most 64 characters, without a trailing underscore before _by_', () => {
		const bot = `b${'x'.repeat(28)}bot`; // 32 characters: the suffix takes 36
		const name = okValue(telegramSetName(`${'a'.repeat(27)} tail`, bot));
		expect(name).toBe(`${'a'.repeat(27)}_by_${bot}`);
		expect(name.length).toBe(63);
		const longer = okValue(telegramSetName('word '.repeat(40), 'pack_bot'));
		expect(longer.length).toBeLessThanOrEqual(64);
		expect(longer).not.toMatch(/__/);
		expect(okValue(checkTelegramSetName(longer, 'pack_bot'))).toBe(longer);
	});

	it('passes a bad bot username through as the set name problem', () => {
		expect(problemOf(telegramSetName('Pack', 'x'))).toBe('The Bot Username "x" is 1 character long; a Telegram username has 5 to 32');
		expect(problemOf(checkTelegramSetName('pack_by_x', 'x'))).toBe('The Bot Username "x" is 1 character long; a Telegram username has 5 to 32');
	});

	it('accepts a typed set name whose suffix differs only in case, and trims it', () => {
		expect(okValue(checkTelegramSetName(' faces_by_My_Sticker_Bot ', '@my_sticker_bot'))).toBe('faces_by_My_Sticker_Bot');
	});

	it.each([
		['', 'The Sticker Set Name is empty: leave it out to have one made from the Pack Title, or give one ending in "_by_pack_bot"'],
		['faces by pack_bot', 'The Sticker Set Name "faces by pack_bot" may only hold English letters, digits and underscores'],
		['1faces_by_pack_bot', 'The Sticker Set Name "1faces_by_pack_bot" must start with a letter'],
		['my__faces_by_pack_bot', 'The Sticker Set Name "my__faces_by_pack_bot" holds "__"; Telegram does not allow two underscores in a row'],
		['faces', 'The Sticker Set Name "faces" must end in "_by_pack_bot" (the bot\'s username), e.g. "faces_by_pack_bot"'],
		['faces_by_other_bot', 'The Sticker Set Name "faces_by_other_bot" must end in "_by_pack_bot" (the bot\'s username), e.g. "faces_by_pack_bot"'],
		[`${'a'.repeat(53)}_by_pack_bot`, `The Sticker Set Name "${'a'.repeat(53)}_by_pack_bot" is 65 characters long; Telegram allows at most 64, "_by_pack_bot" included`],
	])('refuses the typed set name %j', (name, problem) => {
		expect(problemOf(checkTelegramSetName(name, 'pack_bot'))).toBe(problem);
	});

	it('refuses "_by_<bot>" alone, which has no letter first', () => {
		expect(problemOf(checkTelegramSetName('_by_pack_bot', 'pack_bot'))).toBe('The Sticker Set Name "_by_pack_bot" must start with a letter');
	});

	it('accepts a 64-character name', () => {
		const name = `${'a'.repeat(52)}_by_pack_bot`;
		expect(name.length).toBe(64);
		expect(okValue(checkTelegramSetName(name, 'pack_bot'))).toBe(name);
	});

	it("links the set at t.me/addstickers", () => {
		expect(telegramSetLink('faces_by_pack_bot')).toBe('https://t.me/addstickers/faces_by_pack_bot');
	});
});

describe('WhatsApp identifier', () => {
	it.each([
		["Anna's Stickers", 'Anna_s Stickers'],
		['Café  Straße', 'Cafe Strasse'],
		['v1..2...3', 'v1.2.3'],
		['  a-b_c.d  ', 'a-b_c.d'],
		['😀', '_'],
		['..', 'sticker_pack'],
		['   ', 'sticker_pack'],
	])('makes the identifier from the title %j: %j', (title, id) => {
		expect(whatsappIdentifier(title)).toBe(id);
		expect(okValue(checkWhatsappIdentifier(whatsappIdentifier(title)))).toBe(id);
	});

	it('cuts the identifier to 127 characters, under WhatsApp\'s 128', () => {
		const id = whatsappIdentifier('z'.repeat(300));
		expect(id).toBe('z'.repeat(127));
		expect(okValue(checkWhatsappIdentifier(id))).toBe(id);
	});

	it.each([
		['', 'The Pack Identifier is empty: leave it out to have one made from the Pack Title'],
		['a/b', 'The Pack Identifier "a/b" may only hold English letters, digits, "_", "-", "." and spaces'],
		['a..b', 'The Pack Identifier "a..b" holds ".."; WhatsApp does not allow it'],
		['q'.repeat(128), `The Pack Identifier "${'q'.repeat(128)}" is 128 characters long; WhatsApp takes at most 127`],
	])('refuses the typed identifier %j', (id, problem) => {
		expect(problemOf(checkWhatsappIdentifier(id))).toBe(problem);
	});

	it('spells accented and a few special letters in ASCII', () => {
		expect(toAscii('Ünïcödé Æsir Łódź þorn')).toBe('Unicode AEsir Lodz thorn');
	});
});
