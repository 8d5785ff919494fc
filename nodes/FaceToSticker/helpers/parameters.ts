import { randomInt } from 'crypto';

import type { CreateTask, GenerationSettings, ImageInput, ItemSettings, ItemTask, RunSettings } from './interfaces';
import { ORIGINAL_BINARY_FIELD } from './interfaces';
import { LIMITS } from './limits';
import { ParameterChecks, truncate } from './parameterChecks';
import { readStickerFinish } from './stickerParameters';

export type Operation = 'create' | 'createPack' | 'getResult';

/**
 * Reads the parameters of one item, after n8n has resolved its expressions, and checks each against what the
 * API and the node accept, so that a bad value fails here, named, before any request (and any credit) is spent.
 */
export class ParameterReader extends ParameterChecks {
	readOperation(): Operation {
		return this.options('operation', 'Operation', ['create', 'createPack', 'getResult'], 'create');
	}

	/** Create Sticker or Get Result (a pack is read by packParameters.ts, from readCreateTask). */
	readTask(): ItemTask {
		const operation = this.options('operation', 'Operation', ['create', 'getResult'], 'create');
		if (operation === 'create') return this.readCreateTask();
		const itemSettings = this.readItemSettings();
		const requestId = this.string('requestId', 'Request ID', '').trim();
		if (!requestId) this.fail('Request ID', 'is empty', 'Pass the request ID that Create Sticker returned.');
		if (!/^[A-Za-z0-9._-]{1,200}$/.test(requestId)) {
			this.fail('Request ID', 'is not a Segmind request ID', 'It should look like 1f0c5d9e-8a1b-4c2d-9e3f-4a5b6c7d8e9f.');
		}
		return { operation, requestId, ...itemSettings };
	}

	/** One sticker from a face photo: the photo, the model settings, how to call Segmind and what to output. */
	readCreateTask(): CreateTask {
		const itemSettings = this.readItemSettings();
		const options = this.collection();
		const mode = this.optionValue(options, 'mode', 'Mode', ['queue', 'direct'], 'queue');
		return {
			operation: 'create',
			mode,
			waitForCompletion: this.optionBoolean(options, 'waitForCompletion', 'Wait for Completion', true),
			photoUpload: this.optionValue(options, 'photoUpload', 'Photo Upload', ['auto', 'inline', 'upload'], 'auto'),
			photoPreparation: this.optionValue(options, 'photoPreparation', 'Photo Preparation', ['auto', 'asIs'], 'auto'),
			image: this.readImageInput(),
			settings: this.readGenerationSettings(),
			...itemSettings,
		};
	}

	readRunSettings(): RunSettings {
		const options = this.collection();
		return {
			concurrency: this.optionInteger(options, 'concurrency', 'Concurrency', 4, LIMITS.concurrency),
			requestsPerMinute: this.optionInteger(options, 'requestsPerMinute', 'Requests per Minute', 0, LIMITS.requestsPerMinute),
		};
	}

	private readImageInput(): ImageInput {
		const source = this.options('imageSource', 'Image Source', ['binary', 'url'], 'binary');
		if (source === 'binary') {
			const binaryPropertyName = this.string('binaryPropertyName', 'Input Binary Field', 'data').trim();
			if (!binaryPropertyName) {
				this.fail('Input Binary Field', 'is empty', 'Name the binary field that holds the face photo, e.g. data.');
			}
			return { source, binaryPropertyName };
		}
		const url = this.string('imageUrl', 'Image URL', '').trim();
		if (!url) this.fail('Image URL', 'is empty', 'Give a public http or https URL of the face photo.');
		let parsed: URL | undefined;
		try {
			parsed = new URL(url);
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
			this.fail(
				'Image URL',
				`must be an http or https URL, got "${truncate(url)}"`,
				'Segmind downloads the photo itself, so it needs a public http(s) address.',
			);
		}
		return { source, url };
	}

