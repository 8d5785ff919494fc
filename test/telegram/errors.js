'use strict';
// The Telegram emulator's error and the JSON-valued fields every method reads.

/** A Bot API error: the description is Telegram's text, the code its error_code (and HTTP status). */
class BotApiError extends Error {
	constructor(description, code = 400) {
		super(description);
		this.code = code;
	}
}

/** A JSON-valued field: as sent in a JSON body, or a string to parse from a form. */
function parseJsonField(value, name) {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		throw new BotApiError(`Bad Request: can't parse ${name} JSON object`);
	}
}

module.exports = { BotApiError, parseJsonField };
