'use strict';
// The workflows of the sticker pack suite (sticker-packs.js): the two examples of examples/, pointed at the
// emulators and a temp folder, and small workflows for the pack's money, failure and input rules.

const fs = require('fs');
const path = require('path');

const { code, makeFaces, sticker, trigger, CREDENTIALS } = require('./workflows');
const { ROOT } = require('./n8n-harness');

/** The credentials the examples name (examples/*.json). */
const EXAMPLE_CREDENTIALS = {
	segmind: { id: 'segmindAccount01', name: 'Segmind account' },
	telegram: { id: 'telegramBot00001', name: 'Telegram bot' },
};

function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
}

/** Sets Config's fields (a Set node's assignments) by name; every name must be there already. */
function configure(workflow, values) {
	const config = workflow.nodes.find((node) => node.name === 'Config');
	const assignments = config.parameters.assignments.assignments;
	for (const [name, value] of Object.entries(values)) {
		const assignment = assignments.find((a) => a.name === name);
		if (!assignment) throw new Error(`Config has no field ${name}`);
		assignment.value = value;
	}
	return workflow;
}

/** examples/telegram-sticker-pack.json with Config pointed at the Telegram emulator. */
function telegramExample(telegram) {
	return configure(readExample('telegram-sticker-pack.json'), { botToken: telegram.token, apiBase: telegram.baseUrl, botUsername: telegram.botUsername });
}

/** examples/whatsapp-sticker-pack.json reading `photoPath` and writing into `outputFolder`. */
function whatsappExample(photoPath, outputFolder) {
	return configure(readExample('whatsapp-sticker-pack.json'), { photoPath, outputFolder });
}

/** The expressions of a node's Expressions list, as { expression, emoji }. */
function expressionsOf(workflow, nodeName = 'Face to Sticker') {
	return workflow.nodes.find((node) => node.name === nodeName).parameters.expressions.expression;
}

const list = (...pairs) => ({ expression: pairs.map(([expression, emoji]) => ({ expression, emoji })) });
const FOUR = (third) => list(['happy, big smile', '😄'], ['laughing out loud', '😂'], [third, '😉'], ['sleepy, yawning', '😴']);
const FAST = { pollInterval: 0.2 };

/** A pack node named `name` (so several can sit in one workflow), its error output on. */
function pack(name, parameters, y) {
	return {
		...sticker({ operation: 'createPack', prompt: 'a person', options: FAST, ...parameters }, { onError: 'continueErrorOutput' }),
		id: name.replace(/\W/g, ''),
		name,
		position: [400, y],
	};
}

/** Start -> one face -> each pack node side by side; `errorNodes` maps a pack node to the node on its error output. */
function fanOut(id, faceBase64, packs, errorNodes = {}) {
	const nodes = [trigger(), makeFaces(faceBase64, [{ who: 'anna' }]), ...packs, ...Object.values(errorNodes)];
	const connections = {
		Start: { main: [[{ node: 'Make faces', type: 'main', index: 0 }]] },
		'Make faces': { main: [packs.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
	};
	for (const [from, to] of Object.entries(errorNodes)) connections[from] = { main: [[], [{ node: to.name, type: 'main', index: 0 }]] };
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

const TELEGRAM = { packFor: 'telegram', botUsername: 'sticker_test_bot' };
const WHATSAPP = { packFor: 'whatsapp', packAuthor: 'Anna' };
const SIGNAL = { packFor: 'signal', packTitle: 'Anna', packAuthor: 'Anna B.', packOutput: 'pack' };

// Every file of each item (a pack's files, or the paid stickers on an error output), read back through n8n's binary
// helpers.
const READ_FILES = `const items = $input.all();
const out = [];
for (let i = 0; i < items.length; i++) {
  for (const [key, file] of Object.entries(items[i].binary || {})) {
    const bytes = await this.helpers.getBinaryDataBuffer(i, key);
    out.push({ json: { key, fileName: file.fileName, mimeType: file.mimeType, data: bytes.toString('base64') } });
  }
}
return out;`;

/** Bad input, one pack node each: every one refused before any request. */
const BAD_INPUTS = {
	'Too few for WhatsApp': { ...WHATSAPP, expressions: list(['happy', '😄'], ['sad', '😢']) },
	'Missing emoji': { ...TELEGRAM, expressions: list(['happy', '😄'], ['sad', '']) },
	'Four emoji for WhatsApp': { ...WHATSAPP, expressions: list(['happy', '😄'], ['sad', '😢😭😞🥲'], ['sleepy', '😴']) },
	'Empty expression': { ...TELEGRAM, expressions: list(['happy', '😄'], ['', '😢']) },
	'Bad set name': { ...TELEGRAM, setName: 'anna__stickers_by_sticker_test_bot' },
	'Set name of another bot': { ...TELEGRAM, setName: 'anna_stickers_by_other_bot' },
	'Title too long': { ...TELEGRAM, packTitle: 'T'.repeat(65) },
	'Cost above the cap': { ...TELEGRAM, options: { ...FAST, maxPackCost: 0.5 } },
};

/** The third expression of "One fails" and the second and third of "Too many fail" are made to fail. */
const FAILING = { one: 'winking', many: ['thumbs up', 'shrugging'] };

/** Adds a "Read files" Code node on the main output of `from`. */
function readAfter(workflow, from) {
	workflow.nodes.push({ ...code('Read files', READ_FILES, 700), position: [700, 0] });
	workflow.connections[from] = { main: [[{ node: 'Read files', type: 'main', index: 0 }], []] };
	return workflow;
}

function buildPackWorkflows(faceBase64) {
	const badNodes = Object.entries(BAD_INPUTS).map(([name, parameters], i) => pack(name, parameters, i * 160));
	return {
		badInputs: fanOut('e2ePackBadInputs', faceBase64, badNodes),
		signal: readAfter(fanOut('e2ePackSignal', faceBase64, [pack('Signal pack', { ...SIGNAL, expressions: list(['happy, big smile', '😄'], ['sad, teary eyes', '😢']) }, 0)]), 'Signal pack'),
		lowBalance: fanOut('e2ePackLowBalance', faceBase64, [pack('Face to Sticker', TELEGRAM, 0)]),
		failures: fanOut(
			'e2ePackFailures',
			faceBase64,
			[
				pack('One fails', { ...WHATSAPP, expressions: FOUR(FAILING.one), packOutput: 'pack' }, 0),
				pack('Too many fail', { ...WHATSAPP, expressions: list(['grinning, cheerful', '😁'], [FAILING.many[0], '👍'], [FAILING.many[1], '🤷'], ['dozing off', '😪']) }, 200),
			],
			{ 'Too many fail': { ...code('Read paid stickers', READ_FILES, 700), position: [700, 300] } },
		),
	};
}

module.exports = { buildPackWorkflows, telegramExample, whatsappExample, expressionsOf, readExample, BAD_INPUTS, FAILING, SIGNAL, EXAMPLE_CREDENTIALS, CREDENTIALS };
