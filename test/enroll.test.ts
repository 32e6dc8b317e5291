import {
	DEFAULT_DELEGATED_TOKEN,
	NODE_NAME,
	byId,
	byJoinLink,
	runNode,
	sandboxCredential,
	startGraphSandbox,
} from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { sandboxOnVirtualTime } from './support/sandboxFixture';

const CONTRACT_MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';
const REGISTRANTS_PATH = `/beta/me/onlineMeetings/${CONTRACT_MEETING_ID}/registration/registrants`;

let sandbox: GraphSandbox;

sandboxOnVirtualTime({
	start: startGraphSandbox,
	use: (fresh) => {
		sandbox = fresh;
	},
});

function enrollParameters(overrides: Record<string, unknown> = {}) {
	return {
		authentication: 'oAuth2',
		resource: 'registrant',
		operation: 'enroll',
		meeting: byId(CONTRACT_MEETING_ID),
		registrationMode: 'everyone',
		externalId: '={{ $json.externalId }}',
		...overrides,
	};
}

function registrantPosts() {
	return sandbox.requests.filter(
		(r: { method: string; rawPath: string }) =>
			r.method === 'POST' && r.rawPath.endsWith('/registrants'),
	);
}

describe("the contract's examples, byte for byte", () => {
	test('Example 1: allowedRegistrant everyone sends only @odata.type and id', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: '9d96988d-a66a-46ce-aad7-0b245615b297' }],
		});

		expect(run.status).toBe('success');
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request.method).toBe('POST');
		expect(request.rawPath).toBe(REGISTRANTS_PATH);
		expect(request.rawQuery).toBe('');
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_DELEGATED_TOKEN}`);
		expect(request.headers['content-type']).toMatch(/^application\/json\b/);
		expect(request.rawBody).toBe(
			'{"@odata.type":"#microsoft.graph.externalMeetingRegistrant","id":"9d96988d-a66a-46ce-aad7-0b245615b297"}',
		);

		const [item] = run.outputOf(NODE_NAME);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(item.json).sort()).toEqual([
			'id',
			'joinWebUrl',
			'meetingId',
			'tenantId',
			'userId',
		]);
		expect(item.json).toMatchObject({
			id: '9d96988d-a66a-46ce-aad7-0b245615b297',
			meetingId: CONTRACT_MEETING_ID,
			userId: null,
			tenantId: null,
		});
		const joinWebUrl = String(item.json.joinWebUrl);
		expect(joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
		const context = JSON.parse(new URL(joinWebUrl).searchParams.get('context') as string);
		expect(context).toMatchObject({ prid: '9d96988d-a66a-46ce-aad7-0b245615b297', isPublic: true });
		expect(
			sandbox.registrantsOf(CONTRACT_MEETING_ID).map((r: { joinWebUrl: string }) => r.joinWebUrl),
		).toEqual([joinWebUrl]);
	});

	test('Example 2: allowedRegistrant organization adds tenantId and userId', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'organization' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters({
				registrationMode: 'organization',
				tenantId: '={{ $json.tenantId }}',
				userId: '={{ $json.userId }}',
			}),
			inputItems: [
				{
					externalId: '30494ab7-7338-4592-bfec-a4333be2a0a6',
					tenantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
					userId: 'cc515404-b55c-466e-b896-992c918ecc01',
				},
			],
		});

		expect(run.status).toBe('success');
		const [request] = sandbox.requests;
		expect(request.method).toBe('POST');
		expect(request.rawPath).toBe(REGISTRANTS_PATH);
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_DELEGATED_TOKEN}`);
		expect(request.headers['content-type']).toMatch(/^application\/json\b/);
		expect(request.rawBody).toBe(
			'{"@odata.type":"#microsoft.graph.externalMeetingRegistrant","id":"30494ab7-7338-4592-bfec-a4333be2a0a6","tenantId":"909c6581-5130-43e9-88f3-fcb3582cde37","userId":"cc515404-b55c-466e-b896-992c918ecc01"}',
		);
		const [item] = run.outputOf(NODE_NAME);
		// The request is authoritative: the contract's Example 2 response swaps these two.
		expect(item.json).toMatchObject({
			id: '30494ab7-7338-4592-bfec-a4333be2a0a6',
			tenantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
			userId: 'cc515404-b55c-466e-b896-992c918ecc01',
			meetingId: CONTRACT_MEETING_ID,
		});
		const context = JSON.parse(
			new URL(String(item.json.joinWebUrl)).searchParams.get('context') as string,
		);
		expect(context).toMatchObject({
			prid: '30494ab7-7338-4592-bfec-a4333be2a0a6',
			isPublic: false,
		});
	});

	test('"Return Raw Response" gives Graph\'s answer unchanged, OData fields included', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ options: { rawResponse: true } }),
			inputItems: [{ externalId: 'crm-1' }],
		});
		const [item] = run.outputOf(NODE_NAME);
		expect(item.json).toEqual(sandbox.requests[0].responseBody);
		expect(item.json['@odata.type']).toBe('#microsoft.graph.externalMeetingRegistrant');
		expect(String(item.json['@odata.context'])).toContain('/registration/registrants/$entity');
	});
});

