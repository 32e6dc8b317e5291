import type { IDataObject } from 'n8n-workflow';

import { graphPath, listAllPages } from '../transport';
import { odataString } from '../helpers/data';
import { asNodeError, isGraphStatus } from '../helpers/errors';
import { JOIN_LINK_EXAMPLE, isTeamsJoinLink, looksLikeLink } from '../helpers/links';
import { inputError, isDotSegment } from '../helpers/parameters';
import type { Problem } from '../helpers/parameters';
import type { OperationContext } from './context';
import { forgetEnrollment, noteRemoval } from './enrollments';
import type { MeetingRegistration } from './executionCache';

/**
 * Teams online meetings and their external registration (Graph beta): the paths, every
 * Graph call, what an execution remembers about them, and the hints for their failures.
 */

const REGISTRATION_TYPE = '#microsoft.graph.externalMeetingRegistration';

export type MeetingReference = { kind: 'id'; id: string } | { kind: 'joinUrl'; joinUrl: string };

/** The meeting a `meeting` resource locator names (by join link or by id), or what is wrong with it. */
export function meetingReferenceOf({
	mode,
	text,
}: {
	mode: string;
	text: string;
}): MeetingReference | Problem {
	if (mode === 'url') {
		if (!isTeamsJoinLink(text)) {
			return {
				problem: `is not a Teams meeting join link: "${text}"`,
				description: `A join link looks like ${JOIN_LINK_EXAMPLE}`,
			};
		}
		return { kind: 'joinUrl', joinUrl: text };
	}
	if (looksLikeLink(text)) {
		return {
			problem: 'holds a link, not a meeting ID',
			description: 'Choose "By URL" in the Meeting field to use a join link.',
		};
	}
	if (isDotSegment(text)) return { problem: `is not a meeting ID: "${text}"` };
	return { kind: 'id', id: text };
}

// Paths. Ids go in through graphPath only.

/** `<organizer>/onlineMeetings/{meetingId}`. */
function meetingPath(organizerRoot: string, meetingId: string): string {
	return organizerRoot + graphPath`/onlineMeetings/${meetingId}`;
}

function registrationPath(organizerRoot: string, meetingId: string): string {
	return `${meetingPath(organizerRoot, meetingId)}/registration`;
}

function registrantsPath(organizerRoot: string, meetingId: string): string {
	return `${registrationPath(organizerRoot, meetingId)}/registrants`;
}

function registrantPath(organizerRoot: string, meetingId: string, registrantId: string): string {
	return registrantsPath(organizerRoot, meetingId) + graphPath`/${registrantId}`;
}

// Cache keys.

/** The key of a meeting in the execution's caches: the same id may exist for two organizers. */
export function meetingKey(context: OperationContext, meetingId: string): string {
	return `${context.organizerRoot} ${meetingId}`;
}

/**
 * The key of one external id in one meeting, for work done once per execution. Graph sets
 * a registrant's `id` to the external id it was enrolled with, so listings match on `id`.
 */
function registrantKey(context: OperationContext, meetingId: string, externalId: string): string {
	return `${meetingKey(context, meetingId)} ${externalId}`;
}

// Meetings.

/** Creates an online meeting for the organizer: `POST <organizer>/onlineMeetings`. */
export async function createMeeting(
	meeting: IDataObject,
	context: OperationContext,
): Promise<IDataObject> {
	return await context.graph.request<IDataObject>({
		method: 'POST',
		path: `${context.organizerRoot}/onlineMeetings`,
		body: meeting,
		itemIndex: context.itemIndex,
	});
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
				"Check that the link is complete and that the credential signs in as the meeting's organizer.",
			);
		}
		return meeting;
	});
}

/** The onlineMeeting id; a join link is looked up once per execution. */
export async function resolveMeetingId(
	meeting: MeetingReference,
	context: OperationContext,
): Promise<string> {
	if (meeting.kind === 'id') return meeting.id;
	return (await meetingByJoinUrl(meeting.joinUrl, context)).id as string;
}

