// Webinar register, app-only: N attendees through one execution against the sandbox's
// virtual-events write limit, SCALED DOWN: Graph allows 15 writes per 30 s (0.5/s, the node's
// default webinar write rate); at that rate 1,000 registrations take at least 2,000 s. The
// sandbox's window is shrunk by `--scale` (default 10: 15 per 3 s = 5/s) and the node's
// "Max Requests per Second" set to the same scaled rate (0.5/s × scale), so every ratio is the
// real one at 1/scale of the wall time. What does not scale: the sandbox's Retry-After (whole
// seconds) and each request's own time (latency, this process's CPU), which at a large scale
// (100: 20 ms between writes) stop being small next to the spacing and measure the machine
// rather than the pacing.
//
//   npm run bench -- --suite webinar [--webinar-n 1000] [--scale 10] [--webinar-latency 100]
const path = require('node:path');
const { option, runVariant, markdownTable, seconds, percent } = require('./common');

const GRAPH_WRITES = { requests: 15, perMs: 30_000 };

async function runWebinarSuite(sandbox) {
	const n = Number(option('webinar-n', '1000'));
	const scale = Number(option('scale', '10'));
	const latencyMs = Number(option('webinar-latency', '100'));
	const writeLimit = { requests: GRAPH_WRITES.requests, perMs: GRAPH_WRITES.perMs / scale };
	const rate = (writeLimit.requests * 1000) / writeLimit.perMs;
	console.log(
		`Webinar register (app-only), SCALED ${scale}×: sandbox write limit ${writeLimit.requests} per ${writeLimit.perMs} ms (= ${rate}/s; Graph: 15 per 30 s = 0.5/s), ` +
			`node Max Requests per Second ${rate} (= default 0.5/s × ${scale}), latency ${latencyMs} ms, N = ${n}\n`,
	);
	const prepared = await sandbox.call('prepareWebinar', { latencyMs, writeLimit });
	const measured = runVariant('webinar', n, prepared.url, {
		extra: { ...prepared, rate },
		env: { NODE_EXTRA_CA_CERTS: path.join(__dirname, '..', 'test', 'fixtures', 'tls', 'ca.pem') },
	});
	const emails = Array.from({ length: n }, (_, i) => `attendee-${i}@example.com`);
	const tally = await sandbox.call('tallyWebinar', { webinarId: prepared.webinarId, emails });
	const boundS = n / rate;
	const header = [
		'N',
		'write limit (scaled)',
		'node rate',
		'registered once',
		'lost',
		'duplicated',
		'writes',
		'429s (% of writes)',
		'time s (scaled)',
		'time ÷ (N/rate)',
		"N/rate at Graph's real 0.5/s",
	];
	const row = [
		n,
		`15 per ${writeLimit.perMs} ms (${rate}/s)`,
		`${rate}/s`,
		n - tally.lost - tally.duplicated,
		tally.lost,
		tally.duplicated,
		tally.writes,
		`${tally.throttledWrites} (${percent(tally.throttledWrites, tally.writes)})`,
		seconds(measured.elapsedMs),
		(measured.elapsedMs / 1000 / boundS).toFixed(3),
		`${n / 0.5} s (${(n / 0.5 / 60).toFixed(1)} min)`,
	];
	if (measured.failure) console.log(`  the run failed: ${measured.failure}`);
	const table = markdownTable(header, [row]);
	console.log(`Webinar register, scaled ${scale}× (1 run):\n\n${table}\n`);
	return { name: 'webinar', table };
}

module.exports = { runWebinarSuite };
