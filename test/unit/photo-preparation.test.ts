import nock from 'nock';

import { BASE_URL, binaryItem, runNode, runNodeExpectingError } from '../helpers/fakeContext';
import { BG_HEADERS, FAST, mockStickerJob } from '../helpers/stickerJob';
import { exifSegment, jpegOf, marked, segment, withSegments } from './image/photo-builders';
import { decodeJpeg } from '../../nodes/FaceToSticker/image/jpeg/decode';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encodeRgbaPng } = require('../emulator/png');

const ID = '5d1f0e2a3b4c4d5e8f6a7b8c9d0e1f2a';

/** A phone photo: stored sideways (EXIF Orientation 6) with a GPS pointer, a comment and an XMP block. */
function phonePhoto(width = 2000, height = 1500): Buffer {
	const stored = jpegOf(marked(width, height), 92);
	const xmp = segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:creator>Anna</dc:creator></x:xmpmeta>');
	return Buffer.from(withSegments(stored, [exifSegment(6, { gps: true }), xmp, segment(0xfe, 'shot by Anna at home')]));
}

const sentImage = (sent: Array<{ url: string; body?: unknown }>) =>
	Buffer.from((sent.find((r) => r.url.endsWith('/v2/face-to-sticker'))!.body as { image: string }).image, 'base64');

describe('Photo Preparation (Auto, the default)', () => {
	test('a sideways phone photo with GPS goes out upright, at most 1536 px, without its EXIF, XMP or comment; the record says so', async () => {
		mockStickerJob(ID);
		const photo = phonePhoto();
		const { output, sent } = await runNode({ items: [binaryItem(photo, 'IMG_0001.jpg')], parameters: { options: FAST } });
		const image = sentImage(sent);
		const decoded = runToEnd(decodeJpeg(image));
		// Orientation 6: the stored 2000 × 1500 picture is shown turned 90° clockwise: 1500 × 2000, scaled to 1152 × 1536.
		expect([decoded.width, decoded.height]).toEqual([1152, 1536]);
		// The red quarter, stored top-left, is top-right once upright.
		const at = (x: number, y: number) => Array.from(decoded.data.subarray((y * decoded.width + x) * 4, (y * decoded.width + x) * 4 + 3));
		expect(at(decoded.width - 20, 20)[0]).toBeGreaterThan(200);
		expect(at(20, 20)[0]).toBeLessThan(60);
		const text = image.toString('latin1');
		for (const trace of ['Exif', 'xmpmeta', 'Anna']) expect(text).not.toContain(trace);
		expect(output[0].json.photo).toEqual({
			prepared: true, format: 'jpeg', originalBytes: photo.length, originalWidth: 2000, originalHeight: 1500,
			sentBytes: image.length, sentWidth: 1152, sentHeight: 1536, sentType: 'image/jpeg', orientation: 6,
			metadataRemoved: true, removed: expect.arrayContaining(['EXIF', 'GPS', 'XMP', 'COM']),
		});
	}, 120_000);

	test('Send As Is sends the very same bytes, metadata and all, and records nothing about the photo', async () => {
		mockStickerJob(ID);
		const photo = phonePhoto();
		const { output, sent } = await runNode({ items: [binaryItem(photo, 'IMG_0001.jpg')], parameters: { options: { ...FAST, photoPreparation: 'asIs' } } });
		expect(sentImage(sent).equals(photo)).toBe(true);
		expect(output[0].json.photo).toBeUndefined();
	});

	test('a PNG photo with a text chunk loses the chunk and keeps its pixels (sent as PNG, not re-encoded)', async () => {
		mockStickerJob(ID);
		const plain = encodeRgbaPng(64, 48, (x: number, y: number) => [x * 4, y * 5, 90, 255]) as Buffer;
		// A tEXt chunk before IEND: "Comment" = "home address".
		const text = Buffer.from('Comment\0home address', 'latin1');
		const length = Buffer.alloc(4);
		length.writeUInt32BE(text.length);
		const crc = Buffer.alloc(4); // a wrong CRC would be refused; compute it with node:zlib's crc32 where present
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		crc.writeUInt32BE(require('../../nodes/FaceToSticker/image/checksums').crc32(Buffer.concat([Buffer.from('tEXt'), text])));
		const withText = Buffer.concat([plain.subarray(0, plain.length - 12), length, Buffer.from('tEXt'), text, crc, plain.subarray(plain.length - 12)]);
		const { output, sent } = await runNode({ items: [binaryItem(withText, 'face.png', 'image/png')], parameters: { options: FAST } });
		const image = sentImage(sent);
		expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect(image.toString('latin1')).not.toContain('home address');
		expect(output[0].json.photo).toEqual(expect.objectContaining({ format: 'png', sentType: 'image/png', metadataRemoved: true, orientation: 1 }));
	});

	test('a pack prepares its photo once: every sticker is sent the same prepared photo', async () => {
		nock(BASE_URL).get('/v1/get-user-credits').reply(200, { credits: 10 });
		const ids = ['e1', 'e2'].map((tag) => `${tag}${'0'.repeat(30)}`);
		for (const id of ids) mockStickerJob(id);
		nock(BASE_URL).post('/v1/bg-removal-v2').times(2).reply(200, encodeRgbaPng(64, 64, (x: number, y: number) => (Math.hypot(x - 32, y - 32) < 24 ? [200, 100, 50, 255] : [0, 0, 0, 0])), BG_HEADERS);
		const { output, sent } = await runNode({
			items: [binaryItem(phonePhoto(400, 300), 'IMG_0001.jpg')],
			parameters: {
				operation: 'createPack', packTitle: 'Two', botUsername: 'sticker_test_bot', options: FAST,
				expressions: { expression: [{ expression: 'happy', emoji: '😄' }, { expression: 'sad', emoji: '😢' }] },
			},
		});
		const images = sent.filter((r) => r.url.endsWith('/v2/face-to-sticker')).map((r) => (r.body as { image: string }).image);
		expect(images).toHaveLength(2);
		expect(images[0]).toBe(images[1]);
		expect(output).toHaveLength(2);
	}, 120_000);

	test('an iPhone HEIC photo in a pack is refused before any request, the balance check included', async () => {
		const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]);
		const { error, sent } = await runNodeExpectingError({
			items: [binaryItem(heic, 'IMG_0042.HEIC', 'image/heic')],
			parameters: { operation: 'createPack', botUsername: 'sticker_test_bot', expressions: { expression: [{ expression: 'happy', emoji: '😄' }] } },
		});
		expect(error.message).toMatch(/^The face photo "IMG_0042\.HEIC" cannot be sent: this is an iPhone HEIC photo/);
		expect(sent).toHaveLength(0);
	});
});
