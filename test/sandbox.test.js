'use strict';
/* Tests of the local Microsoft Graph sandbox (sandbox/graph-sandbox.js) through real HTTP. */
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');
const {
	startGraphSandbox,
	DEFAULT_ORGANIZER_ID,
	DEFAULT_TENANT_ID,
	DEFAULT_DELEGATED_TOKEN,
} = require('../sandbox/graph-sandbox');

const REGISTRANT_TYPE = '#microsoft.graph.externalMeetingRegistrant';
const REGISTRATION_TYPE = '#microsoft.graph.externalMeetingRegistration';
const JSON_CT =
	'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OTHER_USER = 'cc515404-b55c-466e-b896-992c918ecc01';
const enc = encodeURIComponent;

/** @type {import('../sandbox/graph-sandbox').GraphSandbox} */
let sb;

beforeAll(async () => {
	sb = await startGraphSandbox({ seed: 'tests' });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

/** The sandbox's clock held still, so its token bucket refills only when a test says. */
function holdClock() {
	const systemClock = sb.clock;
	const frozen = { time: Date.now() };
	sb.clock = { now: () => frozen.time, sleep: (ms) => systemClock.sleep(ms) };
	return { frozen, restore: () => (sb.clock = systemClock) };
}

/**
 * @param {string} method @param {string} url
 * @param {{ body?: any, raw?: string, token?: string|null, headers?: Record<string,string>, base?: string,
 *   redirect?: 'follow'|'manual', signal?: AbortSignal }} [o]
 */
async function call(method, url, o = {}) {
	const headers = { ...(o.headers || {}) };
	const token = o.token === undefined ? DEFAULT_DELEGATED_TOKEN : o.token;
	if (token) headers.Authorization = `Bearer ${token}`;
	let body = o.raw;
	if (o.body !== undefined) {
		body = JSON.stringify(o.body);
		if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
			headers['Content-Type'] = 'application/json';
	}
	const res = await fetch((o.base ?? sb.url) + url, {
		method,
		headers,
		body,
		redirect: o.redirect,
		signal: o.signal,
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const meetingPath = (id, prefix = '/beta/me') => `${prefix}/onlineMeetings/${enc(id)}`;
const registrantsPath = (id, prefix) => `${meetingPath(id, prefix)}/registration/registrants`;
const enroll = (meetingId, body, o = {}) =>
	call('POST', registrantsPath(meetingId, o.prefix), {
		body: { '@odata.type': REGISTRANT_TYPE, ...body },
		...o,
	});

function expectGraphError(res, status, code, message) {
	expect(res.status).toBe(status);
	expect(res.body.error.code).toBe(code);
	if (message !== undefined) expect(res.body.error.message).toEqual(message);
	expect(res.body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
	expect(res.body.error.innerError['request-id']).toMatch(UUID);
}

/** Polls (real time) until `cond()` holds. */
async function until(cond, what = 'condition') {
	for (let i = 0; i < 400; i++) {
		if (cond()) return;
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** The error a client sees when the sandbox destroys the connection without answering. */
async function expectSocketError(pending) {
	const err = await pending.then(
		() => null,
		(e) => e,
	);
	expect(err && err.message).toBe('fetch failed'); // a TypeError of Node's own realm, not Jest's
	expect(err.cause && err.cause.code).toBe('UND_ERR_SOCKET');
}

/** Decode the `context` JSON of a Teams join link. */
function joinContext(joinWebUrl) {
	return JSON.parse(new URL(joinWebUrl).searchParams.get('context'));
}

describe('meetings', () => {
	test('createMeeting generates Graph-shaped ids and join links', () => {
		const m = sb.createMeeting({});
		expect(Buffer.from(m.id, 'base64').toString()).toMatch(
			new RegExp(`^1\\*${DEFAULT_ORGANIZER_ID}\\*0\\*\\*19:meeting_[A-Za-z0-9]+@thread\\.v2$`),
		);
		expect(m.joinWebUrl).toMatch(
			/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_[A-Za-z0-9]+%40thread\.v2\/0\?context=%7b%22Tid%22%3a%22.+%22%2c%22Oid%22%3a%22.+%22%7d$/,
		);
		expect(joinContext(m.joinWebUrl)).toEqual({
			Tid: DEFAULT_TENANT_ID,
			Oid: DEFAULT_ORGANIZER_ID,
		});
		expect(m.registration).toBeNull();
		expect(sb.getMeeting(m.id)).toEqual(m);
	});

	test('POST /me/onlineMeetings creates a meeting; missing dates are 400', async () => {
		const res = await call('POST', '/beta/me/onlineMeetings', {
			body: {
				subject: 'Launch',
				startDateTime: '2030-01-01T10:00:00Z',
				endDateTime: '2030-01-01T11:00:00Z',
			},
		});
		expect(res.status).toBe(201);
		expect(res.headers.get('content-type')).toBe(JSON_CT);
		expect(res.body).toMatchObject({
			subject: 'Launch',
			startDateTime: '2030-01-01T10:00:00Z',
			endDateTime: '2030-01-01T11:00:00Z',
		});
		expect(res.body['@odata.context']).toBe(
			`https://graph.microsoft.com/beta/$metadata#users('${DEFAULT_ORGANIZER_ID}')/onlineMeetings/$entity`,
		);
		expect(sb.getMeeting(res.body.id).joinWebUrl).toBe(res.body.joinWebUrl);
		const bad = await call('POST', '/beta/me/onlineMeetings', {
			body: { subject: 'x', startDateTime: '2030-01-01T10:00:00Z' },
		});
		expectGraphError(bad, 400, 'BadRequest');
	});

	test('GET meeting by id', async () => {
		const m = sb.createMeeting({ subject: 'S' });
		const res = await call('GET', meetingPath(m.id));
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: m.id, joinWebUrl: m.joinWebUrl, subject: 'S' });
		expect(res.body.registration).toBeUndefined();
		expectGraphError(await call('GET', meetingPath('nope')), 404, 'NotFound');
	});

	test('$filter JoinWebUrl lookup: encoded literal, case-insensitive property, quotes, no filter', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const res = await call(
			'GET',
			`/beta/me/onlineMeetings?$filter=${enc(`JoinWebUrl eq '${m.joinWebUrl}'`)}`,
		);
		expect(res.status).toBe(200);
		expect(res.body.value.map((x) => x.id)).toEqual([m.id]);
		expect(res.body['@odata.context']).toContain('/onlineMeetings');
		const lower = await call(
			'GET',
			`/beta/users/${DEFAULT_ORGANIZER_ID}/onlineMeetings?$filter=${enc(`joinwebUrl eq '${m.joinWebUrl}'`)}`,
		);
		expect(lower.body.value).toHaveLength(1);
		// The join link is itself percent-encoded; sending it un-encoded decodes %3a etc. and finds nothing.
		const unencoded = await call(
			'GET',
			`/beta/me/onlineMeetings?$filter=JoinWebUrl eq '${m.joinWebUrl}'`,
		);
		expect(unencoded.body.value).toEqual([]);
		const quoted = await call(
			'GET',
			`/beta/me/onlineMeetings?$filter=${enc("JoinWebUrl eq 'it''s'")}`,
		);
		expect(quoted.status).toBe(200);
		expect(quoted.body.value).toEqual([]);
		const none = await call('GET', '/beta/me/onlineMeetings');
		expect(none.status).toBe(400);
		expect(none.body.error.message).toMatch(/filter/i);
		const bad = await call('GET', `/beta/me/onlineMeetings?$filter=${enc("subject eq 'x'")}`);
		expect(bad.status).toBe(400);
	});
});

describe('registration', () => {
	test('create, get, 409, delete, 404', async () => {
		const m = sb.createMeeting({});
		const regPath = `${meetingPath(m.id)}/registration`;
		expectGraphError(await call('GET', regPath), 404, 'NotFound');
		const created = await call('POST', regPath, {
			body: { '@odata.type': REGISTRATION_TYPE, allowedRegistrant: 'organization' },
		});
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			'@odata.type': REGISTRATION_TYPE,
			allowedRegistrant: 'organization',
		});
		expect(typeof created.body.id).toBe('string');
		const got = await call('GET', regPath);
		expect(got.status).toBe(200);
		expect(got.body).toEqual(
			expect.objectContaining({ id: created.body.id, allowedRegistrant: 'organization' }),
		);
		expect(got.body['@odata.context']).toContain('/registration/$entity');
		const again = await call('POST', regPath, {
			body: { '@odata.type': REGISTRATION_TYPE, allowedRegistrant: 'everyone' },
		});
		expectGraphError(again, 409, 'Conflict');
		await enroll(m.id, { id: 'x', tenantId: DEFAULT_TENANT_ID, userId: OTHER_USER });
		const del = await call('DELETE', regPath);
		expect(del.status).toBe(204);
		expect(del.headers.get('request-id')).toMatch(UUID);
		expect(sb.registrantsOf(m.id)).toEqual([]);
		expect(sb.getMeeting(m.id).registration).toBeNull();
		expectGraphError(await call('DELETE', regPath), 404, 'NotFound');
	});

	test('missing or wrong @odata.type and bad allowedRegistrant are 400', async () => {
		const m = sb.createMeeting({});
		const regPath = `${meetingPath(m.id)}/registration`;
		const exact =
			'Invalid request. Provide microsoft.graph.meetingRegistration or microsoft.graph.externalMeetingRegistration in request body.';
		expectGraphError(
			await call('POST', regPath, { body: { allowedRegistrant: 'everyone' } }),
			400,
			'BadRequest',
			exact,
		);
		expectGraphError(
			await call('POST', regPath, {
				body: { '@odata.type': '#microsoft.graph.foo', allowedRegistrant: 'everyone' },
			}),
			400,
			'BadRequest',
			exact,
		);
		expectGraphError(
			await call('POST', regPath, {
				body: { '@odata.type': REGISTRATION_TYPE, allowedRegistrant: 'world' },
			}),
			400,
			'BadRequest',
		);
		expect(sb.getMeeting(m.id).registration).toBeNull();
	});
});

describe('enroll registrants', () => {
	test('everyone mode: exact contract shape, fresh link per duplicate', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const externalId = '9d96988d-a66a-46ce-aad7-0b245615b297';
		const res = await enroll(m.id, { id: externalId });
		expect(res.status).toBe(200);
		expect(Object.keys(res.body)).toEqual([
			'@odata.context',
			'@odata.type',
			'id',
			'joinWebUrl',
			'userId',
			'tenantId',
		]);
		expect(res.body['@odata.context']).toBe(
			`https://graph.microsoft.com/beta/$metadata#users('${DEFAULT_ORGANIZER_ID}')/onlineMeetings('${m.id}')/registration/registrants/$entity`,
		);
		expect(res.body['@odata.type']).toBe(REGISTRANT_TYPE);
		expect(res.body.id).toBe(externalId);
		expect(res.body.userId).toBeNull();
		expect(res.body.tenantId).toBeNull();
		const threadPart = m.joinWebUrl.split('?')[0];
		expect(
			res.body.joinWebUrl.startsWith(
				`${threadPart}?context=%7b%22Tid%22%3a%22${DEFAULT_TENANT_ID}%22%2c%22Oid%22%3a%22${DEFAULT_ORGANIZER_ID}%22%2c%22prid%22%3a%22${externalId}%22%2c%22isPublic%22%3atrue%7d`,
			),
		).toBe(true);
		expect(joinContext(res.body.joinWebUrl)).toEqual({
			Tid: DEFAULT_TENANT_ID,
			Oid: DEFAULT_ORGANIZER_ID,
			prid: externalId,
			isPublic: true,
		});
		const again = await enroll(m.id, { id: externalId, userId: null, tenantId: null });
		expect(again.status).toBe(200);
		expect(again.body.joinWebUrl).not.toBe(res.body.joinWebUrl);
		expect(sb.registrantCount(m.id, externalId)).toBe(2);
		expect(sb.registrantsOf(m.id).map((r) => r.joinWebUrl)).toEqual([
			res.body.joinWebUrl,
			again.body.joinWebUrl,
		]);
	});

	test('organization mode: userId/tenantId echo the request (not swapped), isPublic false', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'organization' });
		const res = await enroll(m.id, {
			id: '30494ab7-7338-4592-bfec-a4333be2a0a6',
			tenantId: DEFAULT_TENANT_ID,
			userId: OTHER_USER,
		});
		expect(res.status).toBe(200);
		expect(Object.keys(res.body)).toEqual([
			'@odata.context',
			'@odata.type',
			'id',
			'joinWebUrl',
			'userId',
			'tenantId',
		]);
		expect(res.body).toMatchObject({
			id: '30494ab7-7338-4592-bfec-a4333be2a0a6',
			userId: OTHER_USER,
			tenantId: DEFAULT_TENANT_ID,
		});
		expect(res.body.joinWebUrl).toContain('%22isPublic%22%3afalse%7d');
		expect(joinContext(res.body.joinWebUrl).prid).toBe('30494ab7-7338-4592-bfec-a4333be2a0a6');
	});

	test('external ids of any form are carried into prid with lowercase escapes', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const res = await enroll(m.id, { id: 'crm/Contact 42:é' });
		expect(res.body.id).toBe('crm/Contact 42:é');
		expect(res.body.joinWebUrl).toContain('%22prid%22%3a%22crm%2fContact%2042%3a%c3%a9%22');
		expect(joinContext(res.body.joinWebUrl).prid).toBe('crm/Contact 42:é');
	});

	test('mode mismatches are 400', async () => {
		const open = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const org = sb.createMeeting({ allowedRegistrant: 'organization' });
		const r1 = await enroll(open.id, { id: 'a', tenantId: DEFAULT_TENANT_ID, userId: OTHER_USER });
		expectGraphError(r1, 400, 'BadRequest');
		expect(r1.body.error.message).toMatch(/not expected when allowedRegistrant is everyone/);
		const r2 = await enroll(org.id, { id: 'a' });
		expectGraphError(r2, 400, 'BadRequest');
		expect(r2.body.error.message).toMatch(
			/tenantId and userId.*required when allowedRegistrant is organization/,
		);
		expectGraphError(
			await enroll(org.id, { id: 'a', tenantId: 'contoso', userId: OTHER_USER }),
			400,
			'BadRequest',
		);
		expect(sb.registrantsOf(open.id)).toHaveLength(0);
		expect(sb.registrantsOf(org.id)).toHaveLength(0);
	});

	test('body validation: @odata.type, id, content type, JSON, no registration', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const p = registrantsPath(m.id);
		expectGraphError(await call('POST', p, { body: { id: 'a' } }), 400, 'BadRequest');
		expectGraphError(
			await call('POST', p, {
				body: { '@odata.type': 'microsoft.graph.externalMeetingRegistrant', id: 'a' },
			}),
			400,
			'BadRequest',
		);
		expectGraphError(await enroll(m.id, {}), 400, 'BadRequest');
		expectGraphError(await enroll(m.id, { id: '' }), 400, 'BadRequest');
		const text = await call('POST', p, {
			raw: JSON.stringify({ '@odata.type': REGISTRANT_TYPE, id: 'a' }),
			headers: { 'Content-Type': 'text/plain' },
		});
		expect(text.status).toBe(415);
		expectGraphError(
			await call('POST', p, { raw: '{"id":', headers: { 'Content-Type': 'application/json' } }),
			400,
			'BadRequest',
		);
		const bare = sb.createMeeting({});
		expectGraphError(await enroll(bare.id, { id: 'a' }), 404, 'NotFound');
		expectGraphError(await enroll('missing-meeting', { id: 'a' }), 404, 'NotFound');
		expect(sb.registrantsOf(m.id)).toHaveLength(0);
	});

	test('list with paging via @odata.nextLink; joinWebUrl is null in lists', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		for (let i = 0; i < 5; i++) await enroll(m.id, { id: `r${i}` });
		sb.setPageSize(2);
		const seen = [];
		let next = `${sb.url}${registrantsPath(m.id)}`;
		let pages = 0;
		while (next) {
			expect(next.startsWith(sb.url)).toBe(true);
			const res = await call('GET', next.slice(sb.url.length));
			expect(res.status).toBe(200);
			for (const r of res.body.value) {
				expect(r).toEqual({
					'@odata.type': REGISTRANT_TYPE,
					id: r.id,
					joinWebUrl: null,
					userId: null,
					tenantId: null,
				});
				seen.push(r.id);
			}
			next = res.body['@odata.nextLink'];
			if (next) expect(next).toContain('$skiptoken=');
			pages++;
		}
		expect(pages).toBe(3);
		expect(seen).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
		expect((await call('GET', `${registrantsPath(m.id)}?$skiptoken=garbage`)).status).toBe(400);
	});

	test('DELETE registrant removes one record; unknown is 404', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		await enroll(m.id, { id: 'dup' });
		await enroll(m.id, { id: 'dup' });
		const del = await call('DELETE', `${registrantsPath(m.id)}/dup`);
		expect(del.status).toBe(204);
		expect(del.body).toBeUndefined();
		expect(sb.registrantCount(m.id, 'dup')).toBe(1);
		expectGraphError(await call('DELETE', `${registrantsPath(m.id)}/ghost`), 404, 'NotFound');
	});

	test('an id containing / + = ? # is one percent-encoded segment', async () => {
		const id = 'MSo/ab+c=d?e#f';
		const m = sb.createMeeting({ id, allowedRegistrant: 'everyone' });
		const got = await call('GET', meetingPath(id));
		expect(got.status).toBe(200);
		expect(got.body.id).toBe(id);
		const res = await enroll(id, { id: 'x' });
		expect(res.status).toBe(200);
		expect(res.body['@odata.context']).toContain(`onlineMeetings('${id}')`);
		expect(sb.registrantCount(m.id, 'x')).toBe(1);
		const logged = sb.requests[sb.requests.length - 1];
		expect(logged.rawPath).toBe(`/beta/me/onlineMeetings/${enc(id)}/registration/registrants`);
		expect(logged.rawPath).toContain('MSo%2Fab%2Bc%3Dd%3Fe%23f');
		// Without encoding, the '/' splits the id and nothing is found.
		const split = await call('GET', '/beta/me/onlineMeetings/MSo/ab+c=d');
		expect([400, 404]).toContain(split.status);
	});
});

