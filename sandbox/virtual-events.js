'use strict';
/**
 * The Graph sandbox's Teams webinars and town halls (virtual events, Graph v1.0), under
 * `/v1.0/solutions/virtualEvents/webinars` and `.../townhalls`: what the webinar registration
 * operations and the registration trigger use. Town halls answer exactly as webinars do
 * (`townhalls` in place of `webinars`, `virtualEventTownhall` types); Microsoft's v1.0 pages
 * document town hall registrationConfiguration, sessions and attendance, while its v1.0 list,
 * create and cancel registration pages name webinars only (beta names both): the sandbox
 * mirrors webinars there.
 * Surface and rules from Microsoft's v1.0 reference pages for these requests:
 *
 *   GET  webinars/getByUserRole(role='organizer'|'coOrganizer')            delegated only
 *   GET  webinars/getByUserIdAndRole(userId='{id}',role='organizer'|...)   app: access policy
 *   GET  webinars/{id}, .../registrationConfiguration, .../registrationConfiguration/questions
 *   GET  webinars/{id}/registrations (server-driven paging), .../registrations/{rid}
 *   POST webinars/{id}/registrations   delegated → 201 + registration; application → 204, no body
 *   POST webinars/{id}/registrations/{rid}/cancel → 204
 *   GET  webinars/{id}/sessions, .../sessions/{sid}                  session summaries
 *   GET  .../sessions/{sid}/attendanceReports (the 50 most recent, no paging),
 *        .../attendanceReports/{rid} (`$expand=attendanceRecords`), .../{rid}/attendanceRecords (paged)
 *   (and the same under townhalls/...)
 *
 * Registrations "made in Teams" (on Teams' own registration page) come from the control API:
 * `addTeamsRegistration`, `cancelRegistration`; sessions and attendance from `addSession`
 * and `addAttendanceReport` (also used for online meetings by graph-sandbox.js).
 *
 * Permissions: delegated VirtualEvent.Read (reads) / VirtualEvent.ReadWrite (writes);
 * application VirtualEvent.Read.All (reads) and VirtualEventRegistration-Anon.ReadWrite.All
 * (register, cancel; also enough to read one registration), which exists only as an
 * application permission: a delegated token naming it gains nothing. Application calls also
 * need a Teams application access policy (the token's `noAccessPolicy`). Attendance reports and
 * records are online meeting artifacts: OnlineMeetingArtifact.Read.All, delegated or application.
 *
 * Listings may lag: `setListingLag(ms)` hides registrations younger than that from
 * `GET .../registrations` (not from reading one by id), as an eventually consistent service does.
 *
 * Throttling: 15 writes (create, cancel) per 30 s per app across all tenants, as a token
 * bucket (capacity 15, refilling 15 per 30 s) answering 429 with Retry-After; the sandbox
 * plays one app. `setWriteLimit` scales the window for tests that must not wait 30 s. Reads
 * (every GET) have their own bucket: 750 per 30 s per app (`setReadLimit`).
 *
 * Deliberate choices where Microsoft's pages are silent:
 * - A delegated registration registers the signed-in user (Microsoft: "register a Microsoft
 *   Entra user"); their email and names come from the directory. A delegated body naming
 *   firstName, lastName or email is refused (400), so tests prove the node never sends them.
 * - One active registration per email and webinar: registering an email that is registered,
 *   waitlisted or pending approval answers 409. A canceled person may register again.
 * - Status: manual approval → pendingApproval; capacity reached → waitlisted when the
 *   waitlist is on, else 409. Only published webinars take registrations (400 otherwise).
 * - singleChoice answers come as `value` (the answer type's own definition), multiChoice as
 *   `multiChoiceValues`, boolean as `booleanValue`, text and predefined questions as `value`.
 * - Cancelling a canceled registration answers 204 again.
 */

const GRAPH_V1 = 'https://graph.microsoft.com/v1.0';
const REGISTRATION_PAGE_BASE = 'https://events.teams.microsoft.com/event/';
const EVENT_TYPES = {
	webinar: '#microsoft.graph.virtualEventWebinar',
	townhall: '#microsoft.graph.virtualEventTownhall',
};
const CONFIGURATION_TYPES = {
	webinar: '#microsoft.graph.virtualEventWebinarRegistrationConfiguration',
	townhall: '#microsoft.graph.virtualEventTownhallRegistrationConfiguration',
};
/** The collection segment of each kind of event, as Graph spells it in paths. */
const COLLECTIONS = { webinar: 'webinars', townhall: 'townhalls' };
const KIND_OF_COLLECTION = { webinars: 'webinar', townhalls: 'townhall' };
const TEAMS_JOIN_BASE = 'https://teams.microsoft.com/l/meetup-join/';
/** Graph lists at most the 50 most recent attendance reports. */
const MAX_ATTENDANCE_REPORTS = 50;
const ATTENDANCE_ROLES = ['None', 'Attendee', 'Presenter', 'Organizer'];
const REGISTRATION_TYPE = '#microsoft.graph.virtualEventRegistration';
const CUSTOM_QUESTION_TYPE = '#microsoft.graph.virtualEventRegistrationCustomQuestion';
const PREDEFINED_QUESTION_TYPE = '#microsoft.graph.virtualEventRegistrationPredefinedQuestion';
const ANSWER_INPUT_TYPES = [
	'text',
	'multilineText',
	'singleChoice',
	'multiChoice',
	'boolean',
	'unknownFutureValue',
];
const MAX_EXTERNAL_REGISTRATION_ID = 256;
/** Graph's documented limit for webinar writes. */
const DEFAULT_WRITE_LIMIT = { requests: 15, perMs: 30_000 };
/** Graph's documented limit for virtual event reads (GET). */
const DEFAULT_READ_LIMIT = { requests: 750, perMs: 30_000 };

