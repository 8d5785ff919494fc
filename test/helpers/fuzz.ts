import { prng } from './random';

/** Mutates a valid file with a seeded random source. */
export type Mutation = (file: Buffer, random: () => number) => Buffer;

export const pick = <T>(random: () => number, list: T[]): T => list[Math.floor(random() * list.length)];
export const int = (random: () => number, n: number) => Math.floor(random() * n);

/** The mutations every format's fuzz starts with: 1-4 bit flips, 1-4 bytes set to telling values, a truncation. */
export function byteMutations(tellingBytes: number[]): Array<[string, Mutation]> {
	return [
		['bit flips', (f, r) => {
			const out = Buffer.from(f);
			for (let n = 1 + int(r, 4); n > 0; n--) out[int(r, out.length)] ^= 1 << int(r, 8);
			return out;
		}],
		['byte sets', (f, r) => {
			const out = Buffer.from(f);
			for (let n = 1 + int(r, 4); n > 0; n--) out[int(r, out.length)] = pick(r, [...tellingBytes, int(r, 256)]);
			return out;
		}],
		['truncations', (f, r) => f.subarray(0, int(r, f.length))],
	];
}

export interface DecoderFuzz {
	/** "PNG", "JPEG": names the suite and the seeds in failure labels. */
	format: string;
	/** The environment variable that replays another run, and the seed used when it is not set. */
	seedVariable: string;
	seed: number;
	/** Small valid files the mutations start from (taken in turn). */
	seeds: Buffer[];
	mutations: Array<[string, Mutation]>;
	casesPerMutation: number;
	/** Runs the decoder to the end; throws the decoder's own error class for a bad file. */
	decode: (file: Uint8Array) => { width: number; height: number; data: Uint8Array };
	/** The decoder's own error: any other throw fails the test. */
	ownError: new (...args: never[]) => Error;
	maxPixels: number;
	slowestMs: number;
	/** Outcomes that must appear among the mutants' results (error messages, or "decoded"). */
	stages: RegExp[];
}

/**
 * A decoder fuzz suite: every mutant must end in the decoder's own error or a well-formed image within the pixel
 * limit, and every mutant must decode within `slowestMs`. A mutant over the limit is timed again (up to three
 * times) before it fails, so that a one-off stall of the machine or the collector does not fail the suite: the
 * limit is about the decoder's work.
 */
export function describeDecoderFuzz(fuzz: DecoderFuzz): void {
	const { format, seed, mutations, casesPerMutation } = fuzz;
	describe(`${format} decoder fuzz (seed ${seed}, ${mutations.length * casesPerMutation} cases; replay with ${fuzz.seedVariable})`, () => {
		const outcomes = new Map<string, number>();
		let slowest = { ms: 0, name: '' };
		const overLimit: Array<{ name: string; file: Uint8Array }> = [];

		for (const [index, [name, mutate]] of mutations.entries()) {
			test(`${name}: every mutant ends in ImageFormatError or a well-formed image`, () => {
				const random = prng(seed + 7919 * (index + 1));
				for (let i = 0; i < casesPerMutation; i++) {
					const seedIndex = i % fuzz.seeds.length;
					const file = new Uint8Array(mutate(fuzz.seeds[seedIndex], random));
					const label = `${name} #${i} (seed ${format} ${seedIndex}, ${fuzz.seedVariable}=${seed})`;
					const start = process.hrtime.bigint();
					let outcome = 'decoded';
					try {
						const image = fuzz.decode(file);
						expect(image.width * image.height).toBeLessThanOrEqual(fuzz.maxPixels);
						expect(image.data.length).toBe(image.width * image.height * 4);
					} catch (error) {
						if (!(error instanceof fuzz.ownError)) throw new Error(`${label}: ${String(error)}`);
						outcome = error.message.replace(/[0-9]+/g, 'N').slice(0, 70);
					}
					const ms = Number(process.hrtime.bigint() - start) / 1e6;
					if (ms > slowest.ms) slowest = { ms, name: label };
					if (ms >= fuzz.slowestMs) overLimit.push({ name: label, file });
					outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
				}
			});
		}

		test(`the mutants reach every stage of the decoder, and each ends within ${fuzz.slowestMs} ms`, () => {
			const seen = [...outcomes.keys()].join('\n');
			for (const stage of fuzz.stages) expect(seen).toMatch(stage);
			const stillOver = overLimit
				.map(({ name, file }) => ({ name, ms: fastestOf(3, () => fuzz.decode(file)) }))
				.filter(({ ms }) => ms >= fuzz.slowestMs)
				.map(({ name, ms }) => `${name}: ${ms.toFixed(1)} ms at best of 3`);
			expect(stillOver).toEqual([]);
		});

		afterAll(() => {
			const top = [...outcomes.entries()].sort((a, b) => b[1] - a[1]);
			console.log(
				`${format} fuzz seed ${seed}: ${top.reduce((n, [, c]) => n + c, 0)} cases, slowest ${slowest.ms.toFixed(1)} ms (${slowest.name})\n` +
					top
						.slice(0, 30)
						.map(([o, c]) => `${String(c).padStart(5)}  ${o}`)
						.join('\n'),
			);
		});
	});
}

/** The shortest of `runs` timings of `work`, in ms (a throw ends the run: its outcome was checked before). */
function fastestOf(runs: number, work: () => unknown): number {
	let best = Infinity;
	for (let run = 0; run < runs; run++) {
		const start = process.hrtime.bigint();
		try {
			work();
		} catch {
			// the mutant's outcome was checked with the others
		}
		best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
	}
	return best;
}
