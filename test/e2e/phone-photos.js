'use strict';
// Photo Preparation in real n8n: phone photos read from disk by n8n's own Read Files node, as a user's workflow
// would, then Face to Sticker. What reached the emulator is read by oracles this project did not write (djpeg,
// exiftool): upright, at most 1536 px, no GPS, serial, time or maker tags. A HEIC photo is refused before any
// request; a 30 MB photo is accepted.

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { N8nInstance, VERSIONS } = require('./n8n-harness');
const { chain, sticker, CREDENTIALS } = require('./workflows');
const { SegmindEmulator } = require('../emulator/segmind-emulator');
const { djpegRgb, ensureOracles, tempFolder } = require('../helpers/oracles');
const { makePhonePhoto } = require('../helpers/phonePhoto');

const MB = 1024 * 1024;
/** The first bytes of an iPhone photo: an ISO BMFF 'ftyp' box with the brand heic. */
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(4096, 7)]);

function readAndSticker(id, file) {
	const read = { id: 'read', name: 'Read photo', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [200, 0], parameters: { operation: 'read', fileSelector: file, options: {} } };
	return chain(id, [read, sticker({ width: 512, height: 512, options: { pollInterval: 0.2 } }, { onError: 'continueRegularOutput' })]);
}

/** Tags exiftool finds that would identify a person, a place, a device or a time. */
function identifyingTags(bytes, folder) {
	const file = folder('received.jpg');
	fs.writeFileSync(file, bytes);
	const tags = JSON.parse(execFileSync('/usr/bin/exiftool', ['-j', '-G1', '-a', file]).toString())[0];
	return Object.keys(tags).filter((key) => /GPS|Serial|DateTimeOriginal|CreateDate|ModifyDate|Make|Model|Creator|Comment|Orientation|MakerNote/i.test(key) && !/^(System|File|ExifTool):/.test(key));
}

function describePhonePhotos(major) {
	describe(`${VERSIONS[major].label}: phone photos, upright, private and small before they leave n8n`, () => {
		let emulator;
		let n8n;
		const folder = tempFolder('phone-photos-');
		const photos = {};

		beforeAll(async () => {
			ensureOracles();
			photos.phone = folder('phone.jpg');
			photos.big = folder('big.jpg');
			photos.heic = folder('IMG_0042.HEIC');
			fs.writeFileSync(photos.phone, makePhonePhoto({ megapixels: 12, orientation: 6, targetBytes: 8 * MB }));
			fs.writeFileSync(photos.big, makePhonePhoto({ megapixels: 48, orientation: 1, targetBytes: 34 * MB, mark: false }));
			fs.writeFileSync(photos.heic, HEIC);
			emulator = await new SegmindEmulator({ latencyMs: 300 }).start();
			n8n = new N8nInstance(major, { name: 'photos' });
			await n8n.importCredentials([{ ...CREDENTIALS.good, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, uploadUrl: emulator.origins.upload } }]);
			await n8n.importWorkflows(Object.entries(photos).map(([name, file]) => readAndSticker(`e2ePhoto${name}`, file)));
		}, 300_000);

		afterAll(async () => {
			if (emulator) await emulator.stop();
		});

		beforeEach(() => emulator.reset());

		const run = async (name) => {
			const result = await n8n.execute(`e2ePhoto${name}`, { N8N_RESTRICT_FILE_ACCESS_TO: path.dirname(photos.phone) });
			if (!result.runData) throw new Error(`no run data:\n${result.stdout.slice(-2000)}\n${result.log.slice(-3000)}`);
			return result.runData.data.resultData.runData['Face to Sticker'][0].data.main[0][0].json;
		};

		test('a 12-megapixel, 8 MB phone JPEG stored sideways (Orientation 6) with GPS becomes a sticker; Segmind receives it upright, at most 1536 px, with no GPS, serial, time or maker tags', async () => {
			const original = fs.readFileSync(photos.phone);
			expect(original.length).toBeGreaterThan(7 * MB);
			const record = await run('phone');
			expect(record.status).toBe('COMPLETED');
			const submit = emulator.requests.find((r) => r.kind === 'submit');
			const received = emulator.receivedPhoto(submit.photo);
			expect(received).toBeDefined();
			const image = djpegRgb(received);
			// Stored 4000 × 3008 turned; upright it is a 3:4 portrait, scaled to 1536 on its longer side.
			expect([image.width, image.height]).toEqual([1155, 1536]);
			// The red mark is in the upright picture's top-left corner.
			const pixel = (x, y) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
			const [r, g, b] = pixel(30, 30);
			expect(r).toBeGreaterThan(180);
			expect(Math.max(g, b)).toBeLessThan(90);
			expect(pixel(image.width - 30, 30)[0] - pixel(image.width - 30, 30)[1]).toBeLessThan(120);
			expect(identifyingTags(received, folder)).toEqual([]);
			expect(received.length).toBeLessThan(1 * MB);
			expect(record.photo).toEqual(expect.objectContaining({
				prepared: true, format: 'jpeg', originalBytes: original.length, originalWidth: 4000, originalHeight: 3008,
				sentWidth: 1155, sentHeight: 1536, sentBytes: received.length, orientation: 6, metadataRemoved: true,
			}));
			expect(record.photo.removed).toEqual(expect.arrayContaining(['EXIF', 'GPS']));
			console.log(`[${VERSIONS[major].label}] phone photo: ${original.length} bytes ${record.photo.originalWidth} × ${record.photo.originalHeight} -> ${received.length} bytes ${image.width} × ${image.height}`);
		}, 300_000);

		test('an iPhone HEIC photo is refused with what to do, and Segmind gets no request', async () => {
			const record = await run('heic');
			expect(record.error).toBe('The face photo "IMG_0042.HEIC" cannot be sent: this is an iPhone HEIC photo: set Camera > Formats > Most Compatible, or convert it to JPEG first');
			expect(emulator.requests.filter((r) => !r.path?.startsWith('/__emulator'))).toHaveLength(0);
		}, 300_000);

		test('a 30 MB photo is accepted, and what is sent stays well under 10 MB', async () => {
			const original = fs.readFileSync(photos.big);
			expect(original.length).toBeGreaterThan(28 * MB);
			const record = await run('big');
			expect(record.status).toBe('COMPLETED');
			expect(record.photo.originalBytes).toBe(original.length);
			expect(record.photo.sentBytes).toBeLessThan(2 * MB);
			expect(Math.max(record.photo.sentWidth, record.photo.sentHeight)).toBe(1536);
		}, 300_000);
	});
}

module.exports = { describePhonePhotos };
