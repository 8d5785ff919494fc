#!/usr/bin/env node
'use strict';
// Benchmark: Face to Sticker against n8n's own HTTP Request node, in a real n8n 2.x with the Segmind emulator.
// Every row is measured in this one run and written to BENCHMARKS.md. Reproduce with `npm run bench`.
//
// Times are n8n's own per-node execution time (runData[node].executionTime), which leaves out n8n's start-up;
// the wall time of the whole `n8n execute` process is shown beside it.

const fs = require('fs');
const os = require('os');
const path = require('path');

const { N8nInstance, ROOT, VERSIONS } = require('../test/e2e/n8n-harness');
const { SegmindEmulator } = require('../test/emulator/segmind-emulator');
const { encodeBlockJpeg } = require('../test/emulator/jpeg');

const NODE_TYPE = 'n8n-nodes-segmind-face-to-sticker.faceToSticker';
const CRED = { segmindApi: { id: 'benchSegmind01', name: 'Segmind (emulator)' } };
const HEADER_CRED = { httpHeaderAuth: { id: 'benchHeader001', name: 'Segmind key header' } };
const QUICK = process.argv.includes('--quick');

function trigger() {
	return { id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function itemsNode(count, imageOrigin, binaryBytes) {
	const jsCode = binaryBytes
		? `const face = Buffer.alloc(${binaryBytes}, 7); const head = Buffer.from(${JSON.stringify(encodeBlockJpeg(8, 8, () => [9, 9, 9]).toString('base64'))}, 'base64'); head.copy(face);
const out = [];
for (let i = 0; i < ${count}; i++) { face[face.length - 1] = i % 256; out.push({ json: { i }, binary: { data: await this.helpers.prepareBinaryData(face, 'face.jpg', 'image/jpeg') } }); }
return out;`
		: `return Array.from({ length: ${count} }, (_, i) => ({ json: { i, url: '${imageOrigin}/faces/' + i + '.jpg' } }));`;
	return { id: 'items', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode } };
}

function ours(options, { binary = false } = {}) {
	const parameters = { width: 256, height: 256, seed: '={{ $json.i }}', options };
	if (!binary) Object.assign(parameters, { imageSource: 'url', imageUrl: '={{ $json.url }}' });
	return { id: 'n', name: 'Node', type: NODE_TYPE, typeVersion: 1, position: [400, 0], parameters, credentials: CRED };
}

function httpRequest(baseUrl) {
	return {
		id: 'n',
		name: 'Node',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [400, 0],
		parameters: {
			method: 'POST',
			url: `${baseUrl}/v1/face-to-sticker`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ image: $json.url, prompt: "a person", negative_prompt: "", width: 256, height: 256, steps: 20, seed: $json.i, prompt_strength: 7, instant_id_strength: 1, ip_adapter_weight: 0.2, ip_adapter_noise: 0.5, upscale: false, upscale_steps: 10 }) }}',
			options: { response: { response: { responseFormat: 'file' } } },
		},
		credentials: HEADER_CRED,
	};
}

function workflow(id, nodes) {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, active: false, settings: {}, nodes, connections };
}

/** Runs a workflow, sampling the n8n process's peak resident memory (VmHWM) while it runs. */
async function run(n8n, id, env = {}) {
	const started = Date.now();
	let peakKb = 0;
	const sampler = setInterval(() => {
		for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
			try {
				const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
				if (!cmd.includes(n8n.folder) && !cmd.includes(`--id=${id}`)) continue;
				const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
				if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
			} catch {
				/* process gone */
			}
		}
	}, 50);
	const result = await n8n.execute(id, env);
	clearInterval(sampler);
	const wallSeconds = (Date.now() - started) / 1000;
	const data = result.runData && result.runData.data.resultData;
	if (!data || result.code !== 0) throw new Error(`${id} failed: ${JSON.stringify(data && data.error).slice(0, 500)}\n${result.log.slice(-2000)}`);
	const node = data.runData.Node ? data.runData.Node[0] : undefined;
	const items = node ? node.data.main[0] : [];
	return { wallSeconds, nodeSeconds: node ? node.executionTime / 1000 : 0, items, peakMb: peakKb / 1024 };
}

