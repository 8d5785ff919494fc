import type { StopCheck } from './interfaces';

/**
 * Runs `work` for items 0..count-1 with at most `concurrency` in flight, starting the next item as soon as one
 * finishes. Stops starting new items once `isStopped` says so; items already running finish or stop themselves.
 */
export async function runConcurrently(
	count: number,
	concurrency: number,
	work: (index: number) => Promise<void>,
	isStopped: StopCheck,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count && !isStopped()) {
			const index = next++;
			await work(index);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
	await Promise.all(workers);
}
