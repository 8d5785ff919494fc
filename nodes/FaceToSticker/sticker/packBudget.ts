import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { roundCredits } from '../helpers/credits';
import { PUBLISHED_PRICES } from '../helpers/packDefaults';
import type { JobState } from '../helpers/interfaces';
import type { PackTask } from '../helpers/packInterfaces';
import type { RetryingExchange } from '../transport/exchange';
import { READ_POLICY } from '../transport/exchange';
import { errorDetail, parseJsonBody } from '../transport/response';

/** The balance answer is a two-field JSON object. */
const MAX_BALANCE_ANSWER_BYTES = 64 * 1024;

/** What a pack is expected to cost: count × (generation + background removal). */
export interface PackEstimate {
	count: number;
	perSticker: number;
	total: number;
	/** Whether the prices are the last ones Segmind charged this account, or the published ones. */
	pricesFrom: 'last charge' | 'published prices';
}

export function estimatePack(exchange: RetryingExchange, count: number): PackEstimate {
	const prices = exchange.account.prices;
	const perSticker = roundCredits((prices.generation ?? PUBLISHED_PRICES.generation) + (prices.background ?? PUBLISHED_PRICES.backgroundRemoval));
	const seen = prices.generation !== undefined && prices.background !== undefined;
	return { count, perSticker, total: roundCredits(count * perSticker), pricesFrom: seen ? 'last charge' : 'published prices' };
}

/**
 * Money first: before a pack's first submit, its estimate is held against Max Pack Cost and against the
 * account's balance (`GET /v1/get-user-credits`, which costs nothing). A pack that cannot be paid for is refused
 * with both figures, and nothing is spent.
 */
export async function checkPackBudget(
	node: INode,
	exchange: RetryingExchange,
	task: PackTask,
	job: JobState,
): Promise<{ estimate: PackEstimate; balance: number | null }> {
	const estimate = estimatePack(exchange, task.expressions.length);
	const itemIndex = job.itemIndex;
	const costText = `${estimate.count} stickers × ${estimate.perSticker} = ${estimate.total} credits (${estimate.pricesFrom}, background removal included)`;
	if (task.maxPackCost > 0 && estimate.total > task.maxPackCost) {
		throw new NodeOperationError(node, `This pack would cost about ${estimate.total} credits, more than Max Pack Cost (${task.maxPackCost})`, {
			itemIndex,
			description: `${costText}. Raise Max Pack Cost (under Options) or remove expressions. Nothing was spent.`,
		});
	}
	const balance = await readBalance(exchange, job);
	if (balance !== null && balance < estimate.total) {
		throw new NodeOperationError(
			node,
			`Your Segmind balance of ${balance} credits cannot pay for this pack of about ${estimate.total} credits`,
			{
				itemIndex,
				description: `${costText}. Top up your balance in the Segmind console (Billing), or make a smaller pack. Nothing was spent.`,
			},
		);
	}
	return { estimate, balance };
}

/**
 * Credits plus free credits. A key whose account has no balance record yet (404 "No credits found") has 0; an
 * answer without either number is a shape this node does not know: null, and each submit's own 402/406 guards.
 */
async function readBalance(exchange: RetryingExchange, job: JobState): Promise<number | null> {
	const response = await exchange.exchange('credits', job, READ_POLICY, {
		method: 'GET',
		url: exchange.transport.apiUrl('/v1/get-user-credits'),
		timeoutMs: job.settings.timeoutMs,
		maxBodyBytes: MAX_BALANCE_ANSWER_BYTES,
	});
	if (response.statusCode === 404 && /no credits/i.test(errorDetail(response))) return 0;
	if (response.statusCode !== 200) throw exchange.errors.response(response, 'credits', job);
	const body = parseJsonBody(response);
	const amounts = [body?.credits, body?.['free-credits']].map((value) => (typeof value === 'string' ? Number(value) : value));
	const known = amounts.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
	return known.length === 0 ? null : roundCredits(known.reduce((sum, value) => sum + value, 0));
}

