'use strict';
// Bench section 11: a sticker pack at Segmind's real pace (65 ± 15 s per job, a 10-per-minute plan counting every
// request, 4 jobs at once, the credential told so). Four runs at the same time, each on its own emulator, each
// one `n8n execute`: Create Sticker Pack with 8 and with 30 expressions, and the same stickers as 8 and 30
// separate Create Sticker items (Telegram Sticker format, one seed, Concurrency 4). Rows for bench.js.

const fs = require('fs');
const path = require('path');

const { N8nInstance } = require('../test/e2e/n8n-harness');
const { SegmindEmulator } = require('../test/emulator/segmind-emulator');
const { code, sticker, chain } = require('../test/e2e/workflows');

// BENCH_PACK_JOB_SECONDS shortens the jobs for a quick look at the bench itself; the rows need 65.
const PLAN = { perMinute: 10, concurrent: 4, jobSeconds: Number(process.env.BENCH_PACK_JOB_SECONDS || 65) };
const RUN_NAMES = (process.env.BENCH_PACK_RUNS || '').split(',').filter(Boolean);
const FACE = fs.readFileSync(path.join(__dirname, '..', 'examples', 'face.png'));
const MOODS = ['happy', 'laughing', 'in love', 'surprised', 'sad', 'angry', 'cool', 'sleepy', 'winking', 'thinking'];
const EMOJI = ['😄', '😂', '😍', '😮', '😢', '😠', '😎', '😴', '😉', '🤔'];

const expressions = (count) => Array.from({ length: count }, (_, i) => ({ expression: `${MOODS[i % MOODS.length]} ${Math.floor(i / MOODS.length) + 1}`, emoji: EMOJI[i % EMOJI.length] }));

/** A Code node with `count` items, each the face photo (and, for separate items, its expression). */
function faces(count) {
	return code(
		'Faces',
		`const face = Buffer.from(${JSON.stringify(FACE.toString('base64'))}, 'base64');
const list = ${JSON.stringify(expressions(count))};
const out = [];
for (const json of list.slice(0, ${count})) out.push({ json, binary: { data: await this.helpers.prepareBinaryData(face, 'face.png', 'image/png') } });
return out;`,
		200,
	);
}

const ALL_RUNS = [
	{ name: 'pack8', count: 8, pack: true },
	{ name: 'pack30', count: 30, pack: true },
	{ name: 'items8', count: 8, pack: false },
	{ name: 'items30', count: 30, pack: false },
	// The same pack where the plan counts only the requests that start work (the credential told so): the waves show.
	{ name: 'pack8work', count: 8, pack: true, counts: 'work' },
];

function workflowFor(run, credentialId) {
	const credential = { id: credentialId, name: credentialId };
	const options = { concurrency: PLAN.concurrent, pollInterval: 3, maxWaitTime: 7200 };
	const common = { prompt: 'a person', width: 512, height: 512, modelSettings: { seed: 42 }, options };
	if (run.pack) {
		const node = sticker({ ...common, operation: 'createPack', packFor: 'telegram', packTitle: 'Bench', botUsername: 'bench_sticker_bot', expressions: { expression: expressions(run.count) } }, { credential });
		return chain(`bench11${run.name}`, [faces(1), node]);
	}
	const node = sticker({ ...common, prompt: '=a person, {{ $json.expression }}', stickerFormat: 'telegram' }, { credential });
	return chain(`bench11${run.name}`, [faces(run.count), node]);
}

