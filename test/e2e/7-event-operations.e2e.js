'use strict';
/**
 * The node's town hall and attendance operations in the real n8n (`n8n execute`), against the
 * Graph sandbox, seeded through its control API as Teams would fill it:
 *  - Webinar Registration with Event Type "Town Hall" (app-only): Register with the town
 *    hall's registration questions, Get By Email, Get Many, Cancel By Registration ID; the
 *    sandbox then holds the registration canceled;
 *  - Event Attendance (app-only) on a town hall with two past sessions: Get Sessions, then Get
 *    Attendance Records of all sessions and of each session, with Include No-Shows;
 *  - Meeting (OAuth2, delegated) by its join link: Get Attendance Reports, then Get Attendance
 *    Records of each report and of every report.
 * Ids the sandbox makes up (registrations, records of people without a user id) are checked
 * against what the sandbox holds; everything else is asserted exactly.
 */
const assert = require('node:assert/strict');

const { NODE_TYPE, outputOf } = require('../../scripts/demo-setup');
const {
	TEAMS_APP_ONLY_CREDENTIAL,
	TEAMS_OAUTH2_CREDENTIAL,
} = require('../../scripts/example-workflows');
const { DEFAULT_TENANT_ID } = require('../../sandbox/graph-sandbox');
const { assertRanGreen, callLines, graphRequestsOf } = require('./support');

