'use strict';
// Reading the input photo for the emulator's sticker: RGB pixels of a PNG (decoded here with node:zlib), a JPEG
// (libjpeg-turbo's djpeg, else Pillow) or a WebP (dwebp, else Pillow). When no tool can read it the answer is
// undefined and the emulator draws a face of its own. Decoded photos are cached by sha256, a bounded number.

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const TOOLS = { djpeg: '/usr/bin/djpeg', dwebp: '/usr/bin/dwebp', python: '/usr/bin/python3' };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_PIXELS = 40_000_000;
// At most 24 photos and 48 MB of pixels are kept (a 12-megapixel photo is 36 MB decoded).
const CACHE_SIZE = 24;
const CACHE_BYTES = 48 * 1024 * 1024;
const cache = new Map();

/** Where a photo's tools are looked for: tests point this at a missing folder to see the fallback. */
function setTools(tools) {
	Object.assign(TOOLS, tools);
	cache.clear();
}

/** { width, height, rgb } of an image's bytes, or undefined when it cannot be read. Cached by sha256. */
function decodePhoto(bytes) {
	const key = crypto.createHash('sha256').update(bytes).digest('hex');
	if (cache.has(key)) {
		const hit = cache.get(key);
		// Refresh its place: the cache forgets the photo used longest ago.
		cache.delete(key);
		cache.set(key, hit);
		return hit ?? undefined;
	}
	let photo;
	try {
		photo = decodeUncached(Buffer.from(bytes));
	} catch {
		photo = undefined;
	}
	cache.set(key, photo ?? null);
	const bytesKept = () => [...cache.values()].reduce((sum, p) => sum + (p ? p.rgb.length : 0), 0);
	while (cache.size > CACHE_SIZE || (cache.size > 1 && bytesKept() > CACHE_BYTES)) cache.delete(cache.keys().next().value);
	return photo;
}

function decodeUncached(bytes) {
	if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return decodePngRgb(bytes) ?? withPillow(bytes);
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return withTool(TOOLS.djpeg, ['-pnm'], bytes, false) ?? withPillow(bytes);
	if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
		return withTool(TOOLS.dwebp, ['-ppm', '-quiet'], bytes, true) ?? withPillow(bytes);
	}
	return undefined;
}

// --- PNG, every colour type and bit depth, no interlace (an interlaced one goes to Pillow) --------------------

function decodePngRgb(buffer) {
	let offset = 8;
	let header;
	let palette;
	const idat = [];
	while (offset + 8 <= buffer.length) {
		const length = buffer.readUInt32BE(offset);
		const type = buffer.toString('latin1', offset + 4, offset + 8);
		const data = buffer.subarray(offset + 8, offset + 8 + length);
		if (type === 'IHDR') header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8], colorType: data[9], interlace: data[12] };
		else if (type === 'PLTE') palette = data;
		else if (type === 'IDAT') idat.push(data);
		else if (type === 'IEND') break;
		offset += 12 + length;
	}
	if (!header || header.interlace !== 0 || header.width * header.height > MAX_PIXELS) return undefined;
	const { width, height, depth, colorType } = header;
	const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
	if (!channels || (colorType === 3 && !palette)) return undefined;
	const bitsPerPixel = channels * depth;
	const stride = Math.ceil((width * bitsPerPixel) / 8);
	const bpp = Math.max(1, bitsPerPixel >> 3);
	const raw = zlib.inflateSync(Buffer.concat(idat));
	if (raw.length < (stride + 1) * height) return undefined;
	const rows = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const input = y * (stride + 1) + 1;
		const out = y * stride;
		for (let i = 0; i < stride; i++) {
			const a = i >= bpp ? rows[out + i - bpp] : 0;
			const b = y > 0 ? rows[out - stride + i] : 0;
			const c = y > 0 && i >= bpp ? rows[out - stride + i - bpp] : 0;
			let p = 0;
			if (filter === 1) p = a;
			else if (filter === 2) p = b;
			else if (filter === 3) p = (a + b) >> 1;
			else if (filter === 4) p = paeth(a, b, c);
			rows[out + i] = (raw[input + i] + p) & 0xff;
		}
	}
	const rgb = new Uint8Array(width * height * 3);
	const sample = (y, index) => {
		// The index-th sample of row y, scaled to 8 bits (palette indices unscaled).
		if (depth === 8) return rows[y * stride + index];
		if (depth === 16) return rows[y * stride + index * 2];
		const bit = index * depth;
		const value = (rows[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
		return colorType === 3 ? value : Math.round((value * 255) / ((1 << depth) - 1));
	};
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const o = (y * width + x) * 3;
			let r;
			let g;
			let b;
			let alpha = 255;
			if (colorType === 3) {
				const index = sample(y, x) * 3;
				[r, g, b] = [palette[index] ?? 0, palette[index + 1] ?? 0, palette[index + 2] ?? 0];
			} else if (colorType === 0 || colorType === 4) {
				r = g = b = sample(y, x * channels);
				if (colorType === 4) alpha = sample(y, x * channels + 1);
			} else {
				r = sample(y, x * channels);
				g = sample(y, x * channels + 1);
				b = sample(y, x * channels + 2);
				if (colorType === 6) alpha = sample(y, x * channels + 3);
			}
			// A transparent photo is read as if it lay on white.
			rgb[o] = (r * alpha + 255 * (255 - alpha)) / 255;
			rgb[o + 1] = (g * alpha + 255 * (255 - alpha)) / 255;
			rgb[o + 2] = (b * alpha + 255 * (255 - alpha)) / 255;
		}
	}
	return { width, height, rgb };
}

