/**
 * One full-resolution row of a subsampled component, upsampled as libjpeg-turbo does by default ("fancy"
 * upsampling, jdsample.c): triangle filters for 2:1 horizontally, vertically or both, plain replication for
 * other integer ratios. Matching it keeps our samples equal to djpeg's.
 */
import type { FrameComponent } from './segments';

/**
 * Writes output row `y` of the component (`plane`, `stride` bytes per row, real size component.width ×
 * component.height) upsampled by `fh` × `fv` into `out` (at least component.width × fh entries).
 */
export function upsampleRow(component: FrameComponent, plane: Uint8Array, stride: number, fh: number, fv: number, y: number, out: Uint8Array): void {
	const n = component.width;
	const lastRow = component.height - 1;
	if (fv === 2 && (fh === 1 || (fh === 2 && n > 2))) {
		const i = y >> 1;
		const upper = (y & 1) === 0;
		const near = upper ? (i > 0 ? i - 1 : 0) : i < lastRow ? i + 1 : lastRow;
		const a = Math.min(i, lastRow) * stride;
		const b = near * stride;
		if (fh === 1) {
			const bias = upper ? 1 : 2;
			for (let x = 0; x < n; x++) out[x] = (plane[a + x] * 3 + plane[b + x] + bias) >> 2;
			return;
		}
		// h2v2: column sums of the two rows, then the same triangle across.
		let last = plane[a] * 3 + plane[b];
		let here = last;
		out[0] = (here * 4 + 8) >> 4;
		for (let x = 0; x < n - 1; x++) {
			const next = plane[a + x + 1] * 3 + plane[b + x + 1];
			out[2 * x + 1] = (here * 3 + next + 7) >> 4;
			last = here;
			here = next;
			out[2 * x + 2] = (here * 3 + last + 8) >> 4;
		}
		out[2 * n - 1] = (here * 4 + 7) >> 4;
		return;
	}
	const row = Math.min(Math.floor(y / fv), lastRow) * stride;
	if (fh === 2 && n > 2) {
		out[0] = plane[row];
		for (let x = 0; x < n - 1; x++) {
			const here = plane[row + x] * 3;
			const next = plane[row + x + 1];
			out[2 * x + 1] = (here + next + 2) >> 2;
			out[2 * x + 2] = (next * 3 + plane[row + x] + 1) >> 2;
		}
		out[2 * n - 1] = plane[row + n - 1];
		return;
	}
	if (fh === 1) {
		out.set(plane.subarray(row, row + n));
		return;
	}
	for (let x = 0, o = 0; x < n; x++) {
		const v = plane[row + x];
		for (let k = 0; k < fh; k++) out[o++] = v;
	}
}
