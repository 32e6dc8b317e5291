// Lanes on virtual time: the node's pacer (dist/, as built) against a simulated Graph that
// holds a token bucket (cap per second, burst = cap, Retry-After 1 s past it) and answers
// every request after a fixed latency. No HTTP, no n8n: only the pacing decisions, on a clock
// the suite moves itself, so a cell gives the same figures on any machine, however busy.
// One lane is one n8n process (regular mode); two lanes are two queue-mode workers, each with
// half the items. Each cell runs a batch twice through the same lanes: the first batch pays
// for finding Graph's limit, the second shows what a process that already knows it gets.
//
//   npm run bench -- --suite lanes [--caps 2,50,200] [--latencies 100,300] [--lanes 1,2] [--seconds 20] [--min-n 100]
//                                  [--pacer <compiled pacer.js of another version, to compare>]
const path = require('node:path');
const { option, markdownTable, percent } = require('./common');

const PACER = path.join(
	__dirname,
	'..',
	'dist',
	'nodes',
	'MicrosoftTeamsRegistration',
	'transport',
	'pacer.js',
);
/** Items in flight per lane, as the node's item loop keeps at most Max Concurrent Requests of them. */
const WORKERS_PER_LANE = 64;

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

async function simulateCell({ cap, latencyMs, n, laneCount }) {
	const { Pacer } = require(path.resolve(option('pacer', PACER)));
	const clock = new SteppedClock();
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
	const lanes = Array.from({ length: laneCount }, () => new Pacer({ maxConcurrency: 64 }, clock));

	async function send(lane) {
		for (;;) {
			const release = await lane.acquire();
			const sentAt = clock.now();
			await clock.sleep(latencyMs / 2);
			stats.requests++;
			const retryAfterS = take();
			await clock.sleep(latencyMs / 2);
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
		const next = lanes.map((_, laneIndex) => laneIndex);
		const worker = (laneIndex) => async () => {
			while (next[laneIndex] < n) {
				next[laneIndex] += laneCount;
				await send(lanes[laneIndex]);
			}
		};
		let finished = false;
		void Promise.all(
			lanes.flatMap((_, laneIndex) => Array.from({ length: WORKERS_PER_LANE }, worker(laneIndex))),
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
	console.log(
		`Lanes on virtual time: caps ${caps.join(', ')} /s (token bucket, burst = cap) × latencies ${latencies.join(', ')} ms × lanes ${laneCounts.join(', ')}; N = max(${minN}, cap × ${cellSeconds} s)\n`,
	);
	const header = [
		'cap /s',
		'latency ms',
		'lanes',
		'N',
		'batch',
		'enrolled/s ÷ cap',
		'429s (% of requests)',
		'drain s',
		'drain ÷ (N/cap)',
	];
	const rows = [];
	for (const cap of caps) {
		for (const latencyMs of latencies) {
			for (const laneCount of laneCounts) {
				const n = Math.max(minN, Math.round(cap * cellSeconds));
				const result = await simulateCell({ cap, latencyMs, n, laneCount });
				for (const [label, measured] of [
					['first (finds the limit)', result.first],
					['second (same lanes)', result.second],
				]) {
					const row = [
						cap,
						latencyMs,
						laneCount,
						n,
						label,
						(n / measured.seconds / cap).toFixed(2),
						`${measured.throttled} (${percent(measured.throttled, measured.requests)})`,
						measured.seconds.toFixed(1),
						(measured.seconds / (n / cap)).toFixed(2),
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
