import nock from 'nock';

import type { ParameterValue } from '../helpers/fakeContext';
import { BASE_URL, binaryItem, runNode, runNodeExpectingError } from '../helpers/fakeContext';
import { jpeg, PDF, PNG, WEBP } from '../helpers/images';

const FACE = jpeg(32, 32);
/** The start of an iPhone photo: an ISO BMFF 'ftyp' box with the brand heic. */
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);
const TEN_MB = 10 * 1024 * 1024;

/** A buffer of `size` bytes that starts like a JPEG. */
function jpegOfSize(size: number): Buffer {
	const bytes = Buffer.alloc(size, 0);
	FACE.copy(bytes, 0, 0, Math.min(FACE.length, size));
	return bytes;
}

// Each row: a case, the parameters, the input items, and the exact message. The table in TESTING.md is this one.
const CASES: Array<[string, Record<string, ParameterValue>, ReturnType<typeof binaryItem>[] | undefined, string]> = [
	['no binary property', {}, [{ json: {} }], 'No face photo in the input binary field "data"'],
	['the photo in another binary field', {}, [binaryItem(FACE, 'face.jpg', 'image/jpeg', 'photo')], 'No face photo in the input binary field "data"'],
	['a PDF as the photo', {}, [binaryItem(PDF, 'face.jpg', 'image/jpeg')], 'The face photo "face.jpg" (declared as image/jpeg) is not a JPEG, PNG or WebP image'],
	['a text file as the photo', {}, [binaryItem(Buffer.from('hello'), 'notes.txt', 'text/plain')], 'The face photo "notes.txt" (declared as text/plain) is not a JPEG, PNG or WebP image'],
	['an empty file', {}, [binaryItem(Buffer.alloc(0), 'empty.jpg')], 'The face photo "empty.jpg" is empty (0 bytes)'],
	['a photo over 10 MB, sent as is', { options: { photoPreparation: 'asIs' } }, [binaryItem(jpegOfSize(TEN_MB + 1), 'big.jpg')], 'The face photo "big.jpg" is 10.00 MB, more than the 10 MB Segmind accepts'],
	['an iPhone HEIC photo', {}, [binaryItem(HEIC, 'IMG_0042.HEIC', 'image/heic')], 'The face photo "IMG_0042.HEIC" cannot be sent: this is an iPhone HEIC photo: set Camera > Formats > Most Compatible, or convert it to JPEG first'],
	['a GIF as the photo', {}, [binaryItem(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'face.gif', 'image/gif')], 'The face photo "face.gif" cannot be sent: this is a GIF image, which the node cannot send as a photo: convert it to JPEG or PNG first'],
	['a truncated JPEG', {}, [binaryItem(FACE.subarray(0, 300), 'cut.jpg')], 'The face photo "cut.jpg" cannot be sent: the JPEG is truncated: it ends before its end marker (EOI)'],
	['an unknown photo preparation', { options: { photoPreparation: 'shrink' } }, [binaryItem(FACE)], '"Photo Preparation" must be one of "auto", "asIs", got the text "shrink"'],
	['an empty binary field name', { binaryPropertyName: ' ' }, undefined, '"Input Binary Field" is empty'],
	['a URL that is not http(s)', { imageSource: 'url', imageUrl: 'ftp://example.com/face.jpg' }, undefined, '"Image URL" must be an http or https URL, got "ftp://example.com/face.jpg"'],
	['a URL that is not a URL', { imageSource: 'url', imageUrl: 'face.jpg' }, undefined, '"Image URL" must be an http or https URL, got "face.jpg"'],
	['an empty URL', { imageSource: 'url', imageUrl: '  ' }, undefined, '"Image URL" is empty'],
	['width below range', { width: 248 }, undefined, '"Width" must be from 256 to 2048, got 248'],
	['width above range', { width: 2056 }, undefined, '"Width" must be from 256 to 2048, got 2056'],
	['width not a multiple of 8', { width: 1000 + 4 }, undefined, '"Width" must be a multiple of 8 from 256 to 2048, got 1004'],
	['height not a multiple of 8', { height: 513 }, undefined, '"Height" must be a multiple of 8 from 256 to 2048, got 513'],
	['height below range', { height: 0 }, undefined, '"Height" must be from 256 to 2048, got 0'],
	['steps below range', { modelSettings: { steps: 0 } }, undefined, '"Steps" must be from 1 to 100, got 0'],
	['steps above range', { modelSettings: { steps: 101 } }, undefined, '"Steps" must be from 1 to 100, got 101'],
	['steps fractional', { modelSettings: { steps: 20.5 } }, undefined, '"Steps" must be a whole number from 1 to 100, got 20.5'],
	['seed below range', { modelSettings: { seed: -2 } }, undefined, '"Seed" must be from -1 to 4294967295, got -2'],
	['seed above range', { modelSettings: { seed: 4294967296 } }, undefined, '"Seed" must be from -1 to 4294967295, got 4294967296'],
	['seed fractional', { modelSettings: { seed: 1.5 } }, undefined, '"Seed" must be a whole number from -1 to 4294967295, got 1.5'],
	['prompt strength below range', { modelSettings: { promptStrength: -0.1 } }, undefined, '"Prompt Strength" must be from 0 to 20, got -0.1'],
	['prompt strength above range', { modelSettings: { promptStrength: 21 } }, undefined, '"Prompt Strength" must be from 0 to 20, got 21'],
	['InstantID strength above range', { modelSettings: { instantIdStrength: 1.01 } }, undefined, '"InstantID Strength" must be from 0 to 1, got 1.01'],
	['InstantID strength below range', { modelSettings: { instantIdStrength: -1 } }, undefined, '"InstantID Strength" must be from 0 to 1, got -1'],
	['IP adapter weight above range', { modelSettings: { ipAdapterWeight: 2 } }, undefined, '"IP Adapter Weight" must be from 0 to 1, got 2'],
	['IP adapter weight below range', { modelSettings: { ipAdapterWeight: -0.5 } }, undefined, '"IP Adapter Weight" must be from 0 to 1, got -0.5'],
	['IP adapter noise above range', { modelSettings: { ipAdapterNoise: 1.5 } }, undefined, '"IP Adapter Noise" must be from 0 to 1, got 1.5'],
	['IP adapter noise below range', { modelSettings: { ipAdapterNoise: -0.01 } }, undefined, '"IP Adapter Noise" must be from 0 to 1, got -0.01'],
	['upscale steps below range', { modelSettings: { upscale: true, upscaleSteps: 0 } }, undefined, '"Upscale Steps" must be from 1 to 100, got 0'],
	['upscale steps above range', { modelSettings: { upscale: true, upscaleSteps: 101 } }, undefined, '"Upscale Steps" must be from 1 to 100, got 101'],
	['upscale steps fractional', { modelSettings: { upscaleSteps: 2.5 } }, undefined, '"Upscale Steps" must be a whole number from 1 to 100, got 2.5'],
	['a string where a number belongs', { width: '512' }, undefined, '"Width" must be a whole number from 256 to 2048, got the text "512"'],
	['a string for a float parameter', { modelSettings: { promptStrength: 'strong' } }, undefined, '"Prompt Strength" must be a number from 0 to 20, got the text "strong"'],
	['NaN for a number', { modelSettings: { ipAdapterNoise: Number.NaN } }, undefined, '"IP Adapter Noise" must be a number from 0 to 1, got NaN'],
	['a number where text belongs', { prompt: 42 }, undefined, '"Prompt" must be text, got 42'],
	['a string where a boolean belongs', { modelSettings: { upscale: 'yes' } }, undefined, '"Upscale" must be true or false, got the text "yes"'],
	['an unknown image source', { imageSource: 'ftp' }, undefined, '"Image Source" must be one of "binary", "url", got the text "ftp"'],
	['a negative poll interval', { options: { pollInterval: -1 } }, undefined, '"Poll Interval (Seconds)" must be from 0.1 to 3600, got -1'],
	['a zero poll interval', { options: { pollInterval: 0 } }, undefined, '"Poll Interval (Seconds)" must be from 0.1 to 3600, got 0'],
	['a negative max wait time', { options: { maxWaitTime: -5 } }, undefined, '"Max Wait Time (Seconds)" must be from 1 to 86400, got -5'],
	['a zero timeout', { options: { timeout: 0 } }, undefined, '"Timeout (Seconds)" must be from 1 to 3600, got 0'],
	['concurrency 0', { options: { concurrency: 0 } }, undefined, '"Concurrency" must be from 1 to 50, got 0'],
	['concurrency 51', { options: { concurrency: 51 } }, undefined, '"Concurrency" must be from 1 to 50, got 51'],
	['negative requests per minute', { options: { requestsPerMinute: -1 } }, undefined, '"Requests per Minute" must be from 0 to 100000, got -1'],
	['an unknown mode', { options: { mode: 'turbo' } }, undefined, '"Mode" must be one of "queue", "direct", got the text "turbo"'],
	['an empty output binary field', { options: { outputBinaryPropertyName: '' } }, undefined, '"Output Binary Field" is empty'],
	['an empty file name', { options: { fileName: ' ' } }, undefined, '"Output File Name" is empty'],
	['an unknown background', { options: { background: 'see-through' } }, undefined, '"Background" must be one of "keep", "transparent", got the text "see-through"'],
	['Keep Original not a boolean', { options: { keepOriginal: 'yes' } }, undefined, '"Keep Original" must be true or false, got the text "yes"'],
	['Keep Original with the output field named original', { options: { background: 'transparent', keepOriginal: true, outputBinaryPropertyName: 'original' } }, undefined, '"Output Binary Field" cannot be "original" while Keep Original is on'],
	['an unknown photo upload route', { options: { photoUpload: 'fax' } }, undefined, '"Photo Upload" must be one of "auto", "inline", "upload", got the text "fax"'],
	['an empty request ID for Get Result', { operation: 'getResult', requestId: '' }, undefined, '"Request ID" is empty'],
	['a request ID with a slash', { operation: 'getResult', requestId: '../credits' }, undefined, '"Request ID" is not a Segmind request ID'],
];

