/**
 * The Microsoft Teams Registration Trigger polled as n8n polls an active workflow (n8n-core's
 * PollContext, the workflow's static data saved and handed back) against the Graph sandbox,
 * under both credentials: the first poll only remembers, registrations made in Teams come out
 * one item each on the next poll (a burst of 30 as 30 items, across pages), cancellations when
 * asked for, state survives a restart, and Graph's errors show with Graph's code and a hint.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { loadPackage } from './harness';

import { sandboxOnVirtualTime } from './support/sandboxFixture';
import type { GraphSandbox } from './support/enrollWorkflow';
import { DEFAULT_DELEGATED_TOKEN, PACKAGE_DIR } from './support/enrollWorkflow';
import { DEFAULT_ORGANIZER_ID, startSandboxWithAuthority } from './support/lifecycleWorkflow';
import type { CredentialKind } from './support/lifecycleWorkflow';
import {
	APP_ONLY,
	DELEGATED,
	byRegistrationPage,
	byWebinarId,
	graphConversation,
	prepareWebinarSandbox,
} from './support/webinarWorkflow';
import { TRIGGER_TYPE, pollTrigger, searchEvents } from './support/triggerWorkflow';
import type { PollRun } from './support/triggerWorkflow';

let sandbox: GraphSandbox;

sandboxOnVirtualTime({
	start: startSandboxWithAuthority,
	prepare: prepareWebinarSandbox,
	use: (fresh) => {
		sandbox = fresh;
	},
});

const WEBINAR_ID = 'f4b39f1c-520e-4e75-805a-4b0f2016a0c6@a1a56d21-a8a6-4a6b-97f8-ced53d30f143';
const TOWNHALL_ID = '0c2e4a6b-8d1f-4b3c-9e5a-7f9b1d3e5a7c@a1a56d21-a8a6-4a6b-97f8-ced53d30f143';
const registrationsPath = (collection: 'webinars' | 'townhalls', id: string) =>
	`/v1.0/solutions/virtualEvents/${collection}/${encodeURIComponent(id)}/registrations`;

const person = (n: number) => ({
	firstName: `Person${n}`,
	lastName: 'Teams',
	email: `person${n}@example.com`,
});

/** A registration made on Teams' own registration page. */
function registerInTeams(eventId: string, n: number): IDataObject {
	return sandbox.virtualEvents.addTeamsRegistration(eventId, person(n)) as IDataObject;
}

/** The item the trigger emits for a registration, as the sandbox holds it now. */
function itemFor(
	eventId: string,
	eventType: 'webinar' | 'townhall',
	registrationId: string,
	change: 'newRegistration' | 'cancellation',
) {
	const stored = (sandbox.virtualEvents.registrationsOf(eventId) as IDataObject[]).find(
		(registration) => registration.id === registrationId,
	);
	if (!stored) throw new Error(`no registration ${registrationId}`);
	return { json: { change, ...stored, eventType, eventId } };
}

const WEBINAR_PARAMETERS = {
	eventType: 'webinar',
	event: byWebinarId(WEBINAR_ID),
	triggerOn: ['newRegistration', 'cancellation'],
};

/** Polls like an active workflow, carrying the static data from poll to poll. */
/** Polls as an active workflow does, keeping the static data between polls; a poll's error is thrown. */
function poller(kind: CredentialKind, parameters: Record<string, unknown> = WEBINAR_PARAMETERS) {
	let staticData: IDataObject | undefined;
	return {
		async poll(extra: Partial<PollRun> = {}) {
			sandbox.clearLog();
			const result = await pollTrigger(sandbox, { kind, parameters, staticData, ...extra });
			staticData = result.staticData;
			// A poll that throws must fail the test, not read as "nothing emitted".
			if (result.error) throw result.error;
			return result;
		},
		get staticData() {
			return staticData;
		},
	};
}

