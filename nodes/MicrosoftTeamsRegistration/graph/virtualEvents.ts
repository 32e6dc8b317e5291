import type { IDataObject } from 'n8n-workflow';

import { createGraphClient, graphPath, listAllPages } from '../transport';
import type {
	AuthenticationMethod,
	DeliveryOptions,
	GraphClient,
	GraphClientContext,
	GraphErrorDetails,
} from '../transport';
import { odataString } from '../helpers/data';
import {
	REGISTRATION_PAGE_EXAMPLE,
	looksLikeLink,
	webinarIdFromRegistrationPage,
} from '../helpers/links';
import { isDotSegment } from '../helpers/parameters';
import type { Problem } from '../helpers/parameters';

/**
 * Teams virtual events, webinars and town halls alike (Graph v1.0): their paths, listings of
 * their registrations, sessions and attendance, and the hints for what reading them meets.
 * Every listing reads all pages (`@odata.nextLink`) through the transport, so it is paced,
 * retried and throttled like any other request; every id goes into a path through graphPath.
 */

/** The two kinds of Teams virtual event with a registration API. */
export type VirtualEventKind = 'webinar' | 'townhall';

/** One webinar or town hall: what an operation names with Event Type and the Event locator. */
export interface VirtualEvent {
	kind: VirtualEventKind;
	id: string;
}

const KIND_OF_PATH = /^\/solutions\/virtualEvents\/(webinars|townhalls)(\/|$)/;

/** Virtual events live in Graph v1.0. */
export const VIRTUAL_EVENTS_API_VERSION = 'v1.0';

/** How the user reads the kind, in messages and hints. */
export const VIRTUAL_EVENT_LABELS: Record<VirtualEventKind, string> = {
	webinar: 'webinar',
	townhall: 'town hall',
};

/** The label at the start of a sentence: "Webinar", "Town hall". */
export function capitalizedLabel(kind: VirtualEventKind): string {
	const label = VIRTUAL_EVENT_LABELS[kind];
	return label.charAt(0).toUpperCase() + label.slice(1);
}

export function isVirtualEventKind(value: unknown): value is VirtualEventKind {
	return value === 'webinar' || value === 'townhall';
}

/** The kind of event a virtual event path addresses (webinar for anything else). */
/** Whether `path` is a webinar or town hall (virtual event) path. */
export function isVirtualEventPath(path: string): boolean {
	return KIND_OF_PATH.test(path);
}

export function kindOfPath(path: string): VirtualEventKind {
	return KIND_OF_PATH.exec(path)?.[1] === 'townhalls' ? 'townhall' : 'webinar';
}

/**
 * The event an Event locator names (from the list, by id, or by its registration page URL),
 * or what is wrong with it. Microsoft documents no separate shape for town hall registration
 * pages (registrationWebUrl is "the registration portal URL" for both kinds), so both kinds
 * take the same https://events.teams.microsoft.com/event/{id} links.
 */
export function eventIdOf(
	{ mode, text }: { mode: string; text: string },
	kind: VirtualEventKind = 'webinar',
): string | Problem {
	const label = VIRTUAL_EVENT_LABELS[kind];
	if (mode === 'url') {
		const eventId = webinarIdFromRegistrationPage(text);
		if (eventId === undefined || isDotSegment(eventId)) {
			return {
				problem: `is not a ${label} registration page URL: "${text}"`,
				description: `A registration page URL looks like ${REGISTRATION_PAGE_EXAMPLE}`,
			};
		}
		return eventId;
	}
	if (looksLikeLink(text)) {
		return {
			problem: `holds a link, not a ${label} ID`,
			description: `Choose "By URL" in the Event field to use the link of the ${label}'s registration page.`,
		};
	}
	if (isDotSegment(text)) return { problem: `is not a ${label} ID: "${text}"` };
	return text;
}

// Paths. Ids go in through graphPath only.

/** `/solutions/virtualEvents/webinars/{id}` or `/solutions/virtualEvents/townhalls/{id}`. */
export function virtualEventPath(kind: VirtualEventKind, eventId: string): string {
	return kind === 'webinar'
		? graphPath`/solutions/virtualEvents/webinars/${eventId}`
		: graphPath`/solutions/virtualEvents/townhalls/${eventId}`;
}

/** The events a user organizes: `getByUserRole` for the signed-in one, `getByUserIdAndRole` for a named one (app-only). */
function organizerEventsPath(kind: VirtualEventKind, organizerId: string | undefined): string {
	const collection = kind === 'webinar' ? 'webinars' : 'townhalls';
	if (organizerId === undefined)
		return `/solutions/virtualEvents/${collection}/getByUserRole(role='organizer')`;
	return (
		`/solutions/virtualEvents/${collection}` +
		graphPath`/getByUserIdAndRole(userId=${odataString(organizerId)},role='organizer')`
	);
}

