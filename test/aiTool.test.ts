/**
 * The node as an AI Agent tool: it converts the way n8n converts `usableAsTool` nodes, and
 * n8n-core builds working tools from it whose descriptions let a model tell "enroll this
 * person", "who is registered" and "cancel this registration" apart.
 */
import { NodeHelpers } from 'n8n-workflow';
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { loadPackage, runWorkflow } from './harness';
import { AGENT_TYPE, asToolNodeType, createToolCallingAgent, fromAI } from './support/aiTool';
import type { SeenTool, ToolCall } from './support/aiTool';
import {
	NODE_TYPE,
	PACKAGE_DIR,
	sandboxCredential,
	startGraphSandbox,
} from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { conversation } from './support/lifecycleWorkflow';
import { sandboxFixture } from './support/sandboxFixture';

const TOOL_TYPE = `${NODE_TYPE}Tool`;

let sandbox: GraphSandbox;
let nodeType: INodeType;

sandboxFixture({
	start: startGraphSandbox,
	use: (fresh) => {
		sandbox = fresh;
	},
});
beforeAll(async () => {
	nodeType = (await loadPackage(PACKAGE_DIR)).nodeTypes[NODE_TYPE] as INodeType;
});

/** The field of an operation as the editor shows it. */
function fieldOf(name: string, operation: string): INodeProperties {
	const field = nodeType.description.properties.find(
		(property) =>
			property.name === name && property.displayOptions?.show?.operation?.includes(operation),
	);
	if (!field) throw new Error(`No field "${name}" for operation "${operation}"`);
	return field;
}

/** Every resource/operation pair of the node, with the operation's option entry. */
function operations() {
	return nodeType.description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.options as Array<{ value: string; action?: string; description?: string }>).map(
				(option) => ({
					resource: String(property.displayOptions?.show?.resource?.[0]),
					operation: option.value,
					option,
				}),
			),
		);
}

describe('the node as a tool', () => {
	test('usable as a tool, with a description that says what it is for', () => {
		expect(nodeType.description.usableAsTool).toBe(true);
		expect(nodeType.description.description).toBe(
			'Enroll attendees into Microsoft Teams meetings with external registration and get their personal join links',
		);
	});

	test('every operation has an action, so "Set Automatically" gives each tool its own description', () => {
		const descriptions = operations().map(({ resource, operation }) =>
			NodeHelpers.makeDescription({ resource, operation }, nodeType.description),
		);
		expect(descriptions).toEqual([
			'Create a meeting in Microsoft Teams Meeting Registration',
			'Get a meeting in Microsoft Teams Meeting Registration',
			'Get attendance records of a meeting in Microsoft Teams Meeting Registration',
			'Get attendance reports of a meeting in Microsoft Teams Meeting Registration',
			'Turn off registration for a whole meeting in Microsoft Teams Meeting Registration',
			'Turn on registration for a meeting in Microsoft Teams Meeting Registration',
			'Get the registration settings of a meeting in Microsoft Teams Meeting Registration',
			'Enroll a person in a meeting and get their personal join link in Microsoft Teams Meeting Registration',
			'Get many registrants of a meeting in Microsoft Teams Meeting Registration',
			'Remove a person from a meeting and cancel their registration in Microsoft Teams Meeting Registration',
			'Cancel a registration for a webinar or town hall in Microsoft Teams Meeting Registration',
			'Get a registration for a webinar or town hall in Microsoft Teams Meeting Registration',
			'Get many registrations for a webinar or town hall in Microsoft Teams Meeting Registration',
			'Register a person for a webinar or town hall in Microsoft Teams Meeting Registration',
			'Get attendance records of a webinar or town hall in Microsoft Teams Meeting Registration',
			'Get sessions of a webinar or town hall in Microsoft Teams Meeting Registration',
		]);
		expect(new Set(descriptions).size).toBe(descriptions.length);
	});
});

