import type { INodeProperties } from 'n8n-workflow';

import { modelSettingsCollection } from './modelSettings';
import { optionsCollection } from './options';
import { packFields, packForFields } from './pack';
import { stickerFormatFields } from './stickerFormat';
import { LIMITS } from '../helpers/limits';

const showForCreate = { show: { operation: ['create', 'createPack'] } };

export const faceToStickerProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Create Sticker',
				value: 'create',
				description: 'Turn a face photo into a sticker',
				action: 'Create sticker from a face photo',
			},
			{
				name: 'Create Sticker Pack',
				value: 'createPack',
				description: 'Turn one face photo into a whole sticker pack for Telegram, WhatsApp or Signal',
				action: 'Create sticker pack from a face photo',
			},
			{
				name: 'Get Result',
				value: 'getResult',
				description: 'Fetch the sticker of a job submitted earlier, by its request ID',
				action: 'Get result of a sticker job',
			},
		],
		default: 'create',
	},
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1f0c5d9e-8a1b-4c2d-9e3f-4a5b6c7d8e9f',
		description:
			'The request ID returned by Create Sticker (with Wait for Completion off, or in a timeout error). Segmind keeps job records for one hour.',
		displayOptions: { show: { operation: ['getResult'] } },
	},
	...packForFields,
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A JPEG, PNG or WebP photo from a binary property of the input item',
			},
			{
				name: 'URL',
				value: 'url',
				description: 'A public http(s) URL of the photo, fetched by Segmind',
			},
		],
		default: 'binary',
		description: 'Where the face photo comes from',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'The binary field of the input item that holds the face photo: a JPEG or PNG straight from a phone is fine (up to 100 MB), or WebP',
		description: 'JPEG or PNG up to 100 MB (made upright, private and small before sending; see Photo Preparation under Options), or WebP',
		displayOptions: { show: { operation: ['create', 'createPack'], imageSource: ['binary'] } },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/face.jpg',
		description: 'Public http or https URL of the face photo (JPEG, PNG or WebP)',
		displayOptions: { show: { operation: ['create', 'createPack'], imageSource: ['url'] } },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: 'a person',
		hint: 'Who or what the sticker shows, e.g. "a smiling astronaut, thumbs up"',
		description:
			'What the sticker shows. Segmind wraps it as "Sticker, {prompt}, cel shaded, svg, vector art, sharp".',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Negative Prompt',
		name: 'negativePrompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'What the sticker should not show, added to Segmind\'s own negative prompt',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Width',
		name: 'width',
		type: 'number',
		typeOptions: {
			minValue: LIMITS.dimension.min,
			maxValue: LIMITS.dimension.max,
			numberStepSize: LIMITS.dimension.step,
		},
		default: 1024,
		hint: '256 to 2048 pixels, a multiple of 8',
		description: 'Width of the sticker in pixels: 256 to 2048, a multiple of 8',
		displayOptions: showForCreate,
	},
	{
		displayName: 'Height',
		name: 'height',
		type: 'number',
		typeOptions: {
			minValue: LIMITS.dimension.min,
			maxValue: LIMITS.dimension.max,
			numberStepSize: LIMITS.dimension.step,
		},
		default: 1024,
		hint: '256 to 2048 pixels, a multiple of 8',
		description: 'Height of the sticker in pixels: 256 to 2048, a multiple of 8',
		displayOptions: showForCreate,
	},
	...stickerFormatFields,
	...packFields,
	modelSettingsCollection,
	optionsCollection,
];
