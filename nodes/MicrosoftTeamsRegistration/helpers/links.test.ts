/**
 * Join links and registration pages: the node's checks and the editor's patterns agree.
 */
import {
	JOIN_LINK_EXAMPLE,
	JOIN_LINK_PATTERN,
	REGISTRATION_PAGE_EXAMPLE,
	REGISTRATION_PAGE_PATTERN,
	isTeamsJoinLink,
	webinarIdFromRegistrationPage,
} from './links';

const JOIN_LINKS = [
	JOIN_LINK_EXAMPLE,
	'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzU%40thread.v2/0?context=%7b%7d',
	'https://teams.microsoft.com/meet/2938475?p=abc',
	'https://TEAMS.microsoft.com/l/meetup-join/19%3ameeting_NzU%40thread.v2/0',
	'https://teams.microsoft.us/l/meetup-join/x',
	'https://gov.teams.microsoft.us/l/meetup-join/x',
	'https://dod.teams.microsoft.us/meet/1',
	'https://teams.microsoftonline.cn/l/meetup-join/x',
];

const NOT_JOIN_LINKS = [
	'http://teams.microsoft.com/l/meetup-join/x',
	'https://teams.microsoft.com.evil.example/l/meetup-join/x',
	'https://evil.teams.microsoft.us/l/meetup-join/x',
	'https://teams.microsoft.com/l/chat/x',
	'https://teams.live.com/meet/1',
	'teams.microsoft.com/l/meetup-join/x',
	'not a link',
];

test('join links of every cloud Teams runs in', () => {
	for (const link of JOIN_LINKS) expect([link, isTeamsJoinLink(link)]).toEqual([link, true]);
	for (const text of NOT_JOIN_LINKS) expect([text, isTeamsJoinLink(text)]).toEqual([text, false]);
});

test("the editor's join-link pattern accepts the links the node accepts", () => {
	const pattern = new RegExp(JOIN_LINK_PATTERN);
	for (const link of JOIN_LINKS.filter((candidate) => !candidate.includes('TEAMS'))) {
		expect([link, pattern.test(link)]).toEqual([link, true]);
	}
	for (const text of [
		'https://teams.microsoft.com/l/chat/x',
		'https://teams.live.com/meet/1',
		'not a link',
	]) {
		expect([text, pattern.test(text)]).toEqual([text, false]);
	}
});

test('the webinar id is the last segment of its registration page, decoded', () => {
	expect(webinarIdFromRegistrationPage(REGISTRATION_PAGE_EXAMPLE)).toBe(
		'88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33',
	);
	expect(
		webinarIdFromRegistrationPage('https://events.teams.microsoft.com/event/a%40b/?utm=x'),
	).toBe('a@b');
	expect(
		webinarIdFromRegistrationPage('https://events.teams.microsoft.com/event/a/b'),
	).toBeUndefined();
	expect(
		webinarIdFromRegistrationPage('http://events.teams.microsoft.com/event/a'),
	).toBeUndefined();
	expect(webinarIdFromRegistrationPage('https://teams.microsoft.com/event/a')).toBeUndefined();
	expect(
		webinarIdFromRegistrationPage('https://events.teams.microsoft.com/event/%E0%A4%A'),
	).toBeUndefined();
	expect(webinarIdFromRegistrationPage('a')).toBeUndefined();
});

test("the editor's registration-page pattern", () => {
	const pattern = new RegExp(REGISTRATION_PAGE_PATTERN);
	expect(pattern.test(REGISTRATION_PAGE_EXAMPLE)).toBe(true);
	expect(pattern.test('https://events.teams.microsoft.com/event/a?x=1')).toBe(true);
	expect(pattern.test('https://events.teams.microsoft.com/other/a')).toBe(false);
});
