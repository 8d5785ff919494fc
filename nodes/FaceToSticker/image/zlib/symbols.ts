/**
 * One deflate block's worth of LZ77 output: literals and (length, distance) pairs, with the symbol counts the
 * Huffman codes are built from and the span of input bytes the block covers (for a stored block).
 */
import {
	DIST_CODE,
	DISTANCE_SYMBOLS,
	END_OF_BLOCK,
	LENGTH_CODE,
	LITERAL_LENGTH_SYMBOLS,
} from './deflateTables';

export class SymbolBlock {
	/** A literal byte (< 256) or 256 + match length. */
	readonly literalOrLength: Uint16Array;
	/** The match distance, 0 for a literal. */
	readonly distance: Uint16Array;
	readonly literalLengthCounts = new Uint32Array(LITERAL_LENGTH_SYMBOLS);
	readonly distanceCounts = new Uint32Array(DISTANCE_SYMBOLS);
	count = 0;
	/** Input bytes [rawStart, rawEnd) are what the symbols stand for. */
	rawStart = 0;
	rawEnd = 0;

	constructor(readonly capacity: number) {
		this.literalOrLength = new Uint16Array(capacity);
		this.distance = new Uint16Array(capacity);
	}

	get full(): boolean {
		return this.count >= this.capacity;
	}

	literal(byte: number): void {
		this.literalOrLength[this.count] = byte;
		this.distance[this.count++] = 0;
		this.literalLengthCounts[byte]++;
		this.rawEnd++;
	}

	match(length: number, distance: number): void {
		this.literalOrLength[this.count] = 256 + length;
		this.distance[this.count++] = distance;
		this.literalLengthCounts[END_OF_BLOCK + 1 + LENGTH_CODE[length]]++;
		this.distanceCounts[DIST_CODE[distance]]++;
		this.rawEnd += length;
	}

	/** Empties the block; the next one starts at input byte `rawStart`. */
	reset(rawStart: number): void {
		this.count = 0;
		this.literalLengthCounts.fill(0);
		this.distanceCounts.fill(0);
		this.rawStart = rawStart;
		this.rawEnd = rawStart;
	}
}
