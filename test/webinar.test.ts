/**
 * Webinar registration (Teams virtual events, Graph v1.0) as workflows through n8n-core's
 * WorkflowExecute against the Graph sandbox: register under both permission kinds
 * (delegated 201 with the registration; application 204 and the lookup by email), answers
 * to registration questions checked before anything is sent, get, get many, cancel, and the
 * errors a user meets.
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { sandboxOnVirtualTime } from './support/sandboxFixture';
import type { GraphSandbox } from './support/enrollWorkflow';
import { NODE_NAME } from './support/enrollWorkflow';
import { runOperation, startSandboxWithAuthority } from './support/lifecycleWorkflow';
import type { OperationRun } from './support/lifecycleWorkflow';
import {
	APP_ONLY,
	ATTENDEE,
	ATTENDEE_KIND,
	DELEGATED,
	UNPACED,
	appPrincipalId,
	byEmail,
	byRegistrationId,
	byRegistrationPage,
	byWebinarId,
	fromWebinarList,
	graphConversation,
	prepareWebinarSandbox,
	questionMapping,
	registrationQuestionFields,
	webinarPathOf,
	webinarRequests,
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
const pairingOf = (run: Run) => outputOf(run).map((item) => item.pairedItem);

interface SandboxRegistration {
	id: string;
	email: string;
	status: string;
	userId: string | null;
	registrationQuestionAnswers: IDataObject[];
	externalRegistrationInformation: IDataObject | null;
	registrationDateTime: string;
}
const registrationsOf = (webinarId: string): SandboxRegistration[] =>
	sandbox.virtualEvents.registrationsOf(webinarId);

const QUESTIONS = [
	{ displayName: 'Job title', label: 'jobTitle' },
	{
		displayName: 'Company size',
		answerInputType: 'singleChoice',
		answerChoices: ['1-50', '51-500', '500+'],
		isRequired: true,
	},
	{
		displayName: 'Topics',
		answerInputType: 'multiChoice',
		answerChoices: ['Pricing', 'Roadmap', 'Paris, France'],
	},
	{ displayName: 'Send me the recording', answerInputType: 'boolean' },
];

interface Webinar {
	id: string;
	registrationWebUrl: string;
	questions: Array<{ id: string; displayName: string }>;
}

function createWebinar(params: Record<string, unknown> = {}): Webinar {
	return sandbox.virtualEvents.createWebinar({
		displayName: 'Product launch',
		questions: QUESTIONS,
		...params,
	});
}

const questionId = (webinar: Webinar, displayName: string) =>
	webinar.questions.find((question) => question.displayName === displayName)!.id;

/** The fields the editor got for the webinar: what a saved workflow stores with its answers. */
async function fieldsOf(webinar: Webinar): Promise<ResourceMapperField[]> {
	const { fields } = await registrationQuestionFields(sandbox, {
		kind: DELEGATED,
		parameters: {
			resource: 'webinarRegistration',
			operation: 'register',
			webinar: byWebinarId(webinar.id),
		},
	});
	sandbox.clearLog();
	return fields;
}

async function register(
	webinar: Webinar,
	run: Omit<OperationRun, 'parameters'> & {
		parameters?: Record<string, unknown>;
		answers?: Record<string, unknown>;
	},
) {
	const fields = await fieldsOf(webinar);
	return await runOperation(sandbox, {
		...run,
		parameters: {
			resource: 'webinarRegistration',
			operation: 'register',
			webinar: byWebinarId(webinar.id),
			questionAnswers: questionMapping(fields, run.answers ?? { 'Company size': '51-500' }),
			...UNPACED,
			...run.parameters,
		},
	});
}

/** App-only: the attendee's fields from the input item. */
const attendeeFromItem = {
	firstName: '={{ $json.firstName }}',
	lastName: '={{ $json.lastName }}',
	email: '={{ $json.email }}',
};
const people = [
	{ firstName: 'Ann', lastName: 'Example', email: 'ann@example.com' },
	{ firstName: 'Bob', lastName: 'Example', email: 'bob@example.com' },
	{ firstName: 'Cy', lastName: 'Example', email: 'cy@example.com' },
];

/** App-only: registers Ann, the first of `people`. */
const registerAnn = async (webinar: Webinar) =>
	await register(webinar, {
		kind: APP_ONLY,
		parameters: attendeeFromItem,
		inputItems: people.slice(0, 1),
	});

