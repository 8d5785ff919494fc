import { Account } from '../../nodes/FaceToSticker/transport/account';

const never = () => false;
const START = 1_000_000;

/** An account at 2 requests per minute on a clock the test moves (even spacing: 30.5 s). */
function account() {
	const clock = { now: START };
	const acc = new Account(() => clock.now);
	acc.limits = { requestsPerMinute: 2, maxConcurrentJobs: 0 };
	const send = async (deadlineAfter = 100) => await acc.acquireRequestUntilAnswered('x', clock.now + deadlineAfter, never);
	return { acc, clock, send };
}

/** Two requests as even spacing lets them go (0 s and 30.5 s), the first answered `answeredAfter` ms after it left. */
async function twoRequests(answeredAfter: number) {
	const ctx = account();
	const first = await ctx.send();
	ctx.clock.now = START + answeredAfter;
	(first as () => void)();
	ctx.clock.now = START + 30_500;
	((await ctx.send()) as () => void)();
	ctx.clock.now = START + 61_000;
	return ctx;
}

describe('the account keeps the server\'s 60 s window even when a request reaches Segmind late', () => {
	test('a request whose answer came 2.5 s after it was let go holds the request 2 places later until 60 s after that answer', async () => {
		const { clock, send } = await twoRequests(2_500);
		// Even spacing alone would let the third go at 61.0 s, although the first may have arrived at 2.5 s.
		expect(await send(1_000)).toBe(false);
		const third = send(5_000);
		setTimeout(() => (clock.now = START + 62_500), 120);
		expect(typeof (await third)).toBe('function');
	});

	test('a request answered at once costs nothing: the one 2 places later goes at the even spacing', async () => {
		const { send } = await twoRequests(150);
		expect(typeof (await send())).toBe('function');
	});

	test('a request still unanswered (a direct generation) is assumed to have arrived within 3 s of being let go', async () => {
		const { clock, send } = account();
		await send();
		clock.now = START + 30_500;
		await send();
		clock.now = START + 61_000;
		expect(await send(1_900)).toBe(false);
		clock.now = START + 63_000;
		expect(typeof (await send())).toBe('function');
	});
});
