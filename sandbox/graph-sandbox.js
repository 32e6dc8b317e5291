'use strict';
/**
 * Local Microsoft Graph sandbox imitating the beta external meeting registration API
 * (Microsoft's beta reference, "Create externalMeetingRegistrant" and its neighbours).
 * Plain Node 20, no dependencies. Listens on 127.0.0.1 at a random port by default.
 *
 * Deliberate choices:
 * - The registrant `id` in responses is the external id sent in the request. The contract's
 *   Example 1 answers with a different id than it was sent; that is treated as a doc defect.
 * - In organization mode `userId`/`tenantId` echo the request; the contract's Example 2
 *   response swaps them (a defect in that documentation example).
 * - Graph does not de-duplicate registrants: the same external id POSTed twice yields two
 *   records with distinct joinWebUrls (made unique by a `regid` query parameter).
 * - DELETE .../registrants/{id} removes ONE record (the oldest with that id), so a client
 *   cleaning duplicates must delete once per record.
 */
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { SignInAuthority } = require('./sign-in-authority');
const { VirtualEvents, attendanceReport, serveAttendance } = require('./virtual-events');

const DEFAULT_ORGANIZER_ID = '16664f75-11dc-4870-bec6-38c1aaa81431';
const DEFAULT_TENANT_ID = '909c6581-5130-43e9-88f3-fcb3582cde37';
const DEFAULT_DELEGATED_TOKEN = 'sandbox-delegated-token';
const DEFAULT_ORGANIZER_UPN = 'organizer@sandbox.onmicrosoft.com';

const GRAPH_BETA = 'https://graph.microsoft.com/beta';
const JSON_CONTENT_TYPE =
	'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const REGISTRANT_TYPE = '#microsoft.graph.externalMeetingRegistrant';
const REGISTRATION_TYPE = '#microsoft.graph.externalMeetingRegistration';
const AUDIENCES = ['everyone', 'organization'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BODY_BYTES = 4 * 1024 * 1024; // Graph's request size limit
const MAX_BATCH = 20;
const WWW_AUTHENTICATE =
	'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
	'client_id="00000003-0000-0000-c000-000000000000"';
const MSG_REGISTRATION_TYPE =
	'Invalid request. Provide microsoft.graph.meetingRegistration or microsoft.graph.externalMeetingRegistration in request body.';
const MSG_BAD_JSON =
	'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';
const FAULT_DEFAULTS = {
	400: ['BadRequest', 'Bad request.'],
	401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
	403: ['Forbidden', 'Forbidden.'],
	404: ['NotFound', 'The requested resource does not exist.'],
	409: ['Conflict', 'Conflict.'],
	429: ['TooManyRequests', 'Too many requests. Please try again later.'],
	500: ['InternalServerError', 'An internal server error occurred.'],
	502: ['BadGateway', 'Bad gateway.'],
	503: ['ServiceNotAvailable', 'The service is temporarily unavailable. Please retry later.'],
	504: ['GatewayTimeout', 'The gateway timed out.'],
};

/**
 * A queued fault; the first one matching a request (method, pathIncludes) applies, `times` times (default 1).
 * - `status`: no work; answer `status` with a Graph error body (`code`, `message`, `retryAfter`, `headers`).
 * - `dropBeforeCommit` / `dropAfterCommit`: destroy the socket before / after doing the work (no answer).
 * - `delay`: wait `ms` on the sandbox clock, then answer normally.
 * - `redirect`: no work; answer `status` (301|302|307|308, default 307), no body, `Location: location`.
 * - `commitThenStatus`: do the work, then answer `status` with a Graph error body instead of the real answer.
 * - `commitThenSilence`: do the work, then never answer; the socket stays open until `releaseSilent()`,
 *   `reset()` or `close()` destroys it (or the client goes away).
 * - `emptyOk`: no work; answer 200 with an empty body (Content-Length 0, no Content-Type).
 * Drops and `commitThenSilence` act on whole connections, so they never apply to `$batch` entries;
 * the other kinds do (a batch entry then carries the fault's status, headers and body).
 *
 * LogEntry: one per top-level request. `status` is null when no answer was written (drops, silence);
 * `responseHeaders` are the headers the answer was written with (request-id, Content-Type, Content-Length,
 * Retry-After, Location, ...); `fault` is the kind of the fault that applied.
 * @typedef {{ method?: string, pathIncludes?: string, times?: number,
 *   kind: 'status'|'dropBeforeCommit'|'dropAfterCommit'|'delay'|'redirect'|'commitThenStatus'|'commitThenSilence'|'emptyOk',
 *   status?: number, code?: string, message?: string, retryAfter?: number,
 *   headers?: Record<string,string>, ms?: number, location?: string }} Fault
 * @typedef {{ userId: string, tenantId?: string, kind: 'delegated'|'application',
 *   missingPermission?: boolean, noAccessPolicy?: boolean }} TokenInfo
 * @typedef {{ method: string, rawPath: string, rawQuery: string, query: Record<string,string>,
 *   headers: Record<string,any>, rawBody: string, json: any, status: number|null,
 *   responseBody: any, responseHeaders?: Record<string,string>, time: number, fault: string|null }} LogEntry
 * @typedef {{ status: number, headers: Record<string,string>, body?: any }} Result
 * @typedef {{ port?: number, tenantId?: string, latency?: number|[number,number],
 *   rateLimit?: {perSecond:number, burst?:number}|null, pageSize?: number, maxLog?: number,
 *   shuffleBatch?: boolean, seed?: string|number, clock?: SandboxClock }} SandboxOptions
 * @typedef {{ now(): number, sleep(ms: number): Promise<unknown> }} SandboxClock
 */

/** An error that becomes a Graph error body. */
class GraphError extends Error {
	/** @param {number} status @param {string} code @param {string} message @param {Record<string,string>} [headers] */
	constructor(status, code, message, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

/**
 * Random source; seeded (mulberry32 per named stream) when a seed is given so ids, shuffles and
 * latency jitter are reproducible, and independent streams keep request-ids from shifting entity ids.
 * @param {string|number|undefined|null} seed @param {string} stream
 */
function createRandom(seed, stream) {
	if (seed === undefined || seed === null) {
		return {
			float: Math.random,
			bytes: (/** @type {number} */ n) => crypto.randomBytes(n),
			uuid: () => crypto.randomUUID(),
		};
	}
	let state = crypto.createHash('sha256').update(`${seed}:${stream}`).digest().readUInt32LE(0);
	const float = () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	/** @param {number} n */
	const bytes = (n) => {
		const b = Buffer.allocUnsafe(n);
		for (let i = 0; i < n; i++) b[i] = (float() * 256) >>> 0;
		return b;
	};
	const uuid = () => {
		const b = bytes(16);
		b[6] = (b[6] & 0x0f) | 0x40;
		b[8] = (b[8] & 0x3f) | 0x80;
		const h = b.toString('hex');
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
	};
	return { float, bytes, uuid };
}

/** Token bucket shared by all requests (batch entries included). @param {{perSecond:number, burst?:number}} cfg */
function createTokenBucket({ perSecond, burst }, /** @type {SandboxClock} */ clock) {
	if (!(perSecond > 0)) throw new TypeError('setRateLimit: perSecond must be > 0');
	const capacity = Math.max(1, burst ?? Math.ceil(perSecond));
	let tokens = capacity;
	let last = clock.now();
	/** @returns {number} 0 when allowed, else whole seconds to wait (>= 1) */
	const take = () => {
		const now = clock.now();
		tokens = Math.min(capacity, tokens + ((now - last) / 1000) * perSecond);
		last = now;
		if (tokens >= 1) {
			tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - tokens) / perSecond));
	};
	return { take };
}

/** Teams URLs percent-encode with lowercase hex (`%7b%22Tid%22%3a...`), unlike encodeURIComponent. */
const lowerEscapes = (/** @type {string} */ s) =>
	s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const teamsContext = (/** @type {object} */ obj) =>
	lowerEscapes(encodeURIComponent(JSON.stringify(obj)));
const threadUrl = (/** @type {string} */ thread) =>
	`https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0`;
/** OData key literal: a quote is doubled. */
const odataKey = (/** @type {string} */ s) => s.replace(/'/g, "''");
/** Graph's innerError date: ISO 8601 without milliseconds. */
const graphDate = () => new Date().toISOString().slice(0, 19);
const lc = (/** @type {string|undefined} */ s) => (s === undefined ? '' : s.toLowerCase());

/** Split a request target into the undecoded path and query (a `#` never reaches the wire). */
function splitTarget(/** @type {string} */ target) {
	const q = target.indexOf('?');
	return q < 0
		? { rawPath: target, rawQuery: '' }
		: { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

/** Decode each raw segment on its own so `%2F` inside an id stays within one segment. */
function pathSegments(/** @type {string} */ rawPath) {
	const parts = rawPath.split('/').slice(1);
	if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
	try {
		return parts.map((p) => decodeURIComponent(p));
	} catch {
		throw new GraphError(400, 'BadRequest', 'Bad Request - Invalid URL');
	}
}

function readBody(/** @type {http.IncomingMessage} */ req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size <= MAX_BODY_BYTES) chunks.push(c);
		});
		req.on('end', () =>
			resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')),
		);
		req.on('error', reject);
	});
}

