import type { GraphErrorDetails } from '../transport';
import { meetingHint, registrationApiNote } from './meetings';
import { isVirtualEventPath } from './virtualEvents';
import { webinarHint } from './webinars';

const UNAUTHORIZED =
	'Microsoft Graph rejected the access token. Reconnect the credential (sign in again), and check that its "Microsoft Cloud" matches the cloud your tenant is in.';

/** A plain-language hint for the well-known causes of a Graph failure on `path`; empty if none. */
export function hintFor(
	status: number,
	graphMessage: string,
	path: string,
	appOnly = false,
): string {
	if (isVirtualEventPath(path))
		return (status === 401 ? UNAUTHORIZED : webinarHint(status, path, appOnly)) ?? '';
	const hint = status === 401 ? UNAUTHORIZED : meetingHint(status, graphMessage, path, appOnly);
	return [hint, registrationApiNote(path)].filter(Boolean).join(' ');
}

/** `hintFor` as the transport asks for it. */
export function hintForFailure(details: GraphErrorDetails, path: string, appOnly: boolean): string {
	return hintFor(details.status, details.message, path, appOnly);
}
