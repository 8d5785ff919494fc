'use strict';
// The WhatsApp example (examples/whatsapp-sticker-pack.json) through `n8n execute`: its .wastickers is checked
// and unpacked by Debian's unzip, the tray icon decoded by ImageMagick and the stickers by dwebp, contents.json
// read against WhatsApp's sample app.

const fs = require('fs');
const path = require('path');

const { KB, cornerAlphas } = require('./pack-checks');
const { decodeWithOracle } = require('../helpers/oracles');
const { unzipInto } = require('../helpers/unzipOracle');

/** `ctx`: the suite's Segmind emulator, temp folder, execute() and outputs(), set in its beforeAll. */
function describeWhatsappExample(ctx) {
	describe('the WhatsApp example through n8n execute: the pack as files', () => {
		let record;
		let entries;
		let summary;
		const unpacked = path.join(ctx.folder, 'unpacked');
		const out = (name) => path.join(ctx.folder, 'out', name);

		beforeAll(async () => {
			ctx.segmind.reset();
			const result = await ctx.execute('faceStickerWaPack01', { N8N_RESTRICT_FILE_ACCESS_TO: ctx.folder });
			expect(result.code).toBe(0);
			record = ctx.outputs(result, 'Face to Sticker')[0][0].json;
			summary = ctx.segmind.summary();
			entries = unzipInto(out(record.files.wastickers.fileName), unpacked);
			console.log(`[${ctx.label}] WhatsApp example: ${record.stickerCount} stickers, .wastickers ${record.files.wastickers.fileSize} bytes, ${record.elapsedTime} s in the node`);
		}, 300_000);

		test('the .wastickers file passes unzip -t and holds the stickers, tray.png, title.txt and author.txt', () => {
			const stickers = entries.filter((name) => /^sticker_\d\d\.webp$/.test(name));
			expect(entries.sort()).toEqual([...stickers, 'author.txt', 'title.txt', 'tray.png'].sort());
			expect(stickers.length).toBeGreaterThanOrEqual(3);
			expect(stickers.length).toBeLessThanOrEqual(30);
			expect(stickers).toHaveLength(record.stickerCount);
			expect(fs.readFileSync(path.join(unpacked, 'title.txt'), 'utf8')).toBe('Anna\'s Stickers');
			expect(fs.readFileSync(path.join(unpacked, 'author.txt'), 'utf8')).toBe('Anna');
		});

		test('the tray icon, decoded by ImageMagick, is a 96 x 96 PNG of at most 50 KB with transparent corners; the file written beside it is the same', () => {
			const tray = fs.readFileSync(path.join(unpacked, 'tray.png'));
			const image = decodeWithOracle(tray);
			expect([image.format, image.width, image.height]).toEqual(['png', 96, 96]);
			expect(tray.length).toBeLessThanOrEqual(50 * KB);
			expect(cornerAlphas(image)).toEqual([0, 0, 0, 0]);
			expect(fs.readFileSync(out(record.files.icon.fileName)).equals(tray)).toBe(true);
		});

		test('each sticker, decoded by dwebp, is a 512 x 512 WebP of at most 100 KB with transparent corners', () => {
			for (const name of entries.filter((entry) => entry.endsWith('.webp'))) {
				const bytes = fs.readFileSync(path.join(unpacked, name));
				const image = decodeWithOracle(bytes);
				expect([name, image.format, image.width, image.height]).toEqual([name, 'webp', 512, 512]);
				expect(bytes.length).toBeLessThanOrEqual(100 * KB);
				expect(cornerAlphas(image)).toEqual([0, 0, 0, 0]);
			}
		});

		test('contents.json has the sample app\'s fields, and every file it names is in the ZIP', () => {
			const contents = JSON.parse(fs.readFileSync(out('contents.json'), 'utf8'));
			expect(contents.sticker_packs).toHaveLength(1);
			const [packInfo] = contents.sticker_packs;
			expect(packInfo).toEqual(
				expect.objectContaining({
					identifier: expect.stringMatching(/^[A-Za-z0-9_\-. ]{1,127}$/),
					name: 'Anna\'s Stickers',
					publisher: 'Anna',
					tray_image_file: 'tray.png',
					image_data_version: expect.any(String),
					avoid_cache: false,
					animated_sticker_pack: false,
				}),
			);
			expect(packInfo.stickers).toHaveLength(record.stickerCount);
			for (const sticker of packInfo.stickers) {
				expect(entries).toContain(sticker.image_file);
				expect(sticker.emojis.length).toBeGreaterThanOrEqual(1);
				expect(sticker.emojis.length).toBeLessThanOrEqual(3);
			}
			expect(entries).toContain(packInfo.tray_image_file);
		});

		test('the preview sheet is a PNG ImageMagick reads, and every sticker was made once with background removal', () => {
			const preview = decodeWithOracle(fs.readFileSync(out(record.files.preview.fileName)));
			expect([preview.format, preview.width, preview.height]).toEqual(['png', record.files.preview.width, record.files.preview.height]);
			expect(summary).toEqual(expect.objectContaining({ billedSubmits: record.stickerCount, billedBgRemovals: record.stickerCount, submits: record.stickerCount }));
		});
	});

}

module.exports = { describeWhatsappExample };
