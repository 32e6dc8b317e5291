// Lanes on virtual time: the node's pacer (dist/, as built) against a simulated Graph that
// holds a token bucket (cap per second, burst = cap, Retry-After 1 s past it) and answers
// every request after the latency, each leg ±20 % by a seeded generator. No HTTP, no n8n: only
// the pacing decisions, on a clock the suite moves itself, so a cell gives the same figures on
// any machine, however busy. Two lanes are a chaotic system (a millisecond decides which lane
// Graph throttles), so each cell runs with several seeds and shows the mean and the lowest.
// One lane is one n8n process (regular mode); two lanes are two queue-mode workers, either each
// with a fixed half of the items (shape "split", the harsher) or taking the items from one queue
// as n8n's queue mode hands out executions, each worker running up to `--queue-slots` at once
// (shape "queue": a slower worker takes fewer). Each cell runs a batch twice through the same
// lanes: the first batch pays for finding Graph's limit, the second shows what a process that
// already knows it gets.
//
//   npm run bench -- --suite lanes [--caps 2,50,200] [--latencies 100,300] [--lanes 1,2] [--seconds 20] [--min-n 100] [--seeds 5]
//                                  [--shapes split,queue] [--queue-slots 20]
//                                  [--max-concurrency <the node's default>]
//                                  [--pacer <compiled pacer.js of another version, to compare>]
const path = require('node:path');
const { option, markdownTable, percent } = require('./common');
const { createRandom } = require('../sandbox/graph-sandbox');

/** The node as built. */
const NODE_DIST = path.join(__dirname, '..', 'dist', 'nodes', 'MicrosoftTeamsRegistration');
const PACER = path.join(NODE_DIST, 'transport', 'pacer.js');
/**
 * Items in flight per lane: the node's item loop keeps at most Max Concurrent Requests of them,
 * and the lane's in-flight ceiling is the same number (the node's default).
 */
const { DEFAULT_DELIVERY } = require(
	path.join(NODE_DIST, 'descriptions', 'requestOptions.description.js'),
);
const WORKERS_PER_LANE = Number(option('max-concurrency', String(DEFAULT_DELIVERY.maxConcurrency)));

/** A clock that moves only when the suite says so, to the earliest wake-up. */
class SteppedClock {
	constructor() {
		this.time = 0;
		this.sleepers = [];
		this.order = 0;
	}
	now() {
		return this.time;
	}
	sleep(ms) {
		return new Promise((wake) =>
			this.sleepers.push({ at: this.time + Math.max(0, ms), order: this.order++, wake }),
		);
	}
	advance() {
		if (this.sleepers.length === 0) return false;
		this.time = Math.max(this.time, Math.min(...this.sleepers.map((sleeper) => sleeper.at)));
		const due = this.sleepers
			.filter((sleeper) => sleeper.at <= this.time)
			.sort((a, b) => a.order - b.order);
		this.sleepers = this.sleepers.filter((sleeper) => sleeper.at > this.time);
		for (const sleeper of due) sleeper.wake();
		return true;
	}
}

