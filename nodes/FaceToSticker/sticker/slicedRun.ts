import { sleep } from 'n8n-workflow';

import type { StopCheck } from '../helpers/interfaces';
import type { Sliced } from '../image/slices';

/**
 * How long image work may hold n8n's event loop before it lets other work run: finishing a 1024 × 1024 cut-out
 * or drawing a pack's preview takes several hundred milliseconds in all, and webhooks, other executions and the
 * editor must keep answering.
 */
export const SLICE_BUDGET_MS = 15;

/** Runs sliced image work with a turn for the event loop every SLICE_BUDGET_MS; ends early once stopped. */
export async function runInSlices<T>(work: Sliced<T>, isStopped: StopCheck, what: string): Promise<T> {
	let sliceStart = Date.now();
	for (;;) {
		const step = work.next();
		if (step.done) return step.value;
		if (Date.now() - sliceStart >= SLICE_BUDGET_MS) {
			await sleep(0);
			if (isStopped()) throw new Error(`The execution was stopped while ${what}`);
			sliceStart = Date.now();
		}
	}
}
