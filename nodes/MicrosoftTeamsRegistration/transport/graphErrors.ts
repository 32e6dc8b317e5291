import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** What Graph said, in its own words (`{"error":{"code","message","innerError"}}`). */
export interface GraphErrorDetails {
	status: number;
	code: string;
	message: string;
	requestId?: string;
	date?: string;
}

const DEPRECATION_NOTE =
	'Note: Microsoft has deprecated the external meeting registration API (Graph beta) and points to Teams webinars (virtual events) instead. This node registers webinar attendees with Resource "Webinar Registration"; the README section "Migrating to webinar registration" shows how a workflow moves over.';

const HINTS = {
	unauthorized:
		'Microsoft Graph rejected the access token. Reconnect the credential (sign in again), and check that its "Microsoft Cloud" matches the cloud your tenant is in.',
	delegatedForbidden:
		'The signed-in account may not do this. Check that the app registration has the delegated permission OnlineMeetings.ReadWrite, that it was consented to (by the user or an admin), that the account is the meeting\'s organizer, and reconnect the credential after changing permissions.',
	appOnlyForbidden:
		'App-only calls to online meetings need the application permission OnlineMeetings.ReadWrite.All with admin consent, and a Teams application access policy granted to the organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply). Later Microsoft documentation lists application permission as not supported for the external registration API; use a delegated credential if the policy does not help.',
	meetingOnlyNotFound:
		'The meeting was not found for this organizer. Check the meeting ID or join link, and that the credential signs in as (or, app-only, names) the meeting\'s organizer.',
	registrationExists:
		'The meeting already has an external registration (a meeting has at most one). Set Options → "If Already Enabled" to "Keep Existing Registration" or "Replace", or turn registration off first with Operation "Disable".',
	meetingNotFound:
		'The meeting was not found for this organizer, or external registration is not enabled on it. Check the meeting ID or join link, that the credential signs in as the meeting\'s organizer, and that registration is enabled on the meeting.',
	registrantMode:
		'The registrant does not match the meeting\'s registration: meetings that allow "organization" need the registrant\'s Tenant ID and User ID, meetings that allow "everyone" must not get them. Set "Registration Mode" to "Auto-Detect" to follow the meeting.',
	throttled:
		'Microsoft Graph is throttling requests; wait and run again.',
	serverError:
		'Microsoft Graph failed to process the request; it may succeed if run again. Check the meeting\'s registrants before re-running, so nobody is enrolled twice.',
};

const REGISTRATION_PATH = /\/onlineMeetings\/[^/]+\/registration(\/|$)/;

/** Hints for Teams webinars (virtual events, Graph v1.0). */
const WEBINAR_HINTS = {
	delegatedForbidden:
		'The signed-in account may not do this. Webinar registration needs the delegated permission VirtualEvent.ReadWrite (VirtualEvent.Read to read) with consent, granted to the app registration and requested by the credential; listing or cancelling other people\'s registrations also needs the account to be the webinar\'s organizer or a co-organizer. Reconnect the credential after changing permissions.',
	appOnlyForbidden:
		'App-only webinar registration needs the application permissions VirtualEventRegistration-Anon.ReadWrite.All (register, cancel) and VirtualEvent.Read.All (webinars, questions, registrations) with admin consent, and a Teams application access policy granted to the webinar\'s organizer: New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply).',
	webinarNotFound:
		'The webinar was not found. Check the webinar ID or registration page URL (https://events.teams.microsoft.com/event/...), and, app-only, that the Organizer organizes it.',
	registrationNotFound:
		'The registration (or its webinar) was not found. Check the registration ID, or find the person with Operation "Get" By Email.',
	registrationRefused:
		'Microsoft Graph refused the registration. Check the answers to the webinar\'s registration questions (required ones, allowed choices), the email address, the time zone and language, and that the webinar is published.',
	conflict:
		'Microsoft Graph reports a conflict: the person most likely holds a registration for this webinar already (check with Operation "Get", By Email), or the webinar is full and has no waitlist.',
	throttled:
		'Microsoft Graph allows 15 webinar registrations and cancellations per 30 seconds per app, across all tenants; other workflows using the same app share that. The node sends them at 0.5 per second unless "Request Options → Max Requests per Second" is set; raise "Time Budget" for long imports so throttled requests keep being retried.',
	serverError:
		'Microsoft Graph failed to process the request; it may succeed if run again. Check the webinar\'s registrations (Operation "Get Many") before re-running, so nobody is registered twice.',
};