const segmentNotFound = (/** @type {string} */ seg) =>
	new GraphError(400, 'BadRequest', `Resource not found for the segment '${seg}'.`);
const methodNotAllowed = () =>
	new GraphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.');

/** Enforce Graph's JSON body rules: JSON media type (415), parseable object (400). */
function requireJsonBody(ctx) {
	const type = lc(
		String(ctx.headers['content-type'] || '')
			.split(';')[0]
			.trim(),
	);
	if (type !== 'application/json') {
		throw new GraphError(
			415,
			'UnsupportedMediaType',
			`A supported MIME type could not be found that matches the content type of the request. The supported type(s) 'application/json' do not match the content type '${ctx.headers['content-type'] || ''}'.`,
		);
	}
	const body = ctx.json;
	if (body === null || typeof body !== 'object' || Array.isArray(body))
		throw new GraphError(400, 'BadRequest', MSG_BAD_JSON);
	return body;
}

class GraphSandbox {
	/** @param {SandboxOptions} options */
	constructor(options) {
		this._options = options;
		this._tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
		this._pageSize = options.pageSize ?? 100;
		this._maxLog = options.maxLog ?? 10000;
		/** @type {Map<string, TokenInfo>} */
		this._tokens = new Map();
		/** @type {Set<string>} */
		this._revoked = new Set();
		this.authority = new SignInAuthority({
			addToken: (token, info) => this.addToken(token, info),
			tenantId: this._tenantId,
		});
		/** @type {http.Server[]} the Graph listener, and the HTTPS sign-in authority's when started */
		this._servers = [];
		this._authorityUrl = '';
		/** @type {Map<string, {id:string, userPrincipalName:string|null, displayName:string|null}>} keyed by lower-cased id */
		this._users = new Map();
		/** @type {Map<string, string>} lower-cased UPN -> user id */
		this._upns = new Map();
		/** @type {Set<NodeJS.Timeout>} */
		this._timers = new Set();
		/** @type {SandboxClock} time for rate limits, latency and the log; tests may run it themselves */
		this.clock = options.clock ?? { now: () => Date.now(), sleep: (ms) => this._timerSleep(ms) };
		/**
		 * Requests received and not yet answered, and how many of them are parked: in a latency pause
		 * (clock.sleep), or silenced by a `commitThenSilence` fault. A silenced request stays in flight
		 * until released (`releaseSilent()`, `reset()`, `close()`, or its client going away), and counts
		 * as pausing too, so a virtual-time driver (test/harness/virtualClock.ts) treats it as parked
		 * and keeps moving the clock while the client waits for its own timeout.
		 */
		this.activity = { inFlight: 0, pausing: 0 };
		/** @type {Set<() => void>} releases of requests silenced by `commitThenSilence` */
		this._silenced = new Set();
		this._url = '';
		/** @type {http.Server|null} */
		this._server = null;
		this.addUser({
			id: DEFAULT_ORGANIZER_ID,
			userPrincipalName: DEFAULT_ORGANIZER_UPN,
			displayName: 'Sandbox Organizer',
		});
		this.addToken(DEFAULT_DELEGATED_TOKEN, {
			userId: DEFAULT_ORGANIZER_ID,
			tenantId: this._tenantId,
			kind: 'delegated',
		});
		/** Teams webinars under /v1.0/solutions/virtualEvents (sandbox/virtual-events.js). */
		this.virtualEvents = new VirtualEvents(this, {
			GraphError,
			requireJsonBody,
			methodNotAllowed,
			segmentNotFound,
			defaultOrganizerId: DEFAULT_ORGANIZER_ID,
		});
		this.reset();
		this.setLatency(options.latency ?? 0);
		this.setRateLimit(options.rateLimit ?? null);
	}

	/** @returns {string} `http://127.0.0.1:<port>` */
	get url() {
		return this._url;
	}
	/** @returns {LogEntry[]} live, capped request log (oldest first) */
	get requests() {
		return this._log;
	}

