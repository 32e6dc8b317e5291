/**
 * Paces the requests of one delivery lane (see lanes.ts): first come first served, spaced to
 * a rate that is either fixed or adaptive, a limited number in flight, and all of them held
 * while Graph's Retry-After runs. A request waits no longer than its deadline.
 *
 * In flight: with a fixed rate, up to `maxConcurrency`. With the adaptive rate the limit
 * adapts too, within `maxConcurrency`: it doubles every round trip until the first sign of
 * trouble, then grows by one per round trip while answers keep their latency and Graph
 * throttles nothing, and shrinks when latency climbs (Graph queueing our requests) or Graph
 * throttles, so throughput reaches Graph's limit whatever its latency.
 *
 * Adaptive rate: double every round trip (every 0.3 s at least, every few sends at a low
 * rate, every second at most) until Graph throttles; then take the rate Graph was accepting
 * since the last pause as its limit, run at 95 % of it, and creep up (from 0.5 % of the
 * highest limit measured a second, faster the longer Graph throttles nothing) to follow a
 * limit that rises or room another lane left. The creep is the same step for every lane
 * that measured the same limit, whatever share each holds now, so two lanes (queue-mode
 * workers) that split Graph's limit unevenly even out. A throttle while not pushing the
 * known limit (a stray 429) only cuts the rate, and it climbs straight back to below the
 * known limit. A throttle with too few answers since the last pause to measure anything
 * (a low limit such as a few requests per second) halves the rate and caps it there until a
 * measurement is possible. A throttle costs a whole Retry-After for every request, so
 * staying just under Graph's limit is what keeps throughput high. No throttle slows a lane
 * below one request per Retry-After: a limit that hands each returning token to whoever
 * asks first favours the steadiest sender, so a lane that backed off further would be
 * starved by another lane holding its rate, and its queue would drain last.
 *
 * The rate climbs and creeps only while requests wait for it: an answer to a lone request
 * says nothing about Graph's limit, and a lane used one form submission at a time would
 * otherwise count its quiet time as a climb and send the next burst all at once.
 *
 * Timers and a busy n8n process wake the lane late; a send a little late keeps the schedule
 * (the next ones catch up), so the rate sent is the rate set.
 */
import type { Clock } from './clock';
import { systemClock } from './clock';

export interface PacerOptions {
	maxConcurrency: number;
	/** Fixed rate; undefined = adaptive. */
	maxRequestsPerSecond?: number;
	/**
	 * Adaptive only: a rate never exceeded, and the one to start at (a limit Graph documents,
	 * which other processes of the same app may be using too: backing off on its throttles lets
	 * them share it).
	 */
	ceilingPerSecond?: number;
}

const INITIAL_RATE = 10;
/** A throttle leaves a lane at least one request per Retry-After, or per this for a shorter one. */
const SHORTEST_PAUSE_MS = 1000;
/** Under a ceiling, a lane may back off to this share of it (others may hold the rest). */
const MIN_SHARE_OF_CEILING = 0.1;
const MAX_ADAPTIVE_RATE = 2000;
/** Graph's accepted rate is measured over the last 2 s, or over the last 10 answers at a slow rate. */
const MEASURE_WINDOW_MS = 2000;
const MAX_MEASURE_WINDOW_MS = 20_000;
const MEASURE_ANSWERS = 10;
const MIN_MEASURE_MS = 250;
const MIN_MEASURE_ANSWERS = 4;
const BELOW_LIMIT = 0.95;
/** Accepted below this share of our rate means we were pushing past Graph's limit. */
const SATURATED = 0.9;
const STRAY_THROTTLE_CUT = 0.85;
const CREEP_PER_SECOND = 0.005;
/**
 * The creep doubles every 10 s without a throttle (up to 5 % a second): a lane that Graph has
 * stopped throttling (another worker's lane went idle) takes up the room within a minute.
 */
const CREEP_DOUBLING_MS = 10_000;
const MAX_CREEP_PER_SECOND = 0.05;
/** While climbing, the rate doubles once per round trip, bounded by these and by a few sends' worth. */
const MIN_DOUBLING_MS = 300;
const MAX_DOUBLING_MS = 1000;
const SENDS_PER_DOUBLING = 4;
const INITIAL_IN_FLIGHT = 16;
/**
 * A send that goes this late or less (timers, a busy event loop) keeps the lane's schedule, so the
 * next ones catch up: otherwise every late wake-up lowers the rate actually sent.
 */
