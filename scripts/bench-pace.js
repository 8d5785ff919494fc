'use strict';
// Bench section 9: Segmind's real pace (65 ± 15 s per job, a 10-per-minute plan, 4 jobs at once), 20 webhook
// clients per load through `n8n start`. Four loads at the same time, each on its own emulator: Face to Sticker
// with the plan counting every request, and counting submits only (the credential told so); and the HTTP
// Request node polling with a Wait loop every 3 s as users build it, in both worlds. Rows for bench.js.

const crypto = require('crypto');

const { N8nInstance, N8nServer } = require('../test/e2e/n8n-harness');
const { analyseQueueLoad, describeGroup, paceFaces, webhookClients } = require('../test/e2e/pace-load');
const { SegmindEmulator } = require('../test/emulator/segmind-emulator');

const NODE_TYPE = 'n8n-nodes-segmind-face-to-sticker.faceToSticker';
const PLAN = { perMinute: 10, concurrent: 4 };
const SEED = 16;
const LOADS = [
	{ name: 'oursAll', label: 'Face to Sticker, queue, credential 10/min counting all requests, 4 at once', counts: 'all', tool: 'ours' },
	{ name: 'oursWork', label: 'Face to Sticker, queue, credential 10/min counting only submits, 4 at once', counts: 'work', tool: 'ours' },
	{ name: 'httpAll', label: 'HTTP Request node + Wait 3 s loop', counts: 'all', tool: 'http' },
	{ name: 'httpWork', label: 'HTTP Request node + Wait 3 s loop', counts: 'work', tool: 'http' },
];

function webhookWorkflow(id, path, middle) {
	const hook = { id: 'h', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} } };
	const respond = { id: 'r', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [1400, 0], parameters: { respondWith: 'binary', options: {} } };
	const nodes = [hook, ...middle, respond];
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

function oursWorkflow(load, credentialId) {
	const node = { id: 'n', name: 'Node', type: NODE_TYPE, typeVersion: 1, position: [400, 0], parameters: { width: 256, height: 256, options: { mode: 'queue', pollInterval: 3 } }, credentials: { segmindApi: { id: credentialId, name: credentialId } } };
	return webhookWorkflow(`bench9${load.name}`, `bench9-${load.name}`, [node]);
}

