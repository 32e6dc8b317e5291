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