/** The onlineMeeting itself: by id one GET, by join link the lookup's answer (no second request). */
export async function readMeeting(
	meeting: MeetingReference,
	context: OperationContext,
): Promise<IDataObject> {
	if (meeting.kind === 'joinUrl') return await meetingByJoinUrl(meeting.joinUrl, context);
	return await context.graph.request<IDataObject>({
		method: 'GET',
		path: meetingPath(context.organizerRoot, meeting.id),
		itemIndex: context.itemIndex,
	});
}

// External registration.

/** The meeting's external registration, read once per meeting per execution. */
export async function readRegistration(
	meetingId: string,
	context: OperationContext,
): Promise<MeetingRegistration> {
	const { graph, caches, itemIndex, organizerRoot } = context;
	return await caches.registrationByMeeting.get(
		meetingKey(context, meetingId),
		async () =>
			await graph.request<MeetingRegistration>({
				method: 'GET',
				path: registrationPath(organizerRoot, meetingId),
				itemIndex,
			}),
	);
}

/**
 * The meeting's registration, or null when the meeting exists but has none. Graph answers
 * 404 both for a missing meeting and for a meeting without registration; only then is the
 * meeting itself read, so a missing meeting still fails with Graph's own answer.
 */
export async function readRegistrationIfEnabled(
	meetingId: string,
	context: OperationContext,
): Promise<MeetingRegistration | null> {
	try {
		return await readRegistration(meetingId, context);
	} catch (error) {
		if (!isGraphStatus(error, 404)) throw asNodeError(context.node, error);
		await readMeeting({ kind: 'id', id: meetingId }, context);
		return null;
	}
}

/** Enables external registration: `POST .../registration` (Graph answers 409 if there is one). */
export async function createRegistration(
	meetingId: string,
	allowedRegistrant: string,
	context: OperationContext,
): Promise<MeetingRegistration> {
	return await context.graph.request<MeetingRegistration>({
		method: 'POST',
		path: registrationPath(context.organizerRoot, meetingId),
		body: { '@odata.type': REGISTRATION_TYPE, allowedRegistrant },
		itemIndex: context.itemIndex,
	});
}

/** Turns external registration off: `DELETE .../registration` (every registrant goes with it). */
export async function deleteRegistration(
	meetingId: string,
	context: OperationContext,
): Promise<void> {
	await context.graph.request({
		method: 'DELETE',
		path: registrationPath(context.organizerRoot, meetingId),
		itemIndex: context.itemIndex,
	});
}

// Registrants.

/** The meeting's registrants, all pages or up to `limit`. */
export async function listRegistrants(
	meetingId: string,
	context: OperationContext,
	limit?: number,
): Promise<IDataObject[]> {
	const path = registrantsPath(context.organizerRoot, meetingId);
	return await listAllPages(context.graph, { path, itemIndex: context.itemIndex }, limit);
}

/** All of the meeting's registrants, listed once per meeting per execution. */
export async function listRegistrantsOnce(
	meetingId: string,
	context: OperationContext,
): Promise<IDataObject[]> {
	return await context.caches.registrantsByMeeting.get(
		meetingKey(context, meetingId),
		async () => await listRegistrants(meetingId, context),
	);
}

/** The run's listing of the meeting no longer holds (an enrollment whose outcome may be unknown): the next item lists again. */
export function forgetRegistrantsListing(meetingId: string, context: OperationContext): void {
	context.caches.registrantsByMeeting.forget(meetingKey(context, meetingId));
}

/** Sends one enrollment: `POST .../registrants`; the answer as Graph gave it. */
export async function postRegistrant(
	meetingId: string,
	body: IDataObject,
	context: OperationContext,
): Promise<unknown> {
	return await context.graph.request<unknown>({
		method: 'POST',
		path: registrantsPath(context.organizerRoot, meetingId),
		body,
		itemIndex: context.itemIndex,
	});
}

/** Deletes one registrant record: `DELETE .../registrants/{id}`, nothing else (callers keep the books). */
export async function deleteRegistrantRecord(
	meetingId: string,
	registrantId: string,
	context: OperationContext,
): Promise<void> {
	await context.graph.request({
		method: 'DELETE',
		path: registrantPath(context.organizerRoot, meetingId, registrantId),
		itemIndex: context.itemIndex,
	});
}