const TOWNHALLS = '/v1.0/solutions/virtualEvents/townhalls';
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The Graph requests the sandbox received (not the app's sign-in), as `METHOD path status`, decoded. */
const graphCalls = (graph) => callLines(graphRequestsOf(graph), { status: true });

function credentialOf(instance, type) {
	const credential = instance.credentials.find((candidate) => candidate.type === type);
	assert.ok(credential, `a ${type} credential was imported`);
	return { [type]: { id: credential.id, name: credential.name } };
}

/**
 * A workflow of a Manual Trigger and `nodes` (each `{ name, parameters, after?, type?,
 * executeOnce? }`, our node unless `type` says otherwise), each connected after `after` (the
 * node before it in the list unless given), imported into `instance`.
 */
async function importWorkflow(instance, id, nodes, credentials) {
	const workflowNodes = [
		{
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections = {};
	let previous = 'Start';
	nodes.forEach((node, index) => {
		const ours = node.type === undefined;
		workflowNodes.push({
			id: `node${index + 1}`,
			name: node.name,
			type: node.type || NODE_TYPE,
			typeVersion: node.typeVersion || 1,
			position: [240 * (index + 1), 160 * (node.row || 0)],
			...(node.executeOnce ? { executeOnce: true } : {}),
			parameters: node.parameters,
			...(ours ? { credentials } : {}),
		});
		const from = node.after || previous;
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: node.name, type: 'main', index: 0 });
		previous = node.name;
	});
	const workflow = {
		id,
		name: `e2e: ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: workflowNodes,
		connections,
	};
	await instance.importWorkflow(workflow);
	return workflow;
}

async function runGreen(instance, workflow) {
	const run = await instance.execute(workflow.id);
	assertRanGreen(run);
	return run;
}

module.exports = (test) => {
	test('event operations: town hall registration (app-only): Register with its questions, Get By Email, Get Many, Cancel', async ({
		instance,
		sandboxes,
	}) => {
		const { graph, webinarOrganizer } = sandboxes;
		const events = graph.virtualEvents;
		const townhall = events.createTownhall({
			id: `7e2e0001-4b3c-4d5e-8f6a-7b8c9d0e1f2a@${DEFAULT_TENANT_ID}`,
			displayName: 'E2E all-hands town hall',
			organizerId: webinarOrganizer.id,
			questions: [
				{
					id: '7e2e0001-0001-4a5b-8c6d-7e8f9a0b1c2d',
					displayName: 'Office',
					answerInputType: 'singleChoice',
					answerChoices: ['Paris', 'Oslo'],
					isRequired: true,
				},
				{
					id: '7e2e0001-0002-4a5b-8c6d-7e8f9a0b1c2d',
					displayName: 'Job title',
					label: 'jobTitle',
				},
			],
		});
		const [office, jobTitle] = townhall.questions;
		// Ben registered on Teams' own registration page before
		const ben = events.addTeamsRegistration(townhall.id, {
			firstName: 'Ben',
			lastName: 'Teams',
			email: 'ben.teams@example.com',
		});
		const townhallPath = `${TOWNHALLS}/${townhall.id}`;
		const appOnly = {
			authentication: 'appOnly',
			organizer: webinarOrganizer.userPrincipalName,
			resource: 'webinarRegistration',
			eventType: 'townhall',
		};
		const byId = { __rl: true, mode: 'id', value: townhall.id };
		const workflow = await importWorkflow(
			instance,
			'e2eTownhallRegistration',
			[
				{
					name: 'Person',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					parameters: {
						jsCode:
							"return [{ json: { firstName: 'Ann', lastName: 'Example', email: 'ann@example.com', office: 'oslo', crmId: 'crm-ann' } }];",
					},
				},
				{
					name: 'Register for the town hall',
					parameters: {
						...appOnly,
						operation: 'register',
						// by the registration page's link, as Teams shows it
						webinar: { __rl: true, mode: 'url', value: townhall.registrationWebUrl },
						firstName: '={{ $json.firstName }}',
						lastName: '={{ $json.lastName }}',
						email: '={{ $json.email }}',
						preferredTimezone: 'UTC',
						preferredLanguage: 'en-us',
						questionAnswers: {
							mappingMode: 'defineBelow',
							value: { [office.id]: '={{ $json.office }}', [jobTitle.id]: 'Engineer' },
							matchingColumns: [],
							// the questions as the editor loads them (registrationQuestions.ts mapperFieldsFor)
							schema: [
								{
									id: office.id,
									displayName: 'Office',
									required: true,
									defaultMatch: false,
									canBeUsedToMatch: false,
									display: true,
									type: 'options',
									options: [
										{ name: 'Paris', value: 'Paris' },
										{ name: 'Oslo', value: 'Oslo' },
									],
								},
								{
									id: jobTitle.id,
									displayName: 'Job title',
									required: false,
									defaultMatch: false,
									canBeUsedToMatch: false,
									display: true,
									type: 'string',
								},
							],
							attemptToConvertTypes: false,
							convertFieldsToString: false,
						},
						externalRegistrationId: '={{ $json.crmId }}',
						options: { referrer: 'e2e' },
					},
				},
				{
					name: 'Get by email',
					parameters: {
						...appOnly,
						operation: 'get',
						webinar: byId,
						registration: { __rl: true, mode: 'email', value: '={{ $json.email.toUpperCase() }}' },
					},
				},
				{
					name: 'Get many',
					parameters: { ...appOnly, operation: 'getAll', webinar: byId, returnAll: true },
				},
				{
					name: 'Cancel',
					executeOnce: true,
					parameters: {
						...appOnly,
						operation: 'cancel',
						webinar: byId,
						registration: {
							__rl: true,
							mode: 'id',
							value: "={{ $('Register for the town hall').first().json.id }}",
						},
						options: {},
					},
				},
			],
			credentialOf(instance, TEAMS_APP_ONLY_CREDENTIAL),
		);
		graph.clearLog();

		const run = await runGreen(instance, workflow);

		// the sandbox: Ann registered with her answers, then canceled; Ben untouched
		const [benNow, ann] = events.registrationsOf(townhall.id);
		assert.deepEqual(benNow, ben);
		assert.equal(ann.email, 'ann@example.com');
		assert.equal(ann.status, 'canceled');
		assert.match(ann.cancelationDateTime, ISO_DATE_TIME);
		assert.deepEqual(
			ann.registrationQuestionAnswers.map(({ questionId, displayName, value }) => ({
				questionId,
				displayName,
				value,
			})),
			[
				{ questionId: office.id, displayName: 'Office', value: 'Oslo' },
				{ questionId: jobTitle.id, displayName: 'Job title', value: 'Engineer' },
			],
		);
		assert.deepEqual(ann.externalRegistrationInformation, {
			referrer: 'e2e',
			registrationId: 'crm-ann',
		});

		// Graph: the organizer, the questions, the registration (204), the listing that finds it;
		// Get By Email and Get Many list the registrations, Cancel posts to the registration
		const calls = graphCalls(graph);
		const organizerLookup = `GET /beta/users/${webinarOrganizer.userPrincipalName}?$select=id 200`;
		assert.equal(calls[0], organizerLookup);
		assert.deepEqual(
			calls.filter((call) => call !== organizerLookup),
			[
				`GET ${townhallPath}/registrationConfiguration/questions 200`,
				`POST ${townhallPath}/registrations 204`,
				`GET ${townhallPath}/registrations 200`,
				`GET ${townhallPath}/registrations 200`,
				`GET ${townhallPath}/registrations 200`,
				`POST ${townhallPath}/registrations/${ann.id}/cancel 204`,
			],
		);
		const post = graph.requests.find(
			(request) =>
				request.method === 'POST' &&
				decodeURIComponent(request.rawPath) === `${townhallPath}/registrations`,
		);
		assert.deepEqual(JSON.parse(post.rawBody), {
			firstName: 'Ann',
			lastName: 'Example',
			email: 'ann@example.com',
			preferredTimezone: 'UTC',
			preferredLanguage: 'en-us',
			registrationQuestionAnswers: [
				{ questionId: office.id, value: 'Oslo' },
				{ questionId: jobTitle.id, value: 'Engineer' },
			],
			externalRegistrationInformation: { registrationId: 'crm-ann', referrer: 'e2e' },
		});

		// our node's outputs: town hall items name eventType and eventId (no webinarId)
		const eventFields = { eventType: 'townhall', eventId: townhall.id };
		const annRegistered = {
			...ann,
			status: 'registered',
			cancelationDateTime: null,
			...eventFields,
		};
		const [registered] = outputOf(run.result, 'Register for the town hall');
		assert.match(registered.id, UUID);
		assert.match(registered.registrationDateTime, ISO_DATE_TIME);
		assert.deepEqual(outputOf(run.result, 'Register for the town hall'), [annRegistered]);
		assert.deepEqual(outputOf(run.result, 'Get by email'), [annRegistered]);
		assert.deepEqual(outputOf(run.result, 'Get many'), [{ ...ben, ...eventFields }, annRegistered]);
		assert.deepEqual(outputOf(run.result, 'Cancel'), [
			{ ...eventFields, id: ann.id, canceled: true },
		]);
	});

	test("event operations: event attendance (app-only): a town hall's sessions and attendance records with the no-shows", async ({
		instance,
		sandboxes,
	}) => {
		const { graph, webinarOrganizer } = sandboxes;
		const events = graph.virtualEvents;
		const townhall = events.createTownhall({
			id: `7e2e0002-4b3c-4d5e-8f6a-7b8c9d0e1f2a@${DEFAULT_TENANT_ID}`,
			displayName: 'E2E two-day town hall',
			organizerId: webinarOrganizer.id,
			startDateTime: '2026-03-02T09:00:00',
			endDateTime: '2026-03-03T10:00:00',
		});
		// registered in Teams: Ada, Ben (cancels), Cleo, Dan
		const [ada, ben, cleo, dan] = ['Ada', 'Ben', 'Cleo', 'Dan'].map((firstName) =>
			events.addTeamsRegistration(townhall.id, {
				firstName,
				lastName: 'Teams',
				email: `${firstName.toLowerCase()}.teams@example.com`,
				...(firstName === 'Dan'
					? { externalRegistrationInformation: { registrationId: 'crm-dan' } }
					: {}),
			}),
		);
		events.cancelRegistration(townhall.id, ben.id, '2026-03-01T12:00:00Z');
		const day1 = events.addSession(townhall.id, {
			subject: 'Day 1',
			startDateTime: '2026-03-02T09:00:00',
			endDateTime: '2026-03-02T10:00:00',
		});
		const day2 = events.addSession(townhall.id, {
			subject: 'Day 2',
			startDateTime: '2026-03-03T09:00:00',
			endDateTime: '2026-03-03T10:00:00',
		});
		// day 1: the organizer and Ada (two intervals, by her registration); day 2: Cleo, by email only
		const report1 = events.addAttendanceReport(townhall.id, day1.id, {
			meetingStartDateTime: '2026-03-02T09:00:00Z',
			meetingEndDateTime: '2026-03-02T10:00:00Z',
			records: [
				{
					emailAddress: webinarOrganizer.userPrincipalName,
					displayName: webinarOrganizer.displayName,
					userId: webinarOrganizer.id,
					role: 'Organizer',
					intervals: [
						{ joinDateTime: '2026-03-02T08:55:00Z', leaveDateTime: '2026-03-02T10:01:00Z' },
					],
				},
				{
					emailAddress: ada.email,
					displayName: 'Ada Teams',
					role: 'Attendee',
					registrationId: ada.id,
					intervals: [
						{ joinDateTime: '2026-03-02T09:02:00Z', leaveDateTime: '2026-03-02T09:40:00Z' },
						{ joinDateTime: '2026-03-02T09:45:00Z', leaveDateTime: '2026-03-02T10:00:00Z' },
					],
				},
			],
		});
		const report2 = events.addAttendanceReport(townhall.id, day2.id, {
			meetingStartDateTime: '2026-03-03T09:00:00Z',
			meetingEndDateTime: '2026-03-03T10:00:00Z',
			records: [
				{
					emailAddress: 'CLEO.Teams@example.com',
					displayName: 'Cleo Teams',
					role: 'Attendee',
					intervals: [
						{ joinDateTime: '2026-03-03T09:00:00Z', leaveDateTime: '2026-03-03T09:30:00Z' },
					],
				},
			],
		});
		const [organizerRecord, adaRecord] = report1.attendanceRecords;
		const [cleoRecord] = report2.attendanceRecords;
		const appOnly = {
			authentication: 'appOnly',
			organizer: webinarOrganizer.userPrincipalName,
			resource: 'eventAttendance',
			eventType: 'townhall',
			webinar: { __rl: true, mode: 'id', value: townhall.id },
		};
		const workflow = await importWorkflow(
			instance,
			'e2eTownhallAttendance',
			[
				{
					name: 'Get sessions',
					parameters: { ...appOnly, operation: 'getSessions', returnAll: true },
				},
				{
					name: 'All sessions',
					executeOnce: true,
					parameters: {
						...appOnly,
						operation: 'getRecords',
						sessions: 'all',
						returnAll: true,
						options: { includeNoShows: true },
					},
				},
				{
					name: 'Each session',
					after: 'Get sessions',
					row: 1,
					parameters: {
						...appOnly,
						operation: 'getRecords',
						sessions: 'one',
						sessionId: '={{ $json.id }}',
						returnAll: true,
						options: { includeNoShows: true },
					},
				},
			],
			credentialOf(instance, TEAMS_APP_ONLY_CREDENTIAL),
		);
		graph.clearLog();

		const run = await runGreen(instance, workflow);

		const eventFields = { eventType: 'townhall', eventId: townhall.id };
		const noShow = (registration, sessionId) => ({
			...eventFields,
			sessionId,
			reportId: null,
			attended: false,
			email: registration.email,
			displayName: `${registration.firstName} ${registration.lastName}`,
			registrationId: registration.id,
			firstName: registration.firstName,
			lastName: registration.lastName,
			status: 'registered',
			externalRegistrationId: registration === dan ? 'crm-dan' : null,
			totalAttendanceInSeconds: 0,
			attendanceIntervals: [],
		});
		const attended = (record, sessionId, reportId) => ({
			...eventFields,
			sessionId,
			reportId,
			attended: true,
			email: record.emailAddress,
			displayName: record.identity.displayName,
			...record,
		});

		// Get Sessions: both sessions, with the town hall
		assert.deepEqual(outputOf(run.result, 'Get sessions'), [
			{
				...eventFields,
				id: day1.id,
				subject: 'Day 1',
				startDateTime: { dateTime: '2026-03-02T09:00:00', timeZone: 'UTC' },
				endDateTime: { dateTime: '2026-03-02T10:00:00', timeZone: 'UTC' },
				joinWebUrl: day1.joinWebUrl,
			},
			{
				...eventFields,
				id: day2.id,
				subject: 'Day 2',
				startDateTime: { dateTime: '2026-03-03T09:00:00', timeZone: 'UTC' },
				endDateTime: { dateTime: '2026-03-03T10:00:00', timeZone: 'UTC' },
				joinWebUrl: day2.joinWebUrl,
			},
		]);
		assert.match(day1.joinWebUrl, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);

		// All sessions: every record, then Dan, the one registered person in no session
		// (Ben canceled; Cleo's record matches her registration by email, in another case)
		const all = outputOf(run.result, 'All sessions');
		assert.deepEqual(all, [
			attended(organizerRecord, day1.id, report1.id),
			attended(adaRecord, day1.id, report1.id),
			attended(cleoRecord, day2.id, report2.id),
			noShow(dan, null),
		]);
		assert.deepEqual(
			all.map((item) => [
				item.email,
				item.attended,
				item.registrationId,
				item.totalAttendanceInSeconds,
			]),
			[
				[webinarOrganizer.userPrincipalName, true, null, 66 * 60],
				[ada.email, true, ada.id, (38 + 15) * 60],
				['CLEO.Teams@example.com', true, null, 30 * 60],
				[dan.email, false, dan.id, 0],
			],
		);
		assert.deepEqual(all[1].attendanceIntervals, [
			{
				joinDateTime: '2026-03-02T09:02:00Z',
				leaveDateTime: '2026-03-02T09:40:00Z',
				durationInSeconds: 38 * 60,
			},
			{
				joinDateTime: '2026-03-02T09:45:00Z',
				leaveDateTime: '2026-03-02T10:00:00Z',
				durationInSeconds: 15 * 60,
			},
		]);

		// Each session (one item per session from Get Sessions): its records, then who missed it
		assert.deepEqual(outputOf(run.result, 'Each session'), [
			attended(organizerRecord, day1.id, report1.id),
			attended(adaRecord, day1.id, report1.id),
			noShow(cleo, day1.id),
			noShow(dan, day1.id),
			attended(cleoRecord, day2.id, report2.id),
			noShow(ada, day2.id),
			noShow(dan, day2.id),
		]);

		// Graph: v1.0 town hall paths only (after the organizer), every answer 200
		const calls = graphCalls(graph);
		assert.ok(
			calls.every((call) => call.endsWith(' 200')),
			calls.join('\n'),
		);
		const session1 = `${TOWNHALLS}/${townhall.id}/sessions/${day1.id}`;
		const session2 = `${TOWNHALLS}/${townhall.id}/sessions/${day2.id}`;
		const eventCalls = calls.filter((call) => !call.startsWith('GET /beta/users/'));
		assert.deepEqual(eventCalls.slice(0, 7), [
			// Get Sessions
			`GET ${TOWNHALLS}/${townhall.id}/sessions 200`,
			// All sessions: the sessions, each one's reports and records, then the registrations
			`GET ${TOWNHALLS}/${townhall.id}/sessions 200`,
			`GET ${session1}/attendanceReports 200`,
			`GET ${session1}/attendanceReports/${report1.id}/attendanceRecords 200`,
			`GET ${session2}/attendanceReports 200`,
			`GET ${session2}/attendanceReports/${report2.id}/attendanceRecords 200`,
			`GET ${TOWNHALLS}/${townhall.id}/registrations 200`,
		]);
		// Each session: per session (its items run side by side, so in any order) its reports,
		// their records and the registrations
		assert.deepEqual(
			eventCalls.slice(7).sort(),
			[
				`GET ${session1}/attendanceReports 200`,
				`GET ${session1}/attendanceReports/${report1.id}/attendanceRecords 200`,
				`GET ${TOWNHALLS}/${townhall.id}/registrations 200`,
				`GET ${session2}/attendanceReports 200`,
				`GET ${session2}/attendanceReports/${report2.id}/attendanceRecords 200`,
				`GET ${TOWNHALLS}/${townhall.id}/registrations 200`,
			].sort(),
		);
	});

	test('event operations: meeting attendance (delegated): the attendance reports and records of a meeting, by its join link', async ({
		instance,
		sandboxes,
	}) => {
		const { graph, meetings } = sandboxes;
		const meeting = meetings.everyone;
		const week1 = graph.addMeetingAttendanceReport(meeting.id, {
			meetingStartDateTime: '2026-02-02T15:00:00Z',
			meetingEndDateTime: '2026-02-02T16:00:00Z',
			records: [
				{
					emailAddress: 'ann@example.com',
					displayName: 'Ann Example',
					role: 'Attendee',
					intervals: [
						{ joinDateTime: '2026-02-02T15:00:00Z', leaveDateTime: '2026-02-02T15:20:00Z' },
					],
				},
			],
		});
		const week2 = graph.addMeetingAttendanceReport(meeting.id, {
			meetingStartDateTime: '2026-02-09T15:00:00Z',
			meetingEndDateTime: '2026-02-09T16:00:00Z',
			records: [
				{
					emailAddress: 'bob@example.com',
					displayName: 'Bob Example',
					role: 'Presenter',
					intervals: [
						{ joinDateTime: '2026-02-09T14:58:00Z', leaveDateTime: '2026-02-09T16:00:00Z' },
					],
				},
				{
					emailAddress: 'cy@example.com',
					displayName: 'Cy Example',
					intervals: [
						{ joinDateTime: '2026-02-09T15:05:00Z', leaveDateTime: '2026-02-09T15:35:00Z' },
						{ joinDateTime: '2026-02-09T15:40:00Z', leaveDateTime: '2026-02-09T15:50:00Z' },
					],
				},
			],
		});
		const delegated = {
			authentication: 'oAuth2',
			resource: 'meeting',
			meeting: { __rl: true, mode: 'url', value: meeting.joinWebUrl },
		};
		const workflow = await importWorkflow(
			instance,
			'e2eMeetingAttendance',
			[
				{
					name: 'Get attendance reports',
					parameters: { ...delegated, operation: 'getAttendanceReports', returnAll: true },
				},
				{
					name: 'Records of each report',
					parameters: {
						...delegated,
						operation: 'getAttendanceRecords',
						reportId: '={{ $json.id }}',
						returnAll: true,
					},
				},
				{
					name: 'Records of every report',
					after: 'Get attendance reports',
					row: 1,
					executeOnce: true,
					parameters: {
						...delegated,
						operation: 'getAttendanceRecords',
						reportId: '',
						returnAll: true,
					},
				},
			],
			credentialOf(instance, TEAMS_OAUTH2_CREDENTIAL),
		);
		graph.clearLog();

		const run = await runGreen(instance, workflow);

		// Get Attendance Reports: newest first, with the meeting id
		const reports = outputOf(run.result, 'Get attendance reports');
		assert.deepEqual(reports, [
			{
				meetingId: meeting.id,
				id: week2.id,
				totalParticipantCount: 2,
				meetingStartDateTime: '2026-02-09T15:00:00.000Z',
				meetingEndDateTime: '2026-02-09T16:00:00.000Z',
			},
			{
				meetingId: meeting.id,
				id: week1.id,
				totalParticipantCount: 1,
				meetingStartDateTime: '2026-02-02T15:00:00.000Z',
				meetingEndDateTime: '2026-02-02T16:00:00.000Z',
			},
		]);

		const record = (reportId, email, displayName, role, intervals) => {
			const attendanceIntervals = intervals.map(([joinDateTime, leaveDateTime]) => ({
				joinDateTime,
				leaveDateTime,
				durationInSeconds: (Date.parse(leaveDateTime) - Date.parse(joinDateTime)) / 1000,
			}));
			return {
				meetingId: meeting.id,
				reportId,
				attended: true,
				email,
				displayName,
				id: undefined, // filled in below: the sandbox makes it up for people without a user id
				emailAddress: email,
				totalAttendanceInSeconds: attendanceIntervals.reduce(
					(sum, interval) => sum + interval.durationInSeconds,
					0,
				),
				role,
				identity: {
					'@odata.type': '#microsoft.graph.communicationsUserIdentity',
					id: null,
					displayName,
					tenantId: null,
				},
				attendanceIntervals,
				registrationId: null,
				externalRegistrationInformation: null,
			};
		};
		const expected = [
			record(week2.id, 'bob@example.com', 'Bob Example', 'Presenter', [
				['2026-02-09T14:58:00Z', '2026-02-09T16:00:00Z'],
			]),
			record(week2.id, 'cy@example.com', 'Cy Example', 'Attendee', [
				['2026-02-09T15:05:00Z', '2026-02-09T15:35:00Z'],
				['2026-02-09T15:40:00Z', '2026-02-09T15:50:00Z'],
			]),
			record(week1.id, 'ann@example.com', 'Ann Example', 'Attendee', [
				['2026-02-02T15:00:00Z', '2026-02-02T15:20:00Z'],
			]),
		];
		const eachReport = outputOf(run.result, 'Records of each report');
		assert.equal(eachReport.length, expected.length);
		eachReport.forEach((item, index) => {
			assert.match(item.id, UUID);
			expected[index].id = item.id;
		});
		assert.deepEqual(eachReport, expected);
		assert.deepEqual(
			eachReport.map((item) => item.totalAttendanceInSeconds),
			[62 * 60, 40 * 60, 20 * 60],
		);
		// Report ID empty: the same records, every report's
		assert.deepEqual(outputOf(run.result, 'Records of every report'), expected);

		// Graph: the meeting looked up by its join link (beta), then the attendance (v1.0), as the organizer (/me)
		const reportsPath = `/v1.0/me/onlineMeetings/${meeting.id}/attendanceReports`;
		const calls = graphCalls(graph);
		assert.ok(
			calls.every((call) => call.endsWith(' 200')),
			calls.join('\n'),
		);
		assert.deepEqual(
			calls.filter((call) => !call.includes('$filter=JoinWebUrl')),
			[
				`GET ${reportsPath} 200`,
				`GET ${reportsPath}/${week2.id}/attendanceRecords 200`,
				`GET ${reportsPath}/${week1.id}/attendanceRecords 200`,
				`GET ${reportsPath} 200`,
				`GET ${reportsPath}/${week2.id}/attendanceRecords 200`,
				`GET ${reportsPath}/${week1.id}/attendanceRecords 200`,
			],
		);
		assert.ok(
			calls.some(
				(call) =>
					call === `GET /beta/me/onlineMeetings?$filter=JoinWebUrl eq '${meeting.joinWebUrl}' 200`,
			),
			calls.join('\n'),
		);
	});
};