const settle = async () => {
	for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Each leg of a round trip takes half the latency, ±20 % by the seed's numbers. */
async function simulateCell({ cap, latencyMs, n, laneCount, seed, shape, queueSlots }) {
	const { Pacer } = require(path.resolve(option('pacer', PACER)));
	const clock = new SteppedClock();
	const random = createRandom(seed, 'lanes');
	const leg = () => (latencyMs / 2) * (0.8 + 0.4 * random.float());
	let tokens = cap;
	let refilledAt = 0;
	const stats = { throttled: 0, requests: 0 };
	/** 0: accepted; else Retry-After seconds. */
	const take = () => {
		const now = clock.now();
		tokens = Math.min(cap, tokens + ((now - refilledAt) / 1000) * cap);
		refilledAt = now;
		if (tokens >= 1) {
			tokens--;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - tokens) / cap));
	};
	const lanes = Array.from(
		{ length: laneCount },
		() => new Pacer({ maxConcurrency: WORKERS_PER_LANE }, clock),
	);

	async function send(lane) {
		for (;;) {
			const release = await lane.acquire();
			const sentAt = clock.now();
			await clock.sleep(leg());
			stats.requests++;
			const retryAfterS = take();
			await clock.sleep(leg());
			if (retryAfterS) {
				stats.throttled++;
				lane.onThrottled(retryAfterS * 1000);
				release();
				continue;
			}
			lane.onAccepted(clock.now() - sentAt);
			release();
			return;
		}
	}

	async function batch() {
		const started = clock.now();
		const before = { ...stats };
		// split: lane i sends items i, i + lanes, ...; queue: every lane takes the next of one queue.
		const next = lanes.map((_, laneIndex) => laneIndex);
		let queued = n;
		const takeItem = (laneIndex) => {
			if (shape === 'queue') return queued-- > 0;
			next[laneIndex] += laneCount;
			return next[laneIndex] - laneCount < n;
		};
		const worker = (laneIndex) => async () => {
			while (takeItem(laneIndex)) await send(lanes[laneIndex]);
		};
		const slots = shape === 'queue' ? queueSlots : WORKERS_PER_LANE;
		let finished = false;
		void Promise.all(
			lanes.flatMap((_, laneIndex) => Array.from({ length: slots }, worker(laneIndex))),
		).then(() => (finished = true));
		for (;;) {
			await settle();
			if (finished || !clock.advance()) break;
		}
		const seconds = (clock.now() - started) / 1000;
		return {
			seconds,
			throttled: stats.throttled - before.throttled,
			requests: stats.requests - before.requests,
		};
	}

	return { first: await batch(), second: await batch() };
}

async function runLanes() {
	const caps = option('caps', '2,50,200').split(',').map(Number);
	const latencies = option('latencies', '100,300').split(',').map(Number);
	const laneCounts = option('lanes', '1,2').split(',').map(Number);
	const cellSeconds = Number(option('seconds', '20'));
	const minN = Number(option('min-n', '100'));
	const seeds = Number(option('seeds', '5'));
	const shapes = option('shapes', 'split,queue').split(',');
	const queueSlots = Number(option('queue-slots', '20'));
	console.log(
		`Lanes on virtual time: caps ${caps.join(', ')} /s (token bucket, burst = cap) × latencies ${latencies.join(', ')} ms (±20 % per leg) × lanes ${laneCounts.join(', ')} (several: shapes ${shapes.join(', ')}; queue: ${queueSlots} slots per lane); N = max(${minN}, cap × ${cellSeconds} s); ${seeds} runs per cell\n`,
	);
	const header = [
		'cap /s',
		'latency ms',
		'lanes',
		'items',
		'N',
		'batch',
		'enrolled/s ÷ cap: mean (lowest)',
		'429s per run: mean (% of requests)',
		'drain ÷ (N/cap): mean',
	];
	const rows = [];
	const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
	for (const cap of caps) {
		for (const latencyMs of latencies) {
			for (const [laneCount, shape] of laneCounts.flatMap((count) =>
				count === 1 ? [[1, 'split']] : shapes.map((one) => [count, one]),
			)) {
				const n = Math.max(minN, Math.round(cap * cellSeconds));
				const runs = [];
				for (let seed = 1; seed <= seeds; seed++)
					runs.push(await simulateCell({ cap, latencyMs, n, laneCount, seed, shape, queueSlots }));
				for (const [label, batch] of [
					['first (finds the limit)', 'first'],
					['second (same lanes)', 'second'],
				]) {
					const measured = runs.map((run) => run[batch]);
					const ratios = measured.map((one) => n / one.seconds / cap);
					const throttled = mean(measured.map((one) => one.throttled));
					const row = [
						cap,
						latencyMs,
						laneCount,
						laneCount === 1
							? 'all'
							: shape === 'queue'
								? `one queue, ${queueSlots} at once each`
								: 'half each',
						n,
						label,
						`${mean(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)})`,
						`${throttled.toFixed(1)} (${percent(throttled, mean(measured.map((one) => one.requests)))})`,
						mean(measured.map((one) => one.seconds / (n / cap))).toFixed(2),
					];
					rows.push(row);
					console.log(row.join(' | '));
				}
			}
		}
	}
	const table = markdownTable(header, rows);
	console.log(`\nLanes on virtual time (${rows.length} rows):\n\n${table}\n`);
	return { name: 'lanes', table };
}

module.exports = { runLanes };