const PERMISSIONS = {
	read: {
		delegated: ['VirtualEvent.Read', 'VirtualEvent.ReadWrite'],
		application: ['VirtualEvent.Read.All'],
	},
	readRegistration: {
		delegated: ['VirtualEvent.Read', 'VirtualEvent.ReadWrite'],
		application: ['VirtualEvent.Read.All', 'VirtualEventRegistration-Anon.ReadWrite.All'],
	},
	write: {
		delegated: ['VirtualEvent.ReadWrite'],
		application: ['VirtualEventRegistration-Anon.ReadWrite.All'],
	},
	/** Attendance reports and records: online meeting artifacts. */
	artifacts: {
		delegated: ['OnlineMeetingArtifact.Read.All'],
		application: ['OnlineMeetingArtifact.Read.All'],
	},
};
/** What a token holds unless a test says otherwise: everything the node needs. */
const DEFAULT_PERMISSIONS = {
	delegated: ['VirtualEvent.ReadWrite', 'OnlineMeetingArtifact.Read.All'],
	application: [
		'VirtualEvent.Read.All',
		'VirtualEventRegistration-Anon.ReadWrite.All',
		'OnlineMeetingArtifact.Read.All',
	],
};
const ACTIVE_STATUSES = new Set(['registered', 'waitlisted', 'pendingApproval']);

const lc = (/** @type {string|undefined} */ s) => (s === undefined ? '' : s.toLowerCase());
const isText = (/** @type {unknown} */ value) => typeof value === 'string' && value.trim() !== '';

/** Token bucket: `requests` per `perMs`, refilled continuously. @param {{requests:number, perMs:number}} limit */
function createWriteBucket({ requests, perMs }, /** @type {{ now(): number }} */ clock) {
	if (!(requests >= 1) || !(perMs > 0))
		throw new TypeError('setWriteLimit/setReadLimit({ requests >= 1, perMs > 0 })');
	const perSecond = (requests * 1000) / perMs;
	let tokens = requests;
	let last = clock.now();
	/** @returns {number} 0 when allowed, else whole seconds to wait (>= 1) */
	const take = () => {
		const now = clock.now();
		tokens = Math.min(requests, tokens + ((now - last) / 1000) * perSecond);
		last = now;
		if (tokens >= 1) {
			tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - tokens) / perSecond));
	};
	return { take };
}

/** `name='value'` pairs of an OData function call segment; '' inside a literal is a quote. */
function functionArguments(/** @type {string} */ text) {
	/** @type {Record<string,string>} */
	const args = {};
	const pattern = /\s*(\w+)\s*=\s*'((?:[^']|'')*)'\s*(,|$)/gy;
	let match;
	let end = 0;
	while ((match = pattern.exec(text)) !== null && match[0] !== '') {
		args[match[1]] = match[2].replace(/''/g, "'");
		end = pattern.lastIndex;
	}
	return end === text.length ? args : null;
}

class VirtualEvents {
	/**
	 * @param {any} graph the GraphSandbox (authentication, users, page size, base URL, ids)
	 * @param {{ GraphError: any, requireJsonBody: (ctx: any) => any, methodNotAllowed: () => Error,
	 *   segmentNotFound: (segment: string) => Error, defaultOrganizerId: string }} tools
	 *   the sandbox's own error types and body rules, so webinar errors look like all others
	 */
	constructor(graph, tools) {
		this._graph = graph;
		this._tools = tools;
		this.reset();
	}

	/**
	 * Clears webinars, town halls, permission overrides, listing lag and the write and read
	 * limits' history; the limits go back to Graph's 15 writes and 750 reads per 30 s.
	 */
	reset() {
		/** @type {Map<string, any>} webinars and town halls by id (`kind` tells them apart) */
		this._events = new Map();
		/** @type {Map<string, string[]>} lower-cased principal id → permissions */
		this._permissions = new Map();
		this.setWriteLimit(DEFAULT_WRITE_LIMIT);
		this.setReadLimit(DEFAULT_READ_LIMIT);
		this._listingLagMs = 0;
		this.stats = { writes: 0, throttledWrites: 0, reads: 0, throttledReads: 0 };
	}

	/** @param {{requests:number, perMs:number}|null} limit null: writes are never throttled */
	setWriteLimit(limit) {
		this._writeLimit = limit;
		this._writeBucket = limit
			? createWriteBucket(limit, { now: () => this._graph.clock.now() })
			: null;
	}

	/** @param {{requests:number, perMs:number}|null} limit null: reads are never throttled */
	setReadLimit(limit) {
		this._readLimit = limit;
		this._readBucket = limit
			? createWriteBucket(limit, { now: () => this._graph.clock.now() })
			: null;
	}

	/** @param {number} ms registrations show up in listings this long after they were made */
	setListingLag(ms) {
		if (!(ms >= 0)) throw new TypeError('setListingLag(ms >= 0)');
		this._listingLagMs = ms;
	}

	/**
	 * The permissions a user's or app's tokens carry from now on (by object id, or an app's
	 * service principal id), instead of DEFAULT_PERMISSIONS.
	 * @param {string} principalId @param {string[]} permissions
	 */
	setPermissions(principalId, permissions) {
		this._permissions.set(lc(principalId), [...permissions]);
	}

	/**
	 * A webinar with its registration configuration and questions.
	 * @param {{ id?: string, organizerId?: string, displayName?: string, status?: 'published'|'draft'|'canceled',
	 *   startDateTime?: string, endDateTime?: string, coOrganizerIds?: string[], capacity?: number|null,
	 *   isWaitlistEnabled?: boolean, isManualApprovalEnabled?: boolean,
	 *   questions?: Array<{ id?: string, displayName: string, isRequired?: boolean,
	 *     answerInputType?: string, answerChoices?: string[], label?: string }> }} [params]
	 *   a question with `label` is predefined (answered as text), otherwise custom.
	 */
	createWebinar(params = {}) {
		return this._createEvent('webinar', params);
	}

	/** A town hall: the same parameters as `createWebinar`, the same registration surface. @param {Parameters<VirtualEvents['createWebinar']>[0]} [params] */
	createTownhall(params = {}) {
		return this._createEvent('townhall', params);
	}