describe('register, delegated: Graph registers the signed-in account and answers 201 with the registration', () => {
	test('the documented body (time zone, language, answers, external registration information); the registration comes out', async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: ATTENDEE_KIND,
			parameters: {
				preferredTimezone: 'Pacific Standard Time',
				preferredLanguage: 'en-us',
				externalRegistrationId: '={{ $json.crmId }}',
				options: { referrer: 'newsletter' },
			},
			answers: {
				'Job title': 'Engineer',
				'Company size': '51-500',
				Topics: ['Pricing', 'Roadmap'],
				'Send me the recording': true,
			},
			inputItems: [{ crmId: 'crm-4711' }],
		});

		expect(run.error?.message).toBeUndefined();
		const path = `${webinarPathOf(webinar.id)}/registrations`;
		expect(graphConversation(sandbox)).toEqual([
			`GET ${webinarPathOf(webinar.id)}/registrationConfiguration/questions 200`,
			`POST ${path} 201`,
		]);
		const [, post] = webinarRequests(sandbox);
		expect(post.headers['content-type']).toBe('application/json');
		expect(post.rawBody).toBe(
			JSON.stringify({
				preferredTimezone: 'Pacific Standard Time',
				preferredLanguage: 'en-us',
				registrationQuestionAnswers: [
					{ questionId: questionId(webinar, 'Job title'), value: 'Engineer' },
					{ questionId: questionId(webinar, 'Company size'), value: '51-500' },
					{ questionId: questionId(webinar, 'Topics'), multiChoiceValues: ['Pricing', 'Roadmap'] },
					{ questionId: questionId(webinar, 'Send me the recording'), booleanValue: true },
				],
				externalRegistrationInformation: { registrationId: 'crm-4711', referrer: 'newsletter' },
			}),
		);

		const [stored] = registrationsOf(webinar.id);
		expect(stored).toMatchObject({
			userId: ATTENDEE.id,
			email: ATTENDEE.userPrincipalName,
			status: 'registered',
		});
		expect(outputOf(run)).toEqual([
			{
				json: {
					id: stored.id,
					userId: ATTENDEE.id,
					firstName: 'Jane',
					lastName: 'Attendee',
					email: ATTENDEE.userPrincipalName,
					status: 'registered',
					registrationDateTime: stored.registrationDateTime,
					cancelationDateTime: null,
					preferredTimezone: 'Pacific Standard Time',
					preferredLanguage: 'en-us',
					registrationQuestionAnswers: stored.registrationQuestionAnswers,
					externalRegistrationInformation: { referrer: 'newsletter', registrationId: 'crm-4711' },
					webinarId: webinar.id,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test.each([
		[
			'by registration page URL',
			(webinar: Webinar) => byRegistrationPage(`${webinar.registrationWebUrl}?culture=en-us`),
		],
		['from the list', (webinar: Webinar) => fromWebinarList(webinar.id)],
	])('the webinar %s: the same request', async (_how, locate) => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: ATTENDEE_KIND,
			parameters: { webinar: locate(webinar) },
		});
		expect(run.status).toBe('success');
		expect(graphConversation(sandbox).at(-1)).toBe(
			`POST ${webinarPathOf(webinar.id)}/registrations 201`,
		);
		expect(webinarRequests(sandbox).at(-1)?.json).toEqual({
			preferredTimezone: 'UTC',
			preferredLanguage: 'en-us',
			registrationQuestionAnswers: [
				{ questionId: questionId(webinar, 'Company size'), value: '51-500' },
			],
		});
	});

	test("the signed-in person registered already: Graph's 409 with the conflict hint", async () => {
		const webinar = createWebinar();
		await register(webinar, { kind: ATTENDEE_KIND });
		const again = await register(webinar, { kind: ATTENDEE_KIND });

		expect(again.error).toMatchObject({
			name: 'NodeApiError',
			message: 'The registrant is already registered for this webinar. [Conflict]',
			httpCode: '409',
		});
		expect(again.error?.description).toContain(
			'the person most likely holds a registration for this webinar already (check with Operation "Get", By Email)',
		);
		expect(registrationsOf(webinar.id)).toHaveLength(1);
	});

	test('First Name, Last Name and Email are app-only fields: delegated, they are neither read nor sent', async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: ATTENDEE_KIND,
			parameters: { firstName: 'Mallory', lastName: 'X', email: 'not-an-address' },
		});
		expect(run.status).toBe('success');
		expect(Object.keys(webinarRequests(sandbox).at(-1)?.json as object)).toEqual([
			'preferredTimezone',
			'preferredLanguage',
			'registrationQuestionAnswers',
		]);
	});
});

