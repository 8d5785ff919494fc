'use strict';
// Child of the sticker bench (scripts/bench-stickers.js), run with the Node that runs n8n: finishes one cut-out
// into each preset with the compiled package (dist/), several times, and prints one JSON line per preset:
// times, the longest slice, peak extra memory, and the lossless files for the size comparisons.
//   node bench-finish-child.js <dist image dir> <cut-out png> <runs> <out dir>

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [imageDir, cutoutFile, runsText, outDir] = process.argv.slice(2);
const { finishSticker } = require(path.join(imageDir, 'sticker.js'));
const { STICKER_TARGETS } = require(path.join(imageDir, 'targets.js'));
const { filterScanlines } = require(path.join(imageDir, 'png', 'filters.js'));
const { encodePng } = require(path.join(imageDir, 'png', 'encode.js'));
const { encodeWebpLossless } = require(path.join(imageDir, 'webp', 'encode.js'));
const { runToEnd } = require(path.join(imageDir, 'slices.js'));

const cutout = new Uint8Array(fs.readFileSync(cutoutFile));
const runs = Number(runsText);
const memory = () => {
	const m = process.memoryUsage();
	return m.heapUsed + m.arrayBuffers;
};

/** Runs sliced work as the node does, timing every slice and sampling memory between them. */
function timed(work) {
	global.gc();
	const base = memory();
	let peak = base;
	let longest = 0;
	const started = process.hrtime.bigint();
	for (;;) {
		const sliceStart = process.hrtime.bigint();
		const step = work.next();
		longest = Math.max(longest, Number(process.hrtime.bigint() - sliceStart) / 1e6);
		peak = Math.max(peak, memory());
		if (step.done) return { value: step.value, ms: Number(process.hrtime.bigint() - started) / 1e6, longest, peakMb: (peak - base) / 2 ** 20 };
	}
}

/** A PNG of the same pixels with the same filtered rows as ours, compressed by zlib at level 9. */
function zlibPngBytes(pixels) {
	const filtered = runToEnd(filterScanlines(pixels.data, pixels.width * 4, pixels.height, 4, true));
	const idat = zlib.deflateSync(filtered, { level: 9, memLevel: 9 });
	return 8 + 25 + 12 + idat.length + 12; // signature, IHDR, IDAT, IEND: as encodePng lays them out
}

for (const [name, target] of Object.entries(STICKER_TARGETS)) {
	const times = [];
	let longest = 0;
	let peakMb = 0;
	let result;
	for (let i = 0; i < runs; i++) {
		const run = timed(finishSticker(cutout, target));
		times.push(run.ms);
		longest = Math.max(longest, run.longest);
		peakMb = Math.max(peakMb, run.peakMb);
		result = run.value;
	}
	// The same sticker without a byte limit: the lossless file, for the comparisons with cwebp and zlib.
	const lossless = runToEnd(finishSticker(cutout, { ...target, maxBytes: null }));
	const pam = path.join(outDir, `${name}.pam`);
	const header = `P7\nWIDTH ${lossless.width}\nHEIGHT ${lossless.height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n`;
	fs.writeFileSync(pam, Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(lossless.pixels.data)]));
	const ourPng = runToEnd(encodePng(lossless.pixels)).length;
	const ourWebp = runToEnd(encodeWebpLossless(lossless.pixels)).length;
	times.sort((a, b) => a - b);
	process.stdout.write(`${JSON.stringify({
		name,
		medianMs: times[Math.floor(times.length / 2)],
		maxMs: times[times.length - 1],
		longestSliceMs: longest,
		peakMb,
		bytes: result.bytes.length,
		width: result.width,
		height: result.height,
		paletteColors: result.paletteColors,
		pam,
		ourPng,
		zlibPng: zlibPngBytes(lossless.pixels),
		ourWebp,
	})}\n`);
}
