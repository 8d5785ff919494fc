'use strict';
// Segmind at its real pace, through `n8n start` (n8n 2.x): 20 webhook clients at once, each photo its own
// execution, the emulator at 65 ± 15 s per job, 10 requests per minute and 4 jobs at once, the credential set
// to the same. Two loads run at the same time, on two emulators with two credentials: one whose plan counts
// every request, one whose plan counts only submits (and the credential says so). About 9 minutes.
//   PACE_SEED=<n> replays other latencies (the seed is printed).

const { N8nInstance, N8nServer, VERSIONS } = require('./n8n-harness');
const { webhookWorkflow } = require('./workflows');
const { analyseQueueLoad, describeGroup, paceFaces, webhookClients } = require('./pace-load');
const { SegmindEmulator } = require('../emulator/segmind-emulator');

const CLIENTS = 20;
const PLAN = { perMinute: 10, concurrent: 4 };
const SEED = Number(process.env.PACE_SEED || 16);
const LOADS = {
	all: { credential: { id: 'paceCountAll1', name: 'Segmind (plan counts every request)' }, path: 'pace-all', countsOnlyWork: false, salt: 0 },
	work: { credential: { id: 'paceCountWork', name: 'Segmind (plan counts submits only)' }, path: 'pace-work', countsOnlyWork: true, salt: 101 },
};

describe(`${VERSIONS[2].label}: Segmind's real pace, ${CLIENTS} webhook clients per load, 65 ± 15 s per job, ${PLAN.perMinute}/min and ${PLAN.concurrent} at once (latency seed ${SEED})`, () => {
	const emulators = {};
	const results = {};
	let server;

	beforeAll(async () => {
		process.stdout.write(`real-pace latency seed: ${SEED} (replay with PACE_SEED=${SEED})\n`);
		for (const [name, load] of Object.entries(LOADS)) {
			emulators[name] = await new SegmindEmulator({
				simplePictures: true,
				latencyMs: 65_000,
				latencyJitterMs: 15_000,
				latencySeed: SEED + load.salt,
				rateLimitPerMinute: PLAN.perMinute,
				concurrentLimit: PLAN.concurrent,
				rateLimitCounts: load.countsOnlyWork ? 'work' : 'all',
			}).start();
		}
		const n8n = new N8nInstance(2, { name: 'pace' });
		await n8n.importCredentials(
			Object.entries(LOADS).map(([name, load]) => ({
				...load.credential,
				type: 'segmindApi',
				data: {
					apiKey: emulators[name].apiKey,
					baseUrl: emulators[name].baseUrl,
					requestsPerMinute: PLAN.perMinute,
					maxConcurrentJobs: PLAN.concurrent,
					requestsCounted: load.countsOnlyWork ? 'work' : 'all',
				},
			})),
		);
		await n8n.importWorkflows(Object.entries(LOADS).map(([name, load]) => webhookWorkflow(`e2ePace${name}`, load.path, load.credential, { mode: 'queue', pollInterval: 3 })));
		server = new N8nServer(n8n);
		await server.start();
		for (const [name, load] of Object.entries(LOADS)) await server.activateWebhook(`e2ePace${name}`, load.path);
		for (const emulator of Object.values(emulators)) emulator.reset();

		// Both loads at once: they wait far more than they compute.
		await Promise.all(
			Object.entries(LOADS).map(async ([name, load]) => {
				const faces = paceFaces(CLIENTS, load.salt);
				const answers = await webhookClients(server.port, load.path, faces);
				results[name] = analyseQueueLoad(emulators[name], faces, answers, { ...PLAN, countsOnlyWork: load.countsOnlyWork });
			}),
		);
		for (const [name, r] of Object.entries(results)) {
			const factor = name === 'all' ? 1.2 : 1.15;
			process.stdout.write(
				[
					`[real pace, plan counts ${name === 'all' ? 'every request' : 'submits only'}] ${r.own}/${CLIENTS} own stickers, ${r.billed} billed, ${r.rateLimited} x 429, mean job ${r.meanLatency.toFixed(1)} s`,
					`  p50 ${r.p50.toFixed(1)} s, p95 per client ${r.p95.toFixed(1)} s; limit ${r.limit.toFixed(1)} s, x ${factor} = ${(r.limit * factor).toFixed(1)} s (p95 / limit = ${(r.p95 / r.limit).toFixed(2)})`,
					`  all        ${describeGroup(r.all)}`,
					`  submitted before the first sticker was back: ${describeGroup(r.beforeLearning)}`,
					`  submitted after it:                          ${describeGroup(r.afterLearning)}`,
				].join('\n') + '\n',
			);
		}
	}, 1_080_000);

	afterAll(async () => {
		if (server) await server.stop();
		for (const emulator of Object.values(emulators)) await emulator.stop();
	});

	test.each(Object.keys(LOADS))('plan counting %s: every client gets the sticker of its own photo, one billed job each, zero 429', (name) => {
		const r = results[name];
		expect(r.clients.map((c, i) => (c.own ? 'ok' : `client ${i}: not its own sticker (${c.seconds.toFixed(1)} s)`)).filter((s) => s !== 'ok')).toEqual([]);
		expect(r.billed).toBe(CLIENTS);
		expect(r.rateLimited).toBe(0);
	});

	test('plan counting every request: at most 3.3 requests per sticker for the jobs submitted after the account\'s first sticker came back', () => {
		const later = results.all.afterLearning;
		expect(later.jobs).toBeGreaterThanOrEqual(CLIENTS / 2);
		expect(later.requestsPerSticker).toBeLessThanOrEqual(3.3);
	});

	test('plan counting every request: p95 per client within 1.2 x max(ceil(N/C) L, (3N - 1) 61 s / RPM + L)', () => {
		expect(results.all.p95).toBeLessThanOrEqual(1.2 * results.all.limit);
	});

	test('plan counting submits only, the credential told so: p95 per client within 1.15 x max(ceil(N/C) L, (N - 1) 61 s / RPM + L)', () => {
		expect(results.work.p95).toBeLessThanOrEqual(1.15 * results.work.limit);
	});
});
