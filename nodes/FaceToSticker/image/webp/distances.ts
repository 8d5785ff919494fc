/**
 * Length and distance values of LZ77 references (RFC 9649 §3.5.2.2): values are sent as a prefix code plus
 * extra bits, and distances first go through the 2D "distance mapping", whose 120 short codes name nearby
 * pixels in the rows above.
 */

/** The spec's 120 (xi, yi) neighbours in code order, packed as (yi << 4) | (8 - xi): distance xi + yi × width. */
const CODE_TO_PLANE = [
	0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a, 0x26, 0x2a, 0x38, 0x05, 0x37, 0x39, 0x15, 0x1b,
	0x36, 0x3a, 0x25, 0x2b, 0x48, 0x04, 0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b, 0x46, 0x4a, 0x24, 0x2c, 0x58, 0x45,
	0x4b, 0x34, 0x3c, 0x03, 0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d, 0x44, 0x4c, 0x55, 0x5b, 0x33, 0x3d,
	0x68, 0x02, 0x67, 0x69, 0x12, 0x1e, 0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d, 0x65, 0x6b, 0x32, 0x3e,
	0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f, 0x64, 0x6c, 0x42, 0x4e, 0x76, 0x7a, 0x21, 0x2f, 0x75, 0x7b,
	0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e, 0x00, 0x74, 0x7c, 0x41, 0x4f, 0x10, 0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d,
	0x51, 0x5f, 0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60, 0x70,
];

export const SHORT_DISTANCE_CODES = 120;

/** The linear distance a decoder derives from distance code `code` (1-based) in an image `width` wide. */
export function planeCodeToDistance(width: number, code: number): number {
	if (code > SHORT_DISTANCE_CODES) return code - SHORT_DISTANCE_CODES;
	const packed = CODE_TO_PLANE[code - 1];
	const distance = (packed >> 4) * width + 8 - (packed & 0xf);
	return distance >= 1 ? distance : 1;
}

/**
 * For an image `width` wide: distance → the smallest code meaning it (short codes for near 2D neighbours,
 * distance + 120 for the rest).
 */
export function distanceCoder(width: number): (distance: number) => number {
	const span = 8 * width + 9;
	const shortCode = new Uint8Array(span);
	for (let code = SHORT_DISTANCE_CODES; code >= 1; code--) {
		const distance = planeCodeToDistance(width, code);
		if (distance < span) shortCode[distance] = code;
	}
	return (distance: number) => (distance < span && shortCode[distance] > 0 ? shortCode[distance] : distance + SHORT_DISTANCE_CODES);
}

/** The prefix symbol of a length or distance code `value` ≥ 1 (§3.5.2.2 "prefix coding"). */
export function prefixSymbol(value: number): number {
	const v = value - 1;
	if (v < 4) return v;
	const high = 31 - Math.clz32(v);
	return 2 * high + ((v >>> (high - 1)) & 1);
}

/** How many extra bits follow prefix symbol `symbol`. */
export function prefixExtraBits(symbol: number): number {
	return symbol < 4 ? 0 : (symbol - 2) >> 1;
}

/** The value the extra bits carry for `value` under its prefix symbol. */
export function prefixExtraValue(value: number): number {
	return (value - 1) & ((1 << prefixExtraBits(prefixSymbol(value))) - 1);
}
