/**
 * The registration lifecycle as workflows through n8n-core's WorkflowExecute against the
 * Graph sandbox: meetings, their registration, registrants — every operation and option,
 * paging, and the errors a user meets.
 */
import { NODE_NAME, byId, byJoinLink } from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import {
	APP_ONLY,
	DELEGATED,
	conversation,
	enrollBeforehand,
	graphRequests,
	runOperation,
	startSandboxWithAuthority,
} from './support/lifecycleWorkflow';
import type { CredentialKind } from './support/lifecycleWorkflow';
import { sandboxFixture } from './support/sandboxFixture';

const REGISTRANT_TYPE = '#microsoft.graph.externalMeetingRegistrant';
const REGISTRATION_TYPE = '#microsoft.graph.externalMeetingRegistration';
const MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';
const MEETING = `/beta/me/onlineMeetings/${MEETING_ID}`;

let sandbox: GraphSandbox;

sandboxFixture({
	start: startSandboxWithAuthority,
	prepare: (fresh) => {
		fresh.setPageSize(100); // Graph's page size; reset() keeps a size a test set
		APP_ONLY.prepare(fresh);
	},
	use: (fresh) => {
		sandbox = fresh;
	},
});

/** Items may run concurrently: requests of different items can reach Graph in any order. */
const sorted = (lines: string[]) => [...lines].sort();

const outputOf = (run: Awaited<ReturnType<typeof runOperation>>) => run.outputOf(NODE_NAME);
const jsonOf = (run: Awaited<ReturnType<typeof runOperation>>) =>
	outputOf(run).map((item) => item.json);
const pairingOf = (run: Awaited<ReturnType<typeof runOperation>>) =>
	outputOf(run).map((item) => item.pairedItem);

describe.each<[string, CredentialKind]>([
	['delegated', DELEGATED],
	['app-only', APP_ONLY],
])('the whole lifecycle with the %s credential', (_name, kind) => {
	test('create with registration → get by link → registration → enroll → list → remove → disable', async () => {
		const root = kind.graphRoot;
		const created = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'meeting',
				operation: 'create',
				subject: 'Launch webinar',
				startDateTime: '2031-03-04T15:00:00Z',
				endDateTime: '2031-03-04T16:00:00Z',
				allowedRegistrant: 'everyone',
			},
		});
		expect(created.status).toBe('success');
		const [meeting] = jsonOf(created);
		const meetingId = String(meeting.id);
		const joinWebUrl = String(meeting.joinWebUrl);
		const meetingPath = `${root}/onlineMeetings/${encodeURIComponent(meetingId)}`;

		const link = await runOperation(sandbox, {
			kind,
			parameters: { resource: 'meeting', operation: 'get', meeting: byJoinLink(joinWebUrl) },
		});
		expect(jsonOf(link)[0]).toMatchObject({ id: meetingId, joinWebUrl, subject: 'Launch webinar' });

		const registration = await runOperation(sandbox, {
			kind,
			parameters: { resource: 'registration', operation: 'get', meeting: byId(meetingId) },
		});
		expect(jsonOf(registration)).toEqual([
			{ meetingId, id: (meeting.registration as { id: string }).id, allowedRegistrant: 'everyone' },
		]);

		const enrolled = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'registrant',
				operation: 'enroll',
				meeting: byId(meetingId),
				registrationMode: 'everyone',
				externalId: '={{ $json.email }}',
			},
			inputItems: [{ email: 'ann@example.com' }, { email: 'bob@example.com' }],
		});
		expect(jsonOf(enrolled).map((registrant) => registrant.id)).toEqual([
			'ann@example.com',
			'bob@example.com',
		]);

		const listed = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'registrant',
				operation: 'getAll',
				meeting: byId(meetingId),
				returnAll: true,
			},
		});
		expect(jsonOf(listed)).toEqual([
			{ id: 'ann@example.com', joinWebUrl: null, userId: null, tenantId: null, meetingId },
			{ id: 'bob@example.com', joinWebUrl: null, userId: null, tenantId: null, meetingId },
		]);

		const removed = await runOperation(sandbox, {
			kind,
			parameters: {
				resource: 'registrant',
				operation: 'remove',
				meeting: byId(meetingId),
				registrant: { __rl: true, mode: 'externalId', value: 'ann@example.com' },
			},
		});
		expect(jsonOf(removed)).toEqual([{ meetingId, id: 'ann@example.com', removed: true }]);
		expect(
			sandbox.registrantsOf(meetingId).map((registrant: { id: string }) => registrant.id),
		).toEqual(['bob@example.com']);

		const disabled = await runOperation(sandbox, {
			kind,
			parameters: { resource: 'registration', operation: 'disable', meeting: byId(meetingId) },
		});
		expect(jsonOf(disabled)).toEqual([{ meetingId, disabled: true }]);
		expect(sandbox.getMeeting(meetingId).registration).toBeNull();

		expect(conversation(sandbox)).toEqual([
			`POST ${root}/onlineMeetings 201`,
			`POST ${meetingPath}/registration 201`,
			`GET ${root}/onlineMeetings?$filter=JoinWebUrl eq '${joinWebUrl}' 200`,
			`GET ${meetingPath}/registration 200`,
			`POST ${meetingPath}/registration/registrants 200`,
			`POST ${meetingPath}/registration/registrants 200`,
			`GET ${meetingPath}/registration/registrants 200`,
			`GET ${meetingPath}/registration/registrants 200`,
			`DELETE ${meetingPath}/registration/registrants/${encodeURIComponent('ann@example.com')} 204`,
			`DELETE ${meetingPath}/registration 204`,
		]);
	});
});

