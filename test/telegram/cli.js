#!/usr/bin/env node
'use strict';
// Runs the Telegram Bot API emulator on its own: `node test/telegram/cli.js [--token T] [--bot name_bot]`.
// Prints one JSON line with the base URL (n8n's Telegram credential: Base URL), the token and the bot's username,
// then serves until stopped. GET /__emulator/requests shows every call, POST /__emulator/reset forgets them.
const { TelegramEmulator } = require('./telegram-emulator');

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : fallback;
};

(async () => {
	const emulator = await new TelegramEmulator({ token: option('token', undefined), botUsername: option('bot', undefined) }).start();
	process.stdout.write(`${JSON.stringify({ baseUrl: emulator.baseUrl, token: emulator.token, botUsername: emulator.botUsername })}\n`);
	const stop = async () => {
		await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
})();
