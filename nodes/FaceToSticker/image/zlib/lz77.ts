/**
 * LZ77 match finding for deflate, in the manner of zlib's level 9 (deflate_slow): a 3-byte hash with chains
 * through the last 32 KB, and lazy matching, which looks one byte further before committing to a match and
 * keeps the longer one. Unlike zlib, the average search effort per byte is capped (MatchEffort.linksPerByte),
 * so that time stays linear on data that makes level 9 crawl. The whole input is in memory, so positions are
 * absolute and nothing slides.
 */
import { SymbolBlock } from './symbols';
import { MAX_DISTANCE, MAX_MATCH, MIN_MATCH } from './deflateTables';

const WINDOW_MASK = MAX_DISTANCE - 1;
const HASH_BITS = 16;

/** How hard to search, as zlib's configuration table has it. */
export interface MatchEffort {
	/** Hash-chain links followed at most per search. */
	maxChain: number;
	/** Once the previous match is this long, search a quarter as far. */
	goodLength: number;
	/** A match this long ends the search. */
	niceLength: number;
	/** A previous match this long is taken without looking for a better one at the next byte. */
	maxLazy: number;
	/**
	 * Average chain links a byte may cost. Where the data makes chains long and matches short (zlib level 9
	 * takes 5 s on a 1024² photo cut-out), the chain limit is halved until the average fits, down to
	 * minChain; where searches are cheap again it grows back to maxChain. Time stays linear in the input.
	 */
	linksPerByte: number;
	minChain: number;
}

export const DEFAULT_EFFORT: MatchEffort = {
	maxChain: 4096,
	goodLength: 32,
	niceLength: 258,
	maxLazy: 258,
	linksPerByte: 16,
	minChain: 16,
};
/** Bytes over which the links-per-byte average is taken. */
const EFFORT_WINDOW = 1 << 14;
/** A length-3 match this far back costs more bits than three literals. */
const TOO_FAR = 4096;
const NO_MATCH = MIN_MATCH - 1;
/**
 * Hot loops here use no globals (Math.min and the like become comparisons): inside a vm context, as under
 * jest, every global look-up is slow enough to make the encoder ten times slower.
 */
const imul = Math.imul;

export class Lz77 {
	private readonly head = new Int32Array(1 << HASH_BITS).fill(-1);
	private readonly chain = new Int32Array(MAX_DISTANCE);
	private pos = 0;
	/** The match found at pos - 1, still waiting to see whether pos has a longer one. */
	private matchLength = NO_MATCH;
	private matchDistance = 0;
	/** Whether the byte at pos - 1 has not been emitted yet. */
	private pending = false;
	/** Results of the last longestMatch: its distance and how many chain links it followed. */
	private foundDistance = 0;
	private steps = 0;
	private chainLimit: number;
	private windowLinks = 0;
	private windowStart = 0;

	constructor(
		private readonly data: Uint8Array,
		private readonly effort: MatchEffort = DEFAULT_EFFORT,
	) {
		this.chainLimit = effort.maxChain;
	}

	/** Whether every input byte has been emitted. */
	get done(): boolean {
		return this.pos >= this.data.length && !this.pending;
	}

	/**
	 * Emits symbols into `block` until it is full, the input ends or about `budget` units of work (bytes
	 * passed plus chain links followed) are spent.
	 */
	run(block: SymbolBlock, budget: number): void {
		const data = this.data;
		const n = data.length;
		let work = 0;
		while (work < budget && !block.full) {
			const pos = this.pos;
			if (pos >= n) {
				if (this.pending) block.literal(data[n - 1]);
				this.pending = false;
				return;
			}
			const candidate = pos + MIN_MATCH <= n ? this.insert(pos) : -1;
			const previousLength = this.matchLength;
			const previousDistance = this.matchDistance;
			let length = NO_MATCH;
			if (candidate >= 0 && previousLength < this.effort.maxLazy && pos - candidate <= MAX_DISTANCE) {
				length = this.longestMatch(pos, candidate, previousLength);
				work += this.steps;
				this.windowLinks += this.steps;
				if (length === MIN_MATCH && this.foundDistance > TOO_FAR) length = NO_MATCH;
			}
			this.matchLength = length;
			this.matchDistance = this.foundDistance;
			if (previousLength >= MIN_MATCH && length <= previousLength) {
				// The match at pos - 1 wins; hash the bytes it covers so later matches can refer to them.
				block.match(previousLength, previousDistance);
				const end = pos - 1 + previousLength;
				const lastHashed = end < n - MIN_MATCH + 1 ? end : n - MIN_MATCH + 1;
				for (let p = pos + 1; p < lastHashed; p++) this.insert(p);
				work += previousLength;
				this.pos = end;
				this.pending = false;
				this.matchLength = NO_MATCH;
			} else {
				if (this.pending) block.literal(data[pos - 1]);
				this.pending = true;
				this.pos = pos + 1;
				work++;
			}
			if (this.pos - this.windowStart >= EFFORT_WINDOW || this.windowLinks >= EFFORT_WINDOW * 64) this.adjustEffort();
		}
	}

	private adjustEffort(): void {
		const { linksPerByte, maxChain, minChain } = this.effort;
		const perByte = this.windowLinks / Math.max(1, this.pos - this.windowStart);
		if (perByte > linksPerByte) this.chainLimit = Math.max(minChain, this.chainLimit >> 1);
		else if (perByte < linksPerByte / 4) this.chainLimit = Math.min(maxChain, this.chainLimit << 1);
		this.windowLinks = 0;
		this.windowStart = this.pos;
	}

	/** Adds `pos` to its hash chain; returns the previous chain head (-1 if none). */
	private insert(pos: number): number {
		const data = this.data;
		const key = (data[pos] << 16) | (data[pos + 1] << 8) | data[pos + 2];
		const hash = imul(key, 0x9e3779b1) >>> (32 - HASH_BITS);
		const previous = this.head[hash];
		this.chain[pos & WINDOW_MASK] = previous;
		this.head[hash] = pos;
		return previous;
	}

	/**
	 * The longest match for `pos` longer than `atLeast`, searching back from `candidate`; NO_MATCH if none.
	 * Sets foundDistance and steps.
	 */
	private longestMatch(pos: number, candidate: number, atLeast: number): number {
		const data = this.data;
		const chain = this.chain;
		const maxLength = data.length - pos < MAX_MATCH ? data.length - pos : MAX_MATCH;
		let best = atLeast > NO_MATCH ? atLeast : NO_MATCH;
		let bestDistance = 0;
		const { goodLength, niceLength } = this.effort;
		let links = atLeast >= goodLength ? this.chainLimit >> 2 : this.chainLimit;
		const oldest = pos - MAX_DISTANCE;
		let steps = 0;
		while (best < maxLength && candidate >= oldest) {
			steps++;
			// The byte that would make this candidate better is checked first: most candidates fail there.
			if (data[candidate + best] === data[pos + best] && data[candidate] === data[pos] &&
				data[candidate + 1] === data[pos + 1]) {
				let length = 2;
				while (length < maxLength && data[candidate + length] === data[pos + length]) length++;
				if (length > best) {
					best = length;
					bestDistance = pos - candidate;
					if (length >= niceLength) break;
				}
			}
			if (--links === 0) break;
			const next = chain[candidate & WINDOW_MASK];
			// A link to a newer position means the slot was reused: the chain is over.
			if (next >= candidate) break;
			candidate = next;
		}
		this.steps = steps;
		this.foundDistance = bestDistance;
		return bestDistance === 0 ? NO_MATCH : best;
	}
}