	private readGenerationSettings(): GenerationSettings {
		const model = this.collection('modelSettings');
		const seed = this.optionInteger(model, 'seed', 'Seed', -1, LIMITS.seed);
		return {
			prompt: this.string('prompt', 'Prompt', 'a person'),
			negative_prompt: this.string('negativePrompt', 'Negative Prompt', ''),
			width: this.dimension('width', 'Width'),
			height: this.dimension('height', 'Height'),
			steps: this.optionInteger(model, 'steps', 'Steps', 20, LIMITS.steps),
			// The node draws the random seed itself so that every output records the seed that reproduces it.
			seed: seed === -1 ? randomInt(0, LIMITS.seed.max + 1) : seed,
			prompt_strength: this.optionNumber(model, 'promptStrength', 'Prompt Strength', 7, LIMITS.promptStrength),
			instant_id_strength: this.optionNumber(model, 'instantIdStrength', 'InstantID Strength', 1, LIMITS.unitInterval),
			ip_adapter_weight: this.optionNumber(model, 'ipAdapterWeight', 'IP Adapter Weight', 0.2, LIMITS.unitInterval),
			ip_adapter_noise: this.optionNumber(model, 'ipAdapterNoise', 'IP Adapter Noise', 0.5, LIMITS.unitInterval),
			upscale: this.optionBoolean(model, 'upscale', 'Upscale', false),
			upscale_steps: this.optionInteger(model, 'upscaleSteps', 'Upscale Steps', 10, LIMITS.upscaleSteps),
		};
	}

	private readItemSettings(): ItemSettings {
		const options = this.collection();
		const seconds = (name: string, label: string, fallback: number, range: { min: number; max: number }) =>
			Math.round(this.optionNumber(options, name, label, fallback, range) * 1000);
		const name = (key: string, label: string, fallback: string) => {
			const value = this.checkString(label, options[key] ?? fallback).trim();
			if (!value) this.fail(label, 'is empty', `Leave it out to use "${fallback}".`);
			return value;
		};
		const background = this.optionValue(options, 'background', 'Background', ['keep', 'transparent'], 'keep');
		const finish = readStickerFinish(this);
		// Keep Original means something once there is a cut-out: with Background: Transparent or a Sticker Format.
		const cutout = background === 'transparent' || finish !== null;
		const keepOriginal = this.optionBoolean(options, 'keepOriginal', 'Keep Original', false) && cutout;
		const outputBinaryPropertyName = name('outputBinaryPropertyName', 'Output Binary Field', 'data');
		if (keepOriginal && outputBinaryPropertyName === ORIGINAL_BINARY_FIELD) {
			this.fail(
				'Output Binary Field',
				`cannot be "${ORIGINAL_BINARY_FIELD}" while Keep Original is on`,
				`Keep Original puts the flat sticker in "${ORIGINAL_BINARY_FIELD}". Name the transparent sticker's field otherwise, e.g. data.`,
			);
		}
		return {
			pollIntervalMs: seconds('pollInterval', 'Poll Interval (Seconds)', 3, LIMITS.pollInterval),
			maxWaitMs: seconds('maxWaitTime', 'Max Wait Time (Seconds)', 600, LIMITS.maxWaitTime),
			timeoutMs: seconds('timeout', 'Timeout (Seconds)', 180, LIMITS.timeout),
			outputBinaryPropertyName,
			fileName: name('fileName', 'Output File Name', 'sticker'),
			background,
			keepOriginal,
			finish,
		};
	}

	private dimension(name: string, label: string): number {
		const value = this.integer(name, label, 1024, LIMITS.dimension);
		if (value % LIMITS.dimension.step !== 0) {
			const lower = value - (value % LIMITS.dimension.step);
			this.fail(
				label,
				`must be a multiple of 8 from 256 to 2048, got ${value}`,
				`Try ${lower} or ${lower + LIMITS.dimension.step}.`,
			);
		}
		return value;
	}
}
