import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as zlib from 'zlib';
import { finishSticker, StickerTooLargeError } from '../../../nodes/FaceToSticker/image/sticker';
import type { FinishedSticker } from '../../../nodes/FaceToSticker/image/sticker';
import { STICKER_TARGETS } from '../../../nodes/FaceToSticker/image/targets';
import type { StickerTarget } from '../../../nodes/FaceToSticker/image/targets';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError } from '../../../nodes/FaceToSticker/image/types';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cutoutPng } = require('../../helpers/stickerFixture');

type Preset = keyof typeof STICKER_TARGETS;
const PRESETS = Object.keys(STICKER_TARGETS) as Preset[];

/** A straight RGBA PNG written with Node's zlib, independent of the project's encoder. */
function rgbaPng(width: number, height: number, pixel: (x: number, y: number) => number[]): Uint8Array {
	const raw = Buffer.alloc(height * (width * 4 + 1));
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) Buffer.from(pixel(x, y)).copy(raw, y * (width * 4 + 1) + 1 + x * 4);
	}
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const out = Buffer.alloc(body.length + 8);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(zlib.crc32(body), body.length + 4);
		return out;
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 6, 0, 0, 0], 8);
	return new Uint8Array(
		Buffer.concat([
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			chunk('IHDR', ihdr),
			chunk('IDAT', zlib.deflateSync(raw)),
			chunk('IEND', Buffer.alloc(0)),
		]),
	);
}

function rgbaAt(sticker: FinishedSticker, x: number, y: number): number[] {
	const i = (y * sticker.width + x) * 4;
	return Array.from(sticker.pixels.data.subarray(i, i + 4));
}

/** Walks from (x, y) by (dx, dy) to the first visible pixel; returns how many steps that took. */
function firstVisible(sticker: FinishedSticker, x: number, y: number, dx: number, dy: number): number {
	for (let step = 0; ; step++, x += dx, y += dy) if (rgbaAt(sticker, x, y)[3] > 0) return step;
}

const WHITE = [255, 255, 255, 255];
const cutout = new Uint8Array(fs.readFileSync(cutoutPng(1024)));
const finished = new Map<Preset, FinishedSticker>();
const result = (preset: Preset) => {
	if (!finished.has(preset)) finished.set(preset, runToEnd(finishSticker(cutout, STICKER_TARGETS[preset])));
	return finished.get(preset)!;
};

