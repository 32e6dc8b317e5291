/**
 * Paces every request of one execution to one Graph host and identity: at most
 * `maxConcurrency` in flight, spaced to a rate that is either fixed or adaptive, and all
 * of them held while Graph's Retry-After runs.
 *
 * Adaptive rate: start slowly and double each second until Graph first throttles, then
 * settle just below the rate Graph was accepting and creep up by 1 % a second; every
 * throttle brings it back below what was accepted. A throttle costs a whole Retry-After
 * for every request, so staying just under Graph's limit is what keeps throughput high.
 */
export interface PacerOptions {
	maxConcurrency: number;
	/** Fixed rate; undefined = adaptive. */
	maxRequestsPerSecond?: number;
}

const INITIAL_RATE = 10;
const MIN_RATE = 0.2;
const MAX_ADAPTIVE_RATE = 2000;
const ACCEPTED_WINDOW_MS = 2000;
const SETTLE_FACTOR = 0.95;
const CREEP_PER_SECOND = 0.01;

export class Pacer {
	private inFlight = 0;
	private readonly waiting: Array<() => void> = [];
	private nextSendAt = 0;
	private pausedUntil = 0;
	private rate: number;
	private readonly adaptive: boolean;
	private slowStart = true;
	private lastRateUpdate = Date.now();
	/** Times of recent accepted answers (bounded by the window), to know what Graph accepts. */
	private readonly accepted: number[] = [];
	private timer: NodeJS.Timeout | undefined;
	readonly stats = { throttled: 0, sent: 0 };

	constructor(private readonly options: PacerOptions) {
		this.adaptive = options.maxRequestsPerSecond === undefined;
		this.rate = options.maxRequestsPerSecond ?? INITIAL_RATE;
	}

	/** Resolves when a request may be sent; call the returned function when its answer is in. */
	async acquire(): Promise<() => void> {
		await new Promise<void>((resolve) => {
			this.waiting.push(resolve);
			this.dispatch();
		});
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.inFlight--;
			this.dispatch();
		};
	}

	/** Graph accepted a request (any answer that is not throttling). */
	onAccepted(): void {
		const now = Date.now();
		this.accepted.push(now);
		while (this.accepted.length && this.accepted[0] < now - ACCEPTED_WINDOW_MS) this.accepted.shift();
		if (!this.adaptive) return;
		const elapsedSeconds = (now - this.lastRateUpdate) / 1000;
		if (elapsedSeconds <= 0) return;
		this.lastRateUpdate = now;
		const growth = this.slowStart ? Math.pow(2, elapsedSeconds) : 1 + CREEP_PER_SECOND * elapsedSeconds;
		this.rate = Math.min(MAX_ADAPTIVE_RATE, this.rate * growth);
	}

	/** Graph throttled (429, or 503 with Retry-After): hold everything, and slow down. */
	onThrottled(retryAfterMs: number): void {
		const now = Date.now();
		this.stats.throttled++;
		const throttleIsNew = now >= this.pausedUntil;
		this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		if (this.adaptive && throttleIsNew) {
			const acceptedRate = (this.accepted.filter((t) => t >= now - ACCEPTED_WINDOW_MS).length * 1000) / ACCEPTED_WINDOW_MS;
			this.rate = Math.max(MIN_RATE, Math.min(this.rate, acceptedRate) * SETTLE_FACTOR);
			this.slowStart = false;
			this.lastRateUpdate = this.pausedUntil;
		}
		this.dispatch();
	}

	/** Current target rate, for diagnostics. */
	get requestsPerSecond(): number {
		return this.rate;
	}

	private dispatch(): void {
		if (this.timer !== undefined) return;
		while (this.waiting.length > 0 && this.inFlight < this.options.maxConcurrency) {
			const now = Date.now();
			const sendAt = Math.max(now, this.pausedUntil, this.nextSendAt);
			if (sendAt > now) {
				this.timer = setTimeout(() => {
					this.timer = undefined;
					this.dispatch();
				}, sendAt - now);
				return;
			}
			this.nextSendAt = Math.max(now, this.nextSendAt) + 1000 / this.rate;
			this.inFlight++;
			this.stats.sent++;
			this.waiting.shift()!();
		}
	}
}
