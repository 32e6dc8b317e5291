import { graphPath } from '../transport';
import type { GraphClient } from '../transport';
import { isGuid } from '../helpers/parameters';
import type { LookupCache } from './executionCache';

/** Whose meetings a request addresses: the signed-in organizer, or (app-only) a named one. */
export type OrganizerReference =
	| { kind: 'signedIn' }
	| { kind: 'objectId'; id: string }
	| { kind: 'userPrincipalName'; upn: string };

/** The organizer the `organizer` field names (app-only: object id or user principal name), or what is wrong with it. */
export function organizerReferenceOf(organizer: string): OrganizerReference | { problem: string } {
	if (organizer === '') return { problem: 'is empty' };
	if (isGuid(organizer)) return { kind: 'objectId', id: organizer };
	if (/^[^@\s/]+@[^@\s/]+$/.test(organizer)) return { kind: 'userPrincipalName', upn: organizer };
	return {
		problem: `must be the organizer's object ID (a GUID) or user principal name (name@domain), not "${organizer}"`,
	};
}

/** The organizer's object id, undefined for the signed-in one; a user principal name is looked up once per cache. */
export async function organizerId(
	organizer: OrganizerReference,
	graph: GraphClient,
	objectIdByUpn: LookupCache<string>,
	itemIndex: number,
): Promise<string | undefined> {
	if (organizer.kind === 'signedIn') return undefined;
	if (organizer.kind === 'objectId') return organizer.id;
	return await objectIdByUpn.get(organizer.upn.toLowerCase(), async () => {
		const user = await graph.request<{ id?: string }>({
			method: 'GET',
			path: graphPath`/users/${organizer.upn}`,
			qs: { $select: 'id' },
			itemIndex,
		});
		if (typeof user.id !== 'string')
			throw new Error(`Microsoft Graph returned no id for ${organizer.upn}`);
		return user.id;
	});
}

/** `/me` or `/users/{objectId}`: the root of the organizer's meetings. */
export async function organizerRoot(
	organizer: OrganizerReference,
	graph: GraphClient,
	objectIdByUpn: LookupCache<string>,
	itemIndex: number,
): Promise<string> {
	const id = await organizerId(organizer, graph, objectIdByUpn, itemIndex);
	return id === undefined ? '/me' : graphPath`/users/${id}`;
}
