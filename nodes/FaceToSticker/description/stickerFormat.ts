import type { INodeProperties } from 'n8n-workflow';

import { STICKER_LIMITS } from '../helpers/limits';

const notForPack = { operation: ['create', 'getResult'] };
const showForFinish = { show: notForPack, hide: { stickerFormat: ['asGenerated'] } };
const showForCustom = { show: { ...notForPack, stickerFormat: ['custom'] } };

/**
 * Sticker Format and its settings, on the main form: the output becomes a sticker a messenger takes as it is
 * (size, format, byte limit, die-cut outline), made inside the node from the transparent cut-out.
 */
export const stickerFormatFields: INodeProperties[] = [
	{
		displayName: 'Sticker Format',
		name: 'stickerFormat',
		type: 'options',
		options: [
			{
				name: 'As Generated',
				value: 'asGenerated',
				description: 'The image as Segmind makes it: JPEG, or PNG with Background: Transparent, at the model\'s size',
			},
			{
				name: 'Custom',
				value: 'custom',
				description: 'Your own size, layout, file type and largest file',
			},
			{
				name: 'Discord Sticker',
				value: 'discord',
				description: 'PNG, 320 × 320 px, at most 512 KB, white outline',
			},
			{
				name: 'Signal Sticker',
				value: 'signal',
				description: 'WebP, 512 × 512 px, at most 300 KB, white outline',
			},
			{
				name: 'Slack Emoji',
				value: 'slack',
				description: 'PNG, 128 × 128 px, at most 128 KB, white outline',
			},
			{
				name: 'Telegram Sticker',
				value: 'telegram',
				description: 'WebP, one side exactly 512 px, at most 512 KB, white outline: ready for Send Sticker',
			},
			{
				name: 'WhatsApp Sticker',
				value: 'whatsapp',
				description: 'Lossy WebP at the best quality that fits 100 KB, 512 × 512 px, white outline',
			},
		],
		default: 'asGenerated',
		description: 'What the node outputs: the image as generated, or a finished sticker for a messenger',
		displayOptions: { show: notForPack },
	},
	{
		displayName:
			'The sticker is cut out with Segmind\'s Background Removal V2 (about 1 s and $0.001 more), then trimmed, scaled, outlined and encoded inside the node',
		name: 'stickerFormatNotice',
		type: 'notice',
		default: '',
		displayOptions: showForFinish,
	},
	{
		displayName: 'Sticker Width (Px)',
		name: 'stickerWidth',
		type: 'number',
		typeOptions: { minValue: STICKER_LIMITS.size.min, maxValue: STICKER_LIMITS.size.max },
		default: 512,
		description: 'Width of the finished sticker in pixels',
		displayOptions: showForCustom,
	},
	{
		displayName: 'Sticker Height (Px)',
		name: 'stickerHeight',
		type: 'number',
		typeOptions: { minValue: STICKER_LIMITS.size.min, maxValue: STICKER_LIMITS.size.max },
		default: 512,
		description: 'Height of the finished sticker in pixels; the same as the width for a square sticker',
		displayOptions: showForCustom,
	},
	{
		displayName: 'Layout',
		name: 'stickerLayout',
		type: 'options',
		options: [
			{
				name: 'Exact Size',
				value: 'canvas',
				description: 'The file is exactly Width × Height, the sticker centred on a transparent canvas',
			},
			{
				name: 'Fit Inside',
				value: 'fit',
				description: 'The file is the sticker\'s own shape, scaled until one side reaches Width or Height (as Telegram wants)',
			},
		],
		default: 'canvas',
		displayOptions: showForCustom,
	},
	{
		displayName: 'File Type',
		name: 'stickerEncoding',
		type: 'options',
		options: [
			{ name: 'WebP', value: 'webp', description: 'WebP with transparency, lossless or lossy (Compression)' },
			{ name: 'PNG', value: 'png', description: 'PNG with transparency' },
		],
		default: 'webp',
		displayOptions: showForCustom,
	},
	{
		displayName: 'Compression',
		name: 'stickerCompression',
		type: 'options',
		options: [
			{
				name: 'Best That Fits the Max File Size',
				value: 'best-fit',
				description: 'Lossy WebP at the highest quality whose file fits Max File Size: the whole budget, used',
			},
			{
				name: 'Lossless',
				value: 'lossless',
				description: 'Every pixel kept; over Max File Size, fewer colours until it fits',
			},
			{
				name: 'Lossy',
				value: 'lossy',
				description: 'Lossy WebP at Quality, with the transparent edge kept exact (a lower quality if the file is over Max File Size)',
			},
		],
		default: 'lossless',
		displayOptions: { show: { ...notForPack, stickerFormat: ['custom'], stickerEncoding: ['webp'] } },
	},
	{
		displayName: 'Quality',
		name: 'stickerQuality',
		type: 'number',
		typeOptions: { minValue: STICKER_LIMITS.quality.min, maxValue: STICKER_LIMITS.quality.max },
		default: 90,
		hint: '1 to 100, as cwebp\'s -q: 90 looks like the original at a fraction of the bytes',
		displayOptions: { show: { ...notForPack, stickerFormat: ['custom'], stickerEncoding: ['webp'], stickerCompression: ['lossy'] } },
	},
	{
		displayName: 'Max File Size (KB)',
		name: 'stickerMaxKilobytes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: STICKER_LIMITS.maxKilobytes.max },
		default: 0,
		hint: '0 = no limit. A larger file is reduced to fewer colours until it fits.',
		description: 'The largest file the messenger accepts, in KB of 1024 bytes',
		displayOptions: showForCustom,
	},
	{
		displayName: 'Outline Width (Px)',
		name: 'outlineWidth',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: STICKER_LIMITS.outlineWidth.max },
		default: 8,
		hint: 'The die-cut border around the sticker, at the output size; 0 = none',
		description: 'Width of the outline around the sticker, in pixels of the finished sticker',
		displayOptions: showForFinish,
	},
	{
		displayName: 'Outline Color',
		name: 'outlineColor',
		type: 'color',
		default: '#ffffff',
		description: 'Colour of the outline; white is what Telegram and WhatsApp stickers use',
		displayOptions: showForFinish,
	},
];
