import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { faceToStickerProperties } from './description';

export class FaceToSticker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Face to Sticker',
		name: 'faceToSticker',
		icon: { light: 'file:faceToSticker.svg', dark: 'file:faceToSticker.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "createPack" ? "Create sticker pack for " + ({ telegram: "Telegram", whatsapp: "WhatsApp", signal: "Signal" }[$parameter["packFor"]] || "Telegram") : ($parameter["operation"] === "getResult" ? "Get result" : "Create sticker") + ({ telegram: " for Telegram", whatsapp: " for WhatsApp", signal: " for Signal", discord: " for Discord", slack: " for Slack", custom: " (custom)" }[$parameter["stickerFormat"]] || ($parameter["options"]["background"] === "transparent" ? " (transparent)" : ""))}}',
		description: 'Turn a photo of a face into a sticker with Segmind\'s face-to-sticker model',
		defaults: { name: 'Face to Sticker' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: faceToStickerProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