async function main() {
	const emulator = await new SegmindEmulator({ latencyMs: 3000 }).start();
	const n8n = new N8nInstance(2, { name: 'bench' });
	await n8n.importCredentials([
		{ ...CRED.segmindApi, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
		{ ...HEADER_CRED.httpHeaderAuth, type: 'httpHeaderAuth', data: { name: 'x-api-key', value: emulator.apiKey } },
	]);
	const N = QUICK ? 12 : 40;
	const BIG = QUICK ? 10 : 200;
	const images = emulator.origins.images;
	const wfs = [
		workflow('benchC1', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 1 })]),
		workflow('benchC4', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 4 })]),
		workflow('benchC10', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 10 })]),
		workflow('benchQueueC10', [trigger(), itemsNode(N, images), ours({ mode: 'queue', concurrency: 10, pollInterval: 1 })]),
		workflow('benchHttp', [trigger(), itemsNode(N, images), httpRequest(emulator.baseUrl)]),
		workflow('benchOverOurs', [trigger(), itemsNode(BIG, images), ours({ mode: 'direct', concurrency: 50 })]),
		workflow('benchOverHttp', [trigger(), itemsNode(BIG, images), httpRequest(emulator.baseUrl)]),
		workflow('benchIdle', [trigger()]),
		workflow('benchMemInput', [trigger(), itemsNode(N, images, 4 * 1024 * 1024)]),
		workflow('benchMem', [trigger(), itemsNode(N, images, 4 * 1024 * 1024), ours({ mode: 'queue', concurrency: 10, pollInterval: 1 }, { binary: true })]),
		workflow('benchMemHalf', [trigger(), itemsNode(N / 2, images, 4 * 1024 * 1024), ours({ mode: 'queue', concurrency: 10, pollInterval: 1 }, { binary: true })]),
		workflow('benchRpm', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 10, requestsPerMinute: 30 })]),
	];
	await n8n.importWorkflows(wfs);

	const rows = [];
	const L = 3;
	const target = (C) => 1.15 * Math.ceil(N / C) * L;
	const say = (text) => process.stderr.write(`${text}\n`);

	emulator.configure({ latencyMs: L * 1000 });
	for (const C of [1, 4, 10]) {
		emulator.reset();
		const r = await run(n8n, `benchC${C}`);
		say(`C=${C}: ${r.nodeSeconds}s`);
		rows.push([`1. ${N} items, latency ${L} s: Face to Sticker, direct, concurrency ${C}`, `${r.nodeSeconds.toFixed(1)} s (wall ${r.wallSeconds.toFixed(1)} s)`, `≤ ${target(C).toFixed(1)} s`, r.nodeSeconds <= target(C) ? 'met' : 'missed']);
	}
	emulator.reset();
	const queue = await run(n8n, 'benchQueueC10');
	rows.push([`1. ${N} items, latency ${L} s: Face to Sticker, queue (poll 1 s), concurrency 10`, `${queue.nodeSeconds.toFixed(1)} s (wall ${queue.wallSeconds.toFixed(1)} s)`, `≤ ${target(10).toFixed(1)} s`, queue.nodeSeconds <= target(10) ? 'met' : 'missed']);
	emulator.reset();
	const http = await run(n8n, 'benchHttp');
	rows.push([`1. ${N} items, latency ${L} s: HTTP Request node, same direct call, default batching`, `${http.nodeSeconds.toFixed(1)} s (wall ${http.wallSeconds.toFixed(1)} s)`, 'reference', '']);

	const polls = queue.items.map((item) => item.json.polls);
	const meanPolls = polls.reduce((a, b) => a + b, 0) / polls.length;
	rows.push(['2. Polls per job, queue mode, poll interval 1 s, latency 3 s', `mean ${meanPolls.toFixed(2)}, max ${Math.max(...polls)}`, `≤ ${L / 1 + 2}`, Math.max(...polls) <= L + 2 ? 'met' : 'missed']);

	emulator.configure({ latencyMs: 0 });
	emulator.reset();
	const overOurs = await run(n8n, 'benchOverOurs');
	emulator.reset();
	const overHttp = await run(n8n, 'benchOverHttp');
	const ipsOurs = BIG / overOurs.nodeSeconds;
	const ipsHttp = BIG / overHttp.nodeSeconds;
	rows.push([`3. Overhead, ${BIG} items, zero latency: Face to Sticker (direct, concurrency 50)`, `${ipsOurs.toFixed(0)} items/s (${((overOurs.nodeSeconds / BIG) * 1000).toFixed(1)} ms/item)`, '≥ HTTP Request', ipsOurs >= ipsHttp ? 'met' : 'missed']);
	rows.push([`3. Overhead, ${BIG} items, zero latency: HTTP Request node`, `${ipsHttp.toFixed(0)} items/s (${((overHttp.nodeSeconds / BIG) * 1000).toFixed(1)} ms/item)`, 'reference', '']);

	emulator.configure({ latencyMs: L * 1000 });
	const idle = await run(n8n, 'benchIdle');
	const input = await run(n8n, 'benchMemInput');
	emulator.reset();
	const mem = await run(n8n, 'benchMem');
	emulator.reset();
	const memHalf = await run(n8n, 'benchMemHalf');
	const budget = 3 * 10 * 4;
	const growth = mem.peakMb - input.peakMb;
	rows.push([`4. Peak RSS, n8n idle (trigger only)`, `${idle.peakMb.toFixed(0)} MB`, '', '']);
	rows.push([`4. Peak RSS, ${N} × 4 MB items made by a Code node, no sticker node`, `${input.peakMb.toFixed(0)} MB`, '', '']);
	rows.push([`4. Peak RSS, same + Face to Sticker (binary in, queue, concurrency 10), filesystem mode`, `${mem.peakMb.toFixed(0)} MB (+${growth.toFixed(0)} MB over the inputs alone)`, `growth < 3 × C × 4 MB = ${budget} MB`, growth < budget ? 'met' : 'missed']);
	rows.push([`4. Peak RSS, the same with ${N / 2} items`, `${memHalf.peakMb.toFixed(0)} MB`, 'does not grow with N', '']);

	emulator.configure({ latencyMs: L * 1000, rateLimitPerMinute: 30 });
	emulator.reset();
	const rpm = await run(n8n, 'benchRpm');
	const limited = emulator.summary().rateLimited;
	rows.push([`5. ${N} items, Requests per Minute 30, emulator enforcing 30/min (direct, concurrency 10)`, `${rpm.nodeSeconds.toFixed(1)} s, ${limited} × 429`, '0 × 429', limited === 0 ? 'met' : 'missed']);
	await emulator.stop();

	const machine = `${os.cpus().length} cores (${os.cpus()[0].model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; n8n ${VERSIONS[2].version} on Node ${require('child_process').execFileSync(VERSIONS[2].node, ['--version']).toString().trim()}; bench driver on Node ${process.version}`;
	const table = [
		'| case | measured | target | |',
		'|---|---|---|---|',
		...rows.map((r) => `| ${r.join(' | ')} |`),
	].join('\n');
	const text = `# Benchmarks

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, all rows in one run of \`npm run bench\`${QUICK ? ' --quick (smaller N)' : ''}.

Machine: ${machine}.

Times are n8n's own execution time of the measured node (its \`executionTime\` in the run data), which leaves
out n8n's start-up; the wall time of the whole \`n8n execute\` process is in brackets. Memory is the peak
resident set (VmHWM) of the n8n process. Latency is the emulator's time per generation.

${table}

Reproduce: \`npm ci && npm run bench\` (installs n8n ${VERSIONS[2].version} on first use; about 6 minutes).
`;
	if (!QUICK) fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), text);
	process.stdout.write(`${text}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
