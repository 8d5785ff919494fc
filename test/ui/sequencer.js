'use strict';
// n8n 2.x first: its screenshots are the README's, and a failure there is the one to read first.
const Sequencer = require('@jest/test-sequencer').default;

module.exports = class NewestFirst extends Sequencer {
	sort(tests) {
		return [...tests].sort((a, b) => b.path.localeCompare(a.path));
	}
};
