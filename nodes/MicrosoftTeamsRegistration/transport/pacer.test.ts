/**
 * The pacer on a virtual clock: when each request may go, to the millisecond.
 */
import { Pacer } from './pacer';
import { VirtualClock, turns } from '../../../test/harness/virtualClock';

const flush = async () => await turns(5);

/** Moves the clock from wake-up to wake-up until every request is through. */
async function untilAllThrough(clock: VirtualClock, requests: Array<Promise<void>>): Promise<void> {
	let done = false;
	void Promise.all(requests).then(() => (done = true));
	for (let step = 0; step < 1_000_000 && !done; step++) {
		await flush();
		if (!done) clock.advance();
	}
	expect(done).toBe(true);
}

/**
 * Asks the pacer for `count` sends at once; each is answered `answerMs` later (accepted) and
 * released. Returns the clock time of each send, relative to the start.
 */
async function sendTimes(
	pacer: Pacer,
	clock: VirtualClock,
	count: number,
	answerMs = 0,
	answer: (i: number) => void = () => pacer.onAccepted(),
) {
	const start = clock.now();
	const times: number[] = [];
	const requests = Array.from({ length: count }, async (_, i) => {
		const release = await pacer.acquire();
		times.push(clock.now() - start);
		if (answerMs > 0) await clock.sleep(answerMs);
		answer(i);
		release();
	});
	await untilAllThrough(clock, requests);
	return times;
}

/**
 * Graph's limit as a token bucket: it refills at `perSecond` (which may change over time) and
 * holds `burst` tokens (a second's worth unless given); a request that finds it empty is
 * throttled. Counts the throttles.
 */
function tokenBucket(
	clock: VirtualClock,
	perSecond: number | ((elapsedMs: number) => number),
	burst?: number,
) {
	const start = clock.now();
	const rateAt = typeof perSecond === 'number' ? () => perSecond : perSecond;
	let tokens = burst ?? rateAt(0);
	let refilledAt = start;
	const bucket = {
		throttled: 0,
		/** Takes a token if there is one; false: throttled. */
		take(): boolean {
			const now = clock.now();
			const rate = rateAt(now - start);
			if (Number.isFinite(rate))
				tokens = Math.min(burst ?? rate, tokens + ((now - refilledAt) * rate) / 1000);
			refilledAt = now;
			if (tokens >= 1) {
				tokens--;
				return true;
			}
			bucket.throttled++;
			return false;
		},
	};
	return bucket;
}

test('a fixed rate spaces sends exactly 1/rate apart', async () => {
	const clock = new VirtualClock(0);
	const pacer = new Pacer({ maxConcurrency: 16, maxRequestsPerSecond: 4 }, clock);
	expect(await sendTimes(pacer, clock, 6)).toEqual([0, 250, 500, 750, 1000, 1250]);
});

test('late wake-ups do not lower the rate: sends up to 25 ms late keep the schedule, and the next ones catch up', async () => {
	const clock = new VirtualClock(0);
	let sleeps = 0;
	// Every wake-up comes 4 ms late (a busy event loop); the 50th comes 22 ms late.
	const lateClock = {
		now: () => clock.now(),
		sleep: async (ms: number) => await clock.sleep(ms + (++sleeps === 50 ? 22 : 4)),
	};
	const pacer = new Pacer({ maxConcurrency: 1000, maxRequestsPerSecond: 100 }, lateClock);
	const times = await sendTimes(pacer, clock, 100);
	// On schedule the 100th send goes at 990 ms; it goes no later than one wake-up's lateness.
	expect(times[99]).toBeGreaterThanOrEqual(990);
	expect(times[99]).toBeLessThanOrEqual(994);
	// After the 22 ms wake-up, the two sends it fell behind by go with the one that was due.
	const atOnce = Math.max(...times.map((time) => times.filter((other) => other === time).length));
	expect(atOnce).toBe(3);
});

test('the in-flight limit holds a send until an earlier one is answered', async () => {
	const clock = new VirtualClock(0);
	const pacer = new Pacer({ maxConcurrency: 2, maxRequestsPerSecond: 1000 }, clock);
	// Answers take 100 ms: two go at once (1 ms apart at 1000/s), the next two when those are answered.
	expect(await sendTimes(pacer, clock, 4, 100)).toEqual([0, 1, 100, 101]);
});

