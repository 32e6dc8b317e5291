'use strict';
/**
 * Every example workflow (examples/*.json) runs green in the real n8n with `n8n execute`,
 * against the Graph sandbox, the SMTP sink and the CRM sandbox, and does what it promises.
 * Only the triggers are replaced for the headless run (scripts/example-workflows.js); our
 * node, Send Email, HubSpot and Compare Datasets are n8n's real ones.
 */
const assert = require('node:assert/strict');
const path = require('node:path');

const { outputOf, registerInTeams, holdWebinar } = require('../../scripts/demo-setup');
const {
	exampleFiles,
	FORM_SUBMISSIONS,
	CRM_CONTACTS,
	HEADLESS_LISTING_NODE,
	DEMO_RECORDING_LINK,
} = require('../../scripts/example-workflows');
const { DEFAULT_DELEGATED_TOKEN } = require('../../sandbox/graph-sandbox');
const { assertRanGreen, callLines, graphRequestsOf } = require('./support');

const REGISTRANT_TYPE = '#microsoft.graph.externalMeetingRegistrant';
const WEBINARS = '/v1.0/solutions/virtualEvents/webinars';

function registrantsPath(meetingId) {
	return `/beta/me/onlineMeetings/${meetingId}/registration/registrants`;
}

async function runGreen(instance, file) {
	const example = instance.examples.find((candidate) => candidate.file === file);
	assert.ok(example, `${file} was imported`);
	const run = await instance.execute(example.id);
	assertRanGreen(run);
	return run;
}

