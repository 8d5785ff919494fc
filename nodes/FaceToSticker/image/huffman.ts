/**
 * Length-limited canonical Huffman codes, as both deflate (RFC 1951 §3.2.2) and WebP lossless (RFC 9649
 * §3.7.2) use them: lengths from symbol counts, then codes assigned in order of (length, symbol).
 */

/**
 * Code lengths for `counts` (0 for unused symbols), none longer than `maxBits`. A single used symbol gets
 * length 1, so that a decoder always has a complete or one-symbol code.
 */
export function codeLengths(counts: ArrayLike<number>, maxBits: number): Uint8Array {
	const n = counts.length;
	const lengths = new Uint8Array(n);
	const used: number[] = [];
	for (let s = 0; s < n; s++) if (counts[s] > 0) used.push(s);
	if (used.length === 0) return lengths;
	if (used.length === 1) {
		lengths[used[0]] = 1;
		return lengths;
	}
	// Symbols by rising count (ties by symbol, so the result is deterministic).
	used.sort((a, b) => counts[a] - counts[b] || a - b);
	const leaves = used.length;
	// Two-queue Huffman construction over the sorted leaves: nodes 0..leaves-1 are leaves, the rest internal.
	const weight = new Float64Array(2 * leaves);
	const parent = new Int32Array(2 * leaves);
	for (let i = 0; i < leaves; i++) weight[i] = counts[used[i]];
	let leafNext = 0;
	let nodeNext = leaves;
	let nodeEnd = leaves;
	const takeSmallest = () => {
		if (leafNext < leaves && (nodeNext >= nodeEnd || weight[leafNext] <= weight[nodeNext])) return leafNext++;
		return nodeNext++;
	};
	while (nodeEnd < 2 * leaves - 1) {
		const a = takeSmallest();
		const b = takeSmallest();
		weight[nodeEnd] = weight[a] + weight[b];
		parent[a] = nodeEnd;
		parent[b] = nodeEnd;
		nodeEnd++;
	}
	// Depths: the root is the last node made; a parent always has a higher index than its children.
	const depth = new Int32Array(2 * leaves - 1);
	for (let i = 2 * leaves - 3; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
	// Count leaves per length, clamping to maxBits and repairing the Kraft sum (zlib's overflow fix).
	const perLength = new Int32Array(Math.max(maxBits, 1) + 1);
	let overflow = 0;
	for (let i = 0; i < leaves; i++) {
		let d = depth[i];
		if (d > maxBits) {
			d = maxBits;
			overflow++;
		}
		perLength[d]++;
	}
	// Clamping made the Kraft sum too big; each zlib step (a leaf moves one level down, a longest leaf
	// becomes its sibling) takes one unit of 2^-maxBits off it, so repeat until the code is exactly complete.
	let kraft = 0;
	if (overflow > 0) for (let bits = 1; bits <= maxBits; bits++) kraft += perLength[bits] * 2 ** (maxBits - bits);
	while (overflow > 0 && kraft > 2 ** maxBits) {
		let bits = maxBits - 1;
		while (perLength[bits] === 0) bits--;
		perLength[bits]--;
		perLength[bits + 1] += 2;
		perLength[maxBits]--;
		kraft--;
	}
	// Longest codes to the rarest symbols (used[] is sorted by rising count).
	let symbolIndex = 0;
	for (let bits = maxBits; bits >= 1; bits--) {
		for (let k = perLength[bits]; k > 0; k--) lengths[used[symbolIndex++]] = bits;
	}
	return lengths;
}

/**
 * Canonical codes for `lengths`, bit-reversed so that an LSB-first writer (deflate, VP8L) can emit them with
 * one `write(code, length)`.
 */
export function canonicalCodes(lengths: ArrayLike<number>): Uint16Array {
	let maxBits = 0;
	for (let s = 0; s < lengths.length; s++) if (lengths[s] > maxBits) maxBits = lengths[s];
	const perLength = new Uint16Array(maxBits + 1);
	for (let s = 0; s < lengths.length; s++) if (lengths[s] > 0) perLength[lengths[s]]++;
	const next = new Uint32Array(maxBits + 2);
	let code = 0;
	for (let bits = 1; bits <= maxBits; bits++) {
		code = (code + perLength[bits - 1]) << 1;
		next[bits] = code;
	}
	const codes = new Uint16Array(lengths.length);
	for (let s = 0; s < lengths.length; s++) {
		const len = lengths[s];
		if (len === 0) continue;
		codes[s] = reverseBits(next[len]++, len);
	}
	return codes;
}

/** The lowest `bits` bits of `value` in reverse order. */
export function reverseBits(value: number, bits: number): number {
	let out = 0;
	for (let i = 0; i < bits; i++) {
		out = (out << 1) | (value & 1);
		value >>>= 1;
	}
	return out;
}
