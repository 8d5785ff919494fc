import type { StickerFinish, StickerFormat } from './interfaces';
import { STICKER_LIMITS } from './limits';
import type { ParameterChecks } from './parameterChecks';
import type { StickerCompression, StickerTarget } from '../image/targets';
import { STICKER_TARGETS } from '../image/targets';

const FORMATS: StickerFormat[] = ['asGenerated', 'telegram', 'whatsapp', 'signal', 'discord', 'slack', 'custom'];

/**
 * Reads Sticker Format and its fields into the finish the sticker gets (null: the image as generated). Checks
 * that the outline leaves room for the sticker, so an impossible size fails before any credit is spent.
 */
export function readStickerFinish(checks: ParameterChecks): StickerFinish | null {
	const format = checks.options('stickerFormat', 'Sticker Format', FORMATS, 'asGenerated');
	if (format === 'asGenerated') return null;
	return readFinishFor(checks, format);
}

/** The finish of one format (a Sticker Format, or a pack's messenger) with the outline fields applied. */
export function readFinishFor(checks: ParameterChecks, format: StickerFinish['format']): StickerFinish {
	const base = format === 'custom' ? readCustomTarget(checks) : STICKER_TARGETS[format];
	const outlineWidth = checks.integer('outlineWidth', 'Outline Width (Px)', 8, STICKER_LIMITS.outlineWidth);
	const target: StickerTarget = { ...base, outlineWidth, outlineColor: readColor(checks) };
	const room = Math.min(target.width, target.height) - 2 * (target.margin + outlineWidth);
	if (room < 8) {
		checks.fail(
			'Outline Width (Px)',
			`leaves no room for the sticker: ${outlineWidth} px on each side of a ${target.width} × ${target.height} px sticker`,
			`Use at most ${Math.max(0, Math.floor((Math.min(target.width, target.height) - 8) / 2) - target.margin)} px, or a larger size.`,
		);
	}
	return { format, target };
}

function readCustomTarget(checks: ParameterChecks): StickerTarget {
	const kilobytes = checks.integer('stickerMaxKilobytes', 'Max File Size (KB)', 0, STICKER_LIMITS.maxKilobytes);
	const encoding = checks.options('stickerEncoding', 'File Type', ['webp', 'png'], 'webp');
	return {
		width: checks.integer('stickerWidth', 'Sticker Width (Px)', 512, STICKER_LIMITS.size),
		height: checks.integer('stickerHeight', 'Sticker Height (Px)', 512, STICKER_LIMITS.size),
		layout: checks.options('stickerLayout', 'Layout', ['canvas', 'fit'], 'canvas'),
		encoding,
		maxBytes: kilobytes === 0 ? null : kilobytes * 1024,
		compression: encoding === 'webp' ? readCompression(checks, kilobytes) : { mode: 'lossless' },
		margin: STICKER_LIMITS.customMargin,
		outlineWidth: 8,
		outlineColor: [255, 255, 255],
	};
}

/** Custom WebP: lossless, lossy at a Quality, or the best lossy quality within Max File Size (which it needs). */
function readCompression(checks: ParameterChecks, kilobytes: number): StickerCompression {
	const mode = checks.options('stickerCompression', 'Compression', ['lossless', 'lossy', 'best-fit'], 'lossless');
	if (mode === 'lossy') return { mode, quality: checks.integer('stickerQuality', 'Quality', 90, STICKER_LIMITS.quality) };
	if (mode === 'best-fit' && kilobytes === 0) {
		checks.fail('Compression', 'is "Best That Fits the Max File Size" but Max File Size (KB) is 0 (no limit)', 'Set Max File Size (KB), or choose Lossy with a Quality.');
	}
	return { mode };
}

/** '#rrggbb' or '#rgb' (n8n's colour picker gives the first), with or without the '#'. */
function readColor(checks: ParameterChecks): [number, number, number] {
	const text = checks.string('outlineColor', 'Outline Color', '#ffffff').trim();
	const hex = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(text)?.[1];
	if (!hex) {
		checks.fail('Outline Color', `must be a colour like #ffffff, got "${text.slice(0, 40)}"`, 'Pick it with the colour picker or write it as #rrggbb.');
	}
	const full = hex.length === 3 ? hex.replace(/./g, (digit) => digit + digit) : hex;
	return [0, 2, 4].map((at) => parseInt(full.slice(at, at + 2), 16)) as [number, number, number];
}
