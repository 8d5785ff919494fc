/**
 * Round robin between executions: the next free slot goes to the waiting execution that was served least
 * recently (one never served comes first), so a one-photo execution that arrives behind a batch gets the very
 * next slot. Within one execution, any of its waiting jobs may take it.
 */
export class FairLine {
	/** Executions with jobs waiting, and how many. */
	private readonly waiting = new Map<string, number>();

	/** When each execution of the account was last served (a counter), kept while the execution is attached. */
	private readonly lastServed = new Map<string, number>();

	private serves = 0;

	enter(execution: string): void {
		this.waiting.set(execution, (this.waiting.get(execution) ?? 0) + 1);
	}

	leave(execution: string): void {
		const count = (this.waiting.get(execution) ?? 0) - 1;
		if (count > 0) this.waiting.set(execution, count);
		else this.waiting.delete(execution);
	}

	isTurn(execution: string): boolean {
		let next: string | undefined;
		for (const candidate of this.waiting.keys()) {
			if (next === undefined || (this.lastServed.get(candidate) ?? 0) < (this.lastServed.get(next) ?? 0)) next = candidate;
		}
		return next === execution;
	}

	served(execution: string): void {
		this.leave(execution);
		this.lastServed.set(execution, ++this.serves);
	}

	forget(execution: string): void {
		this.lastServed.delete(execution);
	}

	get isEmpty(): boolean {
		return this.waiting.size === 0;
	}
}
