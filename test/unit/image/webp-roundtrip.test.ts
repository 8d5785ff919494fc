import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import type { IndexedImage, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { encodeWebpLossless } from '../../../nodes/FaceToSticker/image/webp/encode';
import { blockResiduals, predictorTransform, PREDICTOR_MODES } from '../../../nodes/FaceToSticker/image/webp/predictor';

// A small VP8L decoder written from RFC 9649 for these tests, independent of the encoder's code (its own
// predictors, its own prefix-code reader), so that every encoder path is checked without the dwebp oracle.

const CODE_LENGTH_ORDER = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
// RFC 9649 §3.5.2.2, the (xi, yi) list in code order.
const PLANE = [
	[0, 1], [1, 0], [1, 1], [-1, 1], [0, 2], [2, 0], [1, 2], [-1, 2], [2, 1], [-2, 1], [2, 2], [-2, 2], [0, 3],
	[3, 0], [1, 3], [-1, 3], [3, 1], [-3, 1], [2, 3], [-2, 3], [3, 2], [-3, 2], [0, 4], [4, 0], [1, 4], [-1, 4],
	[4, 1], [-4, 1], [3, 3], [-3, 3], [2, 4], [-2, 4], [4, 2], [-4, 2], [0, 5], [3, 4], [-3, 4], [4, 3], [-4, 3],
	[5, 0], [1, 5], [-1, 5], [5, 1], [-5, 1], [2, 5], [-2, 5], [5, 2], [-5, 2], [4, 4], [-4, 4], [3, 5], [-3, 5],
	[5, 3], [-5, 3], [0, 6], [6, 0], [1, 6], [-1, 6], [6, 1], [-6, 1], [2, 6], [-2, 6], [6, 2], [-6, 2], [4, 5],
	[-4, 5], [5, 4], [-5, 4], [3, 6], [-3, 6], [6, 3], [-6, 3], [0, 7], [7, 0], [1, 7], [-1, 7], [5, 5], [-5, 5],
	[7, 1], [-7, 1], [4, 6], [-4, 6], [6, 4], [-6, 4], [2, 7], [-2, 7], [7, 2], [-7, 2], [3, 7], [-3, 7], [7, 3],
	[-7, 3], [5, 6], [-5, 6], [6, 5], [-6, 5], [8, 0], [4, 7], [-4, 7], [7, 4], [-7, 4], [8, 1], [8, 2], [6, 6],
	[-6, 6], [8, 3], [5, 7], [-5, 7], [7, 5], [-7, 5], [8, 4], [6, 7], [-6, 7], [7, 6], [-7, 6], [8, 5], [7, 7],
	[-7, 7], [8, 6], [8, 7],
];

class Reader {
	private bit = 0;
	constructor(private readonly bytes: Uint8Array, private position: number) {}
	read(count: number): number {
		let value = 0;
		for (let i = 0; i < count; i++) {
			if (this.position >= this.bytes.length) throw new Error('read past the end');
			value |= ((this.bytes[this.position] >> this.bit) & 1) << i;
			if (++this.bit === 8) {
				this.bit = 0;
				this.position++;
			}
		}
		return value >>> 0;
	}
}

type Decode = (r: Reader) => number;

/** A canonical code read MSB-first bit by bit; a single used symbol takes no bits (as libwebp does). */
function decoderFor(lengths: number[]): Decode {
	const used = lengths.map((l, s) => [l, s]).filter(([l]) => l > 0);
	if (used.length === 0) throw new Error('empty code');
	if (used.length === 1) return () => used[0][1];
	let kraft = 0;
	for (const [l] of used) kraft += 2 ** -l;
	if (kraft !== 1) throw new Error(`code is not complete (Kraft sum ${kraft})`);
	used.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const table = new Map<string, number>();
	let code = 0;
	let previousLength = used[0][0];
	for (const [l, s] of used) {
		code <<= l - previousLength;
		previousLength = l;
		table.set(`${l}:${code}`, s);
		code++;
	}
	return (r) => {
		let value = 0;
		for (let l = 1; l <= 15; l++) {
			value = (value << 1) | r.read(1);
			const s = table.get(`${l}:${value}`);
			if (s !== undefined) return s;
		}
		throw new Error('bad code');
	};
}

function readCode(r: Reader, alphabet: number): Decode {
	if (r.read(1) === 1) {
		const count = r.read(1) + 1;
		const first = r.read(r.read(1) === 1 ? 8 : 1);
		const lengths = new Array(alphabet).fill(0);
		lengths[first] = 1;
		if (count === 2) lengths[r.read(8)] = 1;
		return decoderFor(lengths);
	}
	const lengthLengths = new Array(19).fill(0);
	const n = r.read(4) + 4;
	for (let i = 0; i < n; i++) lengthLengths[CODE_LENGTH_ORDER[i]] = r.read(3);
	const lengthCode = decoderFor(lengthLengths);
	let maxSymbol = alphabet;
	if (r.read(1) === 1) maxSymbol = 2 + r.read(2 + 2 * r.read(3));
	const lengths: number[] = [];
	let previous = 8;
	while (lengths.length < alphabet && maxSymbol-- > 0) {
		const s = lengthCode(r);
		if (s < 16) {
			lengths.push(s);
			if (s !== 0) previous = s;
		} else {
			const repeat = s === 16 ? 3 + r.read(2) : s === 17 ? 3 + r.read(3) : 11 + r.read(7);
			for (let k = 0; k < repeat; k++) lengths.push(s === 16 ? previous : 0);
		}
	}
	if (lengths.length > alphabet) throw new Error('code lengths overrun the alphabet');
	while (lengths.length < alphabet) lengths.push(0);
	return decoderFor(lengths);
}

function readValue(r: Reader, prefix: number): number {
	if (prefix < 4) return prefix + 1;
	const extra = (prefix - 2) >> 1;
	return ((2 + (prefix & 1)) << extra) + r.read(extra) + 1;
}

let lastCacheBits = 0;

function readImage(r: Reader, width: number, height: number, isMain: boolean): Uint32Array {
	const cacheBits = r.read(1) === 1 ? r.read(4) : 0;
	if (cacheBits > 11) throw new Error('colour cache too big');
	lastCacheBits = cacheBits;
	if (isMain && r.read(1) === 1) throw new Error('meta prefix codes are not expected');
	const cacheSize = cacheBits > 0 ? 1 << cacheBits : 0;
	const green = readCode(r, 280 + cacheSize);
	const red = readCode(r, 256);
	const blue = readCode(r, 256);
	const alpha = readCode(r, 256);
	const distance = readCode(r, 40);
	const out = new Uint32Array(width * height);
	const cache = new Uint32Array(cacheSize);
	const remember = (argb: number) => {
		if (cacheSize > 0) cache[Math.imul(argb, 0x1e35a7bd) >>> (32 - cacheBits)] = argb;
	};
	for (let i = 0; i < out.length; ) {
		const g = green(r);
		if (g < 256) {
			const rr = red(r);
			const b = blue(r);
			const argb = ((alpha(r) << 24) | (rr << 16) | (g << 8) | b) >>> 0;
			out[i++] = argb;
			remember(argb);
		} else if (g < 280) {
			const length = readValue(r, g - 256);
			const code = readValue(r, distance(r));
			let d = code - 120;
			if (code <= 120) {
				const [xi, yi] = PLANE[code - 1];
				d = Math.max(1, xi + yi * width);
			}
			if (d > i || i + length > out.length) throw new Error(`copy out of range at ${i}`);
			for (let k = 0; k < length; k++, i++) {
				out[i] = out[i - d];
				remember(out[i]);
			}
		} else {
			out[i++] = cache[g - 280];
		}
	}
	return out;
}

const channel = (p: number, c: number) => (p >>> (8 * c)) & 0xff;
const join = (v: number[]) => ((v[3] << 24) | (v[2] << 16) | (v[1] << 8) | v[0]) >>> 0;
const perChannel = (f: (c: number) => number) => join([0, 1, 2, 3].map(f));
const avg = (a: number, b: number) => perChannel((c) => (channel(a, c) + channel(b, c)) >> 1);
const clamp = (v: number) => Math.max(0, Math.min(255, v));

/** The spec's predictors, written out channel by channel. */
function specPredict(mode: number, L: number, T: number, TR: number, TL: number): number {
	switch (mode) {
		case 0: return 0xff000000;
		case 1: return L;
		case 2: return T;
		case 3: return TR;
		case 4: return TL;
		case 5: return avg(avg(L, TR), T);
		case 6: return avg(L, TL);
		case 7: return avg(L, T);
		case 8: return avg(TL, T);
		case 9: return avg(T, TR);
		case 10: return avg(avg(L, TL), avg(T, TR));
		case 11: {
			const p = [0, 1, 2, 3].map((c) => channel(L, c) + channel(T, c) - channel(TL, c));
			let pL = 0;
			let pT = 0;
			for (let c = 0; c < 4; c++) {
				pL += Math.abs(p[c] - channel(L, c));
				pT += Math.abs(p[c] - channel(T, c));
			}
			return pL < pT ? L : T;
		}
		case 12: return perChannel((c) => clamp(channel(L, c) + channel(T, c) - channel(TL, c)));
		default: {
			const a = avg(L, T);
			return perChannel((c) => clamp(channel(a, c) + Math.trunc((channel(a, c) - channel(TL, c)) / 2)));
		}
	}
}

const addPixels = (a: number, b: number) => perChannel((c) => (channel(a, c) + channel(b, c)) & 0xff);

/** Undoes the predictor transform in place. */
function inversePredictor(px: Uint32Array, width: number, height: number, bits: number, modes: Uint32Array): void {
	const modesWidth = Math.ceil(width / (1 << bits));
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = y * width + x;
			let prediction: number;
			if (x === 0 && y === 0) prediction = 0xff000000;
			else if (y === 0) prediction = px[i - 1];
			else if (x === 0) prediction = px[i - width];
			else {
				const mode = channel(modes[(y >> bits) * modesWidth + (x >> bits)], 1);
				// On the right edge the "top-right" pixel is the first of the current row.
				const topRight = x === width - 1 ? px[y * width] : px[i - width + 1];
				prediction = specPredict(mode, px[i - 1], px[i - width], topRight, px[i - width - 1]);
			}
			px[i] = addPixels(px[i], prediction);
		}
	}
}

