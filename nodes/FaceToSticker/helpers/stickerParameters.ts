import type { StickerFinish, StickerFormat } from './interfaces';
import { STICKER_LIMITS } from './limits';
import type { ParameterChecks } from './parameterChecks';
import type { StickerTarget } from '../image/targets';
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
	return {
		width: checks.integer('stickerWidth', 'Sticker Width (Px)', 512, STICKER_LIMITS.size),
		height: checks.integer('stickerHeight', 'Sticker Height (Px)', 512, STICKER_LIMITS.size),
		layout: checks.options('stickerLayout', 'Layout', ['canvas', 'fit'], 'canvas'),
		encoding: checks.options('stickerEncoding', 'File Type', ['webp', 'png'], 'webp'),
		maxBytes: kilobytes === 0 ? null : kilobytes * 1024,
		margin: STICKER_LIMITS.customMargin,
		outlineWidth: 8,
		outlineColor: [255, 255, 255],
	};
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