/** What each example must do, by file name. An example without an entry fails its test. */
const EXPECTATIONS = {
	'form-enroll-email.json': async ({ instance, sandboxes }) => {
		const { graph, smtp, meetings } = sandboxes;
		const meeting = meetings.everyone;
		const run = await runGreen(instance, 'form-enroll-email.json');

		// Graph: the meeting looked up once by its join link, then one enrollment per submission
		assert.deepEqual(callLines(graph.requests), [
			`GET /beta/me/onlineMeetings?$filter=JoinWebUrl eq '${meeting.joinWebUrl}'`,
			...FORM_SUBMISSIONS.map(() => `POST ${registrantsPath(meeting.id)}`),
		]);
		assert.deepEqual(
			graph.requests.slice(1).map((request) => request.rawBody),
			FORM_SUBMISSIONS.map(({ Email }) =>
				JSON.stringify({ '@odata.type': REGISTRANT_TYPE, id: Email }),
			),
		);
		assert.ok(
			graph.requests.every(
				(request) => request.headers.authorization === `Bearer ${DEFAULT_DELEGATED_TOKEN}`,
			),
		);
		const registrants = graph.registrantsOf(meeting.id);
		assert.deepEqual(
			registrants.map((registrant) => registrant.id),
			FORM_SUBMISSIONS.map(({ Email }) => Email),
		);

		// our node's output: one item per submission with that person's own join link
		assert.deepEqual(
			outputOf(run.result, 'Enroll in Teams meeting'),
			registrants.map((registrant) => ({
				id: registrant.id,
				joinWebUrl: registrant.joinWebUrl,
				userId: null,
				tenantId: null,
				meetingId: meeting.id,
			})),
		);
		for (const registrant of registrants) {
			const context = JSON.parse(new URL(registrant.joinWebUrl).searchParams.get('context'));
			assert.equal(context.prid, registrant.id, 'the join link carries the registrant');
		}

		// Send Email: one email per person, with their link, received by the SMTP sink
		assert.deepEqual(
			smtp.messages.map(({ envelopeFrom, envelopeTo, from, subject, text }) => ({
				envelopeFrom,
				envelopeTo,
				from,
				subject,
				text,
			})),
			FORM_SUBMISSIONS.map(({ Name, Email }, index) => ({
				envelopeFrom: 'events@example.com',
				envelopeTo: [Email],
				from: 'Webinar Team <events@example.com>',
				subject: 'Your personal link to join the webinar',
				text: `Hello ${Name},\n\nyou are registered. Join the webinar with your personal link:\n${registrants[index].joinWebUrl}\n\nThis link is yours alone; please do not forward it.`,
			})),
		);
	},

	'form-register-webinar.json': async ({ instance, sandboxes }) => {
		const { graph, smtp, webinars, webinarOrganizer, app } = sandboxes;
		const webinar = webinars.launch;
		const run = await runGreen(instance, 'form-register-webinar.json');

		// MSAL signed in once as the demo app (client secret) at the sandbox's HTTPS authority, then Graph
		const signInPaths = [
			`GET /${app.tenantId}/v2.0/.well-known/openid-configuration`,
			`POST /${app.tenantId}/oauth2/v2.0/token`,
		];
		assert.deepEqual(
			graph.requests.slice(0, 2).map((request) => `${request.method} ${request.rawPath}`),
			signInPaths,
		);
		assert.deepEqual(
			graph.authority.requests.map(
				({ grant, clientId, tenant, scope, authenticatedWith, assertion }) => ({
					grant,
					clientId,
					tenant,
					scope,
					authenticatedWith,
					assertion,
				}),
			),
			[
				{
					grant: 'client_credentials',
					clientId: app.clientId,
					tenant: app.tenantId,
					scope: `${graph.url}/.default`,
					authenticatedWith: 'secret',
					assertion: undefined,
				},
			],
		);
		const token = graph.requests[1].responseBody.access_token;
		const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
		assert.equal(claims.appid, app.clientId);
		assert.equal(claims.idtyp, 'app');

		// Graph: the organizer looked up, the webinar's questions read once, one registration per
		// submission (app-only: 204 without a body), then listings that find the accepted ones
		const graphRequests = graph.requests.slice(2);
		const registrations = `${WEBINARS}/${webinar.id}/registrations`;
		// (writes wait in the webinar-write lane, 2 s apart; each listing goes in the read lane as
		// soon as a registration is accepted, so they interleave)
		const calls = callLines(graphRequests);
		assert.deepEqual(calls.slice(0, 3), [
			`GET /beta/users/${webinarOrganizer.userPrincipalName}?$select=id`,
			`GET ${WEBINARS}/${webinar.id}/registrationConfiguration/questions`,
			`POST ${registrations}`,
		]);
		assert.equal(
			calls.filter((call) => call === `POST ${registrations}`).length,
			FORM_SUBMISSIONS.length,
		);
		const listings = calls.filter((call) => call === `GET ${registrations}`).length;
		assert.ok(
			listings >= 1 && listings <= FORM_SUBMISSIONS.length,
			`${listings} listings find ${FORM_SUBMISSIONS.length} registrations`,
		);
		assert.equal(calls.length, 2 + FORM_SUBMISSIONS.length + listings);
		assert.ok(
			graphRequests.every((request) => request.headers.authorization === `Bearer ${token}`),
			'every Graph request carries the app token',
		);
		assert.deepEqual(
			graphRequests
				.filter((request) => request.method === 'POST')
				.map((request) => [request.status, request.rawBody]),
			FORM_SUBMISSIONS.map((submission) => [
				204,
				JSON.stringify({
					firstName: submission['First name'],
					lastName: submission['Last name'],
					email: submission.Email,
					preferredTimezone: 'UTC',
					preferredLanguage: 'en-us',
					externalRegistrationInformation: {
						registrationId: submission.Email,
						referrer: 'website form',
					},
				}),
			]),
		);

		// the webinar has room for two, then a waitlist
		const registered = graph.virtualEvents.registrationsOf(webinar.id);
		assert.deepEqual(
			registered.map(
				({
					firstName,
					lastName,
					email,
					status,
					registrationQuestionAnswers,
					externalRegistrationInformation,
				}) => ({
					firstName,
					lastName,
					email,
					status,
					registrationQuestionAnswers,
					externalRegistrationInformation,
				}),
			),
			FORM_SUBMISSIONS.map((submission, index) => ({
				firstName: submission['First name'],
				lastName: submission['Last name'],
				email: submission.Email,
				status: index < 2 ? 'registered' : 'waitlisted',
				registrationQuestionAnswers: [],
				externalRegistrationInformation: {
					referrer: 'website form',
					registrationId: submission.Email,
				},
			})),
		);

		// our node's output: each person's registration as Graph lists it, with the webinar's id
		assert.deepEqual(
			outputOf(run.result, 'Register for Teams webinar'),
			registered.map((registration) => ({ ...registration, webinarId: webinar.id })),
		);

		// Send Email: each person told their status and registration id, received by the SMTP sink
		const statusLine = {
			registered: 'you are registered for the webinar.',
			waitlisted: 'the webinar is full: you are on its waitlist.',
		};
		assert.deepEqual(
			smtp.messages.map(({ envelopeFrom, envelopeTo, from, subject, text }) => ({
				envelopeFrom,
				envelopeTo,
				from,
				subject,
				text,
			})),
			FORM_SUBMISSIONS.map((submission, index) => ({
				envelopeFrom: 'events@example.com',
				envelopeTo: [submission.Email],
				from: 'Webinar Team <events@example.com>',
				subject: 'Your webinar registration',
				text: `Hello ${submission['First name']},\n\n${statusLine[registered[index].status]}\nMicrosoft Teams sends your personal join link to this address.\n\nYour registration: ${registered[index].id}`,
			})),
		);
	},

	'reconcile-crm-cancellations.json': async ({ instance, sandboxes }) => {
		const { graph, crm, meetings } = sandboxes;
		const meeting = meetings.everyone;
		// enrolled before the run: Ann, Bob (cancelled in the CRM), Cy; Dana cancelled without being enrolled
		const enrolledBefore = ['ann@example.com', 'bob@example.com', 'cy@example.com'];
		for (const id of enrolledBefore) {
			const response = await fetch(`${graph.url}${registrantsPath(meeting.id)}`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${DEFAULT_DELEGATED_TOKEN}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({ '@odata.type': REGISTRANT_TYPE, id }),
			});
			assert.equal(response.status, 200, `enrolling ${id} beforehand`);
		}
		graph.clearLog();

		const run = await runGreen(instance, 'reconcile-crm-cancellations.json');

		// the real HubSpot node searched the CRM for cancelled contacts, with the credential's token
		assert.deepEqual(crm.searches, [
			{
				filterGroups: [
					{
						filters: [
							{ propertyName: 'webinar_registration_status', operator: 'EQ', value: 'cancelled' },
						],
					},
				],
				properties: ['email', 'webinar_registration_status'],
				authorized: true,
			},
		]);
		const cancelled = CRM_CONTACTS.filter(
			(contact) => contact.properties.webinar_registration_status === 'cancelled',
		);
		assert.deepEqual(
			outputOf(run.result, 'Cancelled in CRM').map((contact) => contact.properties.email),
			cancelled.map((contact) => contact.properties.email),
		);

		// Compare Datasets matched registrant id = CRM email; only Bob is both enrolled and cancelled
		assert.deepEqual(outputOf(run.result, 'Remove cancelled registrants'), [
			{ meetingId: meeting.id, id: 'bob@example.com', removed: true },
		]);
		assert.deepEqual(callLines(graph.requests), [
			`GET /beta/me/onlineMeetings?$filter=JoinWebUrl eq '${meeting.joinWebUrl}'`,
			`GET ${registrantsPath(meeting.id)}`,
			`DELETE ${registrantsPath(meeting.id)}/bob@example.com`,
		]);
		assert.deepEqual(
			graph.registrantsOf(meeting.id).map((registrant) => registrant.id),
			['ann@example.com', 'cy@example.com'],
		);
	},
};

