// A small VP8L decoder written from RFC 9649 for the tests, independent of the encoder's code (its own
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

/** Reads bits LSB-first from `bytes`, starting at byte `position`. */
export class Reader {
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

/** Reads the code lengths a prefix code declares (RFC 9649 §3.7.2.1): a simple code, or a normal one. */
export function readCodeLengths(r: Reader, alphabet: number): { simple: boolean; lengths: number[] } {
	if (r.read(1) === 1) {
		const count = r.read(1) + 1;
		const first = r.read(r.read(1) === 1 ? 8 : 1);
		const lengths = new Array(alphabet).fill(0);
		lengths[first] = 1;
		if (count === 2) lengths[r.read(8)] = 1;
		return { simple: true, lengths };
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
	return { simple: false, lengths };
}

function readCode(r: Reader, alphabet: number): Decode {
	return decoderFor(readCodeLengths(r, alphabet).lengths);
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
export function inversePredictor(px: Uint32Array, width: number, height: number, bits: number, modes: Uint32Array): void {
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

export interface Decoded {
	width: number;
	height: number;
	alphaHint: number;
	pixels: Uint32Array;
	transforms: number[];
	mainCacheBits: number;
}

/** Decodes a whole .webp file made of one VP8L chunk. */
export function decodeWebp(file: Uint8Array): Decoded {
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
