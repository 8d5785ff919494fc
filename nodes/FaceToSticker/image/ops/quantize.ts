import type { IndexedImage, RgbaImage } from '../types';
import type { Sliced } from '../slices';
import { ticker } from '../slices';
import type { ColourTable } from './colourTable';
import { mapToNearest, premultiplied } from './nearestColour';

/**
 * Median cut in premultiplied RGBA (so faint edge pixels weigh by what they show), then nearest-colour
 * mapping without dithering: flat areas of one index compress far better. All fully transparent pixels share
 * one 0,0,0,0 entry, which counts towards `maxColours`. An image with no more colours than that maps exactly.
 * Palette entries are sorted by alpha, so a PNG's tRNS chunk can stop at the last translucent one.
 */
export function* quantize(table: ColourTable, maxColours: number): Sliced<IndexedImage> {
	if (maxColours < 2 || maxColours > 256) throw new Error(`quantize: ${maxColours} colours is outside 2..256`);
	const { colours, counts } = table;
	const size = colours.length;
	const budget = maxColours - (table.transparentPixels > 0 ? 1 : 0);
	let entries: Uint32Array;
	let nearest: Int32Array;
	if (size <= budget) {
		entries = colours;
		nearest = new Int32Array(size);
		for (let c = 0; c < size; c++) nearest[c] = c;
	} else {
		const pre = premultiplied(colours);
		yield;
		const cut = yield* medianCut(pre, counts, budget);
		entries = cut.entries;
		// The transparent entry is a candidate too (last, index entries.length): near-invisible pixels go to it.
		const candidates = table.transparentPixels > 0 ? Uint32Array.of(...cut.entries, 0) : cut.entries;
		nearest = yield* mapToNearest(pre, premultiplied(candidates), cut.boxOf);
	}
	return yield* assemble(table, entries, nearest);
}

interface Box {
	start: number;
	end: number;
	population: number;
	channel: number;
	range: number;
}

function measure(pre: Uint8Array, counts: Uint32Array, order: Uint32Array, start: number, end: number): Box {
	let [r0, g0, b0, a0] = [255, 255, 255, 255];
	let [r1, g1, b1, a1] = [0, 0, 0, 0];
	let population = 0;
	for (let i = start; i < end; i++) {
		const c = order[i];
		const p = c * 4;
		population += counts[c];
		const r = pre[p];
		const g = pre[p + 1];
		const b = pre[p + 2];
		const a = pre[p + 3];
		if (r < r0) r0 = r;
		if (r > r1) r1 = r;
		if (g < g0) g0 = g;
		if (g > g1) g1 = g;
		if (b < b0) b0 = b;
		if (b > b1) b1 = b;
		if (a < a0) a0 = a;
		if (a > a1) a1 = a;
	}
	const ranges = [r1 - r0, g1 - g0, b1 - b0, a1 - a0];
	let channel = 0;
	for (let ch = 1; ch < 4; ch++) if (ranges[ch] > ranges[channel]) channel = ch;
	return { start, end, population, channel, range: ranges[channel] };
}

/** Colours, pixels or distance tests between two yields (hot loops live in plain functions). */
const WORK_PER_SLICE = 1 << 14;

/** Splits the box with the most pixels × widest channel at its weighted median until `budget` boxes. */
function* medianCut(
	pre: Uint8Array,
	counts: Uint32Array,
	budget: number,
): Sliced<{ entries: Uint32Array; boxOf: Int32Array }> {
	const size = counts.length;
	const order = new Uint32Array(size);
	for (let i = 0; i < size; i++) order[i] = i;
	const scratch = new Uint32Array(size);
	yield;
	const boxes: Box[] = [measure(pre, counts, order, 0, size)];
	const tick = ticker(WORK_PER_SLICE);
	while (boxes.length < budget) {
		const pick = widestBox(boxes);
		if (pick < 0) break; // every box is one colour
		const box = boxes[pick];
		if (tick(box.end - box.start)) yield;
		const split = sortAndSplit(pre, counts, order, scratch, box);
		if (tick(box.end - box.start)) yield;
		boxes[pick] = measure(pre, counts, order, box.start, split);
		boxes.push(measure(pre, counts, order, split, box.end));
		if (tick(box.end - box.start)) yield;
	}
	const entries = new Uint32Array(boxes.length);
	const boxOf = new Int32Array(size);
	for (let b = 0; b < boxes.length; b++) {
		entries[b] = boxMean(pre, counts, order, boxes[b], b, boxOf);
		if (tick(boxes[b].end - boxes[b].start)) yield;
	}
	return { entries, boxOf };
}

function widestBox(boxes: Box[]): number {
	let pick = -1;
	let score = 0;
	for (let b = 0; b < boxes.length; b++) {
		const box = boxes[b];
		if (box.range > 0 && box.population * box.range > score) [pick, score] = [b, box.population * box.range];
	}
	return pick;
}

