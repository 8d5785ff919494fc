'use strict';
// A small OpenAI-compatible server on 127.0.0.1 for the AI Agent scenario: the OpenAI credential's Base URL points
// here. The first chat completion answers with one call of the first tool offered, carrying the photo URL; the next,
// once a tool result is in the conversation, answers with a final text that quotes the sticker's imageUrl from it.
// Every request body is kept, so a test can check what the model was sent.

const http = require('http');

class OpenAiMock {
	constructor({ photoUrl }) {
		this.photoUrl = photoUrl;
		this.requests = [];
	}

	async start() {
		this.server = http.createServer((req, res) => this.handle(req, res));
		await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${this.server.address().port}/v1`;
		return this;
	}

	async stop() {
		if (this.server) await new Promise((resolve) => this.server.close(resolve));
	}

	/** The tool results the model received, as sent (role "tool" messages). */
	toolResults() {
		return this.requests.flatMap((body) => (body.messages || []).filter((m) => m.role === 'tool'));
	}

	async handle(req, res) {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const text = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url, 'http://x');
		const send = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.method === 'GET' && url.pathname.endsWith('/models')) {
			return send(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'mock' }] });
		}
		if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) return send(404, { error: { message: `no route ${req.method} ${url.pathname}` } });
		const body = JSON.parse(text || '{}');
		this.requests.push(body);
		const toolMessages = (body.messages || []).filter((m) => m.role === 'tool');
		let message;
		if (toolMessages.length === 0) {
			const tool = (body.tools || [])[0];
			if (!tool) return send(400, { error: { message: 'the mock expects at least one tool' } });
			message = {
				role: 'assistant',
				content: null,
				tool_calls: [{ id: 'call_sticker_1', type: 'function', function: { name: tool.function.name, arguments: JSON.stringify({ imageUrl: this.photoUrl }) } }],
			};
		} else {
			const result = String(toolMessages[toolMessages.length - 1].content);
			const found = result.match(/"imageUrl"\s*:\s*"([^"]+)"/);
			message = { role: 'assistant', content: found ? `Here is your sticker: ${found[1]}` : `The tool answered without an imageUrl: ${result.slice(0, 200)}` };
		}
		const finish = message.tool_calls ? 'tool_calls' : 'stop';
		if (body.stream) return this.stream(res, body.model, message, finish);
		return send(200, {
			id: `chatcmpl-${this.requests.length}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			choices: [{ index: 0, message, finish_reason: finish }],
			usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
		});
	}

	/** The same answer as server-sent events, for a client that asks for a stream. */
	stream(res, model, message, finish) {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		const base = { id: `chatcmpl-${this.requests.length}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
		const delta = message.tool_calls
			? { role: 'assistant', tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
			: { role: 'assistant', content: message.content };
		res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
		res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
		res.end('data: [DONE]\n\n');
	}
}

module.exports = { OpenAiMock };
