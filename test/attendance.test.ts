/**
 * Who attended, as workflows through n8n-core's WorkflowExecute against the Graph sandbox,
 * under both credentials: Event Attendance → Get Sessions and Get Attendance Records of a
 * webinar or town hall (one session or all, records across pages, Limit, the registered
 * no-shows joined in), and Meeting → Get Attendance Reports and Get Attendance Records
 * (Graph v1.0); the exact requests Graph receives, one item per record paired to its input
 * item, the permission and access policy errors with their hints, input refused before any
 * request, and Continue On Fail.
 */
import type { IDataObject } from 'n8n-workflow';

import { sandboxFixture } from './support/sandboxFixture';
import type { GraphSandbox } from './support/enrollWorkflow';
import { NODE_NAME } from './support/enrollWorkflow';
import {
	DEFAULT_ORGANIZER_ID,
	runOperation,
	startSandboxWithAuthority,
} from './support/lifecycleWorkflow';
import type { CredentialKind } from './support/lifecycleWorkflow';
import {
	APP_ONLY,
	DELEGATED,
	appPrincipalId,
	byWebinarId,
	graphConversation,
	prepareWebinarSandbox,
	webinarPathOf,
} from './support/webinarWorkflow';

let sandbox: GraphSandbox;

sandboxFixture({
	start: startSandboxWithAuthority,
	prepare: prepareWebinarSandbox,
	use: (fresh) => {
		sandbox = fresh;
	},
});

type Run = Awaited<ReturnType<typeof runOperation>>;
const outputOf = (run: Run) => run.outputOf(NODE_NAME);
const jsonOf = (run: Run) => outputOf(run).map((item) => item.json);
const pairingOf = (run: Run) => outputOf(run).map((item) => item.pairedItem);

const WEBINAR_ID = '88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33';
const TOWNHALL_ID = '5d1c4a2b-7e8f-4a9b-8c7d-6e5f4a3b2c1d@f9448ec4-804b-46af-b810-62085248da33';
const TOWNHALL_PATH = `/v1.0/solutions/virtualEvents/townhalls/${encodeURIComponent(TOWNHALL_ID)}`;
const WEBINAR_PATH = webinarPathOf(WEBINAR_ID);
const S1 = 'session-1@f9448ec4-804b-46af-b810-62085248da33';
const S2 = 'session-2@f9448ec4-804b-46af-b810-62085248da33';
const enc = encodeURIComponent;

const interval = (from: string, to: string) => ({
	joinDateTime: `2031-06-01T${from}:00Z`,
	leaveDateTime: `2031-06-01T${to}:00Z`,
});

/** A webinar with two sessions: the first attended by Ann, Bob and Cy (one report), the second by Dee. */
function webinarWithAttendance(kind: 'webinar' | 'townhall' = 'webinar') {
	const id = kind === 'webinar' ? WEBINAR_ID : TOWNHALL_ID;
	if (kind === 'webinar') sandbox.virtualEvents.createWebinar({ id, displayName: 'Launch' });
	else sandbox.virtualEvents.createTownhall({ id, displayName: 'All hands' });
	sandbox.virtualEvents.addSession(id, { id: S1, subject: 'Day 1' });
	sandbox.virtualEvents.addSession(id, { id: S2, subject: 'Day 2' });
	const first = sandbox.virtualEvents.addAttendanceReport(id, S1, {
		id: 'report-1',
		meetingStartDateTime: '2031-06-01T15:00:00Z',
		meetingEndDateTime: '2031-06-01T16:00:00Z',
		records: [
			{
				emailAddress: 'ann@example.com',
				displayName: 'Ann Example',
				registrationId: 'reg-ann',
				intervals: [interval('15:00', '15:30'), interval('15:40', '16:00')],
			},
			{
				emailAddress: 'BOB@example.com',
				displayName: 'Bob Example',
				intervals: [interval('15:05', '15:10')],
			},
			{
				emailAddress: 'organizer@example.com',
				displayName: 'Olga Organizer',
				role: 'Organizer',
				userId: DEFAULT_ORGANIZER_ID,
				intervals: [interval('14:55', '16:00')],
			},
		],
	});
	const second = sandbox.virtualEvents.addAttendanceReport(id, S2, {
		id: 'report-2',
		meetingStartDateTime: '2031-06-02T15:00:00Z',
		meetingEndDateTime: '2031-06-02T16:00:00Z',
		records: [
			{
				emailAddress: 'dee@example.com',
				displayName: 'Dee Example',
				registrationId: 'reg-dee',
				intervals: [interval('15:00', '15:01')],
			},
		],
	});
	sandbox.clearLog();
	return {
		id,
		records1: first.attendanceRecords as IDataObject[],
		records2: second.attendanceRecords as IDataObject[],
	};
}

