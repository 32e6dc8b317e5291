import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { graphPath, listAllPages } from '../transport';
import type { OperationContext } from '../actions/node.type';
import { forgetEnrollment, noteRemoval } from './enrollments';
import { asNodeError } from './errors';
import type { MeetingRegistration } from './executionCache';
import { inputError } from './parameters';

const REGISTRATION_TYPE = '#microsoft.graph.externalMeetingRegistration';

export type MeetingReference = { kind: 'id'; id: string } | { kind: 'joinUrl'; joinUrl: string };

/** Hosts that serve Teams meeting join links, in every cloud Teams runs in. */
const TEAMS_JOIN_HOSTS = new Set([
	'teams.microsoft.com',
	'teams.microsoft.us',
	'gov.teams.microsoft.us',
	'dod.teams.microsoft.us',
	'teams.microsoftonline.cn',
]);

export const JOIN_LINK_EXAMPLE = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...';

export function isTeamsJoinLink(text: string): boolean {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return false;
	}
	return (
		url.protocol === 'https:' &&
		TEAMS_JOIN_HOSTS.has(url.hostname.toLowerCase()) &&
		(url.pathname.startsWith('/l/meetup-join/') || url.pathname.startsWith('/meet/'))
	);
}

/** Reads and checks the `meeting` resource locator of one item; sends nothing. */
export function readMeetingReference(ctx: IExecuteFunctions, itemIndex: number): MeetingReference {
	const node = ctx.getNode();
	const locator = ctx.getNodeParameter('meeting', itemIndex) as INodeParameterResourceLocator | unknown;
	const { mode, value } = (typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator }) as {
		mode?: string;
		value?: unknown;
	};
	if (value !== null && typeof value === 'object') {
		throw inputError(node, itemIndex, 'meeting', 'must be text, but its expression resolved to an object or array');
	}
	const text = String(value ?? '').trim();
	if (text === '') throw inputError(node, itemIndex, 'meeting', 'is empty');

	if (mode === 'url') {
		if (!isTeamsJoinLink(text)) {
			throw inputError(node, itemIndex, 'meeting', `is not a Teams meeting join link: "${text}"`, `A join link looks like ${JOIN_LINK_EXAMPLE}`);
		}
		return { kind: 'joinUrl', joinUrl: text };
	}
	if (/^https?:\/\//i.test(text)) {
		throw inputError(node, itemIndex, 'meeting', 'holds a link, not a meeting ID', 'Choose "By URL" in the Meeting field to use a join link.');
	}
	if (text === '.' || text === '..') throw inputError(node, itemIndex, 'meeting', `is not a meeting ID: "${text}"`);
	return { kind: 'id', id: text };
}

/** OData string literal: single quotes are doubled. */
function odataString(text: string): string {
	return `'${text.replace(/'/g, "''")}'`;
}

/** `<organizer>/onlineMeetings/{meetingId}`; append `/registration...` as literals. */
export function meetingPath(organizerRoot: string, meetingId: string): string {
	return organizerRoot + graphPath`/onlineMeetings/${meetingId}`;
}

/** The key of a meeting in the execution's caches: the same id may exist for two organizers. */
function meetingKey(context: OperationContext, meetingId: string): string {
	return `${context.organizerRoot} ${meetingId}`;
}

/** Whether `error` is Graph's answer with this HTTP status (as the transport reports it). */
export function isGraphStatus(error: unknown, status: number): boolean {
	return error instanceof NodeApiError && error.httpCode === String(status);
}

/** A Graph entity without OData control fields (`@odata.context`, `@odata.type`...). */
export function withoutODataFields(entity: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(entity).filter(([key]) => !key.startsWith('@odata.')));
}

/** The onlineMeeting with this join link, looked up once per link per execution. */
async function meetingByJoinUrl(joinUrl: string, context: OperationContext): Promise<IDataObject> {
	const { graph, caches, itemIndex, node, organizerRoot } = context;
	return await caches.meetingByJoinUrl.get(`${organizerRoot} ${joinUrl}`, async () => {
		const found = await graph.request<{ value?: IDataObject[] }>({
			method: 'GET',
			path: `${organizerRoot}/onlineMeetings`,
			qs: { $filter: `JoinWebUrl eq ${odataString(joinUrl)}` },
			itemIndex,
		});
		const meeting = found.value?.[0];
		if (typeof meeting?.id !== 'string' || meeting.id === '') {
			throw inputError(
				node,
				itemIndex,
				'meeting',
				'names no meeting of this organizer: Microsoft Graph found no meeting with this join link',
				'Check that the link is complete and that the credential signs in as the meeting\'s organizer.',
			);
		}
		return meeting;
	});
}

