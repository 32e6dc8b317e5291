/**
 * The webinar example (examples/form-register-webinar.json), the webinar counterpart of
 * form-enroll-email.json, runs as committed (only its placeholders replaced) through
 * n8n-core's WorkflowExecute against the Graph sandbox, at the node's default pace. Form
 * Trigger and Send Email are stand-ins (test/support/standInNodes.ts).
 */
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { loadPackage, runWorkflow } from './harness';
import type { LoadedPackage } from './harness';
import { NODE_TYPE, PACKAGE_DIR } from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { readExample } from './support/examples';
import { startSandboxWithAuthority } from './support/lifecycleWorkflow';
import { sandboxFixture } from './support/sandboxFixture';
import { emailSend, formTrigger } from './support/standInNodes';
import type { SentEmail } from './support/standInNodes';
import {
	APP_ONLY,
	WEBINAR_EXAMPLE,
	graphConversation,
	loadWebinarExample,
	prepareWebinarSandbox,
	webinarPathOf,
} from './support/webinarWorkflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_ORGANIZER_UPN } = require('../sandbox/graph-sandbox');

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

test('as committed: real node types, the app-only credential reference, only parameters our node has, both placeholders', () => {
	const workflow = readExample(WEBINAR_EXAMPLE.file);
	const teamsNode = workflow.nodes.find((node) => node.type === NODE_TYPE)!;
	const others = workflow.nodes.filter((node) => node !== teamsNode);
	expect(others.map((node) => node.type).sort()).toEqual([
		'n8n-nodes-base.emailSend',
		'n8n-nodes-base.formTrigger',
	]);
	expect(teamsNode.credentials).toEqual({
		microsoftTeamsRegistrationAppOnlyApi: WEBINAR_EXAMPLE.credentialReference,
	});
	const ourFields = new Set(
		(pkg.nodeTypes[NODE_TYPE] as INodeType).description.properties.map(
			(property: INodeProperties) => property.name,
		),
	);
	expect(Object.keys(teamsNode.parameters ?? {}).filter((name) => !ourFields.has(name))).toEqual(
		[],
	);
	// throws if a placeholder is missing
	expect(() => loadWebinarExample('x', 'y')).not.toThrow();
});

test('Form Trigger → Register (app-only) → Send Email: each person is registered and told their status', async () => {
	const webinar = sandbox.virtualEvents.createWebinar({
		displayName: 'Product launch',
		capacity: 1,
		isWaitlistEnabled: true,
	});
	const outbox: SentEmail[] = [];
	const submissions = [
		{
			'First name': 'Ann',
			'Last name': 'Example',
			Email: 'ann@example.com',
			submittedAt: '2031-05-01T08:00:00.000+02:00',
			formMode: 'production',
		},
		{
			'First name': 'Bob',
			'Last name': 'Example',
			Email: 'bob@example.com',
			submittedAt: '2031-05-01T08:01:00.000+02:00',
			formMode: 'production',
		},
	];
	const workflow = loadWebinarExample(webinar.registrationWebUrl, DEFAULT_ORGANIZER_UPN);
	const withStandIns = {
		...pkg,
		nodeTypes: {
			...pkg.nodeTypes,
			'n8n-nodes-base.formTrigger': formTrigger(submissions),
			'n8n-nodes-base.emailSend': emailSend(outbox),
		},
	};
	const run = await runWorkflow(withStandIns, workflow, {
		credentials: APP_ONLY.credentials(sandbox) as Record<string, Record<string, unknown>>,
	});

	expect(run.error?.message).toBeUndefined();
	const registrations: Array<{
		id: string;
		email: string;
		status: string;
		externalRegistrationInformation: unknown;
	}> = sandbox.virtualEvents.registrationsOf(webinar.id);
	const registrationOf = (email: string) =>
		registrations.find((registration) => registration.email === email)!;
	expect(registrations.map((registration) => registration.status).sort()).toEqual([
		'registered',
		'waitlisted',
	]);
	expect(registrationOf('ann@example.com').externalRegistrationInformation).toEqual({
		registrationId: 'ann@example.com',
		referrer: 'website form',
	});

	const statusLine = {
		registered: 'you are registered for the webinar.',
		waitlisted: 'the webinar is full: you are on its waitlist.',
	} as Record<string, string>;
	expect(outbox).toEqual(
		submissions.map((submission, itemIndex) => ({
			fromEmail: 'Webinar Team <events@example.com>',
			toEmail: submission.Email,
			subject: 'Your webinar registration',
			text: `Hello ${submission['First name']},\n\n${statusLine[registrationOf(submission.Email).status]}\nMicrosoft Teams sends your personal join link to this address.\n\nYour registration: ${registrationOf(submission.Email).id}`,
			itemIndex,
		})),
	);
	expect(run.outputOf('Register for Teams webinar').map((item) => item.pairedItem)).toEqual([
		{ item: 0 },
		{ item: 1 },
	]);

	const path = webinarPathOf(webinar.id);
	expect(graphConversation(sandbox)).toEqual([
		`GET /beta/users/${encodeURIComponent(DEFAULT_ORGANIZER_UPN)}?%24select=id 200`,
		`GET ${path}/registrationConfiguration/questions 200`,
		// Writes wait in Graph's webinar-write lane (one every 2 s); the listing that finds each
		// registration Graph accepted with 204 goes in the read lane right after it.
		`POST ${path}/registrations 204`,
		`GET ${path}/registrations 200`,
		`POST ${path}/registrations 204`,
		`GET ${path}/registrations 200`,
	]);
});