describe('auth', () => {
	test('401 for missing, unknown and revoked tokens; error body and headers are Graph-shaped', async () => {
		const missing = await call('GET', '/beta/me/onlineMeetings?$filter=x', {
			token: null,
			headers: { 'client-request-id': 'my-client-id' },
		});
		expectGraphError(missing, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
		expect(missing.body.error.innerError['client-request-id']).toBe('my-client-id');
		expect(missing.headers.get('client-request-id')).toBe('my-client-id');
		expect(missing.headers.get('request-id')).toBe(missing.body.error.innerError['request-id']);
		expect(missing.headers.get('content-type')).toBe(JSON_CT);
		expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
		const unknown = await call('GET', '/beta/me/onlineMeetings', { token: 'nope' });
		expectGraphError(unknown, 401, 'InvalidAuthenticationToken');
		expect(unknown.body.error.message).toMatch(/^Access token validation failure/);
		expect(unknown.body.error.innerError['client-request-id']).toBe(
			unknown.body.error.innerError['request-id'],
		);
		sb.addToken('short-lived', { userId: DEFAULT_ORGANIZER_ID, kind: 'delegated' });
		sb.revokeToken('short-lived');
		expectGraphError(
			await call('GET', '/beta/me/onlineMeetings', { token: 'short-lived' }),
			401,
			'InvalidAuthenticationToken',
		);
	});

	test('403s, /me with an application token, users by UPN', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const other = sb.createMeeting({ organizerId: OTHER_USER, allowedRegistrant: 'everyone' });
		// Delegated token on another user's meetings.
		expectGraphError(
			await enroll(other.id, { id: 'a' }, { prefix: `/beta/users/${OTHER_USER}` }),
			403,
			'Forbidden',
		);
		// ...but on its own id it is fine, and /me cannot see someone else's meeting.
		expect(
			(await enroll(m.id, { id: 'a' }, { prefix: `/beta/users/${DEFAULT_ORGANIZER_ID}` })).status,
		).toBe(200);
		expectGraphError(await enroll(other.id, { id: 'a' }), 404, 'NotFound');

		sb.addToken('no-scope', {
			userId: DEFAULT_ORGANIZER_ID,
			kind: 'delegated',
			missingPermission: true,
		});
		const noScope = await enroll(m.id, { id: 'a' }, { token: 'no-scope' });
		expectGraphError(noScope, 403, 'Forbidden');
		expect(noScope.body.error.message).toContain('OnlineMeetings.ReadWrite');

		sb.addToken('app', { userId: 'a0a0a0a0-0000-4000-8000-000000000001', kind: 'application' });
		sb.addToken('app-no-policy', {
			userId: 'a0a0a0a0-0000-4000-8000-000000000002',
			kind: 'application',
			noAccessPolicy: true,
		});
		sb.addUser({ id: OTHER_USER, userPrincipalName: 'adele@sandbox.onmicrosoft.com' });
		expectGraphError(
			await enroll(m.id, { id: 'a' }, { token: 'app' }),
			400,
			'BadRequest',
			'/me request is only valid with delegated authentication flow.',
		);
		const viaUpn = await enroll(
			other.id,
			{ id: 'b' },
			{ token: 'app', prefix: '/beta/users/Adele@sandbox.onmicrosoft.com' },
		);
		expect(viaUpn.status).toBe(200);
		expect(viaUpn.body['@odata.context']).toContain(`users('${OTHER_USER}')`);
		expectGraphError(
			await enroll(
				other.id,
				{ id: 'c' },
				{ token: 'app-no-policy', prefix: `/beta/users/${OTHER_USER}` },
			),
			403,
			'Forbidden',
			'No Application Access Policy found for this app.',
		);

		const user = await call('GET', '/beta/users/adele@sandbox.onmicrosoft.com?$select=id', {
			token: 'app',
		});
		expect(user.status).toBe(200);
		expect(user.body.id).toBe(OTHER_USER);
		expect(user.body.userPrincipalName).toBeUndefined();
		expect(
			(await call('GET', '/beta/users/nobody@sandbox.onmicrosoft.com?$select=id')).status,
		).toBe(404);
	});
});

