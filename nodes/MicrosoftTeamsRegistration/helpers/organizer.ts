import type { IExecuteFunctions } from 'n8n-workflow';

import { graphPath } from '../transport';
import type { GraphClient } from '../transport';
import type { LookupCache } from './executionCache';
import { inputError, isGuid, readText } from './parameters';

/** Whose meetings a request addresses: the signed-in organizer, or (app-only) a named one. */
export type OrganizerReference = { kind: 'signedIn' } | { kind: 'objectId'; id: string } | { kind: 'userPrincipalName'; upn: string };

/** Reads the `organizer` field of one item (app-only only); sends nothing. */
export function readOrganizer(ctx: IExecuteFunctions, itemIndex: number, authentication: string): OrganizerReference {
	if (authentication !== 'appOnly') return { kind: 'signedIn' };
	const organizer = readText(ctx, 'organizer', itemIndex);
	if (organizer === '') throw inputError(ctx.getNode(), itemIndex, 'organizer', 'is empty');
	if (isGuid(organizer)) return { kind: 'objectId', id: organizer };
	if (/^[^@\s/]+@[^@\s/]+$/.test(organizer)) return { kind: 'userPrincipalName', upn: organizer };
	throw inputError(
		ctx.getNode(),
		itemIndex,
		'organizer',
		`must be the organizer's object ID (a GUID) or user principal name (name@domain), not "${organizer}"`,
	);
}

/** `/me` or `/users/{objectId}`; a user principal name is looked up once per execution. */
export async function organizerRoot(
	organizer: OrganizerReference,
	graph: GraphClient,
	objectIdByUpn: LookupCache<string>,
	itemIndex: number,
): Promise<string> {
	if (organizer.kind === 'signedIn') return '/me';
	const id =
		organizer.kind === 'objectId'
			? organizer.id
			: await objectIdByUpn.get(organizer.upn.toLowerCase(), async () => {
					const user = await graph.request<{ id?: string }>({
						method: 'GET',
						path: graphPath`/users/${organizer.upn}`,
						qs: { $select: 'id' },
						itemIndex,
					});
					if (typeof user.id !== 'string') throw new Error(`Microsoft Graph returned no id for ${organizer.upn}`);
					return user.id;
				});
	return graphPath`/users/${id}`;
}
