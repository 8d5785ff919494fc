/** CRC-32 (ISO-HDLC, as PNG chunks use it) and Adler-32 (RFC 1950, the zlib trailer). */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 of bytes[start, end), continuing from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
	let c = ~crc >>> 0;
	for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return ~c >>> 0;
}

/** Adler-32 of bytes[start, end), continuing from `adler` (1 to start). */
export function adler32(bytes: Uint8Array, start = 0, end = bytes.length, adler = 1): number {
	let a = adler & 0xffff;
	let b = adler >>> 16;
	let i = start;
	while (i < end) {
		// 5552 is the largest run whose sums cannot overflow 32 bits before the modulo.
		const stop = Math.min(end, i + 5552);
		for (; i < stop; i++) {
			a += bytes[i];
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return ((b << 16) | a) >>> 0;
}
