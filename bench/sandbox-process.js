// The Graph sandbox in its own process, so the memory measured for a variant is the
// variant's alone. Driven by the benchmark over IPC.
const { startGraphSandbox } = require('../sandbox/graph-sandbox');

(async () => {
	const sandbox = await startGraphSandbox({ maxLog: 0, seed: 'bench' });
	const commands = {
		prepare({ meetingId, latencyMs, ratePerSecond }) {
			sandbox.reset();
			sandbox.setLatency(latencyMs);
			sandbox.setRateLimit({ perSecond: ratePerSecond, burst: ratePerSecond });
			sandbox.createMeeting({ id: meetingId, allowedRegistrant: 'everyone' });
			return { url: sandbox.url };
		},
		/** Registrants per external id (lost = 0, duplicated = more than 1) and 429s answered. */
		tally({ meetingId, externalIds }) {
			const counts = new Map();
			for (const registrant of sandbox.registrantsOf(meetingId)) counts.set(registrant.id, (counts.get(registrant.id) ?? 0) + 1);
			let lost = 0;
			let duplicated = 0;
			for (const id of externalIds) {
				const count = counts.get(id) ?? 0;
				if (count === 0) lost++;
				if (count > 1) duplicated++;
			}
			return { lost, duplicated, throttled: sandbox.stats.throttled, requests: sandbox.stats.requests };
		},
	};
	process.on('message', ({ id, command, args }) => {
		try {
			process.send({ id, result: commands[command](args) });
		} catch (error) {
			process.send({ id, error: String(error && error.stack) });
		}
	});
	process.on('disconnect', () => sandbox.close().then(() => process.exit(0)));
	process.send({ ready: true });
})();
