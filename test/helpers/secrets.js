'use strict';
// The one secrecy assertion every suite uses: none of the keys appears in anything the tests captured.
function findSecrets(texts, keys) {
	const leaks = [];
	texts.forEach((text, index) => {
		for (const key of keys) {
			if (key && typeof text === 'string' && text.includes(key)) leaks.push({ capture: index, key: `${key.slice(0, 4)}…`, at: text.indexOf(key) });
		}
	});
	return leaks;
}

function expectNoSecrets(texts, keys) {
	const leaks = findSecrets(texts, keys);
	if (leaks.length) throw new Error(`API key found in captured output: ${JSON.stringify(leaks)}`);
}

module.exports = { findSecrets, expectNoSecrets };