/**
 * What the CRM example's HubSpot node must send for a registration the trigger emitted
 * (examples/teams-registrations-to-crm.json): HubSpot's create-or-update by email, with the
 * properties in the order n8n's HubSpot node sends them.
 */
function crmUpsertFor(registration) {
	return {
		email: registration.email,
		properties: [
			{ property: 'firstname', value: registration.firstName },
			{ property: 'lastname', value: registration.lastName },
			{
				property: 'webinar_registration_status',
				value: registration.status === 'canceled' ? 'cancelled' : registration.status,
			},
			{ property: 'webinar_registration_id', value: registration.id },
		],
		authorized: true,
	};
}

/**
 * The CRM example's checks, for a run in which the trigger emitted `registrations` (as Graph
 * holds them): its items, the CRM requests of the run (`upserts`), the HubSpot node's output
 * and the CRM's contacts afterwards, against the contacts it had before (`contactsBefore`).
 */
function assertCrmSynced({
	crm,
	webinar,
	registrations,
	triggerItems,
	crmOutput,
	upserts = crm.upserts,
	contactsBefore = CRM_CONTACTS,
}) {
	const before = (email) => contactsBefore.find((contact) => contact.properties.email === email);
	// the trigger's items: each registration with what changed, the event type and id
	assert.deepEqual(
		triggerItems,
		registrations.map((registration) => ({
			change: registration.status === 'canceled' ? 'cancellation' : 'newRegistration',
			...registration,
			eventType: 'webinar',
			eventId: webinar.id,
		})),
	);
	// the real HubSpot node created or updated one contact per registration, with the credential's token
	assert.deepEqual(upserts, registrations.map(crmUpsertFor));
	assert.deepEqual(crm.searches, []);
	const contacts = crm.contacts();
	const contactOf = (email) => contacts.find((contact) => contact.properties.email === email);
	assert.deepEqual(
		crmOutput,
		registrations.map((registration) => ({
			vid: Number(contactOf(registration.email).id),
			isNew: !before(registration.email),
		})),
	);
	for (const registration of registrations) {
		assert.deepEqual(
			{ ...contactOf(registration.email).properties },
			{
				...(before(registration.email) || { properties: {} }).properties,
				email: registration.email,
				firstname: registration.firstName,
				lastname: registration.lastName,
				webinar_registration_status:
					registration.status === 'canceled' ? 'cancelled' : registration.status,
				webinar_registration_id: registration.id,
			},
		);
	}
}