async function listAll(
	graph: GraphClient,
	path: string,
	itemIndex?: number,
	limit?: number,
): Promise<IDataObject[]> {
	return await listAllPages(
		graph,
		{ path, apiVersion: VIRTUAL_EVENTS_API_VERSION, itemIndex },
		limit,
	);
}

// Graph calls.

/** One page of the organizer's webinars or town halls (the editor's list); `nextLink` reads a later page. */
export async function organizerEventsPage(
	graph: GraphClient,
	kind: VirtualEventKind,
	organizerId: string | undefined,
	nextLink?: string,
): Promise<{ events: IDataObject[]; nextLink?: string }> {
	const page = await graph.request<{ value?: IDataObject[]; '@odata.nextLink'?: unknown }>({
		method: 'GET',
		path: organizerEventsPath(kind, organizerId),
		apiVersion: VIRTUAL_EVENTS_API_VERSION,
		nextLink,
	});
	const next = page['@odata.nextLink'];
	return { events: page.value ?? [], nextLink: typeof next === 'string' ? next : undefined };
}

/** The event's registrations, whatever their status (canceled ones included): all pages, or up to `limit`. */
export async function listEventRegistrations(
	graph: GraphClient,
	kind: VirtualEventKind,
	eventId: string,
	itemIndex?: number,
	limit?: number,
): Promise<IDataObject[]> {
	return await listAll(graph, `${virtualEventPath(kind, eventId)}/registrations`, itemIndex, limit);
}

/** The event's sessions (session summaries: id, subject, start, end, joinWebUrl), all or up to `limit`. */
export async function listSessions(
	graph: GraphClient,
	kind: VirtualEventKind,
	eventId: string,
	itemIndex?: number,
	limit?: number,
): Promise<IDataObject[]> {
	return await listAll(graph, `${virtualEventPath(kind, eventId)}/sessions`, itemIndex, limit);
}

/** A session's attendance reports (Graph lists the 50 most recent). */
export async function listAttendanceReports(
	graph: GraphClient,
	kind: VirtualEventKind,
	eventId: string,
	sessionId: string,
	itemIndex?: number,
): Promise<IDataObject[]> {
	return await listAll(
		graph,
		virtualEventPath(kind, eventId) + graphPath`/sessions/${sessionId}/attendanceReports`,
		itemIndex,
	);
}

/** The attendance records of one report of a session, all pages (or up to `limit`). */
export async function listAttendanceRecords(
	graph: GraphClient,
	kind: VirtualEventKind,
	eventId: string,
	sessionId: string,
	reportId: string,
	itemIndex?: number,
	limit?: number,
): Promise<IDataObject[]> {
	return await listAll(
		graph,
		virtualEventPath(kind, eventId) +
			graphPath`/sessions/${sessionId}/attendanceReports/${reportId}/attendanceRecords`,
		itemIndex,
		limit,
	);
}

// Hints: what reading a webinar's or town hall's registrations meets.

/** The hint for a failed read of virtual event registrations (the registration trigger's wording); empty if none. */
export function registrationReadHint(
	details: GraphErrorDetails,
	path: string,
	appOnly: boolean,
): string {
	const label = VIRTUAL_EVENT_LABELS[kindOfPath(path)];
	const { status } = details;
	if (status === 401)
		return 'Microsoft Graph rejected the access token. Reconnect the credential (sign in again), and check that its "Microsoft Cloud" matches the cloud your tenant is in.';
	if (status === 403) {
		return appOnly
			? `Listing a ${label}'s registrations app-only needs the application permission VirtualEvent.Read.All with admin consent, and a Teams application access policy granted to the ${label}'s organizer (New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy; allow up to 30 minutes).`
			: `Listing a ${label}'s registrations needs the delegated permission VirtualEvent.Read (or VirtualEvent.ReadWrite: the credential's "Webinar Permission"), and the signed-in account must be the ${label}'s organizer or a co-organizer. Reconnect the credential after changing permissions.`;
	}
	if (status === 404)
		return `The ${label} was not found. Check the Event Type, the ID or registration page URL (https://events.teams.microsoft.com/event/...), and that the credential's account (app-only: the tenant) can see it.`;
	if (status === 429)
		return 'Microsoft Graph allows 750 virtual event reads per 30 seconds per app, across all tenants; other workflows using the same app share that. The next poll tries again; a longer poll interval reads less.';
	if (status >= 500)
		return 'Microsoft Graph failed to answer; the next poll tries again and misses nothing (each poll reads the whole list).';
	return '';
}

/** A Graph client whose errors carry the registration-reading hints (the trigger's). */
export async function openRegistrationReader(
	ctx: GraphClientContext,
	authentication: AuthenticationMethod,
	delivery: DeliveryOptions,
): Promise<GraphClient> {
	return await createGraphClient(ctx, authentication, {
		delivery,
		hintFor: registrationReadHint,
	});
}
