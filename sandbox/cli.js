#!/usr/bin/env node
'use strict';
/**
 * Start the Graph sandbox for demos and manual testing.
 *   node sandbox/cli.js [--port N] [--latency MS | --latency MIN,MAX] [--rate R] [--seed S] [--drip SECONDS]
 * Prints one JSON line {url, token, meetings:[{id, joinWebUrl, allowedRegistrant}],
 * virtualEvents:[{kind, id, registrationWebUrl}]} and runs until SIGINT/SIGTERM. With
 * `--drip`, a registration "made in Teams" appears on the demo webinar every SECONDS (what the
 * registration trigger picks up).
 *
 * `createDemoMeetings` is also what `npm run demo` and `npm run test:e2e` put into their
 * in-process sandbox, so all three show the same meetings. `createDemoWebinars` is what the
 * demo and the e2e tests add for the webinar example (app-only): an app registration, the
 * webinar's organizer and a published webinar; its app signs in only when the sandbox was
 * started with `tls` (the HTTPS sign-in authority MSAL requires). `createDemoActivity` adds
 * what happens in Teams afterwards: a demo town hall, registrations made on Teams' own
 * registration page (one of them canceled), a past session with its attendance report, and an
 * attendance report for the open-registration meeting.
 */
const {
	startGraphSandbox,
	DEFAULT_DELEGATED_TOKEN,
	DEFAULT_TENANT_ID,
} = require('./graph-sandbox');

/** The contract's example meeting id, so the documented requests work verbatim. */
const CONTRACT_MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';
const USAGE =
	'usage: node sandbox/cli.js [--port N] [--latency MS|MIN,MAX] [--rate R] [--seed S] [--drip SECONDS]';

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{port?: number, latency?: number|[number, number], rate?: number, seed?: string, drip?: number}} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[i + 1];
		if (value === undefined) throw new Error(`missing value for ${flag}`);
		i++;
		if (flag === '--port') args.port = toNumber(flag, value);
		else if (flag === '--rate') args.rate = toNumber(flag, value);
		else if (flag === '--seed') args.seed = value;
		else if (flag === '--drip') args.drip = toNumber(flag, value);
		else if (flag === '--latency') {
			const parts = value.split(',').map((v) => toNumber(flag, v));
			args.latency = parts.length === 2 ? [parts[0], parts[1]] : parts[0];
		} else throw new Error(`unknown option ${flag}`);
	}
	return args;
}

/** @param {string} flag @param {string} value */
function toNumber(flag, value) {
	const n = Number(value);
	if (!Number.isFinite(n) || n < 0)
		throw new Error(`${flag} expects a non-negative number, got '${value}'`);
	return n;
}

/**
 * The demo meetings: one whose registration allows everyone (the contract's example id), one
 * allowing an organization. With the same seed they get the same join links after every
 * start or `reset()`.
 * @param {import('./graph-sandbox').GraphSandbox} sandbox
 */
function createDemoMeetings(sandbox) {
	return [
		sandbox.createMeeting({
			id: CONTRACT_MEETING_ID,
			subject: 'Demo webinar (open registration)',
			allowedRegistrant: 'everyone',
		}),
		sandbox.createMeeting({
			subject: 'Demo town hall (organization registration)',
			allowedRegistrant: 'organization',
		}),
	];
}

/** The app registration the demo's app-only credential signs in as (client secret). */
const DEMO_APP = {
	clientId: '3f9d6c2a-5b7e-4e1f-8a0c-d4b2e6f8a1c3',
	clientSecret: 'sandbox-demo-app-secret',
	servicePrincipalId: 'b8e2f4a6-1c3d-4e5f-9a7b-2d4f6a8c0e1b',
};
/** Who organizes the demo webinar (the app-only node's "Organizer"). */
const DEMO_WEBINAR_ORGANIZER = {
	id: 'e4c7a9b1-3d5f-4a2c-8e6b-0f1d3b5c7a9e',
	userPrincipalName: 'webinar-organizer@sandbox.onmicrosoft.com',
	displayName: 'Webinar Organizer',
};
/** The demo webinar: room for two, then a waitlist; two optional registration questions. */
const DEMO_WEBINAR = {
	id: `6a1f3c5e-7b9d-4f2a-8c4e-1b3d5f7a9c2e@${DEFAULT_TENANT_ID}`,
	displayName: 'Demo product launch webinar',
	capacity: 2,
	isWaitlistEnabled: true,
	questions: [
		{
			id: 'a1b2c3d4-0001-4a5b-8c6d-7e8f9a0b1c2d',
			displayName: 'How did you hear about us?',
			answerInputType: 'text',
			isRequired: false,
		},
		{
			id: 'a1b2c3d4-0002-4a5b-8c6d-7e8f9a0b1c2d',
			displayName: 'Job title',
			label: 'jobTitle',
			isRequired: false,
		},
	],
};

/**
 * The demo webinar, its organizer and the app that registers people for it. Call after every
 * `reset()` (which forgets webinars); the same ids and registration page every time.
 * @param {import('./graph-sandbox').GraphSandbox} sandbox
 */
function createDemoWebinars(sandbox) {
	sandbox.authority.registerApp({ ...DEMO_APP });
	sandbox.addUser(DEMO_WEBINAR_ORGANIZER);
	return [
		sandbox.virtualEvents.createWebinar({
			...DEMO_WEBINAR,
			organizerId: DEMO_WEBINAR_ORGANIZER.id,
		}),
	];
}

