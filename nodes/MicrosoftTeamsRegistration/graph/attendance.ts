import type { IDataObject } from 'n8n-workflow';

import { isRecord, withoutODataFields } from '../helpers/data';
import type { OperationContext } from './context';
import { listMeetingAttendanceRecords, listMeetingAttendanceReports } from './meetings';
import {
	listAttendanceRecords,
	listAttendanceReports,
	listEventRegistrations,
	listSessions,
} from './virtualEvents';
import type { VirtualEvent } from './virtualEvents';

/**
 * Who attended: the attendance records of a webinar's or town hall's sessions and of an
 * online meeting, as the node outputs them (one item per record), and the registered people
 * who did not attend (no-shows), found by joining the registrations with the records.
 */

/** Where a record comes from, put in front of its fields: event and session, or meeting; and the report. */
export type RecordSource = IDataObject;

function textOrNull(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * An attendance record as the node outputs it: Graph's fields (emailAddress, identity, role,
 * totalAttendanceInSeconds, attendanceIntervals, registrationId...) without OData control
 * fields, where it comes from, plus `email` and `displayName` read from them (as a
 * registration names a person) and `attended: true`.
 */
export function attendanceRecordOutput(record: IDataObject, source: RecordSource): IDataObject {
	const identity = isRecord(record.identity) ? record.identity : {};
	return {
		...source,
		attended: true,
		email: textOrNull(record.emailAddress),
		displayName: textOrNull(identity.displayName),
		...withoutODataFields(record),
	};
}

/** Only people who hold a place are expected to attend: not canceled, waitlisted or awaiting approval. */
const EXPECTED_STATUSES = new Set(['registered']);

/**
 * The registrations with no attendance record: matched by registration id (Graph's
 * `registrationId` on a record), else by email address (case-insensitive). Canceled,
 * waitlisted, pending or rejected registrations are never no-shows. In listing order.
 */
export function noShowsOf(registrations: IDataObject[], records: IDataObject[]): IDataObject[] {
	const attendedIds = new Set<string>();
	const attendedEmails = new Set<string>();
	for (const record of records) {
		const registrationId = textOrNull(record.registrationId);
		if (registrationId !== null) attendedIds.add(registrationId);
		const email = textOrNull(record.emailAddress) ?? textOrNull(record.email);
		if (email !== null) attendedEmails.add(email.toLowerCase());
	}
	return registrations.filter((registration) => {
		if (!EXPECTED_STATUSES.has(String(registration.status))) return false;
		if (attendedIds.has(String(registration.id))) return false;
		const email = textOrNull(registration.email);
		return email === null || !attendedEmails.has(email.toLowerCase());
	});
}

/**
 * A no-show as the node outputs it, shaped like a record (so one expression reads both):
 * `attended: false`, no time, no intervals; the registration's id, email, names, status
 * and external id.
 */
export function noShowOutput(registration: IDataObject, source: RecordSource): IDataObject {
	const firstName = textOrNull(registration.firstName);
	const lastName = textOrNull(registration.lastName);
	const external = isRecord(registration.externalRegistrationInformation)
		? registration.externalRegistrationInformation
		: {};
	return {
		...source,
		attended: false,
		email: textOrNull(registration.email),
		displayName: [firstName, lastName].filter((name) => name !== null).join(' ') || null,
		registrationId: String(registration.id),
		firstName,
		lastName,
		status: registration.status ?? null,
		externalRegistrationId: textOrNull(external.registrationId),
		totalAttendanceInSeconds: 0,
		attendanceIntervals: [],
	};
}

/** The event's fields in attendance items. */
function eventSource(event: VirtualEvent): IDataObject {
	return { eventType: event.kind, eventId: event.id };
}

export interface EventAttendanceQuery {
	event: VirtualEvent;
	/** One session; undefined: every session of the event. */
	sessionId?: string;
	/** Undefined: all. */
	limit?: number;
	/** Also output the registered people without a record (`attended: false`). */
	includeNoShows: boolean;
}

/**
 * The attendance records of one session or of every session (each session's reports, each
 * report's records, all pages), one item per record; with no-shows, then the registrations
 * that have no record among them. With a limit and without no-shows, no further page or
 * report is read once enough are in; no-shows need every record, so the limit applies last.
 */
export async function eventAttendance(
	query: EventAttendanceQuery,
	context: OperationContext,
): Promise<IDataObject[]> {
	const { event, includeNoShows } = query;
	const { graph, itemIndex } = context;
	const readLimit = includeNoShows ? undefined : query.limit;
	const sessionIds =
		query.sessionId !== undefined
			? [query.sessionId]
			: (await listSessions(graph, event.kind, event.id, itemIndex)).map((session) =>
					String(session.id),
				);
	const records: IDataObject[] = [];
	const output: IDataObject[] = [];
	const enough = () => readLimit !== undefined && output.length >= readLimit;
	for (const sessionId of sessionIds) {
		if (enough()) break;
		const reports = await listAttendanceReports(graph, event.kind, event.id, sessionId, itemIndex);
		for (const report of reports) {
			if (enough()) break;
			const reportId = String(report.id);
			const listed = await listAttendanceRecords(
				graph,
				event.kind,
				event.id,
				sessionId,
				reportId,
				itemIndex,
				readLimit === undefined ? undefined : readLimit - output.length,
			);
			records.push(...listed);
			const source = { ...eventSource(event), sessionId, reportId };
			output.push(...listed.map((record) => attendanceRecordOutput(record, source)));
		}
	}
	if (includeNoShows) {
		const registrations = await listEventRegistrations(graph, event.kind, event.id, itemIndex);
		const source = { ...eventSource(event), sessionId: query.sessionId ?? null, reportId: null };
		output.push(
			...noShowsOf(registrations, records).map((registration) =>
				noShowOutput(registration, source),
			),
		);
	}
	return query.limit === undefined ? output : output.slice(0, query.limit);
}

/** The event's sessions as the node outputs them: Graph's fields, and the event. */
export async function eventSessions(
	event: VirtualEvent,
	limit: number | undefined,
	context: OperationContext,
): Promise<IDataObject[]> {
	const sessions = await listSessions(
		context.graph,
		event.kind,
		event.id,
		context.itemIndex,
		limit,
	);
	return sessions.map((session) => ({ ...eventSource(event), ...withoutODataFields(session) }));
}

/** The meeting's attendance reports, one item each, with the meeting's id. */
export async function meetingAttendanceReports(
	meetingId: string,
	limit: number | undefined,
	context: OperationContext,
): Promise<IDataObject[]> {
	const reports = await listMeetingAttendanceReports(meetingId, context, limit);
	return reports.map((report) => ({ meetingId, ...withoutODataFields(report) }));
}

/** The records of one report of the meeting, or of every report (the 50 most recent), one item per record. */
export async function meetingAttendanceRecords(
	meetingId: string,
	reportId: string | undefined,
	limit: number | undefined,
	context: OperationContext,
): Promise<IDataObject[]> {
	const reportIds =
		reportId !== undefined
			? [reportId]
			: (await listMeetingAttendanceReports(meetingId, context)).map((report) => String(report.id));
	const output: IDataObject[] = [];
	for (const id of reportIds) {
		if (limit !== undefined && output.length >= limit) break;
		const records = await listMeetingAttendanceRecords(
			meetingId,
			id,
			context,
			limit === undefined ? undefined : limit - output.length,
		);
		output.push(
			...records.map((record) => attendanceRecordOutput(record, { meetingId, reportId: id })),
		);
	}
	return output;
}