	_createEvent(kind, params) {
		const rand = this._graph._rand.ids;
		const id = params.id ?? `${rand.uuid()}@${this._graph._tenantId}`;
		if (this._events.has(id))
			throw new Error(
				`create${kind === 'webinar' ? 'Webinar' : 'Townhall'}: id '${id}' already exists`,
			);
		const organizerId = params.organizerId ?? this._tools.defaultOrganizerId;
		if (!this._graph._users.has(lc(organizerId))) this._graph.addUser({ id: organizerId });
		const start = params.startDateTime ?? '2031-06-01T15:00:00';
		const questions = (params.questions ?? []).map((question) => {
			if (
				question.label === undefined &&
				!ANSWER_INPUT_TYPES.includes(question.answerInputType ?? '')
			) {
				throw new TypeError(
					`createWebinar: question "${question.displayName}" needs answerInputType (${ANSWER_INPUT_TYPES.join(', ')}) or a predefined label`,
				);
			}
			return {
				id: question.id ?? rand.uuid(),
				displayName: question.displayName,
				isRequired: question.isRequired ?? false,
				...(question.label !== undefined
					? { kind: 'predefined', label: question.label }
					: {
							kind: 'custom',
							answerInputType: question.answerInputType,
							answerChoices: question.answerChoices ?? [],
						}),
			};
		});
		const event = {
			kind,
			id,
			organizerId,
			coOrganizerIds: params.coOrganizerIds ?? [],
			displayName:
				params.displayName ?? (kind === 'webinar' ? 'Sandbox webinar' : 'Sandbox town hall'),
			status: params.status ?? 'published',
			startDateTime: { dateTime: start, timeZone: 'UTC' },
			endDateTime: { dateTime: params.endDateTime ?? '2031-06-01T16:00:00', timeZone: 'UTC' },
			configuration: {
				id: rand.uuid(),
				capacity: params.capacity ?? null,
				isWaitlistEnabled: params.isWaitlistEnabled ?? false,
				isManualApprovalEnabled: params.isManualApprovalEnabled ?? false,
				registrationWebUrl: `${REGISTRATION_PAGE_BASE}${id}`,
			},
			questions,
			/** @type {any[]} */
			registrations: [],
			/** @type {any[]} sessions, each with its attendance `reports` */
			sessions: [],
		};
		this._events.set(id, event);
		return this._summary(event);
	}

	/** @param {string} eventId a webinar's or town hall's id */
	getWebinar(eventId) {
		const event = this._events.get(eventId);
		return event ? this._summary(event) : null;
	}

	/** @param {string} eventId a webinar's or town hall's id */
	registrationsOf(eventId) {
		const event = this._events.get(eventId);
		return event ? event.registrations.map((registration) => structuredClone(registration)) : [];
	}

	// ---- control: what happens in Teams, outside Graph ------------------------------------------

	_requireEvent(eventId, what) {
		const event = this._events.get(eventId);
		if (!event) throw new Error(`${what}: no webinar or town hall '${eventId}'`);
		return event;
	}

	/**
	 * A registration made on Teams' own registration page (not through Graph): no write budget
	 * is used and nothing is validated beyond the shape. It shows in listings like any other.
	 * @param {string} eventId
	 * @param {{ firstName: string, lastName: string, email: string, id?: string, userId?: string|null,
	 *   status?: 'registered'|'waitlisted'|'pendingApproval', registrationDateTime?: string,
	 *   preferredTimezone?: string, preferredLanguage?: string,
	 *   registrationQuestionAnswers?: any[], externalRegistrationInformation?: {referrer?: string|null, registrationId?: string|null}|null }} person
	 * @returns {any} the registration as stored
	 */
	addTeamsRegistration(eventId, person) {
		const event = this._requireEvent(eventId, 'addTeamsRegistration');
		for (const field of ['firstName', 'lastName', 'email']) {
			if (!isText(person[field])) throw new TypeError(`addTeamsRegistration: ${field} is required`);
		}
		const registration = {
			id: person.id ?? this._graph._rand.ids.uuid(),
			userId: person.userId ?? null,
			firstName: person.firstName,
			lastName: person.lastName,
			email: person.email,
			status: person.status ?? 'registered',
			registrationDateTime:
				person.registrationDateTime ?? new Date(this._graph.clock.now()).toISOString(),
			cancelationDateTime: null,
			preferredTimezone: person.preferredTimezone ?? 'UTC',
			preferredLanguage: person.preferredLanguage ?? 'en-us',
			registrationQuestionAnswers: person.registrationQuestionAnswers ?? [],
			externalRegistrationInformation: person.externalRegistrationInformation
				? {
						referrer: person.externalRegistrationInformation.referrer ?? null,
						registrationId: person.externalRegistrationInformation.registrationId ?? null,
					}
				: null,
		};
		if (event.registrations.some((candidate) => candidate.id === registration.id))
			throw new Error(`addTeamsRegistration: id '${registration.id}' already exists`);
		event.registrations.push(registration);
		return structuredClone(registration);
	}

	/**
	 * A registrant cancels in Teams (or the organizer does): status `canceled` and
	 * `cancelationDateTime` now (or `at`). @param {string} eventId @param {string} registrationId @param {string} [at]
	 */
	cancelRegistration(eventId, registrationId, at) {
		const event = this._requireEvent(eventId, 'cancelRegistration');
		const registration = event.registrations.find((candidate) => candidate.id === registrationId);
		if (!registration) throw new Error(`cancelRegistration: no registration '${registrationId}'`);
		registration.status = 'canceled';
		registration.cancelationDateTime = at ?? new Date(this._graph.clock.now()).toISOString();
		return structuredClone(registration);
	}

