import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { clock, graphPath, listAllPages } from '../transport';
import type { GraphClient } from '../transport';
import { isRecord, odataString, withoutODataFields } from '../helpers/data';
import { asNodeError, isGraphStatus } from '../helpers/errors';
import {
	REGISTRATION_PAGE_EXAMPLE,
	looksLikeLink,
	webinarIdFromRegistrationPage,
} from '../helpers/links';
import { ListingsAfter } from '../helpers/listingsAfter';
import { isDotSegment } from '../helpers/parameters';
import type { Problem } from '../helpers/parameters';
import type { OperationContext } from './context';

/**
 * Teams webinars (virtual events, Graph v1.0) and their registrations: the paths, every
 * Graph call, what an execution remembers about them, and the hints for their failures.
 */

/** Webinars live in Graph v1.0 (external registration in beta). */
const WEBINAR_API_VERSION = 'v1.0';

/** Statuses in which a person holds a place (or is waiting for one). */
const ACTIVE_STATUSES = new Set(['registered', 'waitlisted', 'pendingApproval']);

/** Listings to wait for a registration Graph accepted with 204 to appear in, and the pause before each further one. */
const LOOKUP_ATTEMPTS = 3;
const LOOKUP_PAUSE_MS = 1000;

/** The webinar a `webinar` resource locator names (from the list, by id, or by its registration page URL), or what is wrong with it. */
export function webinarIdOf({ mode, text }: { mode: string; text: string }): string | Problem {
	if (mode === 'url') {
		const webinarId = webinarIdFromRegistrationPage(text);
		if (webinarId === undefined || isDotSegment(webinarId)) {
			return {
				problem: `is not a webinar registration page URL: "${text}"`,
				description: `A registration page URL looks like ${REGISTRATION_PAGE_EXAMPLE}`,
			};
		}
		return webinarId;
	}
	if (looksLikeLink(text)) {
		return {
			problem: 'holds a link, not a webinar ID',
			description:
				'Choose "By URL" in the Webinar field to use the link of the webinar\'s registration page.',
		};
	}
	if (isDotSegment(text)) return { problem: `is not a webinar ID: "${text}"` };
	return text;
}

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

/** A registration as the node outputs it: Graph's fields without OData control fields, and its webinar. */
export function registrationOutput(registration: IDataObject, webinarId: string): IDataObject {
	return { ...withoutODataFields(registration), webinarId };
}

// Paths. Ids go in through graphPath only.

/** `/solutions/virtualEvents/webinars/{webinarId}`. */
function webinarPath(webinarId: string): string {
	return graphPath`/solutions/virtualEvents/webinars/${webinarId}`;
}

function registrationsPath(webinarId: string): string {
	return `${webinarPath(webinarId)}/registrations`;
}

function registrationPath(webinarId: string, registrationId: string): string {
	return registrationsPath(webinarId) + graphPath`/${registrationId}`;
}

function questionsPath(webinarId: string): string {
	return `${webinarPath(webinarId)}/registrationConfiguration/questions`;
}

/** The organizer's webinars: `getByUserRole` for the signed-in one, `getByUserIdAndRole` for a named one (app-only). */
function organizerWebinarsPath(organizerId: string | undefined): string {
	if (organizerId === undefined)
		return "/solutions/virtualEvents/webinars/getByUserRole(role='organizer')";
	return graphPath`/solutions/virtualEvents/webinars/getByUserIdAndRole(userId=${odataString(organizerId)},role='organizer')`;
}

// Webinars.

/** One page of the organizer's webinars (the editor's list); `nextLink` reads a later page. */
export async function organizerWebinarsPage(
	graph: GraphClient,
	organizerId: string | undefined,
	nextLink?: string,
): Promise<{ webinars: IDataObject[]; nextLink?: string }> {
	const page = await graph.request<{ value?: IDataObject[]; '@odata.nextLink'?: unknown }>({
		method: 'GET',
		path: organizerWebinarsPath(organizerId),
		apiVersion: WEBINAR_API_VERSION,
		nextLink,
	});
	const next = page['@odata.nextLink'];
	return { webinars: page.value ?? [], nextLink: typeof next === 'string' ? next : undefined };
}

/** The webinar's registration questions as Graph lists them (custom and predefined). */
export async function listQuestions(
	graph: GraphClient,
	webinarId: string,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await listAllPages(graph, {
		path: questionsPath(webinarId),
		apiVersion: WEBINAR_API_VERSION,
		itemIndex,
	});
}