async function packRows(say = () => {}) {
	const RUNS = ALL_RUNS.filter((run) => RUN_NAMES.length === 0 || RUN_NAMES.includes(run.name));
	// One n8n user folder per run: four `n8n execute` processes on one SQLite database stopped two runs early.
	const instances = {};
	const emulators = {};
	const credentials = [];
	for (const [index, run] of RUNS.entries()) {
		const emulator = await new SegmindEmulator({
			latencyMs: PLAN.jobSeconds * 1000,
			latencyJitterMs: Math.round(PLAN.jobSeconds * 1000 * 15 / 65),
			latencySeed: 110 + index,
			rateLimitPerMinute: PLAN.perMinute,
			concurrentLimit: PLAN.concurrent,
			rateLimitCounts: run.counts ?? 'all',
			bgLatencyMs: 620,
		}).start();
		emulators[run.name] = emulator;
		const id = `bench11${run.name}`.slice(0, 16);
		credentials.push({ id, name: id, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, requestsPerMinute: PLAN.perMinute, maxConcurrentJobs: PLAN.concurrent, requestsCounted: run.counts ?? 'all' } });
		instances[run.name] = new N8nInstance(2, { name: `bench-${run.name}` });
		await instances[run.name].importCredentials([credentials[index]]);
		await instances[run.name].importWorkflows([workflowFor(run, id)]);
	}
	const rows = [];
	try {
		const results = await Promise.all(
			RUNS.map(async (run) => {
				const started = Date.now();
				const result = await instances[run.name].execute(`bench11${run.name}`, {}, { timeoutMs: 3 * 3600_000 });
				const seconds = (Date.now() - started) / 1000;
				say(`11: ${run.name} done in ${seconds.toFixed(0)} s`);
				const emulator = emulators[run.name];
				const resultData = result.runData?.data.resultData;
				const output = resultData?.runData['Face to Sticker']?.[0]?.data?.main?.[0] ?? [];
				const failure = resultData?.error ? `${resultData.error.message} ${resultData.error.description ?? ''}` : result.runData ? '' : result.log.slice(-1500);
				if (failure) say(`11: ${run.name} failed: ${failure}`);
				const made = run.pack ? output.length : output.filter((item) => item.json && item.json.stickerFormat === 'telegram').length;
				const summary = emulator.summary();
				const jobs = [...emulator.jobs.values()];
				const meanJob = jobs.length ? jobs.reduce((sum, job) => sum + job.latencyMs, 0) / jobs.length / 1000 : NaN;
				return { run, seconds, made, summary, meanJob };
			}),
		);
		for (const { run, seconds, made, summary, meanJob } of results) {
			const waves = Math.ceil(run.count / PLAN.concurrent);
			const ideal = waves * PLAN.jobSeconds;
			// At 10 requests a minute counting every request, the plan itself bounds the pace: a sticker needs at
			// least a submit, a status check, the result and a background removal, spaced 61 s / 10 apart.
			const rateBound = Math.round((run.count * (run.counts === 'work' ? 2 : 4) - 1) * (61 / PLAN.perMinute) + PLAN.jobSeconds);
			const separate = results.find((r) => !r.run.pack && r.run.count === run.count && !run.counts) ?? { seconds: NaN };
			const what = run.pack ? `Create Sticker Pack of ${run.count} (Telegram)` : `${run.count} separate Create Sticker items (Telegram Sticker format)`;
			const counting = run.counts === 'work' ? 'counting only submits and background removals' : 'counting all';
			const versus = run.pack && Number.isFinite(separate.seconds) ? `; ${(seconds / separate.seconds).toFixed(2)} × the ${run.count} separate items' ${separate.seconds.toFixed(0)} s` : '';
			rows.push([
				`11. ${what}, 65 ± 15 s per job (mean ${Number.isFinite(meanJob) ? meanJob.toFixed(1) : '?'} s), 10 requests/min ${counting}, 4 jobs at once`,
				`${made}/${run.count} stickers in ${seconds.toFixed(0)} s = ${(seconds / ideal).toFixed(2)} × ceil(${run.count}/4) × 65 s = ${ideal} s (the plan's 10/min alone needs ≥ ${rateBound} s)${versus}; ${(summary.requests / Math.max(1, made)).toFixed(2)} requests per sticker (${summary.requests} in all, ${summary.rateLimited} × 429)`,
				run.pack ? 'about ceil(N / 4) waves, not N' : 'reference',
				run.pack ? (made === run.count && summary.rateLimited === 0 ? 'measured' : 'missed') : 'reference',
			]);
		}
	} finally {
		for (const emulator of Object.values(emulators)) await emulator.stop();
	}
	return rows;
}

module.exports = { packRows };

if (require.main === module) {
	packRows((line) => console.log(line)).then((rows) => {
		for (const row of rows) console.log(`| ${row.join(' | ')} |`);
	});
}