	/**
	 * A session of a webinar or town hall (Graph lists session summaries).
	 * @param {string} eventId @param {{ id?: string, subject?: string, startDateTime?: string, endDateTime?: string }} [params]
	 */
	addSession(eventId, params = {}) {
		const event = this._requireEvent(eventId, 'addSession');
		const id = params.id ?? `${this._graph._rand.ids.uuid()}@${this._graph._tenantId}`;
		const session = {
			id,
			subject: params.subject ?? event.displayName,
			startDateTime: {
				dateTime: params.startDateTime ?? event.startDateTime.dateTime,
				timeZone: 'UTC',
			},
			endDateTime: { dateTime: params.endDateTime ?? event.endDateTime.dateTime, timeZone: 'UTC' },
			joinWebUrl: `${TEAMS_JOIN_BASE}${encodeURIComponent(`19:meeting_${id}@thread.v2`)}/0`,
			/** @type {any[]} */
			reports: [],
		};
		event.sessions.push(session);
		return sessionJson(session);
	}

	/**
	 * An attendance report of a session, with its records (see `attendanceReport`).
	 * @param {string} eventId @param {string} sessionId @param {AttendanceReportParams} params
	 */
	addAttendanceReport(eventId, sessionId, params) {
		const event = this._requireEvent(eventId, 'addAttendanceReport');
		const session = event.sessions.find((candidate) => candidate.id === sessionId);
		if (!session) throw new Error(`addAttendanceReport: no session '${sessionId}'`);
		const report = attendanceReport(params, this._graph._rand.ids, this._graph._tenantId, true);
		session.reports.push(report);
		return reportJson(report, true);
	}

	_summary(event) {
		return {
			id: event.id,
			kind: event.kind,
			organizerId: event.organizerId,
			displayName: event.displayName,
			status: event.status,
			registrationWebUrl: event.configuration.registrationWebUrl,
			questions: event.questions.map((question) => ({ ...question })),
		};
	}

	// ---- requests -----------------------------------------------------------------------------

