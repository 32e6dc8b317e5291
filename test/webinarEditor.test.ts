/**
 * What the editor asks the node for a webinar registration, through n8n-core's
 * LoadOptionsContext against the Graph sandbox: the organizer's webinars for the Webinar
 * list (delegated and app-only) and the chosen webinar's registration questions as fields
 * to map.
 */
import { DEFAULT_ORGANIZER_ID } from './support/lifecycleWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { startSandboxWithAuthority } from './support/lifecycleWorkflow';
import { sandboxFixture } from './support/sandboxFixture';
import {
	APP_ONLY,
	DELEGATED,
	WEBINARS,
	appPrincipalId,
	byRegistrationPage,
	byWebinarId,
	graphConversation,
	prepareWebinarSandbox,
	registrationQuestionFields,
	searchWebinars,
} from './support/webinarWorkflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_ORGANIZER_UPN } = require('../sandbox/graph-sandbox');

const OTHER_ORGANIZER_ID = 'd0c4b7a1-5e2f-4c3b-8a9d-1f0e2d3c4b5a';

let sandbox: GraphSandbox;

sandboxFixture({
	start: startSandboxWithAuthority,
	prepare: prepareWebinarSandbox,
	use: (fresh) => {
		sandbox = fresh;
	},
});

function createWebinars() {
	const launch = sandbox.virtualEvents.createWebinar({
		displayName: 'Product launch',
		startDateTime: '2031-03-04T15:00:00',
	});
	const draft = sandbox.virtualEvents.createWebinar({
		displayName: 'Partner briefing',
		status: 'draft',
		startDateTime: '2031-04-01T09:00:00',
	});
	const recap = sandbox.virtualEvents.createWebinar({
		displayName: 'Launch recap',
		startDateTime: '2031-05-06T17:00:00',
	});
	sandbox.virtualEvents.createWebinar({
		displayName: "Someone else's webinar",
		organizerId: OTHER_ORGANIZER_ID,
	});
	return { launch, draft, recap };
}

const editing = { resource: 'webinarRegistration', operation: 'register' };

describe('Webinar → From List', () => {
	test("delegated: the signed-in organizer's webinars (getByUserRole), named with their day; a draft is marked", async () => {
		const { launch, draft, recap } = createWebinars();
		const found = await searchWebinars(sandbox, { kind: DELEGATED, parameters: editing });

		expect(found).toEqual({
			results: [
				{ name: 'Product launch — 2031-03-04', value: launch.id },
				{ name: 'Partner briefing — 2031-04-01 (draft)', value: draft.id },
				{ name: 'Launch recap — 2031-05-06', value: recap.id },
			],
			paginationToken: undefined,
		});
		expect(graphConversation(sandbox)).toEqual([
			`GET ${WEBINARS}/getByUserRole(role='organizer') 200`,
		]);
	});

	test('the search text filters by name, regardless of case', async () => {
		const { launch, recap } = createWebinars();
		const found = await searchWebinars(sandbox, { kind: DELEGATED, parameters: editing }, 'LAUNCH');
		expect(found.results.map((result) => result.value)).toEqual([launch.id, recap.id]);
	});

	test("Graph's pages: the next-page link is the pagination token, and asking with it gives the next page", async () => {
		const { launch, draft, recap } = createWebinars();
		sandbox.setPageSize(2);
		const first = await searchWebinars(sandbox, { kind: DELEGATED, parameters: editing });
		expect(first.results.map((result) => result.value)).toEqual([launch.id, draft.id]);
		expect(first.paginationToken).toMatch(
			new RegExp(`^${sandbox.url}${WEBINARS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/getByUserRole`),
		);

		const second = await searchWebinars(
			sandbox,
			{ kind: DELEGATED, parameters: editing },
			undefined,
			first.paginationToken,
		);
		expect(second).toEqual({
			results: [{ name: 'Launch recap — 2031-05-06', value: recap.id }],
			paginationToken: undefined,
		});
	});

	test("app-only: the Organizer's webinars (getByUserIdAndRole); a user principal name is resolved first", async () => {
		const { launch } = createWebinars();
		const found = await searchWebinars(
			sandbox,
			{ kind: APP_ONLY, parameters: { ...editing, organizer: DEFAULT_ORGANIZER_UPN } },
			'product',
		);

		expect(found.results).toEqual([{ name: 'Product launch — 2031-03-04', value: launch.id }]);
		expect(graphConversation(sandbox)).toEqual([
			`GET /beta/users/${encodeURIComponent(DEFAULT_ORGANIZER_UPN)}?%24select=id 200`,
			`GET ${WEBINARS}/getByUserIdAndRole(userId='${DEFAULT_ORGANIZER_ID}',role='organizer') 200`,
		]);
	});

	test("app-only without a Teams application access policy: Graph's 403 with the webinar hint", async () => {
		createWebinars();
		for (const app of (sandbox.authority.apps as Map<string, { accessPolicy: boolean }>).values())
			app.accessPolicy = false;
		const call = searchWebinars(sandbox, {
			kind: APP_ONLY,
			parameters: { ...editing, organizer: DEFAULT_ORGANIZER_ID },
		});
		await expect(call).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'No Application Access Policy found for this app. [Forbidden]',
			httpCode: '403',
			description: expect.stringContaining(
				"a Teams application access policy granted to the webinar's organizer",
			),
		});
	});

	test('app-only without VirtualEvent.Read.All: the missing permission is named', async () => {
		createWebinars();
		sandbox.virtualEvents.setPermissions(appPrincipalId(sandbox), [
			'VirtualEventRegistration-Anon.ReadWrite.All',
		]);
		const call = searchWebinars(sandbox, {
			kind: APP_ONLY,
			parameters: { ...editing, organizer: DEFAULT_ORGANIZER_ID },
		});
		await expect(call).rejects.toMatchObject({
			message:
				"Missing role permissions on the request. API requires one of 'VirtualEvent.Read.All'. Roles on the request 'VirtualEventRegistration-Anon.ReadWrite.All'. [Forbidden]",
			description: expect.stringContaining(
				'VirtualEvent.Read.All (webinars, questions, registrations) with admin consent',
			),
		});
	});
});

