/**
 * The links users paste instead of ids: Teams meeting join links and webinar registration
 * pages. Each host list is the one source of both the editor's validation pattern and the
 * node's own check.
 */

/** Hosts that serve Teams meeting join links, in every cloud Teams runs in. */
const TEAMS_JOIN_HOSTS = [
	'teams.microsoft.com',
	'teams.microsoft.us',
	'gov.teams.microsoft.us',
	'dod.teams.microsoft.us',
	'teams.microsoftonline.cn',
];
const JOIN_PATHS = ['/l/meetup-join/', '/meet/'];

export const JOIN_LINK_EXAMPLE =
	'https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...';

/** Where Teams publishes a webinar's registration page; the last path segment is the webinar's id. */
const REGISTRATION_PAGE_HOST = 'events.teams.microsoft.com';
export const REGISTRATION_PAGE_EXAMPLE =
	'https://events.teams.microsoft.com/event/88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The editor's validation pattern for a join link (a resource locator's regex). */
export const JOIN_LINK_PATTERN = `https://(${TEAMS_JOIN_HOSTS.map(escapeRegex).join('|')})(${JOIN_PATHS.map(escapeRegex).join('|')}).+`;

/** The editor's validation pattern for a webinar registration page URL. */
export const REGISTRATION_PAGE_PATTERN = `https://${escapeRegex(REGISTRATION_PAGE_HOST)}/event/[^/?#]+/?([?#].*)?`;

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

export function isTeamsJoinLink(text: string): boolean {
	const url = parseUrl(text);
	return (
		url !== undefined &&
		url.protocol === 'https:' &&
		TEAMS_JOIN_HOSTS.includes(url.hostname.toLowerCase()) &&
		JOIN_PATHS.some((path) => url.pathname.startsWith(path))
	);
}

/** The webinar id in a registration page URL, or undefined if the text is not one. */
export function webinarIdFromRegistrationPage(text: string): string | undefined {
	const url = parseUrl(text);
	const match = url && /^\/event\/([^/]+)\/?$/.exec(url.pathname);
	if (
		!url ||
		url.protocol !== 'https:' ||
		url.hostname.toLowerCase() !== REGISTRATION_PAGE_HOST ||
		!match
	) {
		return undefined;
	}
	try {
		return decodeURIComponent(match[1]);
	} catch {
		return undefined;
	}
}

/** Text that is a link rather than an id. */
export function looksLikeLink(text: string): boolean {
	return /^https?:\/\//i.test(text);
}