describe('routing', () => {
	test('/v1.0 is 404 with a Graph error body; unknown segments are 400', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		expectGraphError(
			await call('GET', `/v1.0/me/onlineMeetings/${enc(m.id)}/registration`),
			404,
			'NotFound',
		);
		expectGraphError(
			await call('GET', '/beta/me/calendars'),
			400,
			'BadRequest',
			"Resource not found for the segment 'calendars'.",
		);
		expectGraphError(
			await call('GET', `${meetingPath(m.id)}/registrations`),
			400,
			'BadRequest',
			"Resource not found for the segment 'registrations'.",
		);
		expect((await call('PATCH', `${meetingPath(m.id)}/registration`, { body: {} })).status).toBe(
			405,
		);
	});
});

describe('throttling and faults', () => {
	test('token-bucket rate limit answers 429 with Retry-After', async () => {
		const held = holdClock();
		sb.setRateLimit({ perSecond: 1, burst: 2 });
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		expect((await enroll(m.id, { id: 'a' })).status).toBe(200);
		expect((await enroll(m.id, { id: 'b' })).status).toBe(200);
		const limited = await enroll(m.id, { id: 'c' });
		expectGraphError(limited, 429, 'TooManyRequests');
		expect(limited.body.error.message).toMatch(/^Too many requests/);
		const retryAfter = limited.headers.get('retry-after');
		expect(retryAfter).toMatch(/^\d+$/);
		expect(Number(retryAfter)).toBe(1);
		expect(sb.stats.throttled).toBe(1);
		expect(sb.registrantCount(m.id, 'c')).toBe(0);
		// A second later one token is back.
		held.frozen.time += 1000;
		expect((await enroll(m.id, { id: 'c' })).status).toBe(200);
		expect((await enroll(m.id, { id: 'd' })).status).toBe(429);
		sb.setRateLimit(null);
		expect((await enroll(m.id, { id: 'd' })).status).toBe(200);
		held.restore();
	});

	test('status fault with retryAfter, matched by method and path, consumed after `times`', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({
			kind: 'status',
			status: 503,
			retryAfter: 7,
			method: 'POST',
			pathIncludes: '/registrants',
			times: 2,
		});
		expect((await call('GET', `${meetingPath(m.id)}/registration`)).status).toBe(200);
		for (let i = 0; i < 2; i++) {
			const res = await enroll(m.id, { id: 'a' });
			expectGraphError(res, 503, 'ServiceNotAvailable');
			expect(res.headers.get('retry-after')).toBe('7');
		}
		expect(sb.registrantCount(m.id, 'a')).toBe(0);
		expect((await enroll(m.id, { id: 'a' })).status).toBe(200);
		sb.injectFault({ kind: 'status', status: 500, code: 'UnknownError', message: 'boom' });
		expectGraphError(
			await call('GET', `${meetingPath(m.id)}/registration`),
			500,
			'UnknownError',
			'boom',
		);
		expect(sb.stats.faultsInjected).toBe(3);
	});

	test('dropBeforeCommit loses the request; dropAfterCommit performs it then loses the answer', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({ kind: 'dropBeforeCommit', pathIncludes: 'registrants' });
		await expect(enroll(m.id, { id: 'a' })).rejects.toThrow();
		expect(sb.registrantCount(m.id, 'a')).toBe(0);
		sb.injectFault({ kind: 'dropAfterCommit', pathIncludes: 'registrants' });
		await expect(enroll(m.id, { id: 'a' })).rejects.toThrow();
		expect(sb.registrantCount(m.id, 'a')).toBe(1);
		expect(sb.requests.slice(-2).map((r) => [r.fault, r.status])).toEqual([
			['dropBeforeCommit', null],
			['dropAfterCommit', null],
		]);
		expect((await enroll(m.id, { id: 'b' })).status).toBe(200);
	});

	test('delay fault and latency slow the answer', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({ kind: 'delay', ms: 150 });
		let t = Date.now();
		expect((await enroll(m.id, { id: 'a' })).status).toBe(200);
		expect(Date.now() - t).toBeGreaterThanOrEqual(140);
		sb.setLatency([60, 80]);
		t = Date.now();
		await call('GET', meetingPath(m.id));
		expect(Date.now() - t).toBeGreaterThanOrEqual(55);
		sb.setLatency(0);
	});

	test('redirect answers 3xx with Location and no body, without doing the work', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		/** @type {{method:string, url:string, body:string}[]} */
		const seen = [];
		const other = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				seen.push({ method: req.method, url: req.url, body });
				res.writeHead(201, { 'Content-Type': 'application/json' });
				res.end('{"elsewhere":true}');
			});
		});
		await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
		const otherUrl = `http://127.0.0.1:${other.address().port}`;
		try {
			sb.injectFault({
				kind: 'redirect',
				method: 'POST',
				pathIncludes: '/registrants',
				location: `${otherUrl}/moved`,
				times: 2,
			});
			expect((await call('GET', `${meetingPath(m.id)}/registration`)).status).toBe(200); // not matched
			const res = await enroll(m.id, { id: 'a' }, { redirect: 'manual' });
			expect(res.status).toBe(307);
			expect(res.headers.get('location')).toBe(`${otherUrl}/moved`);
			expect(res.headers.get('content-length')).toBe('0');
			expect(res.headers.get('content-type')).toBeNull();
			expect(res.headers.get('request-id')).toMatch(UUID);
			expect(res.body).toBeUndefined();
			expect(sb.registrantCount(m.id, 'a')).toBe(0);
			const entry = sb.requests[sb.requests.length - 1];
			expect(entry).toMatchObject({
				method: 'POST',
				status: 307,
				fault: 'redirect',
				responseBody: undefined,
			});
			expect(entry.responseHeaders).toMatchObject({
				Location: `${otherUrl}/moved`,
				'Content-Length': '0',
			});
			expect(entry.responseHeaders['Content-Type']).toBeUndefined();
			// A following client re-sends the POST (307 keeps method and body) to wherever Location points.
			const followed = await enroll(m.id, { id: 'b' });
			expect(followed).toMatchObject({ status: 201, body: { elsewhere: true } });
			expect(seen).toEqual([
				{
					method: 'POST',
					url: '/moved',
					body: JSON.stringify({ '@odata.type': REGISTRANT_TYPE, id: 'b' }),
				},
			]);
			expect(sb.registrantCount(m.id, 'b')).toBe(0);
			// `times` is used up.
			expect((await enroll(m.id, { id: 'a' }, { redirect: 'manual' })).status).toBe(200);
			expect(sb.registrantCount(m.id, 'a')).toBe(1);
			sb.injectFault({
				kind: 'redirect',
				status: 308,
				location: '/beta/elsewhere',
				headers: { 'X-Why': 'moved' },
			});
			const permanent = await call('GET', meetingPath(m.id), { redirect: 'manual' });
			expect(permanent.status).toBe(308);
			expect(permanent.headers.get('location')).toBe('/beta/elsewhere');
			expect(permanent.headers.get('x-why')).toBe('moved');
			expect(sb.requests[sb.requests.length - 1]).toMatchObject({ status: 308, fault: 'redirect' });
			expect(() => sb.injectFault({ kind: 'redirect' })).toThrow(/location/);
			expect(() => sb.injectFault({ kind: 'redirect', location: '/x', status: 303 })).toThrow(
				/301, 302, 307 or 308/,
			);
		} finally {
			await new Promise((resolve) => other.close(resolve));
		}
	});

	test('commitThenStatus does the work, then answers the error status', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({
			kind: 'commitThenStatus',
			status: 504,
			retryAfter: 3,
			method: 'POST',
			pathIncludes: '/registrants',
			times: 2,
		});
		for (let i = 1; i <= 2; i++) {
			const res = await enroll(m.id, { id: 'a' });
			expectGraphError(res, 504, 'GatewayTimeout', 'The gateway timed out.');
			expect(res.headers.get('retry-after')).toBe('3');
			expect(res.headers.get('content-type')).toBe(JSON_CT);
			expect(sb.registrantCount(m.id, 'a')).toBe(i); // committed each time
			const entry = sb.requests[sb.requests.length - 1];
			expect(entry).toMatchObject({
				status: 504,
				fault: 'commitThenStatus',
				responseBody: { error: { code: 'GatewayTimeout' } },
			});
			expect(entry.responseHeaders).toMatchObject({ 'Retry-After': '3', 'Content-Type': JSON_CT });
		}
		const ok = await enroll(m.id, { id: 'a' });
		expect(ok.status).toBe(200);
		expect(sb.registrantCount(m.id, 'a')).toBe(3);
		expect(sb.requests[sb.requests.length - 1]).toMatchObject({ status: 200, fault: null });
		sb.injectFault({
			kind: 'commitThenStatus',
			status: 500,
			code: 'UnknownError',
			message: 'boom',
			method: 'DELETE',
		});
		expectGraphError(
			await call('DELETE', `${registrantsPath(m.id)}/a`),
			500,
			'UnknownError',
			'boom',
		);
		expect(sb.registrantCount(m.id, 'a')).toBe(2); // the delete happened
		expect(() => sb.injectFault({ kind: 'commitThenStatus' })).toThrow(/status required/);
		expect(sb.stats.faultsInjected).toBe(3);
	});

	test('emptyOk answers 200 with an empty body, without doing the work', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({ kind: 'emptyOk', method: 'POST', pathIncludes: '/registrants' });
		const res = await fetch(sb.url + registrantsPath(m.id), {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${DEFAULT_DELEGATED_TOKEN}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({ '@odata.type': REGISTRANT_TYPE, id: 'a' }),
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-length')).toBe('0');
		expect(res.headers.get('content-type')).toBeNull();
		expect(res.headers.get('request-id')).toMatch(UUID);
		expect(await res.text()).toBe('');
		expect(sb.registrantCount(m.id, 'a')).toBe(0);
		const entry = sb.requests[sb.requests.length - 1];
		expect(entry).toMatchObject({ status: 200, fault: 'emptyOk', responseBody: undefined });
		expect(entry.responseHeaders['Content-Length']).toBe('0');
		expect(entry.responseHeaders['Content-Type']).toBeUndefined();
		const ok = await enroll(m.id, { id: 'a' }); // `times` (1) is used up
		expect(ok.status).toBe(200);
		expect(ok.body.id).toBe('a');
		expect(sb.registrantCount(m.id, 'a')).toBe(1);
	});

	test('commitThenSilence does the work and never answers until released; the request stays in flight, parked', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({ kind: 'commitThenSilence', method: 'POST', pathIncludes: '/registrants' });
		const pending = enroll(m.id, { id: 'a' });
		pending.catch(() => undefined);
		await until(() => sb.activity.pausing === 1, 'the silenced request');
		expect(sb.activity).toEqual({ inFlight: 1, pausing: 1 });
		expect(sb.registrantCount(m.id, 'a')).toBe(1);
		expect(sb.requests[sb.requests.length - 1]).toMatchObject({
			method: 'POST',
			status: null,
			fault: 'commitThenSilence',
			responseBody: undefined,
			responseHeaders: undefined,
		});
		// Other requests are served meanwhile; `times` (1) is used up.
		expect((await enroll(m.id, { id: 'b' })).status).toBe(200);
		expect(sb.activity).toEqual({ inFlight: 1, pausing: 1 });
		sb.releaseSilent();
		await expectSocketError(pending);
		await until(() => sb.activity.inFlight === 0, 'the release');
		expect(sb.activity).toEqual({ inFlight: 0, pausing: 0 });
		expect(sb.registrantCount(m.id, 'a')).toBe(1);

		// reset() ends silenced requests too, and a client giving up releases its request.
		sb.injectFault({ kind: 'commitThenSilence', times: 2 });
		const again = enroll(m.id, { id: 'c' });
		again.catch(() => undefined);
		await until(() => sb.activity.pausing === 1, 'the silenced request');
		sb.reset();
		await expectSocketError(again);
		await until(() => sb.activity.inFlight === 0, 'the reset');
		const m2 = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({ kind: 'commitThenSilence' });
		const aborter = new AbortController();
		const aborted = enroll(m2.id, { id: 'd' }, { signal: aborter.signal });
		aborted.catch(() => undefined);
		await until(() => sb.activity.pausing === 1, 'the silenced request');
		aborter.abort();
		await expect(aborted).rejects.toThrow();
		await until(
			() => sb.activity.inFlight === 0 && sb.activity.pausing === 0,
			'the client going away',
		);
		expect(sb.registrantCount(m2.id, 'd')).toBe(1);
	});

	test('close() ends silenced requests: the client gets a socket error and nothing is left open', async () => {
		const own = await startGraphSandbox();
		const m = own.createMeeting({ allowedRegistrant: 'everyone' });
		own.injectFault({ kind: 'commitThenSilence', method: 'POST', times: 2 });
		const pending = [
			enroll(m.id, { id: 'a' }, { base: own.url }),
			enroll(m.id, { id: 'b' }, { base: own.url }),
		];
		pending.forEach((p) => p.catch(() => undefined));
		await until(() => own.activity.pausing === 2, 'two silenced requests');
		expect(own.activity).toEqual({ inFlight: 2, pausing: 2 });
		expect(own.registrantCount(m.id, 'a') + own.registrantCount(m.id, 'b')).toBe(2);
		await own.close(); // resolves: nothing keeps the server open
		for (const p of pending) await expectSocketError(p);
		await until(() => own.activity.inFlight === 0, 'the close');
		expect(own.activity).toEqual({ inFlight: 0, pausing: 0 });
		expect(own.requests.map((r) => [r.status, r.fault])).toEqual([
			[null, 'commitThenSilence'],
			[null, 'commitThenSilence'],
		]);
	});
});

