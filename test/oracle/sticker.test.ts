// Every preset's finished sticker, read back by decoders this project did not write: dwebp (libwebp) for
// WebP, ImageMagick and Pillow for PNG. Each must see exactly the pixels finishSticker says the file holds.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { finishSticker } from '../../nodes/FaceToSticker/image/sticker';
import type { FinishedSticker } from '../../nodes/FaceToSticker/image/sticker';
import { STICKER_TARGETS } from '../../nodes/FaceToSticker/image/targets';
import type { StickerTarget } from '../../nodes/FaceToSticker/image/targets';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';
/* eslint-disable @typescript-eslint/no-require-imports */
const { decodeWithOracle, ensureOracles, pillowRgba, tempFolder } = require('../helpers/oracles');
const { cutoutPng } = require('../helpers/stickerFixture');
/* eslint-enable @typescript-eslint/no-require-imports */

const tools = ensureOracles();
const IDENTIFY = '/usr/bin/identify-im6.q16';

const cases: Array<[string, StickerTarget]> = [
	...Object.entries(STICKER_TARGETS),
	// The PNG presets fit without a palette; this one needs one, so the palette PNG is read by the oracles too.
	['discord within 60 KB', { ...STICKER_TARGETS.discord, maxBytes: 60 * 1024 }],
	// Lossy WebP: a byte limit that needs the quality search, and a fixed quality.
	['whatsapp within 30 KB', { ...STICKER_TARGETS.whatsapp, maxBytes: 30 * 1024 }],
	['telegram lossy at quality 80', { ...STICKER_TARGETS.telegram, compression: { mode: 'lossy', quality: 80 } }],
];

const inTemp = tempFolder('sticker-oracle-');
const cutout = new Uint8Array(fs.readFileSync(cutoutPng(1024)));
const results = new Map<string, { sticker: FinishedSticker; file: string }>();

beforeAll(() => {
	for (const [name, target] of cases) {
		const sticker = runToEnd(finishSticker(cutout, target));
		const file = inTemp(`${name.replace(/\W+/g, '-')}.${sticker.extension}`);
		fs.writeFileSync(file, sticker.bytes);
		results.set(name, { sticker, file });
	}
}, 90000);

function samePixels(actual: Uint8Array, sticker: FinishedSticker): void {
	expect(actual.length).toBe(sticker.pixels.data.length);
	let differing = 0;
	for (let i = 0; i < actual.length; i++) if (actual[i] !== sticker.pixels.data[i]) differing++;
	expect(differing).toBe(0);
}

describe.each(cases.map(([name]) => name))('%s', (name) => {
	const target = () => cases.find(([n]) => n === name)![1];

	it('has the dimensions ImageMagick identify reports', () => {
		const { sticker, file } = results.get(name)!;
		const [width, height] = execFileSync(IDENTIFY, ['-format', '%w %h', file]).toString().trim().split(' ').map(Number);
		expect([width, height]).toEqual([sticker.width, sticker.height]);
		if (target().layout === 'canvas') expect([width, height]).toEqual([target().width, target().height]);
		else expect(Math.max(width, height)).toBe(512);
	});

	it('is within the byte limit', () => {
		const { sticker } = results.get(name)!;
		expect(sticker.bytes.length).toBeLessThanOrEqual(target().maxBytes!);
	});

	if (target().encoding === 'webp') {
		it('is lossless VP8L, or lossy VP8X + ALPH + VP8, as its compression says, with alpha per webpinfo', () => {
			const { sticker, file } = results.get(name)!;
			const info = execFileSync(tools.webpinfo, [file]).toString();
			if (sticker.compression === 'lossy') {
				expect(info).toMatch(/Format: Lossy/);
				expect(info.match(/Chunk (\w+)/g)).toEqual(['Chunk VP8X', 'Chunk ALPH', 'Chunk VP8']);
			} else {
				expect(info).toMatch(/Format: Lossless/);
			}
			expect(info).toMatch(/Alpha: 1/);
			expect(info).toMatch(/No error detected/);
		});

		it('decodes with dwebp -pam to exactly its pixels', () => {
			const { sticker } = results.get(name)!;
			const image = decodeWithOracle(sticker.bytes);
			expect(image.format).toBe('webp');
			expect([image.width, image.height]).toEqual([sticker.width, sticker.height]);
			samePixels(image.data, sticker);
		});
	} else {
		it('decodes with ImageMagick to exactly its pixels', () => {
			const { sticker } = results.get(name)!;
			const image = decodeWithOracle(sticker.bytes);
			expect(image.format).toBe('png');
			samePixels(image.data, sticker);
		});

		it('decodes with Pillow to exactly its pixels', () => {
			const { sticker, file } = results.get(name)!;
			samePixels(pillowRgba(file), sticker);
		});
	}
});

it('used lossy WebP for WhatsApp and where asked, a palette where a PNG limit asked for one, truecolour elsewhere', () => {
	const report = (name: string) => {
		const { compression, quality, paletteColors } = results.get(name)!.sticker;
		return { compression, quality, palette: paletteColors !== null };
	};
	expect(report('whatsapp')).toMatchObject({ compression: 'lossy', palette: false });
	expect(report('whatsapp within 30 KB').compression).toBe('lossy');
	expect(report('whatsapp within 30 KB').quality).toBeLessThan(report('whatsapp').quality!);
	expect(report('telegram lossy at quality 80')).toEqual({ compression: 'lossy', quality: 80, palette: false });
	expect(report('discord within 60 KB')).toEqual({ compression: 'palette', quality: null, palette: true });
	expect(report('discord')).toEqual({ compression: 'lossless', quality: null, palette: false });
	expect(report('telegram')).toEqual({ compression: 'lossless', quality: null, palette: false });
});