	/**
	 * Clears meetings, registrants, webinars, log, faults, stats and the rate limiters, and ends
	 * silenced requests; keeps tokens, users, latency, page size.
	 */
	reset() {
		this.releaseSilent();
		/** @type {Map<string, any>} */
		this._meetings = new Map();
		/** @type {Map<string, any>} joinWebUrl -> meeting, for the $filter lookup */
		this._byJoinUrl = new Map();
		/** @type {LogEntry[]} */
		this._log = [];
		/** @type {(Fault & {remaining:number})[]} */
		this._faults = [];
		this._bucket = null;
		this.authority.reset();
		this.virtualEvents.reset();
		this.stats = { requests: 0, throttled: 0, faultsInjected: 0 };
		const seed = this._options.seed;
		this._rand = {
			ids: createRandom(seed, 'ids'),
			req: createRandom(seed, 'req'),
			jitter: createRandom(seed, 'jitter'),
		};
	}

	clearLog() {
		this._log.length = 0;
	}

	/** @param {string} token @param {TokenInfo} info */
	addToken(token, info) {
		if (!token || !info || !info.userId || !['delegated', 'application'].includes(info.kind)) {
			throw new TypeError(
				'addToken(token, { userId, tenantId?, kind: "delegated"|"application" })',
			);
		}
		this._revoked.delete(token);
		this._tokens.set(token, { tenantId: this._tenantId, ...info });
		if (!this._users.has(lc(info.userId))) this.addUser({ id: info.userId });
	}

	/**
	 * Lets the sign-in endpoint (`POST /{tenant}/oauth2/v2.0/token`, grant `refresh_token`)
	 * exchange `refreshToken` for `accessToken`, as Microsoft's identity platform does when
	 * n8n renews a delegated token after a 401.
	 * @param {string} refreshToken @param {string} accessToken
	 */
	addRefreshToken(refreshToken, accessToken) {
		this.authority.refreshTokens.set(refreshToken, accessToken);
	}

	/** @returns {string} `https://127.0.0.1:<port>`: the sign-in authority for MSAL (empty unless started with `tls`) */
	get authorityUrl() {
		return this._authorityUrl;
	}

	/** @param {string} token */
	revokeToken(token) {
		if (this._tokens.delete(token)) this._revoked.add(token);
	}

	/** @param {{id:string, userPrincipalName?:string, displayName?:string}} user */
	addUser({ id, userPrincipalName, displayName }) {
		if (!id) throw new TypeError('addUser: id is required');
		this._users.set(lc(id), {
			id,
			userPrincipalName: userPrincipalName ?? null,
			displayName: displayName ?? null,
		});
		if (userPrincipalName) this._upns.set(lc(userPrincipalName), id);
	}

	/** @param {number|[number,number]} msOrRange */
	setLatency(msOrRange) {
		const ok =
			typeof msOrRange === 'number'
				? msOrRange >= 0
				: Array.isArray(msOrRange) &&
					msOrRange.length === 2 &&
					msOrRange[0] >= 0 &&
					msOrRange[1] >= msOrRange[0];
		if (!ok) throw new TypeError('setLatency(ms) or setLatency([min, max])');
		this._latency = msOrRange;
	}

	/** @param {{perSecond:number, burst?:number}|null} cfg */
	setRateLimit(cfg) {
		this._bucket = cfg ? createTokenBucket(cfg, { now: () => this.clock.now() }) : null;
	}

	/** @param {number} n */
	setPageSize(n) {
		if (!Number.isInteger(n) || n < 1) throw new TypeError('setPageSize(n): positive integer');
		this._pageSize = n;
	}

	/** @param {Fault} fault */
	injectFault(fault) {
		const kinds = [
			'status',
			'dropBeforeCommit',
			'dropAfterCommit',
			'delay',
			'redirect',
			'commitThenStatus',
			'commitThenSilence',
			'emptyOk',
		];
		if (!fault || !kinds.includes(fault.kind))
			throw new TypeError(`injectFault: kind must be one of ${kinds.join(', ')}`);
		if (
			(fault.kind === 'status' || fault.kind === 'commitThenStatus') &&
			!Number.isInteger(fault.status)
		) {
			throw new TypeError('injectFault: status required');
		}
		if (fault.kind === 'delay' && !(fault.ms >= 0)) throw new TypeError('injectFault: ms required');
		if (fault.kind === 'redirect') {
			if (typeof fault.location !== 'string' || !fault.location)
				throw new TypeError('injectFault: redirect needs a location');
			if (fault.status !== undefined && ![301, 302, 307, 308].includes(fault.status)) {
				throw new TypeError('injectFault: redirect status must be 301, 302, 307 or 308');
			}
		}
		this._faults.push({ ...fault, remaining: fault.times ?? 1 });
	}

	/** Ends the requests a `commitThenSilence` fault left unanswered: their sockets are destroyed. */
	releaseSilent() {
		for (const release of [...this._silenced]) release();
	}

	/**
	 * @param {{id?:string, organizerId?:string, subject?:string, allowedRegistrant?:'everyone'|'organization'|null,
	 *   startDateTime?:string, endDateTime?:string}} [params]
	 */
	createMeeting(params = {}) {
		const { allowedRegistrant = null } = params;
		if (allowedRegistrant !== null && !AUDIENCES.includes(allowedRegistrant)) {
			throw new TypeError(
				'createMeeting: allowedRegistrant must be everyone, organization or null',
			);
		}
		const organizerId = params.organizerId ?? DEFAULT_ORGANIZER_ID;
		if (!this._users.has(lc(organizerId))) this.addUser({ id: organizerId });
		const meeting = this._newMeeting(organizerId, params);
		if (allowedRegistrant) meeting.registration = { id: this._rand.ids.uuid(), allowedRegistrant };
		return summarizeMeeting(meeting);
	}

	/** @param {string} id */
	getMeeting(id) {
		const m = this._meetings.get(id);
		return m ? summarizeMeeting(m) : null;
	}

	/**
	 * An attendance report of an online meeting, with its records (no registrationId: that is
	 * for virtual events), as Teams makes one after the meeting.
	 * @param {string} meetingId @param {import('./virtual-events').AttendanceReportParams} params
	 */
	addMeetingAttendanceReport(meetingId, params) {
		const m = this._meetings.get(meetingId);
		if (!m) throw new Error(`addMeetingAttendanceReport: no meeting '${meetingId}'`);
		const report = attendanceReport(params, this._rand.ids, this._tenantId, false);
		m.attendanceReports.push(report);
		return { id: report.id, totalParticipantCount: report.totalParticipantCount };
	}

