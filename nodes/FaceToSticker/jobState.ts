import type { ItemSettings } from './parameters';

/** What is known about one item's job while it runs: shared by the flows, the retry engine and the errors. */
export interface JobState {
	itemIndex: number;
	settings: ItemSettings;
	startedAt: number;
	deadline: number;
	requestId?: string;
	polls: number;
	/** The last transient problem, to explain a timeout. */
	lastProblem?: string;
}

export function newJobState(itemIndex: number, settings: ItemSettings): JobState {
	const startedAt = Date.now();
	return { itemIndex, settings, startedAt, deadline: startedAt + settings.maxWaitMs, polls: 0 };
}
