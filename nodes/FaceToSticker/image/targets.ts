/**
 * Where a finished sticker goes, as plain data. Sizes and limits from the platforms' published rules:
 * - Telegram Bot API, "Stickers" (core.telegram.org/stickers and /bots/api#sticker): a static sticker is
 *   WebP (or PNG to upload), one side exactly 512 px and the other 512 px or less, at most 512 KB, with a
 *   transparent background; the stickers there carry a white stroke.
 * - WhatsApp sticker requirements (github.com/WhatsApp/stickers, Android/iOS README "Sticker art and app
 *   requirements"): 512 × 512 px WebP, at most 100 KB, transparent background, a 16 px margin around the art.
 * - Discord sticker upload rules (support.discord.com, "Discord Stickers"): 320 × 320 px PNG (or APNG),
 *   at most 512 KB.
 * - Slack custom emoji (slack.com/help, "Add custom emoji"): square, 128 × 128 px, at most 128 KB,
 *   transparent background works best.
 * - Signal sticker packs (Signal Desktop's sticker creator and support.signal.org "Sticker pack guidelines"):
 *   512 × 512 px PNG or WebP, transparent background, a 16 px margin recommended, at most 300 KB.
 * KB here is 1024 bytes. Outline 8 px white is the presets' default (the issue fixes it).
 */

export type StickerEncoding = 'png' | 'webp';

/**
 * How a WebP sticker is compressed (PNG targets are always lossless, with the palette as the last resort):
 * - lossless: VP8L; over the byte limit, the largest palette that fits;
 * - lossy: VP8 + exact alpha at `quality` 1..100 (libwebp's scale); over the limit, the highest lower
 *   quality that fits, then the palette;
 * - best-fit: the highest lossy quality whose file fits maxBytes (quality 100 when there is no limit), then
 *   the palette.
 */
export type StickerCompression = { mode: 'lossless' } | { mode: 'lossy'; quality: number } | { mode: 'best-fit' };

export interface StickerTarget {
	/** px */
	width: number;
	/** px */
	height: number;
	/**
	 * 'canvas': the output is exactly width × height with the sticker centred; 'fit': the output is the
	 * sticker's own box, scaled so that it fits width × height and its longer side touches the box (Telegram:
	 * one side exactly 512, the other at most 512).
	 */
	layout: 'canvas' | 'fit';
	encoding: StickerEncoding;
	/** The file must not be larger (bytes); null = no limit. */
	maxBytes: number | null;
	/** Transparent px kept on each side, at output size. */
	margin: number;
	/** Die-cut outline in px at output size; 0 = none. */
	outlineWidth: number;
	outlineColor: [number, number, number];
	/** WebP only; absent = lossless. */
	compression?: StickerCompression;
}

const KB = 1024;
const WHITE: [number, number, number] = [255, 255, 255];

export const STICKER_TARGETS: Record<'telegram' | 'whatsapp' | 'signal' | 'discord' | 'slack', StickerTarget> = {
	telegram: {
		width: 512,
		height: 512,
		layout: 'fit',
		encoding: 'webp',
		maxBytes: 512 * KB,
		margin: 0,
		outlineWidth: 8,
		outlineColor: WHITE,
	},
	whatsapp: {
		width: 512,
		height: 512,
		layout: 'canvas',
		encoding: 'webp',
		maxBytes: 100 * KB,
		margin: 16,
		outlineWidth: 8,
		outlineColor: WHITE,
		// WhatsApp's guide asks for lossy WebP; the best quality that fits uses the whole 100 KB.
		compression: { mode: 'best-fit' },
	},
	signal: {
		width: 512,
		height: 512,
		layout: 'canvas',
		encoding: 'webp',
		maxBytes: 300 * KB,
		margin: 16,
		outlineWidth: 8,
		outlineColor: WHITE,
	},
	discord: {
		width: 320,
		height: 320,
		layout: 'canvas',
		encoding: 'png',
		maxBytes: 512 * KB,
		margin: 8,
		outlineWidth: 8,
		outlineColor: WHITE,
	},
	slack: {
		width: 128,
		height: 128,
		layout: 'canvas',
		encoding: 'png',
		maxBytes: 128 * KB,
		margin: 2,
		outlineWidth: 8,
		outlineColor: WHITE,
	},
};
