import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Reads one item's parameters, after n8n has resolved its expressions, and checks each value's type and range.
 * A bad value fails as a NodeOperationError with the item's index, the field's label and what to do.
 */
export class ParameterChecks {
	constructor(
		protected readonly context: IExecuteFunctions,
		readonly itemIndex: number,
	) {}

	/** A collection parameter (Options, Model Settings): only the entries the user added are in it. */
	collection(name = 'options'): IDataObject {
		const value = this.context.getNodeParameter(name, this.itemIndex, {});
		return value && typeof value === 'object' ? (value as IDataObject) : {};
	}

	raw(name: string, fallback: unknown): unknown {
		return this.context.getNodeParameter(name, this.itemIndex, fallback);
	}

	string(name: string, label: string, fallback: string): string {
		return this.checkString(label, this.raw(name, fallback));
	}

	integer(name: string, label: string, fallback: number, range: { min: number; max: number }) {
		return this.checkInteger(label, this.raw(name, fallback), range);
	}

	options<T extends string>(name: string, label: string, allowed: T[], fallback: T): T {
		return this.checkOption(label, this.raw(name, fallback), allowed);
	}

	optionValue<T extends string>(
		options: IDataObject,
		key: string,
		label: string,
		allowed: T[],
		fallback: T,
	): T {
		return this.checkOption(label, options[key] ?? fallback, allowed);
	}

	optionBoolean(options: IDataObject, key: string, label: string, fallback: boolean): boolean {
		return this.checkBoolean(label, options[key] ?? fallback);
	}

	optionNumber(options: IDataObject, key: string, label: string, fallback: number, range: { min: number; max: number }): number {
		return this.checkNumber(label, options[key] ?? fallback, range);
	}

	optionInteger(options: IDataObject, key: string, label: string, fallback: number, range: { min: number; max: number }): number {
		return this.checkInteger(label, options[key] ?? fallback, range);
	}

	checkOption<T extends string>(label: string, value: unknown, allowed: T[]): T {
		if (typeof value !== 'string' || !allowed.includes(value as T)) {
			this.fail(label, `must be one of ${allowed.map((v) => `"${v}"`).join(', ')}, got ${describe(value)}`);
		}
		return value as T;
	}

	checkString(label: string, value: unknown): string {
		if (typeof value !== 'string') this.fail(label, `must be text, got ${describe(value)}`);
		return value as string;
	}

	checkBoolean(label: string, value: unknown): boolean {
		if (typeof value !== 'boolean') this.fail(label, `must be true or false, got ${describe(value)}`);
		return value as boolean;
	}

	checkNumber(label: string, value: unknown, range: { min: number; max: number }): number {
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			this.fail(label, `must be a number from ${range.min} to ${range.max}, got ${describe(value)}`);
		}
		const number = value as number;
		if (number < range.min || number > range.max) {
			this.fail(label, `must be from ${range.min} to ${range.max}, got ${number}`);
		}
		return number;
	}

	checkInteger(label: string, value: unknown, range: { min: number; max: number }): number {
		if (typeof value !== 'number' || !Number.isInteger(value)) {
			this.fail(label, `must be a whole number from ${range.min} to ${range.max}, got ${describe(value)}`);
		}
		return this.checkNumber(label, value, range);
	}

	/** A whole-sentence problem (a pack's rules name their own field), as this item's error. */
	refuse(message: string, hint: string): never {
		throw new NodeOperationError(this.context.getNode(), message, { itemIndex: this.itemIndex, description: hint });
	}

	fail(label: string, problem: string, hint?: string): never {
		throw new NodeOperationError(this.context.getNode(), `"${label}" ${problem}`, {
			itemIndex: this.itemIndex,
			description: hint ?? 'Fix the parameter (or the expression that sets it) and run the node again.',
		});
	}
}

function describe(value: unknown): string {
	if (typeof value === 'string') return `the text "${truncate(value)}"`;
	if (value === null || value === undefined) return 'nothing';
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
}

export function truncate(text: string, max = 60): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}
