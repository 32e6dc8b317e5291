/**
 * The example workflows under examples/, loaded the way a test (or a user) would use them:
 * with the meeting placeholder replaced by a real join link.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { WorkflowInput } from '../harness';

export const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');

/** What every example has where the user's meeting goes. */
export const MEETING_LINK_PLACEHOLDER =
	'https://teams.microsoft.com/l/meetup-join/PASTE-YOUR-MEETING-JOIN-LINK-HERE';

/** The credential every example's Teams node refers to: create one with this id (or pick yours in the editor). */
export const TEAMS_CREDENTIAL_REFERENCE = {
	id: 'teamsRegistrationCredential',
	name: 'Microsoft Teams Registration account',
};

export const EXAMPLES = {
	formEnrollEmail: 'form-enroll-email.json',
	reconcileCrmCancellations: 'reconcile-crm-cancellations.json',
} as const;

/** Every string equal to `from` replaced by `to`, anywhere in a JSON value. */
function replaceString(value: unknown, from: string, to: string): unknown {
	if (value === from) return to;
	if (Array.isArray(value)) return value.map((element) => replaceString(element, from, to));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, element]) => [key, replaceString(element, from, to)]),
		);
	}
	return value;
}

/** An example workflow as committed. */
export function readExample(file: string): WorkflowInput {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowInput;
}

/** An example workflow with its meeting placeholder replaced by `joinWebUrl`. */
export function loadExample(file: string, joinWebUrl: string): WorkflowInput {
	const example = readExample(file);
	if (!JSON.stringify(example).includes(MEETING_LINK_PLACEHOLDER))
		throw new Error(`${file} has no meeting placeholder`);
	return replaceString(example, MEETING_LINK_PLACEHOLDER, joinWebUrl) as WorkflowInput;
}
