/**
 * Entropy decoding of one 8 × 8 block, for each kind of scan (T.81 F.2 for sequential, G.2 for progressive):
 * the coefficients land in natural order in `out` at `o`, still quantised.
 */
import { ImageFormatError } from '../types';
import { BitReader } from './bitReader';
import { decodeSymbol, HuffmanDecoder } from './huffmanDecode';
import { ZIGZAG } from './tables';

function badRun(): ImageFormatError {
	return new ImageFormatError('The JPEG is damaged: a run of coefficients goes past the end of its block');
}

export class BlockDecoder {
	/** Blocks still to skip in an end-of-band run (progressive AC scans). */
	eobrun = 0;

	constructor(
		readonly reader: BitReader,
		readonly ss: number,
		readonly se: number,
		readonly al: number,
	) {}

	/** A sequential block; returns the new DC predictor. */
	sequential(dc: HuffmanDecoder, ac: HuffmanDecoder, out: Int16Array | Int32Array, o: number, pred: number): number {
		const r = this.reader;
		out.fill(0, o, o + 64);
		const t = decodeSymbol(r, dc);
		pred += r.receiveExtend(t);
		out[o] = pred;
		for (let k = 1; k < 64; ) {
			const rs = decodeSymbol(r, ac);
			const s = rs & 15;
			const run = rs >> 4;
			if (s === 0) {
				if (run < 15) break;
				k += 16;
				continue;
			}
			k += run;
			if (k > 63) throw badRun();
			out[o + ZIGZAG[k]] = r.receiveExtend(s);
			k++;
		}
		return pred;
	}

	/** First DC scan of a progressive JPEG; returns the new predictor. */
	dcFirst(dc: HuffmanDecoder, out: Int16Array, o: number, pred: number): number {
		const r = this.reader;
		pred += r.receiveExtend(decodeSymbol(r, dc));
		out[o] = pred * (1 << this.al);
		return pred;
	}

	/** A DC refinement scan: one more bit of the DC coefficient. */
	dcRefine(out: Int16Array, o: number): void {
		if (this.reader.bit()) out[o] |= 1 << this.al;
	}

	/** First AC scan of a band: coefficients ss..se with their low `al` bits left out. */
	acFirst(ac: HuffmanDecoder, out: Int16Array, o: number): void {
		if (this.eobrun > 0) {
			this.eobrun--;
			return;
		}
		const r = this.reader;
		const se = this.se;
		const scale = 1 << this.al;
		for (let k = this.ss; k <= se; k++) {
			const rs = decodeSymbol(r, ac);
			const s = rs & 15;
			const run = rs >> 4;
			if (s !== 0) {
				k += run;
				if (k > se) throw badRun();
				out[o + ZIGZAG[k]] = r.receiveExtend(s) * scale;
			} else if (run === 15) {
				k += 15;
			} else {
				this.eobrun = (1 << run) - 1;
				if (run > 0) this.eobrun += r.get(run);
				break;
			}
		}
	}

	/** An AC refinement scan (T.81 G.1.2.3): one more bit of each coefficient already seen, new ones of ±1. */
	acRefine(ac: HuffmanDecoder, out: Int16Array, o: number): void {
		const r = this.reader;
		const se = this.se;
		const p1 = 1 << this.al;
		const m1 = -1 << this.al;
		let k = this.ss;
		if (this.eobrun === 0) {
			for (; k <= se; k++) {
				const rs = decodeSymbol(r, ac);
				let s = rs & 15;
				let run = rs >> 4;
				if (s !== 0) {
					if (s !== 1) throw new ImageFormatError('The JPEG is damaged: a refinement scan adds a coefficient larger than one step');
					s = r.bit() ? p1 : m1;
				} else if (run !== 15) {
					this.eobrun = 1 << run;
					if (run > 0) this.eobrun += r.get(run);
					break;
				}
				// Skip `run` zero coefficients, refining the non-zero ones met on the way.
				for (; k <= se; k++) {
					const at = o + ZIGZAG[k];
					const coef = out[at];
					if (coef !== 0) {
						if (r.bit() && (coef & p1) === 0) out[at] = coef >= 0 ? coef + p1 : coef + m1;
					} else {
						if (run === 0) break;
						run--;
					}
				}
				if (s !== 0) {
					if (k > se) throw badRun();
					out[o + ZIGZAG[k]] = s;
				}
			}
		}
		if (this.eobrun > 0) {
			// Inside an end-of-band run: only the refinement bits of coefficients already non-zero.
			for (; k <= se; k++) {
				const at = o + ZIGZAG[k];
				const coef = out[at];
				if (coef !== 0 && r.bit() && (coef & p1) === 0) out[at] = coef >= 0 ? coef + p1 : coef + m1;
			}
			this.eobrun--;
		}
	}
}
