'use strict';
// n8n's queue mode, where n8n users go when one process is not enough: `n8n start` (main, serving the webhook)
// and two `n8n worker` processes over PostgreSQL and Redis, started by this test (installed with apt-get when
// missing), binary data in database mode, the package installed in each process's ~/.n8n/nodes. Each worker is
// its own process with its own account limits, so the credential carries the plan's limits divided by two.

const crypto = require('crypto');

const { QueueServices, N8nQueueCluster } = require('./queue-mode');
const { VERSIONS } = require('./n8n-harness');
const { buildWorkflows, CREDENTIALS } = require('./workflows');
const { SegmindEmulator } = require('../emulator/segmind-emulator');
const { encodeBlockJpeg } = require('../emulator/jpeg');
const { expectNoSecrets } = require('../helpers/secrets');

const PLAN = { requestsPerMinute: 30, concurrentJobs: 4 };
const WORKERS = 2;
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
const face = (i) => encodeBlockJpeg(32, 32, (x, y) => [(i * 53) % 256, (i * 29 + y) % 256, (x * 7 + i) % 256]);
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

describe(`n8n ${VERSIONS[2].version} queue mode: main + ${WORKERS} workers over PostgreSQL and Redis, binary data in the database`, () => {
	let emulator;
	let services;
	let cluster;
	const captured = [];

	const post = async (body, timeoutMs = 240_000) => {
		const sentAt = Date.now();
		try {
			const answer = await fetch(`http://127.0.0.1:${cluster.server.port}/webhook/sticker-limited`, {
				method: 'POST',
				headers: { 'content-type': 'image/jpeg' },
				body,
				signal: AbortSignal.timeout(timeoutMs),
			});
			return { status: answer.status, bytes: Buffer.from(await answer.arrayBuffer()), seconds: (Date.now() - sentAt) / 1000 };
		} catch (error) {
			return { status: error.name === 'TimeoutError' ? 'no answer' : error.message, bytes: Buffer.alloc(0), seconds: (Date.now() - sentAt) / 1000 };
		}
	};
	const billedByPhoto = () => {
		const counts = new Map();
		for (const r of emulator.requests) if (r.kind === 'direct' && r.billed) counts.set(r.photo, (counts.get(r.photo) ?? 0) + 1);
		return counts;
	};

	beforeAll(async () => {
		emulator = await new SegmindEmulator({ simplePictures: true, latencyMs: 3_000, rateLimitPerMinute: PLAN.requestsPerMinute, concurrentLimit: PLAN.concurrentJobs }).start();
		services = await new QueueServices().start();
		cluster = new N8nQueueCluster(2, services, WORKERS);
		const perWorker = { requestsPerMinute: PLAN.requestsPerMinute / WORKERS, maxConcurrentJobs: PLAN.concurrentJobs / WORKERS };
		await cluster.importCredentials([{ ...CREDENTIALS.limited, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, ...perWorker } }]);
		const workflows = buildWorkflows('', emulator.origins.images);
		await cluster.importWorkflows([workflows.webhookLimited]);
		await cluster.start();
		await cluster.server.activateWebhook('e2eHookLimited', 'sticker-limited');
		emulator.reset();
	}, 600_000);

	afterAll(async () => {
		if (cluster) await cluster.stop();
		if (services) await services.stop();
		if (emulator) await emulator.stop();
	});

	test(`40 webhook clients with the credential at the plan / ${WORKERS} (15 per minute, 2 at once): 40 own stickers, zero 429, both workers ran executions`, async () => {
		const faces = Array.from({ length: 40 }, (_, i) => face(i));
		const started = Date.now();
		const answers = await Promise.all(faces.map((photo) => post(photo)));
		const billed = emulator.requests.filter((r) => r.kind === 'direct' && r.billed);
		const mismatches = answers.flatMap((answer, i) => {
			const made = billed.filter((r) => r.photo === sha256(faces[i]));
			return answer.status === 200 && made.length === 1 && answer.bytes.equals(emulator.outputs.get(made[0].requestId))
				? []
				: [`client ${i}: ${answer.status}, ${made.length} billed generations`];
		});
		const perWorker = cluster.workers.map((worker) => worker.startedExecutions().length);
		const times = answers.map((a) => a.seconds);
		console.log(
			`[queue mode] 40 webhook clients, ${WORKERS} workers at ${PLAN.requestsPerMinute / WORKERS}/min and ${PLAN.concurrentJobs / WORKERS} each: ` +
				`${answers.filter((a) => a.status === 200).length}/40 stickers, ${emulator.summary().rateLimited} x 429, executions per worker ${perWorker.join(' + ')}, ` +
				`p50 ${percentile(times, 50).toFixed(1)} s, p95 ${percentile(times, 95).toFixed(1)} s, wall ${((Date.now() - started) / 1000).toFixed(1)} s`,
		);
		expect(mismatches).toEqual([]);
		expect(billed).toHaveLength(40);
		expect(emulator.summary().rateLimited).toBe(0);
		expect(perWorker.every((count) => count > 0)).toBe(true);
		expect(perWorker.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(40);
	}, 600_000);

	test('SIGKILL of a worker while its jobs run: what clients and the executions list show; no photo billed twice; the other worker\'s executions all finish', async () => {
		const faces = Array.from({ length: 16 }, (_, i) => face(100 + i));
		const before = cluster.workers.map((worker) => new Set(worker.startedExecutions()));
		const loadStartedAt = Date.now();
		const calls = faces.map((photo) => post(photo, 120_000));
		// Kill the worker that has started the most of these executions, once a few generations are under way.
		const deadline = Date.now() + 60_000;
		while (emulator.requests.filter((r) => r.kind === 'direct' && faces.some((f) => r.photo === sha256(f))).length < 4 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const fresh = () => cluster.workers.map((worker, i) => worker.startedExecutions().filter((id) => !before[i].has(id)));
		const started = fresh();
		const victim = started[0].length >= started[1].length ? 0 : 1;
		const survivor = 1 - victim;
		cluster.workers[victim].kill('SIGKILL');
		const killedAt = Date.now();
		const answers = await Promise.all(calls);
		const after = fresh();

		const statuses = answers.reduce((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
		const executions = async (ids) =>
			await Promise.all(
				ids.map(async (id) => {
					const answer = await cluster.server.rest('GET', `/rest/executions/${id}`);
					captured.push(JSON.stringify(answer.body));
					const data = answer.body.data ?? answer.body;
					return data && data.status ? data.status : `HTTP ${answer.status}`;
				}),
			);
		const count = (list) => list.reduce((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
		const victimStatuses = await executions(after[victim]);
		const survivorStatuses = await executions(after[survivor]);
		const twice = [...billedByPhoto()].filter(([, n]) => n > 1);
		console.log(
			`[queue mode] SIGKILL of worker ${victim + 1} ${((killedAt - loadStartedAt) / 1000).toFixed(1)} s into a load of ${faces.length} photos ` +
				`(it had started ${started[victim].length} of them, the other ${started[survivor].length}): clients got ${JSON.stringify(statuses)}; ` +
				`executions of the killed worker: ${JSON.stringify(count(victimStatuses))}; of the surviving worker (${after[survivor].length}): ${JSON.stringify(count(survivorStatuses))}; ` +
				`billed generations ${emulator.summary().billedDirect}, photos billed twice: ${twice.length}`,
		);
		expect(started[victim].length).toBeGreaterThan(0);
		expect(twice).toEqual([]);
		expect(survivorStatuses.every((status) => status === 'success')).toBe(true);
		// Every client whose execution ran on the surviving worker got its own sticker.
		expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(after[survivor].length);
	}, 600_000);

	test('the test key appears in no REST answer of this suite nor in any process log', () => {
		expectNoSecrets([...captured, ...cluster.workers.map((w) => w.log())], [emulator.apiKey]);
	});
});
