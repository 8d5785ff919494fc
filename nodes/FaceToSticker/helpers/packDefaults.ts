/**
 * The expressions a new pack starts with: eight that every sticker pack has, each with the emoji a messenger
 * files it under. The text is added to the Prompt ("a person, laughing out loud").
 */
export const DEFAULT_EXPRESSIONS: ReadonlyArray<{ expression: string; emoji: string }> = [
	{ expression: 'happy, big smile', emoji: '😄' },
	{ expression: 'laughing out loud', emoji: '😂' },
	{ expression: 'in love, heart eyes', emoji: '😍' },
	{ expression: 'surprised, mouth open', emoji: '😮' },
	{ expression: 'sad, teary eyes', emoji: '😢' },
	{ expression: 'angry, frowning', emoji: '😠' },
	{ expression: 'cool, wearing sunglasses', emoji: '😎' },
	{ expression: 'sleepy, yawning', emoji: '😴' },
];

/**
 * What a sticker costs when this account has not yet been charged for one in this process (Segmind's published
 * prices): face-to-sticker about $0.0866 a call, Background Removal V2 about $0.001.
 */
export const PUBLISHED_PRICES = { generation: 0.0866, backgroundRemoval: 0.001 } as const;