interface Decoded {
	width: number;
	height: number;
	alphaHint: number;
	pixels: Uint32Array;
	transforms: number[];
	mainCacheBits: number;
}

/** Decodes a whole .webp file made of one VP8L chunk. */
function decodeWebp(file: Uint8Array): Decoded {
	const text = (o: number) => String.fromCharCode(...file.subarray(o, o + 4));
	if (text(0) !== 'RIFF' || text(8) !== 'WEBP' || text(12) !== 'VP8L') throw new Error('not a VP8L file');
	const r = new Reader(file, 20);
	if (r.read(8) !== 0x2f) throw new Error('bad signature');
	const width = r.read(14) + 1;
	const height = r.read(14) + 1;
	const alphaHint = r.read(1);
	if (r.read(3) !== 0) throw new Error('bad version');
	let xsize = width;
	const transforms: number[] = [];
	const undo: Array<(px: Uint32Array) => Uint32Array> = [];
	while (r.read(1) === 1) {
		const type = r.read(2);
		if (transforms.includes(type)) throw new Error('transform used twice');
		transforms.push(type);
		if (type === 0) {
			const bits = r.read(3) + 2;
			const size = 1 << bits;
			const modes = readImage(r, Math.ceil(xsize / size), Math.ceil(height / size), false);
			const w = xsize;
			undo.push((px) => {
				inversePredictor(px, w, height, bits, modes);
				return px;
			});
		} else if (type === 2) {
			undo.push((px) => px.map((p) => {
				const g = channel(p, 1);
				return ((p & 0xff00ff00) | (((channel(p, 2) + g) & 0xff) << 16) | ((channel(p, 0) + g) & 0xff)) >>> 0;
			}));
		} else if (type === 3) {
			const size = r.read(8) + 1;
			const palette = readImage(r, size, 1, false);
			for (let i = 1; i < size; i++) palette[i] = addPixels(palette[i], palette[i - 1]);
			const widthBits = size <= 2 ? 3 : size <= 4 ? 2 : size <= 16 ? 1 : 0;
			const packedWidth = Math.ceil(xsize / (1 << widthBits));
			const w = xsize;
			xsize = packedWidth;
			undo.push((packed) => {
				const out = new Uint32Array(w * height);
				const bitsPerIndex = 8 >> widthBits;
				for (let y = 0; y < height; y++) {
					for (let x = 0; x < w; x++) {
						const g = channel(packed[y * packedWidth + (x >> widthBits)], 1);
						const index = (g >> (bitsPerIndex * (x & ((1 << widthBits) - 1)))) & ((1 << bitsPerIndex) - 1);
						out[y * w + x] = index < size ? palette[index] : 0;
					}
				}
				return out;
			});
		} else {
			throw new Error(`transform ${type} is not expected`);
		}
	}
	let pixels = readImage(r, xsize, height, true);
	const mainCacheBits = lastCacheBits;
	for (let t = undo.length - 1; t >= 0; t--) pixels = undo[t](pixels);
	return { width, height, alphaHint, pixels, transforms, mainCacheBits };
}

