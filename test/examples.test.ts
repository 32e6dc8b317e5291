/**
 * The example workflows in examples/ run as committed (only the meeting placeholder is
 * replaced) through n8n-core's WorkflowExecute against the Graph sandbox. The other nodes
 * are stand-ins (test/support/standInNodes.ts): the real Form Trigger, Send Email, Schedule
 * Trigger, HubSpot and Compare Datasets nodes run in the end-to-end tests in a real n8n
 * (`npm run test:e2e`).
 */
import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import { loadPackage, runWorkflow } from './harness';
import type { LoadedPackage, WorkflowInput } from './harness';
import {
	NODE_TYPE,
	PACKAGE_DIR,
	sandboxCredential,
	startGraphSandbox,
} from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { EXAMPLES, TEAMS_CREDENTIAL_REFERENCE, loadExample, readExample } from './support/examples';
import { conversation, enrollBeforehand } from './support/lifecycleWorkflow';
import {
	compareDatasets,
	emailSend,
	formTrigger,
	hubspotContactSearch,
	scheduleTrigger,
} from './support/standInNodes';
import type { SentEmail } from './support/standInNodes';
import { sandboxFixture } from './support/sandboxFixture';

let sandbox: GraphSandbox;
let pkg: LoadedPackage;

sandboxFixture({
	start: startGraphSandbox,
	prepare: (fresh) => fresh.setPageSize(100),
	use: (fresh) => {
		sandbox = fresh;
	},
});
beforeAll(async () => {
	pkg = await loadPackage(PACKAGE_DIR);
});

async function runExample(workflow: WorkflowInput, standIns: Record<string, INodeType>) {
	const withStandIns = { ...pkg, nodeTypes: { ...pkg.nodeTypes, ...standIns } };
	return await runWorkflow(withStandIns, workflow, { credentials: sandboxCredential(sandbox) });
}

describe('the examples as committed', () => {
	test.each(Object.values(EXAMPLES))(
		'%s: real node types, our credential reference, only parameters our node has',
		(file) => {
			const workflow = readExample(file);
			const teamsNodes = workflow.nodes.filter((node) => node.type === NODE_TYPE);
			expect(teamsNodes.length).toBeGreaterThan(0);
			for (const node of workflow.nodes.filter((candidate) => candidate.type !== NODE_TYPE)) {
				expect(node.type).toMatch(
					/^n8n-nodes-base\.(formTrigger|emailSend|scheduleTrigger|hubspot|compareDatasets)$/,
				);
			}
			const ourFields = new Set(
				(pkg.nodeTypes[NODE_TYPE] as INodeType).description.properties.map(
					(property: INodeProperties) => property.name,
				),
			);
			for (const node of teamsNodes) {
				expect(node.credentials).toEqual({
					microsoftTeamsRegistrationOAuth2Api: TEAMS_CREDENTIAL_REFERENCE,
				});
				expect(Object.keys(node.parameters ?? {}).filter((name) => !ourFields.has(name))).toEqual(
					[],
				);
			}
		},
	);
});