describe('many items', () => {
	test('30 items through expressions: one request each, outputs in input order, each paired to its input', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const inputItems = Array.from({ length: 30 }, (_, i) => ({
			contact: { email: `attendee${i}@example.com` },
		}));
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ externalId: '={{ $json.contact.email }}' }),
			inputItems,
		});

		expect(run.status).toBe('success');
		const posts = registrantPosts();
		// Items run concurrently: requests may arrive in any order, outputs may not.
		expect(posts.map((r: { json: { id: string } }) => r.json.id).sort()).toEqual(
			inputItems.map((i) => i.contact.email).sort(),
		);
		const output = run.outputOf(NODE_NAME);
		expect(output).toHaveLength(30);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.id).toBe(`attendee${i}@example.com`);
			const context = JSON.parse(
				new URL(String(item.json.joinWebUrl)).searchParams.get('context') as string,
			);
			expect(context.prid).toBe(`attendee${i}@example.com`);
		});
		expect(new Set(output.map((item) => item.json.joinWebUrl)).size).toBe(30);
	});

	test('a number from a CRM is sent as text', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: 4711 }],
		});
		expect(run.status).toBe('success');
		expect(registrantPosts()[0].json).toEqual({
			'@odata.type': '#microsoft.graph.externalMeetingRegistrant',
			id: '4711',
		});
	});
});

describe('finding the meeting', () => {
	test('a join link is resolved once per distinct link per execution', async () => {
		const first = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const second = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const inputItems = [first, second, first, second, first].map((meeting, i) => ({
			link: meeting.joinWebUrl,
			externalId: `p${i}`,
		}));
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ meeting: byJoinLink('={{ $json.link }}') }),
			inputItems,
		});

		expect(run.status).toBe('success');
		const lookups = sandbox.requests.filter(
			(r: { method: string; rawPath: string }) =>
				r.method === 'GET' && r.rawPath === '/beta/me/onlineMeetings',
		);
		expect(lookups).toHaveLength(2);
		expect(lookups.map((r: { query: Record<string, string> }) => r.query.$filter)).toEqual([
			`JoinWebUrl eq '${first.joinWebUrl}'`,
			`JoinWebUrl eq '${second.joinWebUrl}'`,
		]);
		expect(sandbox.registrantsOf(first.id)).toHaveLength(3);
		expect(sandbox.registrantsOf(second.id)).toHaveLength(2);
		expect(run.outputOf(NODE_NAME).map((item) => item.json.meetingId)).toEqual([
			first.id,
			second.id,
			first.id,
			second.id,
			first.id,
		]);
	});

	test('a join link that names no meeting of the organizer is an error for that item, naming the field', async () => {
		const run = await runNode(sandbox, {
			parameters: enrollParameters({
				meeting: byJoinLink(
					'https://teams.microsoft.com/l/meetup-join/19%3ameeting_unknown%40thread.v2/0?context=%7b%7d',
				),
			}),
			inputItems: [{ externalId: 'p1' }],
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(
			'Item 0: "Meeting" names no meeting of this organizer: Microsoft Graph found no meeting with this join link',
		);
		expect(registrantPosts()).toHaveLength(0);
	});

	test('a meeting id holding / + = ? # stays one path segment', async () => {
		const id = 'MSo1/ab+cd=?x#y==';
		sandbox.createMeeting({ id, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ meeting: byId(id) }),
			inputItems: [{ externalId: 'p1' }],
		});

		expect(run.status).toBe('success');
		const [request] = sandbox.requests;
		expect(request.rawPath).toBe(
			'/beta/me/onlineMeetings/MSo1%2Fab%2Bcd%3D%3Fx%23y%3D%3D/registration/registrants',
		);
		expect(request.rawQuery).toBe('');
		expect(sandbox.registrantsOf(id)).toHaveLength(1);
		expect(run.outputOf(NODE_NAME)[0].json.meetingId).toBe(id);
	});
});

