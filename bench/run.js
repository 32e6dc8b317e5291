#!/usr/bin/env node
// npm run bench [-- --suite variants|grid|lanes|events|webinar|all (comma-separated; default variants)]
//
// Suites:
//  variants  (the default, as before) [--n 1000,10000 --rate 50 --latency 100 --variants node,nodeBatched,allAtOnce,sequential]
//            Enrolls N attendees through one execution against the Graph sandbox (in its own
//            process) with a fixed latency and a rate cap R, for this node and, in the same run,
//            for the HTTP-Request-style baselines; prints items/s, ratio to R, 429s, lost and
//            duplicated attendees, peak RSS, heap still in use after the run (its results
//            included), CPU per item, and the memory growth per item between the two Ns.
//  grid      caps × latencies, this node next to the HTTP Request node tuned to the cap (bench/grid.js)
//  lanes     the pacer alone on virtual time, 1 and 2 lanes, first and second batch (bench/lanes.js)
//  events    N webhook executions at once in a real n8n, regular and queue mode (bench/events.js)
//  webinar   1,000 app-only webinar registrations in a scaled-down write window (bench/webinar.js)
//  all       grid, lanes, events, webinar (the variants suite runs only when named)
const {
	MEETING_ID,
	option,
	startSandbox,
	runVariant,
	machineLine,
	markdownTable,
} = require('./common');

async function runVariants(sandbox) {
	const sizes = option('n', '1000,10000').split(',').map(Number);
	const rate = Number(option('rate', '50'));
	const latencyMs = Number(option('latency', '100'));
	const variants = option('variants', 'node,nodeBatched,allAtOnce,sequential').split(',');
	console.log(
		`Benchmark: sandbox latency ${latencyMs} ms, rate cap R = ${rate}/s (token bucket, burst ${rate}); N = ${sizes.join(', ')}\n`,
	);
	const rows = [];
	const header = [
		'variant',
		'N',
		'items/s',
		'ratio to R',
		'429s',
		'lost',
		'duplicated',
		'peak RSS MB',
		'heap kept MB',
		'CPU ms/item',
	];
	const cells = [];
	console.log(header.join(' | '));
	for (const n of sizes) {
		for (const variant of variants) {
			const { url } = await sandbox.call('prepare', {
				meetingId: MEETING_ID,
				latencyMs,
				ratePerSecond: rate,
			});
			const measured = runVariant(variant, n, url, { extra: { cap: rate } });
			const externalIds = Array.from({ length: n }, (_, i) => `attendee-${i}@example.com`);
			const tally = await sandbox.call('tally', { meetingId: MEETING_ID, externalIds });
			const itemsPerSecond = n / (measured.elapsedMs / 1000);
			const row = {
				variant,
				n,
				itemsPerSecond,
				ratio: itemsPerSecond / rate,
				...tally,
				rssMB: measured.maxRssKB / 1024,
				keptMB: measured.retainedKB / 1024,
				cpuMsPerItem: measured.cpuMs / n,
			};
			rows.push(row);
			const cellsOfRow = [
				variant,
				n,
				itemsPerSecond.toFixed(1),
				row.ratio.toFixed(2),
				tally.throttled,
				tally.lost,
				tally.duplicated,
				row.rssMB.toFixed(0),
				row.keptMB.toFixed(1),
				row.cpuMsPerItem.toFixed(3),
			];
			cells.push(cellsOfRow);
			console.log(cellsOfRow.join(' | '));
			if (measured.failure) console.log(`  (${measured.failure})`);
		}
	}
	if (sizes.length >= 2) {
		const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
		console.log('\nMemory growth per item between N = %d and N = %d:', small, large);
		for (const variant of variants) {
			const a = rows.find((row) => row.variant === variant && row.n === small);
			const b = rows.find((row) => row.variant === variant && row.n === large);
			const perItemKB = (megabytes) => ((megabytes * 1024) / (large - small)).toFixed(2);
			if (a && b)
				console.log(
					`  ${variant}: peak RSS ${perItemKB(b.rssMB - a.rssMB)} KB/item, heap kept after the run ${perItemKB(b.keptMB - a.keptMB)} KB/item`,
				);
		}
	}
	return { name: 'variants', table: markdownTable(header, cells) };
}

const SUITES = {
	variants: runVariants,
	grid: (sandbox) => require('./grid').runGrid(sandbox),
	lanes: () => require('./lanes').runLanes(),
	webinar: (sandbox) => require('./webinar').runWebinarSuite(sandbox),
	// a real n8n with its own sandboxes (scripts/demo-setup.js): no benchmark sandbox process
	events: () => require('./events').runEvents(),
};

(async () => {
	const requested = option('suite', 'variants').split(',');
	const suites = requested.flatMap((name) =>
		name === 'all' ? ['grid', 'lanes', 'events', 'webinar'] : [name],
	);
	const unknown = suites.filter((name) => !SUITES[name]);
	if (unknown.length)
		throw new Error(
			`unknown suite ${unknown.join(', ')}: use ${Object.keys(SUITES).join(', ')} or all`,
		);
	console.log(`${machineLine()}\nCommand: npm run bench -- ${process.argv.slice(2).join(' ')}\n`);
	const needsSandbox = suites.some((name) => name !== 'events' && name !== 'lanes');
	const sandbox = needsSandbox ? startSandbox() : undefined;
	if (sandbox) await sandbox.ready;
	const results = [];
	try {
		for (const name of suites) {
			const started = Date.now();
			console.log(`\n=== suite ${name} ===\n`);
			results.push({ ...(await SUITES[name](sandbox)), seconds: (Date.now() - started) / 1000 });
		}
	} finally {
		if (sandbox) sandbox.stop();
	}
	console.log(`\n=== final tables (${machineLine()}) ===`);
	for (const { name, table, seconds } of results)
		console.log(`\n${name} (suite took ${seconds.toFixed(0)} s):\n\n${table}`);
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
