import nock from 'nock';

import { AccountRegistry, accounts } from '../../nodes/FaceToSticker/transport/account';
import { BASE_URL, binaryItem, runNode, TEST_KEY } from '../helpers/fakeContext';
import { jpeg } from '../helpers/images';

const STICKER = jpeg(32, 32, [1, 2, 3]);
const FACE = jpeg(16, 16);
const never = () => false;
const far = () => Date.now() + 30_000;

/** Two executions' items in direct mode, each request answered after `delayMs`; returns when each was in flight. */
function mockDirect(count: number, delayMs: number, base = BASE_URL) {
	const spans: Array<{ start: number; end: number }> = [];
	nock(base)
		.post('/v1/face-to-sticker')
		.times(count)
		.delay(delayMs)
		.reply(() => {
			spans.push({ start: Date.now(), end: Date.now() + delayMs });
			return [200, STICKER, { 'content-type': 'image/jpeg' }];
		});
	return spans;
}

const peakOverlap = (spans: Array<{ start: number; end: number }>) =>
	Math.max(...spans.map((a) => spans.filter((b) => b.start <= a.start && b.end > a.start).length));

function items(count: number) {
	return Array.from({ length: count }, () => binaryItem(FACE));
}

describe('one Segmind account shared by every execution of the process (the credential\'s plan limits)', () => {
	test('two executions together never run more generations at once than the credential\'s Concurrent Jobs', async () => {
		const spans = mockDirect(8, 300);
		const credentials = { apiKey: TEST_KEY, baseUrl: BASE_URL, maxConcurrentJobs: 2 };
		const run = () => runNode({ items: items(4), parameters: { options: { mode: 'direct', concurrency: 4 } }, credentials });
		const [a, b] = await Promise.all([run(), run()]);
		expect([a.output.length, b.output.length]).toEqual([4, 4]);
		expect(spans).toHaveLength(8);
		expect(peakOverlap(spans)).toBe(2);
	});

	test('two executions together keep the credential\'s Requests per Minute: requests are spaced 61 s / limit apart', async () => {
		const spans = mockDirect(6, 0);
		const credentials = { apiKey: TEST_KEY, baseUrl: BASE_URL, requestsPerMinute: 300 };
		const run = () => runNode({ items: items(3), parameters: { options: { mode: 'direct', concurrency: 3 } }, credentials });
		await Promise.all([run(), run()]);
		const starts = spans.map((s) => s.start).sort((x, y) => x - y);
		const gaps = starts.slice(1).map((t, i) => t - starts[i]);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(61_000 / 300 - 5);
	});

	test('a 429 seen by one execution holds the other one until Segmind\'s reset time', async () => {
		const resetAt = Date.now() + 1_000;
		const starts: number[] = [];
		nock(BASE_URL)
			.post('/v1/face-to-sticker')
			.reply(429, { error: 'rate_limit_exceeded' }, { 'x-rate-limit-reset-at-utc': new Date(resetAt).toISOString() });
		nock(BASE_URL)
			.post('/v1/face-to-sticker')
			.times(2)
			.reply(() => {
				starts.push(Date.now());
				return [200, STICKER, { 'content-type': 'image/jpeg' }];
			});
		const credentials = { apiKey: TEST_KEY, baseUrl: BASE_URL };
		const first = runNode({ items: items(1), parameters: { options: { mode: 'direct' } }, credentials });
		await new Promise((resolve) => setTimeout(resolve, 200));
		const second = runNode({ items: items(1), parameters: { options: { mode: 'direct' } }, credentials });
		await Promise.all([first, second]);
		expect(starts).toHaveLength(2);
		expect(Math.min(...starts)).toBeGreaterThanOrEqual(resetAt - 5);
	});

	test('a different key, or the same key on another origin, is not held back by the first account', async () => {
		const registry = new AccountRegistry();
		const busy = registry.join('https://api.segmind.test key-a', { requestsPerMinute: 1, maxConcurrentJobs: 1 }, 'x');
		expect(await busy.acquireRequest('x', far(), never)).toBe(true);
		expect(await busy.acquireJob('x', far(), never)).toBe(true);
		// The first account now has no request for 61 s and no free generation slot.
		expect(await busy.acquireRequest('x', Date.now() + 200, never)).toBe(false);
		for (const other of ['https://api.segmind.test key-b', 'https://proxy.test key-a']) {
			const account = registry.join(other, { requestsPerMinute: 1, maxConcurrentJobs: 1 }, 'y');
			const started = Date.now();
			expect(await account.acquireRequest('y', far(), never)).toBe(true);
			expect(await account.acquireJob('y', far(), never)).toBe(true);
			expect(Date.now() - started).toBeLessThan(50);
		}
	});

	test('executions are served in turn: a one-photo execution arriving behind a batch gets the very next slot, not the batch\'s tenth', async () => {
		const registry = new AccountRegistry();
		const account = registry.join('origin key', { requestsPerMinute: 600, maxConcurrentJobs: 0 }, 'batch');
		registry.join('origin key', { requestsPerMinute: 600, maxConcurrentJobs: 0 }, 'webhook');
		const served: string[] = [];
		const take = async (execution: string) => {
			if (await account.acquireRequest(execution, far(), never)) served.push(execution);
		};
		const batch = Array.from({ length: 10 }, () => take('batch'));
		await new Promise((resolve) => setTimeout(resolve, 30));
		const webhook = take('webhook');
		await Promise.all([...batch, webhook]);
		expect(served).toHaveLength(11);
		// The batch's first request went at once; the webhook, never served yet, takes the very next one.
		expect(served.indexOf('webhook')).toBe(1);
	});

	test('a stopped execution leaves the line at once, and the next one is served without waiting for it', async () => {
		const registry = new AccountRegistry();
		const account = registry.join('origin key', { requestsPerMinute: 0, maxConcurrentJobs: 1 }, 'a');
		expect(await account.acquireJob('a', far(), never)).toBe(true);
		let stopped = false;
		const cancelled = account.acquireJob('a', far(), () => stopped);
		const waiting = account.acquireJob('b', far(), never);
		stopped = true;
		expect(await cancelled).toBe(false);
		account.releaseJob();
		const started = Date.now();
		expect(await waiting).toBe(true);
		expect(Date.now() - started).toBeLessThan(300);
	});

	test('the registry is empty again once every execution has ended and its spacing has run out', async () => {
		mockDirect(4, 50);
		const credentials = { apiKey: TEST_KEY, baseUrl: BASE_URL, requestsPerMinute: 1200, maxConcurrentJobs: 2 };
		const run = () => runNode({ items: items(2), parameters: { options: { mode: 'direct', concurrency: 2 } }, credentials });
		const during = Promise.all([run(), run()]);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(accounts.size).toBe(1);
		await during;
		await new Promise((resolve) => setTimeout(resolve, 61_000 / 1200 + 20));
		expect(accounts.size).toBe(0);
	});

	test('without plan limits the account holds nothing after the run, and adds no wait', async () => {
		const spans = mockDirect(3, 0);
		const started = Date.now();
		await runNode({ items: items(3), parameters: { options: { mode: 'direct', concurrency: 3 } } });
		expect(spans).toHaveLength(3);
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(accounts.size).toBe(0);
	});

	test('a queue job gives its Concurrent Jobs slot back once Segmind reports it done: the next job is submitted while the result still downloads', async () => {
		const events: Array<{ what: string; at: number }> = [];
		let jobs = 0;
		const api = nock(BASE_URL).persist();
		api.post('/v2/face-to-sticker').reply(() => {
			const id = `slot${jobs++}`;
			events.push({ what: `submit ${id}`, at: Date.now() });
			return [200, { request_id: id, status: 'QUEUED', status_url: `${BASE_URL}/v2/requests/${id}/status`, response_url: `${BASE_URL}/v2/requests/${id}` }];
		});
		api.get(/\/status$/).reply(200, { status: 'COMPLETED' });
		api.get(/^\/v2\/requests\/[^/]+$/).delay(400).reply((uri) => {
			// nock runs this as the request arrives; the answer leaves 400 ms later.
			events.push({ what: `result ${uri.split('/')[3]} answered`, at: Date.now() + 400 });
			return [200, { status: 'COMPLETED', output: `https://images.segmind.test/outputs/${uri.split('/')[3]}.jpg` }];
		});
		nock('https://images.segmind.test').persist().get(/^\/outputs\//).reply(200, STICKER, { 'content-type': 'image/jpeg' });
		const credentials = { apiKey: TEST_KEY, baseUrl: BASE_URL, maxConcurrentJobs: 1 };
		const { output } = await runNode({ items: items(2), parameters: { options: { pollInterval: 0.1, concurrency: 2 } }, credentials });
		expect(output).toHaveLength(2);
		const at = (what: string) => events.find((e) => e.what === what)!.at;
		expect(at('submit slot1')).toBeLessThan(at('result slot0 answered'));
	});

	test('the account is named by a SHA-256 of the key: the key itself is kept nowhere in the registry', async () => {
		mockDirect(1, 200);
		const credentials = { apiKey: TEST_KEY, baseUrl: BASE_URL, maxConcurrentJobs: 1 };
		const run = runNode({ items: items(1), parameters: { options: { mode: 'direct' } }, credentials });
		await new Promise((resolve) => setTimeout(resolve, 50));
		const state = JSON.stringify([...(accounts as unknown as { accounts: Map<string, unknown> }).accounts.keys()]);
		await run;
		expect(state).toContain('https://api.segmind.test ');
		expect(state).not.toContain(TEST_KEY);
	});
});
