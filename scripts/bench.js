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

const crypto = require('crypto');

const { N8nInstance, N8nServer, ROOT, VERSIONS } = require('../test/e2e/n8n-harness');
const { N8nQueueCluster, QueueServices } = require('../test/e2e/queue-mode');
const { SegmindEmulator } = require('../test/emulator/segmind-emulator');
const { encodeBlockJpeg } = require('../test/emulator/jpeg');
const { realPaceRows } = require('./bench-pace');
const { stickerRows } = require('./bench-stickers');
const { packRows } = require('./bench-pack');
const { lossyRows } = require('./bench-lossy');
const { photoRows } = require('./bench-photo');

/** Section 13: a 12 and a 48 megapixel phone photo prepared as the node does, in n8n 2.x's Node, from dist/. */
function photoBenchRows() {
	require('child_process').execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
	return photoRows({ node: VERSIONS[2].node, quick: QUICK, dist: true }).map((r) => [
		`13. Photo Preparation of a ${r.megapixels} MP phone JPEG (${r.width} × ${r.height}, Orientation 6, GPS), in n8n's Node`,
		`${mb(r.bytesBefore)} → ${mb(r.bytesSent)} (${r.sentWidth} × ${r.sentHeight}); median ${r.medianMs.toFixed(0)} ms (max ${r.maxMs.toFixed(0)}); longest slice ${r.cpuLongestSliceMs.toFixed(1)} ms of CPU (wall: ${r.rawLongestSliceMs.toFixed(0)} ms at worst, ${r.longestSliceMs.toFixed(1)} ms taking each slice's best run); peak +${r.peakMb.toFixed(0)} MB (RSS ${r.maxRssMb.toFixed(0)} MB); our decode ${r.decodeMs.toFixed(0)} ms vs djpeg -dct int ${r.djpegMs.toFixed(0)} ms = ${r.decodeRatio.toFixed(1)} × (CPU ${r.decodeCpuRatio.toFixed(1)} ×)`,
		'no stretch over 50 ms; sent well under 10 MB',
		r.cpuLongestSliceMs <= 50 && r.bytesSent < 10e6 ? 'met' : 'missed',
	]);
}

const NODE_TYPE = 'n8n-nodes-segmind-face-to-sticker.faceToSticker';
const CRED = { segmindApi: { id: 'benchSegmind01', name: 'Segmind (emulator)' } };
const HEADER_CRED = { httpHeaderAuth: { id: 'benchHeader001', name: 'Segmind key header' } };
/** The same account with the plan's limits in the credential (30 per minute, 4 at once). */
const LIMITED_CRED = { segmindApi: { id: 'benchLimited01', name: 'Segmind (plan limits)' } };
const PLAN = { perMinute: 30, concurrent: 4 };
const QUICK = process.argv.includes('--quick');
// `--only=4` or `--only=1,2` runs some sections, for working on one number; BENCHMARKS.md is written by full runs only.
const ONLY = (process.argv.find((arg) => arg.startsWith('--only=')) || '').slice('--only='.length).split(',').filter(Boolean);
const wanted = (section) => ONLY.length === 0 || ONLY.includes(String(section));

function trigger() {
	return { id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function itemsNode(count, imageOrigin) {
	const jsCode = `return Array.from({ length: ${count} }, (_, i) => ({ json: { i, url: '${imageOrigin}/faces/' + i + '.jpg' } }));`;
	return { id: 'items', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode } };
}

/** Reads face files from disk with n8n's own node, which streams them into the binary data store. */
function filesNode(folder) {
	return {
		id: 'files',
		name: 'Items',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [200, 0],
		parameters: { operation: 'read', fileSelector: `${folder}/*.jpg`, options: {} },
	};
}

/** Writes `count` JPEG files of `bytes` each (a real JPEG header, padded), each one different. */
function writeFaces(folder, count, bytes) {
	fs.mkdirSync(folder, { recursive: true });
	const head = encodeBlockJpeg(8, 8, () => [9, 9, 9]);
	for (let i = 0; i < count; i++) {
		const face = Buffer.alloc(bytes, 7);
		head.copy(face);
		face.writeUInt32BE(i, bytes - 4);
		fs.writeFileSync(path.join(folder, `face-${String(i).padStart(3, '0')}.jpg`), face);
	}
	return folder;
}

function ours(options, { binary = false } = {}) {
	const parameters = { width: 256, height: 256, modelSettings: { seed: '={{ $itemIndex }}' }, options };
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

/** Webhook (the photo as the body) -> [nodes] -> Respond to Webhook with the sticker, active. */
function webhookWorkflow(id, path, middle) {
	const hook = { id: 'h', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} } };
	const respond = { id: 'r', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [800, 0], parameters: { respondWith: 'binary', options: {} } };
	return workflow(id, [hook, ...middle, respond]);
}