describe('$batch', () => {
	const entry = (id, meetingId, body, extra = {}) => ({
		id,
		method: 'POST',
		url: `/me/onlineMeetings/${enc(meetingId)}/registration/registrants`,
		headers: { 'Content-Type': 'application/json' },
		body: { '@odata.type': REGISTRANT_TYPE, ...body },
		...extra,
	});

	test('dependsOn ordering and 424 for a failed dependency', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const bare = sb.createMeeting({});
		const res = await call('POST', '/beta/$batch', {
			body: {
				requests: [
					entry('2', m.id, { id: 'second' }, { dependsOn: ['1'] }),
					entry('1', m.id, { id: 'first' }),
					entry('3', bare.id, { id: 'x' }),
					entry('4', m.id, { id: 'never' }, { dependsOn: ['3'] }),
					{ id: '5', method: 'GET', url: `/me/onlineMeetings/${enc(m.id)}/registration` },
				],
			},
		});
		expect(res.status).toBe(200);
		const byId = Object.fromEntries(res.body.responses.map((r) => [r.id, r]));
		expect(byId['1'].status).toBe(200);
		expect(byId['1'].body.id).toBe('first');
		expect(byId['1'].headers['Content-Type']).toBe(JSON_CT);
		expect(byId['2'].status).toBe(200);
		expect(byId['3'].status).toBe(404);
		expect(byId['4'].status).toBe(424);
		expect(byId['4'].body.error.code).toBe('FailedDependency');
		expect(byId['5'].body.allowedRegistrant).toBe('everyone');
		expect(sb.registrantsOf(m.id).map((r) => r.id)).toEqual(['first', 'second']);
		expect(sb.registrantCount(m.id, 'never')).toBe(0);
	});

	test('each entry consumes a rate-limit token; a throttled entry carries its own Retry-After', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const held = holdClock();
		sb.setRateLimit({ perSecond: 1, burst: 2 });
		const res = await call('POST', '/beta/$batch', {
			body: {
				requests: [
					entry('a', m.id, { id: 'a' }),
					entry('b', m.id, { id: 'b' }),
					entry('c', m.id, { id: 'c' }),
				],
			},
		});
		expect(res.status).toBe(200);
		expect(res.body.responses.map((r) => r.status)).toEqual([200, 200, 429]);
		const throttled = res.body.responses[2];
		expect(Number(throttled.headers['Retry-After'])).toBe(1);
		expect(throttled.body.error.code).toBe('TooManyRequests');
		expect(sb.registrantCount(m.id, 'c')).toBe(0);
		expect(sb.stats.throttled).toBe(1);
		held.restore();
	});

	test('faults on entries: redirect, commitThenStatus and emptyOk apply; drops and silence do not', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		sb.injectFault({ kind: 'commitThenSilence', pathIncludes: '/registrants' });
		sb.injectFault({ kind: 'dropAfterCommit', pathIncludes: '/registrants' });
		sb.injectFault({
			kind: 'redirect',
			pathIncludes: '/registrants',
			location: 'https://elsewhere.example/x',
		});
		sb.injectFault({
			kind: 'commitThenStatus',
			pathIncludes: '/registrants',
			status: 503,
			retryAfter: 2,
		});
		sb.injectFault({ kind: 'emptyOk', pathIncludes: '/registrants' });
		const res = await call('POST', '/beta/$batch', {
			body: {
				requests: [
					entry('1', m.id, { id: 'r' }),
					entry('2', m.id, { id: 'c' }),
					entry('3', m.id, { id: 'e' }),
					entry('4', m.id, { id: 'n' }),
				],
			},
		});
		expect(res.status).toBe(200);
		const byId = Object.fromEntries(res.body.responses.map((r) => [r.id, r]));
		expect(byId['1']).toEqual({
			id: '1',
			status: 307,
			headers: { Location: 'https://elsewhere.example/x' },
		});
		expect(byId['2'].status).toBe(503);
		expect(byId['2'].headers['Retry-After']).toBe('2');
		expect(byId['2'].body.error.code).toBe('ServiceNotAvailable');
		expect(byId['3']).toEqual({ id: '3', status: 200, headers: {} });
		expect(byId['4'].status).toBe(200);
		expect(byId['4'].body.id).toBe('n');
		expect(['r', 'c', 'e', 'n'].map((id) => sb.registrantCount(m.id, id))).toEqual([0, 1, 0, 1]);
		expect(sb.requests[sb.requests.length - 1]).toMatchObject({ status: 200, fault: null });
		expect(sb.stats.faultsInjected).toBe(3);
		// The connection-level faults are still queued for the next top-level request that matches.
		const pending = enroll(m.id, { id: 's' });
		pending.catch(() => undefined);
		await until(() => sb.activity.pausing === 1, 'the silenced request');
		sb.releaseSilent();
		await expectSocketError(pending);
		await expect(enroll(m.id, { id: 'd' })).rejects.toThrow();
		expect(sb.requests.slice(-2).map((r) => r.fault)).toEqual([
			'commitThenSilence',
			'dropAfterCommit',
		]);
		expect(sb.registrantCount(m.id, 's') + sb.registrantCount(m.id, 'd')).toBe(2);
	});

	test('batch validation: more than 20, duplicate ids, auth of the outer token', async () => {
		const m = sb.createMeeting({ allowedRegistrant: 'everyone' });
		const many = Array.from({ length: 21 }, (_, i) => entry(String(i), m.id, { id: `p${i}` }));
		expectGraphError(
			await call('POST', '/beta/$batch', { body: { requests: many } }),
			400,
			'BadRequest',
		);
		expectGraphError(
			await call('POST', '/beta/$batch', {
				body: { requests: [entry('1', m.id, { id: 'a' }), entry('1', m.id, { id: 'b' })] },
			}),
			400,
			'BadRequest',
		);
		expect(sb.registrantsOf(m.id)).toHaveLength(0);
		const anon = await call('POST', '/beta/$batch', {
			token: null,
			body: { requests: [entry('1', m.id, { id: 'a' })] },
		});
		expect(anon.status).toBe(200);
		expect(anon.body.responses[0].status).toBe(401);
	});

	test('shuffleBatch answers in a shuffled order', async () => {
		const shuffled = await startGraphSandbox({ shuffleBatch: true, seed: 7 });
		try {
			const m = shuffled.createMeeting({ allowedRegistrant: 'everyone' });
			const ids = Array.from({ length: 20 }, (_, i) => String(i));
			const res = await call('POST', '/beta/$batch', {
				base: shuffled.url,
				body: { requests: ids.map((i) => entry(i, m.id, { id: `p${i}` })) },
			});
			const order = res.body.responses.map((r) => r.id);
			expect([...order].sort()).toEqual([...ids].sort());
			expect(order).not.toEqual(ids);
			expect(shuffled.registrantsOf(m.id)).toHaveLength(20);
		} finally {
			await shuffled.close();
		}
	});
});