	/** @param {string} meetingId */
	registrantsOf(meetingId) {
		const m = this._meetings.get(meetingId);
		return m ? m.registrants.map((/** @type {any} */ r) => ({ ...r })) : [];
	}

	/** @param {string} meetingId @param {string} externalId */
	registrantCount(meetingId, externalId) {
		const m = this._meetings.get(meetingId);
		return m ? m.registrants.filter((/** @type {any} */ r) => r.id === externalId).length : 0;
	}

	/** Stops listening, destroys keep-alive sockets, silenced requests and pending latency timers. */
	close() {
		this.releaseSilent();
		for (const t of this._timers) clearTimeout(t);
		this._timers.clear();
		const servers = this._servers;
		this._servers = [];
		this._server = null;
		return Promise.all(
			servers.map(
				(server) =>
					new Promise((resolve) => {
						server.close(() => resolve(undefined));
						server.closeAllConnections();
					}),
			),
		).then(() => undefined);
	}

	/** Listens for Graph on HTTP, and with `tls` also as the HTTPS sign-in authority MSAL requires. */
	async _listen() {
		this._server = await this._serve(
			http.createServer(),
			(port) => {
				this._url = `http://127.0.0.1:${port}`;
			},
			this._options.port,
		);
		if (this._options.tls) {
			await this._serve(
				https.createServer({ key: this._options.tls.key, cert: this._options.tls.cert }),
				(port) => {
					this._authorityUrl = `https://127.0.0.1:${port}`;
				},
				0,
			);
		}
	}

