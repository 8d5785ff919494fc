/** A socket-level error as Node raises it. nock 14 only emits replyWithError for Error instances. */
export function socketError(code: string, message = code): Error {
	return Object.assign(new Error(message), { code });
}