/** Removes one registration (Remove, Replace): this process forgets the link it knew, and its listings of the meeting read again. */
export async function removeRegistrant(
	meetingId: string,
	registrantId: string,
	context: OperationContext,
): Promise<void> {
	noteRemoval(context, meetingId);
	forgetEnrollment(context, meetingId, registrantId);
	try {
		await deleteRegistrantRecord(meetingId, registrantId, context);
	} finally {
		noteRemoval(context, meetingId);
	}
}

/** By registrant id: one DELETE; Graph's 404 only counts as "not enrolled" (false) if the meeting's registration exists. */
export async function removeRegistrantById(
	meetingId: string,
	registrantId: string,
	context: OperationContext,
): Promise<boolean> {
	try {
		await removeRegistrant(meetingId, registrantId, context);
		return true;
	} catch (error) {
		if (!isGraphStatus(error, 404)) throw asNodeError(context.node, error);
		// A missing meeting or registration also answers 404: reading the registration fails then, with Graph's answer.
		await readRegistration(meetingId, context);
		return false;
	}
}

/**
 * By external id: found in the meeting's listing (read once per meeting per run), then one
 * DELETE per record (Graph keeps a record per enrollment, so a person enrolled twice has
 * two). The promise is shared per external id: a second item for the same person in this
 * run finds them removed already (false).
 */
export async function removeRegistrantsByExternalId(
	meetingId: string,
	externalId: string,
	context: OperationContext,
): Promise<boolean> {
	let removedNow = false;
	const removedRecords = await context.caches.removalByExternalId.get(
		registrantKey(context, meetingId, externalId),
		async () => {
			removedNow = true;
			const records = (await listRegistrantsOnce(meetingId, context)).filter(
				(registrant) => registrant.id === externalId,
			);
			for (const record of records) await removeRegistrant(meetingId, String(record.id), context);
			return records.length;
		},
	);
	return removedNow && removedRecords > 0;
}

// Attendance (Graph v1.0; the external registration above is beta).

/** Online meeting attendance reports and records are in Graph v1.0. */
const ATTENDANCE_API_VERSION = 'v1.0';

function attendanceReportsPath(organizerRoot: string, meetingId: string): string {
	return `${meetingPath(organizerRoot, meetingId)}/attendanceReports`;
}

/** The meeting's attendance reports (one per occurrence; Graph lists the 50 most recent), all or up to `limit`. */
export async function listMeetingAttendanceReports(
	meetingId: string,
	context: OperationContext,
	limit?: number,
): Promise<IDataObject[]> {
	return await listAllPages(
		context.graph,
		{
			path: attendanceReportsPath(context.organizerRoot, meetingId),
			apiVersion: ATTENDANCE_API_VERSION,
			itemIndex: context.itemIndex,
		},
		limit,
	);
}

/** The attendance records of one report of the meeting, all pages (or up to `limit`). */
export async function listMeetingAttendanceRecords(
	meetingId: string,
	reportId: string,
	context: OperationContext,
	limit?: number,
): Promise<IDataObject[]> {
	return await listAllPages(
		context.graph,
		{
			path:
				attendanceReportsPath(context.organizerRoot, meetingId) +
				graphPath`/${reportId}/attendanceRecords`,
			apiVersion: ATTENDANCE_API_VERSION,
			itemIndex: context.itemIndex,
		},
		limit,
	);
}

// Hints for failures.

const DEPRECATION_NOTE =
	'Note: Microsoft has deprecated the external meeting registration API (Graph beta) and points to Teams webinars (virtual events) instead. This node registers webinar attendees with Resource "Webinar Registration"; the README section "Migrating to webinar registration" shows how a workflow moves over.';