	async _serve(server, onPort, port) {
		const baseUrl = () => (server instanceof https.Server ? this._authorityUrl : this._url);
		server.on('request', (req, res) => {
			this._onRequest(req, res, baseUrl()).catch((err) => {
				if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
				res.end(String(err && err.stack));
			});
		});
		server.keepAliveTimeout = 30000;
		await new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port ?? 0, '127.0.0.1', () => resolve(undefined));
		});
		onPort(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
		this._servers.push(server);
		return server;
	}

	/** @param {any} organizerId @param {any} params */
	_newMeeting(organizerId, params) {
		// Real threads are base64 of a GUID string; real ids base64 of "1*<oid>*0**19:meeting_...@thread.v2".
		const thread = Buffer.from(this._rand.ids.uuid()).toString('base64');
		const id =
			params.id ??
			Buffer.from(`1*${organizerId}*0**19:meeting_${thread}@thread.v2`).toString('base64');
		if (this._meetings.has(id)) throw new Error(`createMeeting: meeting id '${id}' already exists`);
		const now = new Date();
		const meeting = {
			id,
			organizerId,
			thread,
			subject: params.subject !== undefined ? params.subject : 'Sandbox meeting',
			creationDateTime: now.toISOString(),
			startDateTime: params.startDateTime ?? new Date(now.getTime() + 86400000).toISOString(),
			endDateTime: params.endDateTime ?? new Date(now.getTime() + 90000000).toISOString(),
			joinWebUrl: `${threadUrl(thread)}?context=${teamsContext({ Tid: this._tenantId, Oid: organizerId })}`,
			/** @type {{id:string, allowedRegistrant:string}|null} */
			registration: null,
			/** @type {{id:string, joinWebUrl:string, userId:string|null, tenantId:string|null}[]} */
			registrants: [],
			/** @type {any[]} attendance reports (addMeetingAttendanceReport) */
			attendanceReports: [],
		};
		this._meetings.set(id, meeting);
		this._byJoinUrl.set(meeting.joinWebUrl, meeting);
		return meeting;
	}

	// ---- request pipeline -------------------------------------------------------------------

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async _onRequest(req, res, baseUrl) {
		this.activity.inFlight++;
		try {
			await this._answer(req, res, baseUrl);
		} finally {
			this.activity.inFlight--;
		}
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async _answer(req, res, baseUrl) {
		const time = this.clock.now();
		this.stats.requests++;
		const { rawPath, rawQuery } = splitTarget(req.url || '/');
		const rawBody = await readBody(req);
		const ctx = this._context(
			req.method || 'GET',
			rawPath,
			rawQuery,
			req.headers,
			rawBody ?? '',
			false,
		);
		ctx.baseUrl = baseUrl;
		const fault = this._takeFault(ctx, true);
		const latency = this._latencyMs() + (fault && fault.kind === 'delay' ? Number(fault.ms) : 0);
		if (latency > 0) await this._sleep(latency);
		if (fault && fault.kind === 'dropBeforeCommit') {
			req.socket.destroy();
			return this._record(ctx, time, null, fault);
		}
		/** @type {Result} */
		let result;
		if (rawBody === null)
			result = this._errorResult(
				ctx,
				new GraphError(413, 'RequestEntityTooLarge', 'The request body exceeds 4 MB.'),
			);
		else result = (fault && this._faultInsteadOfWork(ctx, fault)) || (await this._handle(ctx));
		if (fault && fault.kind === 'dropAfterCommit') {
			req.socket.destroy(); // the work is done; the answer is lost on the wire
			return this._record(ctx, time, null, fault);
		}
		if (fault && fault.kind === 'commitThenSilence') {
			this._record(ctx, time, null, fault);
			return this._silence(req); // the work is done; the answer never comes
		}
		if (fault && fault.kind === 'commitThenStatus') result = this._faultResult(ctx, fault);
		const headers = {
			'request-id': ctx.requestId,
			'client-request-id': ctx.clientRequestId,
			'Cache-Control': 'no-store, no-cache',
			...result.headers,
		};
		let payload = '';
		if (result.body !== undefined) {
			payload = JSON.stringify(result.body);
			headers['Content-Type'] = JSON_CONTENT_TYPE;
		}
		if (result.status !== 204) headers['Content-Length'] = String(Buffer.byteLength(payload)); // none on 204 (RFC 9110)
		if (!res.destroyed) {
			res.writeHead(result.status, headers);
			res.end(payload);
		}
		this._record(ctx, time, { ...result, headers }, fault); // responseHeaders: exactly what was sent
	}

	/** Build the per-request context shared by top-level requests and batch entries. */
	_context(method, rawPath, rawQuery, headers, rawBody, inBatch) {
		let json;
		if (rawBody) {
			try {
				json = JSON.parse(rawBody);
			} catch {
				json = undefined;
			}
		}
		const requestId = this._rand.req.uuid();
		return {
			method: method.toUpperCase(),
			rawPath,
			rawQuery,
			headers,
			rawBody,
			json,
			inBatch,
			requestId,
			query: Object.fromEntries(new URLSearchParams(rawQuery)),
			// Graph echoes the caller's client-request-id, or reuses its own request-id.
			clientRequestId: String(headers['client-request-id'] || requestId),
		};
	}

	/** Append to the capped log; the oldest entry is dropped so long benchmarks stay flat in memory. */
	_record(ctx, time, result, fault) {
		if (this._maxLog <= 0) return;
		if (this._log.length >= this._maxLog) this._log.shift();
		this._log.push({
			method: ctx.method,
			rawPath: ctx.rawPath,
			rawQuery: ctx.rawQuery,
			query: ctx.query,
			headers: ctx.headers,
			rawBody: ctx.rawBody,
			json: ctx.json,
			status: result ? result.status : null,
			responseBody: result ? result.body : undefined,
			responseHeaders: result ? result.headers : undefined,
			time,
			fault: fault ? fault.kind : null,
		});
	}

	/** First queued fault matching the request; drop and silence faults only apply to real connections. */
	_takeFault(ctx, topLevel) {
		for (let i = 0; i < this._faults.length; i++) {
			const f = this._faults[i];
			if (
				!topLevel &&
				(f.kind === 'dropBeforeCommit' ||
					f.kind === 'dropAfterCommit' ||
					f.kind === 'commitThenSilence')
			)
				continue;
			if (f.method && f.method.toUpperCase() !== ctx.method) continue;
			if (
				f.pathIncludes &&
				!ctx.rawPath.includes(f.pathIncludes) &&
				!safeDecode(ctx.rawPath).includes(f.pathIncludes)
			)
				continue;
			if (--f.remaining <= 0) this._faults.splice(i, 1);
			this.stats.faultsInjected++;
			return f;
		}
		return null;
	}

	/** The answer of a fault that skips the work (status, redirect, emptyOk); null when the work must run. @returns {Result|null} */
	_faultInsteadOfWork(ctx, f) {
		if (f.kind === 'status') return this._faultResult(ctx, f);
		if (f.kind === 'redirect')
			return { status: f.status ?? 307, headers: { Location: f.location, ...(f.headers || {}) } };
		if (f.kind === 'emptyOk') return { status: 200, headers: { ...(f.headers || {}) } };
		return null;
	}

	/**
	 * Leaves a request unanswered until released; it stays in `activity.inFlight` and is counted in
	 * `activity.pausing` meanwhile (see the constructor). Resolves once released.
	 * @param {http.IncomingMessage} req
	 */
	_silence(req) {
		const socket = req.socket;
		this.activity.pausing++;
		return new Promise((resolve) => {
			const release = () => {
				if (!this._silenced.delete(release)) return;
				socket.off('close', release);
				this.activity.pausing--;
				socket.destroy();
				resolve(undefined);
			};
			this._silenced.add(release);
			if (socket.destroyed) release();
			else socket.once('close', release); // the client gave up
		});
	}

	_faultResult(ctx, f) {
		const [code, message] = FAULT_DEFAULTS[f.status] || [
			'UnknownError',
			`Injected fault (HTTP ${f.status}).`,
		];
		const headers = {
			...(f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {}),
			...(f.headers || {}),
		};
		return this._errorResult(
			ctx,
			new GraphError(f.status, f.code ?? code, f.message ?? message, headers),
		);
	}

	_latencyMs() {
		const l = this._latency;
		return typeof l === 'number' ? l : l[0] + this._rand.jitter.float() * (l[1] - l[0]);
	}

	async _sleep(ms) {
		this.activity.pausing++;
		try {
			await this.clock.sleep(ms);
		} finally {
			this.activity.pausing--;
		}
	}

	_timerSleep(ms) {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this._timers.delete(t);
				resolve(undefined);
			}, ms);
			this._timers.add(t);
		});
	}

	/** @returns {Result} */
	_errorResult(ctx, err) {
		const body = {
			error: {
				code: err.code,
				message: err.message,
				innerError: {
					date: graphDate(),
					'request-id': ctx.requestId,
					'client-request-id': ctx.clientRequestId,
				},
			},
		};
		const headers =
			err.status === 401
				? { 'WWW-Authenticate': WWW_AUTHENTICATE, ...err.headers }
				: { ...err.headers };
		return { status: err.status, headers, body };
	}

	/** Rate limit, then route; every failure becomes a Graph error result. */
	async _handle(ctx) {
		const signIn = this.authority.handle(ctx, ctx.baseUrl);
		if (signIn) return signIn;
		try {
			const isBatch =
				/^\/beta\/\$batch\/?$/i.test(ctx.rawPath) || /^\/beta\/%24batch\/?$/i.test(ctx.rawPath);
			// The $batch envelope itself is not metered; each of its entries is (as Graph evaluates them individually).
			const wait = this._bucket && !isBatch ? this._bucket.take() : 0;
			if (wait) {
				this.stats.throttled++;
				throw new GraphError(
					429,
					'TooManyRequests',
					'Too many requests from Identifier:sandbox under category:throttle.sandbox.onlinemeetings. Please try again later.',
					{ 'Retry-After': String(wait) },
				);
			}
			return await this._route(ctx);
		} catch (err) {
			const e =
				err instanceof GraphError
					? err
					: new GraphError(500, 'InternalServerError', String(err && err.message));
			return this._errorResult(ctx, e);
		}
	}

	/**
	 * `GET /v1.0/organization`: what an app-only credential test calls. Apps holding only
	 * OnlineMeetings.ReadWrite.All get Graph's 403 (the token itself was accepted).
	 */
	_organization(ctx) {
		const caller = this._authenticate(ctx);
		if (ctx.method !== 'GET') throw methodNotAllowed();
		if (caller.kind === 'application') {
			throw new GraphError(
				403,
				'Authorization_RequestDenied',
				'Insufficient privileges to complete the operation.',
			);
		}
		return {
			status: 200,
			headers: {},
			body: {
				'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#organization',
				value: [{ id: caller.tenantId }],
			},
		};
	}

	// ---- routing ----------------------------------------------------------------------------

	/** @returns {Promise<Result>} */
	async _route(ctx) {
		const segs = pathSegments(ctx.rawPath);
		if (segs[0] === 'v1.0' && lc(segs[1]) === 'organization' && segs.length === 2)
			return this._organization(ctx);
		if (segs[0] === 'v1.0' && lc(segs[1]) === 'solutions' && lc(segs[2]) === 'virtualevents')
			return this.virtualEvents.handle(ctx, segs.slice(3));
		// Online meeting attendance reports are v1.0 (and beta); the rest of /me and /users only beta here.
		const v1 = segs[0] === 'v1.0';
		const attendancePath = segs.some(
			(seg, i) => lc(seg) === 'onlinemeetings' && lc(segs[i + 2] ?? '') === 'attendancereports',
		);
		if (segs[0] !== 'beta' && !(v1 && attendancePath)) {
			throw new GraphError(
				404,
				'NotFound',
				`The sandbox serves only /beta; '/${segs[0] ?? ''}' has no external meeting registration resources.`,
			);
		}
		let rest = segs.slice(1);
		if (rest.length === 1 && lc(rest[0]) === '$batch') {
			if (ctx.inBatch)
				throw new GraphError(400, 'BadRequest', 'Nested batch requests are not supported.');
			if (ctx.method !== 'POST') throw methodNotAllowed();
			return this._batch(ctx);
		}
		const caller = this._authenticate(ctx);
		let user;
		if (lc(rest[0]) === 'me') {
			if (caller.kind !== 'delegated')
				throw new GraphError(
					400,
					'BadRequest',
					'/me request is only valid with delegated authentication flow.',
				);
			user = this._users.get(lc(caller.userId)) || {
				id: caller.userId,
				userPrincipalName: null,
				displayName: null,
			};
			rest = rest.slice(1);
		} else if (lc(rest[0]) === 'users' && rest.length >= 2) {
			user = this._resolveUser(rest[1]);
			if (!user) {
				throw new GraphError(
					404,
					'Request_ResourceNotFound',
					`Resource '${rest[1]}' does not exist or one of its queried reference-property objects are not present.`,
				);
			}
			rest = rest.slice(2);
		} else {
			throw segmentNotFound(rest[0] ?? '');
		}
		if (rest.length === 0) {
			if (ctx.method !== 'GET') throw methodNotAllowed();
			return this._getUser(ctx, user);
		}
		if (lc(rest[0]) !== 'onlinemeetings') throw segmentNotFound(rest[0]);
		this._authorizeMeetings(caller, user.id);
		const organizerId = user.id;
		if (rest.length === 1) {
			if (ctx.method === 'GET') return this._listMeetings(ctx, organizerId);
			if (ctx.method === 'POST') return this._postMeeting(ctx, organizerId);
			throw methodNotAllowed();
		}
		const meeting = this._meetings.get(rest[1]);
		if (!meeting || meeting.organizerId !== organizerId)
			throw new GraphError(404, 'NotFound', 'The specified online meeting was not found.');
		if (rest.length === 2) {
			if (ctx.method !== 'GET') throw methodNotAllowed();
			return { status: 200, headers: {}, body: this._meetingJson(meeting, true) };
		}
		if (lc(rest[2]) === 'attendancereports') {
			return serveAttendance(
				this.virtualEvents,
				ctx,
				caller,
				meeting.attendanceReports,
				rest.slice(2),
				`users('${meeting.organizerId}')/onlineMeetings('${odataKey(meeting.id)}')`,
				v1,
			);
		}
		if (lc(rest[2]) !== 'registration') throw segmentNotFound(rest[2]);
		if (rest.length === 3) {
			if (ctx.method === 'GET')
				return {
					status: 200,
					headers: {},
					body: registrationJson(requireRegistration(meeting), meeting),
				};
			if (ctx.method === 'POST') return this._postRegistration(ctx, meeting);
			if (ctx.method === 'DELETE') return deleteRegistration(meeting);
			throw methodNotAllowed();
		}
		if (lc(rest[3]) !== 'registrants') throw segmentNotFound(rest[3]);
		if (rest.length === 4) {
			if (ctx.method === 'GET') return this._listRegistrants(ctx, meeting);
			if (ctx.method === 'POST') return this._postRegistrant(ctx, meeting);
			throw methodNotAllowed();
		}
		if (rest.length === 5) {
			if (ctx.method !== 'DELETE') throw methodNotAllowed();
			return deleteRegistrant(meeting, rest[4]);
		}
		throw segmentNotFound(rest[5]);
	}

	/** @returns {TokenInfo} */
	_authenticate(ctx) {
		const header = String(ctx.headers.authorization || '').trim();
		const match = /^Bearer\s+(\S.*)$/i.exec(header);
		const token = match ? match[1].trim() : '';
		if (!token) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
		if (this._revoked.has(token))
			throw new GraphError(
				401,
				'InvalidAuthenticationToken',
				'Access token has expired or is not yet valid.',
			);
		const info = this._tokens.get(token);
		if (!info)
			throw new GraphError(
				401,
				'InvalidAuthenticationToken',
				'Access token validation failure. Invalid audience.',
			);
		return info;
	}

	/** Permission, delegated-scope and application-access-policy checks for onlineMeetings paths. */
	_authorizeMeetings(caller, organizerId) {
		if (caller.missingPermission) {
			throw new GraphError(
				403,
				'Forbidden',
				caller.kind === 'delegated'
					? "Missing scope permissions on the request. API requires one of 'OnlineMeetings.ReadWrite'. Scopes on the request 'User.Read'."
					: "Missing role permissions on the request. API requires one of 'OnlineMeetings.ReadWrite.All'. Roles on the request ''.",
			);
		}
		if (caller.kind === 'delegated' && lc(organizerId) !== lc(caller.userId)) {
			throw new GraphError(
				403,
				'Forbidden',
				"A delegated token can only access the signed-in user's own online meetings.",
			);
		}
		if (caller.kind === 'application' && caller.noAccessPolicy) {
			throw new GraphError(403, 'Forbidden', 'No Application Access Policy found for this app.');
		}
	}

	/** @param {string} idOrUpn */
	_resolveUser(idOrUpn) {
		const key = lc(idOrUpn);
		const id = this._upns.get(key);
		return this._users.get(id !== undefined ? lc(id) : key);
	}

	_getUser(ctx, user) {
		const all = {
			id: user.id,
			userPrincipalName: user.userPrincipalName,
			displayName: user.displayName,
		};
		const select = ctx.query.$select
			? ctx.query.$select
					.split(',')
					.map((s) => s.trim())
					.filter((s) => s in all)
			: null;
		const body = {
			'@odata.context': `${GRAPH_BETA}/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`,
		};
		for (const key of select || Object.keys(all)) body[key] = all[key];
		return { status: 200, headers: {}, body };
	}

	_meetingJson(m, withContext) {
		const organizer = this._users.get(lc(m.organizerId));
		return {
			...(withContext
				? {
						'@odata.context': `${GRAPH_BETA}/$metadata#users('${m.organizerId}')/onlineMeetings/$entity`,
					}
				: {}),
			id: m.id,
			creationDateTime: m.creationDateTime,
			startDateTime: m.startDateTime,
			endDateTime: m.endDateTime,
			joinWebUrl: m.joinWebUrl,
			subject: m.subject,
			isBroadcast: false,
			participants: {
				organizer: {
					upn: organizer ? organizer.userPrincipalName : null,
					role: 'presenter',
					identity: { user: { id: m.organizerId, displayName: null, tenantId: this._tenantId } },
				},
				attendees: [],
			},
		};
	}

	/** Graph only lists meetings with `$filter=JoinWebUrl eq '<url>'` (OData literal, '' escapes a quote). */
	_listMeetings(ctx, organizerId) {
		const filter = ctx.query.$filter ?? ctx.query.filter;
		const match =
			filter === undefined ? null : /^\s*joinWebUrl\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
		if (!match) {
			throw new GraphError(
				400,
				'InvalidArgument',
				"Filter expression expected - /onlineMeetings?$filter={ParameterName} eq '{id}'.",
			);
		}
		const found = this._byJoinUrl.get(match[1].replace(/''/g, "'"));
		const value =
			found && found.organizerId === organizerId && this._meetings.get(found.id) === found
				? [this._meetingJson(found, false)]
				: [];
		return {
			status: 200,
			headers: {},
			body: {
				'@odata.context': `${GRAPH_BETA}/$metadata#users('${organizerId}')/onlineMeetings`,
				value,
			},
		};
	}

	_postMeeting(ctx, organizerId) {
		const body = requireJsonBody(ctx);
		for (const key of ['startDateTime', 'endDateTime']) {
			if (typeof body[key] !== 'string' || Number.isNaN(Date.parse(body[key]))) {
				throw new GraphError(
					400,
					'BadRequest',
					`The ${key} property is required and must be a valid date and time.`,
				);
			}
		}
		const subject = typeof body.subject === 'string' ? body.subject : null;
		const meeting = this._newMeeting(organizerId, {
			subject,
			startDateTime: body.startDateTime,
			endDateTime: body.endDateTime,
		});
		return { status: 201, headers: {}, body: this._meetingJson(meeting, true) };
	}

	_postRegistration(ctx, meeting) {
		const body = requireJsonBody(ctx);
		// Graph would also accept #microsoft.graph.meetingRegistration; this project only uses external registration.
		if (body['@odata.type'] !== REGISTRATION_TYPE)
			throw new GraphError(400, 'BadRequest', MSG_REGISTRATION_TYPE);
		if (!AUDIENCES.includes(body.allowedRegistrant)) {
			throw new GraphError(
				400,
				'BadRequest',
				"The allowedRegistrant property must be 'everyone' or 'organization'.",
			);
		}
		if (meeting.registration)
			throw new GraphError(409, 'Conflict', 'A registration already exists for this meeting.');
		meeting.registration = { id: this._rand.ids.uuid(), allowedRegistrant: body.allowedRegistrant };
		return { status: 201, headers: {}, body: registrationJson(meeting.registration, meeting) };
	}

	/** Enroll: validation follows the contract's two modes; the answer has exactly the contract's shape. */
	_postRegistrant(ctx, meeting) {
		const body = requireJsonBody(ctx);
		const registration = requireRegistration(meeting);
		if (body['@odata.type'] !== REGISTRANT_TYPE) {
			throw new GraphError(
				400,
				'BadRequest',
				'Invalid request. Provide microsoft.graph.meetingRegistrant or microsoft.graph.externalMeetingRegistrant in request body.',
			);
		}
		if (typeof body.id !== 'string' || body.id === '') {
			throw new GraphError(
				400,
				'BadRequest',
				'The id of the registrant in the external registration system is required.',
			);
		}
		const isPublic = registration.allowedRegistrant === 'everyone';
		const present = (/** @type {any} */ v) => v !== undefined && v !== null;
		if (isPublic && (present(body.tenantId) || present(body.userId))) {
			throw new GraphError(
				400,
				'BadRequest',
				'tenantId and userId are not expected when allowedRegistrant is everyone.',
			);
		}
		if (
			!isPublic &&
			!(GUID.test(String(body.tenantId ?? '')) && GUID.test(String(body.userId ?? '')))
		) {
			throw new GraphError(
				400,
				'BadRequest',
				'tenantId and userId (GUIDs) are required when allowedRegistrant is organization.',
			);
		}
		const context = teamsContext({
			Tid: this._tenantId,
			Oid: meeting.organizerId,
			prid: body.id,
			isPublic,
		});
		// `regid` keeps each record's link unique even for a repeated external id (Graph does not de-duplicate).
		const record = {
			id: body.id,
			joinWebUrl: `${threadUrl(meeting.thread)}?context=${context}&regid=${this._rand.ids.bytes(12).toString('hex')}`,
			userId: isPublic ? null : body.userId,
			tenantId: isPublic ? null : body.tenantId,
		};
		meeting.registrants.push(record);
		return {
			status: 200,
			headers: {},
			body: {
				'@odata.context': `${GRAPH_BETA}/$metadata#users('${meeting.organizerId}')/onlineMeetings('${odataKey(meeting.id)}')/registration/registrants/$entity`,
				'@odata.type': REGISTRANT_TYPE,
				id: record.id,
				joinWebUrl: record.joinWebUrl,
				userId: record.userId,
				tenantId: record.tenantId,
			},
		};
	}

	/** List with server-driven paging; the list never reveals join links (Graph returns null). */
	_listRegistrants(ctx, meeting) {
		requireRegistration(meeting);
		let start = 0;
		if (ctx.query.$skiptoken !== undefined) {
			const m = /^offset:(\d+)$/.exec(
				Buffer.from(ctx.query.$skiptoken, 'base64url').toString('utf8'),
			);
			if (!m) throw new GraphError(400, 'BadRequest', 'The $skiptoken value is invalid.');
			start = Number(m[1]);
		}
		const end = start + this._pageSize;
		const body = {
			'@odata.context': `${GRAPH_BETA}/$metadata#users('${meeting.organizerId}')/onlineMeetings('${odataKey(meeting.id)}')/registration/registrants`,
		};
		if (end < meeting.registrants.length) {
			body['@odata.nextLink'] =
				`${this._url}${ctx.rawPath}?$skiptoken=${Buffer.from(`offset:${end}`).toString('base64url')}`;
		}
		body.value = meeting.registrants.slice(start, end).map((/** @type {any} */ r) => ({
			'@odata.type': REGISTRANT_TYPE,
			id: r.id,
			joinWebUrl: null,
			userId: r.userId,
			tenantId: r.tenantId,
		}));
		return { status: 200, headers: {}, body };
	}

	// ---- JSON batching ----------------------------------------------------------------------

	async _batch(ctx) {
		const body = requireJsonBody(ctx);
		const list = body.requests;
		if (!Array.isArray(list) || list.length === 0)
			throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
		if (list.length > MAX_BATCH) {
			throw new GraphError(
				400,
				'BadRequest',
				`Number of batch request steps exceeds the maximum of ${MAX_BATCH}.`,
			);
		}
		const ids = new Set();
		for (const r of list) {
			if (
				!r ||
				typeof r.id !== 'string' ||
				!r.id ||
				typeof r.method !== 'string' ||
				typeof r.url !== 'string'
			) {
				throw new GraphError(400, 'BadRequest', 'Each batch request must have id, method and url.');
			}
			if (ids.has(r.id))
				throw new GraphError(400, 'BadRequest', `Batch request id '${r.id}' is duplicated.`);
			ids.add(r.id);
		}
		for (const r of list) {
			if (
				r.dependsOn !== undefined &&
				(!Array.isArray(r.dependsOn) || r.dependsOn.some((/** @type {any} */ d) => !ids.has(d)))
			) {
				throw new GraphError(
					400,
					'BadRequest',
					`Request '${r.id}' depends on an id that is not in the batch.`,
				);
			}
		}
		/** @type {Map<string, Result>} */
		const results = new Map();
		for (const r of dependencyOrder(list)) {
			const failed = (r.dependsOn || []).find(
				(/** @type {string} */ d) => results.get(d).status >= 400,
			);
			const sub = this._entryContext(ctx, r);
			results.set(
				r.id,
				failed !== undefined
					? this._errorResult(
							sub,
							new GraphError(
								424,
								'FailedDependency',
								`Request '${r.id}' was not executed because request '${failed}' it depends on failed.`,
							),
						)
					: await this._runEntry(sub, r),
			);
		}
		const responses = list.map((r) => {
			const res = results.get(r.id);
			const headers = { ...res.headers };
			if (res.body !== undefined) headers['Content-Type'] = JSON_CONTENT_TYPE;
			return res.body === undefined
				? { id: r.id, status: res.status, headers }
				: { id: r.id, status: res.status, headers, body: res.body };
		});
		if (this._options.shuffleBatch) shuffle(responses, this._rand.jitter);
		return { status: 200, headers: {}, body: { responses } };
	}

	/** A batch entry runs with the outer request's credentials; its url is relative to /beta. */
	_entryContext(outer, r) {
		const { rawPath, rawQuery } = splitTarget(`/beta${r.url.startsWith('/') ? '' : '/'}${r.url}`);
		const headers = {};
		for (const [k, v] of Object.entries(r.headers || {})) headers[k.toLowerCase()] = String(v);
		headers.authorization = outer.headers.authorization;
		headers['client-request-id'] = outer.clientRequestId;
		const rawBody = r.body === undefined || r.body === null ? '' : JSON.stringify(r.body);
		return this._context(r.method, rawPath, rawQuery, headers, rawBody, true);
	}

	async _runEntry(sub, r) {
		if (/^[a-z]+:/i.test(r.url))
			return this._errorResult(
				sub,
				new GraphError(
					400,
					'BadRequest',
					'Batch request url must be relative to the version, e.g. /me/onlineMeetings.',
				),
			);
		if (sub.rawBody && !sub.headers['content-type']) {
			return this._errorResult(
				sub,
				new GraphError(
					400,
					'BadRequest',
					'The Content-Type header is required when a batch request has a body.',
				),
			);
		}
		const fault = this._takeFault(sub, false);
		if (fault && fault.kind === 'delay') await this._sleep(Number(fault.ms));
		const instead = fault && this._faultInsteadOfWork(sub, fault);
		if (instead) return instead;
		const result = await this._handle(sub);
		return fault && fault.kind === 'commitThenStatus' ? this._faultResult(sub, fault) : result;
	}
}