test('a throttle holds every send for the Retry-After, from the moment it was answered', async () => {
	const clock = new VirtualClock(0);
	const pacer = new Pacer({ maxConcurrency: 1, maxRequestsPerSecond: 10 }, clock);
	const times = await sendTimes(pacer, clock, 3, 50, (i) =>
		i === 0 ? pacer.onThrottled(3000) : pacer.onAccepted(),
	);
	// The first is answered at 50 ms with Retry-After 3 s: nothing goes before 3050 ms.
	expect(times).toEqual([0, 3050, 3150]);
});

test('adaptive: starts at 10 per second and doubles every second while Graph accepts', async () => {
	const clock = new VirtualClock(0);
	const pacer = new Pacer({ maxConcurrency: 1000 }, clock);
	const times = await sendTimes(pacer, clock, 60);
	const gaps = times.slice(1).map((time, i) => time - times[i]);
	expect(gaps[0]).toBe(100);
	for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThanOrEqual(gaps[i - 1]);
	// 10 × 2^t per second: about 14 sends in the first second, twice that in the next.
	const inSecond = (n: number) =>
		times.filter((time) => time >= n * 1000 && time < (n + 1) * 1000).length;
	expect(inSecond(0)).toBeGreaterThanOrEqual(13);
	expect(inSecond(0)).toBeLessThanOrEqual(15);
	expect(inSecond(1)).toBeGreaterThanOrEqual(2 * inSecond(0) - 2);
});

test('adaptive: a throttle while pushing Graph sets the rate just under what Graph accepts, and it stays there', async () => {
	const clock = new VirtualClock(0);
	const pacer = new Pacer({ maxConcurrency: 1000 }, clock);
	// Graph accepts 20 per second: past that in any second, a 429 with Retry-After 1.
	const acceptedAt: number[] = [];
	const throttledAt: number[] = [];
	const times = await sendTimes(pacer, clock, 300, 0, () => {
		const now = clock.now();
		if (acceptedAt.filter((time) => time > now - 1000).length >= 20) {
			throttledAt.push(now);
			pacer.onThrottled(1000);
		} else {
			acceptedAt.push(now);
			pacer.onAccepted();
		}
	});
	// One burst of throttles when the limit is first met, none after: the rate stays below it.
	const firstThrottle = throttledAt[0];
	expect(throttledAt.filter((time) => time > firstThrottle + 1000)).toEqual([]);
	// The last 5 seconds ran between 85 % and 100 % of Graph's limit.
	const last = times[times.length - 1];
	const tail = times.filter((time) => time > last - 5000).length / 5;
	expect(tail).toBeGreaterThanOrEqual(17);
	expect(tail).toBeLessThanOrEqual(20);
});

test('a quiet lane does not bank its idle time as a climb: after single requests and a minute idle, a burst still starts at 10 per second', async () => {
	const clock = new VirtualClock(0);
	const pacer = new Pacer({ maxConcurrency: 64 }, clock);
	// Three form submissions a second apart, each alone in the lane, then a minute of nothing.
	for (let i = 0; i < 3; i++) {
		await sendTimes(pacer, clock, 1, 50);
		await untilAllThrough(clock, [clock.sleep(1000)]);
	}
	await untilAllThrough(clock, [clock.sleep(60_000)]);
	const times = await sendTimes(pacer, clock, 20, 50);
	// The second goes 100 ms after the first (10 per second) and the climb, while the burst
	// waits, brings the fifth to about 370 ms. Counting the single requests' answers and the
	// quiet time as a climb sent the first five within 70 ms.
	expect(times[1]).toBe(100);
	expect(times[4]).toBeGreaterThanOrEqual(350);
});

test('a lane that Graph throttles again and again sends again as each Retry-After ends: it slows to no less than one request per Retry-After', async () => {
	for (const retryAfterMs of [1000, 3000]) {
		const clock = new VirtualClock(0);
		const pacer = new Pacer({ maxConcurrency: 1 }, clock);
		// Each send is answered 50 ms later; Graph throttles the first 12.
		const times = await sendTimes(pacer, clock, 14, 50, (i) =>
			i < 12 ? pacer.onThrottled(retryAfterMs) : pacer.onAccepted(),
		);
		const gaps = times.slice(1, 13).map((time, i) => time - times[i]);
		// Halving on every throttle took the rate to one send every 2 s (and slower still with
		// a lower floor); the pause alone spaces them by the Retry-After plus the answer.
		expect(gaps).toEqual(Array.from({ length: 12 }, () => retryAfterMs + 50));
	}
});

