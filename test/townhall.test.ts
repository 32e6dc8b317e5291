/**
 * Town halls through the Webinar Registration operations (Event Type "Town Hall"), as
 * workflows through n8n-core's WorkflowExecute against the Graph sandbox, under both
 * credentials: register, get, get many, cancel, the registration questions and the Event list
 * for town halls, the exact requests Graph receives, and the errors worded for town halls.
 * Saved workflows without an Event Type stay webinars.
 */
import type { ResourceMapperField } from 'n8n-workflow';

import { sandboxOnVirtualTime } from './support/sandboxFixture';
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
	ATTENDEE,
	ATTENDEE_KIND,
	DELEGATED,
	UNPACED,
	byEmail,
	byRegistrationId,
	byRegistrationPage,
	byWebinarId,
	fromWebinarList,
	graphConversation,
	prepareWebinarSandbox,
	questionMapping,
	registrationQuestionFields,
	searchWebinars,
} from './support/webinarWorkflow';

let sandbox: GraphSandbox;

sandboxOnVirtualTime({
	start: startSandboxWithAuthority,
	prepare: prepareWebinarSandbox,
	use: (fresh) => {
		sandbox = fresh;
	},
});

type Run = Awaited<ReturnType<typeof runOperation>>;
const outputOf = (run: Run) => run.outputOf(NODE_NAME);
const jsonOf = (run: Run) => outputOf(run).map((item) => item.json);

const TOWNHALL_ID = '5d1c4a2b-7e8f-4a9b-8c7d-6e5f4a3b2c1d@f9448ec4-804b-46af-b810-62085248da33';
const TOWNHALLS = '/v1.0/solutions/virtualEvents/townhalls';
const townhallPath = `${TOWNHALLS}/${encodeURIComponent(TOWNHALL_ID)}`;

function createTownhall() {
	return sandbox.virtualEvents.createTownhall({
		id: TOWNHALL_ID,
		displayName: 'All hands',
		startDateTime: '2031-07-01T10:00:00',
		questions: [
			{
				displayName: 'Office',
				answerInputType: 'singleChoice',
				answerChoices: ['Paris', 'Oslo'],
				isRequired: true,
			},
		],
	});
}

const townhall = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'webinarRegistration',
	operation,
	eventType: 'townhall',
	webinar: byWebinarId(TOWNHALL_ID),
	...UNPACED,
	...extra,
});

async function questionFields(kind: CredentialKind): Promise<ResourceMapperField[]> {
	const { fields } = await registrationQuestionFields(sandbox, {
		kind,
		parameters: {
			...townhall('register'),
			...(kind === APP_ONLY ? { organizer: DEFAULT_ORGANIZER_ID } : {}),
		},
	});
	sandbox.clearLog();
	return fields;
}

function registerInTeams(email: string, firstName: string) {
	return sandbox.virtualEvents.addTeamsRegistration(TOWNHALL_ID, {
		firstName,
		lastName: 'Example',
		email,
	});
}