describe("an agent using the node's operations as tools", () => {
	const meetingField = () => fieldOf('meeting', 'enroll');
	const meetingArgument = `The Teams meeting join link (https://teams.microsoft.com/l/meetup-join/...) the user gave`;
	const externalIdArgument = `The person's email address; it identifies them in the registration`;

	/** The three tool nodes an organizer would connect, their fields left to the model as n8n's editor does it. */
	function toolNodes() {
		const meeting = { __rl: true, mode: 'url', value: fromAI(meetingField(), meetingArgument) };
		const common = {
			authentication: 'oAuth2',
			descriptionType: 'auto',
			resource: 'registrant',
			meeting,
		};
		return [
			{
				name: 'Enroll attendee',
				parameters: {
					...common,
					operation: 'enroll',
					registrationMode: 'everyone',
					externalId: fromAI(fieldOf('externalId', 'enroll'), externalIdArgument),
					options: { ifAlreadyEnrolled: 'skip' },
				},
			},
			{
				name: 'Registered people',
				parameters: { ...common, operation: 'getAll', returnAll: true },
			},
			{
				name: 'Cancel registration',
				parameters: {
					...common,
					operation: 'remove',
					registrant: {
						__rl: true,
						mode: 'externalId',
						value: fromAI(fieldOf('registrant', 'remove'), externalIdArgument),
					},
					options: { ifNotEnrolled: 'succeed' },
				},
			},
		];
	}

	async function runAgent(calls: ToolCall[]) {
		const pkg = await loadPackage(PACKAGE_DIR);
		const tools = toolNodes();
		const workflow = {
			nodes: [
				{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
				{ name: 'Agent', type: AGENT_TYPE, parameters: {} },
				...tools.map((tool) => ({ ...tool, type: TOOL_TYPE, typeVersion: 1 })),
			],
			connections: {
				'Manual Trigger': { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
				...Object.fromEntries(
					tools.map((tool) => [
						tool.name,
						{ ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
					]),
				),
			},
		};
		const withTools = {
			...pkg,
			nodeTypes: {
				...pkg.nodeTypes,
				[TOOL_TYPE]: asToolNodeType(nodeType),
				[AGENT_TYPE]: createToolCallingAgent(calls),
			},
		};
		const run = await runWorkflow(withTools, workflow, { credentials: sandboxCredential(sandbox) });
		expect(run.error).toBeUndefined();
		const [{ json }] = run.outputOf('Agent');
		return json as unknown as {
			tools: SeenTool[];
			answers: Array<{ tool: string; answer?: unknown; error?: string }>;
		};
	}

	test('the model is offered one tool per operation, named after its node, with described string arguments', async () => {
		const { tools } = await runAgent([]);
		const byName = (a: SeenTool, b: SeenTool) => a.name.localeCompare(b.name);
		expect([...tools].sort(byName)).toEqual(
			(
				[
					{
						name: 'Enroll_attendee',
						description:
							'Enroll a person in a meeting and get their personal join link in Microsoft Teams Meeting Registration',
						arguments: {
							Meeting: { type: 'ZodString', description: meetingArgument },
							External_ID: { type: 'ZodString', description: externalIdArgument },
						},
					},
					{
						name: 'Registered_people',
						description:
							'Get many registrants of a meeting in Microsoft Teams Meeting Registration',
						arguments: { Meeting: { type: 'ZodString', description: meetingArgument } },
					},
					{
						name: 'Cancel_registration',
						description:
							'Remove a person from a meeting and cancel their registration in Microsoft Teams Meeting Registration',
						arguments: {
							Meeting: { type: 'ZodString', description: meetingArgument },
							Registrant: { type: 'ZodString', description: externalIdArgument },
						},
					},
				] as SeenTool[]
			).sort(byName),
		);
	});

	test('enroll this person, who is registered, cancel this registration: each call reaches Graph and answers the model', async () => {
		const meeting = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const { answers } = await runAgent([
			{
				tool: 'Enroll_attendee',
				args: { Meeting: meeting.joinWebUrl, External_ID: 'ann@example.com' },
			},
			{
				tool: 'Enroll_attendee',
				args: { Meeting: meeting.joinWebUrl, External_ID: 'ann@example.com' },
			},
			{ tool: 'Registered_people', args: { Meeting: meeting.joinWebUrl } },
			{
				tool: 'Cancel_registration',
				args: { Meeting: meeting.joinWebUrl, Registrant: 'ann@example.com' },
			},
			{ tool: 'Registered_people', args: { Meeting: meeting.joinWebUrl } },
		]);

		const [enrolled, enrolledAgain, listed, cancelled, listedAfter] = answers;
		expect(enrolled).toEqual({
			tool: 'Enroll_attendee',
			answer: [
				{
					id: 'ann@example.com',
					joinWebUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//),
					userId: null,
					tenantId: null,
					meetingId: meeting.id,
					alreadyEnrolled: false,
					status: 'enrolled',
				},
			],
		});
		const context = JSON.parse(
			new URL((enrolled.answer as Array<{ joinWebUrl: string }>)[0].joinWebUrl).searchParams.get(
				'context',
			) as string,
		);
		expect(context.prid).toBe('ann@example.com');
		// a model that repeats itself does not enroll the person twice, and gets the link this process handed out
		expect(enrolledAgain.answer).toEqual([
			{ ...(enrolled.answer as object[])[0], alreadyEnrolled: true, status: 'alreadyEnrolled' },
		]);
		expect(listed.answer).toEqual([
			{
				id: 'ann@example.com',
				joinWebUrl: null,
				userId: null,
				tenantId: null,
				meetingId: meeting.id,
			},
		]);
		expect(cancelled.answer).toEqual([
			{ meetingId: meeting.id, id: 'ann@example.com', removed: true },
		]);
		expect(listedAfter.answer).toEqual([]);

		const meetingPath = `/beta/me/onlineMeetings/${encodeURIComponent(meeting.id)}`;
		const lookup = `GET /beta/me/onlineMeetings?$filter=JoinWebUrl eq '${meeting.joinWebUrl}' 200`;
		expect(conversation(sandbox)).toEqual([
			lookup,
			`GET ${meetingPath}/registration/registrants 200`,
			`POST ${meetingPath}/registration/registrants 200`,
			// the repeated enrollment: this process enrolled Ann a moment ago, so no listing
			lookup,
			lookup,
			`GET ${meetingPath}/registration/registrants 200`,
			lookup,
			`GET ${meetingPath}/registration/registrants 200`,
			`DELETE ${meetingPath}/registration/registrants/${encodeURIComponent('ann@example.com')} 204`,
			lookup,
			`GET ${meetingPath}/registration/registrants 200`,
		]);
	});

	test("a bad argument reaches the model as the node's own message, and nothing is sent", async () => {
		const meeting = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const { answers } = await runAgent([
			{
				tool: 'Enroll_attendee',
				args: { Meeting: 'https://zoom.us/j/123', External_ID: 'ann@example.com' },
			},
			{ tool: 'Enroll_attendee', args: { Meeting: meeting.joinWebUrl, External_ID: '  ' } },
		]);
		expect(answers.map((answer) => answer.error)).toEqual([
			'Item 0: "Meeting" is not a Teams meeting join link: "https://zoom.us/j/123"\n\nDetails: A join link looks like https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...',
			'Item 0: "External ID" is empty',
		]);
		expect(sandbox.requests).toHaveLength(0);
	});
});
