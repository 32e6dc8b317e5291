import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { backoffMs, clock, graphPath, isOutcomeUnknown, listAllPages } from '../transport';
import type { GraphClient } from '../transport';
import { isRecord, withoutODataFields } from '../helpers/data';
import { asNodeError, failingWith, isGraphStatus, withState } from '../helpers/errors';
import { ListingsAfter } from '../helpers/listingsAfter';
import { isDotSegment } from '../helpers/parameters';
import type { Problem } from '../helpers/parameters';
import type { OperationContext } from './context';
import {
	VIRTUAL_EVENTS_API_VERSION,
	VIRTUAL_EVENT_LABELS,
	capitalizedLabel,
	kindOfPath,
	listEventRegistrations,
	virtualEventPath,
} from './virtualEvents';
import type { VirtualEvent, VirtualEventKind } from './virtualEvents';

/**
 * Registrations for Teams webinars and town halls (virtual events, Graph v1.0; the two kinds
 * share one registration API, their paths in virtualEvents.ts): every Graph call, what an
 * execution remembers about them, and the hints for their failures.
 */

/** Statuses in which a person holds a place (or is waiting for one). */
const ACTIVE_STATUSES = new Set(['registered', 'waitlisted', 'pendingApproval']);

/** Listings to wait for a registration Graph accepted with 204 to appear in, and the pause before each further one. */
const LOOKUP_ATTEMPTS = 3;
const LOOKUP_PAUSE_MS = 1000;
/** How far Graph's clock may be behind n8n's when a registration's date is read against the node's. */
const CLOCK_SKEW_MS = 5 * 60_000;

export type RegistrationReference = { kind: 'id'; id: string } | { kind: 'email'; email: string };

/** A readable email address (what Graph's `email` holds): text with one @ and no spaces. */
export function isEmailAddress(text: string): boolean {
	return /^[^@\s]+@[^@\s]+$/.test(text);
}

/** The registration a `registration` resource locator names (by id or by email), or what is wrong with it. */
export function registrationReferenceOf({
	mode,
	text,
}: {
	mode: string;
	text: string;
}): RegistrationReference | Problem {
	if (mode === 'id') {
		if (isDotSegment(text)) return { problem: `is not a registration ID: "${text}"` };
		return { kind: 'id', id: text };
	}
	if (!isEmailAddress(text)) {
		return {
			problem: `is not an email address: "${text}"`,
			description: 'Choose "By Registration ID" to name a registration by its ID.',
		};
	}
	return { kind: 'email', email: text };
}

// Rules of Graph's registrations.