	/**
	 * Handles `/v1.0/solutions/virtualEvents/<rest>`.
	 * @param {any} ctx the sandbox's request context @param {string[]} rest decoded segments
	 */
	handle(ctx, rest) {
		const { GraphError, segmentNotFound, methodNotAllowed } = this._tools;
		const caller = this._graph._authenticate(ctx);
		const kind = KIND_OF_COLLECTION[lc(rest[0])];
		if (!kind) throw segmentNotFound(rest[0] ?? '');
		if (rest.length === 1) throw methodNotAllowed();
		// Reads and writes count against their own per-app budgets, before anything else is looked at.
		if (ctx.method === 'GET') this._takeRead();
		const byRole = /^getByUserRole\((.*)\)$/i.exec(rest[1]);
		const byUserAndRole = /^getByUserIdAndRole\((.*)\)$/i.exec(rest[1]);
		if (byRole || byUserAndRole) {
			if (rest.length > 2) throw segmentNotFound(rest[2]);
			if (ctx.method !== 'GET') throw methodNotAllowed();
			return byRole
				? this._listByRole(ctx, caller, kind, byRole[1])
				: this._listByUserAndRole(ctx, caller, kind, byUserAndRole[1]);
		}
		const found = this._events.get(rest[1]);
		const event = found && found.kind === kind ? found : undefined;
		if (!event) {
			this._authorize(caller, 'read');
			throw new GraphError(
				404,
				'NotFound',
				`The virtual event ${kind} '${rest[1]}' was not found.`,
			);
		}
		const base = `solutions/virtualEvents/${COLLECTIONS[kind]}`;
		if (rest.length === 2) {
			if (ctx.method !== 'GET') throw methodNotAllowed();
			this._authorize(caller, 'read');
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#${base}/$entity`,
					...this._eventJson(event),
				},
			};
		}
		if (lc(rest[2]) === 'registrationconfiguration')
			return this._configuration(ctx, caller, event, rest.slice(3));
		if (lc(rest[2]) === 'sessions') return this._sessions(ctx, caller, event, rest.slice(3));
		if (lc(rest[2]) !== 'registrations') throw segmentNotFound(rest[2]);
		if (rest.length === 3) {
			if (ctx.method === 'GET') return this._listRegistrations(ctx, caller, event);
			if (ctx.method === 'POST') return this._register(ctx, caller, event);
			throw methodNotAllowed();
		}
		const registration = event.registrations.find((candidate) => candidate.id === rest[3]);
		if (rest.length === 4) {
			if (ctx.method !== 'GET') throw methodNotAllowed();
			this._authorize(caller, 'readRegistration');
			if (!registration)
				throw new GraphError(404, 'NotFound', `The registration '${rest[3]}' was not found.`);
			this._requireOrganizerOrSelf(caller, event, registration);
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#${base}('${event.id}')/registrations/$entity`,
					...registrationJson(registration),
				},
			};
		}
		if (rest.length === 5 && lc(rest[4]) === 'cancel') {
			if (ctx.method !== 'POST') throw methodNotAllowed();
			return this._cancel(caller, event, registration, rest[3]);
		}
		throw segmentNotFound(rest[4]);
	}

	/** Permission check: the token's permissions (test override, token info, default) against the kind of access. */
	_authorize(caller, access) {
		const { GraphError } = this._tools;
		const held =
			this._permissions.get(lc(caller.userId)) ??
			caller.virtualEventPermissions ??
			DEFAULT_PERMISSIONS[caller.kind];
		const accepted = PERMISSIONS[access][caller.kind];
		if (!accepted.some((permission) => held.includes(permission))) {
			throw new GraphError(
				403,
				'Forbidden',
				caller.kind === 'delegated'
					? `Missing scope permissions on the request. API requires one of '${accepted.join(', ')}'. Scopes on the request '${held.join(' ')}'.`
					: `Missing role permissions on the request. API requires one of '${accepted.join(', ')}'. Roles on the request '${held.join(' ')}'.`,
			);
		}
		if (caller.kind === 'application' && caller.noAccessPolicy) {
			throw new GraphError(403, 'Forbidden', 'No Application Access Policy found for this app.');
		}
	}

	/** The artifact permission check, for graph-sandbox.js's online meeting attendance reports. */
	authorizeArtifacts(caller) {
		this._authorize(caller, 'artifacts');
	}

	_isOrganizer(userId, event) {
		return (
			lc(userId) === lc(event.organizerId) ||
			event.coOrganizerIds.some((id) => lc(id) === lc(userId))
		);
	}

	/** Delegated callers see an event's registrations only as its (co)organizer, or their own one. */
	_requireOrganizerOrSelf(caller, event, registration) {
		if (caller.kind !== 'delegated' || this._isOrganizer(caller.userId, event)) return;
		if (registration && lc(registration.userId ?? '') === lc(caller.userId)) return;
		throw new this._tools.GraphError(
			403,
			'Forbidden',
			`Only the organizer and co-organizers of the ${event.kind === 'webinar' ? 'webinar' : 'town hall'} may do this.`,
		);
	}

	_takeWrite() {
		this.stats.writes++;
		const wait = this._writeBucket ? this._writeBucket.take() : 0;
		if (wait) {
			this.stats.throttledWrites++;
			throw new this._tools.GraphError(
				429,
				'TooManyRequests',
				'Too many requests from Identifier:sandbox under category:throttle.sandbox.virtualevents. Please try again later.',
				{ 'Retry-After': String(wait) },
			);
		}
	}

	_takeRead() {
		this.stats.reads++;
		const wait = this._readBucket ? this._readBucket.take() : 0;
		if (wait) {
			this.stats.throttledReads++;
			throw new this._tools.GraphError(
				429,
				'TooManyRequests',
				'Too many requests from Identifier:sandbox under category:throttle.sandbox.virtualevents.read. Please try again later.',
				{ 'Retry-After': String(wait) },
			);
		}
	}

	_listByRole(ctx, caller, kind, argumentText) {
		const { GraphError } = this._tools;
		if (caller.kind !== 'delegated') {
			throw new GraphError(
				403,
				'Forbidden',
				'getByUserRole needs a signed-in user; with application permissions use getByUserIdAndRole.',
			);
		}
		this._authorize(caller, 'read');
		const args = functionArguments(argumentText);
		return this._eventsFor(
			ctx,
			kind,
			caller.userId,
			args && args.role,
			args && Object.keys(args).length === 1,
		);
	}

	_listByUserAndRole(ctx, caller, kind, argumentText) {
		this._authorize(caller, 'read');
		const args = functionArguments(argumentText);
		const user =
			args && args.userId !== undefined ? this._graph._resolveUser(args.userId) : undefined;
		if (args && args.userId !== undefined && !user) {
			throw new this._tools.GraphError(404, 'NotFound', `The user '${args.userId}' was not found.`);
		}
		return this._eventsFor(
			ctx,
			kind,
			user && user.id,
			args && args.role,
			args && Object.keys(args).length === 2,
		);
	}

	/** The webinars (or town halls) where `userId` has `role`, a page at a time. */
	_eventsFor(ctx, kind, userId, role, wellFormed) {
		if (!wellFormed || !userId || !['organizer', 'coOrganizer'].includes(role)) {
			throw new this._tools.GraphError(
				400,
				'BadRequest',
				"Invalid function parameters: expected role='organizer' or role='coOrganizer' (and userId for getByUserIdAndRole).",
			);
		}
		const matches = [...this._events.values()].filter(
			(event) =>
				event.kind === kind &&
				(role === 'organizer'
					? lc(event.organizerId) === lc(userId)
					: event.coOrganizerIds.some((id) => lc(id) === lc(userId))),
		);
		return this._page(
			ctx,
			matches,
			(event) => this._eventJson(event),
			`${GRAPH_V1}/$metadata#Collection(${EVENT_TYPES[kind].slice(1)})`,
		);
	}

	_configuration(ctx, caller, event, rest) {
		const { segmentNotFound, methodNotAllowed } = this._tools;
		if (ctx.method !== 'GET') throw methodNotAllowed();
		this._authorize(caller, 'read');
		const base = `solutions/virtualEvents/${COLLECTIONS[event.kind]}('${event.id}')/registrationConfiguration`;
		if (rest.length === 0) {
			const { id, capacity, isWaitlistEnabled, isManualApprovalEnabled, registrationWebUrl } =
				event.configuration;
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#${base}/$entity`,
					'@odata.type': CONFIGURATION_TYPES[event.kind],
					id,
					capacity,
					isWaitlistEnabled,
					isManualApprovalEnabled,
					registrationWebUrl,
				},
			};
		}
		if (rest.length === 1 && lc(rest[0]) === 'questions') {
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#${base}/questions`,
					value: event.questions.map(questionJson),
				},
			};
		}
		throw segmentNotFound(rest[rest.length === 1 ? 0 : 1]);
	}

	/** `sessions`, `sessions/{id}`, `.../attendanceReports`, `.../attendanceReports/{id}`, `.../attendanceRecords`. */
	_sessions(ctx, caller, event, rest) {
		const { GraphError, methodNotAllowed } = this._tools;
		if (ctx.method !== 'GET') throw methodNotAllowed();
		// Sessions need the virtual event read permission; their attendance the artifact one (below).
		if (rest.length <= 1) this._authorize(caller, 'read');
		const base = `solutions/virtualEvents/${COLLECTIONS[event.kind]}('${event.id}')/sessions`;
		if (rest.length === 0)
			return this._page(ctx, event.sessions, sessionJson, `${GRAPH_V1}/$metadata#${base}`);
		const session = event.sessions.find((candidate) => candidate.id === rest[0]);
		if (!session) {
			this.authorizeArtifacts(caller);
			throw new GraphError(404, 'NotFound', `The session '${rest[0]}' was not found.`);
		}
		if (rest.length === 1)
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#${base}/$entity`,
					...sessionJson(session),
				},
			};
		this.authorizeArtifacts(caller);
		this._requireOrganizerOrSelf(caller, event, null);
		return serveAttendance(
			this,
			ctx,
			caller,
			session.reports,
			rest.slice(1),
			`${base}('${session.id}')`,
			true,
		);
	}

	_listRegistrations(ctx, caller, event) {
		this._authorize(caller, 'read');
		this._requireOrganizerOrSelf(caller, event, null);
		const listedBefore = this._graph.clock.now() - this._listingLagMs;
		const listed = event.registrations.filter(
			(registration) => Date.parse(registration.registrationDateTime) <= listedBefore,
		);
		return this._page(
			ctx,
			listed,
			registrationJson,
			`${GRAPH_V1}/$metadata#solutions/virtualEvents/${COLLECTIONS[event.kind]}('${event.id}')/registrations`,
		);
	}

	/** Server-driven paging with the sandbox's page size, as for meeting registrants. */
	_page(ctx, all, toJson, context) {
		let start = 0;
		if (ctx.query.$skiptoken !== undefined) {
			const match = /^offset:(\d+)$/.exec(
				Buffer.from(ctx.query.$skiptoken, 'base64url').toString('utf8'),
			);
			if (!match)
				throw new this._tools.GraphError(400, 'BadRequest', 'The $skiptoken value is invalid.');
			start = Number(match[1]);
		}
		const end = start + this._graph._pageSize;
		const body = { '@odata.context': context };
		if (end < all.length) {
			body['@odata.nextLink'] =
				`${this._graph.url}${ctx.rawPath}?$skiptoken=${Buffer.from(`offset:${end}`).toString('base64url')}`;
		}
		body.value = all.slice(start, end).map(toJson);
		return { status: 200, headers: {}, body };
	}

	/** Create: throttled first (as Graph does), then the body as the permission kind allows. */
	_register(ctx, caller, webinar) {
		const { GraphError, requireJsonBody } = this._tools;
		this._authorize(caller, 'write');
		this._takeWrite();
		const body = requireJsonBody(ctx);
		const delegated = caller.kind === 'delegated';
		const identityFields = ['firstName', 'lastName', 'email'];
		if (delegated) {
			const sent = identityFields.filter((field) => body[field] !== undefined);
			if (sent.length > 0) {
				throw new GraphError(
					400,
					'BadRequest',
					`${sent.join(', ')} cannot be set with delegated permissions: the signed-in user is the registrant.`,
				);
			}
		} else {
			for (const field of identityFields) {
				if (!isText(body[field]))
					throw new GraphError(
						400,
						'BadRequest',
						`The ${field} property is required with application permissions.`,
					);
			}
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email))
				throw new GraphError(400, 'BadRequest', `'${body.email}' is not a valid email address.`);
		}
		for (const field of ['preferredTimezone', 'preferredLanguage']) {
			if (!isText(body[field]))
				throw new GraphError(400, 'BadRequest', `The ${field} property is required.`);
		}
		const answers = this._readAnswers(webinar, body.registrationQuestionAnswers);
		const external = readExternalInformation(body.externalRegistrationInformation, GraphError);
		if (webinar.status !== 'published') {
			throw new GraphError(
				400,
				'BadRequest',
				`Registration is only open for published webinars; this webinar is ${webinar.status}.`,
			);
		}
		const user = delegated ? this._graph._users.get(lc(caller.userId)) : undefined;
		const email = delegated
			? (user && user.userPrincipalName) || `${caller.userId}@sandbox.invalid`
			: body.email.trim();
		if (
			webinar.registrations.some(
				(registration) =>
					lc(registration.email) === lc(email) && ACTIVE_STATUSES.has(registration.status),
			)
		) {
			throw new GraphError(
				409,
				'Conflict',
				'The registrant is already registered for this webinar.',
			);
		}
		// A delegated registrant's names come from the directory's display name.
		const [directoryFirstName, ...directoryLastNames] = String(
			(user && user.displayName) || '',
		).split(' ');
		const { capacity, isWaitlistEnabled, isManualApprovalEnabled } = webinar.configuration;
		const full =
			capacity !== null &&
			webinar.registrations.filter((registration) => registration.status === 'registered').length >=
				capacity;
		if (full && !isWaitlistEnabled && !isManualApprovalEnabled) {
			throw new GraphError(409, 'Conflict', 'The webinar has reached its registration capacity.');
		}
		const registration = {
			id: this._graph._rand.ids.uuid(),
			userId: delegated ? caller.userId : null,
			firstName: delegated ? directoryFirstName || null : body.firstName,
			lastName: delegated ? directoryLastNames.join(' ') || null : body.lastName,
			email,
			status: isManualApprovalEnabled ? 'pendingApproval' : full ? 'waitlisted' : 'registered',
			registrationDateTime: new Date(this._graph.clock.now()).toISOString(),
			cancelationDateTime: null,
			preferredTimezone: body.preferredTimezone,
			preferredLanguage: body.preferredLanguage,
			registrationQuestionAnswers: answers,
			externalRegistrationInformation: external,
		};
		webinar.registrations.push(registration);
		if (!delegated) return { status: 204, headers: {} };
		return {
			status: 201,
			headers: {
				Location: `${GRAPH_V1}/solutions/virtualEvents/${COLLECTIONS[webinar.kind]}('${webinar.id}')/registrations('${registration.id}')`,
			},
			body: {
				'@odata.context': `${GRAPH_V1}/$metadata#solutions/virtualEvents/${COLLECTIONS[webinar.kind]}('${webinar.id}')/registrations/$entity`,
				...registrationJson(registration),
			},
		};
	}

	/** Each answer must name a question of the webinar and carry the field its type uses; required questions must be answered. */
	_readAnswers(webinar, answers) {
		const { GraphError } = this._tools;
		if (answers !== undefined && !Array.isArray(answers))
			throw new GraphError(400, 'BadRequest', 'registrationQuestionAnswers must be a collection.');
		const given = new Map();
		for (const answer of answers ?? []) {
			const question = webinar.questions.find(
				(candidate) => candidate.id === (answer && answer.questionId),
			);
			if (!question)
				throw new GraphError(
					400,
					'BadRequest',
					`The registration question '${answer && answer.questionId}' does not exist for this webinar.`,
				);
			if (given.has(question.id))
				throw new GraphError(
					400,
					'BadRequest',
					`The registration question '${question.displayName}' is answered twice.`,
				);
			given.set(question.id, {
				questionId: question.id,
				displayName: question.displayName,
				...readAnswer(question, answer, GraphError),
			});
		}
		for (const question of webinar.questions) {
			if (question.isRequired && !given.has(question.id)) {
				throw new GraphError(
					400,
					'BadRequest',
					`The required registration question '${question.displayName}' is not answered.`,
				);
			}
		}
		return [...given.values()];
	}

	_cancel(caller, webinar, registration, registrationId) {
		const { GraphError } = this._tools;
		this._authorize(caller, 'write');
		this._takeWrite();
		if (!registration)
			throw new GraphError(404, 'NotFound', `The registration '${registrationId}' was not found.`);
		this._requireOrganizerOrSelf(caller, webinar, registration);
		if (registration.status !== 'canceled') {
			registration.status = 'canceled';
			registration.cancelationDateTime = new Date(this._graph.clock.now()).toISOString();
		}
		return { status: 204, headers: {} };
	}

	_eventJson(webinar) {
		const organizer = this._graph._users.get(lc(webinar.organizerId));
		return {
			'@odata.type': EVENT_TYPES[webinar.kind],
			id: webinar.id,
			status: webinar.status,
			displayName: webinar.displayName,
			description: { contentType: 'text', content: '' },
			startDateTime: { ...webinar.startDateTime },
			endDateTime: { ...webinar.endDateTime },
			createdBy: {
				application: null,
				device: null,
				user: {
					'@odata.type': '#microsoft.graph.communicationsUserIdentity',
					id: webinar.organizerId,
					displayName: organizer ? organizer.displayName : null,
					tenantId: this._graph._tenantId,
				},
			},
			audience: 'everyone',
			coOrganizers: webinar.coOrganizerIds.map((id) => ({
				id,
				displayName: null,
				tenantId: this._graph._tenantId,
			})),
			...(webinar.kind === 'townhall' ? { isInviteOnly: false, invitedAttendees: [] } : {}),
		};
	}
}

