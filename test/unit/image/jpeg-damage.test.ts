import { decodeJpeg, MAX_SCANS } from '../../../nodes/FaceToSticker/image/jpeg/decode';
import { runToEnd } from '../../../nodes/FaceToSticker/image/slices';
import { ImageFormatError, RgbaImage } from '../../../nodes/FaceToSticker/image/types';
import { fixture } from './jpeg-fixtures';

// Damaged JPEGs, each refused with an ImageFormatError that names what is wrong (the fuzz test covers
// thousands more, without checking the words).

const decode = (bytes: Uint8Array, maxPixels = 1 << 24): RgbaImage => runToEnd(decodeJpeg(bytes, { maxPixels }));

/** Offsets of every segment with `marker` before the first scan's data (and the SOS itself). */
function findSegment(bytes: Uint8Array, marker: number, nth = 0): { start: number; end: number } {
	let seen = 0;
	for (let pos = 2; pos < bytes.length; ) {
		const m = bytes[pos + 1];
		const end = pos + 2 + ((bytes[pos + 2] << 8) | bytes[pos + 3]);
		if (m === marker && seen++ === nth) return { start: pos, end };
		if (m === 0xda) break;
		pos = end;
	}
	throw new Error(`no segment 0x${marker.toString(16)}`);
}

const cut = (bytes: Uint8Array, from: number, to: number): Uint8Array => new Uint8Array([...bytes.subarray(0, from), ...bytes.subarray(to)]);
const insert = (bytes: Uint8Array, at: number, part: ArrayLike<number>): Uint8Array => new Uint8Array([...bytes.subarray(0, at), ...Array.from(part), ...bytes.subarray(at)]);

/** SOI + one frame header + EOI. */
function frameOnly(marker: number, precision: number, width: number, height: number, components: number[][]): Uint8Array {
	const body = [precision, height >> 8, height & 255, width >> 8, width & 255, components.length, ...components.flat()];
	return new Uint8Array([0xff, 0xd8, 0xff, marker, 0, body.length + 2, ...body, 0xff, 0xd9]);
}

