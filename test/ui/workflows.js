'use strict';
// The workflows the browser tests open in the editor, imported before n8n starts (a user would have built them).

const { FACE } = require('../../scripts/examples');
const { chain, sticker, trigger, NODE_TYPE } = require('../e2e/workflows');

const CREDENTIAL = { id: 'segmindUi0001', name: 'Segmind account' };
const OPENAI_CREDENTIAL = { id: 'openAiMock001', name: 'OpenAI (local mock)' };

const at = (x, y = 0) => [x, y];

function readFace() {
	return {
		id: 'read',
		name: 'Read face photo',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: at(200),
		parameters: { operation: 'read', fileSelector: FACE, options: {} },
	};
}

/** Scenario 4: a face photo file becomes a sticker, run with the Execute button. */
const photoToSticker = () =>
	chain('uiPhotoToSticker', [readFace(), sticker({ prompt: 'a smiling astronaut, thumbs up', width: 512, height: 512, options: {} }, { credential: CREDENTIAL })]);

/** Scenario 8: the same photo made into a Telegram sticker (Sticker Format), finished inside the node. */
const photoToTelegramSticker = () =>
	chain('uiTelegramSticker', [
		readFace(),
		sticker({ prompt: 'a smiling astronaut, thumbs up', width: 512, height: 512, stickerFormat: 'telegram', options: {} }, { credential: CREDENTIAL }),
	]);

/**
 * Scenario 9: the same photo made into a whole Telegram pack (the 8 default expressions), one item with the whole
 * pack so the output panel shows every sticker, the icon and the preview sheet. Concurrency 8: all at once.
 */
const photoToTelegramPack = () =>
	chain('uiTelegramPack', [
		readFace(),
		sticker(
			{ operation: 'createPack', packFor: 'telegram', botUsername: 'demo_sticker_bot', prompt: 'a smiling astronaut', width: 512, height: 512, packOutput: 'pack', options: { concurrency: 8 } },
			{ credential: CREDENTIAL },
		),
	]);

/** Scenario 5: Width comes from an expression that resolves to 1001, not a multiple of 8 (1000 would be valid: 125 x 8). */
const widthFromExpression = () =>
	chain('uiWidthExpression', [readFace(), sticker({ prompt: 'a person', width: '={{ 1001 }}', options: {} }, { credential: CREDENTIAL })]);

/**
 * Scenario 7: n8n's AI Agent with an OpenAI Chat Model (its credential's Base URL points at the local mock) and
 * Face to Sticker attached as a tool; the model fills Image URL with $fromAI.
 */
function agentWithStickerTool(photoUrl) {
	const agent = {
		id: 'agent',
		name: 'AI Agent',
		type: '@n8n/n8n-nodes-langchain.agent',
		typeVersion: 1.7,
		position: at(220),
		parameters: { promptType: 'define', text: `Make a sticker of the face in this photo: ${photoUrl}`, options: {} },
	};
	const model = {
		id: 'model',
		name: 'OpenAI Chat Model',
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1,
		position: at(120, 220),
		parameters: { model: 'gpt-4o-mini', options: {} },
		credentials: { openAiApi: OPENAI_CREDENTIAL },
	};
	const tool = {
		id: 'tool',
		name: 'Face to Sticker',
		type: `${NODE_TYPE}Tool`,
		typeVersion: 1,
		position: at(360, 220),
		parameters: {
			descriptionType: 'manual',
			toolDescription: 'Turns a photo of a face, given by its URL, into a sticker. Returns the sticker URL as imageUrl.',
			imageSource: 'url',
			imageUrl: "={{ $fromAI('imageUrl', 'The URL of the face photo', 'string') }}",
			prompt: 'a person',
			width: 512,
			height: 512,
			options: {},
		},
		credentials: { segmindApi: CREDENTIAL },
	};
	return {
		id: 'uiAgentTool',
		name: 'uiAgentTool',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [trigger(), agent, model, tool],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Face to Sticker': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
}

module.exports = { CREDENTIAL, OPENAI_CREDENTIAL, FACE, photoToSticker, photoToTelegramSticker, photoToTelegramPack, widthFromExpression, agentWithStickerTool };
