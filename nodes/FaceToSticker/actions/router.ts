import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { createPacks } from './createPack';
import { createStickers } from './createSticker';
import { asNodeError } from './execution';
import { ParameterReader } from '../helpers/parameters';

/** Runs the node's operation: Create Sticker and Get Result item by item, Create Sticker Pack pack by pack. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let operation;
	try {
		operation = new ParameterReader(this, 0).readOperation();
	} catch (error) {
		throw asNodeError(this, error, 0);
	}
	return operation === 'createPack' ? await createPacks.call(this) : await createStickers.call(this);
}