const WEBINAR_PATH = /^\/solutions\/virtualEvents\/webinars(\/|$)/;
const ONE_REGISTRATION_PATH = /\/registrations\/[^/]+(\/cancel)?$/;

function webinarHintFor(status: number, path: string, appOnly: boolean): string | undefined {
	if (status === 401) return HINTS.unauthorized;
	if (status === 403) return appOnly ? WEBINAR_HINTS.appOnlyForbidden : WEBINAR_HINTS.delegatedForbidden;
	if (status === 404) return ONE_REGISTRATION_PATH.test(path) ? WEBINAR_HINTS.registrationNotFound : WEBINAR_HINTS.webinarNotFound;
	if (status === 400 && /\/registrations$/.test(path)) return WEBINAR_HINTS.registrationRefused;
	if (status === 409) return WEBINAR_HINTS.conflict;
	if (status === 429) return WEBINAR_HINTS.throttled;
	if (status >= 500) return WEBINAR_HINTS.serverError;
	return undefined;
}

/** A plain-language hint for the well-known causes of a Graph failure on `path`. */
export function hintFor(status: number, graphMessage: string, path: string, appOnly = false): string {
	if (WEBINAR_PATH.test(path)) return webinarHintFor(status, path, appOnly) ?? '';
	const onRegistration = REGISTRATION_PATH.test(path);
	let hint: string | undefined;
	if (status === 401) hint = HINTS.unauthorized;
	else if (status === 403) hint = appOnly || /application access policy/i.test(graphMessage) ? HINTS.appOnlyForbidden : HINTS.delegatedForbidden;
	else if (status === 404 && path.includes('/onlineMeetings/')) hint = onRegistration ? HINTS.meetingNotFound : HINTS.meetingOnlyNotFound;
	else if (status === 409 && /\/registration$/.test(path)) hint = HINTS.registrationExists;
	else if (status === 400 && /\/registrants$/.test(path)) hint = HINTS.registrantMode;
	else if (status === 429) hint = HINTS.throttled;
	else if (status >= 500) hint = HINTS.serverError;
	return [hint, onRegistration ? DEPRECATION_NOTE : undefined].filter(Boolean).join(' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerValue(headers: unknown, name: string): string | undefined {
	if (!isRecord(headers)) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

/** Reads Graph's error body; anything else (an HTML page from a proxy, empty) still gives a message. */
export function readGraphError(status: number, body: unknown, headers: unknown): GraphErrorDetails {
	const parsed = typeof body === 'string' ? safeJsonParse(body) : body;
	const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
	const innerError = error && isRecord(error.innerError) ? error.innerError : undefined;
	return {
		status,
		code: typeof error?.code === 'string' ? error.code : `HTTP${status}`,
		message:
			typeof error?.message === 'string' && error.message !== ''
				? error.message
				: `Microsoft Graph answered HTTP ${status}`,
		requestId:
			(typeof innerError?.['request-id'] === 'string' ? innerError['request-id'] : undefined) ??
			headerValue(headers, 'request-id'),
		date: typeof innerError?.date === 'string' ? innerError.date : undefined,
	};
}

function safeJsonParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * The NodeApiError users see. Built from Graph's answer alone, never from the HTTP
 * client's error object, which holds the request's Authorization header.
 */
export function graphApiError(
	node: INode,
	details: GraphErrorDetails,
	path: string,
	itemIndex: number | undefined,
	appOnly = false,
): NodeApiError {
	const hint = hintFor(details.status, details.message, path, appOnly);
	const requestIdNote = details.requestId ? ` Graph request ID: ${details.requestId}.` : '';
	const error = new NodeApiError(node, { graphError: { ...details } } as unknown as JsonObject, {
		message: `${details.message} [${details.code}]`,
		description: `${hint}${requestIdNote}`.trim(),
		httpCode: String(details.status),
		itemIndex,
	});
	error.context.graphError = { ...details };
	return error;
}
