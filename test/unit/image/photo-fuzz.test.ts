import * as zlib from 'zlib';

import { DEFAULT_PHOTO_LIMITS, preparePhoto } from '../../../nodes/FaceToSticker/image/photo/prepare';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError } from '../../../nodes/FaceToSticker/image/types';
import { int } from '../../helpers/fuzz';
import { prng } from '../../helpers/random';
import { fixture } from './jpeg-fixtures';
import { chunk, exifSegment, marked, rgbaPng, segment, tiff, webp, withSegments } from './photo-builders';

// Mutated photos through the whole preparation (sniffing, metadata walk, EXIF, decoding, stripping,
// re-encoding): each must end in an ImageFormatError or a well-formed PreparedPhoto. Replay with
// PHOTO_FUZZ_SEED=<n>.

const SEED = Number(process.env.PHOTO_FUZZ_SEED ?? 20261205);
const LIMITS = { ...DEFAULT_PHOTO_LIMITS, maxPixels: 256 * 256, maxSide: 24 };
const CASES = 400;

const SEEDS: Array<[string, Uint8Array]> = [
	['JPEG with EXIF (orientation 6, GPS), XMP, ICC, COM', withSegments(fixture('b420r'), [exifSegment(6, { gps: true }), segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x/>'), segment(0xe2, [...Buffer.from('ICC_PROFILE\0', 'latin1'), 1, 1, 9, 9]), segment(0xfe, 'note')], [1, 2, 3])],
	['progressive JPEG with big-endian EXIF (orientation 8)', withSegments(fixture('p422r'), [exifSegment(8, { little: false })])],
	['PNG with eXIf, text and iCCP', rgbaPng(marked(30, 20), [chunk('eXIf', tiff(5)), chunk('tEXt', Buffer.from('a\0b')), chunk('iCCP', [...Buffer.from('p\0\0'), ...zlib.deflateSync(Buffer.from('icc'))])])],
	['WebP with EXIF and XMP', webp(20, 10, [['EXIF', tiff(6, { gps: true })], ['XMP ', Buffer.from('<x/>')]])],
];

function mutate(file: Uint8Array, random: () => number): Uint8Array {
	const kind = int(random, 4);
	if (kind === 0) return file.subarray(0, int(random, file.length));
	const out = file.slice();
	if (kind === 1) for (let n = 1 + int(random, 4); n > 0; n--) out[int(random, out.length)] ^= 1 << int(random, 8);
	else if (kind === 2) for (let n = 1 + int(random, 4); n > 0; n--) out[int(random, out.length)] = [0, 0xff, 0xd9, 0xe1, 6, int(random, 256)][int(random, 6)];
	else {
		// Early bytes (headers, segment lengths, EXIF) matter most.
		for (let n = 1 + int(random, 3); n > 0; n--) out[int(random, Math.min(out.length, 200))] = int(random, 256);
	}
	return out;
}

describe(`photo preparation fuzz (seed ${SEED}, ${SEEDS.length * CASES} cases; replay with PHOTO_FUZZ_SEED)`, () => {
	it.each(SEEDS.map(([name, file], index) => [name, file, index] as const))('%s: every mutant ends in ImageFormatError or a prepared photo', (name, file, index) => {
		const random = prng(SEED + 104729 * (index + 1));
		let prepared = 0;
		for (let i = 0; i < CASES; i++) {
			const mutant = mutate(file, random);
			try {
				const photo = runToEnd(preparePhoto(mutant, LIMITS));
				expect(photo.sent.bytes).toBe(photo.bytes.length);
				expect(['image/jpeg', 'image/png', 'image/webp']).toContain(photo.mimeType);
				expect(photo.orientation).toBeGreaterThanOrEqual(1);
				expect(photo.orientation).toBeLessThanOrEqual(8);
				prepared++;
			} catch (error) {
				if (!(error instanceof ImageFormatError)) throw new Error(`${name} #${i} (PHOTO_FUZZ_SEED=${SEED}): ${String(error)}`);
			}
		}
		// Some mutants (e.g. in pixel data) still prepare: the test sees both outcomes.
		expect(prepared).toBeGreaterThan(0);
	});
});