describe('finishSticker on the 1024 × 1024 face cut-out', () => {
	it.each(PRESETS)('%s: has the target size (Telegram: longer side exactly 512)', (preset) => {
		const sticker = result(preset);
		const target = STICKER_TARGETS[preset];
		expect([sticker.pixels.width, sticker.pixels.height]).toEqual([sticker.width, sticker.height]);
		if (target.layout === 'fit') {
			expect(Math.max(sticker.width, sticker.height)).toBe(512);
			expect(Math.min(sticker.width, sticker.height)).toBeLessThanOrEqual(512);
			// The face is taller than wide: height is the exact side.
			expect(sticker.height).toBe(512);
			expect(sticker.width).toBeLessThan(512);
		} else {
			expect([sticker.width, sticker.height]).toEqual([target.width, target.height]);
		}
	});

	it.each(PRESETS)('%s: starts with its encoding’s signature and says so', (preset) => {
		const sticker = result(preset);
		const head = Buffer.from(sticker.bytes.subarray(0, 16));
		if (STICKER_TARGETS[preset].encoding === 'png') {
			expect(head.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
			expect([sticker.mimeType, sticker.extension, sticker.encoding]).toEqual(['image/png', 'png', 'png']);
		} else {
			expect(head.toString('latin1', 0, 4)).toBe('RIFF');
			// Lossy with alpha: VP8X first (its ALPH and VP8 chunks follow); lossless: one VP8L chunk.
			expect(head.toString('latin1', 8, 16)).toBe(sticker.compression === 'lossy' ? 'WEBPVP8X' : 'WEBPVP8L');
			expect(head.readUInt32LE(4)).toBe(sticker.bytes.length - 8);
			expect([sticker.mimeType, sticker.extension, sticker.encoding]).toEqual(['image/webp', 'webp', 'webp']);
		}
	});

	it.each(PRESETS)('%s: is no larger than the byte limit, and reports the palette it needed', (preset) => {
		const sticker = result(preset);
		expect(sticker.bytes.length).toBeLessThanOrEqual(STICKER_TARGETS[preset].maxBytes!);
		if (sticker.paletteColors === null) return;
		expect([256, 128, 64, 32, 16, 8, 4, 2]).toContain(sticker.paletteColors);
		const distinct = new Set<number>();
		const view = new DataView(sticker.pixels.data.buffer, sticker.pixels.data.byteOffset);
		for (let i = 0; i < sticker.pixels.data.length; i += 4) distinct.add(view.getUint32(i));
		expect(distinct.size).toBeLessThanOrEqual(sticker.paletteColors);
	});

	it('makes WhatsApp’s sticker lossy at the best quality that fits 100 KB, Telegram’s and Discord’s lossless', () => {
		const whatsapp = result('whatsapp');
		expect([whatsapp.compression, whatsapp.paletteColors]).toEqual(['lossy', null]);
		expect(whatsapp.quality).toBeGreaterThanOrEqual(1);
		expect(whatsapp.quality).toBeLessThanOrEqual(100);
		expect([result('telegram').compression, result('telegram').quality]).toEqual(['lossless', null]);
		expect([result('discord').compression, result('discord').paletteColors]).toEqual(['lossless', null]);
	});

	it.each(PRESETS)('%s: keeps the alpha: corners transparent, the middle opaque', (preset) => {
		const sticker = result(preset);
		const { width: w, height: h } = sticker;
		// A lossy file decodes some colour under alpha 0 (the flattened fill); only the alpha is kept exactly.
		const corner = (x: number, y: number) => (sticker.compression === 'lossy' ? rgbaAt(sticker, x, y)[3] : rgbaAt(sticker, x, y));
		for (const [x, y] of [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]]) expect(corner(x, y)).toEqual(sticker.compression === 'lossy' ? 0 : [0, 0, 0, 0]);
		expect(rgbaAt(sticker, w >> 1, h >> 1)[3]).toBe(255);
	});

	it.each(PRESETS)('%s: has the white outline just outside the content edge, inside the margin', (preset) => {
		const sticker = result(preset);
		const target = STICKER_TARGETS[preset];
		const { width: w, height: h } = sticker;
		const walks = [
			[0, h >> 1, 1, 0],
			[w - 1, h >> 1, -1, 0],
			[w >> 1, 0, 0, 1],
			[w >> 1, h - 1, 0, -1],
		];
		for (const [x, y, dx, dy] of walks) {
			const step = firstVisible(sticker, x, y, dx, dy);
			expect(step).toBeGreaterThanOrEqual(target.margin);
			// The rim pixel is anti-aliased; the next ones are solid white until the cut-out's own soft edge
			// (alpha 1..127, up to about 3 px at these scales) shows over the outline.
			for (let k = 1; k <= target.outlineWidth - 5; k++) {
				const pixel = rgbaAt(sticker, x + dx * (step + k), y + dy * (step + k));
				// A lossy file keeps the alpha exactly and the white within a few levels.
				if (sticker.compression === 'lossy') {
					expect(pixel[3]).toBe(255);
					expect(Math.min(...pixel.slice(0, 3))).toBeGreaterThanOrEqual(245);
				} else {
					expect(pixel).toEqual(WHITE);
				}
			}
			const [r, g, b, a] = rgbaAt(sticker, x + dx * (step + target.outlineWidth - 3), y + dy * (step + target.outlineWidth - 3));
			expect(a).toBe(255);
			expect(Math.min(r, g, b)).toBeGreaterThan(200);
		}
		expect(sticker.outlineWidth).toBe(8);
	});

	it('centres the content on a canvas', () => {
		const sticker = result('whatsapp');
		const left = firstVisible(sticker, 0, 256, 1, 0);
		const right = firstVisible(sticker, 511, 256, -1, 0);
		const top = firstVisible(sticker, 256, 0, 0, 1);
		const bottom = firstVisible(sticker, 256, 511, 0, -1);
		expect(Math.abs(left - right)).toBeLessThanOrEqual(1);
		expect(Math.abs(top - bottom)).toBeLessThanOrEqual(1);
		// The taller side fills the box: its trimmed content (alpha > 0) starts at margin + outline = 24 px, the
		// outline reaches 8 px beyond the body (alpha ≥ 128), which the cut-out's soft edge puts about 3 px in.
		expect(top).toBeGreaterThanOrEqual(16);
		expect(top).toBeLessThanOrEqual(20);
		expect(left).toBeGreaterThan(top);
	});
});

