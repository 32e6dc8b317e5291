'use strict';
/**
 * The Graph sandbox's Teams webinars (virtual events, Graph v1.0), under
 * `/v1.0/solutions/virtualEvents/webinars`: what the webinar registration operations use.
 * Surface and rules from Microsoft's v1.0 reference pages for these requests:
 *
 *   GET  webinars/getByUserRole(role='organizer'|'coOrganizer')            delegated only
 *   GET  webinars/getByUserIdAndRole(userId='{id}',role='organizer'|...)   app: access policy
 *   GET  webinars/{id}, .../registrationConfiguration, .../registrationConfiguration/questions
 *   GET  webinars/{id}/registrations (server-driven paging), .../registrations/{rid}
 *   POST webinars/{id}/registrations   delegated → 201 + registration; application → 204, no body
 *   POST webinars/{id}/registrations/{rid}/cancel → 204
 *
 * Permissions: delegated VirtualEvent.Read (reads) / VirtualEvent.ReadWrite (writes);
 * application VirtualEvent.Read.All (reads) and VirtualEventRegistration-Anon.ReadWrite.All
 * (register, cancel; also enough to read one registration), which exists only as an
 * application permission: a delegated token naming it gains nothing. Application calls also
 * need a Teams application access policy (the token's `noAccessPolicy`).
 *
 * Listings may lag: `setListingLag(ms)` hides registrations younger than that from
 * `GET .../registrations` (not from reading one by id), as an eventually consistent service does.
 *
 * Throttling: 15 writes (create, cancel) per 30 s per app across all tenants, as a token
 * bucket (capacity 15, refilling 15 per 30 s) answering 429 with Retry-After; the sandbox
 * plays one app. `setWriteLimit` scales the window for tests that must not wait 30 s.
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
const WEBINAR_TYPE = '#microsoft.graph.virtualEventWebinar';
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
};
/** What a token holds unless a test says otherwise: everything the node needs. */
const DEFAULT_PERMISSIONS = {
	delegated: ['VirtualEvent.ReadWrite'],
	application: ['VirtualEvent.Read.All', 'VirtualEventRegistration-Anon.ReadWrite.All'],
};
const ACTIVE_STATUSES = new Set(['registered', 'waitlisted', 'pendingApproval']);

const lc = (/** @type {string|undefined} */ s) => (s === undefined ? '' : s.toLowerCase());
const isText = (/** @type {unknown} */ value) => typeof value === 'string' && value.trim() !== '';

