import type { INodeProperties } from 'n8n-workflow';

import { LIMITS } from '../helpers/limits';

/** The Options collection: how the node calls Segmind and shapes its output, rarely changed. */
export const optionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Background',
			name: 'background',
			type: 'options',
			options: [
				{
					name: 'As Generated',
					value: 'keep',
					description: 'The sticker as Segmind\'s face-to-sticker model makes it, on a flat background (JPEG)',
				},
				{
					name: 'Transparent',
					value: 'transparent',
					description:
						'Cut the sticker out with Segmind\'s Background Removal V2 (a PNG with transparency; about 0.6 s and $0.001 more)',
				},
			],
			default: 'keep',
			description: 'Transparent is what Telegram, WhatsApp, Slack and Discord stickers look like',
			displayOptions: { show: { '/operation': ['create', 'getResult'] } },
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: LIMITS.concurrency.min, maxValue: LIMITS.concurrency.max },
			default: 4,
			description:
				'How many stickers are generated at once, 1 to 50: items, or the stickers of a pack. Read from the first item; outputs keep the input order.',
		},
		{
			displayName: 'Keep Original',
			name: 'keepOriginal',
			type: 'boolean',
			default: false,
			description:
				'Whether to also output the sticker with its flat background, in the binary field "original" (with Background: Transparent or a Sticker Format)',
			displayOptions: { show: { '/operation': ['create', 'getResult'] } },
		},
		{
			displayName: 'Max Pack Cost (Credits)',
			name: 'maxPackCost',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 4 },
			default: 0,
			hint: '0 = no cap. Segmind credits are US dollars.',
			description:
				'The most one pack may cost. A pack whose stickers would cost more (count × the price of one, background removal included) is refused before anything is spent.',
			displayOptions: { show: { '/operation': ['createPack'] } },
		},
		{
			displayName: 'Max Wait Time (Seconds)',
			name: 'maxWaitTime',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: LIMITS.maxWaitTime.max },
			default: 600,
			description:
				'How long one item may take in all, retries and rate-limit pauses included, before it fails with its request ID',
		},
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: [
				{
					name: 'Direct (One Long Request)',
					value: 'direct',
					description:
						'POST /v1/face-to-sticker, which holds the connection open until the image is ready (about 65 s)',
				},
				{
					name: 'Queue (Submit, Then Poll)',
					value: 'queue',
					description: 'POST /v2/face-to-sticker, poll the job, then download the image. Recommended.',
				},
			],
			default: 'queue',
			description: 'How to call Segmind',
			displayOptions: { show: { '/operation': ['create'] } },
		},
		{
			displayName: 'Output Binary Field',
			name: 'outputBinaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'The name of the output binary field to put the sticker in',
		},
		{
			displayName: 'Output File Name',
			name: 'fileName',
			type: 'string',
			default: 'sticker',
			description: 'File name of the sticker, without extension: the extension follows the image type',
		},
		{
			displayName: 'Photo Preparation',
			name: 'photoPreparation',
			type: 'options',
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description:
						'Turn the photo upright (EXIF orientation), remove its metadata (GPS position, camera serial, times) and scale it to at most 1536 px before it leaves n8n; accepts JPEG and PNG photos up to 100 MB',
				},
				{
					name: 'Send As Is',
					value: 'asIs',
					description: 'Send the file exactly as it came (at most 10 MB), metadata included',
				},
			],
			default: 'auto',
			description: 'What happens to a binary face photo before it is sent to Segmind (a URL is sent as it is)',
			displayOptions: { show: { '/operation': ['create', 'createPack'] } },
		},
		{
			displayName: 'Photo Upload',
			name: 'photoUpload',
			type: 'options',
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description: 'Send the photo as base64; if Segmind refuses that, upload it and send its URL',
				},
				{
					name: 'Inline (Base64)',
					value: 'inline',
					description: 'Always send the photo as base64 in the request',
				},
				{
					name: 'Upload First',
					value: 'upload',
					description: 'Upload the photo to Segmind\'s storage and send its URL, as Segmind\'s own SDK does',
				},
			],
			default: 'auto',
			description: 'How a binary photo reaches Segmind',
			displayOptions: { show: { '/operation': ['create'], '/imageSource': ['binary'] } },
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: {
				minValue: LIMITS.pollInterval.min,
				maxValue: LIMITS.pollInterval.max,
				numberPrecision: 2,
			},
			default: 3,
			description: 'Time between two status checks of one job in queue mode',
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: LIMITS.requestsPerMinute.max },
			default: 0,
			description:
				'Most requests (submits and polls together) this node sends in any 60 seconds. For your plan\'s limit across all executions, set Requests per Minute in the credential. 0 means no cap.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: LIMITS.timeout.max },
			default: 180,
			description:
				'How long one HTTP request may take. Direct mode needs room for a whole generation (about 65 s).',
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait for the sticker (queue mode). When off, the node returns the request ID right after submitting; fetch the sticker later with Get Result.',
			displayOptions: { show: { '/operation': ['create'] } },
		},
	],
};
