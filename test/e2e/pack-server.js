'use strict';
// What the sticker pack suite asks of a running n8n (N8nServer) beyond the harness: activating a workflow whose
// trigger registers itself elsewhere (the Telegram Trigger calls setWebhook), waiting, and a short account of
// the last execution when the bot never answers.

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

/** The newest execution's status and the end of its stored data, for a failure message. */
async function lastExecutionSummary(server) {
	const list = await server.rest('GET', '/rest/executions?limit=1');
	const results = (list.body.data ?? list.body)?.results ?? [];
	if (results.length === 0) return 'n8n recorded no execution';
	const execution = await server.rest('GET', `/rest/executions/${results[0].id}`);
	const body = execution.body.data ?? execution.body;
	const data = typeof body.data === 'string' ? body.data : JSON.stringify(body.data ?? body);
	const errorAt = data.indexOf('"message"');
	return `last execution ${results[0].id}: ${body.status}; ${data.slice(Math.max(0, errorAt - 500), errorAt + 1500)}`;
}

module.exports = { activateTrigger, lastExecutionSummary, waitFor };