/** Token bucket: `requests` per `perMs`, refilled continuously. @param {{requests:number, perMs:number}} limit */
function createWriteBucket({ requests, perMs }, /** @type {{ now(): number }} */ clock) {
	if (!(requests >= 1) || !(perMs > 0))
		throw new TypeError('setWriteLimit({ requests >= 1, perMs > 0 })');
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

	/** Clears webinars, permission overrides, listing lag and write-limit history; the limit goes back to Graph's 15 per 30 s. */
	reset() {
		/** @type {Map<string, any>} */
		this._webinars = new Map();
		/** @type {Map<string, string[]>} lower-cased principal id → permissions */
		this._permissions = new Map();
		this.setWriteLimit(DEFAULT_WRITE_LIMIT);
		this._listingLagMs = 0;
		this.stats = { writes: 0, throttledWrites: 0 };
	}

	/** @param {{requests:number, perMs:number}|null} limit null: writes are never throttled */
	setWriteLimit(limit) {
		this._writeLimit = limit;
		this._writeBucket = limit
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
		const rand = this._graph._rand.ids;
		const id = params.id ?? `${rand.uuid()}@${this._graph._tenantId}`;
		if (this._webinars.has(id)) throw new Error(`createWebinar: webinar id '${id}' already exists`);
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
		const webinar = {
			id,
			organizerId,
			coOrganizerIds: params.coOrganizerIds ?? [],
			displayName: params.displayName ?? 'Sandbox webinar',
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
		};
		this._webinars.set(id, webinar);
		return this._summary(webinar);
	}

	/** @param {string} webinarId */
	getWebinar(webinarId) {
		const webinar = this._webinars.get(webinarId);
		return webinar ? this._summary(webinar) : null;
	}

	/** @param {string} webinarId */
	registrationsOf(webinarId) {
		const webinar = this._webinars.get(webinarId);
		return webinar
			? webinar.registrations.map((registration) => structuredClone(registration))
			: [];
	}

	_summary(webinar) {
		return {
			id: webinar.id,
			organizerId: webinar.organizerId,
			displayName: webinar.displayName,
			status: webinar.status,
			registrationWebUrl: webinar.configuration.registrationWebUrl,
			questions: webinar.questions.map((question) => ({ ...question })),
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
		if (lc(rest[0]) !== 'webinars') throw segmentNotFound(rest[0] ?? '');
		if (rest.length === 1) throw methodNotAllowed();
		const byRole = /^getByUserRole\((.*)\)$/i.exec(rest[1]);
		const byUserAndRole = /^getByUserIdAndRole\((.*)\)$/i.exec(rest[1]);
		if (byRole || byUserAndRole) {
			if (rest.length > 2) throw segmentNotFound(rest[2]);
			if (ctx.method !== 'GET') throw methodNotAllowed();
			return byRole
				? this._listByRole(ctx, caller, byRole[1])
				: this._listByUserAndRole(ctx, caller, byUserAndRole[1]);
		}
		const webinar = this._webinars.get(rest[1]);
		if (!webinar) {
			this._authorize(caller, 'read');
			throw new GraphError(
				404,
				'NotFound',
				`The virtual event webinar '${rest[1]}' was not found.`,
			);
		}
		if (rest.length === 2) {
			if (ctx.method !== 'GET') throw methodNotAllowed();
			this._authorize(caller, 'read');
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#solutions/virtualEvents/webinars/$entity`,
					...this._webinarJson(webinar),
				},
			};
		}
		if (lc(rest[2]) === 'registrationconfiguration')
			return this._configuration(ctx, caller, webinar, rest.slice(3));
		if (lc(rest[2]) !== 'registrations') throw segmentNotFound(rest[2]);
		if (rest.length === 3) {
			if (ctx.method === 'GET') return this._listRegistrations(ctx, caller, webinar);
			if (ctx.method === 'POST') return this._register(ctx, caller, webinar);
			throw methodNotAllowed();
		}
		const registration = webinar.registrations.find((candidate) => candidate.id === rest[3]);
		if (rest.length === 4) {
			if (ctx.method !== 'GET') throw methodNotAllowed();
			this._authorize(caller, 'readRegistration');
			if (!registration)
				throw new GraphError(404, 'NotFound', `The registration '${rest[3]}' was not found.`);
			this._requireOrganizerOrSelf(caller, webinar, registration);
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#solutions/virtualEvents/webinars('${webinar.id}')/registrations/$entity`,
					...registrationJson(registration),
				},
			};
		}
		if (rest.length === 5 && lc(rest[4]) === 'cancel') {
			if (ctx.method !== 'POST') throw methodNotAllowed();
			return this._cancel(caller, webinar, registration, rest[3]);
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

	_isOrganizer(userId, webinar) {
		return (
			lc(userId) === lc(webinar.organizerId) ||
			webinar.coOrganizerIds.some((id) => lc(id) === lc(userId))
		);
	}

	/** Delegated callers see a webinar's registrations only as its (co)organizer, or their own one. */
	_requireOrganizerOrSelf(caller, webinar, registration) {
		if (caller.kind !== 'delegated' || this._isOrganizer(caller.userId, webinar)) return;
		if (registration && lc(registration.userId ?? '') === lc(caller.userId)) return;
		throw new this._tools.GraphError(
			403,
			'Forbidden',
			'Only the organizer and co-organizers of the webinar may do this.',
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

	_listByRole(ctx, caller, argumentText) {
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
		return this._webinarsFor(
			ctx,
			caller.userId,
			args && args.role,
			args && Object.keys(args).length === 1,
		);
	}

	_listByUserAndRole(ctx, caller, argumentText) {
		this._authorize(caller, 'read');
		const args = functionArguments(argumentText);
		const user =
			args && args.userId !== undefined ? this._graph._resolveUser(args.userId) : undefined;
		if (args && args.userId !== undefined && !user) {
			throw new this._tools.GraphError(404, 'NotFound', `The user '${args.userId}' was not found.`);
		}
		return this._webinarsFor(
			ctx,
			user && user.id,
			args && args.role,
			args && Object.keys(args).length === 2,
		);
	}

	/** The webinars where `userId` has `role`, a page at a time. */
	_webinarsFor(ctx, userId, role, wellFormed) {
		if (!wellFormed || !userId || !['organizer', 'coOrganizer'].includes(role)) {
			throw new this._tools.GraphError(
				400,
				'BadRequest',
				"Invalid function parameters: expected role='organizer' or role='coOrganizer' (and userId for getByUserIdAndRole).",
			);
		}
		const matches = [...this._webinars.values()].filter((webinar) =>
			role === 'organizer'
				? lc(webinar.organizerId) === lc(userId)
				: webinar.coOrganizerIds.some((id) => lc(id) === lc(userId)),
		);
		return this._page(
			ctx,
			matches,
			(webinar) => this._webinarJson(webinar),
			`${GRAPH_V1}/$metadata#Collection(microsoft.graph.virtualEventWebinar)`,
		);
	}

	_configuration(ctx, caller, webinar, rest) {
		const { segmentNotFound, methodNotAllowed } = this._tools;
		if (ctx.method !== 'GET') throw methodNotAllowed();
		this._authorize(caller, 'read');
		if (rest.length === 0) {
			const { id, capacity, isWaitlistEnabled, isManualApprovalEnabled, registrationWebUrl } =
				webinar.configuration;
			return {
				status: 200,
				headers: {},
				body: {
					'@odata.context': `${GRAPH_V1}/$metadata#solutions/virtualEvents/webinars('${webinar.id}')/registrationConfiguration/$entity`,
					'@odata.type': '#microsoft.graph.virtualEventWebinarRegistrationConfiguration',
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
					'@odata.context': `${GRAPH_V1}/$metadata#solutions/virtualEvents/webinars('${webinar.id}')/registrationConfiguration/questions`,
					value: webinar.questions.map(questionJson),
				},
			};
		}
		throw segmentNotFound(rest[rest.length === 1 ? 0 : 1]);
	}

	_listRegistrations(ctx, caller, webinar) {
		this._authorize(caller, 'read');
		this._requireOrganizerOrSelf(caller, webinar, null);
		const listedBefore = this._graph.clock.now() - this._listingLagMs;
		const listed = webinar.registrations.filter(
			(registration) => Date.parse(registration.registrationDateTime) <= listedBefore,
		);
		return this._page(
			ctx,
			listed,
			registrationJson,
			`${GRAPH_V1}/$metadata#solutions/virtualEvents/webinars('${webinar.id}')/registrations`,
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
				Location: `${GRAPH_V1}/solutions/virtualEvents/webinars('${webinar.id}')/registrations('${registration.id}')`,
			},
			body: {
				'@odata.context': `${GRAPH_V1}/$metadata#solutions/virtualEvents/webinars('${webinar.id}')/registrations/$entity`,
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

	_webinarJson(webinar) {
		const organizer = this._graph._users.get(lc(webinar.organizerId));
		return {
			'@odata.type': WEBINAR_TYPE,
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
		};
	}
}

// ---- plain helpers --------------------------------------------------------------------------

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
	REGISTRATION_PAGE_BASE,
	DEFAULT_PERMISSIONS,
};
