/** How many job durations an account remembers: enough for a stable high quantile, bounded whatever runs. */
export const DURATIONS_KEPT = 50;

/** What one queue job showed of its duration, each time measured from the moment its submit was answered. */
export interface DurationObservation {
	/** When a status check answered "still running" for the last time (the job was not done before it). */
	lastRunningMs?: number;
	/** When the first check answered COMPLETED (the job was done by then). */
	completedSeenMs: number;
	/** Segmind's own total time (queue + inference) from the job's metrics, when it gave one. */
	reportedMs?: number;
}

/**
 * The durations of an account's last queue jobs, from submit to COMPLETED, as this n8n instance saw them. Kept in the
 * account (account.ts), so they are forgotten with it; at most DURATIONS_KEPT, the oldest dropped first.
 */
export class JobDurations {
	private readonly kept: number[] = [];

	/**
	 * Records a finished job. The checks bound its duration (after the last "running", no later than the first
	 * COMPLETED); Segmind's reported total time is used when it lies within those bounds, else the nearest bound.
	 * Without a reported time: the middle of the bounds, or the upper bound when no check saw the job running.
	 */
	record(observation: DurationObservation): void {
		const upper = observation.completedSeenMs;
		const lower = Math.min(observation.lastRunningMs ?? 0, upper);
		const reported = observation.reportedMs;
		let duration: number;
		if (reported !== undefined && Number.isFinite(reported) && reported > 0) {
			duration = Math.min(Math.max(reported, lower), upper);
		} else {
			duration = observation.lastRunningMs === undefined ? upper : (lower + upper) / 2;
		}
		if (!Number.isFinite(duration) || duration < 0) return;
		this.kept.push(duration);
		if (this.kept.length > DURATIONS_KEPT) this.kept.shift();
	}

	get count(): number {
		return this.kept.length;
	}

	/**
	 * The nearest-rank quantile (0 < q ≤ 1) of the kept durations, undefined before any. With fewer than
	 * 1 / (1 − q) durations it is their maximum: few samples say little about the slow end.
	 */
	quantile(q: number): number | undefined {
		if (this.kept.length === 0) return undefined;
		const sorted = [...this.kept].sort((a, b) => a - b);
		const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
		return sorted[rank - 1];
	}

	get shortest(): number | undefined {
		return this.kept.length ? Math.min(...this.kept) : undefined;
	}
}
