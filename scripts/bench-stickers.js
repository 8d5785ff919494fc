'use strict';
// Bench section 9: Sticker Format, measured side by side in one run.
//  - finishing a 1024 × 1024 cut-out into each preset, with the compiled package in the Node that runs n8n
//    (median and max of several runs, the longest slice, peak extra memory);
//  - our lossless WebP against `cwebp -lossless` and our PNG against zlib level 9, on the same pixels;
//  - the longest event-loop stall of n8n while four stickers are finished at once, measured from outside by
//    asking /healthz every 10 ms, beside the same load without the finish.

const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ROOT, VERSIONS } = require('../test/e2e/n8n-harness');
const { ensureOracles } = require('../test/helpers/oracles');
const { cutoutPng } = require('../test/helpers/stickerFixture');

const KB = 1024;
const TARGETS = { webp: 1.25, png: 1.15 };

/** Finishes the cut-out into every preset in a child running n8n's Node; one record per preset. */
function finishInChild(runs) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stickers-'));
	const child = spawnSync(
		VERSIONS[2].node,
		['--expose-gc', path.join(__dirname, 'bench-finish-child.js'), path.join(ROOT, 'dist', 'nodes', 'FaceToSticker', 'image'), cutoutPng(1024), String(runs), out],
		{ encoding: 'utf8', maxBuffer: 1 << 24 },
	);
	if (child.status !== 0) throw new Error(`the finish bench failed:\n${child.stderr}`);
	return { out, presets: child.stdout.trim().split('\n').map((line) => JSON.parse(line)) };
}

/** Asks /healthz every 10 ms while `load` runs; the longest answer time and the longest gap between answers. */
async function healthWhile(port, load) {
	let running = true;
	let longest = 0;
	let answers = 0;
	const poller = (async () => {
		while (running) {
			const sent = Date.now();
			await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.arrayBuffer()).catch(() => undefined);
			longest = Math.max(longest, Date.now() - sent);
			answers++;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	})();
	const result = await load();
	running = false;
	await poller;
	return { ...result, longestMs: longest, answers };
}

/**
 * @param ctx { n8n, emulator, N8nServer, webhookWorkflow, stickerNode, webhookLoad, webhookFaces, say, quick }
 */
async function stickerRows(ctx) {
	const rows = [];
	const { cwebp } = ensureOracles();
	const runs = ctx.quick ? 3 : 7;
	const { out, presets } = finishInChild(runs);
	for (const p of presets) {
		rows.push([
			`10. Finish a 1024 × 1024 cut-out into ${p.name} (${p.width} × ${p.height}, ${(p.bytes / KB).toFixed(1)} KB${p.paletteColors ? `, ${p.paletteColors} colours to fit` : ', lossless'}), n8n's Node, ${runs} runs`,
			`median ${p.medianMs.toFixed(0)} ms, max ${p.maxMs.toFixed(0)} ms; longest slice ${p.longestSliceMs.toFixed(1)} ms; peak +${p.peakMb.toFixed(1)} MB`,
			'slice < 50 ms',
			p.longestSliceMs < 50 ? 'met' : 'missed',
		]);
	}
	for (const p of presets) {
		const webp = path.join(out, `${p.name}.webp`);
		execFileSync(cwebp, ['-quiet', '-lossless', '-exact', p.pam, '-o', webp]);
		const theirs = fs.statSync(webp).size;
		const ratio = p.ourWebp / theirs;
		rows.push([`10. Lossless WebP of the ${p.name} sticker's pixels: ours vs \`cwebp -lossless -exact\``, `${(p.ourWebp / KB).toFixed(1)} KB vs ${(theirs / KB).toFixed(1)} KB: ${ratio.toFixed(3)} ×`, `≤ ${TARGETS.webp} ×`, ratio <= TARGETS.webp ? 'met' : 'missed']);
		const pngRatio = p.ourPng / p.zlibPng;
		rows.push([`10. PNG of the same pixels: ours vs zlib level 9 on the same filtered rows`, `${(p.ourPng / KB).toFixed(1)} KB vs ${(p.zlibPng / KB).toFixed(1)} KB: ${pngRatio.toFixed(3)} ×`, `≤ ${TARGETS.png} ×`, pngRatio <= TARGETS.png ? 'met' : 'missed']);
	}
	fs.rmSync(out, { recursive: true, force: true });

	// n8n start: four webhook clients at once, each a 1024 × 1024 sticker, with and without the finish.
	const server = new ctx.N8nServer(ctx.n8n);
	await server.start();
	try {
		await server.activateWebhook('benchHookCutout', 'bench-cutout');
		await server.activateWebhook('benchHookWhatsApp', 'bench-whatsapp');
		const faces = ctx.webhookFaces(4);
		const cases = [
			['Background Transparent, no finish (reference)', 'bench-cutout'],
			['Sticker Format WhatsApp (4 finishes at once)', 'bench-whatsapp'],
		];
		for (const [label, hook] of cases) {
			ctx.emulator.reset();
			const r = await healthWhile(server.port, () => ctx.webhookLoad(server.port, hook, faces, { accept: 'any' }));
			rows.push([
				`10. n8n start, 4 webhook clients at once, 1024 × 1024 stickers: ${label}`,
				`${r.completed}/4 completed; longest /healthz answer ${r.longestMs} ms (${r.answers} asked, every 10 ms)`,
				hook === 'bench-whatsapp' ? 'stall < 50 ms more than the reference' : 'reference',
				'',
			]);
			ctx.say(`9: ${label} done`);
		}
	} finally {
		await server.stop();
	}
	return rows;
}

module.exports = { stickerRows };