describe('request log, determinism, CLI', () => {
	test('log records raw and parsed request/response and is capped', async () => {
		const small = await startGraphSandbox({ maxLog: 3 });
		try {
			const m = small.createMeeting({ allowedRegistrant: 'everyone' });
			for (let i = 0; i < 5; i++) {
				await call('POST', `${registrantsPath(m.id)}?n=${i}&x=a%20b`, {
					base: small.url,
					body: { '@odata.type': REGISTRANT_TYPE, id: `r${i}` },
				});
			}
			expect(small.requests).toHaveLength(3);
			const last = small.requests[2];
			expect(small.requests.map((r) => r.query.n)).toEqual(['2', '3', '4']);
			expect(last).toMatchObject({
				method: 'POST',
				rawQuery: 'n=4&x=a%20b',
				query: { n: '4', x: 'a b' },
				status: 200,
				json: { id: 'r4' },
			});
			expect(last.rawPath).toBe(registrantsPath(m.id));
			expect(last.headers['content-type']).toBe('application/json');
			expect(JSON.parse(last.rawBody).id).toBe('r4');
			expect(last.responseBody.id).toBe('r4');
			expect(typeof last.time).toBe('number');
			expect(small.stats.requests).toBe(5);
			small.clearLog();
			expect(small.requests).toHaveLength(0);
		} finally {
			await small.close();
		}
	});

	test('the same seed gives the same ids', async () => {
		const a = await startGraphSandbox({ seed: 99 });
		const b = await startGraphSandbox({ seed: 99 });
		try {
			expect(a.createMeeting({ allowedRegistrant: 'everyone' })).toEqual(
				b.createMeeting({ allowedRegistrant: 'everyone' }),
			);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	test('cli prints one JSON line with the demo meetings and stops on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[path.join(__dirname, '..', 'sandbox', 'cli.js'), '--port', '0', '--latency', '0'],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		const line = await new Promise((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (d) => {
				out += d;
				if (out.includes('\n')) resolve(out.split('\n')[0]);
			});
			child.once('exit', (code) => reject(new Error(`cli exited early (${code})`)));
		});
		const info = JSON.parse(line);
		expect(info.token).toBe(DEFAULT_DELEGATED_TOKEN);
		expect(info.meetings.map((m) => m.allowedRegistrant)).toEqual(['everyone', 'organization']);
		expect(info.meetings[0].id).toBe('MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ');
		expect(info.virtualEvents.map((event) => event.kind)).toEqual(['webinar', 'townhall']);
		const townhall = await call(
			'GET',
			`/v1.0/solutions/virtualEvents/townhalls/${enc(info.virtualEvents[1].id)}`,
			{ base: info.url },
		);
		expect(townhall.body).toMatchObject({
			'@odata.type': '#microsoft.graph.virtualEventTownhall',
			displayName: 'Demo all-hands town hall',
		});
		const res = await call('POST', registrantsPath(info.meetings[0].id), {
			base: info.url,
			body: { '@odata.type': REGISTRANT_TYPE, id: '9d96988d-a66a-46ce-aad7-0b245615b297' },
		});
		expect(res.status).toBe(200);
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});
});

