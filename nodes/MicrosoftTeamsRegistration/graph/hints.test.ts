/**
 * The hints the domain layer adds to Graph's errors, by resource and status.
 */
import { hintFor } from './hints';

const REGISTRANTS = '/me/onlineMeetings/abc/registration/registrants';
const WEBINAR_REGISTRATIONS = '/solutions/virtualEvents/webinars/w1/registrations';

test('external registration: the hint, then the deprecation note', () => {
	const hint = hintFor(404, 'Not found', REGISTRANTS);
	expect(hint).toMatch(
		/^The meeting was not found for this organizer, or external registration is not enabled on it\./,
	);
	expect(hint).toMatch(/Note: Microsoft has deprecated the external meeting registration API/);
	expect(hintFor(409, 'Conflict', '/me/onlineMeetings/abc/registration')).toMatch(
		/"If Already Enabled"/,
	);
	expect(hintFor(400, 'Bad', REGISTRANTS)).toMatch(/"Registration Mode" to "Auto-Detect"/);
});

test('meetings without registration: no deprecation note', () => {
	expect(hintFor(404, 'Not found', '/me/onlineMeetings/abc')).toMatch(
		/^The meeting was not found for this organizer\. Check/,
	);
	expect(hintFor(404, 'Not found', '/me/onlineMeetings/abc')).not.toMatch(/deprecated/);
	expect(hintFor(418, 'Teapot', '/me/onlineMeetings')).toBe('');
});

test('403: app-only, or a message naming the access policy, gets the application access policy hint', () => {
	expect(hintFor(403, 'Forbidden', REGISTRANTS, true)).toMatch(
		/^App-only calls to online meetings need/,
	);
	expect(hintFor(403, 'No application access policy found', REGISTRANTS)).toMatch(
		/^App-only calls/,
	);
	expect(hintFor(403, 'Forbidden', REGISTRANTS)).toMatch(
		/^The signed-in account may not do this\. Check/,
	);
});

test('webinars: their own hints, and none of the meeting deprecation', () => {
	expect(hintFor(404, 'x', `${WEBINAR_REGISTRATIONS}/r1/cancel`)).toMatch(
		/^The registration \(or its webinar\) was not found/,
	);
	expect(hintFor(404, 'x', '/solutions/virtualEvents/webinars/w1')).toMatch(
		/^The webinar was not found/,
	);
	expect(hintFor(400, 'x', WEBINAR_REGISTRATIONS)).toMatch(
		/^Microsoft Graph refused the registration/,
	);
	expect(hintFor(429, 'x', WEBINAR_REGISTRATIONS)).toMatch(
		/15 webinar registrations and cancellations per 30 seconds/,
	);
	expect(hintFor(403, 'x', WEBINAR_REGISTRATIONS, true)).toMatch(
		/VirtualEventRegistration-Anon\.ReadWrite\.All/,
	);
	expect(hintFor(500, 'x', WEBINAR_REGISTRATIONS)).not.toMatch(/deprecated/);
});

test('401 reads the same for every resource', () => {
	const unauthorized = hintFor(401, 'x', '/solutions/virtualEvents/webinars/w1');
	expect(unauthorized).toMatch(/^Microsoft Graph rejected the access token/);
	expect(hintFor(401, 'x', '/me/onlineMeetings/abc')).toBe(unauthorized);
	expect(hintFor(401, 'x', REGISTRANTS)).toMatch(
		new RegExp(`^${unauthorized.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} Note:`),
	);
});

describe('town halls, sessions and attendance', () => {
	const TOWNHALL = '/solutions/virtualEvents/townhalls/t1';
	test('town hall paths: the same hints, saying "town hall"', () => {
		expect(hintFor(404, 'x', TOWNHALL)).toMatch(
			/^The town hall was not found\. Check the town hall ID/,
		);
		expect(hintFor(403, 'x', `${TOWNHALL}/registrations`, true)).toMatch(
			/^App-only town hall registration needs .*access policy granted to the town hall's organizer/,
		);
		expect(hintFor(403, 'x', `${TOWNHALL}/registrations`)).toMatch(
			/Town hall registration needs the delegated permission VirtualEvent\.ReadWrite/,
		);
		expect(hintFor(409, 'x', `${TOWNHALL}/registrations`)).toMatch(/for this town hall already/);
		expect(hintFor(403, 'x', `${TOWNHALL}/registrations`)).not.toMatch(/webinar/);
	});

	test('sessions: VirtualEvent.Read(.All); attendance: OnlineMeetingArtifact.Read.All, and the policy app-only', () => {
		expect(hintFor(403, 'x', `${TOWNHALL}/sessions`, true)).toMatch(
			/^App-only, listing a town hall's sessions needs the application permission VirtualEvent\.Read\.All .*Grant-CsApplicationAccessPolicy/,
		);
		expect(hintFor(403, 'x', `${TOWNHALL}/sessions`)).toMatch(
			/VirtualEvent\.Read or VirtualEvent\.ReadWrite/,
		);
		const records = `${TOWNHALL}/sessions/s1/attendanceReports/r1/attendanceRecords`;
		expect(hintFor(403, 'x', records, true)).toMatch(
			/^App-only, attendance reports and records of a town hall's sessions need the application permission OnlineMeetingArtifact\.Read\.All .*application access policy/,
		);
		expect(hintFor(403, 'x', records)).toMatch(
			/delegated permission OnlineMeetingArtifact\.Read\.All/,
		);
		expect(hintFor(404, 'x', records)).toMatch(
			/^The session or attendance report was not found in this town hall/,
		);
	});

	test('meeting attendance: the artifact permission and the access policy; no deprecation note', () => {
		const reports = '/users/u1/onlineMeetings/m1/attendanceReports';
		expect(hintFor(403, 'No Application Access Policy found for this app.', reports)).toMatch(
			/^App-only, attendance reports and records need the application permission OnlineMeetingArtifact\.Read\.All .*Grant-CsApplicationAccessPolicy/,
		);
		expect(hintFor(403, 'x', `${reports}/r1/attendanceRecords`)).toMatch(
			/delegated permission OnlineMeetingArtifact\.Read\.All/,
		);
		expect(hintFor(404, 'x', `${reports}/r1/attendanceRecords`)).toMatch(
			/^The meeting or its attendance report was not found/,
		);
		expect(hintFor(404, 'x', reports)).not.toMatch(/deprecated/);
	});
});