describe('register a person for a town hall', () => {
	test('app-only: the documented body to …/townhalls/{id}/registrations (204), then the registration found by email', async () => {
		createTownhall();
		const fields = await questionFields(APP_ONLY);
		expect(fields.map((field) => field.displayName)).toEqual(['Office']);
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: townhall('register', {
				firstName: '={{ $json.firstName }}',
				lastName: 'Example',
				email: '={{ $json.email }}',
				questionAnswers: questionMapping(fields, { Office: '={{ $json.office }}' }),
				externalRegistrationId: 'crm-1',
			}),
			inputItems: [{ firstName: 'Ann', email: 'ann@example.com', office: 'oslo' }],
		});
		expect(run.error).toBeUndefined();
		expect(graphConversation(sandbox)).toEqual([
			`GET ${townhallPath}/registrationConfiguration/questions 200`,
			`POST ${townhallPath}/registrations 204`,
			`GET ${townhallPath}/registrations 200`,
		]);
		const post = (
			sandbox.requests as Array<{ method: string; rawPath: string; json: unknown }>
		).find(
			(request) => request.method === 'POST' && request.rawPath === `${townhallPath}/registrations`,
		);
		expect(post?.json).toEqual({
			firstName: 'Ann',
			lastName: 'Example',
			email: 'ann@example.com',
			preferredTimezone: 'UTC',
			preferredLanguage: 'en-us',
			registrationQuestionAnswers: [{ questionId: fields[0].id, value: 'Oslo' }],
			externalRegistrationInformation: { registrationId: 'crm-1' },
		});
		const [stored] = sandbox.virtualEvents.registrationsOf(TOWNHALL_ID);
		expect(outputOf(run)).toEqual([
			{
				json: { ...stored, eventType: 'townhall', eventId: TOWNHALL_ID },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('delegated: the signed-in account registers itself (201 with the registration)', async () => {
		createTownhall();
		const fields = await questionFields(DELEGATED);
		const run = await runOperation(sandbox, {
			kind: ATTENDEE_KIND,
			parameters: townhall('register', {
				webinar: byRegistrationPage(`https://events.teams.microsoft.com/event/${TOWNHALL_ID}`),
				questionAnswers: questionMapping(fields, { Office: 'Paris' }),
			}),
		});
		expect(graphConversation(sandbox)).toEqual([
			`GET ${townhallPath}/registrationConfiguration/questions 200`,
			`POST ${townhallPath}/registrations 201`,
		]);
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				email: ATTENDEE.userPrincipalName,
				status: 'registered',
				eventType: 'townhall',
				eventId: TOWNHALL_ID,
			}),
		]);
		expect(jsonOf(run)[0]).not.toHaveProperty('webinarId');
	});

	test('a required question unanswered is refused before any request, naming the town hall', async () => {
		createTownhall();
		const fields = await questionFields(DELEGATED);
		const run = await runOperation(sandbox, {
			kind: ATTENDEE_KIND,
			parameters: townhall('register', {
				questionAnswers: questionMapping(fields, { Office: '={{ $json.office }}' }),
			}),
			inputItems: [{ office: '' }],
		});
		expect(run.error?.message).toBe(
			'Item 0: "Registration Questions → Office" is required by the town hall but has no answer',
		);
		expect(sandbox.requests).toEqual([]);
	});
});