// ---- plain helpers --------------------------------------------------------------------------

/**
 * @typedef {{ id?: string, meetingStartDateTime: string, meetingEndDateTime: string,
 *   records: Array<{ emailAddress?: string|null, displayName?: string|null, userId?: string|null, tenantId?: string|null,
 *     role?: 'None'|'Attendee'|'Presenter'|'Organizer', registrationId?: string|null,
 *     externalRegistrationInformation?: {referrer?: string|null, registrationId?: string|null}|null,
 *     intervals: Array<{ joinDateTime: string, leaveDateTime: string }> }> }} AttendanceReportParams
 */

const seconds = (from, to) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * An attendance report as stored: each interval's durationInSeconds and each record's
 * totalAttendanceInSeconds computed from the join and leave times; totalParticipantCount is
 * the number of records. `virtualEvent`: records carry registrationId and
 * externalRegistrationInformation (null for online meetings).
 * @param {AttendanceReportParams} params @param {{ uuid(): string }} rand @param {string} tenantId @param {boolean} virtualEvent
 */
function attendanceReport(params, rand, tenantId, virtualEvent) {
	for (const key of ['meetingStartDateTime', 'meetingEndDateTime']) {
		if (typeof params[key] !== 'string' || Number.isNaN(Date.parse(params[key])))
			throw new TypeError(`attendance report: ${key} must be a date and time`);
	}
	const records = (params.records ?? []).map((record) => {
		if (record.role !== undefined && !ATTENDANCE_ROLES.includes(record.role))
			throw new TypeError(`attendance record: role must be one of ${ATTENDANCE_ROLES.join(', ')}`);
		const attendanceIntervals = (record.intervals ?? []).map(({ joinDateTime, leaveDateTime }) => ({
			joinDateTime,
			leaveDateTime,
			durationInSeconds: seconds(joinDateTime, leaveDateTime),
		}));
		return {
			id: record.userId ?? rand.uuid(),
			emailAddress: record.emailAddress ?? null,
			totalAttendanceInSeconds: attendanceIntervals.reduce(
				(sum, interval) => sum + interval.durationInSeconds,
				0,
			),
			role: record.role ?? 'Attendee',
			identity: {
				'@odata.type': '#microsoft.graph.communicationsUserIdentity',
				id: record.userId ?? null,
				displayName: record.displayName ?? null,
				tenantId: record.userId ? (record.tenantId ?? tenantId) : null,
			},
			attendanceIntervals,
			registrationId: virtualEvent ? (record.registrationId ?? null) : null,
			externalRegistrationInformation:
				virtualEvent && record.externalRegistrationInformation
					? {
							referrer: record.externalRegistrationInformation.referrer ?? null,
							registrationId: record.externalRegistrationInformation.registrationId ?? null,
						}
					: null,
		};
	});
	return {
		id: params.id ?? rand.uuid(),
		totalParticipantCount: records.length,
		meetingStartDateTime: new Date(params.meetingStartDateTime).toISOString(),
		meetingEndDateTime: new Date(params.meetingEndDateTime).toISOString(),
		virtualEvent,
		records,
	};
}

