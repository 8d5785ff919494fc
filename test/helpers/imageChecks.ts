import { ImageFormatError } from '../../nodes/FaceToSticker/image/types';

/**
 * Runs fresh generators from `make` three times, timing every gen.next(); the slices are the same each run,
 * so the per-slice minimum leaves out the machine preempting us. Returns the slice count and the longest.
 */
export function sliceGaps(make: () => Generator<void, unknown, void>): { slices: number; longest: number } {
	let best: number[] = [];
	for (let run = 0; run < 3; run++) {
		const gen = make();
		const times: number[] = [];
		for (let done = false; !done; ) {
			const start = process.hrtime.bigint();
			done = gen.next().done === true;
			times.push(Number(process.hrtime.bigint() - start) / 1e6);
		}
		best = run === 0 ? times : best.map((t, i) => Math.min(t, times[i]));
	}
	return { slices: best.length, longest: Math.max(...best) };
}

/** Runs `work` and expects an ImageFormatError whose message is `message` (a string) or matches it (a RegExp). */
export function expectImageFormatError(work: () => unknown, message: RegExp | string): void {
	let thrown: unknown;
	try {
		work();
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(ImageFormatError);
	if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
	else expect((thrown as Error).message).toMatch(message);
}