function argbOf(image: RgbaImage): Uint32Array {
	const out = new Uint32Array(image.width * image.height);
	for (let i = 0; i < out.length; i++) {
		const d = image.data;
		out[i] = ((d[4 * i + 3] << 24) | (d[4 * i] << 16) | (d[4 * i + 1] << 8) | d[4 * i + 2]) >>> 0;
	}
	return out;
}

function prng(seed: number): () => number {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 4294967296;
	};
}

function image(width: number, height: number, pixel: (x: number, y: number) => number[]): RgbaImage {
	const data = new Uint8Array(width * height * 4);
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
	return { width, height, data };
}

/** Smooth gradients with a little noise and a transparent surround whose RGB is kept. */
function photoLike(width: number, height: number, seed = 3): RgbaImage {
	const random = prng(seed);
	return image(width, height, (x, y) => {
		const n = () => Math.floor(random() * 6);
		const inside = Math.hypot(x - width / 2, y - height / 2) < Math.min(width, height) * 0.4;
		return [(x * 3 + n()) & 255, (y * 2 + 40 + n()) & 255, (x + y + n()) & 255, inside ? 255 : (x * y) & 7];
	});
}

function expectRoundTrip(input: RgbaImage | IndexedImage): Decoded {
	const file = runToEnd(encodeWebpLossless(input));
	const decoded = decodeWebp(file);
	let expected: Uint32Array;
	if ('indices' in input) {
		const palette = argbOf({ width: input.palette.length / 4, height: 1, data: input.palette });
		expected = Uint32Array.from(input.indices, (i) => palette[i]);
	} else {
		expected = argbOf(input);
	}
	expect(decoded.width).toBe(input.width);
	expect(decoded.height).toBe(input.height);
	expect(decoded.pixels).toEqual(expected);
	return decoded;
}