function reportJson(report, withRecords) {
	return {
		id: report.id,
		totalParticipantCount: report.totalParticipantCount,
		meetingStartDateTime: report.meetingStartDateTime,
		meetingEndDateTime: report.meetingEndDateTime,
		...(report.virtualEvent ? { externalEventInformation: [] } : {}),
		...(withRecords ? { attendanceRecords: report.records.map(recordJson) } : {}),
	};
}

function recordJson(record) {
	return structuredClone(record);
}

function sessionJson(session) {
	return {
		id: session.id,
		subject: session.subject,
		startDateTime: { ...session.startDateTime },
		endDateTime: { ...session.endDateTime },
		joinWebUrl: session.joinWebUrl,
	};
}

/**
 * GET `attendanceReports` (the 50 most recent, newest first, no paging), `attendanceReports/{id}`
 * (`$expand=attendanceRecords` includes them) and `attendanceReports/{id}/attendanceRecords`
 * (paged), below `base` (a meeting's or a session's OData path). Shared by online meetings
 * (graph-sandbox.js) and virtual event sessions: the artifact permission applies to both.
 * @param {VirtualEvents} events @param {any} ctx @param {any} caller @param {any[]} reports @param {string[]} rest
 * @param {string} base @param {boolean} v1 whether the request came to v1.0 (the context URL's version)
 */
