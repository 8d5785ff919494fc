#!/usr/bin/env node
'use strict';
// Runs the Segmind emulator on its own: `node test/emulator/cli.js [--port 9100] [--latency 3000]`.
// Prints one JSON line with the base URL and the test key, then serves until stopped.
// Control it over HTTP: GET /__emulator/requests, POST /__emulator/reset, POST /__emulator/config.
const http = require('http');
const { SegmindEmulator } = require('./segmind-emulator');

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : fallback;
};

(async () => {
	const emulator = new SegmindEmulator({ latencyMs: Number(option('latency', 3000)) });
	await emulator.start();
	const port = Number(option('port', 0));
	let baseUrl = emulator.baseUrl;
	if (port) {
		// A fixed port in front of the API origin, for the editor's ready-made credential.
		const api = new URL(emulator.baseUrl);
		const proxy = http.createServer((req, res) => {
			const upstream = http.request({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
				res.writeHead(answer.statusCode, answer.headers);
				answer.pipe(res);
			});
			upstream.on('error', () => res.destroy());
			req.pipe(upstream);
		});
		await new Promise((resolve) => proxy.listen(port, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${port}`;
	}
	process.stdout.write(`${JSON.stringify({ baseUrl, apiKey: emulator.apiKey, images: emulator.origins.images })}\n`);
	const stop = async () => {
		await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
})();