/** The webinar's registration questions, listed once per webinar per run. */
export async function listQuestionsOnce(
	webinarId: string,
	context: OperationContext,
): Promise<IDataObject[]> {
	return await context.caches.webinar.questionsByWebinar.get(
		webinarId,
		async () => await listQuestions(context.graph, webinarId, context.itemIndex),
	);
}

// Registrations.

/** The webinar's registrations (all, or up to `limit`). */
export async function listRegistrations(
	webinarId: string,
	context: OperationContext,
	limit?: number,
): Promise<IDataObject[]> {
	return await listAllPages(
		context.graph,
		{
			path: registrationsPath(webinarId),
			apiVersion: WEBINAR_API_VERSION,
			itemIndex: context.itemIndex,
		},
		limit,
	);
}

/** All of the webinar's registrations, listed once per webinar per run. */
async function listRegistrationsOnce(
	webinarId: string,
	context: OperationContext,
): Promise<IDataObject[]> {
	return await context.caches.webinar.registrationsByWebinar.get(
		webinarId,
		async () => await listRegistrations(webinarId, context),
	);
}

/** The webinar's registrations from a listing that started after `moment` (shared by the run's items). */
async function registrationsListedAfter(
	webinarId: string,
	moment: number,
	context: OperationContext,
): Promise<IDataObject[]> {
	const { listingsAfter } = context.caches.webinar;
	let listings = listingsAfter.get(webinarId);
	if (listings === undefined) {
		listings = new ListingsAfter(async () => await listRegistrations(webinarId, context));
		listingsAfter.set(webinarId, listings);
	}
	return await listings.startedAfter(moment);
}

/** By ID one GET; by email the webinar's listing (read once per run), the newest registration of that address. */
export async function findRegistration(
	webinarId: string,
	registration: RegistrationReference,
	context: OperationContext,
): Promise<IDataObject | undefined> {
	if (registration.kind === 'id') {
		return await context.graph.request<IDataObject>({
			method: 'GET',
			path: registrationPath(webinarId, registration.id),
			apiVersion: WEBINAR_API_VERSION,
			itemIndex: context.itemIndex,
		});
	}
	const listed = await listRegistrationsOnce(webinarId, context);
	return newestRegistration(
		listed.filter((candidate) => sameEmail(candidate.email, registration.email)),
	);
}

/**
 * Registers a person: `POST .../registrations`, the body as Microsoft documents it for the
 * credential's kind. Delegated, Graph answers with the registration; app-only with 204 No
 * Content, so the registration is found by `email` among the webinar's registrations
 * listed after the answer (the newest one that holds a place). Graph may list it a moment
 * later, so a few listings are tried, each started after the last.
 */
export async function createRegistration(
	webinarId: string,
	body: IDataObject,
	email: string | undefined,
	context: OperationContext,
): Promise<IDataObject> {
	const { node, itemIndex } = context;
	const created = await context.graph.request<unknown>({
		method: 'POST',
		path: registrationsPath(webinarId),
		apiVersion: WEBINAR_API_VERSION,
		body,
		itemIndex,
	});
	if (isRecord(created) && typeof created.id === 'string') return created;
	if (email === undefined) {
		throw new NodeOperationError(
			node,
			`Item ${itemIndex}: Microsoft Graph accepted the registration but did not return it`,
			{
				itemIndex,
				description: 'Check the webinar\'s registrations with Operation "Get Many".',
			},
		);
	}
	for (let attempt = 1; ; attempt++) {
		const listed = await registrationsListedAfter(webinarId, clock().now(), context);
		const found = newestRegistration(
			listed.filter(
				(registration) =>
					sameEmail(registration.email, email) && isActiveRegistration(registration),
			),
		);
		if (found !== undefined) return found;
		if (attempt >= LOOKUP_ATTEMPTS) {
			throw new NodeOperationError(
				node,
				`Item ${itemIndex}: Microsoft Graph accepted the registration of ${email} (204 No Content), but it is not among the webinar's registrations`,
				{
					itemIndex,
					description: `The person is most likely registered: Graph did not list the registration after ${LOOKUP_ATTEMPTS} lookups. Check with Operation "Get" (By Email) before registering them again.`,
				},
			);
		}
		await clock().sleep(LOOKUP_PAUSE_MS * attempt);
	}
}

async function cancelOne(
	webinarId: string,
	registrationId: string,
	context: OperationContext,
): Promise<void> {
	await context.graph.request({
		method: 'POST',
		path: `${registrationPath(webinarId, registrationId)}/cancel`,
		apiVersion: WEBINAR_API_VERSION,
		itemIndex: context.itemIndex,
	});
}