function expectError(bytes: Uint8Array, message: RegExp, type: typeof ImageFormatError = ImageFormatError): void {
	let thrown: unknown;
	try {
		decode(bytes);
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(type);
	expect((thrown as Error).message).toMatch(message);
}

describe('decodeJpeg on damaged files', () => {
	const good = fixture('b420r');

	it('not a JPEG at all', () => expectError(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), /not a JPEG/));
	it('truncated in the image data', () => expectError(good.subarray(0, good.length - 200), /truncated/));
	it('truncated in a header segment', () => expectError(good.subarray(0, 100), /truncated: it ends inside the DQT segment/));
	it('truncated right after the last scan (no EOI)', () => expectError(good.subarray(0, good.length - 2), /truncated: it ends before its end marker/));
	it('truncated inside a marker', () => expectError(new Uint8Array([0xff, 0xd8, 0xff, 0xff]), /inside a marker/));

	it('more pixels than the limit, refused from the header', () => {
		expect(() => decode(good, 37 * 27 - 1)).toThrow(/37 × 27 pixels, more than the 998 pixels accepted/);
	});

	it('a Huffman table missing (DHT out of place)', () => {
		const { start, end } = findSegment(good, 0xc4);
		expectError(cut(good, start, end), /Huffman table 0 before a DHT segment defines it/);
	});

	it('a quantisation table missing (DQT out of place)', () => {
		const { start, end } = findSegment(good, 0xdb);
		expectError(cut(good, start, end), /quantisation table 0 before a DQT segment defines it/);
	});

	it('a Huffman code that does not exist (16 one bits)', () => {
		const sos = findSegment(good, 0xda);
		const bad = good.slice();
		bad.set([0xff, 0x00, 0xff, 0x00, 0xff, 0x00], sos.end);
		expectError(bad, /Huffman code that does not exist/);
	});

	it('a restart marker missing', () => {
		const at = Buffer.from(good).indexOf(Buffer.from([0xff, 0xd0]));
		expectError(cut(good, at, at + 2), /restart marker RST0 expected after MCU 3, found EOI/);
	});

	it('image data that stops at a foreign marker', () => {
		const sos = findSegment(good, 0xda);
		const bad = good.slice();
		bad.set([0xff, 0xd9], sos.end + 4);
		expectError(bad, /stops early, at marker EOI|restart marker/);
	});

	it('a second frame header, a scan before the frame, an unknown marker', () => {
		const sof = findSegment(good, 0xc0);
		expectError(insert(good, sof.end, good.subarray(sof.start, sof.end)), /second frame header/);
		const sos = findSegment(good, 0xda);
		expectError(new Uint8Array([0xff, 0xd8, ...good.subarray(sos.start, sos.end), 0xff, 0xd9]), /before the frame header/);
		expectError(insert(good, 2, [0xff, 0x05, 0, 2]), /unknown marker 0xFF5/);
		expectError(new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xff, 0xd9]), /no image/);
	});

	it(`more than ${MAX_SCANS} scans`, () => {
		const p = fixture('p444');
		const sos = findSegment(p, 0xda);
		// The first scan (DC of every component, a few bytes of data) repeated: DC first scans may not repeat
		// in a valid file, but the decoder only counts.
		const end = Buffer.from(p).indexOf(Buffer.from([0xff, 0xc4]), sos.end);
		const scan = p.subarray(sos.start, end);
		const many = new Uint8Array(Buffer.concat([Buffer.from(p.subarray(0, sos.start)), ...new Array(MAX_SCANS + 1).fill(Buffer.from(scan)), Buffer.from([0xff, 0xd9])]));
		expectError(many, /more than 1000 scans/);
	});

	it('garbage where a marker should be, and bad segment lengths', () => {
		expectError(insert(good, 2, [0x12]), /marker was expected at byte 2/);
		expectError(insert(good, 2, [0xff, 0x00]), /0xFF 0x00 at byte 2/);
		expectError(insert(good, 2, [0xff, 0xe5, 0, 1]), /APP5 segment claims a length of 1/);
	});

	it('a frame header with bad fields', () => {
		expectError(frameOnly(0xc0, 8, 0, 10, [[1, 0x11, 0]]), /0 pixels wide/);
		expectError(frameOnly(0xc0, 8, 10, 10, [[1, 0x51, 0], [2, 0x11, 0], [3, 0x11, 0]]), /sampling factors 5 × 1/);
		expectError(frameOnly(0xc0, 8, 10, 10, [[1, 0x11, 4], [2, 0x11, 0], [3, 0x11, 0]]), /quantisation table 4/);
		expectError(frameOnly(0xc0, 8, 10, 10, [[1, 0x11, 0], [1, 0x11, 0], [3, 0x11, 0]]), /appears twice/);
		expectError(new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 8, 8, 0, 1, 0, 1, 3, 0xff, 0xd9]), /too short/);
		expectError(new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 5, 8, 0, 1, 0xff, 0xd9]), /too short/);
	});

	it('bad DQT, DHT and DRI segments', () => {
		expectError(insert(good, 2, [0xff, 0xdb, 0, 3, 0x24]), /defines table 4 with precision 2/);
		expectError(insert(good, 2, [0xff, 0xdb, 0, 10, 0x00, 1, 2, 3, 4, 5, 6, 7]), /shorter than its tables/);
		expectError(insert(good, 2, [0xff, 0xdb, 0, 67, 0x00, ...new Array(64).fill(0)]), /holds a zero/);
		expectError(insert(good, 2, [0xff, 0xc4, 0, 10, 0x00, 1, 2, 3, 4, 5, 6, 7]), /shorter than its tables/);
		expectError(insert(good, 2, [0xff, 0xc4, 0, 19, 0x24, ...new Array(16).fill(0)]), /class 2 table 4/);
		expectError(insert(good, 2, [0xff, 0xc4, 0, 22, 0x00, 3, ...new Array(15).fill(0), 0, 1, 2]), /too many codes of length 1/);
		expectError(insert(good, 2, [0xff, 0xc4, 0, 19, 0x00, 0, 0, ...new Array(14).fill(1)]), /shorter than its tables/);
		expectError(insert(good, 2, [0xff, 0xdd, 0, 3, 0]), /DRI segment is too short/);
	});

	it('bad scan headers', () => {
		const sos = findSegment(good, 0xda);
		const patched = (patch: (b: Uint8Array, at: number) => void): Uint8Array => {
			const b = good.slice();
			patch(b, sos.start + 4);
			return b;
		};
		expectError(patched((b, at) => (b[at + 1] = 9)), /names component 9, which its frame does not have/);
		expectError(patched((b, at) => (b[at + 3] = 1)), /names component 1 twice/);
		expectError(patched((b, at) => (b[at + 2] = 0x55)), /names Huffman tables 5 and 5/);
		expectError(patched((b, at) => (b[at + 8] = 1)), /coefficients 0-1 with bits 0\/0/);
		expectError(patched((b, at) => (b[at] = 0)), /scan header \(SOS\) is malformed/);
		// DC table 1 exists in the file; AC table 3 was never defined.
		expectError(patched((b, at) => (b[at + 2] = 0x03)), /AC Huffman table 3 before a DHT/);
	});

	it('a progressive scan header that breaks the rules of G.1.1.1', () => {
		const p = fixture('p444');
		const sos = findSegment(p, 0xda);
		const b = p.slice();
		const count = b[sos.start + 4];
		b[sos.start + 4 + 1 + 2 * count + 1] = 5; // first scan is DC (Ss 0): an Se of 5 is not allowed
		expectError(b, /coefficients 0-5/);
	});
});
