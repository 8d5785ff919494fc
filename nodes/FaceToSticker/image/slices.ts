/**
 * Long image work is written as generators that `yield` every few milliseconds of work. The caller decides
 * what a yield means: the node hands control back to n8n's event loop when a slice has run long enough
 * (see the finish step), tests and benchmarks simply run to the end. No timers here: this folder stays free
 * of n8n and of the host.
 */
export type Sliced<T> = Generator<void, T, void>;

/** Runs sliced work to its end without yielding (tests, tools). */
export function runToEnd<T>(work: Sliced<T>): T {
	for (;;) {
		const step = work.next();
		if (step.done) return step.value;
	}
}

/**
 * Calls `yield` from inside a loop about every `every` units of work: `const tick = ticker(4096)` then
 * `if (tick(n)) yield;` where n is the work just done (bytes, pixels).
 */
export function ticker(every: number): (done: number) => boolean {
	let count = 0;
	return (done: number) => {
		count += done;
		if (count < every) return false;
		count = 0;
		return true;
	};
}
