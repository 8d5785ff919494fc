'use strict';
// What the sticker pack suite asks of a running n8n (N8nServer) beyond the harness: activating a workflow whose
// trigger registers itself elsewhere (the Telegram Trigger calls setWebhook), waiting, and a short account of
// the last execution when the bot never answers.

const path = require('path');

/** Resolves once `condition()` is truthy; rejects naming `what` after `timeoutMs`. */
async function waitFor(condition, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Activates an imported workflow through the REST API (POST …/activate, or 1.x's PATCH with active: true). */
async function activateTrigger(server, workflowId) {
	const stored = await server.rest('GET', `/rest/workflows/${workflowId}`);
	if (stored.status !== 200) throw new Error(`reading ${workflowId}: ${stored.status} ${JSON.stringify(stored.body).slice(0, 300)}`);
	const { versionId } = stored.body.data ?? stored.body;
	let answer = await server.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
	if (answer.status === 404) answer = await server.rest('PATCH', `/rest/workflows/${workflowId}`, { active: true, versionId });
	if (answer.status !== 200) throw new Error(`activating ${workflowId}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
}

/**
 * Waits for `condition()` while the workflow runs in the server; fails at once, with the execution's error, when an
 * execution of the server ends in error instead (a refused upload, say), rather than at the timeout.
 */
async function waitWhileRunning(server, condition, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	let checkAt = Date.now() + 2_000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${await lastExecutionSummary(server)}`);
		if (Date.now() > checkAt) {
			checkAt = Date.now() + 2_000;
			// A dropped keep-alive connection ("other side closed") says nothing about the run: ask again later.
			const list = await server.rest('GET', '/rest/executions?limit=1').catch(() => ({ body: {} }));
			const [last] = (list.body?.data ?? list.body)?.results ?? [];
			if (last && ['error', 'crashed'].includes(last.status) && !condition()) {
				throw new Error(`an execution failed while waiting for ${what}\n${await lastExecutionSummary(server)}`);
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** The newest execution's status, the node it stopped at and its error, for a failure message. */
async function lastExecutionSummary(server) {
	const list = await server.rest('GET', '/rest/executions?limit=1');
	const results = (list.body.data ?? list.body)?.results ?? [];
	if (results.length === 0) return 'n8n recorded no execution';
	const execution = await server.rest('GET', `/rest/executions/${results[0].id}`);
	const body = execution.body.data ?? execution.body;
	let data = body.data;
	try {
		// n8n stores run data in the `flatted` format: read it with n8n's own copy.
		const flatted = require(require.resolve('flatted', { paths: [path.dirname(server.instance.n8nBin())] }));
		data = typeof data === 'string' ? flatted.parse(data) : data;
		const { error, lastNodeExecuted } = data.resultData;
		return `last execution ${results[0].id}: ${body.status} at "${lastNodeExecuted}": ${error ? `${error.message}${error.description ? ` (${error.description})` : ''}` : 'no error'}`;
	} catch {
		return `last execution ${results[0].id}: ${body.status}; ${String(typeof data === 'string' ? data : JSON.stringify(data)).slice(0, 2000)}`;
	}
}

module.exports = { activateTrigger, lastExecutionSummary, waitFor, waitWhileRunning };
