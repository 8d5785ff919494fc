#!/usr/bin/env node
'use strict';
// Starts the n8n 2.x editor on http://localhost:5678 with this package installed as a community package, the
// Segmind emulator running, a "Segmind account" credential pointing at it, and the example workflows imported.
// Stop with Ctrl-C. With SEGMIND_API_KEY set, the credential points at the real Segmind instead.
//
//   npm run editor            (EDITOR_PORT=5679 npm run editor for another port)

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const { N8nInstance, ROOT, VERSIONS } = require('../test/e2e/n8n-harness');
const { SegmindEmulator } = require('../test/emulator/segmind-emulator');
const { FACE, localizeExample } = require('./examples');

async function main() {
	const port = Number(process.env.EDITOR_PORT || 5678);
	const realKey = process.env.SEGMIND_API_KEY;
	let emulator;
	let credential;
	if (realKey) {
		credential = { apiKey: realKey, baseUrl: 'https://api.segmind.com' };
	} else {
		emulator = await new SegmindEmulator({ latencyMs: 5000 }).start();
		credential = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, uploadUrl: emulator.origins.upload };
	}
	const n8n = new N8nInstance(2, { name: 'editor' });
	await n8n.importCredentials([{ id: 'segmindAccount01', name: 'Segmind account', type: 'segmindApi', data: credential }]);
	const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));
	const outputDir = path.join(ROOT, 'demo-output');
	fs.mkdirSync(outputDir, { recursive: true });
	// Point the examples at the bundled photo and demo-output/, so "Photo file to sticker file" runs at the first click.
	await n8n.importWorkflows(examples.map((f) => localizeExample(JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')), outputDir)));

	const env = n8n.env({
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_OUTPUT: 'console',
		N8N_RESTRICT_FILE_ACCESS_TO: `${path.join(ROOT, 'examples')};${path.join(ROOT, 'demo-output')}`,
	});
	const child = spawn(VERSIONS[2].node, [n8n.n8nBin(), 'start'], {
		env,
		stdio: 'inherit',
	});
	console.log(`\nn8n ${VERSIONS[2].version} editor starting on http://localhost:${port} (user folder ${n8n.folder})`);
	console.log(realKey ? 'Credential "Segmind account" uses your SEGMIND_API_KEY.' : `Credential "Segmind account" points at the emulator ${emulator.baseUrl}.`);
	console.log(`The example "Photo file to sticker file" reads ${FACE} and writes its sticker to ${outputDir}.`);
	const stop = async () => {
		child.kill('SIGTERM');
		if (emulator) await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	child.on('exit', async (code) => {
		if (emulator) await emulator.stop();
		process.exit(code ?? 0);
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
