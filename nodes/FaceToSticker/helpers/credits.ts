/** Credits are fractions of a cent: keep six decimals, drop float noise from sums. */
export function roundCredits(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}

/** What a sticker cost: its generation plus its background removal; null when Segmind reported neither. */
export function addCosts(generation: number | null, backgroundRemoval: number | null): number | null {
	return generation === null && backgroundRemoval === null ? null : roundCredits((generation ?? 0) + (backgroundRemoval ?? 0));
}