describe.each([
	['delegated', DELEGATED],
	['app-only', APP_ONLY],
])('town hall registrations, %s', (kindName, kind) => {
	test(`${kindName}: get by email, get many, cancel by registration ID; the requests name townhalls`, async () => {
		createTownhall();
		const ann = registerInTeams('ann@example.com', 'Ann');
		const bob = registerInTeams('bob@example.com', 'Bob');

		const get = await runOperation(sandbox, {
			kind,
			parameters: townhall('get', { registration: byEmail('BOB@example.com') }),
		});
		expect(jsonOf(get)).toEqual([{ ...bob, eventType: 'townhall', eventId: TOWNHALL_ID }]);

		const getAll = await runOperation(sandbox, {
			kind,
			parameters: townhall('getAll', { returnAll: true }),
		});
		expect(jsonOf(getAll).map((registration) => registration.id)).toEqual([ann.id, bob.id]);
		expect(outputOf(getAll).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);

		const cancel = await runOperation(sandbox, {
			kind,
			parameters: townhall('cancel', { registration: byRegistrationId(ann.id) }),
		});
		expect(jsonOf(cancel)).toEqual([
			{ eventType: 'townhall', eventId: TOWNHALL_ID, id: ann.id, canceled: true },
		]);
		expect(graphConversation(sandbox)).toEqual([
			`GET ${townhallPath}/registrations 200`,
			`GET ${townhallPath}/registrations 200`,
			`POST ${townhallPath}/registrations/${ann.id}/cancel 204`,
		]);
		expect(sandbox.virtualEvents.registrationsOf(TOWNHALL_ID)[0].status).toBe('canceled');
	});

	test(`${kindName}: cancel by email, not registered: the error says "town hall"`, async () => {
		createTownhall();
		const run = await runOperation(sandbox, {
			kind,
			parameters: townhall('cancel', { registration: byEmail('nobody@example.com') }),
		});
		expect(run.error?.message).toBe(
			'Item 0: "Registration" has no registration to cancel for this town hall: "nobody@example.com"',
		);
	});

	test(`${kindName}: the Event list lists town halls when Event Type is town hall`, async () => {
		createTownhall();
		sandbox.virtualEvents.createWebinar({ displayName: 'Product launch' });
		const result = await searchWebinars(sandbox, {
			kind,
			parameters: {
				...townhall('getAll'),
				webinar: fromWebinarList(''),
				...(kind === APP_ONLY ? { organizer: DEFAULT_ORGANIZER_ID } : {}),
			},
		});
		expect(result).toEqual({
			results: [{ name: 'All hands — 2031-07-01', value: TOWNHALL_ID }],
			paginationToken: undefined,
		});
		const path =
			kind === DELEGATED
				? `${TOWNHALLS}/getByUserRole(role='organizer')`
				: `${TOWNHALLS}/getByUserIdAndRole(userId='${DEFAULT_ORGANIZER_ID}',role='organizer')`;
		expect(
			(sandbox.requests as Array<{ rawPath: string }>).map((request) =>
				decodeURIComponent(request.rawPath),
			),
		).toContain(path);
	});

	test(`${kindName}: an unknown town hall: Graph's 404 with the town hall hint`, async () => {
		const run = await runOperation(sandbox, {
			kind,
			parameters: {
				...townhall('getAll', { returnAll: true }),
				webinar: byWebinarId('gone@tenant'),
			},
		});
		expect(run.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(run.error?.description).toMatch(/^The town hall was not found\. Check the town hall ID/);
	});
});

test('app-only without an application access policy: 403 with the town hall hint naming the policy', async () => {
	createTownhall();
	for (const app of (sandbox.authority.apps as Map<string, { accessPolicy: boolean }>).values())
		app.accessPolicy = false;
	const run = await runOperation(sandbox, {
		kind: APP_ONLY,
		parameters: townhall('getAll', { returnAll: true }),
		appOnlyCredentialId: 'townhall-no-policy',
	});
	expect(run.error).toMatchObject({
		name: 'NodeApiError',
		httpCode: '403',
		message: 'No Application Access Policy found for this app. [Forbidden]',
	});
	expect(run.error?.description).toMatch(
		/^App-only town hall registration needs .*Teams application access policy granted to the town hall's organizer: New-CsApplicationAccessPolicy/,
	);
});

test('a registration page URL that is not one is refused before any request, saying "town hall"', async () => {
	const run = await runOperation(sandbox, {
		kind: DELEGATED,
		parameters: {
			...townhall('getAll'),
			webinar: byRegistrationPage('={{ $json.url }}'),
		},
		inputItems: [{ url: 'https://teams.microsoft.com/l/meetup-join/abc' }],
	});
	expect(run.error?.message).toBe(
		'Item 0: "Event" is not a town hall registration page URL: "https://teams.microsoft.com/l/meetup-join/abc"',
	);
	expect(sandbox.requests).toEqual([]);
});

test('a saved workflow without Event Type is a webinar, as before', async () => {
	const webinar = sandbox.virtualEvents.createWebinar({ displayName: 'Product launch' });
	const run = await runOperation(sandbox, {
		kind: DELEGATED,
		parameters: {
			resource: 'webinarRegistration',
			operation: 'getAll',
			webinar: byWebinarId(webinar.id),
			returnAll: true,
		},
	});
	expect(run.error).toBeUndefined();
	expect(graphConversation(sandbox)).toEqual([
		`GET /v1.0/solutions/virtualEvents/webinars/${encodeURIComponent(webinar.id)}/registrations 200`,
	]);
});