EXPECTATIONS['teams-registrations-to-crm.json'] = async ({ instance, sandboxes }) => {
	const { graph, crm, webinars, webinarOrganizer } = sandboxes;
	const webinar = webinars.launch;
	// made on Teams' registration page before the run: Ada, Ben (then canceled), Cleo, Dana (a CRM contact)
	const registrations = registerInTeams(sandboxes);
	graph.clearLog();

	const run = await runGreen(instance, 'teams-registrations-to-crm.json');

	// Graph (after the app's sign-in), from the headless stand-in for the trigger (our node's
	// Get Many, app-only: the organizer looked up, then the webinar's registrations read once)
	const graphRequests = graphRequestsOf(graph);
	assert.deepEqual(callLines(graphRequests), [
		`GET /beta/users/${webinarOrganizer.userPrincipalName}?$select=id`,
		`GET ${WEBINARS}/${webinar.id}/registrations`,
	]);
	assert.deepEqual(
		graphRequests.map((request) => request.status),
		[200, 200],
	);
	assert.deepEqual(
		outputOf(run.result, HEADLESS_LISTING_NODE),
		registrations.map((registration) => ({ ...registration, webinarId: webinar.id })),
	);
	assertCrmSynced({
		crm,
		webinar,
		registrations,
		triggerItems: outputOf(run.result, 'On Teams registration or cancellation'),
		crmOutput: outputOf(run.result, 'Create or update CRM contact'),
	});
};