describe('auto-detected registration mode', () => {
	test('reads the registration once per meeting, then sends what it asks for', async () => {
		const everyone = sandbox.createMeeting({ allowedRegistrant: 'everyone' });
		const organization = sandbox.createMeeting({ allowedRegistrant: 'organization' });
		const tenantId = '909c6581-5130-43e9-88f3-fcb3582cde37';
		const inputItems = Array.from({ length: 6 }, (_, i) => ({
			meetingId: i % 2 === 0 ? everyone.id : organization.id,
			externalId: `p${i}`,
			tenantId,
			userId: `cc515404-b55c-466e-b896-992c918ecc0${i}`,
		}));
		const run = await runNode(sandbox, {
			parameters: enrollParameters({
				meeting: byId('={{ $json.meetingId }}'),
				registrationMode: 'auto',
				tenantId: '={{ $json.tenantId }}',
				userId: '={{ $json.userId }}',
			}),
			inputItems,
		});

		expect(run.status).toBe('success');
		const registrationReads = sandbox.requests.filter(
			(r: { method: string; rawPath: string }) =>
				r.method === 'GET' && r.rawPath.endsWith('/registration'),
		);
		expect(registrationReads).toHaveLength(2);
		const bodies = new Map(
			registrantPosts().map((r: { json: { id: string } }) => [r.json.id, r.json]),
		);
		expect(bodies.size).toBe(6);
		expect(bodies.get('p0')).toEqual({
			'@odata.type': '#microsoft.graph.externalMeetingRegistrant',
			id: 'p0',
		});
		expect(bodies.get('p1')).toEqual({
			'@odata.type': '#microsoft.graph.externalMeetingRegistrant',
			id: 'p1',
			tenantId,
			userId: 'cc515404-b55c-466e-b896-992c918ecc01',
		});
		expect(run.outputOf(NODE_NAME)).toHaveLength(6);
	});

	test('a meeting that allows organizations but an item without a user ID fails that item, naming the field', async () => {
		const organization = sandbox.createMeeting({ allowedRegistrant: 'organization' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters({
				meeting: byId(organization.id),
				registrationMode: 'auto',
				tenantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
				userId: '',
			}),
			inputItems: [{ externalId: 'p0' }],
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(
			'Item 0: "User ID" is required: the meeting allows registrants from an organization',
		);
		expect(registrantPosts()).toHaveLength(0);
	});

	test("a meeting without registration gives Graph's 404 with the hint", async () => {
		const plain = sandbox.createMeeting({ allowedRegistrant: null });
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ meeting: byId(plain.id), registrationMode: 'auto' }),
			inputItems: [{ externalId: 'p0' }],
		});
		expect(run.status).toBe('error');
		expect(run.error?.httpCode).toBe('404');
		expect(run.error?.description).toContain('registration is not enabled on it');
	});
});

