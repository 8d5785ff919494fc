import { sleep } from 'n8n-workflow';

import type { CallKind } from './apiErrors';
import { JobDurations } from './jobDurations';
import { FairLine } from './fairLine';
import { pauseAfterRateLimit } from './pacer';

/** Which requests the credential's Requests per Minute counts: all of them, or only those that start work. */
export type RequestCounting = 'all' | 'work';

/** The plan limits a credential declares; 0 means no cap. */
export interface AccountLimits {
	requestsPerMinute: number;
	maxConcurrentJobs: number;
	/** 'all' when absent (older credentials), the safe choice. */
	counting?: RequestCounting;
}

/** The calls that start work on Segmind (and are billed): counted under either choice. */
const WORK_CALLS: ReadonlySet<CallKind> = new Set<CallKind>(['submit', 'direct', 'background']);

// Requests are spaced evenly, 61 s / limit apart (one second of slack for the server's clock): any 60 s window
// then holds at most `limit` of them, and a newcomer never waits behind a burst for a whole minute.
const WINDOW_MS = 61_000;
/** The server's own window: at most `limit` requests may arrive in any 60 s. */
const SERVER_WINDOW_MS = 60_000;
/**
 * A request arrives at Segmind before its answer comes back, and, we assume, at most this long after it was let
 * go (n8n still reads the credential and opens the connection; a worker that is starting executions can be slow).
 */
const MAX_SEND_DELAY_MS = 3_000;
/** How often a waiting job looks again; also the longest a cancel waits to be noticed. */
const TICK_MS = 50;

/** One Segmind account (API origin + key) as every execution in this n8n process shares it. */
export class Account {
	limits: AccountLimits = { requestsPerMinute: 0, maxConcurrentJobs: 0 };

	/** When the next request may go out, by the even spacing. */
	private nextRequestAt = 0;

	/**
	 * The last `limit` counted requests: when each was let go and when its answer (or failure) came. Even spacing
	 * alone lets one window of the server hold `limit + 1` requests when an early request reached it late; so a
	 * request also waits until the one `limit` places back is surely outside the server's 60 s window.
	 */
	private recent: Array<{ at: number; end: number }> = [];

	/** Where the next entry of `recent` goes once it holds `limit` entries (a ring: the oldest is overwritten). */
	private recentNext = 0;

	/** The limit `recent` was kept for; a credential edited to another limit starts it anew. */
	private recentLimit = 0;

	private pausedUntil = 0;

	private consecutiveRateLimits = 0;

	private jobsInFlight = 0;

	private readonly requestLine = new FairLine();

	private readonly jobLine = new FairLine();

	private readonly executions = new Map<string, number>();

	/** How long this account's queue jobs took, for the status checks' schedule; forgotten with the account. */
	readonly durations = new JobDurations();

	/** The last price Segmind charged this account for each kind of call (x-cost), for a pack's estimate. */
	readonly prices: { generation?: number; background?: number } = {};

	constructor(private readonly clock: () => number) {}

	/** Whether a call of this kind counts toward the credential's Requests per Minute. */
	counts(call: CallKind): boolean {
		return this.limits.counting !== 'work' || WORK_CALLS.has(call);
	}

	attach(execution: string): void {
		this.executions.set(execution, (this.executions.get(execution) ?? 0) + 1);
	}

	detach(execution: string): void {
		const count = (this.executions.get(execution) ?? 0) - 1;
		if (count > 0) {
			this.executions.set(execution, count);
			return;
		}
		this.executions.delete(execution);
		this.requestLine.forget(execution);
		this.jobLine.forget(execution);
	}

	/**
	 * Waits for this execution's turn to send one request to the API. False when that would come after
	 * `deadline`, or the execution stopped: the caller fails its item or stops. A request that is not `counted`
	 * (see counts()) takes no turn, but still waits out a 429 pause.
	 */
	async acquireRequest(execution: string, deadline: number, isStopped: () => boolean, counted = true): Promise<boolean> {
		const sent = await this.acquireRequestUntilAnswered(execution, deadline, isStopped, counted);
		if (sent) sent();
		return sent !== false;
	}

	/**
	 * acquireRequest for a request about to be sent: the function it returns is called when the answer (or the
	 * failure) came back, which bounds when the request reached Segmind.
	 */
	async acquireRequestUntilAnswered(
		execution: string,
		deadline: number,
		isStopped: () => boolean,
		counted = true,
	): Promise<(() => void) | false> {
		const perMinute = this.limits.requestsPerMinute;
		if (perMinute <= 0 || !counted) return (await this.waitForPause(deadline, isStopped)) ? () => {} : false;
		let entry: { at: number; end: number } | undefined;
		const granted = await this.wait(this.requestLine, execution, deadline, isStopped, (now) => {
			const readyAt = Math.max(this.pausedUntil, this.nextRequestAt, this.windowFreeAt(perMinute));
			if (readyAt > now) return readyAt;
			this.nextRequestAt = now + WINDOW_MS / perMinute;
			entry = { at: now, end: Number.POSITIVE_INFINITY };
			if (this.recentLimit !== perMinute) {
				this.recent = [];
				this.recentNext = 0;
				this.recentLimit = perMinute;
			}
			if (this.recent.length < perMinute) {
				this.recent.push(entry);
			} else {
				this.recent[this.recentNext] = entry;
				this.recentNext = (this.recentNext + 1) % perMinute;
			}
			return 0;
		});
		if (!granted || !entry) return false;
		const answered = entry;
		return () => {
			answered.end = Math.min(answered.end, this.clock());
		};
	}