function indexed(width: number, height: number, colours: number, seed: number): IndexedImage {
	const random = prng(seed);
	const palette = new Uint8Array(colours * 4);
	for (let i = 0; i < palette.length; i++) palette[i] = Math.floor(random() * 256);
	const indices = new Uint8Array(width * height);
	// Runs of indices, so copies and the cache get used too.
	for (let i = 0; i < indices.length; i++) indices[i] = random() < 0.7 && i > 0 ? indices[i - 1] : Math.floor(random() * colours);
	return { width, height, palette, indices };
}

describe('encodeWebpLossless round trip through a decoder written from RFC 9649', () => {
	it('keeps a 1×1 image', () => {
		expectRoundTrip(image(1, 1, () => [10, 20, 30, 255]));
	});

	it('keeps an odd-sized 37×19 gradient, whose width is no multiple of the predictor block', () => {
		expectRoundTrip(image(37, 19, (x, y) => [x * 5, y * 9, x + y, 255]));
	});

	it('keeps a flat colour image', () => {
		expectRoundTrip(image(40, 30, () => [200, 100, 50, 255]));
	});

	it('keeps an all-transparent image with non-zero RGB under alpha 0', () => {
		const d = expectRoundTrip(image(20, 20, (x, y) => [x * 9, y * 7, 3, 0]));
		expect(d.alphaHint).toBe(1);
	});

	it('keeps random noise, where LZ77 finds nothing', () => {
		const random = prng(11);
		expectRoundTrip(image(48, 40, () => [0, 0, 0, 0].map(() => Math.floor(random() * 256))));
	});

	it('keeps a photo-like image through subtract green and the predictor', () => {
		const d = expectRoundTrip(photoLike(96, 80));
		expect(d.transforms).toEqual([2, 0]);
	});

	it('keeps an image whose colours recur out of order, coded with a colour cache', () => {
		const random = prng(7);
		const colours = Array.from({ length: 40 }, () => [0, 0, 0].map(() => Math.floor(random() * 256)).concat(255));
		const d = expectRoundTrip(
			image(64, 64, (x, y) => (random() < 0.5 ? colours[Math.floor(random() * 40)] : [x * 4, y * 4, x ^ y, 255])),
		);
		expect(d.mainCacheBits).toBeGreaterThan(0);
	});

	it('keeps a wide image (distances beyond the 2D short codes)', () => {
		const random = prng(5);
		const tile = Array.from({ length: 300 }, () => [0, 0, 0, 0].map(() => Math.floor(random() * 256)));
		expectRoundTrip(image(300, 6, (x) => tile[x]));
	});

	it.each([2, 3, 4, 11, 16, 17, 200, 256])('keeps an indexed image of %i colours (colour indexing, bundling)', (n) => {
		const d = expectRoundTrip(indexed(29, 13, n, n));
		expect(d.transforms).toEqual([3]);
	});

	it('keeps a one-colour indexed image', () => {
		expectRoundTrip({ width: 9, height: 5, palette: new Uint8Array([1, 2, 3, 0]), indices: new Uint8Array(45) });
	});

	it('uses the palette for an RGBA image of few colours when that is smaller', () => {
		const colours = [[255, 0, 0, 255], [0, 0, 255, 255], [9, 9, 9, 0]];
		const d = expectRoundTrip(image(64, 64, (x, y) => colours[((x >> 3) + (y >> 2)) % 3]));
		expect(d.transforms).toEqual([3]);
	});

	it('says alpha is unused for an opaque image', () => {
		expect(expectRoundTrip(image(5, 5, () => [1, 2, 3, 255])).alphaHint).toBe(0);
	});
});

