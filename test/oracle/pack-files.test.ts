// The pack's files read by tools this project did not write: the ZIP by Info-ZIP's unzip (-t tests every
// entry's CRC, -p extracts it byte for byte) and by Python's zipfile; the preview sheet and the icons by
// ImageMagick (PNG) and dwebp (WebP). The stickers inside are real finished stickers of the example face.
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';

import { packIcon } from '../../nodes/FaceToSticker/image/ops/icon';
import { previewSheet } from '../../nodes/FaceToSticker/image/ops/sheet';
import { encodePng } from '../../nodes/FaceToSticker/image/png/encode';
import { runToEnd } from '../../nodes/FaceToSticker/image/slices';
import { finishSticker } from '../../nodes/FaceToSticker/image/sticker';
import type { FinishedSticker } from '../../nodes/FaceToSticker/image/sticker';
import { STICKER_TARGETS } from '../../nodes/FaceToSticker/image/targets';
import type { RgbaImage } from '../../nodes/FaceToSticker/image/types';
import { MAX_ZIP_ENTRIES, writeZip, ZipEntry } from '../../nodes/FaceToSticker/image/zip/write';
import { prng } from '../helpers/random';
/* eslint-disable @typescript-eslint/no-require-imports */
const { decodeWithOracle, ensureOracles, tempFolder } = require('../helpers/oracles');
const { cutoutRgba } = require('../helpers/stickerFixture');
/* eslint-enable @typescript-eslint/no-require-imports */

const UNZIP = '/usr/bin/unzip';
const KB = 1024;

/** Info-ZIP's unzip, installed with apt-get when missing (as test/helpers/oracles.js installs its tools). */
function ensureUnzip(): void {
	if (fs.existsSync(UNZIP)) return;
	if (process.getuid?.() !== 0) throw new Error('unzip is missing: run apt-get install -y unzip');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '-q', 'unzip'], { stdio: 'inherit', env });
}

ensureUnzip();
const tools = ensureOracles();
const inTemp = tempFolder('pack-files-oracle-');

function mirrored(image: RgbaImage): RgbaImage {
	const data = new Uint8Array(image.data.length);
	for (let y = 0; y < image.height; y++) {
		for (let x = 0; x < image.width; x++) {
			const from = (y * image.width + x) * 4;
			data.set(image.data.subarray(from, from + 4), (y * image.width + image.width - 1 - x) * 4);
		}
	}
	return { width: image.width, height: image.height, data };
}

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

let stickers: FinishedSticker[] = [];
let entries: ZipEntry[] = [];
let zipFile = '';

beforeAll(() => {
	const cutout: RgbaImage = cutoutRgba(512);
	stickers = [cutout, mirrored(cutout)].map((image) => runToEnd(finishSticker(runToEnd(encodePng(image)), STICKER_TARGETS.whatsapp)));
	const tray = runToEnd(packIcon(stickers[0].pixels, 96, 'png', 50 * KB));
	const next = prng(7);
	entries = [
		{ name: 'sticker_01.webp', bytes: stickers[0].bytes },
		{ name: 'sticker_02.webp', bytes: stickers[1].bytes },
		{ name: 'tray.png', bytes: tray.bytes },
		{ name: 'title.txt', bytes: Buffer.from('Annas Sticker 😀 – Grüße', 'utf8') },
		{ name: 'author.txt', bytes: Buffer.from('Anna', 'utf8') },
		{ name: 'contents.json', bytes: Buffer.from(JSON.stringify({ sticker_packs: [{ identifier: 'anna', stickers: [] }] }, null, 2).repeat(50), 'utf8') },
		{ name: 'folder/ünïcode 😀.bin', bytes: Uint8Array.from({ length: 70000 }, () => Math.floor(next() * 256)) },
		{ name: 'folder/empty.txt', bytes: new Uint8Array(0) },
		{ name: 'forced-deflate.webp', bytes: stickers[0].bytes, method: 'deflate' },
	];
	zipFile = inTemp('pack.wastickers');
	fs.writeFileSync(zipFile, runToEnd(writeZip(entries)));
}, 90000);

describe('writeZip read by Info-ZIP unzip', () => {
	it('passes unzip -t: every entry inflates and matches its CRC-32', () => {
		const out = execFileSync(UNZIP, ['-t', zipFile]).toString();
		expect(out).toMatch(/No errors detected in compressed data/);
		for (const { name } of entries) expect(out).toContain(`testing: ${name}`);
	});

	it('gives back every entry byte for byte with unzip -p', () => {
		for (const { name, bytes } of entries) {
			const extracted = execFileSync(UNZIP, ['-p', zipFile, name], { maxBuffer: 1 << 26 });
			expect({ name, sha: sha256(extracted) }).toEqual({ name, sha: sha256(bytes) });
		}
	});

	it('extracts into folders with UTF-8 names and rw-r--r-- files', () => {
		const dir = inTemp('extracted');
		execFileSync(UNZIP, ['-q', zipFile, '-d', dir]);
		const file = `${dir}/folder/ünïcode 😀.bin`;
		expect(sha256(fs.readFileSync(file))).toBe(sha256(entries[6].bytes));
		expect(fs.statSync(file).mode & 0o777).toBe(0o644);
	});
});