describe('bad input is refused before any request, naming the item and the field', () => {
	const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, string]> = [
		['empty external id', {}, { externalId: '' }, 'Item 1: "External ID" is empty'],
		['whitespace external id', {}, { externalId: '   ' }, 'Item 1: "External ID" is empty'],
		[
			'external id resolving to an object',
			{},
			{ externalId: { email: 'x@example.com' } },
			'Item 1: "External ID" must be text, but its expression resolved to an object',
		],
		[
			'external id resolving to an array',
			{},
			{ externalId: ['a', 'b'] },
			'Item 1: "External ID" must be text, but its expression resolved to an array',
		],
		[
			'organization mode without tenant id',
			{
				registrationMode: 'organization',
				tenantId: '={{ $json.tenantId }}',
				userId: 'cc515404-b55c-466e-b896-992c918ecc01',
			},
			{ externalId: 'p', tenantId: '' },
			'Item 1: "Tenant ID" is required when the meeting allows registrants from an organization',
		],
		[
			'organization mode with a user id that is no GUID',
			{
				registrationMode: 'organization',
				tenantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
				userId: '={{ $json.userId }}',
			},
			{ externalId: 'p', userId: 'jane@contoso.com' },
			'Item 1: "User ID" must be a GUID such as 909c6581-5130-43e9-88f3-fcb3582cde37, not "jane@contoso.com"',
		],
		[
			'empty meeting',
			{ meeting: byId('={{ $json.meeting }}') },
			{ externalId: 'p', meeting: '' },
			'Item 1: "Meeting" is empty',
		],
		[
			'join link that is not a Teams link',
			{ meeting: byJoinLink('={{ $json.meeting }}') },
			{ externalId: 'p', meeting: 'https://zoom.us/j/123' },
			'Item 1: "Meeting" is not a Teams meeting join link: "https://zoom.us/j/123"',
		],
		[
			'registration mode set by expression to a label, not a value',
			{
				registrationMode: '={{ $json.mode ?? "everyone" }}',
				tenantId: '={{ $json.tenantId }}',
				userId: '={{ $json.userId }}',
			},
			{ externalId: 'p', mode: 'Everyone' },
			'Item 1: "Registration Mode" must be one of "everyone", "organization", "auto", not "Everyone"',
		],
		[
			'"If Already Enrolled" set by expression to an unknown value',
			{ options: { ifAlreadyEnrolled: '={{ $json.onDuplicate ?? "skip" }}' } },
			{ externalId: 'p', onDuplicate: 'ignore' },
			'Item 1: "If Already Enrolled" must be one of "enrollAgain", "skip", "error", "replace", not "ignore"',
		],
		[
			'a link in the ID mode',
			{ meeting: byId('={{ $json.meeting }}') },
			{ externalId: 'p', meeting: 'https://teams.microsoft.com/l/meetup-join/x' },
			'Item 1: "Meeting" holds a link, not a meeting ID',
		],
	];

	test.each(cases)('%s', async (_name, parameterOverrides, badItem, message) => {
		const { joinWebUrl } = sandbox.createMeeting({
			id: CONTRACT_MEETING_ID,
			allowedRegistrant: 'everyone',
		});
		const meetingMode = (parameterOverrides.meeting as { mode?: string } | undefined)?.mode;
		const good = {
			externalId: 'good',
			meeting: meetingMode === 'url' ? joinWebUrl : CONTRACT_MEETING_ID,
			tenantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
			userId: 'cc515404-b55c-466e-b896-992c918ecc01',
		};
		const run = await runNode(sandbox, {
			parameters: enrollParameters(parameterOverrides),
			inputItems: [good, { ...good, ...badItem }, good],
		});

		expect(run.status).toBe('error');
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	test("a choice whose expression resolves to nothing keeps the field's default", async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ options: { ifAlreadyEnrolled: '={{ $json.onDuplicate }}' } }),
			inputItems: [{ externalId: 'a' }, { externalId: 'a' }],
		});

		expect(run.status).toBe('success');
		// "Enroll Again", the default: two registrations, each with its own link
		expect(registrantPosts().map((r: { json: { id: string } }) => r.json.id)).toEqual(['a', 'a']);
	});

	test('with "Continue On Fail" the bad item becomes an error item paired to it and the others go through', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			settings: { onError: 'continueRegularOutput' },
			inputItems: [{ externalId: 'a' }, { externalId: ' ' }, { externalId: 'c' }],
		});

		expect(run.status).toBe('success');
		const output = run.outputOf(NODE_NAME);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.id).toBe('a');
		expect(output[1].json).toEqual({ error: 'Item 1: "External ID" is empty' });
		expect(output[2].json.id).toBe('c');
		expect(registrantPosts().map((r: { json: { id: string } }) => r.json.id)).toEqual(['a', 'c']);
	});
});