const CATCH_UP_MS = 25;
/** Latency this many times the lowest seen means Graph is queueing our requests. */
const LATENCY_CLIMB = 2;
const IN_FLIGHT_CUT_ON_LATENCY = 0.9;
const IN_FLIGHT_CUT_ON_THROTTLE = 0.7;
/** After a throttle, room in flight above what the new rate needs at the lowest latency seen. */
const IN_FLIGHT_ROOM = 1.5;
/** The lowest latency is forgotten slowly (1 % a second), so a lasting change of Graph's speed is learnt. */
const LATENCY_FLOOR_RISE_PER_SECOND = 1.01;

/** A request's deadline came while it waited its turn. */
export class PastDeadline extends Error {
	constructor(
		/** Requests that were ahead of it in the queue when it joined. */
		readonly aheadWhenQueued: number,
		/** When Graph's Retry-After pause ends, if that is what kept it waiting past its deadline. */
		readonly pausedUntil: number | undefined,
	) {
		super('deadline passed while waiting in the delivery queue');
	}
}

interface Waiter {
	deadline: number;
	ahead: number;
	resolve: () => void;
	reject: (error: PastDeadline) => void;
}

export class Pacer {
	private inFlight = 0;
	private waiting: Waiter[] = [];
	private nextSendAt = 0;
	private pausedUntil = 0;
	private rate: number;
	private adaptive: boolean;
	/** The highest adaptive rate: a documented limit, else a bound far above any Graph allows. */
	private maxRate: number;
	private maxConcurrency: number;
	/** How many may be in flight now (adaptive rate: between 1 and maxConcurrency). */
	private inFlightLimit: number;
	/** The lowest answer latency seen lately, ms, and when it was last updated. */
	private latencyFloor: number | undefined;
	private latencyFloorAt = 0;
	/** No second latency cut before this time (one per round trip). */
	private nextLatencyCutAt = 0;
	/** Until the first cut the limit doubles every round trip; after it, it grows by one. */
	private slowStart = true;
	/** Graph's accepted rate as last measured at a throttle; undefined until the first. */
	private knownLimit: number | undefined;
	/** The highest limit measured so far. */
	private peakLimit = 0;
	/** When the rate last climbed, or the queue was last empty: it climbs only while requests wait. */
	private lastRateUpdate: number;
	/** When Graph last began a throttle (a new pause). */
	private lastThrottleAt: number;
	/** Times of recent accepted answers (bounded by the window), to measure what Graph accepts. */
	private readonly accepted: number[] = [];
	/** When the earliest pending wake-up fires; undefined when none is pending. */
	private wakeAt: number | undefined;

	constructor(
		options: PacerOptions,
		private readonly clock: Clock = systemClock,
	) {
		this.adaptive = options.maxRequestsPerSecond === undefined;
		this.maxRate = options.ceilingPerSecond ?? MAX_ADAPTIVE_RATE;
		this.rate = options.maxRequestsPerSecond ?? options.ceilingPerSecond ?? INITIAL_RATE;
		this.maxConcurrency = options.maxConcurrency;
		this.inFlightLimit = this.adaptive
			? Math.min(INITIAL_IN_FLIGHT, options.maxConcurrency)
			: options.maxConcurrency;
		this.lastRateUpdate = clock.now();
		this.lastThrottleAt = clock.now();
		this.lastActiveAt = clock.now();
	}

	/**
	 * Takes the settings of the execution that uses the lane now. A fixed rate replaces the
	 * current one; going back to adaptive keeps what was learnt.
	 */
	configure(options: PacerOptions): void {
		this.maxConcurrency = options.maxConcurrency;
		this.inFlightLimit = Math.min(this.inFlightLimit, options.maxConcurrency);
		this.maxRate = options.ceilingPerSecond ?? MAX_ADAPTIVE_RATE;
		if (options.maxRequestsPerSecond !== undefined) {
			this.adaptive = false;
			this.rate = options.maxRequestsPerSecond;
			this.inFlightLimit = options.maxConcurrency;
		} else if (!this.adaptive) {
			this.adaptive = true;
			this.rate =
				this.knownLimit === undefined
					? (options.ceilingPerSecond ?? INITIAL_RATE)
					: this.knownLimit * BELOW_LIMIT;
		}
		if (this.adaptive) this.rate = Math.min(this.rate, this.maxRate);
		this.dispatch();
	}

	/** When a request last joined or left the lane. */
	private lastActiveAt: number;

