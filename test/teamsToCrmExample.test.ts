/**
 * The CRM example (examples/teams-registrations-to-crm.json) as committed (only its
 * placeholders replaced): its Microsoft Teams Registration Trigger polled as n8n polls an
 * active workflow (n8n-core's PollContext, the workflow's static data carried from poll to
 * poll; test/support/triggerWorkflow.ts), and each poll that emits items running the rest of
 * the workflow with them through n8n-core's WorkflowExecute, as n8n starts an execution with
 * a poll's items. HubSpot is a stand-in (test/support/standInNodes.ts); the real HubSpot node
 * and the real trigger run in the end-to-end tests (test/e2e/2-examples.e2e.js,
 * test/e2e/6-registration-trigger.e2e.js).
 */
import type { IDataObject, INodeExecutionData, INodeProperties, INodeType } from 'n8n-workflow';

import { loadPackage, runWorkflow } from './harness';
import type { LoadedPackage, WorkflowInput } from './harness';
import { PACKAGE_DIR } from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { readExample } from './support/examples';
import { startSandboxWithAuthority } from './support/lifecycleWorkflow';
import { sandboxFixture } from './support/sandboxFixture';
import { hubspotContactUpsert } from './support/standInNodes';
import type { CrmUpsert } from './support/standInNodes';
import { TRIGGER_TYPE, pollTrigger } from './support/triggerWorkflow';
import {
	APP_ONLY,
	WEBINAR_EXAMPLE,
	graphConversation,
	prepareWebinarSandbox,
	webinarPathOf,
} from './support/webinarWorkflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_ORGANIZER_UPN } = require('../sandbox/graph-sandbox');

const EXAMPLE_FILE = 'teams-registrations-to-crm.json';
const TRIGGER_NAME = 'On Teams registration or cancellation';
const CRM_NODE = 'Create or update CRM contact';

let sandbox: GraphSandbox;
let pkg: LoadedPackage;

sandboxFixture({
	start: startSandboxWithAuthority,
	prepare: prepareWebinarSandbox,
	use: (fresh) => {
		sandbox = fresh;
	},
});
beforeAll(async () => {
	pkg = await loadPackage(PACKAGE_DIR);
});

/** The example with its placeholders replaced, as a user fills them in after importing. */
function loadCrmExample(registrationPage: string, organizer: string): WorkflowInput {
	let text = JSON.stringify(readExample(EXAMPLE_FILE));
	for (const [placeholder, value] of [
		[WEBINAR_EXAMPLE.registrationPagePlaceholder, registrationPage],
		[WEBINAR_EXAMPLE.organizerPlaceholder, organizer],
	]) {
		if (!text.includes(JSON.stringify(placeholder)))
			throw new Error(`${EXAMPLE_FILE} has no placeholder ${placeholder}`);
		text = text.split(JSON.stringify(placeholder)).join(JSON.stringify(value));
	}
	return JSON.parse(text) as WorkflowInput;
}

/** The example's trigger polled like an active workflow, and an execution for each poll that emits. */
function activeWorkflow(workflow: WorkflowInput, crm: Array<{ vid: number; email: string }>) {
	const trigger = workflow.nodes.find((node) => node.type === TRIGGER_TYPE)!;
	let staticData: IDataObject | undefined;
	return {
		upserts: [] as CrmUpsert[],
		/** One poll; when it emits, the execution n8n would start with its items. */
		async poll() {
			sandbox.clearLog();
			const polled = await pollTrigger(sandbox, {
				kind: APP_ONLY,
				parameters: trigger.parameters as Record<string, unknown>,
				staticData,
			});
			if (polled.error) throw polled.error;
			staticData = polled.staticData;
			const graph = graphConversation(sandbox);
			if (polled.output === null) return { emitted: null, graph, upserts: [], execution: null };
			const upserts: CrmUpsert[] = [];
			const execution = await runWorkflow(
				{
					...pkg,
					nodeTypes: {
						...pkg.nodeTypes,
						'n8n-nodes-base.hubspot': hubspotContactUpsert(crm, upserts),
					},
				},
				// the trigger's items start the execution (n8n does not poll again for it)
				{ ...workflow, pinData: { [trigger.name]: polled.output[0] } },
				{ credentials: APP_ONLY.credentials(sandbox) as Record<string, Record<string, unknown>> },
			);
			return { emitted: polled.output[0], graph, upserts, execution };
		},
	};
}

/** What the trigger emits for a registration the sandbox holds. */
function triggerItem(webinarId: string, registrationId: string): INodeExecutionData {
	const registration = (sandbox.virtualEvents.registrationsOf(webinarId) as IDataObject[]).find(
		(candidate) => candidate.id === registrationId,
	)!;
	return {
		json: {
			change: registration.status === 'canceled' ? 'cancellation' : 'newRegistration',
			...registration,
			eventType: 'webinar',
			eventId: webinarId,
		},
	};
}

