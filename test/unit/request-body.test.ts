import { serializeBackgroundRemovalBody, serializeRequestBody, serializeUploadBody } from '../../nodes/FaceToSticker/transport/requestBodies';
import type { GenerationSettings } from '../../nodes/FaceToSticker/helpers/interfaces';

const SETTINGS: GenerationSettings = {
	prompt: 'a "quoted" person, ünïcödé 🙂',
	negative_prompt: 'blurry\nlow quality',
	width: 1024,
	height: 768,
	steps: 20,
	seed: 4294967295,
	prompt_strength: 7.5,
	instant_id_strength: 1,
	ip_adapter_weight: 0.2,
	ip_adapter_noise: 0.5,
	upscale: true,
	upscale_steps: 10,
};

function bytesOfLength(length: number): Buffer {
	const bytes = Buffer.alloc(length);
	for (let i = 0; i < length; i++) bytes[i] = (i * 131 + 17) % 256;
	return bytes;
}

describe('the request body, written as JSON bytes', () => {
	// Lengths around the encoder's 48 KB slices and every remainder mod 3, where a slice-by-slice encoder would break.
	test.each([0, 1, 2, 3, 4, 5, 49151, 49152, 49153, 98304, 98306, 3 * 1024 * 1024 + 1])(
		'a photo of %i bytes gives exactly the bytes of JSON.stringify with the base64 photo first',
		(length) => {
			const photo = bytesOfLength(length);
			const body = serializeRequestBody(SETTINGS, photo);
			expect(body.toString('utf8')).toBe(JSON.stringify({ image: photo.toString('base64'), ...SETTINGS }));
		},
	);

	test('an image URL is sent as the image field, JSON-escaped', () => {
		const url = 'https://example.com/faces/a "b".jpg?x=1&y=ü';
		const body = serializeRequestBody(SETTINGS, url);
		expect(JSON.parse(body.toString('utf8'))).toEqual({ image: url, ...SETTINGS });
	});

	test.each([1, 49153, 98306])('the background removal body for a sticker of %i bytes equals JSON.stringify', (length) => {
		const sticker = bytesOfLength(length);
		expect(serializeBackgroundRemovalBody(sticker).toString('utf8')).toBe(
			JSON.stringify({ image: sticker.toString('base64'), type: 'transparent' }),
		);
		expect(JSON.parse(serializeBackgroundRemovalBody('https://x.test/s.jpg').toString('utf8'))).toEqual({
			image: 'https://x.test/s.jpg',
			type: 'transparent',
		});
	});

	test.each([2, 49152, 98304])('the upload body for a photo of %i bytes equals JSON.stringify of a data URL', (length) => {
		const photo = bytesOfLength(length);
		expect(serializeUploadBody(photo, 'image/webp').toString('utf8')).toBe(
			JSON.stringify({ data_urls: [`data:image/webp;base64,${photo.toString('base64')}`] }),
		);
	});
});
