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
//   npm run demo -- --pack telegram      # a whole sticker pack (Create Sticker Pack, 8 expressions): its stickers,
//                                        # icon and preview sheet; --pack whatsapp adds the .wastickers file and
//                                        # contents.json, --pack signal the cover
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

const PACK = (() => {
	const at = process.argv.indexOf('--pack');
	if (at === -1) return undefined;
	const messenger = process.argv[at + 1];
	if (!['telegram', 'whatsapp', 'signal'].includes(messenger)) throw new Error('--pack takes one of telegram, whatsapp, signal');
	return messenger;
})();

/** The pack's parameters for the demo: 8 default expressions, one item with the whole pack. */
const PACK_PARAMETERS = {
	operation: 'createPack',
	packTitle: 'n8n Demo Stickers',
	botUsername: 'demo_sticker_bot',
	packAuthor: 'n8n demo',
	packOutput: 'pack',
};

/** Turns the example into a pack workflow: the pack item is split into one item per file, each written out. */
function packWorkflow(workflow, messenger) {
	const nodes = workflow.nodes;
	const sticker = nodes.find((node) => node.name === 'Face to Sticker');
	sticker.parameters = { ...sticker.parameters, ...PACK_PARAMETERS, packFor: messenger, prompt: 'a cheerful person, cartoon style' };
	const write = nodes.find((node) => node.name === 'Write sticker file');
	fs.mkdirSync(path.join(OUTPUT_DIR, `pack-${messenger}`), { recursive: true });
	write.parameters.fileName = `=${OUTPUT_DIR}/pack-${messenger}/{{ $binary.data.fileName }}`;
	write.position = [880, 0];
	nodes.push({
		id: '5e0c6a44-51a1-4f4b-9d2e-6f0f3d1a0005',
		name: 'One item per file',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [660, 0],
		parameters: {
			jsCode: 'const out = [];\nfor (const item of $input.all()) {\n  for (const [field, file] of Object.entries(item.binary || {})) out.push({ json: { field, fileName: file.fileName }, binary: { data: file } });\n}\nreturn out;',
		},
	});
	workflow.connections['Face to Sticker'] = { main: [[{ node: 'One item per file', type: 'main', index: 0 }]] };
	workflow.connections['One item per file'] = { main: [[{ node: 'Write sticker file', type: 'main', index: 0 }]] };
	return workflow;
}

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

		const example = localizeExample(JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')), OUTPUT_DIR);
		const workflow = PACK ? packWorkflow(example, PACK) : example;
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
		if (PACK) {
			const written = runData.runData['Write sticker file'][0].data.main[0].map((item) => item.json.fileName);
			console.log(`\n${PACK} sticker pack written in ${((Date.now() - started) / 1000).toFixed(1)} s, ${written.length} files:`);
			for (const file of written) console.log(`  ${file} (${fs.statSync(file).size} bytes)`);
			const { stickers, files, ...pack } = record;
			console.log('\nThe pack\'s record:');
			console.log(JSON.stringify({ ...pack, stickers: stickers.length, files }, null, 2));
			return;
		}
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