const MEETING_HINTS = {
	delegatedForbidden:
		"The signed-in account may not do this. Check that the app registration has the delegated permission OnlineMeetings.ReadWrite, that it was consented to (by the user or an admin), that the account is the meeting's organizer, and reconnect the credential after changing permissions.",
	appOnlyForbidden:
		'App-only calls to online meetings need the application permission OnlineMeetings.ReadWrite.All with admin consent, and a Teams application access policy granted to the organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply). Later Microsoft documentation lists application permission as not supported for the external registration API; use a delegated credential if the policy does not help.',
	meetingOnlyNotFound:
		"The meeting was not found for this organizer. Check the meeting ID or join link, and that the credential signs in as (or, app-only, names) the meeting's organizer.",
	registrationExists:
		'The meeting already has an external registration (a meeting has at most one). Set Options → "If Already Enabled" to "Keep Existing Registration" or "Replace", or turn registration off first with Operation "Disable".',
	meetingNotFound:
		"The meeting was not found for this organizer, or external registration is not enabled on it. Check the meeting ID or join link, that the credential signs in as the meeting's organizer, and that registration is enabled on the meeting.",
	registrantMode:
		'The registrant does not match the meeting\'s registration: meetings that allow "organization" need the registrant\'s Tenant ID and User ID, meetings that allow "everyone" must not get them. Set "Registration Mode" to "Auto-Detect" to follow the meeting.',
	delegatedAttendanceForbidden:
		"The signed-in account may not read this meeting's attendance. Attendance reports and records need the delegated permission OnlineMeetingArtifact.Read.All (the credential's \"Attendance Permission\") with consent, and the account must be the meeting's organizer. Reconnect the credential after changing permissions.",
	appOnlyAttendanceForbidden:
		'App-only, attendance reports and records need the application permission OnlineMeetingArtifact.Read.All with admin consent, and a Teams application access policy granted to the organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply).',
	attendanceNotFound:
		'The meeting or its attendance report was not found for this organizer. Check the meeting ID or join link, the Report ID (Operation "Get Attendance Reports" lists them), and that the credential signs in as (or, app-only, names) the meeting\'s organizer; a report appears a few minutes after the meeting ends.',
	throttled: 'Microsoft Graph is throttling requests; wait and run again.',
	serverError:
		"Microsoft Graph failed to process the request; it may succeed if run again. Check the meeting's registrants before re-running, so nobody is enrolled twice.",
};

const REGISTRATION_PATH = /\/onlineMeetings\/[^/]+\/registration(\/|$)/;
const ATTENDANCE_PATH = /\/onlineMeetings\/[^/]+\/attendanceReports(\/|$)/;

/**
 * The hint for a failed meeting request (a 401 is worded in hints.ts, alike for every
 * resource); undefined when there is none.
 */
export function meetingHint(
	status: number,
	graphMessage: string,
	path: string,
	appOnly: boolean,
): string | undefined {
	// App-only, or Graph names the policy: the application access policy is what is missing.
	const policyMissing = appOnly || /application access policy/i.test(graphMessage);
	if (status === 403 && ATTENDANCE_PATH.test(path)) {
		return policyMissing
			? MEETING_HINTS.appOnlyAttendanceForbidden
			: MEETING_HINTS.delegatedAttendanceForbidden;
	}
	if (status === 404 && ATTENDANCE_PATH.test(path)) return MEETING_HINTS.attendanceNotFound;
	if (status === 403) {
		return policyMissing ? MEETING_HINTS.appOnlyForbidden : MEETING_HINTS.delegatedForbidden;
	}
	if (status === 404 && path.includes('/onlineMeetings/')) {
		return REGISTRATION_PATH.test(path)
			? MEETING_HINTS.meetingNotFound
			: MEETING_HINTS.meetingOnlyNotFound;
	}
	if (status === 409 && /\/registration$/.test(path)) return MEETING_HINTS.registrationExists;
	if (status === 400 && /\/registrants$/.test(path)) return MEETING_HINTS.registrantMode;
	if (status === 429) return MEETING_HINTS.throttled;
	if (status >= 500) return MEETING_HINTS.serverError;
	return undefined;
}

/** Every failure on the external registration API carries Microsoft's deprecation of it. */
export function registrationApiNote(path: string): string | undefined {
	return REGISTRATION_PATH.test(path) ? DEPRECATION_NOTE : undefined;
}