function paeth(a, b, c) {
	const p = a + b - c;
	const pa = Math.abs(p - a);
	const pb = Math.abs(p - b);
	const pc = Math.abs(p - c);
	if (pa <= pb && pa <= pc) return a;
	return pb <= pc ? b : c;
}

// --- tools -----------------------------------------------------------------------------------------------------

/** Runs a decoder that writes PPM/PGM to stdout; `fromFile` for tools that cannot read stdin (dwebp). */
function withTool(tool, args, bytes, fromFile) {
	if (!fs.existsSync(tool)) return undefined;
	let file;
	try {
		if (fromFile) {
			file = path.join(os.tmpdir(), `segmind-emulator-${process.pid}-${crypto.randomUUID()}`);
			fs.writeFileSync(file, bytes);
		}
		const run = spawnSync(tool, fromFile ? [...args, file, '-o', '-'] : args, {
			input: fromFile ? undefined : bytes,
			maxBuffer: MAX_PIXELS * 3 + 1024,
			timeout: 10_000,
		});
		return run.status === 0 ? parsePnm(run.stdout) : undefined;
	} finally {
		if (file) fs.rmSync(file, { force: true });
	}
}

function withPillow(bytes) {
	if (!fs.existsSync(TOOLS.python)) return undefined;
	const script =
		'import sys\nfrom PIL import Image\nim = Image.open(sys.stdin.buffer).convert("RGB")\n' +
		'sys.stdout.buffer.write(b"P6\\n%d %d\\n255\\n" % im.size + im.tobytes())\n';
	const run = spawnSync(TOOLS.python, ['-c', script], { input: bytes, maxBuffer: MAX_PIXELS * 3 + 1024, timeout: 20_000 });
	return run.status === 0 ? parsePnm(run.stdout) : undefined;
}

/** Binary PPM (P6) or PGM (P5), 8-bit. */
function parsePnm(bytes) {
	const fields = [];
	let i = 0;
	while (fields.length < 4 && i < bytes.length) {
		while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i]))) i++;
		if (bytes[i] === 0x23) {
			while (i < bytes.length && bytes[i] !== 0x0a) i++;
			continue;
		}
		const start = i;
		while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i]))) i++;
		fields.push(bytes.toString('latin1', start, i));
	}
	i++; // the single whitespace after maxval
	const [magic, w, h, max] = fields;
	const width = Number(w);
	const height = Number(h);
	if ((magic !== 'P6' && magic !== 'P5') || Number(max) !== 255 || !(width > 0 && height > 0)) return undefined;
	const channels = magic === 'P6' ? 3 : 1;
	if (bytes.length < i + width * height * channels) return undefined;
	const rgb = new Uint8Array(width * height * 3);
	if (channels === 3) rgb.set(bytes.subarray(i, i + width * height * 3));
	else for (let p = 0; p < width * height; p++) rgb[p * 3] = rgb[p * 3 + 1] = rgb[p * 3 + 2] = bytes[i + p];
	return { width, height, rgb };
}

/** How many photos the cache holds, and their decoded bytes (for tests). */
function cacheSize() {
	return { photos: cache.size, bytes: [...cache.values()].reduce((sum, p) => sum + (p ? p.rgb.length : 0), 0) };
}

module.exports = { decodePhoto, setTools, parsePnm, cacheSize };