describe('register, app-only: Graph answers 204 No Content; the node finds the new registration by email', () => {
	test("each person's registration comes out with its id and status, paired to its input item", async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: {
				...attendeeFromItem,
				preferredLanguage: 'de-de',
				externalRegistrationId: '={{ $json.email }}',
			},
			inputItems: people,
		});

		expect(run.error?.message).toBeUndefined();
		const stored = registrationsOf(webinar.id);
		expect(
			stored
				.map((registration) => [registration.email, registration.status, registration.userId])
				.sort(),
		).toEqual([
			['ann@example.com', 'registered', null],
			['bob@example.com', 'registered', null],
			['cy@example.com', 'registered', null],
		]);
		const posts = webinarRequests(sandbox).filter((request) => request.method === 'POST');
		expect(posts.map((request) => request.status)).toEqual([204, 204, 204]);
		expect(posts.map((request) => request.rawBody).sort()).toEqual(
			people
				.map((person) =>
					JSON.stringify({
						...person,
						preferredTimezone: 'UTC',
						preferredLanguage: 'de-de',
						registrationQuestionAnswers: [
							{ questionId: questionId(webinar, 'Company size'), value: '51-500' },
						],
						externalRegistrationInformation: { registrationId: person.email },
					}),
				)
				.sort(),
		);
		const idOf = (email: string) => stored.find((registration) => registration.email === email)?.id;
		expect(
			jsonOf(run).map((registration) => [
				registration.email,
				registration.id,
				registration.status,
				registration.webinarId,
			]),
		).toEqual(people.map((person) => [person.email, idOf(person.email), 'registered', webinar.id]));
		expect(pairingOf(run)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(jsonOf(run)[0]).toEqual({
			...stored.find((registration) => registration.email === 'ann@example.com'),
			webinarId: webinar.id,
		});
	});

	test('listings are shared: a listing finds every registration Graph accepted before it started', async () => {
		const webinar = createWebinar();
		// Every answer takes 600 ms and writes go 200 ms apart: the second and third registrations
		// are accepted while the first one's listing runs, and the next listing finds both.
		sandbox.setLatency(600);
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: { ...attendeeFromItem, requestOptions: { maxRequestsPerSecond: 5 } },
			inputItems: people,
		});
		sandbox.setLatency(0);

		expect(run.error?.message).toBeUndefined();
		const path = webinarPathOf(webinar.id);
		expect(graphConversation(sandbox)).toEqual([
			`GET ${path}/registrationConfiguration/questions 200`,
			`POST ${path}/registrations 204`,
			`POST ${path}/registrations 204`,
			`POST ${path}/registrations 204`,
			`GET ${path}/registrations 200`,
			`GET ${path}/registrations 200`,
		]);
		expect(jsonOf(run).map((registration) => registration.email)).toEqual(
			people.map((person) => person.email),
		);
		expect(new Set(jsonOf(run).map((registration) => registration.id)).size).toBe(3);
	});

	test('Register keeps 128 items in flight by default, so one listing finds many registrations', async () => {
		const crowd = Array.from({ length: 40 }, (_, i) => ({
			firstName: 'Guest',
			lastName: String(i),
			email: `guest-${i}@example.com`,
		}));
		const listingsFor = async (requestOptions: Record<string, number>) => {
			sandbox.reset();
			prepareWebinarSandbox(sandbox);
			sandbox.virtualEvents.setWriteLimit(null); // 40 writes: not about Graph's cap here
			sandbox.setLatency(300);
			const webinar = createWebinar();
			const run = await register(webinar, {
				kind: APP_ONLY,
				parameters: { ...attendeeFromItem, requestOptions },
				inputItems: crowd,
			});
			sandbox.setLatency(0);
			expect(run.error?.message).toBeUndefined();
			expect(new Set(jsonOf(run).map((registration) => registration.id)).size).toBe(40);
			return webinarRequests(sandbox).filter(
				(request) => request.method === 'GET' && request.rawPath.endsWith('/registrations'),
			).length;
		};
		// With listings taking 300 ms, 40 registrations at once need a handful; four at a time, many more.
		expect(await listingsFor({ maxRequestsPerSecond: 100 })).toBeLessThanOrEqual(4);
		expect(
			await listingsFor({ maxRequestsPerSecond: 100, maxConcurrency: 4 }),
		).toBeGreaterThanOrEqual(10);
	});

	test('waitlisted and pending approval come out as Graph lists them', async () => {
		const full = createWebinar({ capacity: 1, isWaitlistEnabled: true });
		const waitlisted = await register(full, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			inputItems: people.slice(0, 2),
		});
		// items run concurrently: either may take the one place
		const statusOf = (email: string) =>
			registrationsOf(full.id).find((registration) => registration.email === email)?.status;
		expect(
			jsonOf(waitlisted).map((registration) => [registration.email, registration.status]),
		).toEqual([
			['ann@example.com', statusOf('ann@example.com')],
			['bob@example.com', statusOf('bob@example.com')],
		]);
		expect(
			jsonOf(waitlisted)
				.map((registration) => registration.status)
				.sort(),
		).toEqual(['registered', 'waitlisted']);

		const approval = createWebinar({ isManualApprovalEnabled: true });
		const pending = await register(approval, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			inputItems: people.slice(2),
		});
		expect(jsonOf(pending)).toEqual([
			expect.objectContaining({ email: 'cy@example.com', status: 'pendingApproval' }),
		]);
	});

	test('Graph lists the new registration a moment late: the node looks again', async () => {
		const webinar = createWebinar();
		sandbox.virtualEvents.setListingLag(600);
		const run = await registerAnn(webinar);

		expect(run.error?.message).toBeUndefined();
		const path = webinarPathOf(webinar.id);
		expect(graphConversation(sandbox)).toEqual([
			`GET ${path}/registrationConfiguration/questions 200`,
			`POST ${path}/registrations 204`,
			`GET ${path}/registrations 200`,
			`GET ${path}/registrations 200`,
		]);
		const listings = webinarRequests(sandbox).filter(
			(request) => request.method === 'GET' && request.rawPath.endsWith('/registrations'),
		);
		expect((listings[0].responseBody as { value: unknown[] }).value).toEqual([]);
		expect(listings[1].time - listings[0].time).toBeGreaterThanOrEqual(1000);
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({
				email: 'ann@example.com',
				id: registrationsOf(webinar.id)[0].id,
				status: 'registered',
			}),
		]);
	});

	test('Graph never lists it: an error that says the person is most likely registered, after three lookups', async () => {
		const webinar = createWebinar();
		sandbox.virtualEvents.setListingLag(60_000);
		const run = await registerAnn(webinar);

		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message:
				"Item 0: Microsoft Graph accepted the registration of ann@example.com (204 No Content), but it is not among the webinar's registrations",
			description:
				'The person is most likely registered: Graph did not list the registration after 3 lookups. Check with Operation "Get" (By Email) before registering them again.',
		});
		expect(
			graphConversation(sandbox).filter(
				(line) => line.startsWith('GET') && line.includes('/registrations '),
			),
		).toHaveLength(3);
		expect(registrationsOf(webinar.id)).toHaveLength(1);
	});

	test('a person with an earlier, canceled registration: the new one is found, not the canceled one', async () => {
		const webinar = createWebinar();
		await registerAnn(webinar);
		const [first] = registrationsOf(webinar.id);
		await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				resource: 'webinarRegistration',
				operation: 'cancel',
				webinar: byWebinarId(webinar.id),
				registration: byRegistrationId(first.id),
				...UNPACED,
			},
		});
		const again = await registerAnn(webinar);

		const second = registrationsOf(webinar.id)[1];
		expect(second.id).not.toBe(first.id);
		expect(jsonOf(again)).toEqual([
			expect.objectContaining({ id: second.id, status: 'registered' }),
		]);
	});

	test('missing or malformed attendee fields are refused before any request, naming item and field', async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			inputItems: [people[0], { ...people[1], email: 'bob at example.com' }],
		});
		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Item 1: "Email" is not an email address: "bob at example.com"',
		});
		expect(webinarRequests(sandbox)).toEqual([]);

		const unnamed = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			inputItems: [{ ...people[0], lastName: '' }],
		});
		expect(unnamed.error?.message).toBe('Item 0: "Last Name" is empty');
	});
});

