import type { ResultImages } from './resultImages';
import { numberOrNull } from './resultImages';
import type { ImageBytes, JobState, TransparentSticker } from '../helpers/interfaces';
import { LIMITS } from '../helpers/limits';
import type { RetryingExchange } from '../transport/exchange';
import { CHEAP_POST_POLICY } from '../transport/exchange';
import { serializeBackgroundRemovalBody } from '../transport/requestBodies';

/**
 * Makes a sticker transparent with Segmind's Background Removal V2 model (`POST /v1/bg-removal-v2`, about
 * 0.6 s and $0.001). The sticker goes by its URL when it has one (queue mode), else as base64 (direct mode).
 * It runs through the same rate limiter and retries as every other call to the API.
 */
export class BackgroundRemover {
	constructor(
		private readonly exchange: RetryingExchange,
		private readonly images: ResultImages,
	) {}

	async remove(job: JobState, sticker: ImageBytes, stickerUrl?: string): Promise<TransparentSticker> {
		const startedAt = Date.now();
		const response = await this.exchange.exchange('background', job, CHEAP_POST_POLICY, {
			method: 'POST',
			url: this.exchange.transport.apiUrl('/v1/bg-removal-v2'),
			body: serializeBackgroundRemovalBody(stickerUrl ?? sticker.bytes),
			timeoutMs: job.settings.timeoutMs,
			maxBodyBytes: LIMITS.outputImageBytes * 2,
		});
		if (response.statusCode !== 200) throw this.exchange.errors.response(response, 'background', job);
		const image = await this.images.fromAnswer(job, response);
		const cost = numberOrNull(response.headers['x-cost']);
		if (cost !== null) this.exchange.account.prices.background = cost;
		return {
			image,
			cost,
			remainingCredits: numberOrNull(response.headers['x-remaining-credits']),
			time: Math.round(Date.now() - startedAt) / 1000,
		};
	}
}
