/**
 * The attendance example (examples/webinar-attendance-followup.json) as committed (only its
 * placeholders replaced) through n8n-core's WorkflowExecute against the Graph sandbox: after
 * the webinar, the attendees are thanked and the registered no-shows get the recording. Filter
 * and Send Email are stand-ins (test/support/standInNodes.ts); the real ones run in the
 * end-to-end tests (test/e2e/2-examples.e2e.js).
 */
import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import { loadPackage, runWorkflow } from './harness';
import type { LoadedPackage, WorkflowInput } from './harness';
import { NODE_TYPE, PACKAGE_DIR } from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { readExample } from './support/examples';
import { DEFAULT_ORGANIZER_ID, startSandboxWithAuthority } from './support/lifecycleWorkflow';
import { sandboxFixture } from './support/sandboxFixture';
import { emailSend, filterNode } from './support/standInNodes';
import type { SentEmail } from './support/standInNodes';
import {
	APP_ONLY,
	WEBINAR_EXAMPLE,
	graphConversation,
	prepareWebinarSandbox,
	webinarPathOf,
} from './support/webinarWorkflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_ORGANIZER_UPN } = require('../sandbox/graph-sandbox');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RECORDING_LINK_PLACEHOLDER } = require('../scripts/example-workflows');

const EXAMPLE_FILE = 'webinar-attendance-followup.json';
const RECORDING_LINK = 'https://recordings.example.com/launch';

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
function loadAttendanceExample(registrationPage: string, organizer: string): WorkflowInput {
	let text = JSON.stringify(readExample(EXAMPLE_FILE));
	for (const [placeholder, value] of [
		[JSON.stringify(WEBINAR_EXAMPLE.registrationPagePlaceholder), JSON.stringify(registrationPage)],
		[JSON.stringify(WEBINAR_EXAMPLE.organizerPlaceholder), JSON.stringify(organizer)],
		// inside the email's text
		[RECORDING_LINK_PLACEHOLDER, RECORDING_LINK],
	]) {
		if (!text.includes(placeholder))
			throw new Error(`${EXAMPLE_FILE} has no placeholder ${placeholder}`);
		text = text.split(placeholder).join(value);
	}
	return JSON.parse(text) as WorkflowInput;
}

test('as committed: Manual Trigger → our node (Event Attendance → Get Attendance Records with no-shows, app-only) → Filter → Send Email', () => {
	const workflow = readExample(EXAMPLE_FILE);
	expect(workflow.nodes.map((node) => node.type)).toEqual([
		'n8n-nodes-base.manualTrigger',
		NODE_TYPE,
		'n8n-nodes-base.filter',
		'n8n-nodes-base.emailSend',
	]);
	const ours = workflow.nodes[1];
	expect(ours.credentials).toEqual({
		microsoftTeamsRegistrationAppOnlyApi: WEBINAR_EXAMPLE.credentialReference,
	});
	expect(ours.parameters).toMatchObject({
		resource: 'eventAttendance',
		operation: 'getRecords',
		sessions: 'all',
		returnAll: true,
		options: { includeNoShows: true },
	});
	const ourFields = new Set(
		(pkg.nodeTypes[NODE_TYPE] as INodeType).description.properties.map(
			(property: INodeProperties) => property.name,
		),
	);
	expect(Object.keys(ours.parameters ?? {}).filter((name) => !ourFields.has(name))).toEqual([]);
	expect(() => loadAttendanceExample('x', 'y')).not.toThrow();
});