function oursByWebhook(credentials) {
	return { id: 'n', name: 'Node', type: NODE_TYPE, typeVersion: 1, position: [400, 0], parameters: { width: 256, height: 256, options: { mode: 'direct' } }, credentials };
}

/** A 1024 × 1024 sticker per webhook call (section 10: the cut-out is 1024 × 1024, as Segmind's default size). */
function bigStickerByWebhook(parameters) {
	return { id: 'n', name: 'Node', type: NODE_TYPE, typeVersion: 1, position: [400, 0], parameters: { width: 1024, height: 1024, ...parameters }, credentials: CRED };
}

/** The same direct call with n8n's own nodes: the photo to base64, then the HTTP Request node, defaults kept. */
function httpByWebhook(baseUrl) {
	const extract = { id: 'x', name: 'Photo to base64', type: 'n8n-nodes-base.extractFromFile', typeVersion: 1, position: [200, 0], parameters: { operation: 'binaryToPropery', binaryPropertyName: 'data', destinationKey: 'photo', options: {} } };
	const http = httpRequest(baseUrl);
	http.parameters.jsonBody = '={{ JSON.stringify({ image: $json.photo, prompt: "a person", negative_prompt: "", width: 256, height: 256, steps: 20, seed: 7, prompt_strength: 7, instant_id_strength: 1, ip_adapter_weight: 0.2, ip_adapter_noise: 0.5, upscale: false, upscale_steps: 10 }) }}';
	return [extract, http];
}

function webhookFaces(count) {
	return Array.from({ length: count }, (_, i) => encodeBlockJpeg(32, 32, (x, y) => [(i * 41) % 256, (i * 17 + x) % 256, (y * 5 + i) % 256]));
}

/** Every face from its own client, all at once; what came back and how long each waited. `accept: 'any'` takes
 * any image back (a finished sticker is a PNG or WebP), else a JPEG is expected. */
