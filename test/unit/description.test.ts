import type { INodeProperties } from 'n8n-workflow';

import { SegmindApi } from '../../credentials/SegmindApi.credentials';
import { FaceToSticker } from '../../nodes/FaceToSticker/FaceToSticker.node';
import { splitEmoji } from '../../nodes/FaceToSticker/helpers/packRules';

const description = new FaceToSticker().description;
const modelSettings = () => (description.properties.find((p) => p.name === 'modelSettings')?.options ?? []) as INodeProperties[];
/** A top-level parameter, or one of the Model Settings collection's. */
const property = (name: string, list: INodeProperties[] = [...description.properties, ...modelSettings()]) => {
	const found = list.find((p) => p.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
};
const option = (name: string) => property(name, property('options').options as INodeProperties[]);

const KNOBS = ['steps', 'seed', 'promptStrength', 'instantIdStrength', 'ipAdapterWeight', 'ipAdapterNoise', 'upscale', 'upscaleSteps'];

describe('Face to Sticker node description', () => {
	test('node identity: faceToSticker, version 1, usable as a tool, subtitle, light and dark icons, segmindApi credential', () => {
		expect(description.name).toBe('faceToSticker');
		expect(description.displayName).toBe('Face to Sticker');
		expect(description.version).toBe(1);
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toEqual(expect.stringContaining('$parameter'));
		expect(description.icon).toEqual({ light: 'file:faceToSticker.svg', dark: 'file:faceToSticker.dark.svg' });
		expect(description.credentials).toEqual([{ name: 'segmindApi', required: true }]);
	});

	test.each([
		['imageSource', 'options', 'binary'],
		['binaryPropertyName', 'string', 'data'],
		['imageUrl', 'string', ''],
		['prompt', 'string', 'a person'],
		['negativePrompt', 'string', ''],
		['width', 'number', 1024],
		['height', 'number', 1024],
		['steps', 'number', 20],
		['seed', 'number', -1],
		['promptStrength', 'number', 7],
		['instantIdStrength', 'number', 1],
		['ipAdapterWeight', 'number', 0.2],
		['ipAdapterNoise', 'number', 0.5],
		['upscale', 'boolean', false],
		['upscaleSteps', 'number', 10],
		['modelSettings', 'collection', {}],
		['options', 'collection', {}],
	])('parameter %s is a %s with default %p', (name, type, fallback) => {
		expect(property(name).type).toBe(type);
		expect(property(name).default).toEqual(fallback);
	});

	test.each([
		['width', 256, 2048, 8],
		['height', 256, 2048, 8],
		['steps', 1, 100, undefined],
		['seed', -1, 4294967295, undefined],
		['promptStrength', 0, 20, undefined],
		['instantIdStrength', 0, 1, undefined],
		['ipAdapterWeight', 0, 1, undefined],
		['ipAdapterNoise', 0, 1, undefined],
		['upscaleSteps', 1, 100, undefined],
	])('parameter %s accepts %p to %p (step %p)', (name, min, max, step) => {
		const typeOptions = property(name).typeOptions ?? {};
		expect(typeOptions.minValue).toBe(min);
		expect(typeOptions.maxValue).toBe(max);
		if (step) expect(typeOptions.numberStepSize).toBe(step);
	});

	test('image source offers Binary File and URL, and shows the matching field for each', () => {
		expect(property('imageSource').options).toEqual([
			expect.objectContaining({ name: 'Binary File', value: 'binary' }),
			expect.objectContaining({ name: 'URL', value: 'url' }),
		]);
		expect(property('binaryPropertyName').displayOptions?.show?.imageSource).toEqual(['binary']);
		expect(property('imageUrl').displayOptions?.show?.imageSource).toEqual(['url']);
		expect(property('upscaleSteps').displayOptions?.show?.upscale).toEqual([true]);
	});

	test('the eight model knobs are in the Model Settings collection (empty by default), not in the main form', () => {
		expect(modelSettings().map((p) => p.name).sort()).toEqual([...KNOBS].sort());
		for (const name of KNOBS) expect(description.properties.find((p) => p.name === name)).toBeUndefined();
		const names = description.properties.map((p) => p.name);
		expect(names.indexOf('modelSettings')).toBe(names.indexOf('options') - 1);
	});

	test.each([
		['mode', 'queue'],
		['pollInterval', 3],
		['maxWaitTime', 600],
		['timeout', 180],
		['outputBinaryPropertyName', 'data'],
		['fileName', 'sticker'],
		['concurrency', 4],
		['requestsPerMinute', 0],
		['waitForCompletion', true],
	])('option %s defaults to %p', (name, fallback) => {
		expect(option(name).default).toEqual(fallback);
	});

	test('mode option offers queue and direct; concurrency is 1 to 50', () => {
		expect((option('mode').options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(['direct', 'queue']);
		expect(option('concurrency').typeOptions).toEqual(expect.objectContaining({ minValue: 1, maxValue: 50 }));
	});

	test('operation offers create (default), createPack and getResult, which takes a request ID', () => {
		expect(property('operation').default).toBe('create');
		expect((property('operation').options as Array<{ value: string }>).map((o) => o.value)).toEqual(['create', 'createPack', 'getResult']);
		expect(property('requestId').displayOptions?.show?.operation).toEqual(['getResult']);
	});

	test('Create Sticker Pack: Pack For offers Signal, Telegram and WhatsApp; eight expressions with one emoji each by default; the Sticker Format fields stay on the single-sticker operations', () => {
		expect((property('packFor').options as Array<{ value: string }>).map((o) => o.value)).toEqual(['signal', 'telegram', 'whatsapp']);
		const expressions = (property('expressions').default as { expression: Array<{ expression: string; emoji: string }> }).expression;
		expect(expressions).toHaveLength(8);
		for (const entry of expressions) expect(splitEmoji(entry.emoji)).toEqual({ ok: true, value: [entry.emoji] });
		expect(property('botUsername').displayOptions?.show).toEqual({ operation: ['createPack'], packFor: ['telegram'] });
		expect(property('stickerFormat').displayOptions?.show?.operation).toEqual(['create', 'getResult']);
		expect(option('maxPackCost').displayOptions?.show?.['/operation']).toEqual(['createPack']);
	});
});

describe('Segmind API credential', () => {
	const credential = new SegmindApi();

	test('is segmindApi, "Segmind API", with a password API key and a base URL defaulting to api.segmind.com', () => {
		expect(credential.name).toBe('segmindApi');
		expect(credential.displayName).toBe('Segmind API');
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey).toEqual(expect.objectContaining({ type: 'string', required: true, typeOptions: { password: true } }));
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.segmind.com');
	});

	test('sends the key only as the x-api-key header', () => {
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
		});
	});

	test('is tested with the free GET /v1/get-user-credits, failing only on 401 and 403 (a 404 "no credits" key is valid)', () => {
		expect(credential.test.request).toEqual(
			expect.objectContaining({
				baseURL: '={{$credentials.baseUrl}}',
				url: '/v1/get-user-credits',
				method: 'GET',
				ignoreHttpStatusErrors: { ignore: true, except: [401, 403] },
			}),
		);
		const codes = (credential.test.rules ?? [])
			.filter((rule) => rule.type === 'responseCode')
			.map((rule) => (rule.properties as { value: number }).value);
		expect(codes).toEqual([401, 403]);
	});
});