const attendance = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'eventAttendance',
	operation,
	webinar: byWebinarId(WEBINAR_ID),
	...extra,
});

const recordItem = (record: IDataObject, source: IDataObject) => ({
	...source,
	attended: true,
	email: record.emailAddress,
	displayName: (record.identity as IDataObject).displayName,
	...record,
});

const KINDS: Array<[string, CredentialKind]> = [
	['delegated', DELEGATED],
	['app-only', APP_ONLY],
];

describe.each(KINDS)('webinar and town hall attendance, %s', (_kindName, kind) => {
	test('Get Sessions: one item per session with its event, for each input item', async () => {
		webinarWithAttendance();
		sandbox.virtualEvents.createWebinar({ id: 'other@tenant', displayName: 'Other' });
		sandbox.virtualEvents.addSession('other@tenant', { id: 'other-session' });
		sandbox.clearLog();
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getSessions', {
				webinar: byWebinarId('={{ $json.eventId }}'),
				returnAll: true,
			}),
			inputItems: [{ eventId: WEBINAR_ID }, { eventId: 'other@tenant' }],
		});
		expect(graphConversation(sandbox)).toEqual([
			`GET ${WEBINAR_PATH}/sessions 200`,
			`GET ${webinarPathOf('other@tenant')}/sessions 200`,
		]);
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				eventType: 'webinar',
				eventId: WEBINAR_ID,
				id: S1,
				subject: 'Day 1',
			}),
			expect.objectContaining({
				eventType: 'webinar',
				eventId: WEBINAR_ID,
				id: S2,
				subject: 'Day 2',
			}),
			expect.objectContaining({ eventId: 'other@tenant', id: 'other-session' }),
		]);
		expect(jsonOf(run)[0]).toEqual({
			eventType: 'webinar',
			eventId: WEBINAR_ID,
			id: S1,
			subject: 'Day 1',
			startDateTime: expect.any(Object),
			endDateTime: expect.any(Object),
			joinWebUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//),
		});
		expect(pairingOf(run)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }]);
	});

	test('Get Attendance Records of all sessions: every report, every page of records, one item per record', async () => {
		const { records1, records2 } = webinarWithAttendance();
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getRecords', { returnAll: true }),
		});
		const reports1 = `${WEBINAR_PATH}/sessions/${enc(S1)}/attendanceReports`;
		const reports2 = `${WEBINAR_PATH}/sessions/${enc(S2)}/attendanceReports`;
		const conversation = graphConversation(sandbox);
		expect(conversation).toEqual([
			`GET ${WEBINAR_PATH}/sessions 200`,
			`GET ${reports1} 200`,
			`GET ${reports1}/report-1/attendanceRecords 200`,
			expect.stringMatching(/attendanceRecords\?\$skiptoken=\S+ 200$/),
			`GET ${reports2} 200`,
			`GET ${reports2}/report-2/attendanceRecords 200`,
		]);
		expect(conversation[3].startsWith(`GET ${reports1}/report-1/attendanceRecords?`)).toBe(true);
		const source1 = {
			eventType: 'webinar',
			eventId: WEBINAR_ID,
			sessionId: S1,
			reportId: 'report-1',
		};
		const source2 = {
			eventType: 'webinar',
			eventId: WEBINAR_ID,
			sessionId: S2,
			reportId: 'report-2',
		};
		expect(jsonOf(run)).toEqual([
			...records1.map((record) => recordItem(record, source1)),
			recordItem(records2[0], source2),
		]);
		expect(jsonOf(run)[0]).toMatchObject({
			email: 'ann@example.com',
			displayName: 'Ann Example',
			role: 'Attendee',
			totalAttendanceInSeconds: 3000,
			registrationId: 'reg-ann',
			attendanceIntervals: [
				{
					joinDateTime: '2031-06-01T15:00:00Z',
					leaveDateTime: '2031-06-01T15:30:00Z',
					durationInSeconds: 1800,
				},
				{
					joinDateTime: '2031-06-01T15:40:00Z',
					leaveDateTime: '2031-06-01T16:00:00Z',
					durationInSeconds: 1200,
				},
			],
		});
		expect(pairingOf(run)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }, { item: 0 }]);
	});

	test('Limit: no further page, report or session once enough are in', async () => {
		webinarWithAttendance();
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getRecords', { limit: 2 }),
		});
		expect(graphConversation(sandbox)).toHaveLength(3);
		expect(jsonOf(run).map((record) => record.email)).toEqual([
			'ann@example.com',
			'BOB@example.com',
		]);
	});

	test('One Session: only its reports and records', async () => {
		const { records2 } = webinarWithAttendance();
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getRecords', { sessions: 'one', sessionId: S2, returnAll: true }),
		});
		const reports2 = `${WEBINAR_PATH}/sessions/${enc(S2)}/attendanceReports`;
		expect(graphConversation(sandbox)).toEqual([
			`GET ${reports2} 200`,
			`GET ${reports2}/report-2/attendanceRecords 200`,
		]);
		expect(jsonOf(run)).toEqual([
			recordItem(records2[0], {
				eventType: 'webinar',
				eventId: WEBINAR_ID,
				sessionId: S2,
				reportId: 'report-2',
			}),
		]);
	});

	test('a town hall, with no-shows: attendees (attended true), then the registered people without a record (attended false)', async () => {
		webinarWithAttendance('townhall');
		const person = (id: string, firstName: string, status?: 'waitlisted') =>
			sandbox.virtualEvents.addTeamsRegistration(TOWNHALL_ID, {
				id,
				firstName,
				lastName: 'Example',
				email: `${firstName.toLowerCase()}@example.com`,
				...(status ? { status } : {}),
				externalRegistrationInformation: { registrationId: `crm-${firstName}` },
			});
		person('reg-ann', 'Ann'); // attended: her record names her registration id
		person('reg-bob', 'Bob'); // attended: his record has no registration id, his email matches
		const cy = person('reg-cy', 'Cy'); // registered, no record: a no-show
		person('reg-eve', 'Eve', 'waitlisted'); // never held a place
		const fay = person('reg-fay', 'Fay');
		sandbox.virtualEvents.cancelRegistration(TOWNHALL_ID, fay.id); // canceled
		person('reg-dee', 'Dee'); // attended the second session
		sandbox.clearLog();

		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getRecords', {
				eventType: 'townhall',
				webinar: byWebinarId(TOWNHALL_ID),
				returnAll: true,
				options: { includeNoShows: true },
			}),
		});
		expect(graphConversation(sandbox)).toEqual([
			`GET ${TOWNHALL_PATH}/sessions 200`,
			`GET ${TOWNHALL_PATH}/sessions/${enc(S1)}/attendanceReports 200`,
			`GET ${TOWNHALL_PATH}/sessions/${enc(S1)}/attendanceReports/report-1/attendanceRecords 200`,
			`GET ${TOWNHALL_PATH}/sessions/${enc(S2)}/attendanceReports 200`,
			`GET ${TOWNHALL_PATH}/sessions/${enc(S2)}/attendanceReports/report-2/attendanceRecords 200`,
			`GET ${TOWNHALL_PATH}/registrations 200`,
		]);
		const out = jsonOf(run);
		expect(out.map((item) => [item.email, item.attended])).toEqual([
			['ann@example.com', true],
			['BOB@example.com', true],
			['organizer@example.com', true],
			['dee@example.com', true],
			['cy@example.com', false],
		]);
		expect(out[4]).toEqual({
			eventType: 'townhall',
			eventId: TOWNHALL_ID,
			sessionId: null,
			reportId: null,
			attended: false,
			email: 'cy@example.com',
			displayName: 'Cy Example',
			registrationId: cy.id,
			firstName: 'Cy',
			lastName: 'Example',
			status: 'registered',
			externalRegistrationId: 'crm-Cy',
			totalAttendanceInSeconds: 0,
			attendanceIntervals: [],
		});
		expect(pairingOf(run).every((pairing) => (pairing as { item: number }).item === 0)).toBe(true);
	});

	test('no-shows of one session: registered people without a record in that session', async () => {
		webinarWithAttendance();
		for (const [id, firstName] of [
			['reg-ann', 'Ann'],
			['reg-dee', 'Dee'],
		])
			sandbox.virtualEvents.addTeamsRegistration(WEBINAR_ID, {
				id,
				firstName,
				lastName: 'Example',
				email: `${firstName.toLowerCase()}@example.com`,
			});
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getRecords', {
				sessions: 'one',
				sessionId: S2,
				returnAll: true,
				options: { includeNoShows: true },
			}),
		});
		expect(jsonOf(run).map((item) => [item.email, item.attended, item.sessionId])).toEqual([
			['dee@example.com', true, S2],
			['ann@example.com', false, S2],
		]);
	});

	test("an unknown session: Graph's 404 with the session hint", async () => {
		webinarWithAttendance();
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getRecords', { sessions: 'one', sessionId: 'nope', returnAll: true }),
		});
		expect(run.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(run.error?.description).toMatch(
			/^The session or attendance report was not found in this webinar/,
		);
	});

	test('input refused before any request, naming item and field', async () => {
		webinarWithAttendance();
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getRecords', {
				sessions: 'one',
				sessionId: '={{ $json.session }}',
				returnAll: true,
			}),
			inputItems: [{ session: S1 }, { session: '' }],
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Item 1: "Session ID" is empty');
		expect(graphConversation(sandbox)).toEqual([]);

		const limit = await runOperation(sandbox, {
			kind,
			parameters: attendance('getSessions', { limit: 0 }),
		});
		expect(limit.error?.message).toBe('Item 0: "Limit" must be a whole number of 1 or more, not 0');
		const link = await runOperation(sandbox, {
			kind,
			parameters: attendance('getSessions', {
				eventType: 'townhall',
				webinar: byWebinarId('={{ $json.event }}'),
			}),
			inputItems: [{ event: `https://events.teams.microsoft.com/event/${TOWNHALL_ID}` }],
		});
		expect(link.error?.message).toBe('Item 0: "Event" holds a link, not a town hall ID');
		expect(graphConversation(sandbox)).toEqual([]);
	});

	test('Continue On Fail: an unknown event becomes an error item paired to its input; the other item still runs', async () => {
		webinarWithAttendance();
		const run = await runOperation(sandbox, {
			kind,
			parameters: attendance('getSessions', {
				webinar: byWebinarId('={{ $json.eventId }}'),
				returnAll: true,
			}),
			inputItems: [{ eventId: 'gone@tenant' }, { eventId: WEBINAR_ID }],
			settings: { onError: 'continueRegularOutput' },
		});
		const items = outputOf(run);
		expect(items[0]).toEqual({
			json: expect.objectContaining({
				httpCode: '404',
				description: expect.stringMatching(/^The webinar was not found/),
			}),
			pairedItem: { item: 0 },
		});
		expect(items.slice(1).map((item) => [item.json.id, item.pairedItem])).toEqual([
			[S1, { item: 1 }],
			[S2, { item: 1 }],
		]);
	});
});

