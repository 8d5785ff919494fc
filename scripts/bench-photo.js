'use strict';
// Photo preparation benchmark (issue 22), measured in one run:
//  - preparing a 12 and a 48 megapixel phone-like JPEG (test/helpers/phonePhoto.js: Orientation 6, GPS,
//    serial, times) as the node does, in slices: median and longest run, the longest slice, peak extra memory
//    (heap + array buffers sampled between slices) and the process's peak RSS while preparing;
//  - bytes before and after;
//  - our JPEG decoder (full size) against djpeg (-dct int, fancy upsampling, output to /dev/null) on the same
//    file: ratios of wall time and of CPU time (the latter holds on a busy machine).
// Each photo is measured in a child process running `node` (n8n's Node when the caller passes it), so the
// memory of one does not count for the other.
//   node scripts/bench-photo.js [--quick] [--node=/path/to/node] [--dist]   prints a markdown table
//   const { photoRows } = require('./bench-photo'); photoRows({ node, quick, dist })  -> rows (objects)
// --dist uses the compiled package in dist/ (npm run build); otherwise the image folder is compiled into a
// temporary directory first.

const { execFileSync, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CASES = [
	{ megapixels: 12, targetBytes: 8e6 },
	{ megapixels: 48, targetBytes: 20e6 },
];

/** The image folder as JavaScript: dist/ when asked, else compiled with tsc into a temp folder. */
function imageDir(dist) {
	if (dist) return path.join(ROOT, 'dist', 'nodes', 'FaceToSticker', 'image');
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-photo-js-'));
	const files = [];
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.ts')) files.push(full);
		}
	};
	walk(path.join(ROOT, 'nodes', 'FaceToSticker', 'image'));
	const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
	execFileSync(tsc, ['--outDir', out, '--rootDir', path.join(ROOT, 'nodes', 'FaceToSticker', 'image'), '--module', 'commonjs', '--target', 'es2019', '--lib', 'es2019,es2020,es2022.error', '--strict', '--skipLibCheck', '--declaration', 'false', '--sourceMap', 'false', ...files], { stdio: 'inherit' });
	return out;
}