/** The onlineMeeting id; a join link is looked up once per execution. */
export async function resolveMeetingId(meeting: MeetingReference, context: OperationContext): Promise<string> {
	if (meeting.kind === 'id') return meeting.id;
	return (await meetingByJoinUrl(meeting.joinUrl, context)).id as string;
}

/** The onlineMeeting itself: by id one GET, by join link the lookup's answer (no second request). */
export async function readMeeting(meeting: MeetingReference, context: OperationContext): Promise<IDataObject> {
	if (meeting.kind === 'joinUrl') return await meetingByJoinUrl(meeting.joinUrl, context);
	return await context.graph.request<IDataObject>({
		method: 'GET',
		path: meetingPath(context.organizerRoot, meeting.id),
		itemIndex: context.itemIndex,
	});
}

/** The meeting's external registration, read once per meeting per execution. */
export async function readRegistration(meetingId: string, context: OperationContext): Promise<MeetingRegistration> {
	const { graph, caches, itemIndex, organizerRoot } = context;
	return await caches.registrationByMeeting.get(meetingKey(context, meetingId), async () =>
		await graph.request<MeetingRegistration>({
			method: 'GET',
			path: `${meetingPath(organizerRoot, meetingId)}/registration`,
			itemIndex,
		}),
	);
}

/**
 * The meeting's registration, or null when the meeting exists but has none. Graph answers
 * 404 both for a missing meeting and for a meeting without registration; only then is the
 * meeting itself read, so a missing meeting still fails with Graph's own answer.
 */
export async function readRegistrationIfEnabled(meetingId: string, context: OperationContext): Promise<MeetingRegistration | null> {
	try {
		return await readRegistration(meetingId, context);
	} catch (error) {
		if (!isGraphStatus(error, 404)) throw asNodeError(context.node, error);
		await readMeeting({ kind: 'id', id: meetingId }, context);
		return null;
	}
}

/** Enables external registration: `POST .../registration` (Graph answers 409 if there is one). */
export async function createRegistration(meetingId: string, allowedRegistrant: string, context: OperationContext): Promise<MeetingRegistration> {
	return await context.graph.request<MeetingRegistration>({
		method: 'POST',
		path: `${meetingPath(context.organizerRoot, meetingId)}/registration`,
		body: { '@odata.type': REGISTRATION_TYPE, allowedRegistrant },
		itemIndex: context.itemIndex,
	});
}

/** The meeting's registrants, all pages or up to `limit`. */
export async function listRegistrants(meetingId: string, context: OperationContext, limit?: number): Promise<IDataObject[]> {
	const path = `${meetingPath(context.organizerRoot, meetingId)}/registration/registrants`;
	return await listAllPages(context.graph, { path, itemIndex: context.itemIndex }, limit);
}

/** Removes one registration (Remove, Replace): this process forgets the link it knew, and its listings of the meeting read again. */
export async function removeRegistrant(meetingId: string, registrantId: string, context: OperationContext): Promise<void> {
	noteRemoval(context, meetingId);
	forgetEnrollment(context, meetingId, registrantId);
	try {
		await context.graph.request({
			method: 'DELETE',
			path: `${meetingPath(context.organizerRoot, meetingId)}/registration` + graphPath`/registrants/${registrantId}`,
			itemIndex: context.itemIndex,
		});
	} finally {
		noteRemoval(context, meetingId);
	}
}

/** All of the meeting's registrants, listed once per meeting per execution. */
export async function listRegistrantsOnce(meetingId: string, context: OperationContext): Promise<IDataObject[]> {
	return await context.caches.registrantsByMeeting.get(meetingKey(context, meetingId), async () => await listRegistrants(meetingId, context));
}

/**
 * The key of one external id in one meeting, for work done once per execution. Graph sets
 * a registrant's `id` to the external id it was enrolled with, so listings match on `id`.
 */
export function registrantKey(context: OperationContext, meetingId: string, externalId: string): string {
	return `${meetingKey(context, meetingId)} ${externalId}`;
}
