// Small real images for tests. JPEGs come from the emulator's encoder, so they decode in any reader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encodeBlockJpeg } = require('../emulator/jpeg');

export function jpeg(width = 64, height = 64, colour: [number, number, number] = [200, 120, 40]): Buffer {
	return encodeBlockJpeg(width, height, () => colour) as Buffer;
}

export const PNG = Buffer.concat([
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
	Buffer.from('0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a6a1e0d90000000049454e44ae426082', 'hex'),
]);

export const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8L'), Buffer.alloc(14, 1)]);

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