test("n8n loads the trigger from package.json: a polling trigger (Poll Times added), the main node's icon, both credentials", async () => {
	const pkg = await loadPackage(PACKAGE_DIR);
	const { description } = pkg.nodeTypes[TRIGGER_TYPE] as INodeType;
	expect([
		description.name,
		description.group,
		description.polling,
		description.inputs,
		description.outputs,
	]).toEqual(['microsoftTeamsRegistrationTrigger', ['trigger'], true, [], ['main']]);
	expect(description.properties.map((property) => property.name)).toEqual([
		'pollTimes',
		'authentication',
		'organizer',
		'eventType',
		'event',
		'triggerOn',
		'options',
	]);
	expect(description.iconUrl).toEqual({
		light:
			'icons/n8n-nodes-teams-meeting-registration/dist/nodes/MicrosoftTeamsRegistration/microsoftTeamsRegistration.svg',
		dark: 'icons/n8n-nodes-teams-meeting-registration/dist/nodes/MicrosoftTeamsRegistration/microsoftTeamsRegistration.dark.svg',
	});
	expect(
		description.credentials?.map((credential) => [
			credential.name,
			credential.displayOptions?.show?.authentication,
		]),
	).toEqual([
		['microsoftTeamsRegistrationOAuth2Api', ['oAuth2']],
		['microsoftTeamsRegistrationAppOnlyApi', ['appOnly']],
	]);
});