describe('predictor transform inverted by the spec predictors', () => {
	const source = photoLike(45, 23, 9).data;
	const pixels = new Uint32Array(45 * 23);
	for (let i = 0; i < pixels.length; i++) {
		pixels[i] = ((source[4 * i + 3] << 24) | (source[4 * i] << 16) | (source[4 * i + 1] << 8) | source[4 * i + 2]) >>> 0;
	}

	it.each(Array.from({ length: PREDICTOR_MODES }, (_, m) => m))('inverts mode %i used for every block', (mode) => {
		const bits = 2;
		const modesWidth = Math.ceil(45 / 4);
		const modes = new Uint32Array(modesWidth * Math.ceil(23 / 4)).fill((0xff000000 | (mode << 8)) >>> 0);
		const residuals = new Uint32Array(pixels.length);
		for (let by = 0; by < Math.ceil(23 / 4); by++) {
			for (let bx = 0; bx < modesWidth; bx++) blockResiduals(pixels, 45, 23, bits, bx, by, mode, residuals);
		}
		inversePredictor(residuals, 45, 23, bits, modes);
		expect(residuals).toEqual(pixels);
	});

	it('inverts the modes it chooses itself, block size 8, and the choice varies over the image', () => {
		const result = runToEnd(predictorTransform(pixels, 45, 23, 3));
		expect(result.modesWidth).toBe(6);
		expect(new Set(Array.from(result.modes, (m) => (m >> 8) & 0xff)).size).toBeGreaterThan(1);
		const back = Uint32Array.from(result.residuals);
		inversePredictor(back, 45, 23, 3, result.modes);
		expect(back).toEqual(pixels);
	});
});