describe('careless input fails before any request, with a message that names the parameter', () => {
	test.each(CASES)('%s', async (_, parameters, items, message) => {
		const { error, sent } = await runNodeExpectingError({ items: items ?? [binaryItem(FACE)], parameters });
		expect(sent).toHaveLength(0);
		expect(error.message).toBe(message);
		expect(error.constructor.name).toMatch(/NodeOperationError|NodeApiError/);
		expect(error.context.itemIndex).toBe(0);
	});

	test('a photo of exactly 10 MB is accepted and sent, as is', async () => {
		const api = nock(BASE_URL).post('/v1/face-to-sticker').reply(200, FACE, { 'content-type': 'image/jpeg' });
		const photo = jpegOfSize(TEN_MB);
		const { sent } = await runNode({ items: [binaryItem(photo, 'ten.jpg')], parameters: { options: { mode: 'direct', photoPreparation: 'asIs' } } });
		expect(api.isDone()).toBe(true);
		expect(sent).toHaveLength(1);
		expect((sent[0].body as { image: string }).image).toBe(photo.toString('base64'));
	});

	test.each([
		['PNG', PNG],
		['WebP', WEBP],
	])('a %s photo is accepted as is (the type comes from the bytes, not the name)', async (_, bytes) => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, FACE, { 'content-type': 'image/jpeg' });
		const { sent } = await runNode({ items: [binaryItem(bytes, 'photo.bin', 'application/octet-stream')], parameters: { options: { mode: 'direct', photoPreparation: 'asIs' } } });
		expect((sent[0].body as { image: string }).image).toBe(bytes.toString('base64'));
	});

	test('the photo is read from the named binary field', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, FACE, { 'content-type': 'image/jpeg' });
		const { sent } = await runNode({
			items: [binaryItem(PNG, 'selfie.png', 'image/png', 'selfie')],
			parameters: { binaryPropertyName: 'selfie', options: { mode: 'direct', photoPreparation: 'asIs' } },
		});
		expect((sent[0].body as { image: string }).image).toBe(PNG.toString('base64'));
	});

	test('one invalid item stops the whole run before any item is sent, and names that item', async () => {
		const { error, sent } = await runNodeExpectingError({
			items: [binaryItem(FACE), binaryItem(FACE), binaryItem(FACE)],
			parameters: { width: (i: number) => (i === 2 ? 3000 : 512) },
		});
		expect(sent).toHaveLength(0);
		expect(error.message).toBe('"Width" must be from 256 to 2048, got 3000');
		expect(error.context.itemIndex).toBe(2);
	});

	test('with continue on fail, the invalid item becomes an error item and the others are generated', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').twice().reply(200, FACE, { 'content-type': 'image/jpeg' });
		const { output, sent } = await runNode({
			items: [binaryItem(FACE), binaryItem(FACE), binaryItem(FACE)],
			parameters: { modelSettings: (i: number) => ({ steps: i === 1 ? 500 : 20 }), options: { mode: 'direct' } },
			continueOnFail: true,
		});
		expect(sent).toHaveLength(2);
		expect(output[1]).toEqual({ json: { error: '"Steps" must be from 1 to 100, got 500' }, pairedItem: { item: 1 } });
		expect(output[0].binary).toBeDefined();
		expect(output[2].binary).toBeDefined();
	});
});



describe('TESTING.md', () => {
	test('lists every careless-input case with its current message', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const text: string = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'TESTING.md'), 'utf8');
		for (const [name, , , message] of CASES) {
			expect([name, text.includes(`| ${name} |`) && text.includes(message.replace(/\|/g, '\\|'))]).toEqual([name, true]);
		}
	});
});

describe('a missing face photo says how to get one there', () => {
	test('no binary field at all: add a node that outputs the photo, or use Image Source URL', async () => {
		const { error } = await runNodeExpectingError({ items: [{ json: {} }] });
		expect(error.description).toContain('Read Files from Disk');
		expect(error.description).toContain('set Image Source to URL');
		expect(error.description).toContain("(n8n: This operation expects the node's input data to contain a binary file 'data'");
	});

	test('the photo is in another binary field: the message names the fields the item has', async () => {
		const { error } = await runNodeExpectingError({ items: [binaryItem(FACE, 'face.jpg', 'image/jpeg', 'photo')] });
		expect(error.description).toMatch(/^The item has the binary field "photo": set Input Binary Field to the one holding the photo\./);
	});
});