// ---- plain helpers --------------------------------------------------------------------------

function safeDecode(/** @type {string} */ s) {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

function summarizeMeeting(m) {
	return {
		id: m.id,
		joinWebUrl: m.joinWebUrl,
		organizerId: m.organizerId,
		subject: m.subject,
		registration: m.registration ? { ...m.registration } : null,
	};
}

function requireRegistration(meeting) {
	if (!meeting.registration)
		throw new GraphError(
			404,
			'NotFound',
			'The registration of this online meeting does not exist.',
		);
	return meeting.registration;
}

function registrationJson(reg, meeting) {
	return {
		'@odata.context': `${GRAPH_BETA}/$metadata#users('${meeting.organizerId}')/onlineMeetings('${odataKey(meeting.id)}')/registration/$entity`,
		'@odata.type': REGISTRATION_TYPE,
		id: reg.id,
		allowedRegistrant: reg.allowedRegistrant,
	};
}

/** Disabling registration also discards its registrants. */
function deleteRegistration(meeting) {
	requireRegistration(meeting);
	meeting.registration = null;
	meeting.registrants = [];
	return { status: 204, headers: {} };
}

/** Removes one record (the oldest) holding that id; see the module header. */
function deleteRegistrant(meeting, registrantId) {
	requireRegistration(meeting);
	const i = meeting.registrants.findIndex((/** @type {any} */ r) => r.id === registrantId);
	if (i < 0) throw new GraphError(404, 'NotFound', 'The registrant does not exist.');
	meeting.registrants.splice(i, 1);
	return { status: 204, headers: {} };
}

/** Order entries so each runs after everything it depends on; a cycle is a bad batch. */
function dependencyOrder(list) {
	const pending = [...list];
	const done = new Set();
	const order = [];
	while (pending.length) {
		const i = pending.findIndex((r) =>
			(r.dependsOn || []).every((/** @type {string} */ d) => done.has(d)),
		);
		if (i < 0)
			throw new GraphError(
				400,
				'BadRequest',
				'The dependsOn references of the batch form a cycle.',
			);
		const [r] = pending.splice(i, 1);
		done.add(r.id);
		order.push(r);
	}
	return order;
}

function shuffle(arr, rand) {
	for (let i = arr.length - 1; i > 0; i--) {
		const j = Math.floor(rand.float() * (i + 1));
		[arr[i], arr[j]] = [arr[j], arr[i]];
	}
}

/**
 * Start a sandbox on 127.0.0.1.
 * @param {SandboxOptions} [options]
 * @returns {Promise<GraphSandbox>}
 */
async function startGraphSandbox(options = {}) {
	const sandbox = new GraphSandbox(options);
	await sandbox._listen();
	return sandbox;
}

module.exports = {
	startGraphSandbox,
	GraphSandbox,
	createRandom,
	DEFAULT_ORGANIZER_ID,
	DEFAULT_TENANT_ID,
	DEFAULT_DELEGATED_TOKEN,
	DEFAULT_ORGANIZER_UPN,
};