test('after the webinar: attendees are thanked, registered no-shows get the recording, the organizer and cancelled registrants get nothing', async () => {
	const webinar = sandbox.virtualEvents.createWebinar({ displayName: 'Product launch' });
	const events = sandbox.virtualEvents;
	const [ada, ben, cleo] = [
		{ firstName: 'Ada', lastName: 'Teams', email: 'ada.teams@example.com' },
		{ firstName: 'Ben', lastName: 'Teams', email: 'ben.teams@example.com' },
		{ firstName: 'Cleo', lastName: 'Teams', email: 'cleo.teams@example.com' },
	].map((person) => events.addTeamsRegistration(webinar.id, person) as IDataObject);
	events.cancelRegistration(webinar.id, ben.id);
	const session = events.addSession(webinar.id, {
		startDateTime: '2031-06-10T15:00:00',
		endDateTime: '2031-06-10T16:00:00',
	});
	const report = events.addAttendanceReport(webinar.id, session.id, {
		meetingStartDateTime: '2031-06-10T15:00:00Z',
		meetingEndDateTime: '2031-06-10T16:00:00Z',
		records: [
			{
				emailAddress: DEFAULT_ORGANIZER_UPN,
				displayName: 'The Organizer',
				userId: DEFAULT_ORGANIZER_ID,
				role: 'Organizer',
				intervals: [
					{ joinDateTime: '2031-06-10T14:55:00Z', leaveDateTime: '2031-06-10T16:01:00Z' },
				],
			},
			{
				emailAddress: ada.email,
				displayName: 'Ada Teams',
				role: 'Attendee',
				registrationId: ada.id,
				intervals: [
					{ joinDateTime: '2031-06-10T15:02:00Z', leaveDateTime: '2031-06-10T15:40:00Z' },
				],
			},
		],
	});
	sandbox.clearLog();
	const outbox: SentEmail[] = [];
	const run = await runWorkflow(
		{
			...pkg,
			nodeTypes: {
				...pkg.nodeTypes,
				'n8n-nodes-base.filter': filterNode,
				'n8n-nodes-base.emailSend': emailSend(outbox),
			},
		},
		loadAttendanceExample(webinar.registrationWebUrl, DEFAULT_ORGANIZER_UPN),
		{ credentials: APP_ONLY.credentials(sandbox) as Record<string, Record<string, unknown>> },
	);

	expect(run.error?.message).toBeUndefined();
	const who = run.outputOf('Who attended').map((item) => item.json);
	expect(who.map((item) => [item.email, item.attended, item.role ?? null])).toEqual([
		[DEFAULT_ORGANIZER_UPN, true, 'Organizer'],
		[ada.email, true, 'Attendee'],
		[cleo.email, false, null],
	]);
	expect(run.outputOf('Attendees and no-shows')).toEqual([
		{ json: who[1], pairedItem: { item: 1 } },
		{ json: who[2], pairedItem: { item: 2 } },
	]);
	expect(outbox).toEqual([
		{
			fromEmail: 'Webinar Team <events@example.com>',
			toEmail: ada.email,
			subject: 'Thank you for joining our webinar',
			text: `Hello Ada Teams,\n\nthank you for joining us. The recording, to watch again or share with your team:\n${RECORDING_LINK}\n\nThe Webinar Team`,
			itemIndex: 0,
		},
		{
			fromEmail: 'Webinar Team <events@example.com>',
			toEmail: cleo.email,
			subject: 'Sorry we missed you: the webinar recording',
			text: `Hello Cleo Teams,\n\nwe missed you at the webinar. Here is the recording, to watch when it suits you:\n${RECORDING_LINK}\n\nThe Webinar Team`,
			itemIndex: 1,
		},
	]);

	const path = webinarPathOf(webinar.id);
	const sessionPath = `${path}/sessions/${encodeURIComponent(String(session.id))}`;
	expect(graphConversation(sandbox)).toEqual([
		// the organizer looked up (as sent: the query's `$` and the UPN's `@` encoded)
		`GET /beta/users/${encodeURIComponent(DEFAULT_ORGANIZER_UPN)}?%24select=id 200`,
		`GET ${path}/sessions 200`,
		`GET ${sessionPath}/attendanceReports 200`,
		`GET ${sessionPath}/attendanceReports/${encodeURIComponent(String(report.id))}/attendanceRecords 200`,
		`GET ${path}/registrations 200`,
	]);
});