describe('writeZip read by Python zipfile', () => {
	const script = [
		'import hashlib, json, sys, zipfile',
		'z = zipfile.ZipFile(sys.argv[1])',
		'bad = z.testzip()',
		'print(json.dumps({"bad": bad, "entries": [{"name": i.filename, "method": i.compress_type, "time": list(i.date_time),',
		'  "utf8": bool(i.flag_bits & 0x800), "sha": hashlib.sha256(z.read(i)).hexdigest()} for i in z.infolist()]}))',
	].join('\n');

	it('reads every entry with its UTF-8 name, method, 2026-01-01 timestamp and bytes', () => {
		const report = JSON.parse(execFileSync(tools.python, ['-c', script, zipFile], { maxBuffer: 1 << 26 }).toString());
		expect(report.bad).toBeNull();
		const methods: Record<string, number> = {};
		for (const entry of report.entries) methods[entry.name] = entry.method;
		expect(report.entries.map((e: { name: string }) => e.name)).toEqual(entries.map((e) => e.name));
		for (const [i, entry] of report.entries.entries()) {
			expect(entry).toMatchObject({ utf8: true, time: [2026, 1, 1, 0, 0, 0], sha: sha256(entries[i].bytes) });
		}
		// WebP and PNG stored, JSON deflated, random bytes stored (deflate would not shrink them), forced deflate kept.
		expect(methods).toMatchObject({ 'sticker_01.webp': 0, 'tray.png': 0, 'contents.json': 8, 'folder/ünïcode 😀.bin': 0, 'forced-deflate.webp': 8 });
	});

	it('reads the largest archive a plain ZIP can count (65534 entries)', () => {
		const many = Array.from({ length: MAX_ZIP_ENTRIES }, (_, i) => ({ name: `e/${i}.txt`, bytes: Buffer.from(String(i)) }));
		const file = inTemp('many.zip');
		fs.writeFileSync(file, runToEnd(writeZip(many)));
		const count = execFileSync(tools.python, ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.namelist()), z.read("e/65533.txt").decode())', file]);
		expect(count.toString().trim()).toBe('65534 65533');
		expect(execFileSync(UNZIP, ['-t', '-q', file]).toString()).toMatch(/No errors detected/);
	});
});

describe('preview sheet and icons read by ImageMagick and dwebp', () => {
	it('encodes the preview sheet as an opaque PNG that ImageMagick reads pixel for pixel', () => {
		const sheet = runToEnd(previewSheet(stickers.map((s) => s.pixels)));
		const png = runToEnd(encodePng(sheet));
		const decoded = decodeWithOracle(png);
		expect([decoded.format, decoded.width, decoded.height]).toEqual(['png', sheet.width, sheet.height]);
		expect(Buffer.from(decoded.data).equals(Buffer.from(sheet.data))).toBe(true);
		const opaque = execFileSync(tools.convert, ['png:-', '-format', '%[opaque]', 'info:'], { input: Buffer.from(png) }).toString();
		expect(opaque.toLowerCase()).toBe('true');
		if (process.env.PACK_PREVIEW_OUT) fs.writeFileSync(process.env.PACK_PREVIEW_OUT, png);
	});

	it("makes WhatsApp's tray icon a 96 × 96 PNG under 50 KB that ImageMagick reads as the icon's pixels", () => {
		const tray = runToEnd(packIcon(stickers[0].pixels, 96, 'png', 50 * KB));
		expect(tray.bytes.length).toBeLessThanOrEqual(50 * KB);
		const decoded = decodeWithOracle(tray.bytes);
		expect([decoded.format, decoded.width, decoded.height]).toEqual(['png', 96, 96]);
		expect(Buffer.from(decoded.data).equals(Buffer.from(tray.pixels.data))).toBe(true);
	});

	it("makes Telegram's thumbnail a 100 × 100 WebP under 128 KB that dwebp reads as the icon's pixels", () => {
		const thumb = runToEnd(packIcon(stickers[1].pixels, 100, 'webp', 128 * KB));
		expect(thumb.bytes.length).toBeLessThanOrEqual(128 * KB);
		const decoded = decodeWithOracle(thumb.bytes);
		expect([decoded.format, decoded.width, decoded.height]).toEqual(['webp', 100, 100]);
		expect(Buffer.from(decoded.data).equals(Buffer.from(thumb.pixels.data))).toBe(true);
	});

	it('keeps a palette icon readable: a tight limit gives a palette PNG ImageMagick reads as its pixels', () => {
		const lossless = runToEnd(packIcon(stickers[0].pixels, 96, 'png', 50 * KB));
		const small = runToEnd(packIcon(stickers[0].pixels, 96, 'png', Math.floor(lossless.bytes.length * 0.6)));
		expect(small.paletteColors).not.toBeNull();
		const decoded = decodeWithOracle(small.bytes);
		expect(Buffer.from(decoded.data).equals(Buffer.from(small.pixels.data))).toBe(true);
	});
});