/** The box's pixel-weighted mean colour (straight RGBA, packed); marks its colours in `boxOf`. */
function boxMean(pre: Uint8Array, counts: Uint32Array, order: Uint32Array, box: Box, b: number, boxOf: Int32Array): number {
	let r = 0;
	let g = 0;
	let bl = 0;
	let a = 0;
	for (let i = box.start; i < box.end; i++) {
		const c = order[i];
		boxOf[c] = b;
		const n = counts[c];
		r += pre[c * 4] * n;
		g += pre[c * 4 + 1] * n;
		bl += pre[c * 4 + 2] * n;
		a += pre[c * 4 + 3] * n;
	}
	return straightFromPremultipliedSums([r, g, bl, a], box.population);
}

/** Counting sort of the box's colours by its widest channel; returns the index of the weighted median. */
function sortAndSplit(pre: Uint8Array, counts: Uint32Array, order: Uint32Array, scratch: Uint32Array, box: Box): number {
	const { start, end, channel } = box;
	const bucketStart = new Uint32Array(257);
	for (let i = start; i < end; i++) bucketStart[pre[order[i] * 4 + channel] + 1]++;
	for (let v = 1; v <= 256; v++) bucketStart[v] += bucketStart[v - 1];
	for (let i = start; i < end; i++) {
		const c = order[i];
		scratch[start + bucketStart[pre[c * 4 + channel]]++] = c;
	}
	order.set(scratch.subarray(start, end), start);
	let seen = 0;
	let split = start;
	while (split < end - 1 && seen + counts[order[split]] <= box.population / 2) seen += counts[order[split++]];
	if (split === start) split++;
	// Never split between two colours with the same value of the channel: keep equal values together.
	const value = pre[order[split] * 4 + channel];
	while (split > start + 1 && pre[order[split - 1] * 4 + channel] === value) split--;
	if (pre[order[split - 1] * 4 + channel] === value) {
		while (split < end && pre[order[split] * 4 + channel] === value) split++;
	}
	return split;
}

function straightFromPremultipliedSums(sum: number[], population: number): number {
	const a = sum[3] / population;
	const alpha = Math.round(a);
	if (alpha === 0) return 0;
	const channel = (s: number) => Math.min(255, Math.round((s / population / a) * 255));
	return ((channel(sum[0]) << 24) | (channel(sum[1]) << 16) | (channel(sum[2]) << 8) | alpha) >>> 0;
}

/**
 * The indexed image: `entries` (plus 0,0,0,0 when there are transparent pixels), sorted by alpha, and one
 * index per pixel through `nearest` (colour → entry).
 */
function* assemble(table: ColourTable, entries: Uint32Array, nearest: Int32Array): Sliced<IndexedImage> {
	const hasTransparent = table.transparentPixels > 0;
	const all = hasTransparent ? [...entries, 0] : [...entries];
	const transparent = entries.length;
	const order = all.map((_, e) => e).sort((x, y) => (all[x] & 0xff) - (all[y] & 0xff) || x - y);
	const position = new Int32Array(all.length);
	order.forEach((e, i) => (position[e] = i));
	const palette = new Uint8Array(all.length * 4);
	order.forEach((e, i) => {
		const v = all[e];
		palette.set([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff], i * 4);
	});
	const indices = new Uint8Array(table.pixelColours.length);
	for (let p = 0; p < indices.length; p += WORK_PER_SLICE * 4) {
		indexPixels(table.pixelColours, nearest, position, transparent, indices, p, Math.min(indices.length, p + WORK_PER_SLICE * 4));
		yield;
	}
	return { width: table.width, height: table.height, palette, indices };
}

function indexPixels(
	pixelColours: Int32Array,
	nearest: Int32Array,
	position: Int32Array,
	transparent: number,
	indices: Uint8Array,
	from: number,
	to: number,
): void {
	for (let p = from; p < to; p++) {
		const c = pixelColours[p];
		indices[p] = position[c < 0 ? transparent : nearest[c]];
	}
}

/** The RGBA pixels an indexed image shows. */
export function* expandIndexed(image: IndexedImage): Sliced<RgbaImage> {
	const data = new Uint8Array(image.width * image.height * 4);
	for (let p = 0; p < image.indices.length; p += WORK_PER_SLICE * 4) {
		expandPixels(image, data, p, Math.min(image.indices.length, p + WORK_PER_SLICE * 4));
		yield;
	}
	return { width: image.width, height: image.height, data };
}

function expandPixels(image: IndexedImage, data: Uint8Array, from: number, to: number): void {
	const { palette, indices } = image;
	for (let p = from; p < to; p++) {
		const e = indices[p] * 4;
		data[p * 4] = palette[e];
		data[p * 4 + 1] = palette[e + 1];
		data[p * 4 + 2] = palette[e + 2];
		data[p * 4 + 3] = palette[e + 3];
	}
}