describe('finishSticker on small synthetic cut-outs', () => {
	it('scales a wide cut-out up for Telegram: width exactly 512, the height in proportion', () => {
		const png = rgbaPng(90, 40, (x, y) => (x >= 5 && x < 85 && y >= 10 && y < 30 ? [200, 40, 40, 255] : [0, 0, 0, 0]));
		const sticker = runToEnd(finishSticker(png, STICKER_TARGETS.telegram));
		// The 80 × 20 content scales to 496 × 124, plus 8 px of outline on each side.
		expect([sticker.width, sticker.height]).toEqual([512, 140]);
		expect(rgbaAt(sticker, 256, 70)).toEqual([200, 40, 40, 255]);
		expect(rgbaAt(sticker, 256, 3)).toEqual(WHITE);
	});

	it('draws no outline and keeps the colours exact for an outline width of 0 and no byte limit', () => {
		const target: StickerTarget = { ...STICKER_TARGETS.discord, outlineWidth: 0, maxBytes: null, margin: 0 };
		const png = rgbaPng(10, 10, () => [10, 200, 30, 255]);
		const sticker = runToEnd(finishSticker(png, target));
		expect(sticker.paletteColors).toBeNull();
		expect(sticker.outlineWidth).toBe(0);
		const expected = new Uint8Array(320 * 320 * 4).map((_, i) => [10, 200, 30, 255][i % 4]);
		expect(Buffer.from(sticker.pixels.data).equals(Buffer.from(expected))).toBe(true);
	});

	it('refuses a byte limit that even 2 colours cannot meet', () => {
		const target: StickerTarget = { ...STICKER_TARGETS.slack, maxBytes: 60 };
		let error: unknown;
		try {
			runToEnd(finishSticker(cutout, target));
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(StickerTooLargeError);
		expect(error).toBeInstanceOf(ImageFormatError);
		expect((error as Error).message).toMatch(/smallest file, with 2 colours, is [\d.]+ KB, over the 0.1 KB limit/);
		expect((error as StickerTooLargeError).smallestBytes).toBeGreaterThan(60);
	});

	describe('lossy WebP compression', () => {
		const disc = rgbaPng(40, 40, (x, y) => ((x - 20) ** 2 + (y - 20) ** 2 < 300 ? [200, 40, 40, 255] : [0, 0, 0, 0]));

		it('makes a Custom lossy sticker at the quality asked for when there is no limit', () => {
			const sticker = runToEnd(finishSticker(disc, { ...STICKER_TARGETS.telegram, maxBytes: null, compression: { mode: 'lossy', quality: 55 } }));
			expect([sticker.compression, sticker.quality, sticker.paletteColors]).toEqual(['lossy', 55, null]);
			expect(Buffer.from(sticker.bytes.subarray(8, 16)).toString('latin1')).toBe('WEBPVP8X');
		});

		it('lowers a Custom lossy quality until the file fits the limit', () => {
			const free = runToEnd(finishSticker(cutout, { ...STICKER_TARGETS.whatsapp, maxBytes: null, compression: { mode: 'lossy', quality: 90 } }));
			const limit = Math.round(free.bytes.length * 0.6);
			const sticker = runToEnd(finishSticker(cutout, { ...STICKER_TARGETS.whatsapp, maxBytes: limit, compression: { mode: 'lossy', quality: 90 } }));
			expect(sticker.compression).toBe('lossy');
			expect(sticker.quality).toBeLessThan(90);
			expect(sticker.bytes.length).toBeLessThanOrEqual(limit);
		});

		it('falls back to the palette when no lossy quality fits (a flat disc in 2000 bytes)', () => {
			const sticker = runToEnd(finishSticker(disc, { ...STICKER_TARGETS.whatsapp, maxBytes: 2000 }));
			expect(sticker.compression).toBe('palette');
			expect(sticker.quality).toBeNull();
			expect(sticker.bytes.length).toBeLessThanOrEqual(2000);
		});

		it('keeps PNG targets lossless whatever compression they name', () => {
			const sticker = runToEnd(finishSticker(disc, { ...STICKER_TARGETS.discord, compression: { mode: 'lossy', quality: 10 } }));
			expect([sticker.encoding, sticker.compression, sticker.quality]).toEqual(['png', 'lossless', null]);
		});
	});

	it('refuses a cut-out where the background removal left nothing', () => {
		const png = rgbaPng(16, 16, () => [255, 255, 255, 0]);
		expect(() => runToEnd(finishSticker(png, STICKER_TARGETS.telegram))).toThrow(ImageFormatError);
		expect(() => runToEnd(finishSticker(png, STICKER_TARGETS.telegram))).toThrow('background removal left nothing to make a sticker of');
	});

	it('passes the decode limits on to the PNG reader', () => {
		expect(() => runToEnd(finishSticker(cutout, STICKER_TARGETS.slack, { maxPixels: 512 * 512 }))).toThrow(ImageFormatError);
	});
});

/**
 * Times the finish slice by slice (gen.next() to gen.next()) in a plain Node process, as n8n runs the node:
 * inside jest's vm sandbox every global looked up in a hot loop (Math.*, Infinity) costs ~100× more, which
 * would measure jest, not the code. The image folder is transpiled (no type check) to a temp folder first.
 */
function timeInPlainNode(runs: number): Record<Preset, { slices: number[][]; walls: number[][]; totals: number[]; peakBytes: number }> {
	const root = path.join(__dirname, '../../../nodes/FaceToSticker/image');
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sticker-timing-'));
	try {
		const transpile = (dir: string) => {
			for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
				const relative = path.join(dir, entry.name);
				if (entry.isDirectory()) transpile(relative);
				else if (entry.name.endsWith('.ts')) {
					const js = ts.transpileModule(fs.readFileSync(path.join(root, relative), 'utf8'), {
						compilerOptions: { target: ts.ScriptTarget.ES2019, module: ts.ModuleKind.CommonJS },
					}).outputText;
					fs.mkdirSync(path.join(out, dir), { recursive: true });
					fs.writeFileSync(path.join(out, relative.replace(/\.ts$/, '.js')), js);
				}
			}
		};
		transpile('.');
		const driver = `
			const { finishSticker } = require('./sticker');
			const { STICKER_TARGETS } = require('./targets');
			const cutout = new Uint8Array(require('fs').readFileSync(${JSON.stringify(cutoutPng(1024))}));
			const memory = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
			const report = {};
			for (const [preset, target] of Object.entries(STICKER_TARGETS)) {
				const r = (report[preset] = { slices: [], walls: [], totals: [], peakBytes: 0 });
				for (let run = 0; run < ${runs}; run++) {
					global.gc();
					// Freed buffers may be released late, so the low-water mark is the baseline.
					let low = memory();
					let high = low;
					const slices = [];
					const work = finishSticker(cutout, target);
					const walls = [];
					for (;;) {
						const cpu = process.cpuUsage();
						const start = process.hrtime.bigint();
						const step = work.next();
						const wall = Number(process.hrtime.bigint() - start) / 1e6;
						const used = process.cpuUsage(cpu);
						// On a shared machine the wall clock also counts time given to other processes; the
						// process's CPU time does not (it may add the compiler's threads: an upper bound still).
						slices.push(Math.min(wall, (used.user + used.system) / 1000));
						walls.push(wall);
						if (step.done) break;
						const now = memory();
						low = Math.min(low, now);
						high = Math.max(high, now);
					}
					r.peakBytes = Math.max(r.peakBytes, high - low);
					r.slices.push(slices);
					r.walls.push(walls);
					r.totals.push(walls.reduce((a, b) => a + b, 0));
				}
			}
			process.stdout.write(JSON.stringify(report));`;
		fs.writeFileSync(path.join(out, 'driver.js'), driver);
		return JSON.parse(execFileSync(process.execPath, ['--expose-gc', path.join(out, 'driver.js')], { encoding: 'utf8', maxBuffer: 1 << 26 }));
	} finally {
		fs.rmSync(out, { recursive: true, force: true });
	}
}