describe('adaptive in-flight limit', () => {
	/**
	 * A Graph that answers in `latencyMs` while at most `capacity` requests are in its hands,
	 * and the more slowly the more are waiting behind them (it queues). Returns the send times
	 * and the most in flight at once.
	 */
	async function run(
		pacer: Pacer,
		clock: VirtualClock,
		count: number,
		latencyMs: number,
		capacity = Number.POSITIVE_INFINITY,
	) {
		let inFlight = 0;
		let mostInFlight = 0;
		const times: number[] = [];
		/** In flight right after each send. */
		const inFlightAtSend: number[] = [];
		const start = clock.now();
		const requests = Array.from({ length: count }, async () => {
			const release = await pacer.acquire();
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			times.push(clock.now() - start);
			inFlightAtSend.push(inFlight);
			const sentAt = clock.now();
			await clock.sleep(latencyMs * Math.max(1, Math.ceil(inFlight / capacity)));
			inFlight--;
			pacer.onAccepted(clock.now() - sentAt);
			release();
		});
		await untilAllThrough(clock, requests);
		return { times, mostInFlight, inFlightAtSend };
	}

	test('with 300 ms answers and no limit in sight, it grows past the 16 it starts with, so the rate is not capped at 16 per 300 ms', async () => {
		const clock = new VirtualClock(0);
		const pacer = new Pacer({ maxConcurrency: 64 }, clock);
		const { times, mostInFlight } = await run(pacer, clock, 3000, 300);
		const last = times[times.length - 1];
		const lastSecond = times.filter((time) => time > last - 1000).length;
		expect(mostInFlight).toBe(64);
		// 64 in flight at 300 ms is 213 per second
		expect(lastSecond).toBeGreaterThanOrEqual(200);
	});

	test('a Graph that starts queueing past 8 requests in hand keeps the limit near where it started instead of the ceiling', async () => {
		const clock = new VirtualClock(0);
		const pacer = new Pacer({ maxConcurrency: 64 }, clock);
		const { times, inFlightAtSend } = await run(pacer, clock, 2000, 100, 8);
		const last = times[times.length - 1];
		const lastSecond = times.filter((time) => time > last - 1000).length;
		// Latency climbs past 8 in hand: the limit stays at the 16 it started with (latency alone
		// never takes it lower), far from the ceiling of 64
		expect(
			Math.max(...inFlightAtSend.filter((_, i) => times[i] > last - 1000)),
		).toBeLessThanOrEqual(20);
		// 8 in hand at 100 ms is 80 per second: it stays near that, not 64 per 100 ms
		expect(lastSecond).toBeGreaterThanOrEqual(60);
		expect(lastSecond).toBeLessThanOrEqual(140);
	});
});