describe('registration questions: answers checked against the question type before anything is sent', () => {
	// Answers come from the input (a form, a CRM) through expressions; n8n itself refuses literal values that do not fit a field.
	const fromItem = {
		'Company size': '={{ $json.size }}',
		Topics: '={{ $json.topics }}',
		'Send me the recording': '={{ $json.recording }}',
		'Job title': '={{ $json.title }}',
	};

	// (every row has all four entries: jest takes a test function with more parameters than the row for a done-callback test)
	test.each<[string, Record<string, unknown>, string, string | undefined]>([
		[
			'a required question unanswered',
			{},
			'"Registration Questions → Company size" is required by the webinar but has no answer',
			undefined,
		],
		[
			'a required question answered with blanks',
			{ size: '  ' },
			'"Registration Questions → Company size" is required by the webinar but has no answer',
			undefined,
		],
		[
			'a single choice that is not one',
			{ size: '10000' },
			'"Registration Questions → Company size" must be one of "1-50", "51-500", "500+", not "10000"',
			undefined,
		],
		[
			'a multiple choice with an unknown choice',
			{ size: '1-50', topics: 'Pricing, Weather' },
			'"Registration Questions → Topics" must be one or more of "Pricing", "Roadmap", "Paris, France"; not a choice: "Weather"',
			'A choice that holds a comma must be given in a list, e.g. ["Paris, France"].',
		],
		[
			'a multiple choice that is not a list',
			{ size: '1-50', topics: { Pricing: true } },
			'"Registration Questions → Topics" must be a list of choices, not {"Pricing":true}',
			undefined,
		],
		[
			'a yes/no question answered otherwise',
			{ size: '1-50', recording: 'maybe' },
			'"Registration Questions → Send me the recording" must be true or false (or yes or no), not "maybe"',
			undefined,
		],
		[
			'a text answer that is an object',
			{ size: '1-50', title: { name: 'Engineer' } },
			'"Registration Questions → Job title" must be text, but its expression resolved to an object',
			undefined,
		],
	])('%s', async (_case, given, problem, description) => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			answers: fromItem,
			inputItems: [{ ...people[0], ...given }],
		});

		expect(run.error).toMatchObject({ name: 'NodeOperationError', message: `Item 0: ${problem}` });
		if (description) expect(run.error?.description).toBe(description);
		expect(sandbox.requests).toEqual([]);
		expect(registrationsOf(webinar.id)).toEqual([]);
	});

	test('answers are normalised: yes/no text, a choice in any case, choices as text, JSON or list', async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			answers: {
				'Company size': '={{ $json.size }}',
				Topics: '={{ $json.topics }}',
				'Send me the recording': '={{ $json.recording }}',
				'Job title': 42,
			},
			inputItems: [
				{ ...people[0], size: '500+', topics: 'roadmap, pricing', recording: 'YES' },
				{ ...people[1], size: '1-50', topics: '["Paris, France"]', recording: 'no' },
				{ ...people[2], size: '51-500', topics: ['Pricing', 'pricing'], recording: false },
			],
		});

		expect(run.error?.message).toBeUndefined();
		const answersOf = (email: string) =>
			registrationsOf(webinar.id).find((registration) => registration.email === email)!
				.registrationQuestionAnswers;
		const q = (name: string) => questionId(webinar, name);
		const sent = (email: string) =>
			webinarRequests(sandbox).find(
				(request) =>
					request.method === 'POST' && (request.json as { email: string }).email === email,
			)!.json;
		expect(sent('ann@example.com')).toMatchObject({
			registrationQuestionAnswers: [
				{ questionId: q('Job title'), value: '42' },
				{ questionId: q('Company size'), value: '500+' },
				{ questionId: q('Topics'), multiChoiceValues: ['Roadmap', 'Pricing'] },
				{ questionId: q('Send me the recording'), booleanValue: true },
			],
		});
		expect(sent('bob@example.com')).toMatchObject({
			registrationQuestionAnswers: expect.arrayContaining([
				{ questionId: q('Topics'), multiChoiceValues: ['Paris, France'] },
				{ questionId: q('Send me the recording'), booleanValue: false },
			]),
		});
		expect(sent('cy@example.com')).toMatchObject({
			registrationQuestionAnswers: expect.arrayContaining([
				{ questionId: q('Topics'), multiChoiceValues: ['Pricing'] },
			]),
		});
		expect(answersOf('ann@example.com')).toHaveLength(4);
	});

	test('every item is checked before the first request: one bad row stops the run with nobody registered', async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			answers: { 'Company size': '={{ $json.size }}' },
			inputItems: [
				{ ...people[0], size: '1-50' },
				{ ...people[1], size: '1-50' },
				{ ...people[2], size: 'huge' },
			],
		});
		expect(run.error?.message).toBe(
			'Item 2: "Registration Questions → Company size" must be one of "1-50", "51-500", "500+", not "huge"',
		);
		expect(sandbox.requests).toEqual([]);
	});

	test('with "Continue On Fail" the bad row becomes an error item; the others are registered', async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			answers: { 'Company size': '={{ $json.size }}' },
			inputItems: [
				{ ...people[0], size: '1-50' },
				{ ...people[1], size: 'huge' },
				{ ...people[2], size: '500+' },
			],
			settings: { onError: 'continueRegularOutput' },
		});

		expect(run.status).toBe('success');
		expect(outputOf(run)[1]).toEqual({
			json: {
				error:
					'Item 1: "Registration Questions → Company size" must be one of "1-50", "51-500", "500+", not "huge"',
			},
			pairedItem: { item: 1 },
		});
		expect([outputOf(run)[0].json.email, outputOf(run)[2].json.email]).toEqual([
			'ann@example.com',
			'cy@example.com',
		]);
		expect(
			registrationsOf(webinar.id)
				.map((registration) => registration.email)
				.sort(),
		).toEqual(['ann@example.com', 'cy@example.com']);
	});

	test("the webinar's questions changed after the mapping was made: checked against Graph's list before sending", async () => {
		const webinar = createWebinar();
		const fields = await fieldsOf(webinar);
		// The organizer replaces the webinar's questions: same webinar id, new question ids, "Company size" no longer asked.
		sandbox.reset();
		prepareWebinarSandbox(sandbox);
		sandbox.virtualEvents.createWebinar({
			id: webinar.id,
			questions: [{ displayName: 'Country', answerInputType: 'text', isRequired: true }],
		});
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				resource: 'webinarRegistration',
				operation: 'register',
				webinar: byWebinarId(webinar.id),
				...attendeeFromItem,
				questionAnswers: questionMapping(fields, { 'Company size': '1-50' }),
				...UNPACED,
			},
			inputItems: people.slice(0, 1),
		});

		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message: `Item 0: "Registration Questions" answers a question the webinar does not have (any more): "${questionId(webinar, 'Company size')}"`,
			description:
				"The webinar's questions changed after the mapping was made: open Registration Questions and refresh the question list.",
		});
		expect(graphConversation(sandbox)).toEqual([
			`GET ${webinarPathOf(webinar.id)}/registrationConfiguration/questions 200`,
		]);
	});

	test("a required question the mapping never saw is still required: Graph's list is checked before sending", async () => {
		const webinar = createWebinar({
			questions: [{ displayName: 'Country', answerInputType: 'text', isRequired: true }],
		});
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				resource: 'webinarRegistration',
				operation: 'register',
				webinar: byWebinarId(webinar.id),
				...attendeeFromItem,
				...UNPACED,
			},
			inputItems: people.slice(0, 1),
		});
		expect(run.error?.message).toBe(
			'Item 0: "Registration Questions → Country" is required by the webinar but has no answer',
		);
		expect(graphConversation(sandbox)).toEqual([
			`GET ${webinarPathOf(webinar.id)}/registrationConfiguration/questions 200`,
		]);
	});

	test("answers saved without the mapping's questions (e.g. a workflow built by hand) are checked against Graph's list alone", async () => {
		const webinar = createWebinar();
		const answers = { [questionId(webinar, 'Company size')]: '={{ $json.size }}' };
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				...operation('register', webinar),
				...attendeeFromItem,
				questionAnswers: { ...questionMapping([], {}), value: answers },
			},
			inputItems: [
				{ ...people[0], size: '1-50' },
				{ ...people[1], size: 'huge' },
			],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(jsonOf(run)[0]).toMatchObject({ email: 'ann@example.com', status: 'registered' });
		expect(jsonOf(run)[1]).toEqual({
			error:
				'Item 1: "Registration Questions → Company size" must be one of "1-50", "51-500", "500+", not "huge"',
		});
		expect(registrationsOf(webinar.id).map((registration) => registration.email)).toEqual([
			'ann@example.com',
		]);
	});

	test('a question of an answer type the node does not know: shown as such, and an answer to it is refused', async () => {
		const webinar = createWebinar({
			questions: [{ displayName: 'Rate us', answerInputType: 'unknownFutureValue' }],
		});
		const fields = await fieldsOf(webinar);
		expect(fields[0]).toMatchObject({
			displayName: 'Rate us (answer type "unknownFutureValue" not supported)',
			type: 'string',
		});
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				resource: 'webinarRegistration',
				operation: 'register',
				webinar: byWebinarId(webinar.id),
				...attendeeFromItem,
				questionAnswers: { ...questionMapping(fields, {}), value: { [fields[0].id]: '5 stars' } },
				...UNPACED,
			},
			inputItems: people.slice(0, 1),
		});
		expect(run.error?.message).toBe(
			'Item 0: "Registration Questions → Rate us" has the answer type "unknownFutureValue", which this node cannot send',
		);
		expect(webinarRequests(sandbox).filter((request) => request.method === 'POST')).toEqual([]);
	});
});