/** Email addresses are compared as Graph does: without regard to case. */
export function sameEmail(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

function isActiveRegistration(registration: IDataObject): boolean {
	return ACTIVE_STATUSES.has(String(registration.status));
}

/** The most recent of the registrations (by registrationDateTime); listings keep the later of equals. */
function newestRegistration(registrations: IDataObject[]): IDataObject | undefined {
	const time = (registration: IDataObject) =>
		Date.parse(String(registration.registrationDateTime ?? '')) || 0;
	return registrations.reduce<IDataObject | undefined>(
		(newest, candidate) =>
			newest === undefined || time(candidate) >= time(newest) ? candidate : newest,
		undefined,
	);
}

/**
 * A registration as the node outputs it: Graph's fields without OData control fields, and its
 * event: `webinarId` for a webinar (as ever), `eventType` and `eventId` for a town hall (as the
 * registration trigger and the attendance operations say it).
 */
export function registrationOutput(registration: IDataObject, event: VirtualEvent): IDataObject {
	return { ...withoutODataFields(registration), ...eventFields(event) };
}

/** The event's fields in an output item: `webinarId`, or `eventType` and `eventId` (see registrationOutput). */
export function eventFields(event: VirtualEvent): IDataObject {
	return event.kind === 'webinar'
		? { webinarId: event.id }
		: { eventType: event.kind, eventId: event.id };
}

/** The key of an event in the execution's caches. */
function eventKey(event: VirtualEvent): string {
	return `${event.kind} ${event.id}`;
}

// Paths. Ids go in through graphPath only.

function registrationsPath(event: VirtualEvent): string {
	return `${virtualEventPath(event.kind, event.id)}/registrations`;
}

function registrationPath(event: VirtualEvent, registrationId: string): string {
	return registrationsPath(event) + graphPath`/${registrationId}`;
}

function questionsPath(event: VirtualEvent): string {
	return `${virtualEventPath(event.kind, event.id)}/registrationConfiguration/questions`;
}

// Webinars.

/** The webinar's registration questions as Graph lists them (custom and predefined). */
export async function listQuestions(
	graph: GraphClient,
	event: VirtualEvent,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await listAllPages(graph, {
		path: questionsPath(event),
		apiVersion: VIRTUAL_EVENTS_API_VERSION,
		itemIndex,
	});
}

/** The webinar's registration questions, listed once per webinar per run. */
export async function listQuestionsOnce(
	event: VirtualEvent,
	context: OperationContext,
): Promise<IDataObject[]> {
	return await context.caches.webinar.questionsByWebinar.get(
		eventKey(event),
		async () => await listQuestions(context.graph, event, context.itemIndex),
	);
}

// Registrations.

/** The webinar's registrations (all, or up to `limit`). */
export async function listRegistrations(
	event: VirtualEvent,
	context: OperationContext,
	limit?: number,
): Promise<IDataObject[]> {
	return await listEventRegistrations(
		context.graph,
		event.kind,
		event.id,
		context.itemIndex,
		limit,
	);
}

/** All of the webinar's registrations, listed once per webinar per run. */
async function listRegistrationsOnce(
	event: VirtualEvent,
	context: OperationContext,
): Promise<IDataObject[]> {
	return await context.caches.webinar.registrationsByWebinar.get(
		eventKey(event),
		async () => await listRegistrations(event, context),
	);
}

/** The webinar's registrations from a listing that started after `moment` (shared by the run's items). */
async function registrationsListedAfter(
	event: VirtualEvent,
	moment: number,
	context: OperationContext,
): Promise<IDataObject[]> {
	const { listingsAfter } = context.caches.webinar;
	let listings = listingsAfter.get(eventKey(event));
	if (listings === undefined) {
		listings = new ListingsAfter(async () => await listRegistrations(event, context));
		listingsAfter.set(eventKey(event), listings);
	}
	return await listings.startedAfter(moment);
}

/** By ID one GET; by email the webinar's listing (read once per run), the newest registration of that address. */
export async function findRegistration(
	event: VirtualEvent,
	registration: RegistrationReference,
	context: OperationContext,
): Promise<IDataObject | undefined> {
	if (registration.kind === 'id') {
		return await context.graph.request<IDataObject>({
			method: 'GET',
			path: registrationPath(event, registration.id),
			apiVersion: VIRTUAL_EVENTS_API_VERSION,
			itemIndex: context.itemIndex,
		});
	}
	const listed = await listRegistrationsOnce(event, context);
	return newestRegistration(
		listed.filter((candidate) => sameEmail(candidate.email, registration.email)),
	);
}

/**
 * Registers a person: `POST .../registrations`, the body as Microsoft documents it for the
 * credential's kind. Delegated, Graph answers with the registration; app-only with 204 No
 * Content, so the registration is found by `email` among the webinar's registrations
 * listed after the answer (the newest one that holds a place).
 *
 * App-only, when the answer is lost (or a 5xx), the node waits with backoff and looks for the
 * address among the registrations listed after the failure: found, that registration is the
 * item's; not found, the POST is sent again. Graph holds one registration that holds a place
 * per address, so if the earlier POST did register the person and the listing did not show
 * it yet, the next POST answers 409 and the registration is looked up once more. A
 * registration dated before the item's first attempt was not made by it: the person was
 * registered already, and the item fails as Graph's 409 would have failed it. Delegated
 * registrations cannot be listed, so there an unknown outcome stays the item's error.
 */
export async function createRegistration(
	event: VirtualEvent,
	body: IDataObject,
	email: string | undefined,
	context: OperationContext,
): Promise<IDataObject> {
	const { node, itemIndex } = context;
	const notListed = (what: string) =>
		new NodeOperationError(
			node,
			`Item ${itemIndex}: Microsoft Graph ${what}, but it is not among the ${VIRTUAL_EVENT_LABELS[event.kind]}'s registrations`,
			{
				itemIndex,
				description: `The person is most likely registered: Graph did not list the registration after ${LOOKUP_ATTEMPTS} lookups. Check with Operation "Get" (By Email) before registering them again.`,
			},
		);
	const firstSentAt = clock().now();
	/** This item's registration, or the error Graph's 409 would have given had it answered. */
	const madeByThisItem = (registration: IDataObject, error: unknown): IDataObject => {
		const madeAt = Date.parse(String(registration.registrationDateTime));
		if (!(madeAt < firstSentAt - CLOCK_SKEW_MS)) return registration;
		throw withState(
			node,
			error,
			`${email} already held a registration for this ${VIRTUAL_EVENT_LABELS[event.kind]}, made before this item (ID ${String(registration.id)}), and the answer to this item's registration was lost: nothing more was registered.`,
		);
	};
	for (let round = 0; ; round++) {
		let created: unknown;
		try {
			created = await context.graph.request<unknown>({
				method: 'POST',
				path: registrationsPath(event),
				apiVersion: VIRTUAL_EVENTS_API_VERSION,
				body,
				itemIndex,
			});
		} catch (error) {
			if (email === undefined) throw asNodeError(node, error);
			if (round > 0 && isGraphStatus(error, 409)) {
				const listed = await registrationListedSoon(event, email, context, () =>
					notListed(
						`refused to register ${email} again (409) after the answer to the first attempt was lost`,
					),
				);
				return madeByThisItem(listed, error);
			}
			if (!isOutcomeUnknown(error)) throw asNodeError(node, error);
			if (round >= context.graph.maxRetries) {
				throw withState(
					node,
					error,
					`The registration of ${email} is unknown: Microsoft Graph did not confirm it after several attempts. Check with Operation "Get" (By Email) before registering them again.`,
				);
			}
			const failedAt = clock().now();
			await clock().sleep(backoffMs(round));
			const listed = await failingWith(
				node,
				`The registration of ${email} is unknown: the answer to it was lost, and listing the ${VIRTUAL_EVENT_LABELS[event.kind]}'s registrations to find out failed. Check with Operation "Get" (By Email) before registering them again.`,
				async () => await registrationsListedAfter(event, failedAt, context),
			);
			const found = activeRegistrationOf(listed, email);
			if (found !== undefined) return madeByThisItem(found, error);
			continue;
		}
		if (isRecord(created) && typeof created.id === 'string') return created;
		if (email === undefined) {
			throw new NodeOperationError(
				node,
				`Item ${itemIndex}: Microsoft Graph accepted the registration but did not return it`,
				{
					itemIndex,
					description: `Check the ${VIRTUAL_EVENT_LABELS[event.kind]}'s registrations with Operation "Get Many".`,
				},
			);
		}
		return await registrationListedSoon(event, email, context, () =>
			notListed(`accepted the registration of ${email} (204 No Content)`),
		);
	}
}

/** The registrations of `email` that hold or await a place. */
function activeRegistrationsOf(listed: IDataObject[], email: string): IDataObject[] {
	return listed.filter(
		(registration) => sameEmail(registration.email, email) && isActiveRegistration(registration),
	);
}

/** The newest registration of `email` that holds or awaits a place. */
function activeRegistrationOf(listed: IDataObject[], email: string): IDataObject | undefined {
	return newestRegistration(activeRegistrationsOf(listed, email));
}

/** The registration of `email` Graph made: Graph may list it a moment later, so a few listings are tried, each started after the last. */
async function registrationListedSoon(
	event: VirtualEvent,
	email: string,
	context: OperationContext,
	notListed: () => NodeOperationError,
): Promise<IDataObject> {
	for (let attempt = 1; ; attempt++) {
		const found = activeRegistrationOf(
			await registrationsListedAfter(event, clock().now(), context),
			email,
		);
		if (found !== undefined) return found;
		if (attempt >= LOOKUP_ATTEMPTS) throw notListed();
		await clock().sleep(LOOKUP_PAUSE_MS * attempt);
	}
}

async function cancelOne(
	event: VirtualEvent,
	registrationId: string,
	context: OperationContext,
): Promise<void> {
	await context.graph.request({
		method: 'POST',
		path: `${registrationPath(event, registrationId)}/cancel`,
		apiVersion: VIRTUAL_EVENTS_API_VERSION,
		itemIndex: context.itemIndex,
	});
}

/** By registration ID: one POST; Graph's 404 only counts as "not registered" (nothing cancelled) if the webinar exists. */
async function cancelById(
	event: VirtualEvent,
	registrationId: string,
	context: OperationContext,
): Promise<IDataObject[]> {
	try {
		await cancelOne(event, registrationId, context);
		return [{ ...eventFields(event), id: registrationId, canceled: true }];
	} catch (error) {
		if (!isGraphStatus(error, 404)) throw asNodeError(context.node, error);
		// A missing webinar or town hall also answers 404: reading it fails then, with Graph's answer.
		await context.graph.request({
			method: 'GET',
			path: virtualEventPath(event.kind, event.id),
			apiVersion: VIRTUAL_EVENTS_API_VERSION,
			itemIndex: context.itemIndex,
		});
		return [];
	}
}

/**
 * By email: the registrations of that address that hold or await a place, found in the
 * webinar's listing (read once per webinar per run), each cancelled. The promise is shared
 * per address, so a second item for the same person in this run finds nothing left to cancel.
 */
async function cancelByEmail(
	event: VirtualEvent,
	email: string,
	context: OperationContext,
): Promise<IDataObject[]> {
	let canceledNow = false;
	const canceled = await context.caches.webinar.cancellationByEmail.get(
		`${eventKey(event)} ${email.toLowerCase()}`,
		async () => {
			canceledNow = true;
			const registrations = activeRegistrationsOf(
				await listRegistrationsOnce(event, context),
				email,
			);
			for (const registration of registrations)
				await cancelOne(event, String(registration.id), context);
			return registrations.map((registration) => ({
				...eventFields(event),
				id: registration.id,
				email: registration.email,
				canceled: true,
			}));
		},
	);
	return canceledNow ? canceled : [];
}

/** Cancels the registration(s) named: one item per cancelled registration; none if there was nothing to cancel. */
export async function cancelRegistrations(
	event: VirtualEvent,
	registration: RegistrationReference,
	context: OperationContext,
): Promise<IDataObject[]> {
	return registration.kind === 'id'
		? await cancelById(event, registration.id, context)
		: await cancelByEmail(event, registration.email, context);
}

// Hints for failures.

/** Hints for Teams webinars and town halls (virtual events, Graph v1.0), worded for the kind. */
function webinarHints(kind: VirtualEventKind) {
	const label = VIRTUAL_EVENT_LABELS[kind];
	const Label = capitalizedLabel(kind);
	return {
		delegatedForbidden: `The signed-in account may not do this. ${Label} registration needs the delegated permission VirtualEvent.ReadWrite (VirtualEvent.Read to read) with consent, granted to the app registration and requested by the credential; listing or cancelling other people's registrations also needs the account to be the ${label}'s organizer or a co-organizer. Reconnect the credential after changing permissions.`,
		appOnlyForbidden: `App-only ${label} registration needs the application permissions VirtualEventRegistration-Anon.ReadWrite.All (register, cancel) and VirtualEvent.Read.All (${label}s, questions, registrations) with admin consent, and a Teams application access policy granted to the ${label}'s organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply).`,
		delegatedSessionsForbidden: `The signed-in account may not list this ${label}'s sessions. That needs the delegated permission VirtualEvent.Read or VirtualEvent.ReadWrite (the credential's "Webinar Permission") with consent, and the account must be the ${label}'s organizer or a co-organizer. Reconnect the credential after changing permissions.`,
		appOnlySessionsForbidden: `App-only, listing a ${label}'s sessions needs the application permission VirtualEvent.Read.All with admin consent, and a Teams application access policy granted to the ${label}'s organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply).`,
		delegatedAttendanceForbidden: `The signed-in account may not read this attendance. Attendance reports and records of a ${label}'s sessions need the delegated permission OnlineMeetingArtifact.Read.All (the credential's "Attendance Permission") with consent, and the account must be the ${label}'s organizer or a co-organizer. Reconnect the credential after changing permissions.`,
		appOnlyAttendanceForbidden: `App-only, attendance reports and records of a ${label}'s sessions need the application permission OnlineMeetingArtifact.Read.All with admin consent, and a Teams application access policy granted to the ${label}'s organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply).`,
		webinarNotFound: `The ${label} was not found. Check the ${label} ID or registration page URL (https://events.teams.microsoft.com/event/...), the Event Type, and, app-only, that the Organizer organizes it.`,
		sessionNotFound: `The session or attendance report was not found in this ${label}. Check the Session ID (Operation "Get Sessions" lists them) and the Event Type; attendance reports are kept for a year and appear about 10 minutes after a session ends.`,
		registrationNotFound: `The registration (or its ${label}) was not found. Check the registration ID, or find the person with Operation "Get" By Email.`,
		registrationRefused: `Microsoft Graph refused the registration. Check the answers to the ${label}'s registration questions (required ones, allowed choices), the email address, the time zone and language, and that the ${label} is published.`,
		conflict: `Microsoft Graph reports a conflict: the person most likely holds a registration for this ${label} already (check with Operation "Get", By Email), or the ${label} is full and has no waitlist.`,
		throttled: `Microsoft Graph allows 15 ${label} registrations and cancellations per 30 seconds per app, across all tenants, and 750 reads; other workflows using the same app share that. The node sends writes at 0.5 per second unless "Request Options → Max Requests per Second" is set; raise "Time Budget" for long imports so throttled requests keep being retried.`,
		serverError: `Microsoft Graph failed to process the request; it may succeed if run again. Check the ${label}'s registrations (Operation "Get Many") before re-running, so nobody is registered twice.`,
	};
}

const ONE_REGISTRATION_PATH = /\/registrations\/[^/]+(\/cancel)?$/;
const ATTENDANCE_PATH = /\/attendanceReports(\/|$)/;
const ONE_SESSION_PATH = /\/sessions\/[^/]+/;
const SESSIONS_PATH = /\/sessions(\/[^/]+)?$/;

/** The hint for a failed webinar or town hall request (a 401 is worded in hints.ts, alike for every resource); undefined when there is none. */
export function webinarHint(status: number, path: string, appOnly: boolean): string | undefined {
	const hints = webinarHints(kindOfPath(path));
	if (status === 403) {
		if (ATTENDANCE_PATH.test(path))
			return appOnly ? hints.appOnlyAttendanceForbidden : hints.delegatedAttendanceForbidden;
		if (SESSIONS_PATH.test(path))
			return appOnly ? hints.appOnlySessionsForbidden : hints.delegatedSessionsForbidden;
		return appOnly ? hints.appOnlyForbidden : hints.delegatedForbidden;
	}
	if (status === 404) {
		if (ONE_REGISTRATION_PATH.test(path)) return hints.registrationNotFound;
		return ONE_SESSION_PATH.test(path) ? hints.sessionNotFound : hints.webinarNotFound;
	}
	if (status === 400 && /\/registrations$/.test(path)) return hints.registrationRefused;
	if (status === 409) return hints.conflict;
	if (status === 429) return hints.throttled;
	if (status >= 500) return hints.serverError;
	return undefined;
}