/** The contract's meeting, whose next enrollment Graph refuses with 403. */
function meetingForbiddingTheFirstEnrollment() {
	sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
	sandbox.injectFault({
		method: 'POST',
		pathIncludes: '/registrants',
		kind: 'status',
		status: 403,
		code: 'Forbidden',
		message: 'Forbidden by policy.',
	});
}

describe('Graph failures', () => {
	test("400 on registrants: Graph's code and message, the mode-mismatch hint and the deprecation note", async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'organization' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: 'p' }],
		});

		expect(run.status).toBe('error');
		const error = run.error!;
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('400');
		const graphAnswer = sandbox.requests[0].responseBody.error;
		expect(error.message).toBe(`${graphAnswer.message} [${graphAnswer.code}]`);
		expect(error.description).toContain(
			'meetings that allow "organization" need the registrant\'s Tenant ID and User ID',
		);
		expect(error.description).toContain('deprecated the external meeting registration API');
		expect(error.description).toContain(
			`Graph request ID: ${graphAnswer.innerError['request-id']}`,
		);
	});

	test('404 for an unknown meeting', async () => {
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ meeting: byId('no-such-meeting') }),
			inputItems: [{ externalId: 'p' }],
		});
		expect(run.error?.httpCode).toBe('404');
		const graphAnswer = sandbox.requests[0].responseBody.error;
		expect(run.error?.message).toBe(`${graphAnswer.message} [${graphAnswer.code}]`);
		expect(run.error?.description).toContain(
			'The meeting was not found for this organizer, or external registration is not enabled on it',
		);
	});

	test('401: n8n renews the token with the refresh token and the request goes through once', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		sandbox.addRefreshToken('refresh-token-1', DEFAULT_DELEGATED_TOKEN);
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: 'p' }],
			credentials: sandboxCredential(sandbox, {
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'refresh-token-1',
					token_type: 'Bearer',
				},
			}),
		});

		expect(run.status).toBe('success');
		expect(
			sandbox.requests.map((r: { method: string; rawPath: string; status: number }) => [
				r.method,
				r.rawPath,
				r.status,
			]),
		).toEqual([
			['POST', REGISTRANTS_PATH, 401],
			['POST', '/common/oauth2/v2.0/token', 200],
			['POST', REGISTRANTS_PATH, 200],
		]);
		expect(sandbox.requests[2].headers.authorization).toBe(`Bearer ${DEFAULT_DELEGATED_TOKEN}`);
		expect(sandbox.registrantCount(CONTRACT_MEETING_ID, 'p')).toBe(1);
		expect(run.outputOf(NODE_NAME)[0].json.id).toBe('p');
	});

	test("401 again after renewal: Graph's message with the sign-in / cloud hint", async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		sandbox.addRefreshToken('refresh-token-2', 'token-for-another-cloud');
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: 'p' }],
			credentials: sandboxCredential(sandbox, {
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'refresh-token-2',
					token_type: 'Bearer',
				},
			}),
		});

		expect(run.status).toBe('error');
		const error = run.error!;
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe(
			'Access token validation failure. Invalid audience. [InvalidAuthenticationToken]',
		);
		expect(error.description).toContain(
			'Reconnect the credential (sign in again), and check that its "Microsoft Cloud" matches',
		);
		expect(sandbox.registrantsOf(CONTRACT_MEETING_ID)).toHaveLength(0);
	});

	test('401 with a refresh token the identity platform refuses: the user is told to reconnect', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: 'p' }],
			credentials: sandboxCredential(sandbox, {
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'revoked-refresh-token',
					token_type: 'Bearer',
				},
			}),
		});

		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(
			'Request to Microsoft Graph failed: The credential "Sandbox (delegated)" needs to be reconnected.',
		);
		expect(run.error?.description).toBeFalsy();
	});

	test('Graph unreachable: the network error and the cloud hint, no token', async () => {
		const closed = await startGraphSandbox();
		const closedUrl = closed.url;
		await closed.close();
		const run = await runNode(sandbox, {
			parameters: enrollParameters({ requestOptions: { maxRetries: 1 } }),
			inputItems: [{ externalId: 'p' }],
			credentials: sandboxCredential(sandbox, { customGraphUrl: closedUrl }),
		});
		expect(run.status).toBe('error');
		expect(run.error?.name).toBe('NodeApiError');
		// n8n's own wording for ECONNREFUSED
		expect(run.error?.message).toBe('The service refused the connection - perhaps it is offline');
		// A refused connection never reached Graph, so it was tried again once (maxRetries: 1).
		expect(run.error?.description).toBe(
			`Gave up after 2 attempts. Check the credential's "Microsoft Cloud" (and "Custom Graph URL": ${closedUrl}/beta) and that n8n can reach it.`,
		);
		expect(JSON.stringify(run.runData) + JSON.stringify(run.error)).not.toContain(
			DEFAULT_DELEGATED_TOKEN,
		);
	});

	test('403: missing permission hint', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		sandbox.addToken('token-without-permission', {
			userId: '16664f75-11dc-4870-bec6-38c1aaa81431',
			tenantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
			kind: 'delegated',
			missingPermission: true,
		});
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: 'p' }],
			credentials: sandboxCredential(sandbox, {
				oauthTokenData: { access_token: 'token-without-permission', token_type: 'Bearer' },
			}),
		});
		expect(run.error?.httpCode).toBe('403');
		expect(run.error?.description).toContain('delegated permission OnlineMeetings.ReadWrite');
	});

	test("500 on a create that keeps failing: Graph's message, the attendee's state and the hint", async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 500,
			times: 100,
			code: 'InternalServerError',
			message: 'An internal server error occurred.',
		});
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			inputItems: [{ externalId: 'p' }],
		});
		expect(run.error?.httpCode).toBe('500');
		expect(run.error?.message).toBe('An internal server error occurred. [InternalServerError]');
		expect(run.error?.description).toMatch(
			/^The attendee's enrollment is unknown: Microsoft Graph did not confirm it after several attempts\. /,
		);
		expect(run.error?.description).toContain("Check the meeting's registrants before re-running");
		// Before each new create, the node looked for what the failed one might have left; "Max Retries" (6) rounds.
		const calls = sandbox.requests.map(
			(r: { method: string; rawPath: string }) =>
				`${r.method} ${r.rawPath.endsWith('/registrants') ? 'registrants' : r.rawPath}`,
		);
		expect(calls).toEqual([
			...Array.from({ length: 6 }, () => ['POST registrants', 'GET registrants']).flat(),
			'POST registrants',
		]);
	});

	test('with "Continue On Fail" a Graph failure becomes an error item paired to its input, the rest go through', async () => {
		meetingForbiddingTheFirstEnrollment();
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			settings: { onError: 'continueRegularOutput' },
			inputItems: [{ externalId: 'a' }, { externalId: 'b' }, { externalId: 'c' }],
		});
		expect(run.status).toBe('success');
		const output = run.outputOf(NODE_NAME);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({
			error: 'Forbidden by policy. [Forbidden]',
			httpCode: '403',
			graphError: { code: 'Forbidden', message: 'Forbidden by policy.' },
		});
		expect(output[1].json.id).toBe('b');
		expect(output[2].json.id).toBe('c');
	});

	test('with the error output, failed items leave on the second output, paired', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			settings: { onError: 'continueErrorOutput' },
			inputItems: [{ externalId: 'a' }, { externalId: '' }],
		});
		expect(run.status).toBe('success');
		expect(run.outputOf(NODE_NAME, 0).map((item) => [item.json.id, item.pairedItem])).toEqual([
			['a', { item: 0 }],
		]);
		expect(run.outputOf(NODE_NAME, 1).map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Item 1: "External ID" is empty', { item: 1 }],
		]);
	});

	test("with the error output, Graph's failures and input errors with a hint leave on the second output too", async () => {
		meetingForbiddingTheFirstEnrollment();
		const run = await runNode(sandbox, {
			parameters: enrollParameters(),
			settings: { onError: 'continueErrorOutput' },
			inputItems: [{ externalId: 'a' }, { externalId: { nested: true } }, { externalId: 'c' }],
		});
		expect(run.status).toBe('success');
		expect(run.outputOf(NODE_NAME, 0).map((item) => [item.json.id, item.pairedItem])).toEqual([
			['c', { item: 2 }],
		]);
		const failed = run.outputOf(NODE_NAME, 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// n8n's error output adds the input item's fields; the node's details go under `details`.
		expect(failed[0].json).toMatchObject({
			externalId: 'a',
			error: 'Forbidden by policy. [Forbidden]',
			details: {
				httpCode: '403',
				graphError: { code: 'Forbidden', message: 'Forbidden by policy.' },
				description: expect.stringContaining('The signed-in account may not do this.'),
			},
		});
		expect(failed[1].json).toEqual({
			externalId: { nested: true },
			error: 'Item 1: "External ID" must be text, but its expression resolved to an object',
			details: { description: expect.any(String) },
		});
	});
});