describe('register: input refused before any request', () => {
	test.each<[string, Record<string, unknown>, Record<string, unknown>, string, string | undefined]>(
		[
			[
				'an empty webinar',
				{ webinar: byWebinarId('={{ $json.webinar }}') },
				{ webinar: '' },
				'"Event" is empty',
				undefined,
			],
			[
				'a link in By ID',
				{ webinar: byWebinarId('https://events.teams.microsoft.com/event/x@y') },
				{},
				'"Event" holds a link, not a webinar ID',
				'Choose "By URL" in the Event field to use the link of the webinar\'s registration page.',
			],
			[
				'a URL that is not a registration page',
				{ webinar: byRegistrationPage('={{ $json.webinar }}') },
				{ webinar: 'https://teams.microsoft.com/l/meetup-join/abc' },
				'"Event" is not a webinar registration page URL: "https://teams.microsoft.com/l/meetup-join/abc"',
				'A registration page URL looks like https://events.teams.microsoft.com/event/88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33',
			],
			[
				'an empty time zone',
				{ preferredTimezone: '={{ $json.timeZone }}' },
				{ timeZone: ' ' },
				'"Preferred Time Zone" is empty',
				undefined,
			],
			[
				'an External Registration ID over 256 characters',
				{ externalRegistrationId: '={{ $json.crmId }}' },
				{ crmId: 'x'.repeat(257) },
				'"External Registration ID" is 257 characters long; Microsoft Graph takes at most 256',
				undefined,
			],
		],
	)('%s', async (_case, parameters, item, problem, description) => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: { ...attendeeFromItem, ...parameters },
			inputItems: [{ ...people[0], ...item }],
		});
		expect(run.error).toMatchObject({ name: 'NodeOperationError', message: `Item 0: ${problem}` });
		if (description) expect(run.error?.description).toBe(description);
		expect(sandbox.requests).toEqual([]);
	});

	test('an External Registration ID of exactly 256 characters is sent', async () => {
		const webinar = createWebinar();
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: { ...attendeeFromItem, externalRegistrationId: 'x'.repeat(256) },
			inputItems: people.slice(0, 1),
		});
		expect(run.status).toBe('success');
		expect(registrationsOf(webinar.id)[0].externalRegistrationInformation).toEqual({
			referrer: null,
			registrationId: 'x'.repeat(256),
		});
	});
});

