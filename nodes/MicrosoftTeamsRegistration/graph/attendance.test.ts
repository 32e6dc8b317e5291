/**
 * Attendance as the node outputs it, and the no-show join of registrations with records.
 */
import { attendanceRecordOutput, noShowOutput, noShowsOf } from './attendance';

const registration = (id: string, email: string, status = 'registered') => ({
	id,
	email,
	firstName: `First ${id}`,
	lastName: `Last ${id}`,
	status,
});

describe('noShowsOf', () => {
	test('a registration with a record of its registration id attended, whatever email the record has', () => {
		const registrations = [registration('r1', 'ann@example.com')];
		expect(noShowsOf(registrations, [{ registrationId: 'r1', emailAddress: null }])).toEqual([]);
	});

	test('without a registration id on the record, the email matches, regardless of case', () => {
		const registrations = [
			registration('r1', 'Ann@Example.com'),
			registration('r2', 'bob@example.com'),
		];
		expect(
			noShowsOf(registrations, [{ registrationId: null, emailAddress: 'ann@example.COM' }]),
		).toEqual([registrations[1]]);
	});

	test('only registered people can be no-shows: canceled, waitlisted, pending and rejected ones are left out', () => {
		const registrations = [
			registration('r1', 'a@example.com', 'canceled'),
			registration('r2', 'b@example.com', 'waitlisted'),
			registration('r3', 'c@example.com', 'pendingApproval'),
			registration('r4', 'd@example.com', 'rejectedByOrganizer'),
			registration('r5', 'e@example.com'),
		];
		expect(noShowsOf(registrations, [])).toEqual([registrations[4]]);
	});

	test('keeps the listing order; no records: everyone registered', () => {
		const registrations = [
			registration('r2', 'b@example.com'),
			registration('r1', 'a@example.com'),
		];
		expect(noShowsOf(registrations, []).map((r) => r.id)).toEqual(['r2', 'r1']);
	});
});

test('a record: where it comes from, attended, email and display name, then Graph fields without OData ones', () => {
	const record = {
		'@odata.type': '#microsoft.graph.attendanceRecord',
		id: 'u1',
		emailAddress: 'ann@example.com',
		role: 'Attendee',
		totalAttendanceInSeconds: 600,
		identity: { id: 'u1', displayName: 'Ann Example' },
		attendanceIntervals: [
			{
				joinDateTime: '2031-06-01T15:00:00Z',
				leaveDateTime: '2031-06-01T15:10:00Z',
				durationInSeconds: 600,
			},
		],
		registrationId: 'r1',
	};
	expect(attendanceRecordOutput(record, { eventType: 'webinar', eventId: 'w1' })).toEqual({
		eventType: 'webinar',
		eventId: 'w1',
		attended: true,
		email: 'ann@example.com',
		displayName: 'Ann Example',
		id: 'u1',
		emailAddress: 'ann@example.com',
		role: 'Attendee',
		totalAttendanceInSeconds: 600,
		identity: { id: 'u1', displayName: 'Ann Example' },
		attendanceIntervals: record.attendanceIntervals,
		registrationId: 'r1',
	});
	expect(attendanceRecordOutput({ id: 'x' }, {})).toMatchObject({ email: null, displayName: null });
});

test('a no-show: shaped like a record, attended false, no time', () => {
	expect(
		noShowOutput(
			{
				id: 'r1',
				email: 'ann@example.com',
				firstName: 'Ann',
				lastName: 'Example',
				status: 'registered',
				externalRegistrationInformation: { registrationId: 'crm-1', referrer: null },
			},
			{ eventType: 'townhall', eventId: 't1', sessionId: null, reportId: null },
		),
	).toEqual({
		eventType: 'townhall',
		eventId: 't1',
		sessionId: null,
		reportId: null,
		attended: false,
		email: 'ann@example.com',
		displayName: 'Ann Example',
		registrationId: 'r1',
		firstName: 'Ann',
		lastName: 'Example',
		status: 'registered',
		externalRegistrationId: 'crm-1',
		totalAttendanceInSeconds: 0,
		attendanceIntervals: [],
	});
});
