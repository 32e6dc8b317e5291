// Batch grid: one execution with N items through n8n-core against the sandbox, for every
// rate cap × latency cell; this node (defaults) next to the HTTP Request node tuned to the cap
// (C items per batch, 1000 ms interval, Retry On Fail): n8n's real node in the same n8n-core
// run (httpNode; n8n-nodes-base from the n8n 2.x runtime install, installed on first use), and
// the same batching emulated with raw requests and no n8n (tuned), the most that batching allows.
// N = max(min N, cap × seconds), so a cell at the cap takes about `seconds` per variant.
//
//   npm run bench -- --suite grid [--caps 2,50,200] [--latencies 100,300] [--seconds 20] [--min-n 100] [--grid-variants node,httpNode,tuned]
const path = require('node:path');
const { MEETING_ID, option, runVariant, markdownTable, seconds, percent } = require('./common');
const { ensureRuntime, N8N_2X_VERSION } = require('../scripts/n8n-runtime');

const LABELS = {
	node: 'this node (defaults)',
	tuned: 'HTTP Request tuned to the cap + Retry On Fail, emulated (raw requests, no n8n)',
	httpNode: "n8n's HTTP Request node tuned to the cap + Retry On Fail",
	nodeBatched: 'this node, Batch Requests on',
	allAtOnce: 'HTTP Request, all at once + Retry On Fail',
	sequential: 'HTTP Request, 1 per batch',
};

const label = (variant) =>
	LABELS[variant] ??
	(/^node-c\d+$/.test(variant)
		? `this node, Max Concurrent Requests ${variant.slice(6)}`
		: variant);

async function runGrid(sandbox) {
	const caps = option('caps', '2,50,200').split(',').map(Number);
	const latencies = option('latencies', '100,300').split(',').map(Number);
	const cellSeconds = Number(option('seconds', '20'));
	const minN = Number(option('min-n', '100'));
	const variants = option('grid-variants', 'node,httpNode,tuned').split(',');
	// n8n's own HTTP Request node comes from the n8n 2.x install the e2e tests use.
	const nodesBase = variants.includes('httpNode')
		? path.join(
				(await ensureRuntime({ n8nVersion: N8N_2X_VERSION })).dir,
				'node_modules',
				'n8n-nodes-base',
			)
		: undefined;
	console.log(
		`Batch grid: caps ${caps.join(', ')} /s (token bucket, burst = cap) × latencies ${latencies.join(', ')} ms; N = max(${minN}, cap × ${cellSeconds} s); variants ${variants.join(', ')}\n`,
	);
	const header = [
		'cap /s',
		'latency ms',
		'N',
		'variant',
		'enrolled/s ÷ cap',
		'429s (% of requests)',
		'lost',
		'duplicated',
		'drain s',
		'drain ÷ (N/cap)',
		'CPU ms/item',
	];
	console.log(header.join(' | '));
	const rows = [];
	for (const cap of caps) {
		for (const latencyMs of latencies) {
			const n = Math.max(minN, Math.round(cap * cellSeconds));
			for (const variant of variants) {
				const { url } = await sandbox.call('prepare', {
					meetingId: MEETING_ID,
					latencyMs,
					ratePerSecond: cap,
				});
				const measured = runVariant(variant, n, url, { extra: { cap, nodesBase } });
				const externalIds = Array.from({ length: n }, (_, i) => `attendee-${i}@example.com`);
				const tally = await sandbox.call('tally', { meetingId: MEETING_ID, externalIds });
				const drainS = measured.elapsedMs / 1000;
				const enrolledPerSecond = (n - tally.lost) / drainS;
				const row = [
					cap,
					latencyMs,
					n,
					label(variant),
					(enrolledPerSecond / cap).toFixed(2),
					`${tally.throttled} (${percent(tally.throttled, tally.requests)})`,
					tally.lost,
					tally.duplicated,
					seconds(measured.elapsedMs),
					(drainS / (n / cap)).toFixed(2),
					(measured.cpuMs / n).toFixed(2),
				];
				if (measured.failure) row[3] += ' (run failed)';
				rows.push(row);
				console.log(row.join(' | '));
			}
		}
	}
	const table = markdownTable(header, rows);
	console.log(`\nBatch grid (${rows.length} runs):\n\n${table}\n`);
	return { name: 'grid', table };
}

module.exports = { runGrid };