/** Submit, then Wait 3 s -> status -> IF COMPLETED (else back to Wait) -> result -> download: n8n's own nodes. */
function httpWorkflow(load, baseUrl, credentialId) {
	const auth = { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' };
	const credentials = { httpHeaderAuth: { id: credentialId, name: credentialId } };
	const http = (id, name, x, parameters) => ({ id, name, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [x, 0], parameters, credentials });
	const nodes = [
		{ id: 'x', name: 'Photo to base64', type: 'n8n-nodes-base.extractFromFile', typeVersion: 1, position: [200, 0], parameters: { operation: 'binaryToPropery', binaryPropertyName: 'data', destinationKey: 'photo', options: {} } },
		http('s', 'Submit', 400, { method: 'POST', url: `${baseUrl}/v2/face-to-sticker`, ...auth, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify({ image: $json.photo, prompt: "a person", width: 256, height: 256 }) }}', options: {} }),
		{ id: 'w', name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [600, 0], webhookId: crypto.randomUUID(), parameters: { amount: 3, unit: 'seconds' } },
		http('c', 'Status', 800, { method: 'GET', url: '={{ $("Submit").first().json.status_url }}', ...auth, options: {} }),
		{ id: 'i', name: 'Completed?', type: 'n8n-nodes-base.if', typeVersion: 1, position: [1000, 0], parameters: { conditions: { string: [{ value1: '={{ $json.status }}', value2: 'COMPLETED' }] } } },
		http('g', 'Result', 1200, { method: 'GET', url: '={{ $("Submit").first().json.response_url }}', ...auth, options: {} }),
		http('d', 'Download', 1300, { method: 'GET', url: '={{ $json.output }}', options: { response: { response: { responseFormat: 'file' } } } }),
	];
	const workflow = webhookWorkflow(`bench9${load.name}`, `bench9-${load.name}`, nodes);
	workflow.connections['Completed?'] = { main: [[{ node: 'Result', type: 'main', index: 0 }], [{ node: 'Wait', type: 'main', index: 0 }]] };
	workflow.connections.Status = { main: [[{ node: 'Completed?', type: 'main', index: 0 }]] };
	return workflow;
}

/** Runs the four loads at once; returns the section's rows: | case | measured | target | |. */
async function realPaceRows(say = () => {}) {
	const emulators = {};
	for (const [index, load] of LOADS.entries()) {
		emulators[load.name] = await new SegmindEmulator({
			simplePictures: true,
			latencyMs: 65_000,
			latencyJitterMs: 15_000,
			latencySeed: SEED + index,
			rateLimitPerMinute: PLAN.perMinute,
			concurrentLimit: PLAN.concurrent,
			rateLimitCounts: load.counts,
		}).start();
	}
	const n8n = new N8nInstance(2, { name: 'bench-pace' });
	const credentials = [];
	const workflows = [];
	for (const load of LOADS) {
		const emulator = emulators[load.name];
		const id = `bench9cred${load.name}`.slice(0, 16);
		if (load.tool === 'ours') {
			credentials.push({ id, name: id, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, requestsPerMinute: PLAN.perMinute, maxConcurrentJobs: PLAN.concurrent, requestsCounted: load.counts } });
			workflows.push(oursWorkflow(load, id));
		} else {
			credentials.push({ id, name: id, type: 'httpHeaderAuth', data: { name: 'x-api-key', value: emulator.apiKey } });
			workflows.push(httpWorkflow(load, emulator.baseUrl, id));
		}
	}
	await n8n.importCredentials(credentials);
	await n8n.importWorkflows(workflows);
	const server = new N8nServer(n8n);
	const rows = [];
	try {
		await server.start();
		for (const load of LOADS) await server.activateWebhook(`bench9${load.name}`, `bench9-${load.name}`);
		for (const emulator of Object.values(emulators)) emulator.reset();
		const results = await Promise.all(
			LOADS.map(async (load, index) => {
				const faces = paceFaces(20, index * 53);
				const answers = await webhookClients(server.port, `bench9-${load.name}`, faces);
				say(`9: ${load.name} done`);
				return analyseQueueLoad(emulators[load.name], faces, answers, { ...PLAN, countsOnlyWork: load.counts === 'work' });
			}),
		);
		for (const [index, load] of LOADS.entries()) {
			const r = results[index];
			const world = load.counts === 'all' ? 'emulator counting every request' : 'emulator counting only submits';
			const factor = load.counts === 'all' ? 1.2 : 1.15;
			const head = `9. 20 webhook clients, 65 ± 15 s per job (mean ${r.meanLatency.toFixed(1)} s), ${world}, 10/min and 4 at once: ${load.label}`;
			const overall = `${r.own}/20 own stickers, ${r.rateLimited} × 429, p95 per client ${r.p95.toFixed(0)} s (p50 ${r.p50.toFixed(0)} s); all: ${describeGroup(r.all)}`;
			const target = `p95 ≤ ${factor} × ${r.limit.toFixed(0)} s = ${(factor * r.limit).toFixed(0)} s${load.counts === 'all' ? '; ≤ 3.3 requests/sticker after the first sticker' : ''}`;
			const met = r.own === 20 && r.rateLimited === 0 && r.p95 <= factor * r.limit && (load.counts !== 'all' || r.afterLearning.requestsPerSticker <= 3.3);
			rows.push([head, overall, target, load.tool === 'ours' ? (met ? 'met' : 'missed') : 'reference']);
			if (load.tool === 'ours') {
				rows.push([`9. … the same, jobs submitted before the account's first sticker came back (before learning)`, describeGroup(r.beforeLearning), '', '']);
				rows.push([`9. … the same, jobs submitted after it (after learning)`, describeGroup(r.afterLearning), 'detection delay median ≤ 2 s, p95 ≤ 6 s (issue 16 target)', r.afterLearning.delayMedian <= 2 && r.afterLearning.delayP95 <= 6 ? 'met' : 'missed']);
			}
		}
	} finally {
		await server.stop();
		for (const emulator of Object.values(emulators)) await emulator.stop();
	}
	return rows;
}

module.exports = { realPaceRows };