function serveAttendance(events, ctx, caller, reports, rest, base, v1) {
	const { GraphError, methodNotAllowed, segmentNotFound } = events._tools;
	if (ctx.method !== 'GET') throw methodNotAllowed();
	if (lc(rest[0]) !== 'attendancereports') throw segmentNotFound(rest[0] ?? '');
	events.authorizeArtifacts(caller);
	const version = v1 ? GRAPH_V1 : 'https://graph.microsoft.com/beta';
	const expand = String(ctx.query.$expand ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	if (expand.some((part) => part !== 'attendanceRecords')) {
		throw new GraphError(
			400,
			'BadRequest',
			`Could not find a property named '${expand.find((part) => part !== 'attendanceRecords')}' to expand.`,
		);
	}
	const withRecords = expand.length > 0;
	if (rest.length === 1) {
		const newest = [...reports]
			.sort((a, b) => Date.parse(b.meetingStartDateTime) - Date.parse(a.meetingStartDateTime))
			.slice(0, MAX_ATTENDANCE_REPORTS);
		return {
			status: 200,
			headers: {},
			body: {
				'@odata.context': `${version}/$metadata#${base}/attendanceReports`,
				value: newest.map((report) => reportJson(report, withRecords)),
			},
		};
	}
	const report = reports.find((candidate) => candidate.id === rest[1]);
	if (!report)
		throw new GraphError(404, 'NotFound', `The attendance report '${rest[1]}' was not found.`);
	if (rest.length === 2) {
		return {
			status: 200,
			headers: {},
			body: {
				'@odata.context': `${version}/$metadata#${base}/attendanceReports/$entity`,
				...reportJson(report, withRecords),
			},
		};
	}
	if (rest.length === 3 && lc(rest[2]) === 'attendancerecords') {
		return events._page(
			ctx,
			report.records,
			recordJson,
			`${version}/$metadata#${base}/attendanceReports('${report.id}')/attendanceRecords`,
		);
	}
	throw segmentNotFound(rest[rest.length === 3 ? 2 : 3]);
}

function questionJson(question) {
	return question.kind === 'predefined'
		? {
				'@odata.type': PREDEFINED_QUESTION_TYPE,
				id: question.id,
				displayName: question.displayName,
				isRequired: question.isRequired,
				label: question.label,
			}
		: {
				'@odata.type': CUSTOM_QUESTION_TYPE,
				id: question.id,
				displayName: question.displayName,
				isRequired: question.isRequired,
				answerInputType: question.answerInputType,
				answerChoices: [...question.answerChoices],
			};
}

function registrationJson(registration) {
	return { '@odata.type': REGISTRATION_TYPE, ...structuredClone(registration) };
}

/** The stored answer for one question, or a 400 naming what is wrong with it. */
function readAnswer(question, answer, GraphError) {
	const type = question.kind === 'predefined' ? 'text' : question.answerInputType;
	const refuse = (expected) =>
		new GraphError(
			400,
			'BadRequest',
			`The answer to '${question.displayName}' must be ${expected}.`,
		);
	const stored = { value: null, booleanValue: null, multiChoiceValues: [] };
	if (type === 'boolean') {
		if (typeof answer.booleanValue !== 'boolean') throw refuse('a booleanValue');
		return { ...stored, booleanValue: answer.booleanValue };
	}
	if (type === 'multiChoice') {
		const values = answer.multiChoiceValues;
		if (
			!Array.isArray(values) ||
			values.length === 0 ||
			values.some((value) => !question.answerChoices.includes(value))
		) {
			throw refuse(`multiChoiceValues taken from: ${question.answerChoices.join(', ')}`);
		}
		return { ...stored, multiChoiceValues: [...values] };
	}
	if (typeof answer.value !== 'string' || answer.value === '') throw refuse('a text value');
	if (type === 'singleChoice' && !question.answerChoices.includes(answer.value)) {
		throw refuse(`one of: ${question.answerChoices.join(', ')}`);
	}
	return { ...stored, value: answer.value };
}

function readExternalInformation(information, GraphError) {
	if (information === undefined || information === null) return null;
	if (typeof information !== 'object' || Array.isArray(information)) {
		throw new GraphError(400, 'BadRequest', 'externalRegistrationInformation must be an object.');
	}
	const { registrationId, referrer } = information;
	for (const [name, value] of [
		['registrationId', registrationId],
		['referrer', referrer],
	]) {
		if (value !== undefined && value !== null && typeof value !== 'string') {
			throw new GraphError(
				400,
				'BadRequest',
				`externalRegistrationInformation.${name} must be a string.`,
			);
		}
	}
	if (typeof registrationId === 'string' && registrationId.length > MAX_EXTERNAL_REGISTRATION_ID) {
		throw new GraphError(
			400,
			'BadRequest',
			`externalRegistrationInformation.registrationId must be at most ${MAX_EXTERNAL_REGISTRATION_ID} characters.`,
		);
	}
	return { referrer: referrer ?? null, registrationId: registrationId ?? null };
}

module.exports = {
	VirtualEvents,
	DEFAULT_WRITE_LIMIT,
	DEFAULT_READ_LIMIT,
	REGISTRATION_PAGE_BASE,
	DEFAULT_PERMISSIONS,
	attendanceReport,
	serveAttendance,
};
