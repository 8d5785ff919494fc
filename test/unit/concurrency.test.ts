import nock from 'nock';

import { AccountRegistry } from '../../nodes/FaceToSticker/transport/account';
import { parseResetTime, RequestPacer } from '../../nodes/FaceToSticker/transport/pacer';
import { runConcurrently } from '../../nodes/FaceToSticker/helpers/concurrency';
import { BASE_URL, binaryItem, createContext, runNode, runNodeExpectingError } from '../helpers/fakeContext';
import { jpeg } from '../helpers/images';
import { FaceToSticker } from '../../nodes/FaceToSticker/FaceToSticker.node';

const FACE = jpeg(32, 32);
const sticker = (i: number) => jpeg(32, 32, [i * 20, 0, 0]);

describe('many items', () => {
	test('concurrency 3: five items run three at a time, outputs keep input order and pairing', async () => {
		let inFlight = 0;
		let peak = 0;
		nock(BASE_URL)
			.post('/v1/face-to-sticker')
			.times(5)
			.reply(async function (_uri, body) {
				inFlight++;
				peak = Math.max(peak, inFlight);
				const index = Number((body as { prompt: string }).prompt.split(' ')[1]);
				// Later items finish first, so the output order cannot come from completion order.
				await new Promise((resolve) => setTimeout(resolve, 300 - index * 50));
				inFlight--;
				return [200, sticker(index), { 'content-type': 'image/jpeg', 'x-request-id': `req-${index}` }];
			});
		const { output } = await runNode({
			items: [0, 1, 2, 3, 4].map(() => binaryItem(FACE)),
			parameters: { prompt: (i: number) => `item ${i}`, options: { mode: 'direct', concurrency: 3 } },
		});
		expect(peak).toBe(3);
		expect(output.map((o) => o.json.requestId)).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		output.forEach((o, i) => expect(Buffer.from(o.binary!.data.data, 'base64').equals(sticker(i))).toBe(true));
	});

	test('one item failing under continue-on-fail leaves the others and their pairing intact', async () => {
		nock(BASE_URL)
			.post('/v1/face-to-sticker')
			.times(3)
			.reply((_uri, body) => {
				const prompt = (body as { prompt: string }).prompt;
				return prompt === 'poor'
					? [406, 'Insufficient credits. Your balance is 0.02, this call needs 0.0866.', { 'content-type': 'text/plain' }]
					: [200, sticker(1), { 'content-type': 'image/jpeg' }];
			});
		const { output } = await runNode({
			items: [binaryItem(FACE), binaryItem(FACE), binaryItem(FACE)],
			parameters: { prompt: (i: number) => (i === 1 ? 'poor' : 'rich'), options: { mode: 'direct', concurrency: 3 } },
			continueOnFail: true,
		});
		expect(output[1]).toEqual({ json: { error: 'Not enough Segmind credits for this sticker' }, pairedItem: { item: 1 } });
		expect(output[0].binary && output[2].binary).toBeTruthy();
	});

	test('without continue-on-fail, a failing item stops the run and the error names that item', async () => {
		nock(BASE_URL).post('/v1/face-to-sticker').reply(200, FACE).post('/v1/face-to-sticker').reply(401, { error: 'Unauthorized' });
		const { error, sent } = await runNodeExpectingError({
			items: [binaryItem(FACE), binaryItem(FACE), binaryItem(FACE), binaryItem(FACE)],
			parameters: { options: { mode: 'direct', concurrency: 1 } },
		});
		expect(error.message).toBe('Segmind rejected the API key');
		expect(error.context.itemIndex).toBe(1);
		expect(sent).toHaveLength(2);
	});

	test('a 429 on one job pauses every job until the reset time, then all finish without failing', async () => {
		const resetAt = Date.now() + 800;
		let calls = 0;
		const seenAt: number[] = [];
		nock(BASE_URL)
			.post('/v1/face-to-sticker')
			.times(5)
			.reply(() => {
				calls++;
				seenAt.push(Date.now());
				if (calls === 1) return [429, { error: 'rate_limit_exceeded' }, { 'x-rate-limit-reset-at-utc': new Date(resetAt).toISOString() }];
				return [200, FACE, { 'content-type': 'image/jpeg' }];
			});
		const { output } = await runNode({
			items: [binaryItem(FACE), binaryItem(FACE), binaryItem(FACE), binaryItem(FACE)],
			parameters: { options: { mode: 'direct', concurrency: 1 } },
		});
		expect(output.every((o) => o.binary)).toBe(true);
		expect(seenAt.slice(1).every((t) => t >= resetAt - 5)).toBe(true);
	});

	test('the execution cancel signal stops submitting and polling at once', async () => {
		const api = nock(BASE_URL);
		api.post('/v2/face-to-sticker').reply(200, { request_id: 'job-1', status: 'QUEUED' });
		api.get('/v2/requests/job-1/status').times(1000).reply(200, { status: 'PROCESSING' });
		const { context, sent, abortController } = createContext({
			items: [binaryItem(FACE), binaryItem(FACE), binaryItem(FACE)],
			parameters: { options: { pollInterval: 0.1, concurrency: 1 } },
		});
		setTimeout(() => abortController.abort(), 500);
		const started = Date.now();
		await expect(new FaceToSticker().execute.call(context)).rejects.toThrow('The execution was cancelled');
		expect(Date.now() - started).toBeLessThan(1500);
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
		const polls = sent.length - 1;
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(sent.length - 1).toBe(polls);
	});
});

