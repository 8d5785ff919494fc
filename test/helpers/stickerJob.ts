// A queue-mode face-to-sticker job for the unit tests, answered by nock: submitted, completed at the first
// status poll, and its flat sticker served from the image host.
import nock from 'nock';

import { BASE_URL } from './fakeContext';
import { jpeg } from './images';

export const IMAGE_HOST = 'https://images.segmind.test';
/** The flat sticker the job makes. */
export const STICKER = jpeg(64, 64, [250, 250, 250]);
/** The face photo the node sends. */
export const FACE = jpeg(32, 32);
/** Options that poll every 0.1 s. */
export const FAST = { pollInterval: 0.1 };
/** What Background Removal V2 answers with: a PNG costing 0.001, with the credits left. */
export const BG_HEADERS = { 'content-type': 'image/png', 'x-cost': '0.001', 'x-remaining-credits': '12.3446' };

export function stickerUrl(id: string): string {
	return `${IMAGE_HOST}/outputs/${id}.jpg`;
}

/** A queue job `id` that ends with STICKER at stickerUrl(id), billed 0.0866; returns the API's nock scope. */
export function mockStickerJob(id: string): nock.Scope {
	const api = nock(BASE_URL);
	api.post('/v2/face-to-sticker').reply(200, { request_id: id, status: 'QUEUED' });
	api.get(`/v2/requests/${id}/status`).reply(200, { status: 'COMPLETED' });
	api.get(`/v2/requests/${id}`).reply(200, {
		status: 'COMPLETED',
		output: stickerUrl(id),
		seed: 31,
		metrics: { cost: 0.0866, remaining_credits: 12.3456, inference_time: 60, queue_time: 1, total_time: 61 },
	});
	nock(IMAGE_HOST).get(`/outputs/${id}.jpg`).reply(200, STICKER, { 'content-type': 'image/jpeg' });
	return api;
}
