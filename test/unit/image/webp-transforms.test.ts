import {
	bundleBits,
	bundlePixels,
	collectPalette,
	indexPixels,
	paletteDeltas,
	subtractGreen,
} from '../../../nodes/FaceToSticker/image/webp/transforms';

const argb = (a: number, r: number, g: number, b: number) => ((a << 24) | (r << 16) | (g << 8) | b) >>> 0;

describe('subtract green', () => {
	it('takes green off red and blue modulo 256, and adding it back restores the pixels', () => {
		const pixels = Uint32Array.from([argb(255, 10, 20, 30), argb(0, 250, 3, 1), argb(7, 0, 255, 255), 0]);
		const out = subtractGreen(pixels);
		expect(out[0]).toBe(argb(255, 246, 20, 10));
		const back = out.map((p) => {
			const g = (p >>> 8) & 0xff;
			return ((p & 0xff00ff00) | ((((p >>> 16) + g) & 0xff) << 16) | ((p + g) & 0xff)) >>> 0;
		});
		expect(back).toEqual(pixels);
		expect(pixels[1]).toBe(argb(0, 250, 3, 1));
	});
});

describe('colour indexing', () => {
	it('collects the distinct colours in ascending order', () => {
		const pixels = Uint32Array.from([5, 3, 3, 0xffffffff, 5, 0]);
		expect(Array.from(collectPalette(pixels) ?? [])).toEqual([0, 3, 5, 0xffffffff]);
	});

	it('gives up past 256 colours (257 here), and allows exactly 256', () => {
		const many = Uint32Array.from({ length: 257 }, (_, i) => argb(255, i & 0xff, i >> 8, 0));
		expect(collectPalette(many)).toBeNull();
		expect(collectPalette(many.subarray(0, 256))?.length).toBe(256);
	});

	it('maps pixels to their palette index', () => {
		const palette = Uint32Array.from([7, 9, 11]);
		expect(Array.from(indexPixels(Uint32Array.from([11, 11, 7, 9, 9]), palette))).toEqual([2, 2, 0, 1, 1]);
		expect(() => indexPixels(Uint32Array.from([8]), palette)).toThrow('missing from the palette');
	});

	it('bundles 8, 4, 2 or 1 pixels per byte for palettes of 2, 4, 16 and more colours', () => {
		expect([1, 2, 3, 4, 5, 16, 17, 256].map(bundleBits)).toEqual([3, 3, 2, 2, 1, 1, 0, 0]);
	});

	it.each([0, 1, 2, 3])('packs indices with width bits %i so that unpacking gives them back', (widthBits) => {
		const width = 13;
		const height = 3;
		const bitsPerIndex = 8 >> widthBits;
		const indices = Uint8Array.from({ length: width * height }, (_, i) => (i * 7 + 3) % (1 << bitsPerIndex));
		const { packed, packedWidth } = bundlePixels(indices, width, height, widthBits);
		expect(packedWidth).toBe(Math.ceil(width / (1 << widthBits)));
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) {
				const p = packed[y * packedWidth + (x >> widthBits)];
				expect(p >>> 24).toBe(255);
				const g = (p >>> 8) & 0xff;
				expect((g >> (bitsPerIndex * (x & ((1 << widthBits) - 1)))) & ((1 << bitsPerIndex) - 1)).toBe(indices[y * width + x]);
			}
		}
	});

	it('sends the palette as per-channel deltas that sum back to it', () => {
		const palette = Uint32Array.from([argb(255, 1, 2, 3), argb(0, 0, 255, 4), argb(128, 200, 2, 1)]);
		const deltas = paletteDeltas(palette);
		expect(deltas[0]).toBe(palette[0]);
		expect(deltas[1]).toBe(argb(1, 255, 253, 1));
		let sum = 0;
		deltas.forEach((d, i) => {
			let next = 0;
			for (let s = 0; s < 32; s += 8) next |= ((((sum >>> s) & 0xff) + ((d >>> s) & 0xff)) & 0xff) << s;
			sum = next >>> 0;
			expect(sum).toBe(palette[i]);
		});
	});
});