	/** When the request `limit` places back has surely left the server's window (0: fewer than `limit` so far). */
	private windowFreeAt(perMinute: number): number {
		if (this.recent.length < perMinute) return 0;
		const oldest = this.recent[this.recentNext];
		return Math.min(oldest.end, oldest.at + MAX_SEND_DELAY_MS) + SERVER_WINDOW_MS;
	}

	/** Waits for a generation slot; release it with releaseJob() whatever happens to the job. */
	async acquireJob(execution: string, deadline: number, isStopped: () => boolean): Promise<boolean> {
		if (this.limits.maxConcurrentJobs <= 0) {
			this.jobsInFlight++;
			return true;
		}
		return await this.wait(this.jobLine, execution, deadline, isStopped, () => {
			const max = this.limits.maxConcurrentJobs;
			if (max > 0 && this.jobsInFlight >= max) return Number.POSITIVE_INFINITY;
			this.jobsInFlight++;
			return 0;
		});
	}

	releaseJob(): void {
		this.jobsInFlight = Math.max(0, this.jobsInFlight - 1);
	}

	/** A 429 from any execution holds every execution of the account until Segmind's reset time. */
	rateLimited(resetHeader: string | undefined): number {
		const now = this.clock();
		this.pausedUntil = Math.max(this.pausedUntil, pauseAfterRateLimit(resetHeader, ++this.consecutiveRateLimits, now));
		return this.pausedUntil - now;
	}

	accepted(): void {
		this.consecutiveRateLimits = 0;
	}

	/** Nothing in use and nothing that still constrains the next request: the registry may forget it. */
	isIdle(): boolean {
		const now = this.clock();
		return (
			this.executions.size === 0 &&
			this.jobsInFlight === 0 &&
			this.requestLine.isEmpty &&
			this.jobLine.isEmpty &&
			this.nextRequestAt <= now &&
			this.pausedUntil <= now
		);
	}

	/** Without a per-minute cap there is nothing to share out: only a 429 pause holds requests back. */
	private async waitForPause(deadline: number, isStopped: () => boolean): Promise<boolean> {
		for (;;) {
			if (isStopped()) return false;
			const now = this.clock();
			if (this.pausedUntil <= now) return true;
			if (this.pausedUntil > deadline) return false;
			await sleep(Math.min(TICK_MS * 5, this.pausedUntil - now));
		}
	}

	/** `take(now)` books a slot and returns 0, or returns when to look again (Infinity: when a slot frees). */
	private async wait(
		line: FairLine,
		execution: string,
		deadline: number,
		isStopped: () => boolean,
		take: (now: number) => number,
	): Promise<boolean> {
		line.enter(execution);
		let inLine = true;
		try {
			for (;;) {
				if (isStopped()) return false;
				const now = this.clock();
				if (line.isTurn(execution)) {
					const retryAt = take(now);
					if (retryAt === 0) {
						line.served(execution);
						inLine = false;
						return true;
					}
					if (retryAt !== Number.POSITIVE_INFINITY && retryAt > deadline) return false;
				}
				if (now >= deadline) return false;
				await sleep(TICK_MS);
			}
		} finally {
			if (inLine) line.leave(execution);
		}
	}
}

/**
 * Every account this n8n process talks to, keyed by API origin and a SHA-256 of the key (never the key). An
 * account is dropped as soon as it is idle and its spacing and pauses have run out, so the map does not grow
 * with the executions or keys seen; no timer runs for it.
 */
export class AccountRegistry {
	private readonly accounts = new Map<string, Account>();

	constructor(private readonly clock: () => number = Date.now) {}

	/** Joins an execution to its account; call leave() when the execution's node run ends, however it ends. */
	join(accountId: string, limits: AccountLimits, execution: string): Account {
		this.sweep();
		let account = this.accounts.get(accountId);
		if (!account) {
			account = new Account(this.clock);
			this.accounts.set(accountId, account);
		}
		account.limits = limits;
		account.attach(execution);
		return account;
	}

	leave(accountId: string, execution: string): void {
		this.accounts.get(accountId)?.detach(execution);
		this.sweep();
	}

	get size(): number {
		this.sweep();
		return this.accounts.size;
	}

	/** Forgets every account, pauses included (each unit test starts from a fresh process state). */
	clear(): void {
		this.accounts.clear();
	}

	private sweep(): void {
		for (const [id, account] of this.accounts) if (account.isIdle()) this.accounts.delete(id);
	}
}

/** The process-wide registry: n8n loads a node's module once, and every execution of the process shares it. */
export const accounts = new AccountRegistry();
