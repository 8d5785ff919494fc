// Ranges the node accepts. Segmind publishes ranges only for the 0-1 weights; the others keep requests
// inside what the model can run (SDXL latents are multiples of 8) and what a workflow can wait for.
export const LIMITS = {
	dimension: { min: 256, max: 2048, step: 8 },
	steps: { min: 1, max: 100 },
	seed: { min: -1, max: 4294967295 },
	promptStrength: { min: 0, max: 20 },
	unitInterval: { min: 0, max: 1 },
	upscaleSteps: { min: 1, max: 100 },
	concurrency: { min: 1, max: 50 },
	pollInterval: { min: 0.1, max: 3600 },
	maxWaitTime: { min: 1, max: 86400 },
	timeout: { min: 1, max: 3600 },
	requestsPerMinute: { min: 0, max: 100000 },
	/** Largest face photo sent to Segmind as it is. */
	inputImageBytes: 10 * 1024 * 1024,
	/** Largest face photo Photo Preparation takes (it is sent far smaller). */
	preparedPhotoBytes: 100 * 1024 * 1024,
	/** Largest sticker accepted back; anything bigger is not a sticker. */
	outputImageBytes: 50 * 1024 * 1024,
} as const;

/** Ranges of the Sticker Format fields (Custom size, byte limit, outline). */
export const STICKER_LIMITS = {
	size: { min: 16, max: 2048 },
	maxKilobytes: { min: 0, max: 100 * 1024 },
	outlineWidth: { min: 0, max: 64 },
	/** Lossy WebP quality, libwebp's scale. */
	quality: { min: 1, max: 100 },
	/** Margin of a Custom sticker, in px at its size, as the presets keep a few px free. */
	customMargin: 4,
} as const;