EXPECTATIONS['webinar-attendance-followup.json'] = async ({ instance, sandboxes }) => {
	const { graph, smtp, webinars, webinarOrganizer } = sandboxes;
	const webinar = webinars.launch;
	// the webinar is over: Ada attended, Ben cancelled before, Cleo did not come
	const { registrations, session, report } = holdWebinar(sandboxes);
	const [ada, ben, cleo] = registrations;
	assert.deepEqual([ada.status, ben.status, cleo.status], ['registered', 'canceled', 'registered']);
	graph.clearLog();

	const run = await runGreen(instance, 'webinar-attendance-followup.json');

	// Graph (after the app's sign-in): the organizer, the sessions, each one's reports and
	// records, then the registrations for the no-shows
	const graphRequests = graphRequestsOf(graph);
	const sessionPath = `${WEBINARS}/${webinar.id}/sessions/${session.id}`;
	assert.deepEqual(callLines(graphRequests), [
		`GET /beta/users/${webinarOrganizer.userPrincipalName}?$select=id`,
		`GET ${WEBINARS}/${webinar.id}/sessions`,
		`GET ${sessionPath}/attendanceReports`,
		`GET ${sessionPath}/attendanceReports/${report.id}/attendanceRecords`,
		`GET ${WEBINARS}/${webinar.id}/registrations`,
	]);
	assert.ok(graphRequests.every((request) => request.status === 200));

	// our node: the organizer's and Ada's records (attended), then Cleo, the one no-show (Ben cancelled)
	const who = outputOf(run.result, 'Who attended');
	assert.deepEqual(
		who.map((item) => [item.email, item.attended, item.registrationId]),
		[
			[webinarOrganizer.userPrincipalName, true, null],
			[ada.email, true, ada.id],
			[cleo.email, false, cleo.id],
		],
	);
	assert.equal(who[1].role, 'Attendee');
	assert.equal(who[1].totalAttendanceInSeconds, (38 + 15) * 60);
	assert.deepEqual(
		[who[1].sessionId, who[1].reportId, who[1].eventId],
		[session.id, report.id, webinar.id],
	);
	assert.deepEqual(
		[who[2].displayName, who[2].status, who[2].totalAttendanceInSeconds],
		['Cleo Teams', 'registered', 0],
	);

	// the Filter leaves the organizer out
	assert.deepEqual(outputOf(run.result, 'Attendees and no-shows'), [who[1], who[2]]);

	// Send Email: thanks to Ada, the recording to Cleo, received by the SMTP sink
	assert.deepEqual(
		smtp.messages.map(({ envelopeTo, from, subject, text }) => ({
			envelopeTo,
			from,
			subject,
			text,
		})),
		[
			{
				envelopeTo: [ada.email],
				from: 'Webinar Team <events@example.com>',
				subject: 'Thank you for joining our webinar',
				text: `Hello Ada Teams,\n\nthank you for joining us. The recording, to watch again or share with your team:\n${DEMO_RECORDING_LINK}\n\nThe Webinar Team`,
			},
			{
				envelopeTo: [cleo.email],
				from: 'Webinar Team <events@example.com>',
				subject: 'Sorry we missed you: the webinar recording',
				text: `Hello Cleo Teams,\n\nwe missed you at the webinar. Here is the recording, to watch when it suits you:\n${DEMO_RECORDING_LINK}\n\nThe Webinar Team`,
			},
		],
	);
};

module.exports = (test) => {
	for (const file of exampleFiles().map((fullPath) => path.basename(fullPath))) {
		test(`example ${file} runs green and does what it says`, async (ctx) => {
			const skipped = ctx.instance.skipped.find((candidate) => candidate.file === file);
			assert.equal(
				skipped,
				undefined,
				`examples/${file} could not be imported: ${skipped && skipped.problem}`,
			);
			const expectation = EXPECTATIONS[file];
			assert.ok(
				expectation,
				`test/e2e/2-examples.e2e.js has no expectations for examples/${file} yet`,
			);
			await expectation(ctx);
		});
	}
};
module.exports.crmUpsertFor = crmUpsertFor;
module.exports.assertCrmSynced = assertCrmSynced;
