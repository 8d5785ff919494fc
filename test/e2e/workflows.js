'use strict';
// The workflows the end-to-end suite imports into n8n, built here so each case reads as what it tests.

const NODE_TYPE = 'n8n-nodes-segmind-face-to-sticker.faceToSticker';

const CREDENTIALS = {
	good: { id: 'segmindGood01', name: 'Segmind (emulator)' },
	bad: { id: 'segmindBad001', name: 'Segmind (wrong key)' },
	/** The same account as `good`, with the plan limits set in the credential (30 per minute, 4 at once). */
	limited: { id: 'segmindLimit01', name: 'Segmind (plan limits)' },
};

/** Webhook (POST, the photo as the body) -> Face to Sticker (direct, or `options`) -> Respond to Webhook with the sticker. */
function webhookWorkflow(id, path, credential, options = { mode: 'direct' }) {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'hook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${path}-0000-4000-8000-000000000000`.slice(0, 36),
				parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
			},
			sticker({ width: 256, height: 256, prompt: 'a webhook sender', options }, { credential }),
			{ id: 'respond', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [600, 0], parameters: { respondWith: 'binary', options: {} } },
		],
		connections: {
			Webhook: { main: [[{ node: 'Face to Sticker', type: 'main', index: 0 }]] },
			'Face to Sticker': { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
	};
}