describe("register: Graph's refusals as n8n API errors with a hint", () => {
	test('a webinar that does not exist: 404 when its questions are read, nothing registered', async () => {
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				resource: 'webinarRegistration',
				operation: 'register',
				webinar: byWebinarId('gone@tenant'),
				...attendeeFromItem,
				...UNPACED,
			},
			inputItems: people.slice(0, 1),
		});
		expect(run.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '404',
			message: "The virtual event webinar 'gone@tenant' was not found. [NotFound]",
		});
		expect(run.error?.description).toContain(
			'The webinar was not found. Check the webinar ID or registration page URL',
		);
		expect(run.error?.description).not.toContain('deprecated');
	});

	test('a draft webinar: 400 with the refused-registration hint', async () => {
		const webinar = createWebinar({ status: 'draft' });
		const run = await registerAnn(webinar);
		expect(run.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '400',
			message:
				'Registration is only open for published webinars; this webinar is draft. [BadRequest]',
		});
		expect(run.error?.description).toContain(
			"Microsoft Graph refused the registration. Check the answers to the webinar's registration questions",
		);
	});

	test('delegated without VirtualEvent.ReadWrite: 403 naming the permission, with the delegated hint', async () => {
		const webinar = createWebinar();
		sandbox.virtualEvents.setPermissions(ATTENDEE.id, ['VirtualEvent.Read']);
		const run = await register(webinar, { kind: ATTENDEE_KIND });
		expect(run.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '403',
			message:
				"Missing scope permissions on the request. API requires one of 'VirtualEvent.ReadWrite'. Scopes on the request 'VirtualEvent.Read'. [Forbidden]",
		});
		expect(run.error?.description).toContain(
			'Webinar registration needs the delegated permission VirtualEvent.ReadWrite',
		);
	});

	test('VirtualEventRegistration-Anon.ReadWrite.All is an application permission: a delegated token holding it gains nothing', async () => {
		const webinar = createWebinar();
		sandbox.virtualEvents.setPermissions(ATTENDEE.id, [
			'VirtualEventRegistration-Anon.ReadWrite.All',
		]);
		const run = await register(webinar, { kind: ATTENDEE_KIND });
		expect(run.error).toMatchObject({
			httpCode: '403',
			message: expect.stringContaining(
				"API requires one of 'VirtualEvent.Read, VirtualEvent.ReadWrite'",
			),
		});
	});

	test('app-only without VirtualEventRegistration-Anon.ReadWrite.All: 403 naming it, with the app-only hint', async () => {
		const webinar = createWebinar();
		sandbox.virtualEvents.setPermissions(appPrincipalId(sandbox), ['VirtualEvent.Read.All']);
		// a fresh credential: MSAL keeps a token per credential for the process, issued to the app as registered then
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			inputItems: people.slice(0, 1),
			appOnlyCredentialId: 'webinar-app-permission-test',
		});
		expect(run.error).toMatchObject({
			httpCode: '403',
			message:
				"Missing role permissions on the request. API requires one of 'VirtualEventRegistration-Anon.ReadWrite.All'. Roles on the request 'VirtualEvent.Read.All'. [Forbidden]",
		});
		expect(run.error?.description).toContain(
			'App-only webinar registration needs the application permissions VirtualEventRegistration-Anon.ReadWrite.All (register, cancel)',
		);
		expect(graphConversation(sandbox).at(-1)).toBe(
			`POST ${webinarPathOf(webinar.id)}/registrations 403`,
		);
	});

	test('a Graph failure becomes an error item under "Continue On Fail", with Graph\'s code, message and request ID', async () => {
		const webinar = createWebinar();
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrations',
			kind: 'status',
			status: 409,
			message: 'The webinar has reached its registration capacity.',
		});
		const run = await register(webinar, {
			kind: APP_ONLY,
			parameters: attendeeFromItem,
			inputItems: people.slice(0, 1),
			settings: { onError: 'continueRegularOutput' },
		});
		const [item] = outputOf(run);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			error: 'The webinar has reached its registration capacity. [Conflict]',
			httpCode: '409',
			graphError: {
				code: 'Conflict',
				message: 'The webinar has reached its registration capacity.',
				requestId: expect.any(String),
			},
		});
	});
});

describe('register, app-only: an answer that goes missing', () => {
	/** Graph's 503 with Retry-After on the next registration: it did nothing. */
	const throttleNextRegistration = () =>
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrations',
			kind: 'status',
			status: 503,
			retryAfter: 2,
		});
	const posts = () =>
		graphConversation(sandbox).filter(
			(line) => line.startsWith('POST ') && line.includes('/registrations '),
		);

	test("a 503 with Retry-After (Graph did nothing): the node lists, finds no registration, registers again: one registration, the item's", async () => {
		const webinar = createWebinar();
		throttleNextRegistration();
		const run = await registerAnn(webinar);

		expect(run.error?.message).toBeUndefined();
		const path = webinarPathOf(webinar.id);
		expect(graphConversation(sandbox)).toEqual([
			`GET ${path}/registrationConfiguration/questions 200`,
			`POST ${path}/registrations 503`,
			`GET ${path}/registrations 200`,
			`POST ${path}/registrations 204`,
			`GET ${path}/registrations 200`,
		]);
		const [registration] = registrationsOf(webinar.id);
		expect(registrationsOf(webinar.id)).toHaveLength(1);
		expect(outputOf(run)).toEqual([
			{
				json: expect.objectContaining({ id: registration.id, email: 'ann@example.com' }),
				pairedItem: { item: 0 },
			},
		]);
	});

	test('registered, then the connection dropped before the answer: the listing finds the registration, nothing is sent again', async () => {
		const webinar = createWebinar();
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrations',
			kind: 'dropAfterCommit',
		});
		const run = await registerAnn(webinar);

		expect(run.error?.message).toBeUndefined();
		expect(posts()).toHaveLength(1);
		const [registration] = registrationsOf(webinar.id);
		expect(registrationsOf(webinar.id)).toHaveLength(1);
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({ id: registration.id, email: 'ann@example.com' }),
		]);
	});

	test('registered, answered 504, and Graph lists it only later: sent again, Graph answers 409, and the lookup finds the one registration', async () => {
		const webinar = createWebinar();
		sandbox.virtualEvents.setListingLag(2500);
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrations',
			kind: 'commitThenStatus',
			status: 504,
		});
		const run = await registerAnn(webinar);

		expect(run.error?.message).toBeUndefined();
		const path = webinarPathOf(webinar.id);
		expect(posts()).toEqual([`POST ${path}/registrations 504`, `POST ${path}/registrations 409`]);
		const [registration] = registrationsOf(webinar.id);
		expect(registrationsOf(webinar.id)).toHaveLength(1);
		expect(jsonOf(run)).toEqual([
			expect.objectContaining({ id: registration.id, email: 'ann@example.com' }),
		]);
	});

	test('registered an hour before, and the answer to this attempt lost (a 503 with Retry-After): the item fails as the 409 would have, not with the old registration as its own', async () => {
		const webinar = createWebinar();
		const earlier = sandbox.virtualEvents.addTeamsRegistration(webinar.id, {
			...people[0],
			registrationDateTime: new Date(sandbox.clock.now() - 3_600_000).toISOString(),
		});
		throttleNextRegistration();
		const run = await registerAnn(webinar);

		expect(run.error?.description).toMatch(
			new RegExp(
				`^ann@example\\.com already held a registration for this webinar, made before this item \\(ID ${earlier.id}\\), and the answer to this item's registration was lost: nothing more was registered\\.`,
			),
		);
		expect(posts()).toHaveLength(1);
		expect(registrationsOf(webinar.id).map((registration) => registration.id)).toEqual([
			earlier.id,
		]);
	});

	test('registered before the run and answered 409 on the first attempt: a conflict error, no lookup (the node made nothing)', async () => {
		const webinar = createWebinar();
		await registerPeople(webinar, people.slice(0, 1));
		const run = await registerAnn(webinar);

		expect(run.error).toMatchObject({ httpCode: '409' });
		expect(
			graphConversation(sandbox).filter(
				(line) => line.startsWith('GET') && line.includes('/registrations '),
			),
		).toEqual([]);
	});
});