/** The create-or-update n8n's HubSpot node sends for a trigger item. */
function upsertFor({ json }: INodeExecutionData, itemIndex: number): CrmUpsert {
	return {
		email: json.email as string,
		properties: [
			{ property: 'firstname', value: json.firstName as string },
			{ property: 'lastname', value: json.lastName as string },
			{
				property: 'webinar_registration_status',
				value: json.change === 'cancellation' ? 'cancelled' : (json.status as string),
			},
			{ property: 'webinar_registration_id', value: json.id as string },
		],
		itemIndex,
	};
}

test('as committed: our trigger (app-only) → the HubSpot node, only parameters the trigger has, both placeholders', () => {
	const workflow = readExample(EXAMPLE_FILE);
	expect(workflow.nodes.map((node) => [node.name, node.type])).toEqual([
		[TRIGGER_NAME, TRIGGER_TYPE],
		[CRM_NODE, 'n8n-nodes-base.hubspot'],
	]);
	const trigger = workflow.nodes[0];
	expect(trigger.credentials).toEqual({
		microsoftTeamsRegistrationAppOnlyApi: WEBINAR_EXAMPLE.credentialReference,
	});
	const triggerFields = new Set(
		(pkg.nodeTypes[TRIGGER_TYPE] as INodeType).description.properties.map(
			(property: INodeProperties) => property.name,
		),
	);
	expect(Object.keys(trigger.parameters ?? {}).filter((name) => !triggerFields.has(name))).toEqual(
		[],
	);
	expect(trigger.parameters).toMatchObject({
		pollTimes: { item: [{ mode: 'everyMinute' }] },
		triggerOn: ['newRegistration', 'cancellation'],
		options: { emitExisting: true },
	});
	expect(workflow.connections).toEqual({
		[TRIGGER_NAME]: { main: [[{ node: CRM_NODE, type: 'main', index: 0 }]] },
	});
	expect(() => loadCrmExample('x', 'y')).not.toThrow();
});

test('registrations made in Teams reach the CRM: the existing ones on the first poll, then each new registration and cancellation once', async () => {
	const webinar = sandbox.virtualEvents.createWebinar({ displayName: 'Product launch' });
	const ann = sandbox.virtualEvents.addTeamsRegistration(webinar.id, {
		firstName: 'Ann',
		lastName: 'Example',
		email: 'ann@example.com',
	});
	// the CRM knows Ann already (contact 501)
	const crm = [{ vid: 501, email: 'ann@example.com' }];
	const active = activeWorkflow(
		loadCrmExample(webinar.registrationWebUrl, DEFAULT_ORGANIZER_UPN),
		crm,
	);
	const listing = `GET ${webinarPathOf(webinar.id)}/registrations 200`;

	// first poll (Emit Existing on First Poll): Ann, who registered before the workflow was active
	const first = await active.poll();
	expect(first.graph).toEqual([listing]);
	expect(first.emitted).toEqual([triggerItem(webinar.id, ann.id)]);
	expect(first.execution?.error?.message).toBeUndefined();
	expect(first.upserts).toEqual(first.emitted!.map(upsertFor));
	expect(first.execution!.outputOf(CRM_NODE)).toEqual([
		{ json: { vid: 501, isNew: false }, pairedItem: { item: 0 } },
	]);

	// nothing new: no execution
	const quiet = await active.poll();
	expect([quiet.graph, quiet.emitted, quiet.execution]).toEqual([[listing], null, null]);

	// in Teams: Bob and Cy register, Ann cancels
	const bob = sandbox.virtualEvents.addTeamsRegistration(webinar.id, {
		firstName: 'Bob',
		lastName: 'Example',
		email: 'bob@example.com',
	});
	const cy = sandbox.virtualEvents.addTeamsRegistration(webinar.id, {
		firstName: 'Cy',
		lastName: 'Example',
		email: 'cy@example.com',
		status: 'waitlisted',
	});
	sandbox.virtualEvents.cancelRegistration(webinar.id, ann.id);
	const next = await active.poll();
	expect(next.graph).toEqual([listing]);
	// in Graph's listing order: Ann's cancellation, Bob, Cy
	expect(next.emitted).toEqual([
		triggerItem(webinar.id, ann.id),
		triggerItem(webinar.id, bob.id),
		triggerItem(webinar.id, cy.id),
	]);
	expect(next.emitted!.map(({ json }) => [json.email, json.change, json.status])).toEqual([
		['ann@example.com', 'cancellation', 'canceled'],
		['bob@example.com', 'newRegistration', 'registered'],
		['cy@example.com', 'newRegistration', 'waitlisted'],
	]);
	expect(next.execution?.error?.message).toBeUndefined();
	expect(next.upserts).toEqual(next.emitted!.map(upsertFor));
	expect(next.upserts.map(({ properties }) => properties[2].value)).toEqual([
		'cancelled',
		'registered',
		'waitlisted',
	]);
	expect(next.execution!.outputOf(CRM_NODE).map((item) => item.json)).toEqual([
		{ vid: 501, isNew: false },
		{ vid: 502, isNew: true },
		{ vid: 503, isNew: true },
	]);
	// the example itself sends nothing else to Graph
	expect(graphConversation(sandbox)).toEqual([listing]);

	expect((await active.poll()).emitted).toBeNull();
});
