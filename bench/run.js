#!/usr/bin/env node
// npm run bench [-- --n 1000,10000 --rate 50 --latency 100 --variants node,nodeBatched,allAtOnce,sequential]
//
// Enrolls N attendees through one execution against the Graph sandbox (in its own process)
// with a fixed latency and a rate cap R, for this node and, in the same run, for the two
// HTTP-Request-style baselines; prints items/s, ratio to R, 429s, lost and duplicated
// attendees, peak RSS, heap still in use after the run (its results included), CPU per
// item, and the memory growth per item between the two Ns.
const { fork, execFileSync } = require('node:child_process');
const path = require('node:path');
const os = require('node:os');

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}
const sizes = option('n', '1000,10000').split(',').map(Number);
const rate = Number(option('rate', '50'));
const latencyMs = Number(option('latency', '100'));
const variants = option('variants', 'node,nodeBatched,allAtOnce,sequential').split(',');
const MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';

function startSandbox() {
	const child = fork(path.join(__dirname, 'sandbox-process.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let nextId = 0;
	const pending = new Map();
	child.on('message', (message) => {
		if (message.ready) return pending.get('ready')?.();
		const { resolve, reject } = pending.get(message.id);
		pending.delete(message.id);
		if (message.error) reject(new Error(message.error));
		else resolve(message.result);
	});
	const ready = new Promise((resolve) => pending.set('ready', resolve));
	return {
		ready,
		call: (command, args) =>
			new Promise((resolve, reject) => {
				const id = ++nextId;
				pending.set(id, { resolve, reject });
				child.send({ id, command, args });
			}),
		stop: () => child.disconnect(),
	};
}

function runVariant(variant, n, url) {
	const output = execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, 'variant.js'), variant, String(n), url, MEETING_ID], {
		encoding: 'utf8',
		maxBuffer: 16 * 1024 * 1024,
		env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
	});
	return JSON.parse(output.trim().split('\n').pop());
}

(async () => {
	console.log(`Benchmark: sandbox latency ${latencyMs} ms, rate cap R = ${rate}/s (token bucket, burst ${rate}); N = ${sizes.join(', ')}`);
	console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
	const sandbox = startSandbox();
	await sandbox.ready;
	const rows = [];
	const header = ['variant', 'N', 'items/s', 'ratio to R', '429s', 'lost', 'duplicated', 'peak RSS MB', 'heap kept MB', 'CPU ms/item'];
	console.log(header.join(' | '));
	for (const n of sizes) {
		for (const variant of variants) {
			const { url } = await sandbox.call('prepare', { meetingId: MEETING_ID, latencyMs, ratePerSecond: rate });
			const measured = runVariant(variant, n, url);
			const externalIds = Array.from({ length: n }, (_, i) => `attendee-${i}@example.com`);
			const tally = await sandbox.call('tally', { meetingId: MEETING_ID, externalIds });
			const itemsPerSecond = n / (measured.elapsedMs / 1000);
			const row = { variant, n, itemsPerSecond, ratio: itemsPerSecond / rate, ...tally, rssMB: measured.maxRssKB / 1024, keptMB: measured.retainedKB / 1024, cpuMsPerItem: measured.cpuMs / n };
			rows.push(row);
			console.log([variant, n, itemsPerSecond.toFixed(1), row.ratio.toFixed(2), tally.throttled, tally.lost, tally.duplicated, row.rssMB.toFixed(0), row.keptMB.toFixed(1), row.cpuMsPerItem.toFixed(3)].join(' | '));
		}
	}
	if (sizes.length >= 2) {
		const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
		console.log('\nMemory growth per item between N = %d and N = %d:', small, large);
		for (const variant of variants) {
			const a = rows.find((row) => row.variant === variant && row.n === small);
			const b = rows.find((row) => row.variant === variant && row.n === large);
			const perItemKB = (megabytes) => ((megabytes * 1024) / (large - small)).toFixed(2);
			if (a && b) console.log(`  ${variant}: peak RSS ${perItemKB(b.rssMB - a.rssMB)} KB/item, heap kept after the run ${perItemKB(b.keptMB - a.keptMB)} KB/item`);
		}
	}
	sandbox.stop();
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