/** The demo town hall, organized by the demo webinar's organizer. */
const DEMO_TOWNHALL = {
	id: `0c2e4a6b-8d1f-4b3c-9e5a-7f9b1d3e5a7c@${DEFAULT_TENANT_ID}`,
	displayName: 'Demo all-hands town hall',
};
/** People who registered on Teams' own registration page (not through Graph). */
const DEMO_TEAMS_REGISTRANTS = [
	{ firstName: 'Ada', lastName: 'Teams', email: 'ada.teams@example.com' },
	{ firstName: 'Ben', lastName: 'Teams', email: 'ben.teams@example.com' },
	{ firstName: 'Cleo', lastName: 'Teams', email: 'cleo.teams@example.com' },
];

/**
 * Activity made in Teams, after `createDemoWebinars`: the demo town hall, registrations on
 * both events (Ben cancels his webinar registration), a past webinar session where Ada
 * attended and Cleo did not, and an attendance report for the open-registration meeting.
 * @param {import('./graph-sandbox').GraphSandbox} sandbox
 */
function createDemoActivity(sandbox) {
	const events = sandbox.virtualEvents;
	const townhall = events.createTownhall({
		...DEMO_TOWNHALL,
		organizerId: DEMO_WEBINAR_ORGANIZER.id,
	});
	const registered = DEMO_TEAMS_REGISTRANTS.map((person) =>
		events.addTeamsRegistration(DEMO_WEBINAR.id, person),
	);
	for (const person of DEMO_TEAMS_REGISTRANTS.slice(0, 2))
		events.addTeamsRegistration(townhall.id, person);
	events.cancelRegistration(DEMO_WEBINAR.id, registered[1].id);
	const session = events.addSession(DEMO_WEBINAR.id, {
		startDateTime: '2026-01-15T15:00:00',
		endDateTime: '2026-01-15T16:00:00',
	});
	events.addAttendanceReport(DEMO_WEBINAR.id, session.id, {
		meetingStartDateTime: '2026-01-15T15:00:00Z',
		meetingEndDateTime: '2026-01-15T16:00:00Z',
		records: [
			{
				emailAddress: DEMO_WEBINAR_ORGANIZER.userPrincipalName,
				displayName: DEMO_WEBINAR_ORGANIZER.displayName,
				userId: DEMO_WEBINAR_ORGANIZER.id,
				role: 'Organizer',
				intervals: [
					{ joinDateTime: '2026-01-15T14:55:00Z', leaveDateTime: '2026-01-15T16:01:00Z' },
				],
			},
			{
				emailAddress: registered[0].email,
				displayName: 'Ada Teams',
				role: 'Attendee',
				registrationId: registered[0].id,
				intervals: [
					{ joinDateTime: '2026-01-15T15:02:00Z', leaveDateTime: '2026-01-15T15:40:00Z' },
					{ joinDateTime: '2026-01-15T15:45:00Z', leaveDateTime: '2026-01-15T16:00:00Z' },
				],
			},
		],
	});
	sandbox.addMeetingAttendanceReport(CONTRACT_MEETING_ID, {
		meetingStartDateTime: '2026-01-20T09:00:00Z',
		meetingEndDateTime: '2026-01-20T09:30:00Z',
		records: [
			{
				emailAddress: 'guest@example.com',
				displayName: 'Guest',
				role: 'Attendee',
				intervals: [
					{ joinDateTime: '2026-01-20T09:01:00Z', leaveDateTime: '2026-01-20T09:29:00Z' },
				],
			},
		],
	});
	return [events.getWebinar(DEMO_WEBINAR.id), townhall];
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`${/** @type {Error} */ (err).message}\n${USAGE}\n`);
		process.exit(2);
	}
	const sandbox = await startGraphSandbox({
		port: args.port,
		latency: args.latency,
		rateLimit: args.rate ? { perSecond: args.rate } : null,
		seed: args.seed,
	});
	const meetings = createDemoMeetings(sandbox);
	createDemoWebinars(sandbox);
	const virtualEvents = createDemoActivity(sandbox);
	process.stdout.write(
		`${JSON.stringify({
			url: sandbox.url,
			token: DEFAULT_DELEGATED_TOKEN,
			meetings: meetings.map((m) => ({
				id: m.id,
				joinWebUrl: m.joinWebUrl,
				allowedRegistrant: m.registration && m.registration.allowedRegistrant,
			})),
			virtualEvents: virtualEvents.map((event) => ({
				kind: event.kind,
				id: event.id,
				registrationWebUrl: event.registrationWebUrl,
			})),
		})}\n`,
	);
	let dripped = 0;
	const drip = args.drip
		? setInterval(() => {
				dripped++;
				sandbox.virtualEvents.addTeamsRegistration(DEMO_WEBINAR.id, {
					firstName: 'Drip',
					lastName: String(dripped),
					email: `drip${dripped}@example.com`,
				});
			}, args.drip * 1000)
		: undefined;
	const stop = () => {
		if (drip) clearInterval(drip);
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

module.exports = {
	createDemoMeetings,
	createDemoWebinars,
	createDemoActivity,
	CONTRACT_MEETING_ID,
	DEMO_APP,
	DEMO_WEBINAR_ORGANIZER,
	DEMO_WEBINAR,
	DEMO_TOWNHALL,
	DEMO_TEAMS_REGISTRANTS,
};

if (require.main === module) {
	main().catch((err) => {
		process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
		process.exit(1);
	});
}
