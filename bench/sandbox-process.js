// The Graph sandbox in its own process, so the memory measured for a variant is the
// variant's alone. Driven by the benchmark over IPC. It also serves the HTTPS sign-in
// authority (test certificate from test/fixtures/tls), for the app-only webinar suite.
const fs = require('node:fs');
const path = require('node:path');
const {
	startGraphSandbox,
	DEFAULT_ORGANIZER_ID,
	DEFAULT_TENANT_ID,
} = require('../sandbox/graph-sandbox');

const TLS_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'tls');
/** The app the webinar suite signs in as (app-only credential). */
const APP = {
	clientId: '7c3e9a10-3333-4d4d-9999-1a2b3c4d5e6f',
	clientSecret: 'sandbox-bench-app-secret',
};

(async () => {
	const tls = {
		key: fs.readFileSync(path.join(TLS_DIR, 'authority-key.pem'), 'utf8'),
		cert: fs.readFileSync(path.join(TLS_DIR, 'authority.pem'), 'utf8'),
	};
	const sandbox = await startGraphSandbox({ maxLog: 0, seed: 'bench', tls });
	const commands = {
		/** A fresh meeting behind `latencyMs` and a token bucket of `ratePerSecond` (burst `burst`, default the rate). */
		prepare({ meetingId, latencyMs, ratePerSecond, burst }) {
			sandbox.reset();
			sandbox.setLatency(latencyMs);
			sandbox.setRateLimit({ perSecond: ratePerSecond, burst: burst ?? ratePerSecond });
			sandbox.createMeeting({ id: meetingId, allowedRegistrant: 'everyone' });
			return { url: sandbox.url };
		},
		/** Registrants per external id (lost = 0, duplicated = more than 1) and 429s answered. */
		tally({ meetingId, externalIds }) {
			const counts = new Map();
			for (const registrant of sandbox.registrantsOf(meetingId))
				counts.set(registrant.id, (counts.get(registrant.id) ?? 0) + 1);
			let lost = 0;
			let duplicated = 0;
			for (const id of externalIds) {
				const count = counts.get(id) ?? 0;
				if (count === 0) lost++;
				if (count > 1) duplicated++;
			}
			return {
				lost,
				duplicated,
				throttled: sandbox.stats.throttled,
				requests: sandbox.stats.requests,
			};
		},
		/**
		 * A fresh published webinar (no questions, no capacity) under a webinar write limit of
		 * `writeLimit` ({ requests, perMs }), the app registered with the sign-in authority.
		 */
		prepareWebinar({ latencyMs, writeLimit }) {
			sandbox.reset();
			sandbox.setLatency(latencyMs);
			sandbox.setRateLimit(null);
			sandbox.virtualEvents.setWriteLimit(writeLimit);
			// The suite measures the write cap (scaled); reads stay unlimited, as when it was measured.
			sandbox.virtualEvents.setReadLimit(null);
			sandbox.authority.registerApp(APP);
			const webinar = sandbox.virtualEvents.createWebinar();
			return {
				url: sandbox.url,
				authorityUrl: sandbox.authorityUrl,
				webinarId: webinar.id,
				organizerId: DEFAULT_ORGANIZER_ID,
				tenantId: DEFAULT_TENANT_ID,
				app: APP,
			};
		},
		/** Active registrations per email (lost = 0, duplicated = more than 1), webinar writes and their 429s. */
		tallyWebinar({ webinarId, emails }) {
			const counts = new Map();
			for (const registration of sandbox.virtualEvents.registrationsOf(webinarId)) {
				if (registration.status === 'canceled') continue;
				const email = String(registration.email).toLowerCase();
				counts.set(email, (counts.get(email) ?? 0) + 1);
			}
			let lost = 0;
			let duplicated = 0;
			for (const email of emails) {
				const count = counts.get(email.toLowerCase()) ?? 0;
				if (count === 0) lost++;
				if (count > 1) duplicated++;
			}
			const { writes, throttledWrites } = sandbox.virtualEvents.stats;
			return {
				lost,
				duplicated,
				writes,
				throttledWrites,
				requests: sandbox.stats.requests,
				throttled: sandbox.stats.throttled,
			};
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