function createMeetingParameters(overrides: Record<string, unknown> = {}) {
	return {
		resource: 'meeting',
		operation: 'create',
		subject: '={{ $json.subject }}',
		startDateTime: '={{ $json.start }}',
		endDateTime: '={{ $json.end }}',
		allowedRegistrant: 'organization',
		...overrides,
	};
}

const webinar = {
	subject: 'Quarterly webinar',
	start: '2031-06-01T10:00:00Z',
	end: '2031-06-01T11:30:00Z',
};

describe('meeting: create', () => {
	test('"Allowed Registrants" set by expression to a label, not a value: refused before the meeting is created', async () => {
		const run = await runOperation(sandbox, {
			parameters: createMeetingParameters({ allowedRegistrant: '={{ $json.audience }}' }),
			inputItems: [{ ...webinar, audience: 'Everyone' }],
		});

		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message:
				'Item 0: "Allowed Registrants" must be one of "everyone", "organization", not "Everyone"',
		});
		expect(sandbox.requests).toEqual([]);
	});

	test('creates the meeting, then enables registration in the same step; outputs id, join link and registration', async () => {
		const run = await runOperation(sandbox, {
			parameters: createMeetingParameters({
				additionalFields: {
					allowedPresenters: 'organizer',
					allowMeetingChat: 'limited',
					lobbyBypassScope: 'everyone',
					recordAutomatically: true,
				},
			}),
			inputItems: [webinar],
		});

		expect(run.status).toBe('success');
		const [createRequest, registrationRequest] = graphRequests(sandbox);
		expect(createRequest.method).toBe('POST');
		expect(createRequest.rawPath).toBe('/beta/me/onlineMeetings');
		expect(createRequest.json).toEqual({
			subject: 'Quarterly webinar',
			startDateTime: '2031-06-01T10:00:00.000Z',
			endDateTime: '2031-06-01T11:30:00.000Z',
			allowedPresenters: 'organizer',
			allowMeetingChat: 'limited',
			recordAutomatically: true,
			lobbyBypassSettings: { scope: 'everyone' },
		});
		const meetingId = createRequest.responseBody.id as string;
		expect(registrationRequest.method).toBe('POST');
		expect(registrationRequest.rawPath).toBe(
			`/beta/me/onlineMeetings/${encodeURIComponent(meetingId)}/registration`,
		);
		expect(registrationRequest.rawBody).toBe(
			`{"@odata.type":"${REGISTRATION_TYPE}","allowedRegistrant":"organization"}`,
		);
		expect(graphRequests(sandbox)).toHaveLength(2);

		const [item] = outputOf(run);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			id: meetingId,
			joinWebUrl: sandbox.getMeeting(meetingId).joinWebUrl,
			subject: 'Quarterly webinar',
			registration: {
				id: sandbox.getMeeting(meetingId).registration.id,
				allowedRegistrant: 'organization',
			},
		});
		expect(Object.keys(item.json).filter((key) => key.startsWith('@odata'))).toEqual([]);
	});

	test('without "Enable Registration": one request, and "registration" is null', async () => {
		const run = await runOperation(sandbox, {
			parameters: createMeetingParameters({ enableRegistration: false }),
			inputItems: [webinar],
		});
		expect(conversation(sandbox)).toEqual(['POST /beta/me/onlineMeetings 201']);
		const [json] = jsonOf(run);
		expect(json.registration).toBeNull();
		expect(sandbox.getMeeting(String(json.id)).registration).toBeNull();
	});

	test("a time without offset is read in the workflow's time zone; one with an offset is kept", async () => {
		const run = await runOperation(sandbox, {
			parameters: createMeetingParameters({ enableRegistration: false }),
			workflowSettings: { timezone: 'Europe/Berlin' },
			inputItems: [
				{ subject: 'summer time', start: '2031-07-01T10:00:00', end: '2031-07-01 11:15' },
				{
					subject: 'winter time, with offsets',
					start: '2031-01-10T09:00:00+05:30',
					end: '2031-01-10T10:00:00.250-01:00',
				},
			],
		});
		expect(run.status).toBe('success');
		expect(graphRequests(sandbox).map((request) => request.json)).toEqual([
			{
				subject: 'summer time',
				startDateTime: '2031-07-01T08:00:00.000Z',
				endDateTime: '2031-07-01T09:15:00.000Z',
			},
			{
				subject: 'winter time, with offsets',
				startDateTime: '2031-01-10T03:30:00.000Z',
				endDateTime: '2031-01-10T11:00:00.250Z',
			},
		]);
	});

	test('a Luxon DateTime from an expression is taken as the instant it is', async () => {
		await runOperation(sandbox, {
			parameters: createMeetingParameters({
				enableRegistration: false,
				startDateTime: "={{ DateTime.fromISO('2031-02-03T18:00:00', { zone: 'Asia/Tokyo' }) }}",
				endDateTime:
					"={{ DateTime.fromISO('2031-02-03T18:00:00', { zone: 'Asia/Tokyo' }).plus({ hours: 2 }) }}",
			}),
			inputItems: [{ subject: 'Tokyo evening' }],
		});
		expect(graphRequests(sandbox)[0].json).toMatchObject({
			startDateTime: '2031-02-03T09:00:00.000Z',
			endDateTime: '2031-02-03T11:00:00.000Z',
		});
	});

	test.each<[string, Record<string, unknown>, string]>([
		['an empty subject', { subject: ' ' }, 'Item 1: "Subject" is empty'],
		[
			'a start that is no date',
			{ start: 'next Tuesday' },
			'Item 1: "Start" is not a date and time: "next Tuesday"',
		],
		[
			'a date that does not exist',
			{ start: '2031-02-30T10:00:00' },
			'Item 1: "Start" is not a date and time: "2031-02-30T10:00:00"',
		],
		['an empty end', { end: '' }, 'Item 1: "End" is empty'],
		[
			'an end before the start',
			{ end: '2031-06-01T09:00:00Z' },
			'Item 1: "End" must be after the start (2031-06-01T10:00:00.000Z), not 2031-06-01T09:00:00.000Z',
		],
	])(
		'%s is refused before any request, naming the item and the field',
		async (_case, badFields, message) => {
			const run = await runOperation(sandbox, {
				parameters: createMeetingParameters(),
				inputItems: [webinar, { ...webinar, ...badFields }],
			});
			expect(run.status).toBe('error');
			expect(run.error?.name).toBe('NodeOperationError');
			expect(run.error?.message).toBe(message);
			expect(graphRequests(sandbox)).toHaveLength(0);
		},
	);

	test('when enabling registration fails, the error says the meeting was created and how to go on', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registration',
			kind: 'status',
			status: 503,
		});
		const run = await runOperation(sandbox, {
			parameters: createMeetingParameters(),
			inputItems: [webinar],
		});

		expect(run.status).toBe('error');
		const [created] = graphRequests(sandbox);
		const meetingId = created.responseBody.id as string;
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('503');
		expect(run.error?.description).toContain(
			`The meeting was created (ID ${meetingId}, join link ${String(created.responseBody.joinWebUrl)}) but enabling its registration failed. Enable it with Resource "Registration", Operation "Enable" rather than creating the meeting again.`,
		);
		expect(sandbox.getMeeting(meetingId).registration).toBeNull();
	});
});