async function webhookLoad(port, path, faces, { accept = 'jpeg' } = {}) {
	const started = Date.now();
	const answers = await Promise.all(
		faces.map(async (face) => {
			const sentAt = Date.now();
			try {
				const answer = await fetch(`http://127.0.0.1:${port}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: face, signal: AbortSignal.timeout(600_000) });
				const bytes = Buffer.from(await answer.arrayBuffer());
				const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
				return { ok: answer.status === 200 && (accept === 'any' ? bytes.length > 0 : jpeg), seconds: (Date.now() - sentAt) / 1000 };
			} catch {
				return { ok: false, seconds: (Date.now() - sentAt) / 1000 };
			}
		}),
	);
	const times = answers.map((a) => a.seconds).sort((a, b) => a - b);
	const at = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
	return { completed: answers.filter((a) => a.ok).length, p50: at(50), p95: at(95), wall: (Date.now() - started) / 1000 };
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
	// A measurement only counts when every item became a sticker.
	const failed = items.filter((item) => !item.binary);
	if (failed.length) throw new Error(`${id}: ${failed.length} items failed, e.g. ${JSON.stringify(failed[0].json).slice(0, 300)}`);
	const inputItems = data.runData.Items ? data.runData.Items[0].data.main[0].length : 0;
	return { wallSeconds, nodeSeconds: node ? node.executionTime / 1000 : 0, items, inputItems, peakMb: peakKb / 1024 };
}

async function main() {
	const emulator = await new SegmindEmulator({ simplePictures: true, latencyMs: 3000 }).start();
	const n8n = new N8nInstance(2, { name: 'bench' });
	await n8n.importCredentials([
		{ ...CRED.segmindApi, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
		{ ...HEADER_CRED.httpHeaderAuth, type: 'httpHeaderAuth', data: { name: 'x-api-key', value: emulator.apiKey } },
		{ ...LIMITED_CRED.segmindApi, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, requestsPerMinute: PLAN.perMinute, maxConcurrentJobs: PLAN.concurrent } },
	]);
	const N = QUICK ? 12 : 40;
	const BIG = QUICK ? 10 : 200;
	const T = QUICK ? 4 : 10;
	const images = emulator.origins.images;
	const FACE_BYTES = 4 * 1024 * 1024;
	const facesAll = writeFaces(path.join(n8n.folder, 'faces', 'all'), N, FACE_BYTES);
	const facesHalf = writeFaces(path.join(n8n.folder, 'faces', 'half'), N / 2, FACE_BYTES);
	// Memory rows run in filesystem binary mode, as the issue asks, with file access limited to the faces.
	const memoryEnv = { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', N8N_RESTRICT_FILE_ACCESS_TO: path.join(n8n.folder, 'faces') };
	const wfs = [
		workflow('benchC1', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 1 })]),
		workflow('benchC4', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 4 })]),
		workflow('benchC10', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 10 })]),
		workflow(`benchC${N}`, [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: N })]),
		workflow('benchQueueC10', [trigger(), itemsNode(N, images), ours({ mode: 'queue', concurrency: 10, pollInterval: 1 })]),
		workflow('benchHttp', [trigger(), itemsNode(N, images), httpRequest(emulator.baseUrl)]),
		workflow('benchOverOurs', [trigger(), itemsNode(BIG, images), ours({ mode: 'direct', concurrency: 50 })]),
		workflow('benchOverHttp', [trigger(), itemsNode(BIG, images), httpRequest(emulator.baseUrl)]),
		workflow('benchIdle', [trigger()]),
		workflow('benchMemInput', [trigger(), filesNode(facesAll)]),
		workflow('benchMem', [trigger(), filesNode(facesAll), ours({ mode: 'queue', concurrency: 10, pollInterval: 1 }, { binary: true })]),
		workflow('benchMemHalf', [trigger(), filesNode(facesHalf), ours({ mode: 'queue', concurrency: 10, pollInterval: 1 }, { binary: true })]),
		workflow('benchRpm', [trigger(), itemsNode(N, images), ours({ mode: 'direct', concurrency: 10, requestsPerMinute: 30 })]),
		workflow('benchFlat', [trigger(), itemsNode(T, images), ours({ mode: 'queue', concurrency: 1, pollInterval: 0.5 })]),
		webhookWorkflow('benchHookOurs', 'bench-ours', [oursByWebhook(LIMITED_CRED)]),
		webhookWorkflow('benchHookHttp', 'bench-http', httpByWebhook(emulator.baseUrl)),
		workflow('benchTransparent', [trigger(), itemsNode(T, images), ours({ mode: 'queue', concurrency: 1, pollInterval: 0.5, background: 'transparent' })]),
		webhookWorkflow('benchHookCutout', 'bench-cutout', [bigStickerByWebhook({ options: { mode: 'direct', background: 'transparent' } })]),
		webhookWorkflow('benchHookWhatsApp', 'bench-whatsapp', [bigStickerByWebhook({ stickerFormat: 'whatsapp', options: { mode: 'direct' } })]),
	];
	await n8n.importWorkflows(wfs);

	const rows = [];
	const L = 3;
	const target = (C) => 1.15 * Math.ceil(N / C) * L;
	const say = (text) => process.stderr.write(`${text}\n`);

	if (wanted(1)) {
		emulator.configure({ latencyMs: L * 1000 });
		for (const C of [1, 4, 10, N]) {
			emulator.reset();
			const r = await run(n8n, `benchC${C}`);
			say(`C=${C}: ${r.nodeSeconds}s`);
			rows.push([`1. ${N} items, latency ${L} s: Face to Sticker, direct, concurrency ${C}`, `${r.nodeSeconds.toFixed(1)} s (wall ${r.wallSeconds.toFixed(1)} s)`, `≤ ${target(C).toFixed(1)} s`, r.nodeSeconds <= target(C) ? 'met' : 'missed']);
		}
		emulator.reset();
		const http = await run(n8n, 'benchHttp');
		rows.push([`1. ${N} items, latency ${L} s: HTTP Request node, same direct call, default batching (all at once)`, `${http.nodeSeconds.toFixed(1)} s (wall ${http.wallSeconds.toFixed(1)} s)`, 'reference', '']);
	}

	if (wanted(1) || wanted(2)) {
		emulator.configure({ latencyMs: L * 1000 });
		emulator.reset();
		const queue = await run(n8n, 'benchQueueC10');
		rows.push([`1. ${N} items, latency ${L} s: Face to Sticker, queue (poll 1 s), concurrency 10`, `${queue.nodeSeconds.toFixed(1)} s (wall ${queue.wallSeconds.toFixed(1)} s)`, `≤ ${target(10).toFixed(1)} s`, queue.nodeSeconds <= target(10) ? 'met' : 'missed']);
		const polls = queue.items.map((item) => item.json.polls);
		const meanPolls = polls.reduce((a, b) => a + b, 0) / polls.length;
		rows.push([`2. Polls per job, queue mode, poll interval 1 s, latency ${L} s (${N} jobs)`, `mean ${meanPolls.toFixed(2)}, max ${Math.max(...polls)}`, `≤ ${L / 1 + 2}`, Math.max(...polls) <= L + 2 ? 'met' : 'missed']);
	}

	if (wanted(3)) {
		emulator.configure({ latencyMs: 0 });
		emulator.reset();
		const overOurs = await run(n8n, 'benchOverOurs');
		emulator.reset();
		const overHttp = await run(n8n, 'benchOverHttp');
		const ipsOurs = BIG / overOurs.nodeSeconds;
		const ipsHttp = BIG / overHttp.nodeSeconds;
		rows.push([`3. Overhead, ${BIG} items, zero latency: Face to Sticker (direct, concurrency 50)`, `${ipsOurs.toFixed(0)} items/s (${((overOurs.nodeSeconds / BIG) * 1000).toFixed(1)} ms/item)`, '≥ HTTP Request', ipsOurs >= ipsHttp ? 'met' : 'missed']);
		rows.push([`3. Overhead, ${BIG} items, zero latency: HTTP Request node`, `${ipsHttp.toFixed(0)} items/s (${((overHttp.nodeSeconds / BIG) * 1000).toFixed(1)} ms/item)`, 'reference', '']);
	}

	if (wanted(4)) {
		emulator.configure({ latencyMs: L * 1000 });
		// Peak RSS depends on when V8 collects garbage: each figure is the median of three runs.
		const peak = async (id) => {
			const runs = [];
			for (let i = 0; i < 3; i++) {
				emulator.reset();
				runs.push(await run(n8n, id, memoryEnv));
			}
			const sorted = runs.map((r) => r.peakMb).sort((a, b) => a - b);
			return { ...runs[0], peakMb: sorted[1], range: `${sorted[0].toFixed(0)}–${sorted[2].toFixed(0)}` };
		};
		const idle = await peak('benchIdle');
		const input = await peak('benchMemInput');
		if (input.inputItems !== N) throw new Error(`the Read Files node gave ${input.inputItems} items, not ${N}`);
		const mem = await peak('benchMem');
		const memHalf = await peak('benchMemHalf');
		const budget = (3 * 10 * FACE_BYTES) / 2 ** 20;
		const growth = mem.peakMb - input.peakMb;
		const growthHalf = memHalf.peakMb - input.peakMb;
		const mb = (r) => `${r.peakMb.toFixed(0)} MB (runs ${r.range})`;
		rows.push([`4. Peak RSS, n8n idle (trigger only)`, mb(idle), '', '']);
		rows.push([`4. Peak RSS, ${N} × 4 MB face files read by the Read Files node, no sticker node`, mb(input), '', '']);
		rows.push([`4. Peak RSS, the same ${N} files + Face to Sticker (binary in, queue, concurrency 10), filesystem mode`, `${mb(mem)}: +${growth.toFixed(0)} MB over reading the files alone`, `growth < 3 × C × 4 MB = ${budget} MB`, growth < budget ? 'met' : 'missed']);
		rows.push([`4. Peak RSS, the same with ${N / 2} files`, `${mb(memHalf)}: +${growthHalf.toFixed(0)} MB`, `does not grow with N: ${N} files within ${(10 * FACE_BYTES) / 2 ** 20} MB of ${N / 2}`, growth <= growthHalf + (10 * FACE_BYTES) / 2 ** 20 ? 'met' : 'missed']);
	}

	if (wanted(5)) {
		emulator.configure({ latencyMs: L * 1000, rateLimitPerMinute: 30 });
		emulator.reset();
		const rpm = await run(n8n, 'benchRpm');
		const limited = emulator.summary().rateLimited;
		rows.push([`5. ${N} items, Requests per Minute 30, emulator enforcing 30/min (direct, concurrency 10)`, `${rpm.nodeSeconds.toFixed(1)} s, ${limited} × 429`, '0 × 429', limited === 0 ? 'met' : 'missed']);
	}
	if (wanted(6)) {
		// One sticker at a time, so the difference per sticker is the time Transparent adds to each.
		emulator.configure({ latencyMs: L * 1000, rateLimitPerMinute: 0, bgLatencyMs: 620 });
		emulator.reset();
		const flat = await run(n8n, 'benchFlat');
		emulator.reset();
		const cut = await run(n8n, 'benchTransparent');
		const bg = emulator.summary().billedBgRemovals;
		if (bg !== T || !cut.items.every((item) => item.binary.data.mimeType === 'image/png')) throw new Error(`Transparent gave ${bg} background removals for ${T} stickers`);
		const extra = (cut.nodeSeconds - flat.nodeSeconds) / T;
		const inNode = cut.items.reduce((sum, item) => sum + item.json.backgroundRemovalTime, 0) / T;
		const extraCost = cut.items.reduce((sum, item) => sum + item.json.backgroundRemovalCost, 0) / T;
		rows.push([`6. ${T} stickers one at a time (queue, latency ${L} s): As Generated`, `${flat.nodeSeconds.toFixed(2)} s`, 'reference', '']);
		rows.push([`6. The same with Background Transparent (emulator's background removal at Segmind's published 0.62 s)`, `${cut.nodeSeconds.toFixed(2)} s: +${extra.toFixed(2)} s per sticker (the call itself: mean ${inNode.toFixed(3)} s), +${Math.round(extraCost * 1e6) / 1e6} credits per sticker`, '≈ 0.62 s and $0.001 (Segmind)', '']);
	}
	if (wanted(7) || wanted(8)) {
		// Many senders, one account: every photo is its own execution. The physical limit is the larger of the
		// generations (ceil(C / 4) x latency) and the requests (one per direct job) at the plan's rate.
		const clients = QUICK ? 12 : 40;
		const faces = webhookFaces(clients);
		const physical = Math.max(Math.ceil(clients / PLAN.concurrent) * L, (clients * 60) / PLAN.perMinute);
		const row = (label, r) => [
			`${label}: ${clients} webhook clients at once, latency ${L} s, emulator limits ${PLAN.perMinute}/min and ${PLAN.concurrent} at once`,
			`${r.completed}/${clients} completed, ${emulator.summary().rateLimited} × 429, p50 ${r.p50.toFixed(1)} s, p95 ${r.p95.toFixed(1)} s, wall ${r.wall.toFixed(1)} s`,
			`physical limit ${physical.toFixed(0)} s`,
			r.completed === clients && emulator.summary().rateLimited === 0 ? 'all done, no 429' : '',
		];
		emulator.configure({ latencyMs: L * 1000, rateLimitPerMinute: PLAN.perMinute, concurrentLimit: PLAN.concurrent });
		if (wanted(7)) {
			const server = new N8nServer(n8n);
			await server.start();
			try {
				await server.activateWebhook('benchHookOurs', 'bench-ours');
				await server.activateWebhook('benchHookHttp', 'bench-http');
				emulator.reset();
				rows.push(row('7. n8n start, Face to Sticker with the credential limits set', await webhookLoad(server.port, 'bench-ours', faces)));
				say('7: ours done');
				// Let the account's window empty before the next load.
				await new Promise((resolve) => setTimeout(resolve, 61_000));
				emulator.reset();
				rows.push(row('7. n8n start, HTTP Request node making the same direct call (defaults)', await webhookLoad(server.port, 'bench-http', faces)));
			} finally {
				await server.stop();
			}
		}
		if (wanted(8)) {
			await new Promise((resolve) => setTimeout(resolve, 61_000));
			const services = await new QueueServices().start();
			const cluster = new N8nQueueCluster(2, services, 2);
			try {
				const perWorker = { requestsPerMinute: PLAN.perMinute / 2, maxConcurrentJobs: PLAN.concurrent / 2 };
				await cluster.importCredentials([{ ...LIMITED_CRED.segmindApi, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, ...perWorker } }]);
				await cluster.importWorkflows([webhookWorkflow('benchHookOurs', 'bench-ours', [oursByWebhook(LIMITED_CRED)])]);
				await cluster.start();
				await cluster.server.activateWebhook('benchHookOurs', 'bench-ours');
				emulator.reset();
				rows.push(row('8. queue mode, main + 2 workers, Face to Sticker with the credential at the plan / 2', await webhookLoad(cluster.server.port, 'bench-ours', faces)));
			} finally {
				await cluster.stop();
				await services.stop();
			}
		}
		emulator.configure({ rateLimitPerMinute: 0, concurrentLimit: 0 });
	}
	// Segmind's real pace, on emulators of its own (bench-pace.js): about 9 minutes.
	if (wanted(9) && !QUICK) rows.push(...(await realPaceRows(say)));
	if (wanted(10)) {
		emulator.configure({ latencyMs: 500, bgLatencyMs: 620, rateLimitPerMinute: 0, concurrentLimit: 0 });
		rows.push(...(await stickerRows({ n8n, emulator, N8nServer, webhookLoad, webhookFaces, say, quick: QUICK })));
	}
	await emulator.stop();
	// A sticker pack at Segmind's real pace, on emulators of its own (bench-pack.js): about 15 minutes.
	if (wanted(11) && !QUICK) rows.push(...(await packRows(say)));
	// Lossy WebP against libwebp's cwebp on the same pixels (bench-lossy.js, this process).
	if (wanted(12)) rows.push(...lossyRows(say).map(([what, ...rest]) => [`12. ${what}`, ...rest]));
	// Preparing phone photos in n8n's Node (bench-photo.js, on the built package).
	if (wanted(13)) rows.push(...photoBenchRows());

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
resident set (VmHWM) of the n8n process, median of three runs. Latency is the emulator's time per generation.

${table}

Reproduce: \`npm ci && npm run bench\` (installs n8n ${VERSIONS[2].version} on first use; about 25 minutes; sections 7
and 8 start \`n8n start\`, and PostgreSQL, Redis and two n8n workers, installing PostgreSQL and Redis with apt-get when missing;
section 9 runs four loads of 20 webhook clients at Segmind's real pace, 65 ± 15 s per job, at once: about 9 minutes;
section 11 makes packs of 8 and 30 and the same stickers as separate items, at the same pace, at once: about 15 minutes).
`;
	if (!QUICK && ONLY.length === 0) fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), text);
	if (!QUICK && ONLY.length > 0) mergeSections(rows);
	process.stdout.write(`${text}\n`);
}

/**
 * `--only=N` re-measures some sections: their rows replace that section's rows in BENCHMARKS.md, in place, and
 * each section says when it was measured. A full run rewrites the whole file.
 */
function mergeSections(rows) {
	const file = path.join(ROOT, 'BENCHMARKS.md');
	const lines = fs.readFileSync(file, 'utf8').replace(/\n+$/, '').split('\n');
	const sectionOf = (line) => Number((/^\| (\d+)\. /.exec(line) || [])[1]);
	const first = lines.findIndex((line) => sectionOf(line));
	const table = lines.filter((line) => sectionOf(line) && !ONLY.includes(String(sectionOf(line))));
	table.push(...rows.map((r) => `| ${r.join(' | ')} |`));
	table.sort((x, y) => sectionOf(x) - sectionOf(y));
	const rest = lines.filter((line) => !sectionOf(line) && !ONLY.some((n) => line.startsWith(`Section ${n} measured`)));
	const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
	const notes = ONLY.map((n) => `Section ${n} measured ${stamp} UTC in its own run (\`npm run bench -- --only=${n}\`), n8n ${VERSIONS[2].version}, on the machine above.`);
	rest.splice(first, 0, ...table);
	fs.writeFileSync(file, `${[...rest, '', ...notes].join('\n').replace(/\n{3,}/g, '\n\n')}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
