import { sleep } from 'n8n-workflow';

import type { StopCheck } from '../helpers/interfaces';

// One second of slack: the server counts arrival times, and its clock is not ours.
const WINDOW_MS = 61_000;
/** Longest single sleep, so that a cancelled execution stops promptly. */
const SLICE_MS = 250;
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 60_000;
/** A reset time further out than this is not believed. */
const MAX_RESET_WAIT_MS = 5 * 60_000;


/** Waits `ms`, in short slices, and returns early (false) when the run is stopped. */
export async function pause(ms: number, isStopped: StopCheck): Promise<boolean> {
	const end = Date.now() + ms;
	while (!isStopped()) {
		const left = end - Date.now();
		if (left <= 0) return true;
		await sleep(Math.min(left, SLICE_MS));
	}
	return false;
}

/**
 * Shared by every job of one node run: keeps the requests it sends within the node's own Requests per Minute
 * option (a sliding 60-second window). Pauses after a 429 are the account's (account.ts), shared by all runs.
 */
export class RequestPacer {
	private readonly sentAt: number[] = [];

	/** Counts what the pacer did, for tests. */
	readonly stats = { requests: 0 };

	constructor(
		private readonly requestsPerMinute: number,
		private readonly isStopped: StopCheck,
	) {}

	/**
	 * Waits until one more request may go out, then books it. Returns false when that moment would come after
	 * `deadline` (or the run stopped), so the caller can fail its item instead of waiting for nothing.
	 */
	async acquire(deadline: number): Promise<boolean> {
		for (;;) {
			if (this.isStopped()) return false;
			const now = Date.now();
			const readyAt = this.windowReadyAt(now);
			if (readyAt <= now) {
				this.sentAt.push(now);
				this.stats.requests++;
				return true;
			}
			if (readyAt > deadline) return false;
			if (!(await pause(readyAt - now, this.isStopped))) return false;
		}
	}

	private windowReadyAt(now: number): number {
		if (this.requestsPerMinute <= 0) return now;
		while (this.sentAt.length && this.sentAt[0] <= now - WINDOW_MS) this.sentAt.shift();
		if (this.sentAt.length < this.requestsPerMinute) return now;
		return this.sentAt[this.sentAt.length - this.requestsPerMinute] + WINDOW_MS;
	}
}

/**
 * Until when a 429 holds requests back: Segmind's `x-rate-limit-reset-at-utc` when it gives a believable one,
 * else 2, 4, 8… up to 60 s for the `consecutive`-th 429 in a row.
 */
export function pauseAfterRateLimit(resetHeader: string | undefined, consecutive: number, now: number): number {
	const resetAt = parseResetTime(resetHeader, now);
	if (resetAt !== undefined && resetAt > now) return Math.min(resetAt, now + MAX_RESET_WAIT_MS);
	return now + Math.min(FIRST_BACKOFF_MS * 2 ** (consecutive - 1), MAX_BACKOFF_MS);
}

/**
 * Reads `x-rate-limit-reset-at-utc`. Its format is not documented, so accept an ISO date, an HTTP date, or a
 * Unix time in seconds or milliseconds.
 */
export function parseResetTime(header: string | undefined, now: number): number | undefined {
	if (!header) return undefined;
	const text = header.trim();
	if (/^\d+(\.\d+)?$/.test(text)) {
		const value = Number(text);
		return value > 1e12 ? value : value * 1000;
	}
	// A bare "2026-11-24T10:00:00" names a UTC time, as the header's name says.
	const iso = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text) ? `${text}Z` : text;
	const parsed = Date.parse(iso);
	if (Number.isNaN(parsed)) return undefined;
	return parsed > now - 24 * 3600_000 ? parsed : undefined;
}