describe('adaptive rate climbing and throttles with answers that take time', () => {
	/**
	 * Every send is answered `latencyMs` later. Graph holds a bucket of `limit` tokens that
	 * refills at `limit` per second (as the sandbox does; the limit may change over time); a
	 * send that finds it empty is throttled with Retry-After 1 s. Returns send times and throttle times.
	 */
	async function againstLimit(
		pacer: Pacer,
		clock: VirtualClock,
		count: number,
		latencyMs: number,
		limitPerSecond: number | ((elapsedMs: number) => number) = Number.POSITIVE_INFINITY,
	) {
		const times: number[] = [];
		const throttledAt: number[] = [];
		const start = clock.now();
		const bucket = tokenBucket(clock, limitPerSecond);
		const requests = Array.from({ length: count }, async () => {
			for (;;) {
				const release = await pacer.acquire();
				const sentAt = clock.now();
				times.push(sentAt - start);
				const accepted = bucket.take();
				await clock.sleep(latencyMs);
				if (!accepted) {
					throttledAt.push(clock.now() - start);
					pacer.onThrottled(1000);
					release();
					continue;
				}
				pacer.onAccepted(clock.now() - sentAt);
				release();
				return;
			}
		});
		await untilAllThrough(clock, requests);
		return { times, throttledAt };
	}

	test('the climbing rate doubles every 0.3 s when answers take less than that (not every second)', async () => {
		const clock = new VirtualClock(0);
		const pacer = new Pacer({ maxConcurrency: 1000 }, clock);
		const { times } = await againstLimit(pacer, clock, 400, 200);
		const inSecond = (n: number) =>
			times.filter((time) => time >= n * 1000 && time < (n + 1) * 1000).length;
		// From 10 per second, doubling every 0.3 s (every 4 sends while that is longer): about 32
		// sends in the first second (doubling every half second would give 22, every second 14),
		// and several times that in the next.
		expect(inSecond(0)).toBeGreaterThanOrEqual(29);
		expect(inSecond(0)).toBeLessThanOrEqual(35);
		expect(inSecond(1)).toBeGreaterThanOrEqual(3.5 * inSecond(0));
	});

	test('a throttle leaves enough in flight for the rate it settles on: 300 ms answers under a limit of 200 per second', async () => {
		const clock = new VirtualClock(0);
		const pacer = new Pacer({ maxConcurrency: 64 }, clock);
		const { times, throttledAt } = await againstLimit(pacer, clock, 4000, 300, 200);
		expect(throttledAt.length).toBeGreaterThan(0);
		// Graph's pause ends a second after the last throttle of the first burst; then 3 s.
		const resumed = Math.max(...throttledAt.filter((time) => time < throttledAt[0] + 1000)) + 1000;
		const after = times.filter((time) => time >= resumed + 500 && time < resumed + 3500).length / 3;
		expect(after).toBeGreaterThanOrEqual(170);
	});

	test('when Graph stops throttling (another lane went idle) the rate climbs to the new room within a minute, not at 0.5 % a second', async () => {
		const clock = new VirtualClock(0);
		const pacer = new Pacer({ maxConcurrency: 64 }, clock);
		// 5 per second for 20 s (the other lane takes the rest), then 20 per second.
		const { times, throttledAt } = await againstLimit(pacer, clock, 1500, 100, (elapsedMs) =>
			elapsedMs < 20_000 ? 5 : 20,
		);
		const perSecond = (from: number, to: number) =>
			times.filter((time) => time >= from * 1000 && time < to * 1000).length / (to - from);
		expect(perSecond(10, 20)).toBeLessThanOrEqual(5.5);
		// 0.5 % a second would be under 6 per second a minute later
		expect(perSecond(60, 70)).toBeGreaterThanOrEqual(12);
		// Probing past the new limit costs a throttle now and then, never a storm of them.
		const later = throttledAt.filter((time) => time >= 20_000);
		later.slice(1).forEach((time, k) => expect(time - later[k]).toBeGreaterThanOrEqual(4000));
	});
});

/**
 * One request through `pacer` to a Graph that takes `latencyMs` to answer and meets the bucket
 * halfway; a throttled one waits its turn again. Resolves with when the accepted one was sent.
 */
async function sendThrough(
	clock: VirtualClock,
	pacer: Pacer,
	latencyMs: number,
	bucket: ReturnType<typeof tokenBucket>,
): Promise<number> {
	for (;;) {
		const release = await pacer.acquire();
		const sentAt = clock.now();
		await clock.sleep(latencyMs / 2);
		const accepted = bucket.take();
		await clock.sleep(latencyMs / 2);
		if (accepted) {
			pacer.onAccepted(clock.now() - sentAt);
			release();
			return sentAt;
		}
		pacer.onThrottled(1000);
		release();
	}
}

/**
 * `countPerLane` requests through each pacer (one per n8n process). Returns the accepted send
 * times per lane and when the last answer came.
 */
async function throughLanes(
	clock: VirtualClock,
	lanes: Pacer[],
	countPerLane: number,
	latencyMs: number,
	bucket: ReturnType<typeof tokenBucket>,
) {
	const start = clock.now();
	const perLane: number[][] = lanes.map(() => []);
	let doneAt = 0;
	const requests = lanes.flatMap((pacer, index) =>
		Array.from({ length: countPerLane }, async () => {
			const sentAt = await sendThrough(clock, pacer, latencyMs, bucket);
			perLane[index].push(sentAt - start);
			doneAt = Math.max(doneAt, clock.now() - start);
		}),
	);
	await untilAllThrough(clock, requests);
	return { perLane, doneAt };
}

