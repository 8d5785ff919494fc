import nock from 'nock';

import { accounts } from '../../nodes/FaceToSticker/transport/account';
import { DURATIONS_KEPT, JobDurations } from '../../nodes/FaceToSticker/transport/jobDurations';
import { PollSchedule } from '../../nodes/FaceToSticker/transport/pollSchedule';
import { BASE_URL, binaryItem, runNode } from '../helpers/fakeContext';
import { jpeg } from '../helpers/images';

const IMAGE_HOST = 'https://images.segmind.test';
const STICKER = jpeg(32, 32, [5, 6, 7]);
const FACE = jpeg(16, 16);
const FAR = Number.MAX_SAFE_INTEGER;

/** Ten jobs of 50 to 95 s, as an account would have seen them. */
function learned(): JobDurations {
	const durations = new JobDurations();
	for (let i = 0; i < 10; i++) durations.record({ completedSeenMs: 50_000 + i * 5_000 });
	return durations;
}

/**
 * Queue jobs that take `latencyMs` on the emulated server, each with its own request ID: PROCESSING until then,
 * COMPLETED after, reporting that time as Segmind's total_time.
 */
function timedJobs(latencyMs: number) {
	const submittedAt = new Map<string, number>();
	let next = 0;
	nock(BASE_URL)
		.persist()
		.post('/v2/face-to-sticker')
		.reply(() => {
			const id = `job${next++}`;
			submittedAt.set(id, Date.now());
			return [200, { request_id: id, status: 'QUEUED', status_url: `${BASE_URL}/v2/requests/${id}/status`, response_url: `${BASE_URL}/v2/requests/${id}` }];
		})
		.get(/^\/v2\/requests\/[^/]+\/status$/)
		.reply((uri) => {
			const id = uri.split('/')[3];
			const done = Date.now() - (submittedAt.get(id) ?? 0) >= latencyMs;
			return [200, done ? { status: 'COMPLETED', metrics: { total_time: latencyMs / 1000 } } : { status: 'PROCESSING' }];
		})
		.get(/^\/v2\/requests\/[^/]+$/)
		.reply((uri) => {
			const id = uri.split('/')[3];
			return [200, { status: 'COMPLETED', output: `${IMAGE_HOST}/outputs/${id}.jpg`, metrics: { total_time: latencyMs / 1000 } }];
		});
	nock(IMAGE_HOST).persist().get(/^\/outputs\//).reply(200, STICKER, { 'content-type': 'image/jpeg' });
}

const queueRun = (count: number) =>
	runNode({ items: Array.from({ length: count }, () => binaryItem(FACE)), parameters: { options: { pollInterval: 0.1, concurrency: 1 } } });

describe('the status checks\' schedule, learned from the account\'s finished jobs', () => {
	test('before any job has finished, the first check comes one Poll Interval after the submit, then one every Poll Interval', () => {
		const schedule = new PollSchedule(new JobDurations(), 3_000, true);
		expect(schedule.firstCheckAfter()).toBe(3_000);
		expect(schedule.nextCheckAt(10_000, undefined, FAR)).toBe(13_000);
		expect(schedule.nextCheckAt(10_000, 13_400, FAR)).toBe(16_400);
	});

	test('with checks counted toward the plan, the first check waits for the learned 90th percentile (95 s seen once in ten: 90 s)', () => {
		const schedule = new PollSchedule(learned(), 3_000, true);
		expect(schedule.firstCheckAfter()).toBe(90_000);
		expect(schedule.nextCheckAt(0, undefined, FAR)).toBe(90_000);
	});

	test('with fewer than ten jobs seen, the first counted check waits for the slowest of them', () => {
		const durations = new JobDurations();
		for (const ms of [61_000, 70_000, 66_000]) durations.record({ completedSeenMs: ms });
		expect(new PollSchedule(durations, 3_000, true).firstCheckAfter()).toBe(70_000);
	});

	test('with checks not counted (the credential counts only work), the first check comes at the shortest duration seen', () => {
		expect(new PollSchedule(learned(), 3_000, false).firstCheckAfter()).toBe(50_000);
	});

	test('a job slower than every one seen is still checked every Poll Interval after its first check', () => {
		const schedule = new PollSchedule(learned(), 3_000, true);
		expect(schedule.nextCheckAt(0, 90_200, FAR)).toBe(93_200);
		expect(schedule.nextCheckAt(0, 120_000, FAR)).toBe(123_000);
	});

	test('a learned first check later than the job\'s deadline allows moves forward to its last chance', () => {
		const schedule = new PollSchedule(learned(), 3_000, true);
		expect(schedule.nextCheckAt(0, undefined, 60_000)).toBe(57_000);
	});

	test(`the memory is bounded: the last ${DURATIONS_KEPT} durations, the oldest forgotten first`, () => {
		const durations = new JobDurations();
		for (let i = 0; i < 10; i++) durations.record({ completedSeenMs: 500_000 });
		for (let i = 0; i < DURATIONS_KEPT; i++) durations.record({ completedSeenMs: 60_000 + i });
		expect(durations.count).toBe(DURATIONS_KEPT);
		expect(durations.quantile(1)).toBe(60_000 + DURATIONS_KEPT - 1);
	});

	test('a duration is Segmind\'s reported total time kept within what the checks saw, else the middle of those bounds', () => {
		const durations = new JobDurations();
		durations.record({ lastRunningMs: 60_000, completedSeenMs: 66_000, reportedMs: 64_000 });
		durations.record({ lastRunningMs: 60_000, completedSeenMs: 66_000, reportedMs: 30_000 });
		durations.record({ lastRunningMs: 60_000, completedSeenMs: 66_000, reportedMs: 90_000 });
		durations.record({ lastRunningMs: 60_000, completedSeenMs: 66_000 });
		expect([1, 2, 3, 4].map((rank) => durations.quantile(rank / 4))).toEqual([60_000, 63_000, 64_000, 66_000]);
	});

	test('through the node: the first job is polled every Poll Interval, the next ones of the account once, when they are done', async () => {
		timedJobs(800);
		const { output } = await queueRun(3);
		const polls = output.map((item) => item.json.polls as number);
		// Every Poll Interval (0.1 s) over an 800 ms job: several checks, fewer when the machine is busy.
		expect(polls[0]).toBeGreaterThanOrEqual(3);
		expect(polls.slice(1)).toEqual([1, 1]);
	});

	test('what was learned is forgotten with the account: a run after the account was dropped polls as before learning', async () => {
		timedJobs(800);
		await queueRun(1);
		expect(accounts.size).toBe(0);
		const { output } = await queueRun(1);
		expect(output[0].json.polls).toBeGreaterThanOrEqual(5);
	});

});