/** A phone-like photo, cached in the temp folder by its parameters (making a 48 MP one takes a minute). */
function phonePhoto(megapixels, targetBytes) {
	const helper = path.join(ROOT, 'test', 'helpers', 'phonePhoto.js');
	const key = crypto.createHash('sha256').update(fs.readFileSync(helper)).update(`${megapixels}/${targetBytes}`).digest('hex').slice(0, 16);
	const file = path.join(os.tmpdir(), `bench-photo-${megapixels}mp-${key}.jpg`);
	if (!fs.existsSync(file)) {
		const { makePhonePhoto } = require(helper);
		fs.writeFileSync(file, makePhonePhoto({ megapixels, orientation: 6, targetBytes }));
	}
	return file;
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * djpeg on the file (integer IDCT, default upsampling, output discarded), `runs` times in one shell: the
 * median wall time, and the CPU time per run from the shell's children times (/proc, 10 ms ticks), which the
 * other programs on a busy machine do not inflate.
 */
function djpegTimes(file, runs) {
	const { ensureOracles } = require(path.join(ROOT, 'test', 'helpers', 'oracles.js'));
	const { djpeg } = ensureOracles();
	const times = [];
	for (let i = 0; i < runs; i++) {
		const start = process.hrtime.bigint();
		execFileSync(djpeg, ['-dct', 'int', '-outfile', '/dev/null', file]);
		times.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	const script = `i=0; while [ $i -lt ${runs} ]; do "$0" -dct int -outfile /dev/null "$1"; i=$((i+1)); done; cat /proc/$$/stat`;
	const stat = execFileSync('/bin/sh', ['-c', script, djpeg, file]).toString();
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// After the command name: field 16 (cutime) and 17 (cstime) of proc(5) are indexes 13 and 14 here.
	const ticks = Number(fields[13]) + Number(fields[14]);
	return { wallMs: median(times), cpuMs: (ticks * 10) / runs };
}

/** One row per photo: runs each in a child (`node`), adds djpeg's time. */
function photoRows({ node = process.execPath, quick = false, dist = false } = {}) {
	const dir = imageDir(dist);
	const rows = [];
	for (const { megapixels, targetBytes } of CASES) {
		const file = phonePhoto(megapixels, targetBytes);
		const runs = quick ? 2 : megapixels > 20 ? 3 : 5;
		const child = spawnSync(node, ['--expose-gc', __filename, '--child', dir, file, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
		if (child.status !== 0) throw new Error(`the photo bench failed:\n${child.stderr}`);
		const measured = JSON.parse(child.stdout.trim().split('\n').pop());
		const djpeg = djpegTimes(file, Math.max(runs, 5));
		rows.push({ megapixels, ...measured, djpegMs: djpeg.wallMs, djpegCpuMs: djpeg.cpuMs, decodeRatio: measured.decodeMs / djpeg.wallMs, decodeCpuRatio: measured.decodeCpuMs / djpeg.cpuMs });
	}
	if (!dist) fs.rmSync(dir, { recursive: true, force: true });
	return rows;
}

function markdown(rows) {
	const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
	const lines = [
		'| Photo (Orientation 6, GPS) | Bytes before → sent | Sent size | Prepare median / max | Slices: longest (raw max) | Peak extra memory | Peak RSS | Our full-size decode (CPU) | djpeg -dct int (CPU) | Decode ratio, wall (CPU) |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
	];
	for (const r of rows) {
		lines.push(
			`| ${r.width} × ${r.height} (${r.megapixels} MP) | ${mb(r.bytesBefore)} → ${mb(r.bytesSent)} | ${r.sentWidth} × ${r.sentHeight} | ${r.medianMs.toFixed(0)} / ${r.maxMs.toFixed(0)} ms | ${r.slices}: ${r.longestSliceMs.toFixed(1)} ms (${r.rawLongestSliceMs.toFixed(0)} ms) | ${r.peakMb.toFixed(0)} MB | ${r.maxRssMb.toFixed(0)} MB | ${r.decodeMs.toFixed(0)} ms (${r.decodeCpuMs.toFixed(0)} ms) | ${r.djpegMs.toFixed(0)} ms (${r.djpegCpuMs.toFixed(0)} ms) | ${r.decodeRatio.toFixed(1)} × (${r.decodeCpuRatio.toFixed(1)} ×) |`,
		);
	}
	return lines.join('\n');
}

/** In the child: prepare the photo `runs` times as the node does, then time our decoder alone. */
function child(dir, file, runs) {
	const { preparePhoto } = require(path.join(dir, 'photo', 'prepare.js'));
	const { decodeJpeg } = require(path.join(dir, 'jpeg', 'decode.js'));
	const { runToEnd } = require(path.join(dir, 'slices.js'));
	const bytes = new Uint8Array(fs.readFileSync(file));
	const memory = () => {
		const m = process.memoryUsage();
		return m.heapUsed + m.arrayBuffers;
	};
	const times = [];
	// The slices are the same in every run: the per-slice minimum over the runs leaves out the moments the
	// machine ran something else (as test/helpers/imageChecks.ts sliceGaps does); the raw maximum is kept too.
	let best = [];
	let rawLongest = 0;
	// CPU time of each slice (process.cpuUsage): what the slice itself held the thread for, whatever else the
	// machine ran meanwhile (wall time on a busy machine also counts the moments this process was not scheduled).
	let cpuLongest = 0;
	let peak = 0;
	let result;
	for (let i = 0; i < runs; i++) {
		global.gc();
		const base = memory();
		const work = preparePhoto(bytes);
		const gaps = [];
		const started = process.hrtime.bigint();
		for (;;) {
			const sliceStart = process.hrtime.bigint();
			const sliceCpu = process.cpuUsage();
			const step = work.next();
			gaps.push(Number(process.hrtime.bigint() - sliceStart) / 1e6);
			const cpu = process.cpuUsage(sliceCpu);
			cpuLongest = Math.max(cpuLongest, (cpu.user + cpu.system) / 1000);
			peak = Math.max(peak, memory() - base);
			if (step.done) {
				result = step.value;
				break;
			}
		}
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
		rawLongest = Math.max(rawLongest, ...gaps);
		best = i === 0 ? gaps : best.map((t, k) => Math.min(t, gaps[k]));
	}
	const longest = Math.max(...best);
	// Peak RSS of the process so far: preparing only (the full-size decode below takes more).
	const prepareRssMb = process.resourceUsage().maxRSS / 1024;
	const decodeTimes = [];
	const decodeCpu = [];
	for (let i = 0; i < runs; i++) {
		global.gc();
		const start = process.hrtime.bigint();
		const cpu = process.cpuUsage();
		runToEnd(decodeJpeg(bytes, { maxPixels: 1e8 }));
		const used = process.cpuUsage(cpu);
		decodeCpu.push((used.user + used.system) / 1000);
		decodeTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	const record = {
		width: result.original.width,
		height: result.original.height,
		bytesBefore: result.original.bytes,
		bytesSent: result.sent.bytes,
		sentWidth: result.sent.width,
		sentHeight: result.sent.height,
		removed: result.removed,
		medianMs: median(times),
		maxMs: Math.max(...times),
		longestSliceMs: longest,
		rawLongestSliceMs: rawLongest,
		cpuLongestSliceMs: cpuLongest,
		slices: best.length,
		peakMb: peak / 2 ** 20,
		maxRssMb: prepareRssMb,
		decodeMs: median(decodeTimes),
		decodeCpuMs: median(decodeCpu),
		node: process.version,
	};
	process.stdout.write(`${JSON.stringify(record)}\n`);
}

if (require.main === module) {
	const args = process.argv.slice(2);
	if (args[0] === '--child') child(args[1], args[2], Number(args[3]));
	else {
		const node = args.find((a) => a.startsWith('--node='))?.slice(7);
		const rows = photoRows({ node, quick: args.includes('--quick'), dist: args.includes('--dist') });
		console.log(`Photo preparation on ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), Node ${rows[0].node}\n`);
		console.log(markdown(rows));
	}
}

module.exports = { photoRows, markdown, CASES };