describe('two lanes (queue-mode workers) finding one limit together', () => {
	test("lanes that split Graph's 20 per second unevenly even out: each gets close to half", async () => {
		const clock = new VirtualClock(0);
		const lanes = [0, 1].map(() => new Pacer({ maxConcurrency: 64 }, clock));
		const limit = tokenBucket(clock, 20);
		const sent = await throughLanes(clock, lanes, 1200, 100, limit);
		const perSecond = (times: number[], from: number, to: number) =>
			times.filter((time) => time >= from * 1000 && time < to * 1000).length / (to - from);
		// Each lane, every 10 s while both are busy: near 10 per second (a creep in proportion to
		// each lane's own rate kept one at 7 to 9 and the other at 11 to 13).
		for (const from of [10, 20, 30, 40, 50, 60, 70, 80])
			for (const times of sent.perLane)
				expect(perSecond(times, from, from + 10)).toBeGreaterThanOrEqual(8.5);
		// 2,400 requests at 20 per second: 120 s; the uneven split took 131 s.
		expect(sent.doneAt).toBeLessThanOrEqual(1.05 * 120_000);
	});

	test('two queue-mode workers taking 100 form submissions from one queue at 2 per second drain them together: the lane Graph throttles more is not starved', async () => {
		const clock = new VirtualClock(0);
		const lanes = [0, 1].map(() => new Pacer({ maxConcurrency: 128 }, clock));
		const bucket = tokenBucket(clock, 2);
		// Each worker runs up to 20 executions at once and takes the next from the queue as one ends.
		let queued = 100;
		let doneAt = 0;
		const perLane = [0, 0];
		const slots = lanes.flatMap((pacer, index) =>
			Array.from({ length: 20 }, async () => {
				while (queued > 0) {
					queued--;
					await sendThrough(clock, pacer, 100, bucket);
					perLane[index]++;
					doneAt = clock.now();
				}
			}),
		);
		await untilAllThrough(clock, slots);
		expect(perLane[0] + perLane[1]).toBe(100);
		// 100 at 2 per second: 49 s after the 2 in the bucket. Backing off below one request per
		// Retry-After left one lane at 0.5 per second while the other held the rate, and that
		// lane's last executions took the drain to 71 s.
		expect(doneAt).toBeLessThanOrEqual(1.1 * 50_000);
	});
});

describe('a documented limit as the ceiling (webinar writes: 15 per 30 s per app)', () => {
	/**
	 * `lanes` pacers (one per n8n process, as queue-mode workers have) share Graph's bucket of 15
	 * writes refilled at 0.5 per second; each sends `perLane` writes answered 100 ms later, a
	 * write that finds the bucket empty is throttled with Retry-After 2 s. Returns when the last
	 * write went through and how many were throttled.
	 */
	async function shareBudget(lanes: Pacer[], clock: VirtualClock, perLane: number) {
		const bucket = tokenBucket(clock, 0.5, 15);
		let lastAccepted = 0;
		const requests = lanes.flatMap((pacer) =>
			Array.from({ length: perLane }, async () => {
				for (;;) {
					const release = await pacer.acquire();
					const sentAt = clock.now();
					const accepted = bucket.take();
					await clock.sleep(100);
					release();
					if (accepted) {
						pacer.onAccepted(clock.now() - sentAt);
						lastAccepted = clock.now();
						return;
					}
					pacer.onThrottled(2000);
				}
			}),
		);
		await untilAllThrough(clock, requests);
		return { drainedMs: lastAccepted, throttled: bucket.throttled };
	}

	test('one lane runs at exactly the limit and is never throttled', async () => {
		const clock = new VirtualClock(0);
		const lane = new Pacer({ maxConcurrency: 64, ceilingPerSecond: 0.5 }, clock);
		const { drainedMs, throttled } = await shareBudget([lane], clock, 40);
		expect(throttled).toBe(0);
		// 40 writes 2 s apart: the last goes at 78 s and is answered 100 ms later
		expect(drainedMs).toBe(78_100);
	});

	test('two lanes (two queue-mode workers) back off to share it: few throttles, drained near N ÷ 0.5 per second', async () => {
		const clock = new VirtualClock(0);
		const lanes = [0, 1].map(() => new Pacer({ maxConcurrency: 64, ceilingPerSecond: 0.5 }, clock));
		const { drainedMs, throttled } = await shareBudget(lanes, clock, 50);
		// At a fixed 0.5 per second each, the two together offer twice the budget and about a
		// quarter of the writes are throttled here; backing off keeps it to a handful.
		expect(throttled).toBeLessThanOrEqual(15);
		// 100 writes: 15 in the bucket, then 0.5 per second: at least 170 s. The lane that backed
		// off climbs back once the other is done, which costs some of that.
		expect(drainedMs).toBeLessThanOrEqual(1.15 * 200_000);
	});
});