describe('finishSticker in slices', () => {
	// Every slice is timed in three runs and the fastest of the three counts, so a moment when the shared
	// machine gave the CPU to another process is not blamed on the code; a slice's time is its wall clock or
	// the process's CPU time, whichever is less. The first (cold) run is reported beside it.
	const RUNS = 3;
	let timing: ReturnType<typeof timeInPlainNode>;
	const report: string[] = [];
	beforeAll(() => {
		timing = timeInPlainNode(RUNS);
	}, 120000);
	afterAll(() => console.log(`finishSticker of the 1024 × 1024 cut-out, in plain Node:\n${report.join('\n')}`));

	it.each(PRESETS)('%s: never runs longer than 20 ms between two yields', (preset) => {
		const { slices, walls, totals, peakBytes } = timing[preset];
		const count = slices[0].length;
		expect(slices.every((run) => run.length === count)).toBe(true);
		const fastest = slices[0].map((_, i) => Math.min(...slices.map((run) => run[i])));
		const longest = Math.max(...fastest);
		const longestWall = Math.max(...walls[0].map((_, i) => Math.min(...walls.map((run) => run[i]))));
		const median = [...totals].sort((a, b) => a - b)[RUNS >> 1];
		report.push(
			`  ${preset.padEnd(9)} total ${median.toFixed(0)} ms (median of ${RUNS}; cold ${totals[0].toFixed(0)} ms), ${count} slices, ` +
				`longest ${longest.toFixed(1)} ms (wall clock ${longestWall.toFixed(1)} ms; cold run's longest ${Math.max(...slices[0]).toFixed(1)} ms), ` +
				`peak extra memory ${(peakBytes / 2 ** 20).toFixed(1)} MB`,
		);
		expect(longest).toBeLessThanOrEqual(20);
	});
});