describe('meeting: get', () => {
	test("by ID: one GET, Graph's meeting without OData fields", async () => {
		sandbox.createMeeting({ id: MEETING_ID, subject: 'By id' });
		const run = await runOperation(sandbox, {
			parameters: { resource: 'meeting', operation: 'get', meeting: byId(MEETING_ID) },
		});

		expect(conversation(sandbox)).toEqual([`GET ${MEETING} 200`]);
		const { '@odata.context': _context, ...meeting } = graphRequests(sandbox)[0].responseBody;
		expect(jsonOf(run)).toEqual([meeting]);
		expect(pairingOf(run)).toEqual([{ item: 0 }]);
	});

	test("by join link: the lookup's answer is the meeting, so one request per distinct link", async () => {
		const first = sandbox.createMeeting({ subject: 'first' });
		const second = sandbox.createMeeting({ subject: 'second' });
		const run = await runOperation(sandbox, {
			parameters: {
				resource: 'meeting',
				operation: 'get',
				meeting: byJoinLink('={{ $json.link }}'),
			},
			inputItems: [first, second, first].map((meeting) => ({ link: meeting.joinWebUrl })),
		});
		expect(graphRequests(sandbox).map((request) => request.query.$filter)).toEqual([
			`JoinWebUrl eq '${first.joinWebUrl}'`,
			`JoinWebUrl eq '${second.joinWebUrl}'`,
		]);
		expect(jsonOf(run).map((meeting) => [meeting.id, meeting.subject])).toEqual([
			[first.id, 'first'],
			[second.id, 'second'],
			[first.id, 'first'],
		]);
		expect(pairingOf(run)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test("meeting not found: Graph's 404 with a hint about the meeting only", async () => {
		const run = await runOperation(sandbox, {
			parameters: { resource: 'meeting', operation: 'get', meeting: byId('no-such-meeting') },
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('404');
		expect(run.error?.message).toBe('The specified online meeting was not found. [NotFound]');
		expect(run.error?.description).toContain(
			'The meeting was not found for this organizer. Check the meeting ID or join link',
		);
		expect(run.error?.description).not.toContain('registration');
	});
});

const enableParameters = (options: Record<string, unknown> = {}) => ({
	resource: 'registration',
	operation: 'enable',
	meeting: byId(MEETING_ID),
	allowedRegistrant: 'organization',
	options,
});

describe('registration: enable', () => {
	test('POST .../registration with the external registration type; outcome "created"', async () => {
		sandbox.createMeeting({ id: MEETING_ID });
		const run = await runOperation(sandbox, { parameters: enableParameters() });

		expect(conversation(sandbox)).toEqual([`POST ${MEETING}/registration 201`]);
		expect(graphRequests(sandbox)[0].rawBody).toBe(
			`{"@odata.type":"${REGISTRATION_TYPE}","allowedRegistrant":"organization"}`,
		);
		const { id } = sandbox.getMeeting(MEETING_ID).registration;
		expect(outputOf(run)).toEqual([
			{
				json: { meetingId: MEETING_ID, id, allowedRegistrant: 'organization', outcome: 'created' },
				pairedItem: { item: 0 },
			},
		]);
	});

	test("registration already enabled: by default Graph's 409 with a hint naming the option", async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runOperation(sandbox, { parameters: enableParameters() });

		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('409');
		expect(run.error?.message).toBe('A registration already exists for this meeting. [Conflict]');
		expect(run.error?.description).toContain(
			'Set Options → "If Already Enabled" to "Keep Existing Registration" or "Replace"',
		);
		expect(sandbox.getMeeting(MEETING_ID).registration.allowedRegistrant).toBe('everyone');
	});

	test('"Keep Existing Registration": the registration and its registrants stay; outcome "kept"', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['kept@example.com']);
		const before = sandbox.getMeeting(MEETING_ID).registration;
		const run = await runOperation(sandbox, {
			parameters: enableParameters({ ifAlreadyEnabled: 'keep' }),
		});

		expect(conversation(sandbox)).toEqual([
			`POST ${MEETING}/registration 409`,
			`GET ${MEETING}/registration 200`,
		]);
		expect(jsonOf(run)).toEqual([
			{ meetingId: MEETING_ID, id: before.id, allowedRegistrant: 'everyone', outcome: 'kept' },
		]);
		expect(sandbox.registrantCount(MEETING_ID, 'kept@example.com')).toBe(1);
	});

	test('"Replace": delete and create, which removes the registrants; outcome "replaced"', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['gone@example.com']);
		const before = sandbox.getMeeting(MEETING_ID).registration;
		const run = await runOperation(sandbox, {
			parameters: enableParameters({ ifAlreadyEnabled: 'replace' }),
		});

		expect(conversation(sandbox)).toEqual([
			`POST ${MEETING}/registration 409`,
			`DELETE ${MEETING}/registration 204`,
			`POST ${MEETING}/registration 201`,
		]);
		const after = sandbox.getMeeting(MEETING_ID).registration;
		expect(after.id).not.toBe(before.id);
		expect(jsonOf(run)).toEqual([
			{
				meetingId: MEETING_ID,
				id: after.id,
				allowedRegistrant: 'organization',
				outcome: 'replaced',
			},
		]);
		expect(sandbox.registrantsOf(MEETING_ID)).toEqual([]);
	});

	test('a meeting without registration is created whatever the option says', async () => {
		sandbox.createMeeting({ id: MEETING_ID });
		const run = await runOperation(sandbox, {
			parameters: enableParameters({ ifAlreadyEnabled: 'replace' }),
		});
		expect(conversation(sandbox)).toEqual([`POST ${MEETING}/registration 201`]);
		expect(jsonOf(run)[0].outcome).toBe('created');
	});
});