describe.each(KINDS)('meeting attendance (Graph v1.0), %s', (_kindName, kind) => {
	const root = kind === DELEGATED ? '/v1.0/me' : `/v1.0/users/${DEFAULT_ORGANIZER_ID}`;

	function meetingWithReports() {
		const meeting = sandbox.createMeeting({ subject: 'Weekly' }) as {
			id: string;
			joinWebUrl: string;
		};
		const older = sandbox.addMeetingAttendanceReport(meeting.id, {
			id: 'week-1',
			meetingStartDateTime: '2031-06-01T15:00:00Z',
			meetingEndDateTime: '2031-06-01T16:00:00Z',
			records: [
				{
					emailAddress: 'ann@example.com',
					displayName: 'Ann',
					intervals: [interval('15:00', '15:20')],
				},
			],
		});
		const newer = sandbox.addMeetingAttendanceReport(meeting.id, {
			id: 'week-2',
			meetingStartDateTime: '2031-06-08T15:00:00Z',
			meetingEndDateTime: '2031-06-08T16:00:00Z',
			records: [
				{
					emailAddress: 'bob@example.com',
					displayName: 'Bob',
					intervals: [interval('15:00', '15:01')],
				},
				{
					emailAddress: 'cy@example.com',
					displayName: 'Cy',
					intervals: [interval('15:00', '15:02')],
				},
				{
					emailAddress: 'dee@example.com',
					displayName: 'Dee',
					intervals: [interval('15:00', '15:03')],
				},
			],
		});
		sandbox.clearLog();
		return {
			meeting,
			older,
			newer,
			path: `${root}/onlineMeetings/${enc(meeting.id)}/attendanceReports`,
		};
	}

	test('Get Attendance Reports: one item per report (newest first), with the meeting id', async () => {
		const { meeting, path } = meetingWithReports();
		const run = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'meeting',
				operation: 'getAttendanceReports',
				meeting: { __rl: true, mode: 'id', value: meeting.id },
				returnAll: true,
			},
		});
		expect(graphConversation(sandbox)).toEqual([`GET ${path} 200`]);
		expect(outputOf(run)).toEqual([
			{
				json: {
					meetingId: meeting.id,
					id: 'week-2',
					totalParticipantCount: 3,
					meetingStartDateTime: '2031-06-08T15:00:00.000Z',
					meetingEndDateTime: '2031-06-08T16:00:00.000Z',
				},
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({
					meetingId: meeting.id,
					id: 'week-1',
					totalParticipantCount: 1,
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	test("Get Attendance Records by join link, every report: the meeting looked up once, then each report's records across pages", async () => {
		const { meeting, path } = meetingWithReports();
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'meeting',
				operation: 'getAttendanceRecords',
				meeting: { __rl: true, mode: 'url', value: meeting.joinWebUrl },
				returnAll: true,
			},
		});
		const conversation = graphConversation(sandbox);
		expect(conversation[0]).toMatch(
			/^GET \/beta\/(me|users\/[^/]+)\/onlineMeetings\?%24filter=JoinWebUrl/,
		);
		expect(conversation.slice(1)).toEqual([
			`GET ${path} 200`,
			`GET ${path}/week-2/attendanceRecords 200`,
			expect.stringMatching(/\/week-2\/attendanceRecords\?\$skiptoken=\S+ 200$/),
			`GET ${path}/week-1/attendanceRecords 200`,
		]);
		expect(jsonOf(run).map((record) => [record.email, record.reportId, record.meetingId])).toEqual([
			['bob@example.com', 'week-2', meeting.id],
			['cy@example.com', 'week-2', meeting.id],
			['dee@example.com', 'week-2', meeting.id],
			['ann@example.com', 'week-1', meeting.id],
		]);
		expect(jsonOf(run)[3]).toMatchObject({
			attended: true,
			displayName: 'Ann',
			totalAttendanceInSeconds: 1200,
			role: 'Attendee',
			registrationId: null,
		});
	});

	test('Get Attendance Records of one report, with a Limit', async () => {
		const { meeting, path } = meetingWithReports();
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'meeting',
				operation: 'getAttendanceRecords',
				meeting: { __rl: true, mode: 'id', value: meeting.id },
				reportId: 'week-2',
				limit: 1,
			},
		});
		expect(graphConversation(sandbox)).toEqual([`GET ${path}/week-2/attendanceRecords 200`]);
		expect(jsonOf(run).map((record) => record.email)).toEqual(['bob@example.com']);
	});

	test('a Report ID that is a dot segment is refused before any request', async () => {
		const run = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'meeting',
				operation: 'getAttendanceRecords',
				meeting: { __rl: true, mode: 'id', value: 'm1' },
				reportId: '..',
			},
		});
		expect(run.error?.message).toBe('Item 0: "Report ID" is not a report ID: ".."');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('permissions', () => {
	test('app-only without an application access policy: webinar attendance fails with 403 and the hint naming OnlineMeetingArtifact.Read.All and the policy', async () => {
		webinarWithAttendance();
		for (const app of (sandbox.authority.apps as Map<string, { accessPolicy: boolean }>).values())
			app.accessPolicy = false;
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: attendance('getRecords', { sessions: 'one', sessionId: S1, returnAll: true }),
			appOnlyCredentialId: 'attendance-no-policy',
		});
		expect(run.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '403',
			message: 'No Application Access Policy found for this app. [Forbidden]',
		});
		expect(run.error?.description).toMatch(
			/^App-only, attendance reports and records of a webinar's sessions need the application permission OnlineMeetingArtifact\.Read\.All with admin consent, and a Teams application access policy .*Grant-CsApplicationAccessPolicy/,
		);
		expect(JSON.stringify({ ...run.error, message: run.error?.message })).not.toMatch(/Bearer|eyJ/);
	});

	test('app-only without an application access policy: meeting attendance fails with 403 and the meeting attendance hint', async () => {
		const meeting = sandbox.createMeeting({}) as { id: string };
		for (const app of (sandbox.authority.apps as Map<string, { accessPolicy: boolean }>).values())
			app.accessPolicy = false;
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				resource: 'meeting',
				operation: 'getAttendanceReports',
				meeting: { __rl: true, mode: 'id', value: meeting.id },
				returnAll: true,
			},
			appOnlyCredentialId: 'meeting-attendance-no-policy',
		});
		expect(run.error).toMatchObject({ name: 'NodeApiError', httpCode: '403' });
		expect(run.error?.description).toMatch(
			/^App-only, attendance reports and records need the application permission OnlineMeetingArtifact\.Read\.All .*application access policy/,
		);
	});

	test('app-only without OnlineMeetingArtifact.Read.All: sessions still list, attendance is refused naming the permission', async () => {
		webinarWithAttendance();
		sandbox.virtualEvents.setPermissions(appPrincipalId(sandbox), [
			'VirtualEvent.Read.All',
			'VirtualEventRegistration-Anon.ReadWrite.All',
		]);
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: attendance('getRecords', { returnAll: true }),
			appOnlyCredentialId: 'attendance-no-artifact-permission',
		});
		expect(graphConversation(sandbox)).toEqual([
			`GET ${WEBINAR_PATH}/sessions 200`,
			`GET ${WEBINAR_PATH}/sessions/${enc(S1)}/attendanceReports 403`,
		]);
		expect(run.error?.message).toMatch(/API requires one of 'OnlineMeetingArtifact\.Read\.All'/);
		expect(run.error?.description).toMatch(/OnlineMeetingArtifact\.Read\.All with admin consent/);
	});

	test('delegated without OnlineMeetingArtifact.Read.All: 403 with the delegated hint (the credential\'s "Attendance Permission")', async () => {
		webinarWithAttendance();
		sandbox.virtualEvents.setPermissions(DEFAULT_ORGANIZER_ID, ['VirtualEvent.ReadWrite']);
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: attendance('getRecords', { sessions: 'one', sessionId: S1, returnAll: true }),
		});
		expect(run.error).toMatchObject({ httpCode: '403' });
		expect(run.error?.description).toMatch(
			/delegated permission OnlineMeetingArtifact\.Read\.All \(the credential's "Attendance Permission"\)/,
		);
	});
});

test('Include No-Shows with a Limit: every record is read (the join needs them), the limit applies to the items out', async () => {
	webinarWithAttendance();
	sandbox.virtualEvents.addTeamsRegistration(WEBINAR_ID, {
		firstName: 'Cy',
		lastName: 'Example',
		email: 'cy@example.com',
	});
	sandbox.setPageSize(2);
	const run = await runOperation(sandbox, {
		kind: DELEGATED,
		parameters: attendance('getRecords', { limit: 3, options: { includeNoShows: true } }),
	});
	expect(graphConversation(sandbox)).toHaveLength(7);
	expect(graphConversation(sandbox).at(-1)).toBe(`GET ${WEBINAR_PATH}/registrations 200`);
	expect(jsonOf(run).map((item) => item.email)).toEqual([
		'ann@example.com',
		'BOB@example.com',
		'organizer@example.com',
	]);
});