function trigger() {
	return { id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function code(name, jsCode, x) {
	return { id: name.replace(/\W/g, ''), name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [x, 0], parameters: { jsCode } };
}

function sticker(parameters, { credential = CREDENTIALS.good, onError } = {}) {
	const node = {
		id: 'sticker',
		name: 'Face to Sticker',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters,
		credentials: { segmindApi: credential },
	};
	if (onError) node.onError = onError;
	return node;
}

/** A linear workflow: Start -> nodes... ; with `errorOutput`, the sticker node's second output gets a NoOp
 * (or `errorNode`). */
function chain(id, nodes, { errorOutput = false, errorNode } = {}) {
	const all = [trigger(), ...nodes];
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	if (errorOutput) {
		all.push(errorNode ?? { id: 'failed', name: 'Failed items', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 200], parameters: {} });
		const own = connections['Face to Sticker'] || { main: [[]] };
		own.main[1] = [{ node: all[all.length - 1].name, type: 'main', index: 0 }];
		connections['Face to Sticker'] = own;
	}
	return { id, name: id, active: false, settings: {}, nodes: all, connections };
}

/** A Code node that makes one item per entry of `items`, each with a face photo in binary "data". */
function makeFaces(faceBase64, items) {
	return code(
		'Make faces',
		`const face = Buffer.from(${JSON.stringify(faceBase64)}, 'base64');
const items = ${JSON.stringify(items)};
const out = [];
for (const json of items) {
  out.push({ json, binary: { data: await this.helpers.prepareBinaryData(face, 'face.jpg', 'image/jpeg') } });
}
return out;`,
		200,
	);
}

// Reads the sticker bytes back through n8n's binary helpers (any binary mode) and reports what they are.
const READ_STICKERS = `const out = [];
const items = $input.all();
for (let i = 0; i < items.length; i++) {
  const bytes = await this.helpers.getBinaryDataBuffer(i, 'data');
  let hash = 2166136261;
  for (const b of bytes) { hash ^= b; hash = Math.imul(hash, 16777619) >>> 0; }
  let width = 0, height = 0, p = 2;
  while (p + 9 < bytes.length && bytes[p] === 0xff) {
    const marker = bytes[p + 1];
    if (marker === 0xc0 || marker === 0xc2) { height = bytes[p + 5] * 256 + bytes[p + 6]; width = bytes[p + 7] * 256 + bytes[p + 8]; break; }
    p += 2 + bytes[p + 2] * 256 + bytes[p + 3];
  }
  out.push({ json: { requestId: items[i].json.requestId, length: bytes.length, fnv: hash, jpeg: bytes[0] === 0xff && bytes[1] === 0xd8, width, height } });
}
return out;`;

// Reads the transparent sticker (binary "data") and the flat one ("original", when there) back through n8n's
// binary helpers, as base64 for the test to decode: both are small.
const READ_TRANSPARENT = `const out = [];
const items = $input.all();
for (let i = 0; i < items.length; i++) {
  const binary = items[i].binary || {};
  const read = async (name) => (binary[name] ? (await this.helpers.getBinaryDataBuffer(i, name)).toString('base64') : null);
  out.push({ json: {
    requestId: items[i].json.requestId,
    error: items[i].json.error || null,
    fields: Object.keys(binary).sort(),
    mimeType: binary.data ? binary.data.mimeType : null,
    fileName: binary.data ? binary.data.fileName : null,
    data: await read('data'),
    original: await read('original'),
  } });
}
return out;`;

function fnv(bytes) {
	let hash = 2166136261;
	for (const b of bytes) {
		hash ^= b;
		hash = Math.imul(hash, 16777619) >>> 0;
	}
	return hash;
}

function buildWorkflows(faceBase64, imageOrigin) {
	return {
		binaryQueue: chain('e2eBinaryQueue', [
			makeFaces(faceBase64, [{ who: 'ada' }]),
			sticker({ width: 512, height: 384, prompt: 'a smiling astronaut', options: { pollInterval: 0.2 } }),
			code('Read stickers', READ_STICKERS, 600),
		]),
		expressionsDirect: chain('e2eExprDirect', [
			code(
				'Three requests',
				`return [0, 1, 2].map((i) => ({ json: { prompt: 'person number ' + i, seed: 1000 + i, url: '${imageOrigin}/faces/' + i + '.jpg' } }));`,
				200,
			),
			sticker({
				imageSource: 'url',
				imageUrl: '={{ $json.url }}',
				prompt: '={{ $json.prompt }}',
				modelSettings: { seed: '={{ $json.seed }}' },
				width: 256,
				height: 256,
				options: { mode: 'direct' },
			}),
		]),
		badKey: chain('e2eBadKey', [
			makeFaces(faceBase64, [{}]),
			sticker({ width: 256, height: 256, options: { pollInterval: 0.2 } }, { credential: CREDENTIALS.bad }),
		]),
		credits: chain(
			'e2eCredits',
			[
				makeFaces(faceBase64, [{ prompt: 'first' }, { prompt: 'poor second' }, { prompt: 'third' }]),
				sticker({ width: 256, height: 256, prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2 } }, { onError: 'continueErrorOutput' }),
			],
			{ errorOutput: true },
		),
		outOfRange: chain(
			'e2eOutOfRange',
			[
				makeFaces(faceBase64, [{ w: 256, tag: 'ok-one' }, { w: 4000, tag: 'too-wide' }, { w: 512, tag: 'ok-two' }]),
				sticker({ width: '={{ $json.w }}', height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2 } }, { onError: 'continueErrorOutput' }),
			],
			{ errorOutput: true },
		),
		concurrency: chain('e2eConcurrency', [
			makeFaces(faceBase64, [0, 1, 2, 3, 4, 5].map((i) => ({ tag: `c${i}` }))),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2, concurrency: 3 } }),
		]),
		rateCap: chain('e2eRateCap', [
			makeFaces(faceBase64, [{ tag: 'r0' }, { tag: 'r1' }, { tag: 'r2' }]),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.5, requestsPerMinute: 8, concurrency: 3 } }),
		]),
		pause429: chain('e2ePause429', [
			makeFaces(faceBase64, [{ tag: 'p0' }, { tag: 'p1' }, { tag: 'p2' }]),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2, concurrency: 3 } }),
		]),
		submitThenGetResult: chain('e2eSubmitThenGet', [
			makeFaces(faceBase64, [{ tag: 'later' }]),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { waitForCompletion: false } }),
			{
				...sticker({ operation: 'getResult', requestId: '={{ $json.requestId }}', options: { pollInterval: 0.2 } }),
				id: 'getResult',
				name: 'Get sticker later',
				position: [600, 0],
			},
		]),
		cancel: chain('e2eCancel', [
			makeFaces(faceBase64, [0, 1, 2, 3, 4, 5].map((i) => ({ tag: `x${i}` }))),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.5, concurrency: 2 } }),
		]),
		hostile: chain(
			'e2eHostile',
			[
				makeFaces(faceBase64, [{ tag: 'h0' }]),
				sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2 } }, { onError: 'continueErrorOutput' }),
			],
			{ errorOutput: true },
		),
		transparent: chain('e2eTransparent', [
			makeFaces(faceBase64, [{ tag: 't0' }]),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2, background: 'transparent', keepOriginal: true } }),
			code('Read transparent', READ_TRANSPARENT, 600),
		]),
		transparentDirect: chain('e2eTransparentDirect', [
			makeFaces(faceBase64, [{ tag: 'td' }]),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { mode: 'direct', background: 'transparent' } }),
			code('Read transparent', READ_TRANSPARENT, 600),
		]),
		photoAuto: chain('e2ePhotoAuto', [
			makeFaces(faceBase64, [{ tag: 'auto' }]),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2 } }),
			code('Read stickers', READ_STICKERS, 600),
		]),
		backgroundFails: chain(
			'e2eBackgroundFails',
			[
				makeFaces(faceBase64, [{ tag: 'bgfail' }]),
				sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2, background: 'transparent' } }, { onError: 'continueErrorOutput' }),
			],
			{ errorOutput: true, errorNode: { ...code('Read transparent', READ_TRANSPARENT, 600), position: [600, 200] } },
		),
		keyOrigins: chain('e2eKeyOrigins', [
			makeFaces(faceBase64, [{ tag: 'k0' }]),
			sticker({ width: 256, height: 256, prompt: '={{ $json.tag }}', options: { pollInterval: 0.2, background: 'transparent', photoUpload: 'upload' } }),
		]),
		webhookLimited: webhookWorkflow('e2eHookLimited', 'sticker-limited', CREDENTIALS.limited),
		webhookFree: webhookWorkflow('e2eHookFree', 'sticker-free', CREDENTIALS.good),
		fairBatch: chain('e2eFairBatch', [
			code('Hundred photos', `return Array.from({ length: 100 }, (_, i) => ({ json: { url: '${imageOrigin}/faces/batch-' + i + '.jpg' } }));`, 200),
			sticker(
				{ imageSource: 'url', imageUrl: '={{ $json.url }}', width: 256, height: 256, options: { mode: 'direct', concurrency: 4 } },
				{ credential: CREDENTIALS.limited },
			),
		]),
		failedJob: chain('e2eFailedJob', [
			makeFaces(faceBase64, [{}]),
			sticker({ width: 256, height: 256, prompt: 'FAIL on purpose', options: { pollInterval: 0.2 } }),
		]),
	};
}

module.exports = { buildWorkflows, chain, code, makeFaces, sticker, trigger, webhookWorkflow, CREDENTIALS, NODE_TYPE, READ_TRANSPARENT, fnv };
