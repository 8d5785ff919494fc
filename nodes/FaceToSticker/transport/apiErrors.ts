import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HttpResponse } from './response';
import { errorDetail } from './response';

/** Which call failed, so the message can say what it means for the user's sticker. */
export type CallKind = 'submit' | 'status' | 'result' | 'direct' | 'download' | 'upload' | 'background' | 'credits';

export interface ErrorContext {
	call: CallKind;
	itemIndex: number;
	requestId?: string;
	/** Removes secrets (the API key) from any text that may reach the user. */
	redact: (text: string) => string;
}

interface Explanation {
	message: string;
	description: string;
}

/** An empty balance: 406 from v1 and 402 from a v2 submit. */
const NO_CREDITS: Explanation = {
	message: 'Not enough Segmind credits for this sticker',
	description: 'Top up your balance in the Segmind console (Billing). Nothing was charged for this request.',
};

function explain(status: number, detail: string, context: ErrorContext): Explanation {
	const isJobCall = context.call === 'status' || context.call === 'result';
	if (context.call === 'upload' && status !== 401 && status !== 429 && status < 500) return explainUpload(status);
	switch (status) {
		case 400:
			return {
				message: 'Segmind rejected the request as invalid',
				description: 'Check the node\'s parameters and the photo or image URL. If you changed the credential\'s Base URL, check it too.',
			};
		case 401:
			return {
				message: 'Segmind rejected the API key',
				description: 'Check the API key in the Segmind API credential: copy it again from the Segmind console (API Keys). It is sent as the x-api-key header.',
			};
		case 403:
			return {
				message: 'This API key is not allowed to use face-to-sticker',
				description: 'Your Segmind team or key has a permission restriction. Ask the team owner, or use another key.',
			};
		case 404:
			return isJobCall
				? {
						message: 'Segmind no longer knows this job',
						description: 'Segmind keeps job records for one hour after submission. Submit the photo again if you still need the sticker.',
					}
				: {
						message: `Segmind did not find the ${context.call === 'background' ? 'background removal' : 'face-to-sticker'} model at this address`,
						description: 'Check the Base URL of the Segmind API credential (normally https://api.segmind.com).',
					};
		case 402:
			// Segmind's v2 submit answers 402 for an empty balance where v1 answers 406.
			return NO_CREDITS;
		case 405:
			return {
				message: 'Segmind refused the HTTP method of the request',
				description: 'A proxy at the credential\'s Base URL may be rewriting requests. Check the Base URL (normally https://api.segmind.com).',
			};
		case 406:
			return explain406(detail);
		case 410:
			return {
				message: 'Segmind has retired the face-to-sticker model',
				description: 'The model is no longer served and nothing was charged. Look for a replacement model on segmind.com.',
			};
		case 413:
			return {
				message: 'The request was too large for Segmind',
				description: 'Use a smaller face photo (compress or resize it).',
			};
		case 422:
			return {
				message: 'Segmind could not generate the sticker',
				description: 'Check the parameters and that the photo shows one clearly visible face. Nothing was charged.',
			};
		case 429:
			return {
				message: 'Segmind\'s rate limit was reached and did not clear in time',
				description: 'Slow down: lower Concurrency, or set Requests per Minute (under Options) to your plan\'s limit. Free plans allow about 5 requests a minute.',
			};
		default:
			if (status >= 500) {
				return {
					message: `Segmind's service failed (HTTP ${status})`,
					description: 'This is on Segmind\'s side and was not charged. Try again in a few minutes; check status.segmind.com if it persists.',
				};
			}
			return {
				message: `Segmind answered with HTTP ${status}`,
				description: 'Check the node\'s parameters and the credential\'s Base URL.',
			};
	}
}

// The upload goes to Segmind's storage service, whose address is the credential's Upload URL.
function explainUpload(status: number): Explanation {
	if (status === 413) {
		return { message: 'The photo was too large for Segmind\'s upload service', description: 'Use a smaller face photo (compress or resize it).' };
	}
	return {
		message: `Segmind's upload service refused the photo (HTTP ${status})`,
		description: 'Nothing was generated, so nothing was charged. Check the Upload URL of the Segmind API credential (normally https://workflows-api.segmind.com), or set Photo Upload (under Options) to Inline.',
	};
}

// Segmind answers 406 for three unrelated problems; the body tells them apart.
function explain406(detail: string): Explanation {
	if (/content.?type/i.test(detail)) {
		return {
			message: 'Segmind refused the request\'s content type',
			description: 'The request must be sent as application/json. A proxy at the credential\'s Base URL may be changing the Content-Type header.',
		};
	}
	if (/spend|limit/i.test(detail)) {
		return {
			message: 'Your Segmind team has reached its spend limit',
			description: 'Raise the spend limit in the Segmind console, or wait for it to reset. Nothing was charged.',
		};
	}
	return NO_CREDITS;
}

/** Turns a non-successful response into an error that says what happened and what to do. */
export function responseError(node: INode, response: HttpResponse, context: ErrorContext): NodeApiError {
	const detail = context.redact(errorDetail(response));
	const explanation = explain(response.statusCode, detail, context);
	const message = withRequestId(explanation.message, context.requestId);
	const description = explanation.description;
	const fullDescription = detail ? `${description} Segmind said: "${detail}"` : description;
	return new NodeApiError(
		node,
		{ message, description: fullDescription, httpCode: String(response.statusCode) } as JsonObject,
		{
			message,
			description: fullDescription,
			httpCode: String(response.statusCode),
			itemIndex: context.itemIndex,
		},
	);
}

/** An error about the job or its data rather than one HTTP status (FAILED jobs, timeouts, bad images). */
export function jobError(
	node: INode,
	message: string,
	description: string,
	context: Pick<ErrorContext, 'itemIndex' | 'redact'>,
	httpCode?: number,
): NodeApiError {
	const safeMessage = context.redact(message);
	const safeDescription = context.redact(description);
	return new NodeApiError(
		node,
		{ message: safeMessage, description: safeDescription } as JsonObject,
		{
			message: safeMessage,
			description: safeDescription,
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex: context.itemIndex,
		},
	);
}

/** Every error about a job that exists names it, so the user can look it up or fetch it later. */
export function withRequestId(message: string, requestId: string | undefined): string {
	return requestId && !message.includes(requestId) ? `${message} (request ID ${requestId})` : message;
}