describe.each([DELEGATED, APP_ONLY])('trigger under the $name credential', (kind) => {
	beforeEach(() => {
		sandbox.virtualEvents.createWebinar({ id: WEBINAR_ID, displayName: 'Product launch' });
	});

	test('the first poll lists the registrations, remembers them and emits nothing', async () => {
		const existing = [registerInTeams(WEBINAR_ID, 1), registerInTeams(WEBINAR_ID, 2)];
		const trigger = poller(kind);
		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(first.output).toBeNull();
		expect(graphConversation(sandbox)).toEqual([
			`GET ${registrationsPath('webinars', WEBINAR_ID)} 200`,
		]);
		expect(trigger.staticData).toEqual({
			'node:Teams Registration Trigger': {
				event: `webinar ${WEBINAR_ID}`,
				statuses: {
					[String(existing[0].id)]: 'registered',
					[String(existing[1].id)]: 'registered',
				},
			},
		});
		// nothing new: nothing emitted
		expect((await trigger.poll()).output).toBeNull();
	});

	test('a registration made in Teams comes out as one item on the next poll, once', async () => {
		registerInTeams(WEBINAR_ID, 1);
		const trigger = poller(kind);
		await trigger.poll();
		const made = registerInTeams(WEBINAR_ID, 2);
		const second = await trigger.poll();
		expect(second.error).toBeUndefined();
		expect(graphConversation(sandbox)).toEqual([
			`GET ${registrationsPath('webinars', WEBINAR_ID)} 200`,
		]);
		expect(second.output).toEqual([
			[itemFor(WEBINAR_ID, 'webinar', String(made.id), 'newRegistration')],
		]);
		expect(second.output![0][0].json).toMatchObject({
			change: 'newRegistration',
			email: 'person2@example.com',
			firstName: 'Person2',
			status: 'registered',
			eventType: 'webinar',
			eventId: WEBINAR_ID,
		});
		expect(second.output![0][0].json).not.toHaveProperty('@odata.type');
		expect((await trigger.poll()).output).toBeNull();
	});

	test('a burst of 30 registrations comes out as 30 items, across pages of the listing', async () => {
		sandbox.setPageSize(10);
		const trigger = poller(kind);
		await trigger.poll();
		const burst = Array.from({ length: 30 }, (_, n) => registerInTeams(WEBINAR_ID, n + 1));
		const next = await trigger.poll();
		const path = registrationsPath('webinars', WEBINAR_ID);
		expect(graphConversation(sandbox)).toEqual([
			`GET ${path} 200`,
			`GET ${path}?$skiptoken=b2Zmc2V0OjEw 200`,
			`GET ${path}?$skiptoken=b2Zmc2V0OjIw 200`,
		]);
		expect(next.output).toEqual([
			burst.map((registration) =>
				itemFor(WEBINAR_ID, 'webinar', String(registration.id), 'newRegistration'),
			),
		]);
		expect(
			Object.keys(
				(next.staticData['node:Teams Registration Trigger'] as IDataObject).statuses as IDataObject,
			),
		).toHaveLength(30);
	});

	test('reads that Graph throttles (429, Retry-After) are waited out: the burst still comes out whole', async () => {
		sandbox.setPageSize(10);
		const trigger = poller(kind);
		await trigger.poll();
		const burst = Array.from({ length: 30 }, (_, n) => registerInTeams(WEBINAR_ID, n + 1));
		sandbox.virtualEvents.setReadLimit({ requests: 2, perMs: 30_000 });
		const next = await trigger.poll();
		const path = registrationsPath('webinars', WEBINAR_ID);
		expect(graphConversation(sandbox)).toEqual([
			`GET ${path} 200`,
			`GET ${path}?$skiptoken=b2Zmc2V0OjEw 200`,
			`GET ${path}?$skiptoken=b2Zmc2V0OjIw 429`,
			`GET ${path}?$skiptoken=b2Zmc2V0OjIw 200`,
		]);
		expect(sandbox.requests[2].responseHeaders['Retry-After']).toBe('15');
		expect(next.output![0]).toHaveLength(30);
		expect(next.output![0].map((item) => item.json.id)).toEqual(
			burst.map((registration) => registration.id),
		);
	});

	test('a cancellation comes out when Trigger On includes it, and not otherwise', async () => {
		const ann = registerInTeams(WEBINAR_ID, 1);
		const bob = registerInTeams(WEBINAR_ID, 2);
		const both = poller(kind);
		const newOnly = poller(kind, { ...WEBINAR_PARAMETERS, triggerOn: ['newRegistration'] });
		await both.poll();
		await newOnly.poll();
		sandbox.virtualEvents.cancelRegistration(WEBINAR_ID, String(ann.id));
		const canceled = await both.poll();
		expect(canceled.output).toEqual([
			[itemFor(WEBINAR_ID, 'webinar', String(ann.id), 'cancellation')],
		]);
		expect(canceled.output![0][0].json).toMatchObject({
			status: 'canceled',
			cancelationDateTime: expect.any(String),
		});
		expect((await newOnly.poll()).output).toBeNull();
		// remembered as canceled: not emitted again; a second cancellation is
		expect((await both.poll()).output).toBeNull();
		sandbox.virtualEvents.cancelRegistration(WEBINAR_ID, String(bob.id));
		expect((await both.poll()).output).toEqual([
			[itemFor(WEBINAR_ID, 'webinar', String(bob.id), 'cancellation')],
		]);
	});

	test('the state survives a restart: n8n hands back the saved static data, and only what is new comes out', async () => {
		registerInTeams(WEBINAR_ID, 1);
		const before = poller(kind);
		await before.poll();
		const saved = before.staticData;
		// n8n restarts: a new process (no lanes, no MSAL cache), the workflow's static data from its database
		const made = registerInTeams(WEBINAR_ID, 2);
		const after = await pollTrigger(sandbox, {
			kind,
			parameters: WEBINAR_PARAMETERS,
			staticData: saved,
			appOnlyCredentialId: 'cred-trigger-app-after-restart',
		});
		expect(after.output).toEqual([
			[itemFor(WEBINAR_ID, 'webinar', String(made.id), 'newRegistration')],
		]);
	});

	test('Emit Existing on First Poll emits what the event has (registrations, and cancellations when chosen)', async () => {
		const ann = registerInTeams(WEBINAR_ID, 1);
		const bob = registerInTeams(WEBINAR_ID, 2);
		sandbox.virtualEvents.cancelRegistration(WEBINAR_ID, String(bob.id));
		const trigger = poller(kind, { ...WEBINAR_PARAMETERS, options: { emitExisting: true } });
		const first = await trigger.poll();
		expect(first.output).toEqual([
			[
				itemFor(WEBINAR_ID, 'webinar', String(ann.id), 'newRegistration'),
				itemFor(WEBINAR_ID, 'webinar', String(bob.id), 'cancellation'),
			],
		]);
		expect((await trigger.poll()).output).toBeNull();
	});

	test('town halls: by registration page URL, the same items with eventType townhall', async () => {
		sandbox.virtualEvents.createTownhall({ id: TOWNHALL_ID, displayName: 'All hands' });
		const parameters = {
			eventType: 'townhall',
			event: byRegistrationPage(`https://events.teams.microsoft.com/event/${TOWNHALL_ID}`),
			triggerOn: ['newRegistration'],
		};
		const trigger = poller(kind, parameters);
		await trigger.poll();
		const made = registerInTeams(TOWNHALL_ID, 7);
		const next = await trigger.poll();
		expect(graphConversation(sandbox)).toEqual([
			`GET ${registrationsPath('townhalls', TOWNHALL_ID)} 200`,
		]);
		expect(next.output).toEqual([
			[itemFor(TOWNHALL_ID, 'townhall', String(made.id), 'newRegistration')],
		]);
	});

	test('a manual test run ("Fetch Test Event") shows the latest registration even on the first poll', async () => {
		registerInTeams(WEBINAR_ID, 1);
		const latest = registerInTeams(WEBINAR_ID, 2);
		const manual = await pollTrigger(sandbox, {
			kind,
			parameters: WEBINAR_PARAMETERS,
			mode: 'manual',
		});
		expect(manual.output).toEqual([
			[itemFor(WEBINAR_ID, 'webinar', String(latest.id), 'newRegistration')],
		]);
	});

	test("the Event list shows the organizer's webinars or town halls, by Event Type", async () => {
		sandbox.virtualEvents.createTownhall({
			id: TOWNHALL_ID,
			displayName: 'All hands',
			startDateTime: '2031-07-01T10:00:00',
		});
		const townhalls = await searchEvents(sandbox, { kind, parameters: { eventType: 'townhall' } });
		expect(townhalls).toEqual({
			results: [{ name: 'All hands — 2031-07-01', value: TOWNHALL_ID }],
			paginationToken: undefined,
		});
		const webinars = await searchEvents(
			sandbox,
			{ kind, parameters: { eventType: 'webinar' } },
			'launch',
		);
		expect(webinars.results).toEqual([{ name: 'Product launch — 2031-06-01', value: WEBINAR_ID }]);
		const expected =
			kind.name === 'delegated'
				? "/v1.0/solutions/virtualEvents/townhalls/getByUserRole(role='organizer')"
				: `/v1.0/solutions/virtualEvents/townhalls/getByUserIdAndRole(userId='${DEFAULT_ORGANIZER_ID}',role='organizer')`;
		expect(sandbox.requests.map((request: { rawPath: string }) => request.rawPath)).toContain(
			expected,
		);
	});
});