const getRegistrationParameters = (options: Record<string, unknown> = {}) => ({
	resource: 'registration',
	operation: 'get',
	meeting: byId('={{ $json.meetingId }}'),
	options,
});

describe('registration: get', () => {
	test('the registration of each meeting, paired to its input', async () => {
		const everyone = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const organization = sandbox.createMeeting({ allowedRegistrant: 'organization' });
		const run = await runOperation(sandbox, {
			parameters: getRegistrationParameters(),
			inputItems: [{ meetingId: everyone.id }, { meetingId: organization.id }],
		});
		expect(outputOf(run)).toEqual([
			{
				json: {
					meetingId: everyone.id,
					id: everyone.registration.id,
					allowedRegistrant: 'everyone',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					meetingId: organization.id,
					id: organization.registration.id,
					allowedRegistrant: 'organization',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	test('registration not enabled: a clear error, after making sure the meeting exists', async () => {
		sandbox.createMeeting({ id: MEETING_ID });
		const run = await runOperation(sandbox, {
			parameters: getRegistrationParameters(),
			inputItems: [{ meetingId: MEETING_ID }],
		});

		expect(conversation(sandbox)).toEqual([
			`GET ${MEETING}/registration 404`,
			`GET ${MEETING} 200`,
		]);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Registration is not enabled on this meeting');
		expect(run.error?.description).toBe(
			`Meeting ${MEETING_ID} exists but has no external registration. Enable it with Operation "Enable", or set Options → "If Not Enabled" to "Return Empty Result".`,
		);
	});

	test('"Return Empty Result": no item for that meeting, the others go on', async () => {
		const plain = sandbox.createMeeting({});
		const registered = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const run = await runOperation(sandbox, {
			parameters: getRegistrationParameters({ ifNotEnabled: 'returnEmpty' }),
			inputItems: [{ meetingId: plain.id }, { meetingId: registered.id }],
		});
		expect(run.status).toBe('success');
		expect(outputOf(run)).toEqual([
			{
				json: {
					meetingId: registered.id,
					id: registered.registration.id,
					allowedRegistrant: 'everyone',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	test('"Return Empty Result" does not hide a meeting that does not exist', async () => {
		const run = await runOperation(sandbox, {
			parameters: getRegistrationParameters({ ifNotEnabled: 'returnEmpty' }),
			inputItems: [{ meetingId: 'no-such-meeting' }],
		});
		expect(run.error?.httpCode).toBe('404');
		expect(run.error?.message).toBe('The specified online meeting was not found. [NotFound]');
	});
});

describe('registration: disable', () => {
	test('DELETE .../registration; the registrants go with it', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['a@example.com']);
		const run = await runOperation(sandbox, {
			parameters: { resource: 'registration', operation: 'disable', meeting: byId(MEETING_ID) },
		});

		expect(conversation(sandbox)).toEqual([`DELETE ${MEETING}/registration 204`]);
		expect(outputOf(run)).toEqual([
			{ json: { meetingId: MEETING_ID, disabled: true }, pairedItem: { item: 0 } },
		]);
		expect(sandbox.getMeeting(MEETING_ID).registration).toBeNull();
		expect(sandbox.registrantsOf(MEETING_ID)).toEqual([]);
	});

	test("registration not enabled: Graph's 404 with the registration hint", async () => {
		sandbox.createMeeting({ id: MEETING_ID });
		const run = await runOperation(sandbox, {
			parameters: { resource: 'registration', operation: 'disable', meeting: byId(MEETING_ID) },
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('404');
		expect(run.error?.description).toContain('or external registration is not enabled on it');
	});
});

const getAllParameters = (overrides: Record<string, unknown> = {}) => ({
	resource: 'registrant',
	operation: 'getAll',
	meeting: byId(MEETING_ID),
	...overrides,
});

describe('registrant: get many', () => {
	const people = [
		'p0@example.com',
		'p1@example.com',
		'p2@example.com',
		'p3@example.com',
		'p4@example.com',
	];

	test('"Return All" follows @odata.nextLink to the end: one item per registrant, join link null', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, people);
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, { parameters: getAllParameters({ returnAll: true }) });

		const pages = graphRequests(sandbox);
		expect(pages.map((request) => [request.method, request.rawPath, request.status])).toEqual(
			Array(3).fill(['GET', `${MEETING}/registration/registrants`, 200]),
		);
		// the second and third requests are exactly the next links Graph handed out
		expect(
			pages.slice(1).map((request) => `${sandbox.url}${request.rawPath}?${request.rawQuery}`),
		).toEqual(pages.slice(0, 2).map((request) => request.responseBody['@odata.nextLink']));
		expect(pages[2].responseBody['@odata.nextLink']).toBeUndefined();
		expect(outputOf(run)).toEqual(
			people.map((id) => ({
				json: { id, joinWebUrl: null, userId: null, tenantId: null, meetingId: MEETING_ID },
				pairedItem: { item: 0 },
			})),
		);
	});

	test('"Limit" stops reading pages once enough registrants are in', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, people);
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			parameters: getAllParameters({ returnAll: false, limit: 3 }),
		});

		expect(graphRequests(sandbox)).toHaveLength(2);
		expect(jsonOf(run).map((registrant) => registrant.id)).toEqual(people.slice(0, 3));
	});

	test('the default limit is 50', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(
			sandbox,
			MEETING_ID,
			Array.from({ length: 55 }, (_, i) => `bulk${i}@example.com`),
		);
		const run = await runOperation(sandbox, { parameters: getAllParameters() });
		expect(outputOf(run)).toHaveLength(50);
	});

	test('organization registrants keep their tenant and user IDs; items pair to the meeting they came from', async () => {
		const everyone = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const organization = sandbox.createMeeting({ allowedRegistrant: 'organization' });
		await enrollBeforehand(sandbox, everyone.id, ['e1', 'e2']);
		const orgRegistrant = {
			'@odata.type': REGISTRANT_TYPE,
			id: 'o1',
			tenantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
			userId: 'cc515404-b55c-466e-b896-992c918ecc01',
		};
		await runOperation(sandbox, {
			parameters: {
				resource: 'registrant',
				operation: 'enroll',
				meeting: byId(organization.id),
				registrationMode: 'organization',
				externalId: orgRegistrant.id,
				tenantId: orgRegistrant.tenantId,
				userId: orgRegistrant.userId,
			},
		});
		sandbox.clearLog();
		const run = await runOperation(sandbox, {
			parameters: getAllParameters({ meeting: byId('={{ $json.meetingId }}'), returnAll: true }),
			inputItems: [{ meetingId: organization.id }, { meetingId: everyone.id }],
		});
		expect(outputOf(run)).toEqual([
			{
				json: {
					id: 'o1',
					joinWebUrl: null,
					userId: orgRegistrant.userId,
					tenantId: orgRegistrant.tenantId,
					meetingId: organization.id,
				},
				pairedItem: { item: 0 },
			},
			{
				json: { id: 'e1', joinWebUrl: null, userId: null, tenantId: null, meetingId: everyone.id },
				pairedItem: { item: 1 },
			},
			{
				json: { id: 'e2', joinWebUrl: null, userId: null, tenantId: null, meetingId: everyone.id },
				pairedItem: { item: 1 },
			},
		]);
	});

	test('no registrants: no items', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runOperation(sandbox, { parameters: getAllParameters({ returnAll: true }) });
		expect(run.status).toBe('success');
		expect(outputOf(run)).toEqual([]);
	});

	test('a limit that is not a whole number of 1 or more is refused before any request', async () => {
		const run = await runOperation(sandbox, {
			parameters: getAllParameters({ limit: '={{ $json.limit }}' }),
			inputItems: [{ limit: 0 }],
		});
		expect(run.error?.message).toBe('Item 0: "Limit" must be a whole number of 1 or more, not 0');
		expect(graphRequests(sandbox)).toHaveLength(0);
	});

	test("registration not enabled: Graph's 404 with the registration hint", async () => {
		sandbox.createMeeting({ id: MEETING_ID });
		const run = await runOperation(sandbox, { parameters: getAllParameters({ returnAll: true }) });
		expect(run.error?.httpCode).toBe('404');
		expect(run.error?.description).toContain('or external registration is not enabled on it');
	});
});

const enrollParameters = (
	options: Record<string, unknown>,
	overrides: Record<string, unknown> = {},
) => ({
	resource: 'registrant',
	operation: 'enroll',
	meeting: byId('={{ $json.meetingId }}'),
	registrationMode: 'everyone',
	externalId: '={{ $json.email }}',
	options,
	...overrides,
});

describe('registrant: enroll, "If Already Enrolled"', () => {
	const rows = (meetingId: string, emails: string[]) =>
		emails.map((email) => ({ meetingId, email }));

	test('"Enroll Again" (the default) does what Graph does: no listing, a second registration', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['ann@example.com']);
		const run = await runOperation(sandbox, {
			parameters: enrollParameters({}),
			inputItems: rows(MEETING_ID, ['ann@example.com']),
		});

		expect(conversation(sandbox)).toEqual([`POST ${MEETING}/registration/registrants 200`]);
		expect(sandbox.registrantCount(MEETING_ID, 'ann@example.com')).toBe(2);
		expect(Object.keys(jsonOf(run)[0]).sort()).toEqual([
			'id',
			'joinWebUrl',
			'meetingId',
			'tenantId',
			'userId',
		]);
	});

	test('"Skip": one listing per meeting; enrolled before the run or earlier in it, the existing registrant comes out marked', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['ann@example.com']);
		const run = await runOperation(sandbox, {
			parameters: enrollParameters({ ifAlreadyEnrolled: 'skip' }),
			inputItems: rows(MEETING_ID, [
				'ann@example.com',
				'bob@example.com',
				'bob@example.com',
				'cy@example.com',
			]),
		});

		expect(conversation(sandbox)).toEqual([
			`GET ${MEETING}/registration/registrants 200`,
			`POST ${MEETING}/registration/registrants 200`,
			`POST ${MEETING}/registration/registrants 200`,
		]);
		expect(
			sorted(
				graphRequests(sandbox)
					.slice(1)
					.map((request) => request.rawBody),
			),
		).toEqual([
			`{"@odata.type":"${REGISTRANT_TYPE}","id":"bob@example.com"}`,
			`{"@odata.type":"${REGISTRANT_TYPE}","id":"cy@example.com"}`,
		]);
		const [ann, bob, bobAgain, cy] = jsonOf(run);
		// Graph lists registrants without join links, so Ann's (enrolled in an earlier run) is null, and the item says why
		expect(ann).toEqual({
			id: 'ann@example.com',
			joinWebUrl: null,
			userId: null,
			tenantId: null,
			meetingId: MEETING_ID,
			alreadyEnrolled: true,
			status: 'alreadyEnrolled',
			note: 'Microsoft Graph\'s listings do not return join links, so the existing registration\'s link is not known here. To issue a fresh link, enroll this person with Options → "If Already Enrolled" → "Replace (Fresh Link)".',
		});
		expect(bob).toMatchObject({
			id: 'bob@example.com',
			alreadyEnrolled: false,
			status: 'enrolled',
		});
		expect(String(bob.joinWebUrl)).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
		// Bob's second row: enrolled by this very process a moment ago, so his link is known
		expect(bobAgain).toEqual({ ...bob, alreadyEnrolled: true, status: 'alreadyEnrolled' });
		expect(cy).toMatchObject({ id: 'cy@example.com', alreadyEnrolled: false, status: 'enrolled' });
		expect(pairingOf(run)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(
			sorted(sandbox.registrantsOf(MEETING_ID).map((registrant: { id: string }) => registrant.id)),
		).toEqual(['ann@example.com', 'bob@example.com', 'cy@example.com']);
	});

	test('"Skip" lists each meeting once, following its pages', async () => {
		const first = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const second = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, first.id, ['a', 'b', 'c']);
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			parameters: enrollParameters({ ifAlreadyEnrolled: 'skip' }),
			inputItems: [
				...rows(first.id, ['c', 'd']),
				...rows(second.id, ['c']),
				...rows(first.id, ['a']),
			],
		});

		const listings = graphRequests(sandbox).filter((request) => request.method === 'GET');
		const listingOf = (meetingId: string) =>
			`/beta/me/onlineMeetings/${encodeURIComponent(meetingId)}/registration/registrants`;
		// the first meeting's two pages, the second meeting's one page: each listed once
		expect(
			sorted(
				listings.map(
					(request) => `${request.rawPath} ${request.rawQuery ? 'next page' : 'first page'}`,
				),
			),
		).toEqual(
			sorted([
				`${listingOf(first.id)} first page`,
				`${listingOf(first.id)} next page`,
				`${listingOf(second.id)} first page`,
			]),
		);
		expect(
			jsonOf(run).map((registrant) => [
				registrant.id,
				registrant.meetingId,
				registrant.alreadyEnrolled,
			]),
		).toEqual([
			['c', first.id, true],
			['d', first.id, false],
			['c', second.id, false],
			['a', first.id, true],
		]);
	});

	test('"Fail": the run stops at the first item already enrolled, naming the item and the field', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['ann@example.com']);
		const run = await runOperation(sandbox, {
			parameters: enrollParameters({ ifAlreadyEnrolled: 'error' }),
			inputItems: rows(MEETING_ID, ['bob@example.com', 'ann@example.com', 'cy@example.com']),
		});

		expect(run.status).toBe('error');
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(
			'Item 1: "External ID" is already enrolled in this meeting: "ann@example.com"',
		);
		expect(run.error?.description).toBe(
			'Set Options → "If Already Enrolled" to "Skip" to continue with the existing registrant, or to "Replace (Fresh Link)" to issue a new link.',
		);
		expect(sandbox.registrantCount(MEETING_ID, 'ann@example.com')).toBe(1);
	});

	test('"Fail" with "Continue On Fail": the repeated rows become error items, the others are enrolled once', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['ann@example.com']);
		const run = await runOperation(sandbox, {
			parameters: enrollParameters({ ifAlreadyEnrolled: 'error' }),
			settings: { onError: 'continueRegularOutput' },
			inputItems: rows(MEETING_ID, ['ann@example.com', 'bob@example.com', 'bob@example.com']),
		});

		expect(run.status).toBe('success');
		const [ann, bob, bobAgain] = outputOf(run);
		const description =
			'Set Options → "If Already Enrolled" to "Skip" to continue with the existing registrant, or to "Replace (Fresh Link)" to issue a new link.';
		expect(ann).toEqual({
			json: {
				error: 'Item 0: "External ID" is already enrolled in this meeting: "ann@example.com"',
				description,
			},
			pairedItem: { item: 0 },
		});
		expect(bob.json).toMatchObject({ id: 'bob@example.com', meetingId: MEETING_ID });
		expect(bob.json).not.toHaveProperty('alreadyEnrolled');
		expect(bobAgain).toEqual({
			json: {
				error: 'Item 2: "External ID" is already enrolled in this meeting: "bob@example.com"',
				description,
			},
			pairedItem: { item: 2 },
		});
		expect(sandbox.registrantCount(MEETING_ID, 'bob@example.com')).toBe(1);
	});
});