describe('request pacer', () => {
	test('never lets more than the per-minute cap through in any 60-second window', async () => {
		jest.useFakeTimers({ now: 1_000_000 });
		try {
			const pacer = new RequestPacer(3, () => false);
			const granted: number[] = [];
			const all = Promise.all(
				[0, 1, 2, 3, 4].map(async () => {
					await pacer.acquire(Date.now() + 600_000);
					granted.push(Date.now());
				}),
			);
			await jest.advanceTimersByTimeAsync(130_000);
			await all;
			expect(granted.slice(0, 3)).toEqual([1_000_000, 1_000_000, 1_000_000]);
			expect(granted[3]).toBeGreaterThanOrEqual(1_060_000);
			expect(granted[4]).toBeGreaterThanOrEqual(1_060_000);
			expect(granted[3]).toBeLessThanOrEqual(1_062_000);
			expect(pacer.stats.requests).toBe(5);
		} finally {
			jest.useRealTimers();
		}
	});

	test('refuses to wait past the deadline', async () => {
		const pacer = new RequestPacer(1, () => false);
		expect(await pacer.acquire(Date.now() + 1000)).toBe(true);
		expect(await pacer.acquire(Date.now() + 1000)).toBe(false);
	});

	test('after a 429 without a reset time the account backs off exponentially: 2 s, 4 s, 8 s, capped at 60 s', () => {
		const account = new AccountRegistry().join('origin key', { requestsPerMinute: 0, maxConcurrentJobs: 0 }, 'run');
		const waits = [1, 2, 3, 7].map(() => account.rateLimited(undefined));
		expect(waits[0]).toBeGreaterThan(1900);
		expect(waits[0]).toBeLessThanOrEqual(2000);
		expect(waits[1]).toBeGreaterThan(3900);
		expect(waits[3]).toBeLessThanOrEqual(60_000);
		// Any answer that is not a 429 ends the run of rate limits: the next back-off starts again at 2 s.
		account.accepted();
		expect((account as unknown as { consecutiveRateLimits: number }).consecutiveRateLimits).toBe(0);
	});

	test.each([
		['ISO date', '2026-11-24T10:00:05Z', Date.parse('2026-11-24T10:00:05Z')],
		['ISO date without zone (UTC)', '2026-11-24T10:00:05', Date.parse('2026-11-24T10:00:05Z')],
		['HTTP date', 'Tue, 24 Nov 2026 10:00:05 GMT', Date.parse('2026-11-24T10:00:05Z')],
		['Unix seconds', '1795514405', 1795514405000],
		['Unix milliseconds', '1795514405000', 1795514405000],
	])('reads x-rate-limit-reset-at-utc as %s', (_, header, expected) => {
		expect(parseResetTime(header, Date.parse('2026-11-24T10:00:00Z'))).toBe(expected);
	});

	test('ignores a reset header that is garbage or far in the past', () => {
		const now = Date.parse('2026-11-24T10:00:00Z');
		expect(parseResetTime('soon', now)).toBeUndefined();
		expect(parseResetTime('2020-01-01T00:00:00Z', now)).toBeUndefined();
		expect(parseResetTime(undefined, now)).toBeUndefined();
	});

	test('runConcurrently starts nothing once stopped', async () => {
		const started: number[] = [];
		let stop = false;
		await runConcurrently(10, 2, async (i) => {
			started.push(i);
			if (i === 1) stop = true;
		}, () => stop);
		expect(started).toEqual([0, 1]);
	});

	test('requests per minute on the node holds requests back: at 1 per minute the first poll cannot go out within a 2 s max wait', async () => {
		nock(BASE_URL).post('/v2/face-to-sticker').reply(200, { request_id: 'paced', status: 'QUEUED' });
		const started = Date.now();
		const { error, sent } = await runNodeExpectingError({
			items: [binaryItem(FACE)],
			parameters: { options: { pollInterval: 0.1, requestsPerMinute: 1, maxWaitTime: 2 } },
		});
		expect(sent).toHaveLength(1);
		expect(error.message).toBe('The sticker was not ready after 2 s (request ID paced)');
		expect(Date.now() - started).toBeLessThan(1500);
	});
});