describe("Registration Questions: the webinar's questions as fields to map", () => {
	const QUESTIONS = [
		{ displayName: 'Job title', label: 'jobTitle', isRequired: true },
		{ displayName: 'What do you want to learn?', answerInputType: 'multilineText' },
		{
			displayName: 'Company size',
			answerInputType: 'singleChoice',
			answerChoices: ['1-50', '51-500', '500+'],
			isRequired: true,
		},
		{
			displayName: 'Topics',
			answerInputType: 'multiChoice',
			answerChoices: ['Pricing', 'Roadmap'],
		},
		{ displayName: 'Send me the recording', answerInputType: 'boolean' },
	];

	test.each([
		['by ID', (webinar: { id: string }) => byWebinarId(webinar.id)],
		[
			'by registration page URL',
			(webinar: { registrationWebUrl: string }) => byRegistrationPage(webinar.registrationWebUrl),
		],
	])(
		'%s: one field per question, typed by its answer type, choices as options, required as the webinar says',
		async (_how, locate) => {
			const webinar = sandbox.virtualEvents.createWebinar({ questions: QUESTIONS });
			const [jobTitle, learn, size, topics, recording] = webinar.questions.map(
				(question: { id: string }) => question.id,
			);
			const mapped = await registrationQuestionFields(sandbox, {
				kind: DELEGATED,
				parameters: { ...editing, webinar: locate(webinar) },
			});

			const common = { defaultMatch: false, canBeUsedToMatch: false, display: true };
			expect(mapped).toEqual({
				fields: [
					{ id: jobTitle, displayName: 'Job title', required: true, type: 'string', ...common },
					{
						id: learn,
						displayName: 'What do you want to learn?',
						required: false,
						type: 'string',
						...common,
					},
					{
						id: size,
						displayName: 'Company size',
						required: true,
						type: 'options',
						options: [
							{ name: '1-50', value: '1-50' },
							{ name: '51-500', value: '51-500' },
							{ name: '500+', value: '500+' },
						],
						...common,
					},
					{
						id: topics,
						displayName: 'Topics',
						required: false,
						type: 'array',
						options: [
							{ name: 'Pricing', value: 'Pricing' },
							{ name: 'Roadmap', value: 'Roadmap' },
						],
						...common,
					},
					{
						id: recording,
						displayName: 'Send me the recording',
						required: false,
						type: 'boolean',
						...common,
					},
				],
				emptyFieldsNotice: 'This webinar asks no registration questions.',
			});
			expect(graphConversation(sandbox)).toEqual([
				`GET ${WEBINARS}/${encodeURIComponent(webinar.id)}/registrationConfiguration/questions 200`,
			]);
		},
	);

	test('no webinar chosen yet: no fields, a notice, no request', async () => {
		const mapped = await registrationQuestionFields(sandbox, {
			kind: DELEGATED,
			parameters: editing,
		});
		expect(mapped).toEqual({
			fields: [],
			emptyFieldsNotice: 'Choose the webinar first: its registration questions appear here.',
		});
		expect(sandbox.requests).toHaveLength(0);
	});

	test('a webinar without questions: no fields', async () => {
		const webinar = sandbox.virtualEvents.createWebinar();
		const mapped = await registrationQuestionFields(sandbox, {
			kind: APP_ONLY,
			parameters: { ...editing, webinar: byWebinarId(webinar.id) },
		});
		expect(mapped.fields).toEqual([]);
	});

	test("a webinar that does not exist: Graph's 404 with the webinar hint", async () => {
		const call = registrationQuestionFields(sandbox, {
			kind: DELEGATED,
			parameters: { ...editing, webinar: byWebinarId('no-such-webinar@tenant') },
		});
		await expect(call).rejects.toMatchObject({
			httpCode: '404',
			description: expect.stringContaining(
				'The webinar was not found. Check the webinar ID or registration page URL',
			),
		});
	});
});