describe('secrets', () => {
	test.each([
		['Custom Graph URL', { customGraphUrl: 'http://graph.example.test' }],
		['Custom Sign-In Authority URL', { customAuthorityUrl: 'http://login.example.test' }],
	])(
		'a plain-http %s on a host other than loopback is refused before any request',
		async (field, overrides) => {
			sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
			const run = await runNode(sandbox, {
				parameters: enrollParameters(),
				inputItems: [{ externalId: 'a' }],
				credentials: sandboxCredential(sandbox, overrides),
			});

			expect(run.status).toBe('error');
			expect(run.error?.message).toBe(
				`The credential was not used: "${field}" must be an https:// URL (plain http is accepted only for this machine's loopback address): over http, the credential's token or secret would travel unencrypted`,
			);
			expect(sandbox.requests).toEqual([]);
			expect(sandbox.registrantsOf(CONTRACT_MEETING_ID)).toEqual([]);
		},
	);

	test('no access token, refresh token or client secret in any output or error', async () => {
		sandbox.createMeeting({ id: CONTRACT_MEETING_ID, allowedRegistrant: 'everyone' });
		const secrets = {
			access_token: DEFAULT_DELEGATED_TOKEN,
			refresh_token: 'sandbox-refresh-token-secret',
			clientSecret: 'sandbox-client-secret',
		};
		const credentials = sandboxCredential(sandbox, {
			clientSecret: secrets.clientSecret,
			oauthTokenData: {
				access_token: secrets.access_token,
				refresh_token: secrets.refresh_token,
				token_type: 'Bearer',
			},
		});
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 500,
			times: 100,
			code: 'InternalServerError',
			message: 'boom',
		});
		const runs = [
			await runNode(sandbox, {
				parameters: enrollParameters(),
				inputItems: [{ externalId: 'a' }],
				credentials,
			}),
			await runNode(sandbox, {
				parameters: enrollParameters(),
				inputItems: [{ externalId: 'b' }, { externalId: '' }],
				credentials,
				settings: { onError: 'continueRegularOutput' },
			}),
			await runNode(sandbox, {
				parameters: enrollParameters({ meeting: byId('missing') }),
				inputItems: [{ externalId: 'c' }],
				credentials,
			}),
		];
		const serialized = runs
			.map((run) =>
				JSON.stringify({
					runData: run.runData,
					error: run.error,
					errorProps: run.error
						? Object.getOwnPropertyNames(run.error).map((key) =>
								String(
									(run.error as Record<string, unknown>)[key] &&
										JSON.stringify((run.error as Record<string, unknown>)[key]),
								),
							)
						: [],
				}),
			)
			.join('\n');
		expect(runs[0].status).toBe('error');
		expect(runs[2].status).toBe('error');
		for (const secret of Object.values(secrets)) expect(serialized).not.toContain(secret);
	});
});
