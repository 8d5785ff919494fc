#!/usr/bin/env node
'use strict';
// The main job: runs examples/photo-file-to-sticker-file.json in a real n8n 2.x with this package installed as a
// community package. It reads examples/face.png, turns it into a sticker and writes the sticker file, then prints
// the file's path and the node's JSON record.
//
// Uses the local Segmind emulator unless SEGMIND_API_KEY is set, in which case it calls Segmind for real
// (one generation, about $0.09). Installs n8n 2.x (the version in test/n8n-versions.json) and Node 24 into a
// cache outside the repository first.
//
//   npm run demo                      # emulator
//   npm run demo -- --transparent     # a transparent sticker (Background: Transparent), written as a PNG
//   npm run demo -- --sticker telegram   # a finished sticker (Sticker Format): telegram and whatsapp write
//                                        # a .webp, discord and slack a .png
//   SEGMIND_API_KEY=SG_... npm run demo   # real Segmind

const fs = require('fs');
const path = require('path');

const { N8nInstance, ROOT, VERSIONS } = require('../test/e2e/n8n-harness');
const { SegmindEmulator } = require('../test/emulator/segmind-emulator');

const { FACE, localizeExample } = require('./examples');

const WORKFLOW_FILE = path.join(ROOT, 'examples', 'photo-file-to-sticker-file.json');
const OUTPUT_DIR = path.resolve(process.env.DEMO_OUTPUT_DIR || path.join(ROOT, 'demo-output'));
const TRANSPARENT = process.argv.includes('--transparent');
const STICKER_FORMATS = { telegram: 'webp', whatsapp: 'webp', discord: 'png', slack: 'png' };
const STICKER = (() => {
	const at = process.argv.indexOf('--sticker');
	if (at === -1) return undefined;
	const format = process.argv[at + 1];
	if (!STICKER_FORMATS[format]) throw new Error(`--sticker takes one of ${Object.keys(STICKER_FORMATS).join(', ')}`);
	return format;
})();

async function main() {
	const realKey = process.env.SEGMIND_API_KEY;
	let emulator;
	let credential;
	if (realKey) {
		credential = { apiKey: realKey, baseUrl: process.env.SEGMIND_BASE_URL || 'https://api.segmind.com' };
		console.log(`Calling Segmind for real (SEGMIND_API_KEY is set): one generation, about 65 s${TRANSPARENT || STICKER ? ', then background removal' : ''}.`);
	} else {
		// Background removal at Segmind's published ~0.62 s.
		emulator = await new SegmindEmulator({ latencyMs: 2000, bgLatencyMs: 620 }).start();
		credential = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, uploadUrl: emulator.origins.upload };
		console.log(`Using the Segmind emulator at ${emulator.baseUrl} (set SEGMIND_API_KEY to call Segmind for real).`);
	}

	try {
		console.log(`Preparing n8n ${VERSIONS[2].version} with the package installed (the first run installs n8n: a few minutes)...`);
		const n8n = new N8nInstance(2, { name: 'demo' });
		fs.mkdirSync(OUTPUT_DIR, { recursive: true });

		const workflow = localizeExample(JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')), OUTPUT_DIR);
		for (const node of workflow.nodes) {
			if (TRANSPARENT && node.name === 'Face to Sticker') node.parameters.options = { ...node.parameters.options, background: 'transparent' };
			if (STICKER && node.name === 'Face to Sticker') node.parameters.stickerFormat = STICKER;
		}
		await n8n.importCredentials([{ id: 'segmindAccount01', name: 'Segmind account', type: 'segmindApi', data: credential }]);
		await n8n.importWorkflows([workflow]);

		const started = Date.now();
		const result = await n8n.execute(workflow.id, {
			// n8n 2.x only lets file nodes touch these folders.
			N8N_RESTRICT_FILE_ACCESS_TO: `${path.dirname(FACE)};${OUTPUT_DIR}`,
		});
		const runData = result.runData && result.runData.data.resultData;
		if (!runData || result.code !== 0) {
			const error = runData && runData.error;
			throw new Error(error ? `${error.message}${error.description ? `\n${error.description}` : ''}` : `n8n exited ${result.code}\n${result.log.slice(-3000)}`);
		}
		const record = runData.runData['Face to Sticker'][0].data.main[0][0].json;
		const written = runData.runData['Write sticker file'][0].data.main[0][0].json.fileName;
		const bytes = fs.readFileSync(written);
		if (STICKER) {
			const webp = bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
			const png = bytes.subarray(1, 4).toString('latin1') === 'PNG';
			if (STICKER_FORMATS[STICKER] === 'webp' ? !webp : !png) throw new Error(`${written} is not a ${STICKER_FORMATS[STICKER]} sticker`);
			if (!written.endsWith(`.${STICKER_FORMATS[STICKER]}`)) throw new Error(`${written} does not end in .${STICKER_FORMATS[STICKER]}`);
		} else if (TRANSPARENT) {
			// PNG colour types 4 (grey + alpha) and 6 (RGBA) carry an alpha channel.
			const isPng = bytes.subarray(1, 4).toString('latin1') === 'PNG';
			if (!isPng || ![4, 6].includes(bytes[25])) throw new Error(`${written} is not a PNG with an alpha channel`);
		} else if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
			throw new Error(`${written} is not a JPEG`);
		}

		console.log(`\nSticker written in ${((Date.now() - started) / 1000).toFixed(1)} s: ${written}`);
		console.log(`(${bytes.length} bytes, ${record.mimeType})`);
		console.log('\nFace to Sticker output record:');
		console.log(JSON.stringify(record, null, 2));
	} finally {
		if (emulator) await emulator.stop();
	}
}

main().catch((error) => {
	console.error(`\nThe demo failed: ${error.message}`);
	process.exit(1);
});