describe('virtual events: town halls, registrations made in Teams, sessions and attendance', () => {
	const APP_TOKEN = 'sandbox-app-token';
	const APP_SP = '5e0d9c8b-7a6f-4e5d-8c4b-3a2f1e0d9c8b';
	const NO_POLICY_TOKEN = 'sandbox-app-token-no-policy';
	const VE = '/v1.0/solutions/virtualEvents';
	const prepareApp = () => {
		sb.addToken(APP_TOKEN, { userId: APP_SP, kind: 'application' });
		sb.addToken(NO_POLICY_TOKEN, { userId: APP_SP, kind: 'application', noAccessPolicy: true });
	};
	const person = (n) => ({ firstName: `P${n}`, lastName: 'Teams', email: `p${n}@example.com` });

	test('town halls: listed by role, read by id, registration configuration and registrations as for webinars', async () => {
		prepareApp();
		const townhall = sb.virtualEvents.createTownhall({
			id: 'th-1@tenant',
			displayName: 'All hands',
		});
		sb.virtualEvents.createWebinar({ id: 'wb-1@tenant' });
		const mine = await call('GET', `${VE}/townhalls/getByUserRole(role='organizer')`);
		expect(mine.status).toBe(200);
		expect(
			mine.body.value.map((event) => [event['@odata.type'], event.id, event.displayName]),
		).toEqual([['#microsoft.graph.virtualEventTownhall', 'th-1@tenant', 'All hands']]);
		const byUser = await call(
			'GET',
			`${VE}/townhalls/getByUserIdAndRole(userId='${DEFAULT_ORGANIZER_ID}',role='organizer')`,
			{ token: APP_TOKEN },
		);
		expect(byUser.body.value.map((event) => event.id)).toEqual(['th-1@tenant']);
		const one = await call('GET', `${VE}/townhalls/${enc(townhall.id)}`);
		expect(one.body).toMatchObject({
			'@odata.type': '#microsoft.graph.virtualEventTownhall',
			id: 'th-1@tenant',
			isInviteOnly: false,
			invitedAttendees: [],
		});
		const configuration = await call(
			'GET',
			`${VE}/townhalls/${enc(townhall.id)}/registrationConfiguration`,
		);
		expect(configuration.body).toMatchObject({
			'@odata.type': '#microsoft.graph.virtualEventTownhallRegistrationConfiguration',
			registrationWebUrl: 'https://events.teams.microsoft.com/event/th-1@tenant',
		});
		// a webinar is not a town hall, nor the other way round
		expect((await call('GET', `${VE}/townhalls/${enc('wb-1@tenant')}`)).body.error).toMatchObject({
			code: 'NotFound',
			message: "The virtual event townhall 'wb-1@tenant' was not found.",
		});
		expect((await call('GET', `${VE}/webinars/${enc('th-1@tenant')}`)).status).toBe(404);
		const created = await call('POST', `${VE}/townhalls/${enc(townhall.id)}/registrations`, {
			token: APP_TOKEN,
			body: {
				firstName: 'Ann',
				lastName: 'Example',
				email: 'ann@example.com',
				preferredTimezone: 'UTC',
				preferredLanguage: 'en-us',
			},
		});
		expect(created.status).toBe(204);
		const [registration] = sb.virtualEvents.registrationsOf(townhall.id);
		expect(
			(
				await call(
					'POST',
					`${VE}/townhalls/${enc(townhall.id)}/registrations/${registration.id}/cancel`,
					{ token: APP_TOKEN },
				)
			).status,
		).toBe(204);
		const listed = await call('GET', `${VE}/townhalls/${enc(townhall.id)}/registrations`, {
			token: APP_TOKEN,
		});
		expect(listed.body['@odata.context']).toBe(
			`https://graph.microsoft.com/v1.0/$metadata#solutions/virtualEvents/townhalls('th-1@tenant')/registrations`,
		);
		expect(listed.body.value).toEqual([
			expect.objectContaining({
				id: registration.id,
				email: 'ann@example.com',
				status: 'canceled',
				cancelationDateTime: expect.any(String),
			}),
		]);
		const noPolicy = await call('GET', `${VE}/townhalls/${enc(townhall.id)}/registrations`, {
			token: NO_POLICY_TOKEN,
		});
		expect(noPolicy.status).toBe(403);
		expect(noPolicy.body.error).toMatchObject({
			code: 'Forbidden',
			message: 'No Application Access Policy found for this app.',
			innerError: { 'request-id': expect.any(String) },
		});
	});

	test('registrations made in Teams appear in listings (paged), cancellations with cancelationDateTime; no write budget used', async () => {
		sb.setPageSize(2);
		const webinar = sb.virtualEvents.createWebinar({ id: 'wb-2@tenant' });
		const first = sb.virtualEvents.addTeamsRegistration(webinar.id, person(1));
		for (let n = 2; n <= 5; n++)
			sb.virtualEvents.addTeamsRegistration(webinar.id, {
				...person(n),
				externalRegistrationInformation: { referrer: 'teams' },
			});
		const canceled = sb.virtualEvents.cancelRegistration(
			webinar.id,
			first.id,
			'2026-11-30T12:00:00.000Z',
		);
		expect(canceled).toMatchObject({
			status: 'canceled',
			cancelationDateTime: '2026-11-30T12:00:00.000Z',
		});
		const pages = [];
		let url = `${VE}/webinars/${enc(webinar.id)}/registrations`;
		while (url) {
			const page = await call('GET', url);
			expect(page.status).toBe(200);
			pages.push(page.body.value);
			url = page.body['@odata.nextLink']
				? page.body['@odata.nextLink'].slice(sb.url.length)
				: undefined;
		}
		expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
		const all = pages.flat();
		expect(all.map((registration) => registration.email)).toEqual([
			'p1@example.com',
			'p2@example.com',
			'p3@example.com',
			'p4@example.com',
			'p5@example.com',
		]);
		expect(all[0]).toEqual({
			'@odata.type': '#microsoft.graph.virtualEventRegistration',
			id: first.id,
			userId: null,
			firstName: 'P1',
			lastName: 'Teams',
			email: 'p1@example.com',
			status: 'canceled',
			registrationDateTime: first.registrationDateTime,
			cancelationDateTime: '2026-11-30T12:00:00.000Z',
			preferredTimezone: 'UTC',
			preferredLanguage: 'en-us',
			registrationQuestionAnswers: [],
			externalRegistrationInformation: null,
		});
		expect(all[1].externalRegistrationInformation).toEqual({
			referrer: 'teams',
			registrationId: null,
		});
		expect(sb.virtualEvents.stats.writes).toBe(0);
		expect(() =>
			sb.virtualEvents.addTeamsRegistration(webinar.id, { firstName: 'x', lastName: 'y' }),
		).toThrow('email is required');
		expect(() => sb.virtualEvents.cancelRegistration(webinar.id, 'nope')).toThrow(
			"no registration 'nope'",
		);
	});

	test('reads are throttled under their own budget (750 per 30 s, scalable), with Retry-After and a Graph error body', async () => {
		const { frozen, restore } = holdClock();
		try {
			const webinar = sb.virtualEvents.createWebinar({ id: 'wb-3@tenant' });
			sb.virtualEvents.setReadLimit({ requests: 3, perMs: 3000 });
			const path = `${VE}/webinars/${enc(webinar.id)}/registrations`;
			for (let i = 0; i < 3; i++) expect((await call('GET', path)).status).toBe(200);
			const throttled = await call('GET', path);
			expect(throttled.status).toBe(429);
			expect(throttled.headers.get('retry-after')).toBe('1');
			expect(throttled.body.error).toMatchObject({
				code: 'TooManyRequests',
				innerError: { date: expect.any(String), 'request-id': expect.any(String) },
			});
			// writes have their own bucket
			expect(sb.virtualEvents.stats).toMatchObject({ reads: 4, throttledReads: 1, writes: 0 });
			frozen.time += 1000;
			expect((await call('GET', path)).status).toBe(200);
		} finally {
			restore();
		}
	});

	test('sessions and their attendance reports and records, for webinars and town halls, in the documented shapes', async () => {
		prepareApp();
		sb.setPageSize(1);
		for (const [kind, create] of [
			['webinars', 'createWebinar'],
			['townhalls', 'createTownhall'],
		]) {
			sb.virtualEvents.setReadLimit(null);
			const event = sb.virtualEvents[create]({ id: `${kind}-ev@tenant`, displayName: 'Launch' });
			const registration = sb.virtualEvents.addTeamsRegistration(event.id, person(1));
			const session = sb.virtualEvents.addSession(event.id, {
				id: `s-${kind}@tenant`,
				startDateTime: '2026-01-15T15:00:00',
				endDateTime: '2026-01-15T16:00:00',
			});
			const report = sb.virtualEvents.addAttendanceReport(event.id, session.id, {
				id: `r-${kind}`,
				meetingStartDateTime: '2026-01-15T15:00:00Z',
				meetingEndDateTime: '2026-01-15T16:00:00Z',
				records: [
					{
						emailAddress: 'p1@example.com',
						displayName: 'P1 Teams',
						role: 'Attendee',
						registrationId: registration.id,
						intervals: [
							{ joinDateTime: '2026-01-15T15:00:00Z', leaveDateTime: '2026-01-15T15:10:00Z' },
							{ joinDateTime: '2026-01-15T15:20:00Z', leaveDateTime: '2026-01-15T15:30:30Z' },
						],
					},
					{
						emailAddress: 'org@example.com',
						userId: DEFAULT_ORGANIZER_ID,
						role: 'Organizer',
						intervals: [
							{ joinDateTime: '2026-01-15T14:50:00Z', leaveDateTime: '2026-01-15T16:00:00Z' },
						],
					},
				],
			});
			expect(report).toMatchObject({ id: `r-${kind}`, totalParticipantCount: 2 });
			const base = `${VE}/${kind}/${enc(event.id)}/sessions`;
			const sessions = await call('GET', base, { token: APP_TOKEN });
			expect(sessions.body.value).toEqual([
				{
					id: session.id,
					subject: 'Launch',
					startDateTime: { dateTime: '2026-01-15T15:00:00', timeZone: 'UTC' },
					endDateTime: { dateTime: '2026-01-15T16:00:00', timeZone: 'UTC' },
					joinWebUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//),
				},
			]);
			const reports = await call('GET', `${base}/${enc(session.id)}/attendanceReports`, {
				token: APP_TOKEN,
			});
			expect(reports.body.value).toEqual([
				{
					id: `r-${kind}`,
					totalParticipantCount: 2,
					meetingStartDateTime: '2026-01-15T15:00:00.000Z',
					meetingEndDateTime: '2026-01-15T16:00:00.000Z',
					externalEventInformation: [],
				},
			]);
			const recordsPath = `${base}/${enc(session.id)}/attendanceReports/r-${kind}/attendanceRecords`;
			const page1 = await call('GET', recordsPath, { token: APP_TOKEN });
			expect(page1.body.value).toEqual([
				{
					id: expect.stringMatching(UUID),
					emailAddress: 'p1@example.com',
					totalAttendanceInSeconds: 1230,
					role: 'Attendee',
					identity: {
						'@odata.type': '#microsoft.graph.communicationsUserIdentity',
						id: null,
						displayName: 'P1 Teams',
						tenantId: null,
					},
					attendanceIntervals: [
						{
							joinDateTime: '2026-01-15T15:00:00Z',
							leaveDateTime: '2026-01-15T15:10:00Z',
							durationInSeconds: 600,
						},
						{
							joinDateTime: '2026-01-15T15:20:00Z',
							leaveDateTime: '2026-01-15T15:30:30Z',
							durationInSeconds: 630,
						},
					],
					registrationId: registration.id,
					externalRegistrationInformation: null,
				},
			]);
			const page2 = await call('GET', page1.body['@odata.nextLink'].slice(sb.url.length), {
				token: APP_TOKEN,
			});
			expect(
				page2.body.value.map((record) => [
					record.role,
					record.totalAttendanceInSeconds,
					record.identity.id,
				]),
			).toEqual([['Organizer', 4200, DEFAULT_ORGANIZER_ID]]);
			expect(page2.body['@odata.nextLink']).toBeUndefined();
			const expanded = await call(
				'GET',
				`${base}/${enc(session.id)}/attendanceReports/r-${kind}?$expand=attendanceRecords`,
				{ token: APP_TOKEN },
			);
			expect(expanded.body.attendanceRecords).toHaveLength(2);
			expect(
				(await call('GET', `${base}/nope/attendanceReports`, { token: APP_TOKEN })).status,
			).toBe(404);
		}
	});

	test('attendance needs OnlineMeetingArtifact.Read.All and, app-only, the access policy; sessions VirtualEvent.Read', async () => {
		prepareApp();
		const webinar = sb.virtualEvents.createWebinar({ id: 'wb-4@tenant' });
		const session = sb.virtualEvents.addSession(webinar.id, { id: 's4@tenant' });
		const reportsPath = `${VE}/webinars/${enc(webinar.id)}/sessions/${enc(session.id)}/attendanceReports`;
		sb.virtualEvents.setPermissions(APP_SP, ['VirtualEvent.Read.All']);
		expect(
			(await call('GET', `${VE}/webinars/${enc(webinar.id)}/sessions`, { token: APP_TOKEN }))
				.status,
		).toBe(200);
		const missing = await call('GET', reportsPath, { token: APP_TOKEN });
		expect(missing.status).toBe(403);
		expect(missing.body.error.message).toBe(
			"Missing role permissions on the request. API requires one of 'OnlineMeetingArtifact.Read.All'. Roles on the request 'VirtualEvent.Read.All'.",
		);
		expect((await call('GET', reportsPath, { token: NO_POLICY_TOKEN })).status).toBe(403);
		sb.virtualEvents.setPermissions(DEFAULT_ORGANIZER_ID, ['VirtualEvent.Read']);
		expect((await call('GET', reportsPath)).body.error.message).toBe(
			"Missing scope permissions on the request. API requires one of 'OnlineMeetingArtifact.Read.All'. Scopes on the request 'VirtualEvent.Read'.",
		);
	});

	test('online meetings: attendance reports (v1.0) under /me and /users/{id}, records paged, $expand', async () => {
		prepareApp();
		sb.setPageSize(1);
		const meeting = sb.createMeeting({ id: 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ' });
		sb.addMeetingAttendanceReport(meeting.id, {
			id: 'c9b6db1c-d5eb-427d-a5c0-20088d9b22d7',
			meetingStartDateTime: '2026-01-20T09:00:00Z',
			meetingEndDateTime: '2026-01-20T09:30:00Z',
			records: [
				{
					emailAddress: 'a@example.com',
					intervals: [
						{ joinDateTime: '2026-01-20T09:01:00Z', leaveDateTime: '2026-01-20T09:02:00Z' },
					],
				},
				{ emailAddress: 'b@example.com', role: 'Presenter', intervals: [] },
			],
		});
		const list = await call('GET', `/v1.0/me/onlineMeetings/${meeting.id}/attendanceReports`);
		expect(list.status).toBe(200);
		expect(list.body).toEqual({
			'@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${DEFAULT_ORGANIZER_ID}')/onlineMeetings('${meeting.id}')/attendanceReports`,
			value: [
				{
					id: 'c9b6db1c-d5eb-427d-a5c0-20088d9b22d7',
					totalParticipantCount: 2,
					meetingStartDateTime: '2026-01-20T09:00:00.000Z',
					meetingEndDateTime: '2026-01-20T09:30:00.000Z',
				},
			],
		});
		const records = await call(
			'GET',
			`/v1.0/users/${DEFAULT_ORGANIZER_ID}/onlineMeetings/${meeting.id}/attendanceReports/c9b6db1c-d5eb-427d-a5c0-20088d9b22d7/attendanceRecords`,
			{ token: APP_TOKEN },
		);
		expect(records.body.value).toEqual([
			expect.objectContaining({
				emailAddress: 'a@example.com',
				totalAttendanceInSeconds: 60,
				role: 'Attendee',
				registrationId: null,
			}),
		]);
		expect(records.body['@odata.nextLink']).toEqual(expect.any(String));
		const expanded = await call(
			'GET',
			`/v1.0/me/onlineMeetings/${meeting.id}/attendanceReports/c9b6db1c-d5eb-427d-a5c0-20088d9b22d7?$expand=attendanceRecords`,
		);
		expect(expanded.body.attendanceRecords.map((record) => record.emailAddress)).toEqual([
			'a@example.com',
			'b@example.com',
		]);
		const noPolicy = await call(
			'GET',
			`/v1.0/users/${DEFAULT_ORGANIZER_ID}/onlineMeetings/${meeting.id}/attendanceReports`,
			{ token: NO_POLICY_TOKEN },
		);
		expect(noPolicy.body.error).toMatchObject({
			code: 'Forbidden',
			message: 'No Application Access Policy found for this app.',
		});
		expect(
			(await call('GET', `/v1.0/me/onlineMeetings/${meeting.id}/attendanceReports/nope`)).status,
		).toBe(404);
		// the rest of the meeting surface stays beta-only
		expect((await call('GET', `/v1.0/me/onlineMeetings/${meeting.id}`)).status).toBe(404);
	});
});

describe('demo activity (npm run sandbox, demo, e2e)', () => {
	test('createDemoActivity: a town hall, registrations made in Teams (one canceled), a session with attendance, a meeting report', () => {
		const {
			createDemoMeetings,
			createDemoWebinars,
			createDemoActivity,
			DEMO_WEBINAR,
			CONTRACT_MEETING_ID,
		} = require('../sandbox/cli');
		createDemoMeetings(sb);
		createDemoWebinars(sb);
		const [webinar, townhall] = createDemoActivity(sb);
		expect([webinar.kind, webinar.id, townhall.kind]).toEqual([
			'webinar',
			DEMO_WEBINAR.id,
			'townhall',
		]);
		expect(
			sb.virtualEvents
				.registrationsOf(webinar.id)
				.map((registration) => [registration.email, registration.status]),
		).toEqual([
			['ada.teams@example.com', 'registered'],
			['ben.teams@example.com', 'canceled'],
			['cleo.teams@example.com', 'registered'],
		]);
		expect(sb.virtualEvents.registrationsOf(townhall.id)).toHaveLength(2);
		expect(sb._meetings.get(CONTRACT_MEETING_ID).attendanceReports).toHaveLength(1);
	});
});