async function registerPeople(webinar: Webinar, who = people): Promise<SandboxRegistration[]> {
	const run = await register(webinar, {
		kind: APP_ONLY,
		parameters: attendeeFromItem,
		inputItems: who,
	});
	if (run.status !== 'success')
		throw new Error(`registering beforehand failed: ${run.error?.message}`);
	sandbox.clearLog();
	return registrationsOf(webinar.id);
}

const operation = (name: string, webinar: Webinar, parameters: Record<string, unknown> = {}) => ({
	resource: 'webinarRegistration',
	operation: name,
	webinar: byWebinarId(webinar.id),
	...UNPACED,
	...parameters,
});

describe('get', () => {
	test('by registration ID: one GET, the registration out', async () => {
		const webinar = createWebinar();
		const [ann] = await registerPeople(webinar);
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: operation('get', webinar, { registration: byRegistrationId(ann.id) }),
		});

		expect(graphConversation(sandbox)).toEqual([
			`GET ${webinarPathOf(webinar.id)}/registrations/${ann.id} 200`,
		]);
		expect(outputOf(run)).toEqual([
			{ json: { ...ann, webinarId: webinar.id }, pairedItem: { item: 0 } },
		]);
	});

	test("by email: the webinar's registrations are listed once for all items; the address matches regardless of case", async () => {
		const webinar = createWebinar();
		const [ann, bob] = await registerPeople(webinar);
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: operation('get', webinar, { registration: byEmail('={{ $json.email }}') }),
			inputItems: [{ email: 'Bob@Example.com' }, { email: 'ann@example.com' }],
		});

		expect(graphConversation(sandbox)).toEqual([
			`GET ${webinarPathOf(webinar.id)}/registrations 200`,
		]);
		expect(jsonOf(run).map((registration) => registration.id)).toEqual([bob.id, ann.id]);
		expect(pairingOf(run)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('by email, not registered: an error naming item and field', async () => {
		const webinar = createWebinar();
		await registerPeople(webinar, people.slice(0, 1));
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: operation('get', webinar, { registration: byEmail('zed@example.com') }),
		});
		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Item 0: "Registration" is not registered for this webinar: "zed@example.com"',
		});
	});

	test("by registration ID, unknown: Graph's 404 with the registration hint", async () => {
		const webinar = createWebinar();
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: operation('get', webinar, {
				registration: byRegistrationId('no-such-registration'),
			}),
		});
		expect(run.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(run.error?.description).toContain('The registration (or its webinar) was not found.');
	});

	test('an email that is not one is refused before any request', async () => {
		const webinar = createWebinar();
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: operation('get', webinar, { registration: byEmail('ann') }),
		});
		expect(run.error).toMatchObject({
			message: 'Item 0: "Registration" is not an email address: "ann"',
			description: 'Choose "By Registration ID" to name a registration by its ID.',
		});
		expect(sandbox.requests).toEqual([]);
	});

	test("a delegated account that does not organize the webinar may not read others' registrations: 403 with the hint", async () => {
		const webinar = createWebinar();
		await registerPeople(webinar, people.slice(0, 1));
		const run = await runOperation(sandbox, {
			kind: ATTENDEE_KIND,
			parameters: operation('get', webinar, { registration: byEmail('ann@example.com') }),
		});
		expect(run.error).toMatchObject({
			httpCode: '403',
			message: 'Only the organizer and co-organizers of the webinar may do this. [Forbidden]',
		});
		expect(run.error?.description).toContain(
			"also needs the account to be the webinar's organizer or a co-organizer",
		);
	});
});

