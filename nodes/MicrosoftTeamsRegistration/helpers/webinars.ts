import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { clock, createGraphClient, graphPath, listAllPages } from '../transport';
import type { GraphClient } from '../transport';
import type { OperationContext } from '../actions/node.type';
import type { WebinarCaches } from './executionCache';
import { withoutODataFields } from './meetings';
import { inputError } from './parameters';


/** Webinars live in Graph v1.0 (external registration in beta). */
export const WEBINAR_API_VERSION = 'v1.0';

/** Where Teams publishes a webinar's registration page; the last path segment is the webinar's id. */
const REGISTRATION_PAGE_HOST = 'events.teams.microsoft.com';
export const REGISTRATION_PAGE_EXAMPLE = 'https://events.teams.microsoft.com/event/88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33';

/** Statuses in which a person holds a place (or is waiting for one). */
const ACTIVE_STATUSES = new Set(['registered', 'waitlisted', 'pendingApproval']);

export function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The webinar id in a registration page URL, or undefined if the text is not one. */
function webinarIdFromRegistrationPage(text: string): string | undefined {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}
	const match = /^\/event\/([^/]+)\/?$/.exec(url.pathname);
	if (url.protocol !== 'https:' || url.hostname.toLowerCase() !== REGISTRATION_PAGE_HOST || !match) return undefined;
	try {
		return decodeURIComponent(match[1]);
	} catch {
		return undefined;
	}
}

export type WebinarReference = { webinarId: string } | { problem: string; description?: string };

/**
 * The webinar id a `webinar` resource locator names (from the list, by id, or by its
 * registration page URL), or what is wrong with it. No request is sent.
 */
export function webinarReferenceOf(locator: unknown): WebinarReference {
	const { mode, value } = (isRecord(locator) ? locator : { mode: 'id', value: locator }) as INodeParameterResourceLocator;
	if (value !== null && typeof value === 'object') return { problem: 'must be text, but its expression resolved to an object or array' };
	const text = String(value ?? '').trim();
	if (text === '') return { problem: 'is empty' };
	if (mode === 'url') {
		const webinarId = webinarIdFromRegistrationPage(text);
		if (webinarId === undefined || webinarId === '.' || webinarId === '..') {
			return { problem: `is not a webinar registration page URL: "${text}"`, description: `A registration page URL looks like ${REGISTRATION_PAGE_EXAMPLE}` };
		}
		return { webinarId };
	}
	if (/^https?:\/\//i.test(text)) {
		return { problem: 'holds a link, not a webinar ID', description: 'Choose "By URL" in the Webinar field to use the link of the webinar\'s registration page.' };
	}
	if (text === '.' || text === '..') return { problem: `is not a webinar ID: "${text}"` };
	return { webinarId: text };
}

/** Reads and checks the `webinar` resource locator of one item; sends nothing. */
export function readWebinarId(ctx: IExecuteFunctions, itemIndex: number): string {
	const reference = webinarReferenceOf(ctx.getNodeParameter('webinar', itemIndex));
	if ('problem' in reference) throw inputError(ctx.getNode(), itemIndex, 'webinar', reference.problem, reference.description);
	return reference.webinarId;
}

/** `/solutions/virtualEvents/webinars/{webinarId}`; append `/registrations...` as literals. */
export function webinarPath(webinarId: string): string {
	return graphPath`/solutions/virtualEvents/webinars/${webinarId}`;
}

/** A readable email address (what Graph's `email` holds): text with one @ and no spaces. */
export function isEmailAddress(text: string): boolean {
	return /^[^@\s]+@[^@\s]+$/.test(text);
}