	/** Nothing waiting or in flight for at least `ms`. */
	idleFor(ms: number): boolean {
		return (
			this.inFlight === 0 && this.waiting.length === 0 && this.clock.now() - this.lastActiveAt >= ms
		);
	}

	/** When Graph's current Retry-After pause ends (0 or past: none). */
	get resumesAt(): number {
		return this.pausedUntil;
	}

	/**
	 * Resolves when a request may be sent; call the returned function when its answer is in.
	 * Rejects with PastDeadline if its turn would come after `deadline`.
	 */
	async acquire(deadline = Number.POSITIVE_INFINITY): Promise<() => void> {
		this.lastActiveAt = this.clock.now();
		await new Promise<void>((resolve, reject) => {
			this.waiting.push({ deadline, ahead: this.waiting.length + this.inFlight, resolve, reject });
			this.dispatch();
		});
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.inFlight--;
			this.lastActiveAt = this.clock.now();
			this.dispatch();
		};
	}

	/** Graph answered a request without throttling it. */
	onAccepted(latencyMs?: number): void {
		const now = this.clock.now();
		if (this.adaptive && latencyMs !== undefined) this.adaptInFlight(latencyMs, now);
		this.accepted.push(now);
		while (this.accepted[0] < now - MAX_MEASURE_WINDOW_MS) this.accepted.shift();
		if (!this.adaptive || now < this.pausedUntil) return;
		const elapsedSeconds = (now - Math.max(this.lastRateUpdate, this.pausedUntil)) / 1000;
		this.lastRateUpdate = now;
		// Only while the rate holds requests back does an answer show that Graph accepts it.
		if (elapsedSeconds <= 0 || this.waiting.length === 0) return;
		const target =
			this.knownLimit === undefined
				? this.maxRate
				: Math.min(this.maxRate, this.knownLimit * BELOW_LIMIT);
		if (this.rate < target) {
			this.rate = Math.min(target, this.rate * 2 ** ((elapsedSeconds * 1000) / this.doublingMs()));
		} else {
			const creep = Math.min(
				MAX_CREEP_PER_SECOND,
				CREEP_PER_SECOND * 2 ** ((now - this.lastThrottleAt) / CREEP_DOUBLING_MS),
			);
			// The same step for every lane that shares Graph's limit (a share of the highest limit
			// measured, not of its own rate), so lanes that split it unevenly even out.
			this.rate = Math.min(
				this.maxRate,
				this.rate + creep * Math.max(this.rate, this.peakLimit) * elapsedSeconds,
			);
		}
	}

	/** Graph throttled (429, or 503 with Retry-After): hold everything, and slow down. */
	onThrottled(retryAfterMs: number): void {
		const now = this.clock.now();
		const throttleIsNew = now >= this.pausedUntil;
		if (this.adaptive && throttleIsNew) {
			const measured = this.measuredAcceptedRate(now);
			// The measurement is Graph's limit if we were pushing it: sending faster than it
			// accepted, or at (or past) the limit known so far.
			const pushing =
				measured !== undefined &&
				(measured < this.rate * SATURATED ||
					(this.knownLimit !== undefined && this.rate >= this.knownLimit * SATURATED));
			if (pushing) {
				this.knownLimit = measured;
				this.peakLimit = Math.max(this.peakLimit, measured);
				this.rate = measured * BELOW_LIMIT;
			} else if (measured === undefined) {
				// Too few answers since the last pause to measure (a low limit, or a burst the limit
				// let through): halve, and climb no higher until Graph's rate can be measured.
				this.rate /= 2;
				this.knownLimit = Math.min(
					this.knownLimit ?? Number.POSITIVE_INFINITY,
					this.rate / BELOW_LIMIT,
				);
			} else {
				// A stray throttle, below any known limit: cut the rate; it climbs straight back.
				this.rate *= STRAY_THROTTLE_CUT;
			}
			const floor = 1000 / Math.max(SHORTEST_PAUSE_MS, retryAfterMs);
			this.rate = Math.max(Math.min(floor, this.maxRate * MIN_SHARE_OF_CEILING), this.rate);
			// The rate keeps a rate-limited Graph happy; the in-flight limit must still carry it.
			const neededForRate = (this.rate * (this.latencyFloor ?? 0) * IN_FLIGHT_ROOM) / 1000;
			this.inFlightLimit = Math.min(
				this.maxConcurrency,
				Math.max(1, this.inFlightLimit * IN_FLIGHT_CUT_ON_THROTTLE, neededForRate),
			);
			this.slowStart = false;
		}
		if (throttleIsNew) this.lastThrottleAt = now;
		this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		this.dispatch();
	}

	/** How long the climbing rate takes to double: a round trip, within the bounds above. */
	private doublingMs(): number {
		const roundTrip = this.latencyFloor ?? MAX_DOUBLING_MS;
		return Math.min(
			MAX_DOUBLING_MS,
			Math.max(MIN_DOUBLING_MS, roundTrip, (SENDS_PER_DOUBLING * 1000) / this.rate),
		);
	}

	/** Additive increase per round trip while latency holds; multiplicative decrease when it climbs. */
	private adaptInFlight(latencyMs: number, now: number): void {
		const aged =
			this.latencyFloor === undefined
				? latencyMs
				: this.latencyFloor * LATENCY_FLOOR_RISE_PER_SECOND ** ((now - this.latencyFloorAt) / 1000);
		this.latencyFloor = Math.max(1, Math.min(latencyMs, aged));
		this.latencyFloorAt = now;
		if (latencyMs > LATENCY_CLIMB * this.latencyFloor) {
			if (now >= this.nextLatencyCutAt) {
				// Latency also climbs when this n8n process is busy, so latency alone never takes
				// the limit below where it started; only Graph's throttling does.
				this.inFlightLimit = Math.max(
					Math.min(INITIAL_IN_FLIGHT, this.maxConcurrency),
					this.inFlightLimit * IN_FLIGHT_CUT_ON_LATENCY,
				);
				this.nextLatencyCutAt = now + latencyMs;
				this.slowStart = false;
			}
		} else if (this.inFlight >= Math.floor(this.inFlightLimit) - 1) {
			this.inFlightLimit = Math.min(
				this.maxConcurrency,
				this.inFlightLimit + (this.slowStart ? 1 : 1 / this.inFlightLimit),
			);
		}
	}

	/** Answers per second Graph accepted since the last pause ended, if there are enough to tell. */
	private measuredAcceptedRate(now: number): number | undefined {
		const windowMs = Math.min(
			MAX_MEASURE_WINDOW_MS,
			Math.max(MEASURE_WINDOW_MS, (MEASURE_ANSWERS * 1000) / this.rate),
		);
		const since = Math.max(now - windowMs, this.pausedUntil);
		const count = this.accepted.filter((time) => time >= since).length;
		const spanMs = now - since;
		return count >= MIN_MEASURE_ANSWERS && spanMs >= MIN_MEASURE_MS
			? (count * 1000) / spanMs
			: undefined;
	}

	private dispatch(): void {
		this.expireWaiters();
		while (this.waiting.length > 0 && this.inFlight < Math.max(1, Math.floor(this.inFlightLimit))) {
			const now = this.clock.now();
			const due = Math.max(this.pausedUntil, this.nextSendAt);
			if (due > now) {
				this.wakeUpAt(due, now);
				return;
			}
			// Sent a little late, it keeps the schedule (the next ones catch up); long past its
			// time (an idle lane), the schedule starts afresh from now.
			this.nextSendAt = (now - due <= CATCH_UP_MS ? due : now) + 1000 / this.rate;
			this.inFlight++;
			this.waiting.shift()!.resolve();
		}
		// An empty queue restarts the climb's clock: idle time is no climb.
		if (this.waiting.length === 0) this.lastRateUpdate = this.clock.now();
		// Full: the next answer dispatches (and expires waiters past their deadline); every
		// request in flight ends within its timeout, so no long timer is needed here.
	}

	/** Waiters whose turn cannot come before their deadline leave the queue with PastDeadline. */
	private expireWaiters(): void {
		const now = this.clock.now();
		const expired = this.waiting.filter(
			(waiter) => waiter.deadline <= now || waiter.deadline < this.pausedUntil,
		);
		if (expired.length === 0) return;
		this.waiting = this.waiting.filter((waiter) => !expired.includes(waiter));
		for (const waiter of expired)
			waiter.reject(
				new PastDeadline(waiter.ahead, this.pausedUntil > now ? this.pausedUntil : undefined),
			);
	}

	/** One wake-up at a time, the earliest needed; a later pause simply re-arms it when it fires. */
	private wakeUpAt(at: number, now: number): void {
		if (this.wakeAt !== undefined && this.wakeAt <= at) return;
		this.wakeAt = at;
		void this.clock.sleep(at - now).then(() => {
			if (this.wakeAt === at) this.wakeAt = undefined;
			this.dispatch();
		});
	}
}
