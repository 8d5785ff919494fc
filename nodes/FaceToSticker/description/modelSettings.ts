import type { INodeProperties } from 'n8n-workflow';

import { LIMITS } from '../helpers/limits';

/**
 * Model Settings: the face-to-sticker model's tuning knobs, with Segmind's defaults. Most users never change them,
 * so they sit in a collection that starts empty, as vendor nodes keep their tuning; the ones added apply.
 */
export const modelSettingsCollection: INodeProperties = {
	displayName: 'Model Settings',
	name: 'modelSettings',
	type: 'collection',
	placeholder: 'Add model setting',
	default: {},
	description: 'Tuning of the face-to-sticker model. Leave it empty for Segmind\'s defaults.',
	displayOptions: { show: { operation: ['create', 'createPack'] } },
	options: [
		{
			displayName: 'InstantID Strength',
			name: 'instantIdStrength',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 1,
			description: 'How strongly the face identity is kept (InstantID weight), 0 to 1',
		},
		{
			displayName: 'IP Adapter Noise',
			name: 'ipAdapterNoise',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.5,
			description: 'Noise added to the IPAdapter input, 0 to 1',
		},
		{
			displayName: 'IP Adapter Weight',
			name: 'ipAdapterWeight',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.2,
			description: 'Weight of the IPAdapter FaceID likeness, 0 to 1',
		},
		{
			displayName: 'Prompt Strength',
			name: 'promptStrength',
			type: 'number',
			typeOptions: {
				minValue: LIMITS.promptStrength.min,
				maxValue: LIMITS.promptStrength.max,
				numberPrecision: 2,
			},
			default: 7,
			description: 'How closely the image follows the prompt (CFG scale), 0 to 20',
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			typeOptions: { minValue: LIMITS.seed.min, maxValue: LIMITS.seed.max },
			default: -1,
			hint: '-1 = a random seed. The seed used is in the output, to make the same sticker again.',
			description:
				'-1 draws a random seed; 0 to 4294967295 reproduces a sticker. The seed used is in the output either way.',
		},
		{
			displayName: 'Steps',
			name: 'steps',
			type: 'number',
			typeOptions: { minValue: LIMITS.steps.min, maxValue: LIMITS.steps.max },
			default: 20,
			description: 'Number of sampling steps, 1 to 100. More steps take longer.',
		},
		{
			displayName: 'Upscale',
			name: 'upscale',
			type: 'boolean',
			default: false,
			description: 'Whether to upscale the sticker 2x (takes longer)',
		},
		{
			displayName: 'Upscale Steps',
			name: 'upscaleSteps',
			type: 'number',
			typeOptions: { minValue: LIMITS.upscaleSteps.min, maxValue: LIMITS.upscaleSteps.max },
			default: 10,
			description: 'Sampling steps of the upscaler, 1 to 100',
			// A sibling in this collection: shown once Upscale is added and on.
			displayOptions: { show: { upscale: [true] } },
		},
	],
};