/** Email addresses are compared as Graph does: without regard to case. */
export function sameEmail(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

export function isActiveRegistration(registration: IDataObject): boolean {
	return ACTIVE_STATUSES.has(String(registration.status));
}

/** The most recent of the registrations (by registrationDateTime); listings keep the later of equals. */
export function newestRegistration(registrations: IDataObject[]): IDataObject | undefined {
	const time = (registration: IDataObject) => Date.parse(String(registration.registrationDateTime ?? '')) || 0;
	return registrations.reduce<IDataObject | undefined>((newest, candidate) => (newest === undefined || time(candidate) >= time(newest) ? candidate : newest), undefined);
}

/** Every item of a webinar collection (Graph v1.0), all pages or up to `limit`. */
export async function listAll(graph: GraphClient, path: string, itemIndex: number, limit?: number): Promise<IDataObject[]> {
	return await listAllPages(graph, { path, apiVersion: WEBINAR_API_VERSION, itemIndex }, limit);
}

/**
 * A webinar's registrations as listed after a given moment. Graph answers an app-only
 * registration with 204 and no id, so the node has to list the webinar's registrations to
 * find the new one; the items of one run share listings: a caller waiting for a listing
 * that starts after its moment joins the next one, and at most one listing runs at a time.
 * With writes paced at one per 2 s, one listing then serves every registration answered
 * while the previous listing ran.
 */
export class ListingsAfter {
	private latest?: { startedAt: number; registrations: Promise<IDataObject[]> };
	private queued?: Promise<IDataObject[]>;

	constructor(private readonly list: () => Promise<IDataObject[]>) {}

	async startedAfter(moment: number): Promise<IDataObject[]> {
		if (this.latest !== undefined && this.latest.startedAt >= moment) return await this.latest.registrations;
		// A queued listing starts once the running one ends, so after `moment` too.
		this.queued ??= this.startAfterRunning();
		return await this.queued;
	}

	private async startAfterRunning(): Promise<IDataObject[]> {
		await this.latest?.registrations.catch(() => undefined);
		const registrations = this.list();
		this.latest = { startedAt: clock().now(), registrations };
		this.queued = undefined;
		return await registrations;
	}
}

/** What one run remembers about webinars, beside the router's caches (see webinarCaches). */
export function webinarCaches(context: OperationContext): WebinarCaches {
	return context.caches.webinar;
}

/** The webinar's registrations (all, or up to `limit`). */
export async function listRegistrations(webinarId: string, context: OperationContext, limit?: number): Promise<IDataObject[]> {
	return await listAll(context.graph, `${webinarPath(webinarId)}/registrations`, context.itemIndex, limit);
}

/** All of the webinar's registrations, listed once per webinar per run. */
export async function listRegistrationsOnce(webinarId: string, context: OperationContext): Promise<IDataObject[]> {
	return await webinarCaches(context).registrationsByWebinar.get(webinarId, async () => await listRegistrations(webinarId, context));
}

/** The webinar's registrations from a listing that started after `moment` (shared by the run's items). */
export async function registrationsListedAfter(webinarId: string, moment: number, context: OperationContext): Promise<IDataObject[]> {
	const { listingsAfter } = webinarCaches(context);
	let listings = listingsAfter.get(webinarId);
	if (listings === undefined) {
		listings = new ListingsAfter(async () => await listRegistrations(webinarId, context));
		listingsAfter.set(webinarId, listings);
	}
	return await listings.startedAfter(moment);
}

/**
 * A Graph client for the editor's list and mapping methods. The transport is typed for
 * executions; the editor's context offers every member it uses (getNodeParameter,
 * getCredentials, getNode and the HTTP helpers).
 */
export async function editorGraphClient(ctx: ILoadOptionsFunctions): Promise<GraphClient> {
	return await createGraphClient(ctx as unknown as IExecuteFunctions);
}

export type RegistrationReference = { kind: 'id'; id: string } | { kind: 'email'; email: string };

/** Reads and checks the `registration` resource locator of one item; sends nothing. */
export function readRegistrationReference(ctx: IExecuteFunctions, itemIndex: number): RegistrationReference {
	const node = ctx.getNode();
	const parameter = ctx.getNodeParameter('registration', itemIndex) as unknown;
	// an expression over the whole field gives a plain value: taken as an email address
	const { mode, value } = (isRecord(parameter) ? parameter : { mode: 'email', value: parameter }) as INodeParameterResourceLocator;
	if (value !== null && typeof value === 'object') throw inputError(node, itemIndex, 'registration', 'must be text, but its expression resolved to an object or array');
	const text = String(value ?? '').trim();
	if (text === '') throw inputError(node, itemIndex, 'registration', 'is empty');
	if (mode === 'id') {
		if (text === '.' || text === '..') throw inputError(node, itemIndex, 'registration', `is not a registration ID: "${text}"`);
		return { kind: 'id', id: text };
	}
	if (!isEmailAddress(text)) {
		throw inputError(node, itemIndex, 'registration', `is not an email address: "${text}"`, 'Choose "By Registration ID" to name a registration by its ID.');
	}
	return { kind: 'email', email: text };
}

/** A registration as the node outputs it: Graph's fields without OData control fields, and its webinar. */
export function registrationOutput(registration: IDataObject, webinarId: string): IDataObject {
	return { ...withoutODataFields(registration), webinarId };
}
