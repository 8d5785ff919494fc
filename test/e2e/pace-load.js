'use strict';
// Webhook loads at Segmind's real pace, shared by the end-to-end test (real-pace.e2e.test.js) and the bench
// (scripts/bench-pace.js): many clients POST their photos at once, each waits for its sticker, and the emulator's
// record tells per job what it cost and how late its sticker left the node.

const crypto = require('crypto');
const http = require('http');

const { encodeBlockJpeg } = require('../emulator/jpeg');

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** `count` different small face photos (`salt` makes two loads' photos differ). */
function paceFaces(count, salt = 0) {
	return Array.from({ length: count }, (_, i) => encodeBlockJpeg(32, 32, (x, y) => [(i * 37 + salt) % 256, (i * 91 + x + salt) % 256, (y * 13 + i) % 256]));
}

/**
 * One client: POSTs the photo and waits for the whole answer. Plain http, not fetch: fetch gives up waiting
 * for response headers after 300 s, and a client here may wait longer.
 */
function postPhoto(port, path, face) {
	return new Promise((resolve) => {
		const sentAt = Date.now();
		const request = http.request({ host: '127.0.0.1', port, path: `/webhook/${path}`, method: 'POST', headers: { 'content-type': 'image/jpeg', 'content-length': face.length } }, (response) => {
			const chunks = [];
			response.on('data', (chunk) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode, bytes: Buffer.concat(chunks), sentAt, doneAt: Date.now() }));
			response.on('error', () => resolve({ status: 0, bytes: Buffer.alloc(0), sentAt, doneAt: Date.now() }));
		});
		request.on('error', () => resolve({ status: 0, bytes: Buffer.alloc(0), sentAt, doneAt: Date.now() }));
		request.end(face);
	});
}

/** Every face from its own client, all at once. */
async function webhookClients(port, path, faces) {
	return await Promise.all(faces.map((face) => postPhoto(port, path, face)));
}

const percentile = (values, p) => {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const mean = (values) => {
	const known = values.filter(Number.isFinite);
	return known.length ? known.reduce((a, b) => a + b, 0) / known.length : Number.NaN;
};

/**
 * What a load of queue-mode clients did, from the emulator's record: per client its job (found by its photo),
 * the job's requests (submit, status checks, result), and the detection delay: from the moment the job was done
 * on the emulator to the moment the client had its sticker. `perMinute` and `concurrent` are the plan's.
 */
function analyseQueueLoad(emulator, faces, answers, { perMinute, concurrent, countsOnlyWork }) {
	const requests = emulator.requests;
	const submits = requests.filter((r) => r.kind === 'submit' && r.accepted);
	const firstBackAt = Math.min(...answers.filter((a) => a.status === 200).map((a) => a.doneAt));
	const clients = answers.map((answer, i) => {
		const mine = submits.filter((r) => r.photo === sha256(faces[i]));
		const submit = mine[0];
		const sent = requests.filter((r) => r.kind === 'submit' && r.photo === sha256(faces[i])).length;
		const job = submit ? emulator.jobs.get(submit.requestId) : undefined;
		const own = Boolean(job) && mine.length === 1 && answer.status === 200 && answer.bytes.equals(emulator.outputs.get(job.id) || Buffer.alloc(0));
		const onJob = job ? requests.filter((r) => r.path.includes(`/requests/${job.id}`)) : [];
		const checks = onJob.filter((r) => r.kind === 'status').length;
		return {
			own,
			seconds: (answer.doneAt - answer.sentAt) / 1000,
			latency: job ? job.latencyMs / 1000 : Number.NaN,
			requests: sent + onJob.length,
			checks,
			delay: job ? (answer.doneAt - (job.createdAt + job.latencyMs)) / 1000 : Number.NaN,
			afterFirst: Boolean(submit) && submit.at > firstBackAt,
		};
	});
	const N = faces.length;
	const L = mean(clients.map((c) => c.latency));
	const spacing = 61 / perMinute;
	const perSticker = countsOnlyWork ? 1 : 3;
	const limit = Math.max(Math.ceil(N / concurrent) * L, (N * perSticker - 1) * spacing + L);
	const later = clients.filter((c) => c.afterFirst);
	const earlier = clients.filter((c) => !c.afterFirst);
	// Per sticker: the clients that got theirs.
	const stats = (group) => {
		const done = group.filter((c) => c.own);
		return {
			jobs: done.length,
			requestsPerSticker: mean(done.map((c) => c.requests)),
			checksPerSticker: mean(done.map((c) => c.checks)),
			delayMedian: percentile(done.map((c) => c.delay), 50),
			delayP95: percentile(done.map((c) => c.delay), 95),
		};
	};
	return {
		clients,
		own: clients.filter((c) => c.own).length,
		billed: submits.length,
		rateLimited: emulator.summary().rateLimited,
		meanLatency: L,
		limit,
		p50: percentile(clients.map((c) => c.seconds), 50),
		p95: percentile(clients.map((c) => c.seconds), 95),
		all: stats(clients),
		beforeLearning: stats(earlier),
		afterLearning: stats(later),
	};
}

/** One line per group, for the test log and the bench. */
function describeGroup(group) {
	const f = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
	return `${group.jobs} jobs: ${f(group.requestsPerSticker)} requests/sticker, ${f(group.checksPerSticker)} status checks/sticker, detection delay median ${f(group.delayMedian, 1)} s, p95 ${f(group.delayP95, 1)} s`;
}

module.exports = { paceFaces, postPhoto, webhookClients, analyseQueueLoad, describeGroup, percentile, mean, sha256 };
