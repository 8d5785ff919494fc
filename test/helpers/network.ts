import nock from 'nock';

/** A socket-level error as Node raises it. nock 14 only emits replyWithError for Error instances. */
export function socketError(code: string, message = code): Error {
	return Object.assign(new Error(message), { code });
}

/**
 * A queue job whose submit (on `apiBase`) answers with status and result URLs on `foreign`, where the result
 * points at an image on `foreign` too. The foreign interceptors refuse any request carrying x-api-key.
 */
export function mockJobOnForeignOrigin(apiBase: string, foreign: string, id: string, sticker: Buffer) {
	nock(apiBase)
		.post('/v2/face-to-sticker')
		.reply(200, { request_id: id, status: 'QUEUED', status_url: `${foreign}/s/${id}`, response_url: `${foreign}/r/${id}` });
	return nock(foreign, { badheaders: ['x-api-key'] })
		.get(`/s/${id}`)
		.reply(200, { status: 'COMPLETED' })
		.get(`/r/${id}`)
		.reply(200, { status: 'COMPLETED', output: `${foreign}/img/${id}.jpg`, metrics: {} })
		.get(`/img/${id}.jpg`)
		.reply(200, sticker);
}