const removeParameters = (mode: 'externalId' | 'id', options: Record<string, unknown> = {}) => ({
	resource: 'registrant',
	operation: 'remove',
	meeting: byId(MEETING_ID),
	registrant: { __rl: true, mode, value: '={{ $json.person }}' },
	options,
});

const removePath = (id: string) => `${MEETING}/registration/registrants/${encodeURIComponent(id)}`;

describe('registrant: remove', () => {
	test('by external ID: one listing for the run, then DELETE .../registrants/{id} per person', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, [
			'ann@example.com',
			'bob@example.com',
			'cy@example.com',
		]);
		const run = await runOperation(sandbox, {
			parameters: removeParameters('externalId'),
			inputItems: [{ person: 'cy@example.com' }, { person: 'ann@example.com' }],
		});

		expect(sorted(conversation(sandbox))).toEqual([
			`DELETE ${removePath('ann@example.com')} 204`,
			`DELETE ${removePath('cy@example.com')} 204`,
			`GET ${MEETING}/registration/registrants 200`,
		]);
		expect(conversation(sandbox)[0]).toBe(`GET ${MEETING}/registration/registrants 200`);
		expect(outputOf(run)).toEqual([
			{
				json: { meetingId: MEETING_ID, id: 'cy@example.com', removed: true },
				pairedItem: { item: 0 },
			},
			{
				json: { meetingId: MEETING_ID, id: 'ann@example.com', removed: true },
				pairedItem: { item: 1 },
			},
		]);
		expect(
			sandbox.registrantsOf(MEETING_ID).map((registrant: { id: string }) => registrant.id),
		).toEqual(['bob@example.com']);
	});

	test('by external ID, someone enrolled twice: every registration record is removed', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, [
			'twice@example.com',
			'other@example.com',
			'twice@example.com',
		]);
		const run = await runOperation(sandbox, {
			parameters: removeParameters('externalId'),
			inputItems: [{ person: 'twice@example.com' }],
		});

		expect(conversation(sandbox)).toEqual([
			`GET ${MEETING}/registration/registrants 200`,
			`DELETE ${removePath('twice@example.com')} 204`,
			`DELETE ${removePath('twice@example.com')} 204`,
		]);
		expect(jsonOf(run)).toEqual([
			{ meetingId: MEETING_ID, id: 'twice@example.com', removed: true },
		]);
		expect(
			sandbox.registrantsOf(MEETING_ID).map((registrant: { id: string }) => registrant.id),
		).toEqual(['other@example.com']);
	});

	test('by registrant ID: DELETE straight away, no listing', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, MEETING_ID, ['9d96988d-a66a-46ce-aad7-0b245615b297']);
		const run = await runOperation(sandbox, {
			parameters: removeParameters('id'),
			inputItems: [{ person: '9d96988d-a66a-46ce-aad7-0b245615b297' }],
		});

		expect(conversation(sandbox)).toEqual([
			`DELETE ${removePath('9d96988d-a66a-46ce-aad7-0b245615b297')} 204`,
		]);
		expect(jsonOf(run)).toEqual([
			{ meetingId: MEETING_ID, id: '9d96988d-a66a-46ce-aad7-0b245615b297', removed: true },
		]);
		expect(sandbox.registrantsOf(MEETING_ID)).toEqual([]);
	});

	test.each<['externalId' | 'id', string[]]>([
		['externalId', [`GET ${MEETING}/registration/registrants 200`]],
		['id', [`DELETE ${removePath('nobody@example.com')} 404`, `GET ${MEETING}/registration 200`]],
	])(
		'registrant not found (%s): an error naming the item and the field',
		async (mode, requests) => {
			sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
			const run = await runOperation(sandbox, {
				parameters: removeParameters(mode),
				inputItems: [{ person: 'nobody@example.com' }],
			});

			expect(conversation(sandbox)).toEqual(requests);
			expect(run.error?.name).toBe('NodeOperationError');
			expect(run.error?.message).toBe(
				'Item 0: "Registrant" is not enrolled in this meeting: "nobody@example.com"',
			);
			expect(run.error?.description).toBe(
				'Set Options → "If Not Enrolled" to "Succeed Quietly" to go on when someone is not enrolled.',
			);
		},
	);

	test.each<['externalId' | 'id']>([['externalId'], ['id']])(
		'"Succeed Quietly" (%s): removed false for who is not enrolled, the rest are removed',
		async (mode) => {
			sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
			await enrollBeforehand(sandbox, MEETING_ID, ['ann@example.com']);
			const run = await runOperation(sandbox, {
				parameters: removeParameters(mode, { ifNotEnrolled: 'succeed' }),
				inputItems: [
					{ person: 'nobody@example.com' },
					{ person: 'ann@example.com' },
					{ person: 'ann@example.com' },
				],
			});

			expect(run.status).toBe('success');
			const [nobody, ann, annAgain] = outputOf(run);
			expect(nobody).toEqual({
				json: { meetingId: MEETING_ID, id: 'nobody@example.com', removed: false },
				pairedItem: { item: 0 },
			});
			expect([ann.pairedItem, annAgain.pairedItem]).toEqual([{ item: 1 }, { item: 2 }]);
			// Ann is removed once; for the other of her two rows she is no longer enrolled
			expect([ann.json, annAgain.json]).toEqual(
				expect.arrayContaining([
					{ meetingId: MEETING_ID, id: 'ann@example.com', removed: true },
					{ meetingId: MEETING_ID, id: 'ann@example.com', removed: false },
				]),
			);
			expect(sandbox.registrantsOf(MEETING_ID)).toEqual([]);
		},
	);

	test('"Succeed Quietly" does not hide a meeting without registration', async () => {
		sandbox.createMeeting({ id: MEETING_ID });
		const run = await runOperation(sandbox, {
			parameters: removeParameters('id', { ifNotEnrolled: 'succeed' }),
			inputItems: [{ person: 'ann@example.com' }],
		});

		expect(conversation(sandbox)).toEqual([
			`DELETE ${removePath('ann@example.com')} 404`,
			`GET ${MEETING}/registration 404`,
		]);
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('404');
		expect(run.error?.description).toContain('or external registration is not enabled on it');
	});

	test('an empty registrant is refused before any request', async () => {
		sandbox.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runOperation(sandbox, {
			parameters: removeParameters('externalId'),
			inputItems: [{ person: 'ann@example.com' }, { person: '' }],
		});
		expect(run.error?.message).toBe('Item 1: "Registrant" is empty');
		expect(graphRequests(sandbox)).toHaveLength(0);
	});
});
