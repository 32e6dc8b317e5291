#!/usr/bin/env node
'use strict';
/**
 * Start the Graph sandbox for demos and manual testing.
 *   node sandbox/cli.js [--port N] [--latency MS | --latency MIN,MAX] [--rate R] [--seed S]
 * Prints one JSON line {url, token, meetings:[{id, joinWebUrl, allowedRegistrant}]} and runs
 * until SIGINT/SIGTERM.
 *
 * `createDemoMeetings` is also what `npm run demo` and `npm run test:e2e` put into their
 * in-process sandbox, so all three show the same meetings. `createDemoWebinars` is what the
 * demo and the e2e tests add for the webinar example (app-only): an app registration, the
 * webinar's organizer and a published webinar; its app signs in only when the sandbox was
 * started with `tls` (the HTTPS sign-in authority MSAL requires).
 */
const {
	startGraphSandbox,
	DEFAULT_DELEGATED_TOKEN,
	DEFAULT_TENANT_ID,
} = require('./graph-sandbox');

/** The contract's example meeting id, so the documented requests work verbatim. */
const CONTRACT_MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';
const USAGE = 'usage: node sandbox/cli.js [--port N] [--latency MS|MIN,MAX] [--rate R] [--seed S]';

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{port?: number, latency?: number|[number, number], rate?: number, seed?: string}} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[i + 1];
		if (value === undefined) throw new Error(`missing value for ${flag}`);
		i++;
		if (flag === '--port') args.port = toNumber(flag, value);
		else if (flag === '--rate') args.rate = toNumber(flag, value);
		else if (flag === '--seed') args.seed = value;
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
	process.stdout.write(
		`${JSON.stringify({
			url: sandbox.url,
			token: DEFAULT_DELEGATED_TOKEN,
			meetings: meetings.map((m) => ({
				id: m.id,
				joinWebUrl: m.joinWebUrl,
				allowedRegistrant: m.registration && m.registration.allowedRegistrant,
			})),
		})}\n`,
	);
	const stop = () => {
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
	CONTRACT_MEETING_ID,
	DEMO_APP,
	DEMO_WEBINAR_ORGANIZER,
	DEMO_WEBINAR,
};

if (require.main === module) {
	main().catch((err) => {
		process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
		process.exit(1);
	});
}