describe("Graph errors: NodeApiError with Graph's message, code and a hint for the trigger", () => {
	beforeEach(() => {
		sandbox.virtualEvents.createWebinar({ id: WEBINAR_ID });
	});

	test('app-only without an application access policy: 403 with the permission and the policy named', async () => {
		for (const app of (sandbox.authority.apps as Map<string, { accessPolicy: boolean }>).values())
			app.accessPolicy = false;
		const result = await pollTrigger(sandbox, {
			kind: APP_ONLY,
			parameters: WEBINAR_PARAMETERS,
			appOnlyCredentialId: 'cred-trigger-app-no-policy',
		});
		expect(result.error?.constructor.name).toBe('NodeApiError');
		expect(result.error).toMatchObject({
			message: 'No Application Access Policy found for this app. [Forbidden]',
			httpCode: '403',
			description: expect.stringMatching(
				/^Listing a webinar's registrations app-only needs the application permission VirtualEvent\.Read\.All .*Grant-CsApplicationAccessPolicy.* Graph request ID: [0-9a-f-]+\.$/,
			),
		});
		expect(result.staticData).toEqual({});
	});

	test('delegated, an unknown town hall: 404 NotFound with the hint; no token in the error', async () => {
		const result = await pollTrigger(sandbox, {
			kind: DELEGATED,
			parameters: {
				eventType: 'townhall',
				event: byWebinarId('nope@tenant'),
				triggerOn: ['newRegistration'],
			},
		});
		expect(result.error?.constructor.name).toBe('NodeApiError');
		expect(result.error).toMatchObject({
			message: "The virtual event townhall 'nope@tenant' was not found. [NotFound]",
			httpCode: '404',
			description: expect.stringMatching(/^The town hall was not found\. Check the Event Type/),
		});
		expect(
			JSON.stringify({
				...result.error,
				message: result.error?.message,
				stack: result.error?.stack,
			}),
		).not.toContain(DEFAULT_DELEGATED_TOKEN);
	});

	test('bad input is reported before anything is sent', async () => {
		const result = await pollTrigger(sandbox, {
			kind: DELEGATED,
			parameters: { ...WEBINAR_PARAMETERS, event: byRegistrationPage('https://example.com/nope') },
		});
		expect(result.error?.message).toBe(
			'"Event" is not a webinar registration page URL: "https://example.com/nope"',
		);
		expect(graphConversation(sandbox)).toEqual([]);
	});

	test('a bad town hall link is reported as a town hall link', async () => {
		const result = await pollTrigger(sandbox, {
			kind: DELEGATED,
			parameters: {
				...WEBINAR_PARAMETERS,
				eventType: 'townhall',
				event: byRegistrationPage('https://example.com/nope'),
			},
		});
		expect(result.error?.message).toBe(
			'"Event" is not a town hall registration page URL: "https://example.com/nope"',
		);
		expect(graphConversation(sandbox)).toEqual([]);
	});
});