/** By registration ID: one POST; Graph's 404 only counts as "not registered" (nothing cancelled) if the webinar exists. */
async function cancelById(
	webinarId: string,
	registrationId: string,
	context: OperationContext,
): Promise<IDataObject[]> {
	try {
		await cancelOne(webinarId, registrationId, context);
		return [{ webinarId, id: registrationId, canceled: true }];
	} catch (error) {
		if (!isGraphStatus(error, 404)) throw asNodeError(context.node, error);
		// A missing webinar also answers 404: reading it fails then, with Graph's answer.
		await context.graph.request({
			method: 'GET',
			path: webinarPath(webinarId),
			apiVersion: WEBINAR_API_VERSION,
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
	webinarId: string,
	email: string,
	context: OperationContext,
): Promise<IDataObject[]> {
	let canceledNow = false;
	const canceled = await context.caches.webinar.cancellationByEmail.get(
		`${webinarId} ${email.toLowerCase()}`,
		async () => {
			canceledNow = true;
			const registrations = (await listRegistrationsOnce(webinarId, context)).filter(
				(registration) =>
					sameEmail(registration.email, email) && isActiveRegistration(registration),
			);
			for (const registration of registrations)
				await cancelOne(webinarId, String(registration.id), context);
			return registrations.map((registration) => ({
				webinarId,
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
	webinarId: string,
	registration: RegistrationReference,
	context: OperationContext,
): Promise<IDataObject[]> {
	return registration.kind === 'id'
		? await cancelById(webinarId, registration.id, context)
		: await cancelByEmail(webinarId, registration.email, context);
}

// Hints for failures.

/** Hints for Teams webinars (virtual events, Graph v1.0). */
const WEBINAR_HINTS = {
	delegatedForbidden:
		"The signed-in account may not do this. Webinar registration needs the delegated permission VirtualEvent.ReadWrite (VirtualEvent.Read to read) with consent, granted to the app registration and requested by the credential; listing or cancelling other people's registrations also needs the account to be the webinar's organizer or a co-organizer. Reconnect the credential after changing permissions.",
	appOnlyForbidden:
		"App-only webinar registration needs the application permissions VirtualEventRegistration-Anon.ReadWrite.All (register, cancel) and VirtualEvent.Read.All (webinars, questions, registrations) with admin consent, and a Teams application access policy granted to the webinar's organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply).",
	webinarNotFound:
		'The webinar was not found. Check the webinar ID or registration page URL (https://events.teams.microsoft.com/event/...), and, app-only, that the Organizer organizes it.',
	registrationNotFound:
		'The registration (or its webinar) was not found. Check the registration ID, or find the person with Operation "Get" By Email.',
	registrationRefused:
		"Microsoft Graph refused the registration. Check the answers to the webinar's registration questions (required ones, allowed choices), the email address, the time zone and language, and that the webinar is published.",
	conflict:
		'Microsoft Graph reports a conflict: the person most likely holds a registration for this webinar already (check with Operation "Get", By Email), or the webinar is full and has no waitlist.',
	throttled:
		'Microsoft Graph allows 15 webinar registrations and cancellations per 30 seconds per app, across all tenants; other workflows using the same app share that. The node sends them at 0.5 per second unless "Request Options → Max Requests per Second" is set; raise "Time Budget" for long imports so throttled requests keep being retried.',
	serverError:
		'Microsoft Graph failed to process the request; it may succeed if run again. Check the webinar\'s registrations (Operation "Get Many") before re-running, so nobody is registered twice.',
};

const WEBINAR_PATH = /^\/solutions\/virtualEvents\/webinars(\/|$)/;
const ONE_REGISTRATION_PATH = /\/registrations\/[^/]+(\/cancel)?$/;

/** The hint for a failed webinar request (a 401 is worded in hints.ts, alike for every resource); undefined when there is none. */
export function webinarHint(status: number, path: string, appOnly: boolean): string | undefined {
	if (status === 403)
		return appOnly ? WEBINAR_HINTS.appOnlyForbidden : WEBINAR_HINTS.delegatedForbidden;
	if (status === 404)
		return ONE_REGISTRATION_PATH.test(path)
			? WEBINAR_HINTS.registrationNotFound
			: WEBINAR_HINTS.webinarNotFound;
	if (status === 400 && /\/registrations$/.test(path)) return WEBINAR_HINTS.registrationRefused;
	if (status === 409) return WEBINAR_HINTS.conflict;
	if (status === 429) return WEBINAR_HINTS.throttled;
	if (status >= 500) return WEBINAR_HINTS.serverError;
	return undefined;
}

/** Whether `path` is a webinar (virtual event) path. */
export function isWebinarPath(path: string): boolean {
	return WEBINAR_PATH.test(path);
}
