// A typed stand-in for n8n's IExecuteFunctions. Its HTTP helpers behave like n8n's for the options this node
// uses (full response, stream bodies, no status errors, no redirects, timeouts) and send real Node requests, so
// nock sees exactly the headers and bodies n8n would send. The credential's own `authenticate` block supplies
// the key, as n8n's credentials helper would.
import http from 'http';
import https from 'https';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { SegmindApi } from '../../credentials/SegmindApi.credentials';
import { FaceToSticker } from '../../nodes/FaceToSticker/FaceToSticker.node';

export const TEST_KEY = 'SG_unit0test0key42';

/** Everything the node produced or threw in this test file, for the shared no-secrets check (test/setup.ts). */
export const captured: string[] = [];

function capture(value: unknown) {
	captured.push(
		JSON.stringify(value, (_, v) =>
			v instanceof Error ? { ...v, name: v.name, message: v.message, description: (v as { description?: unknown }).description } : v,
		),
	);
}
export const BASE_URL = 'https://api.segmind.test';

/** A parameter value, or a function giving each item its own (as an expression would). */
export type ParameterValue = unknown | ((itemIndex: number) => unknown);

export interface SentRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	authenticated: boolean;
	body?: unknown;
}

export interface FakeContextOptions {
	items?: INodeExecutionData[];
	parameters?: Record<string, ParameterValue>;
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	abortController?: AbortController;
}

export const NODE: INode = {
	id: 'face-to-sticker-test',
	name: 'Face to Sticker',
	type: 'n8n-nodes-segmind-face-to-sticker.faceToSticker',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function createContext(options: FakeContextOptions = {}) {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const parameters = options.parameters ?? {};
	const credentials = options.credentials ?? { apiKey: TEST_KEY, baseUrl: BASE_URL };
	const sent: SentRequest[] = [];
	const abortController = options.abortController ?? new AbortController();

	const credential = new SegmindApi();
	const authHeaders = (): Record<string, string> => {
		const headers = (credential.authenticate.properties.headers ?? {}) as Record<string, string>;
		const resolved: Record<string, string> = {};
		for (const [name, template] of Object.entries(headers)) {
			resolved[name] = String(template).replace(/^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/, (_, key) =>
				String(credentials[key] ?? ''),
			);
		}
		return resolved;
	};

	const getBinary = (itemIndex: number, propertyName: string): IBinaryData => {
		const binary = items[itemIndex]?.binary?.[propertyName];
		if (!binary) {
			throw new NodeOperationError(NODE, `This operation expects the node's input data to contain a binary file '${propertyName}', but none was found [item ${itemIndex}]`, {
				itemIndex,
			});
		}
		return binary;
	};

	const context = {
		getInputData: () => items,
		getNode: () => NODE,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async (type: string) => {
			if (type !== 'segmindApi') throw new Error(`unexpected credential type ${type}`);
			return credentials;
		},
		getExecutionCancelSignal: () => abortController.signal,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = name in parameters ? parameters[name] : fallback;
			return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
		},
		helpers: {
			assertBinaryData: (itemIndex: number, propertyName: string) => getBinary(itemIndex, propertyName),
			getBinaryDataBuffer: async (itemIndex: number, propertyName: string) =>
				Buffer.from(getBinary(itemIndex, propertyName).data, 'base64'),
			prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({
				data: buffer.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileExtension: fileName?.split('.').pop(),
				fileSize: `${buffer.length} B`,
			}),
			httpRequest: async (request: IHttpRequestOptions) => await perform(request, {}, false),
			httpRequestWithAuthentication: async function (this: unknown, type: string, request: IHttpRequestOptions) {
				if (type !== 'segmindApi') throw new Error(`unexpected credential type ${type}`);
				try {
					return await perform(request, authHeaders(), true);
				} catch (error) {
					// n8n wraps transport errors of authenticated requests in a NodeApiError.
					throw new NodeApiError(NODE, error as never);
				}
			},
		},
	};

	async function perform(request: IHttpRequestOptions, extraHeaders: Record<string, string>, authenticated: boolean) {
		const url = new URL(request.url, request.baseURL);
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries({ ...(request.headers ?? {}), ...extraHeaders })) {
			headers[name.toLowerCase()] = String(value);
		}
		let payload: Buffer | undefined;
		if (request.body !== undefined) {
			payload = Buffer.isBuffer(request.body) ? request.body : Buffer.from(JSON.stringify(request.body));
			headers['content-type'] ??= 'application/json';
			headers['content-length'] = String(payload.length);
		}
		sent.push({
			method: request.method ?? 'GET',
			url: url.toString(),
			headers,
			authenticated,
			body: payload ? JSON.parse(payload.toString('utf8')) : undefined,
		});
		return await new Promise((resolve, reject) => {
			const client = url.protocol === 'https:' ? https : http;
			// Like axios: the timeout runs until the response headers arrive.
			let timer: NodeJS.Timeout | undefined;
			const req = client.request(url, { method: request.method ?? 'GET', headers }, (res) => {
				clearTimeout(timer);
				if (!request.ignoreHttpStatusErrors && (res.statusCode ?? 0) >= 400) {
					res.resume();
					reject(Object.assign(new Error(`Request failed with status code ${res.statusCode}`), { status: res.statusCode }));
					return;
				}
				resolve({ statusCode: res.statusCode, statusMessage: res.statusMessage, headers: res.headers, body: res });
			});
			if (request.timeout) {
				timer = setTimeout(() => {
					req.destroy(Object.assign(new Error(`timeout of ${request.timeout}ms exceeded`), { code: 'ECONNABORTED' }));
				}, request.timeout);
			}
			const signal = request.abortSignal as AbortSignal | undefined;
			// Like axios: one listener per request, removed when the request ends (a pack keeps many requests open).
			const onAbort = () => req.destroy(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' }));
			signal?.addEventListener('abort', onAbort, { once: true });
			req.on('close', () => signal?.removeEventListener('abort', onAbort));
			// The request's own error handler reports socket errors; this keeps a mocked socket from raising them twice.
			req.on('socket', (socket) => socket.on('error', () => undefined));
			req.on('error', (error) => {
				clearTimeout(timer);
				reject(Object.assign(new Error(error.message), { cause: error }));
			});
			if (payload) req.write(payload);
			req.end();
		});
	}

	return { context: context as unknown as IExecuteFunctions, sent, abortController };
}

/** Runs the node's execute() the way n8n does and returns its single output. */
export async function runNode(options: FakeContextOptions = {}) {
	const { context, sent, abortController } = createContext(options);
	const node = new FaceToSticker();
	const [output] = await node.execute.call(context);
	capture(output);
	return { output, sent, abortController };
}

/** Runs the node and returns the error it threw (fails the test if it did not throw). */
export async function runNodeExpectingError(options: FakeContextOptions = {}) {
	const { context, sent } = createContext(options);
	const node = new FaceToSticker();
	try {
		await node.execute.call(context);
	} catch (error) {
		capture(error);
		return { error: error as NodeApiError & NodeOperationError & { description?: string; httpCode?: string | null; context: IDataObject }, sent };
	}
	throw new Error('the node did not throw');
}

export function binaryItem(bytes: Buffer, fileName = 'face.jpg', mimeType = 'image/jpeg', property = 'data'): INodeExecutionData {
	return { json: {}, binary: { [property]: { data: bytes.toString('base64'), mimeType, fileName } } };
}