describe('Form Trigger → Enroll → Send Email with the personal join link', () => {
	test('each submission is enrolled and gets an email with their own join link', async () => {
		const meeting = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const outbox: SentEmail[] = [];
		const submissions = [
			{
				Name: 'Ann Example',
				Email: 'ann@example.com',
				submittedAt: '2031-05-01T08:00:00.000+02:00',
				formMode: 'production',
			},
			{
				Name: 'Bob Example',
				Email: 'bob@example.com',
				submittedAt: '2031-05-01T08:01:00.000+02:00',
				formMode: 'production',
			},
		];
		const run = await runExample(loadExample(EXAMPLES.formEnrollEmail, meeting.joinWebUrl), {
			'n8n-nodes-base.formTrigger': formTrigger(submissions),
			'n8n-nodes-base.emailSend': emailSend(outbox),
		});

		expect(run.error?.message).toBeUndefined();
		expect(run.status).toBe('success');
		const registrants: Array<{ id: string; joinWebUrl: string }> = sandbox.registrantsOf(
			meeting.id,
		);
		expect(registrants.map((registrant) => registrant.id).sort()).toEqual([
			'ann@example.com',
			'bob@example.com',
		]);
		const linkOf = (email: string) =>
			registrants.find((registrant) => registrant.id === email)?.joinWebUrl;
		expect(outbox).toEqual(
			submissions.map(({ Name, Email }, itemIndex) => ({
				fromEmail: 'Webinar Team <events@example.com>',
				toEmail: Email,
				subject: 'Your personal link to join the webinar',
				text: `Hello ${Name},\n\nyou are registered. Join the webinar with your personal link:\n${linkOf(Email)}\n\nThis link is yours alone; please do not forward it.`,
				itemIndex,
			})),
		);
		expect(run.outputOf('Enroll in Teams meeting').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
	});
});

describe('Schedule → list registrants → compare with CRM → remove cancelled', () => {
	test('registrants who cancelled in the CRM are removed; the others, and CRM contacts never enrolled, are left alone', async () => {
		const meeting = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, meeting.id, [
			'ann@example.com',
			'bob@example.com',
			'cy@example.com',
			'dee@example.com',
		]);
		sandbox.setPageSize(3);
		const hubspotRow = (id: string, email: string) => ({
			id,
			properties: { email, webinar_registration_status: 'cancelled', hs_object_id: id },
			createdAt: '2031-04-01T10:00:00.000Z',
			updatedAt: '2031-05-20T10:00:00.000Z',
			archived: false,
		});
		const searches: IDataObject[] = [];
		const run = await runExample(
			loadExample(EXAMPLES.reconcileCrmCancellations, meeting.joinWebUrl),
			{
				'n8n-nodes-base.scheduleTrigger': scheduleTrigger(),
				'n8n-nodes-base.hubspot': hubspotContactSearch(
					[
						hubspotRow('501', 'bob@example.com'),
						hubspotRow('502', 'never@example.com'),
						hubspotRow('503', 'dee@example.com'),
					],
					searches,
				),
				'n8n-nodes-base.compareDatasets': compareDatasets,
			},
		);

		expect(run.error?.message).toBeUndefined();
		expect(run.status).toBe('success');
		expect(searches).toEqual([
			{
				filterGroupsUi: {
					filterGroupsValues: [
						{
							filtersUi: {
								filterValues: [
									{
										propertyName: 'webinar_registration_status|enumeration',
										operator: 'EQ',
										value: 'cancelled',
									},
								],
							},
						},
					],
				},
				additionalFields: { properties: ['email', 'webinar_registration_status'] },
			},
		]);
		expect(run.outputOf('List registrants')).toHaveLength(4);
		expect(run.outputOf('Remove cancelled registrants').map((item) => item.json)).toEqual([
			{ meetingId: meeting.id, id: 'bob@example.com', removed: true },
			{ meetingId: meeting.id, id: 'dee@example.com', removed: true },
		]);
		expect(
			sandbox.registrantsOf(meeting.id).map((registrant: { id: string }) => registrant.id),
		).toEqual(['ann@example.com', 'cy@example.com']);

		const meetingPath = `/beta/me/onlineMeetings/${encodeURIComponent(meeting.id)}`;
		const [lookup, firstPage, secondPage, ...deletes] = conversation(sandbox);
		expect(lookup).toBe(
			`GET /beta/me/onlineMeetings?$filter=JoinWebUrl eq '${meeting.joinWebUrl}' 200`,
		);
		expect(firstPage).toBe(`GET ${meetingPath}/registration/registrants 200`);
		expect(secondPage).toMatch(
			new RegExp(
				`^GET ${meetingPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/registration/registrants\\?\\$skiptoken=\\S+ 200$`,
			),
		);
		expect(deletes.sort()).toEqual([
			`DELETE ${meetingPath}/registration/registrants/${encodeURIComponent('bob@example.com')} 204`,
			`DELETE ${meetingPath}/registration/registrants/${encodeURIComponent('dee@example.com')} 204`,
		]);
	});

	test('a CRM with no cancellations removes nobody', async () => {
		const meeting = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		await enrollBeforehand(sandbox, meeting.id, ['ann@example.com']);
		const run = await runExample(
			loadExample(EXAMPLES.reconcileCrmCancellations, meeting.joinWebUrl),
			{
				'n8n-nodes-base.scheduleTrigger': scheduleTrigger(),
				'n8n-nodes-base.hubspot': hubspotContactSearch([], []),
				'n8n-nodes-base.compareDatasets': compareDatasets,
			},
		);
		expect(run.error?.message).toBeUndefined();
		expect(run.status).toBe('success');
		expect(run.outputOf('Remove cancelled registrants')).toEqual([]);
		expect(sandbox.registrantCount(meeting.id, 'ann@example.com')).toBe(1);
		expect(conversation(sandbox).filter((line) => line.startsWith('DELETE'))).toEqual([]);
	});
});
