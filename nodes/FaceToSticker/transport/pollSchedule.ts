import type { JobDurations } from './jobDurations';

/**
 * When status checks count toward the plan's limit, a job's first check waits for this quantile of the
 * account's learned durations: about one job in ten then needs a second check, so a sticker costs about
 * 3.1 requests (submit, 1.1 checks, result) instead of one check every Poll Interval for a whole minute.
 */
export const COUNTED_CHECK_QUANTILE = 0.9;

/**
 * When a queue job's status checks go out. Before the account has seen a job finish: every Poll Interval, the
 * first one Poll Interval after the submit (as before the node learned). Once it has:
 * - checks that count toward the credential's Requests per Minute (the default, and when the credential sets
 *   no limit, since Segmind may count them): the first at the learned 90th percentile, then every Poll Interval;
 * - checks that do not count (the credential counts only requests that start work): the first at the shortest
 *   duration seen, then every Poll Interval, so a sticker is noticed within a Poll Interval of being done.
 * A job slower than every one seen is still checked every Poll Interval, until its Max Wait Time.
 */
export class PollSchedule {
	constructor(
		private readonly durations: JobDurations,
		private readonly pollIntervalMs: number,
		private readonly checksCount: boolean,
	) {}

	/** How long after the submit's answer the first check is due, by what the account has learned so far. */
	firstCheckAfter(): number {
		const learned = this.checksCount ? this.durations.quantile(COUNTED_CHECK_QUANTILE) : this.durations.shortest;
		return Math.max(this.pollIntervalMs, learned ?? 0);
	}

	/**
	 * When the next check is due (a clock time): Poll Interval after the last one, and never before the learned
	 * first check; but that learned time never pushes a check past the job's last chance before its deadline.
	 * A job submitted earlier (Get Result, `submittedAt` unknown) is checked at once, then every Poll Interval.
	 */
	nextCheckAt(submittedAt: number | undefined, lastCheckAt: number | undefined, deadline: number): number {
		if (submittedAt === undefined) return lastCheckAt === undefined ? 0 : lastCheckAt + this.pollIntervalMs;
		const interval = lastCheckAt === undefined ? submittedAt + this.pollIntervalMs : lastCheckAt + this.pollIntervalMs;
		const learned = Math.min(submittedAt + this.firstCheckAfter(), deadline - this.pollIntervalMs);
		return Math.max(interval, learned);
	}
}
