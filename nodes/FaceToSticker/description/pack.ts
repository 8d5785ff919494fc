import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_EXPRESSIONS } from '../helpers/packDefaults';
import { STICKER_LIMITS } from '../helpers/limits';

const showForPack = { show: { operation: ['createPack'] } };
const showFor = (...packFor: string[]) => ({ show: { operation: ['createPack'], packFor } });

/*
 * Create Sticker Pack: one face photo becomes a whole pack, one sticker per expression, finished to one
 * messenger's rules, with the pack's icon, preview sheet and files.
 */

/** Pack For and what a pack means, right under the Operation: the messenger decides every other field. */
export const packForFields: INodeProperties[] = [
	{
		displayName: 'Pack For',
		name: 'packFor',
		type: 'options',
		options: [
			{
				name: 'Signal Sticker Pack',
				value: 'signal',
				description: '1 to 200 stickers, 512 × 512 WebP, at most 300 KB, one emoji each',
			},
			{
				name: 'Telegram Sticker Set',
				value: 'telegram',
				description: '1 to 50 stickers, WebP with one side 512 px, 1 to 20 emoji each, a 100 × 100 thumbnail',
			},
			{
				name: 'WhatsApp Sticker Pack',
				value: 'whatsapp',
				description: '3 to 30 stickers, 512 × 512 WebP, at most 100 KB, 1 to 3 emoji each, a 96 × 96 tray icon and a .wastickers file',
			},
		],
		default: 'telegram',
		description: 'The messenger whose rules the pack follows',
		displayOptions: showForPack,
	},
	{
		displayName:
			'Each expression is one sticker: the Prompt followed by the expression, all with one seed so they share a style. Every sticker is cut out (Background Removal V2) and finished inside the node. Before the first sticker the node checks that your Segmind balance pays for the whole pack.',
		name: 'packNotice',
		type: 'notice',
		default: '',
		displayOptions: showForPack,
	},
];

/** The pack's own fields, after the photo, the prompt and the model's size. */
export const packFields: INodeProperties[] = [
	{
		displayName: 'Pack Title',
		name: 'packTitle',
		type: 'string',
		required: true,
		default: 'My Stickers',
		placeholder: 'e.g. Anna\'s Stickers',
		hint: 'The name people see when they add the pack (Telegram: up to 64 characters; WhatsApp, Signal: up to 128)',
		displayOptions: showForPack,
	},
	{
		displayName: 'Bot Username',
		name: 'botUsername',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. my_sticker_bot',
		hint: 'The username of the Telegram bot that will create the set: Telegram requires set names to end in _by_&lt;bot username&gt;',
		displayOptions: showFor('telegram'),
	},
	{
		displayName: 'Sticker Set Name',
		name: 'setName',
		type: 'string',
		default: '',
		placeholder: 'e.g. anna_stickers_by_my_sticker_bot',
		hint: 'Empty: built from Pack Title and Bot Username. Must be unique on Telegram, so for a bot that makes packs for many people add something per person, e.g. the user ID.',
		description:
			'The set\'s name in its link t.me/addstickers/&lt;name&gt;: letters, digits and underscores, starting with a letter, no double underscore, ending in _by_&lt;bot username&gt;, at most 64 characters',
		displayOptions: showFor('telegram'),
	},
	{
		displayName: 'Publisher',
		name: 'packAuthor',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Anna',
		hint: 'Shown under the pack\'s title in WhatsApp (up to 128 characters)',
		displayOptions: showFor('whatsapp'),
	},
	{
		displayName: 'Pack Identifier',
		name: 'packIdentifier',
		type: 'string',
		default: '',
		placeholder: 'e.g. annas_stickers_2026',
		hint: 'Empty: made from Pack Title. Letters, digits, _ - . and spaces, at most 127; WhatsApp apps tell packs apart by it.',
		displayOptions: showFor('whatsapp'),
	},
	{
		displayName: 'Author',
		name: 'packAuthor',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Anna',
		hint: 'Shown under the pack\'s title in Signal (up to 128 characters)',
		displayOptions: showFor('signal'),
	},
	{
		displayName: 'Expressions',
		name: 'expressions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add expression',
		default: { expression: DEFAULT_EXPRESSIONS.map(({ expression, emoji }) => ({ expression, emoji })) },
		description: 'One sticker per expression, in this order',
		displayOptions: showForPack,
		options: [
			{
				displayName: 'Expression',
				name: 'expression',
				values: [
					{
						displayName: 'Expression',
						name: 'expression',
						type: 'string',
						default: '',
						placeholder: 'e.g. laughing out loud',
						description: 'Added to the Prompt for this sticker',
					},
					{
						displayName: 'Emoji',
						name: 'emoji',
						type: 'string',
						default: '',
						placeholder: 'e.g. 😂',
						description: 'The emoji this sticker stands for (Telegram: 1 to 20, WhatsApp: 1 to 3, Signal: 1)',
					},
				],
			},
		],
	},
	{
		displayName: 'Output',
		name: 'packOutput',
		type: 'options',
		options: [
			{
				name: 'One Item per Sticker',
				value: 'stickers',
				description:
					'Each sticker as its own item (binary "data" and its emoji), e.g. to upload each to Telegram with an HTTP Request node',
			},
			{
				name: 'One Item with the Whole Pack',
				value: 'pack',
				description:
					'Every sticker, the icon, a preview sheet and (WhatsApp) the .wastickers file and its contents JSON in one item',
			},
		],
		default: 'stickers',
		displayOptions: showForPack,
	},
	{
		displayName: 'Outline Width (Px)',
		name: 'outlineWidth',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: STICKER_LIMITS.outlineWidth.max },
		default: 8,
		hint: 'The die-cut border around each sticker, at 512 px; 0 = none',
		description: 'Width of the outline around each sticker, in pixels of the finished sticker',
		displayOptions: showForPack,
	},
	{
		displayName: 'Outline Color',
		name: 'outlineColor',
		type: 'color',
		default: '#ffffff',
		description: 'Colour of the outline; white is what Telegram and WhatsApp stickers use',
		displayOptions: showForPack,
	},
];