describe('get many', () => {
	test("Return All follows Graph's pages; every registration, canceled ones included", async () => {
		const webinar = createWebinar();
		const stored = await registerPeople(webinar);
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: operation('getAll', webinar, { returnAll: true }),
		});

		const path = `${webinarPathOf(webinar.id)}/registrations`;
		const conversation = graphConversation(sandbox);
		expect(conversation).toHaveLength(2);
		expect(conversation[0]).toBe(`GET ${path} 200`);
		expect(conversation[1]).toMatch(
			new RegExp(`^GET ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?\\$skiptoken=\\S+ 200$`),
		);
		expect(jsonOf(run)).toEqual(
			stored.map((registration) => ({ ...registration, webinarId: webinar.id })),
		);
		expect(pairingOf(run)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
	});

	test('Limit: no further page once enough are in', async () => {
		const webinar = createWebinar();
		const stored = await registerPeople(webinar);
		sandbox.setPageSize(2);
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: operation('getAll', webinar, { limit: 2 }),
		});
		expect(graphConversation(sandbox)).toHaveLength(1);
		expect(jsonOf(run).map((registration) => registration.id)).toEqual(
			stored.slice(0, 2).map((registration) => registration.id),
		);
	});

	test('a Limit that is not a whole number is refused before any request', async () => {
		const webinar = createWebinar();
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: operation('getAll', webinar, { limit: 2.5 }),
		});
		expect(run.error?.message).toBe('Item 0: "Limit" must be a whole number of 1 or more, not 2.5');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('cancel', () => {
	test('by registration ID: POST …/registrations/{id}/cancel, 204; the registration is canceled', async () => {
		const webinar = createWebinar();
		const [ann] = await registerPeople(webinar);
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: operation('cancel', webinar, { registration: byRegistrationId(ann.id) }),
		});

		expect(graphConversation(sandbox)).toEqual([
			`POST ${webinarPathOf(webinar.id)}/registrations/${ann.id}/cancel 204`,
		]);
		expect(webinarRequests(sandbox)[0].rawBody).toBe('');
		expect(outputOf(run)).toEqual([
			{ json: { webinarId: webinar.id, id: ann.id, canceled: true }, pairedItem: { item: 0 } },
		]);
		expect(registrationsOf(webinar.id)[0]).toMatchObject({
			status: 'canceled',
			cancelationDateTime: expect.any(String),
		});
	});

	test('by email: listed once, each matching registration canceled; a second item for the same person finds nothing left', async () => {
		const webinar = createWebinar();
		const [ann, bob] = await registerPeople(webinar);
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: operation('cancel', webinar, {
				registration: byEmail('={{ $json.email }}'),
				options: { ifNotRegistered: 'succeed' },
			}),
			inputItems: [
				{ email: 'ANN@example.com' },
				{ email: 'bob@example.com' },
				{ email: 'ann@example.com' },
			],
		});

		expect(run.error?.message).toBeUndefined();
		const path = webinarPathOf(webinar.id);
		expect([...graphConversation(sandbox)].sort()).toEqual(
			[
				`GET ${path}/registrations 200`,
				`POST ${path}/registrations/${ann.id}/cancel 204`,
				`POST ${path}/registrations/${bob.id}/cancel 204`,
			].sort(),
		);
		expect(outputOf(run)).toEqual([
			{
				json: { webinarId: webinar.id, id: ann.id, email: 'ann@example.com', canceled: true },
				pairedItem: { item: 0 },
			},
			{
				json: { webinarId: webinar.id, id: bob.id, email: 'bob@example.com', canceled: true },
				pairedItem: { item: 1 },
			},
			{
				json: { webinarId: webinar.id, id: null, email: 'ann@example.com', canceled: false },
				pairedItem: { item: 2 },
			},
		]);
		expect(registrationsOf(webinar.id).map((registration) => registration.status)).toEqual([
			'canceled',
			'canceled',
			'registered',
		]);
	});

	test('by email, only a canceled registration: "If Not Registered" → Fail names item and field', async () => {
		const webinar = createWebinar();
		const [ann] = await registerPeople(webinar, people.slice(0, 1));
		await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: operation('cancel', webinar, { registration: byRegistrationId(ann.id) }),
		});
		sandbox.clearLog();
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: operation('cancel', webinar, { registration: byEmail('ann@example.com') }),
		});

		expect(run.error).toMatchObject({
			name: 'NodeOperationError',
			message:
				'Item 0: "Registration" has no registration to cancel for this webinar: "ann@example.com"',
			description:
				'Set Options → "If Not Registered" to "Succeed Quietly" to go on when someone is not registered.',
		});
		expect(graphConversation(sandbox)).toEqual([
			`GET ${webinarPathOf(webinar.id)}/registrations 200`,
		]);
	});

	test('by registration ID, unknown: Graph\'s 404, then the webinar is read to tell "not registered" from "no webinar"', async () => {
		const webinar = createWebinar();
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: operation('cancel', webinar, {
				registration: byRegistrationId('no-such-registration'),
				options: { ifNotRegistered: 'succeed' },
			}),
		});
		expect(graphConversation(sandbox)).toEqual([
			`POST ${webinarPathOf(webinar.id)}/registrations/no-such-registration/cancel 404`,
			`GET ${webinarPathOf(webinar.id)} 200`,
		]);
		expect(jsonOf(run)).toEqual([
			{ webinarId: webinar.id, id: 'no-such-registration', canceled: false },
		]);
	});

	test('a webinar that does not exist is an error either way, with the webinar hint', async () => {
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: {
				...operation('cancel', { id: 'gone@tenant' } as Webinar),
				registration: byRegistrationId('r-1'),
				options: { ifNotRegistered: 'succeed' },
			},
		});
		expect(run.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(run.error?.description).toContain('The webinar was not found.');
		expect(graphConversation(sandbox).map((line) => line.split(' ')[0])).toEqual(['POST', 'GET']);
	});
});

describe('webinars beside external registration', () => {
	test('external-registration errors point to the migration section; webinar errors do not carry the deprecation note', async () => {
		const meeting = sandbox.createMeeting({ allowedRegistrant: null });
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: {
				resource: 'registrant',
				operation: 'getAll',
				meeting: { __rl: true, mode: 'id', value: meeting.id },
				returnAll: true,
			},
		});
		expect(run.error?.description).toContain(
			'This node registers webinar attendees with Resource "Webinar Registration"; the README section "Migrating to webinar registration" shows how a workflow moves over.',
		);
	});

	test('the organizer field is what app-only webinar calls run under: a user principal name is resolved once', async () => {
		const webinar = createWebinar();
		await registerPeople(webinar, people.slice(0, 1));
		const run = await runOperation(sandbox, {
			kind: APP_ONLY,
			parameters: {
				...operation('getAll', webinar, { returnAll: true }),
				organizer: 'organizer@sandbox.onmicrosoft.com',
			},
			inputItems: [{}, {}],
		});
		expect(run.status).toBe('success');
		expect(graphConversation(sandbox)[0]).toBe(
			'GET /beta/users/organizer%40sandbox.onmicrosoft.com?%24select=id 200',
		);
		expect(graphConversation(sandbox).filter((line) => line.startsWith('GET /beta/'))).toHaveLength(
			1,
		);
	});
});
