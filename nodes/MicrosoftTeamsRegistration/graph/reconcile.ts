import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { backoffMs, clock, isOutcomeUnknown } from '../transport';
import { asNodeError, failingWith, withState } from '../helpers/errors';
import { ListingsAfter } from '../helpers/listingsAfter';
import type { OperationContext } from './context';
import { listingWithoutRemovalsDuring, noteRemoval } from './enrollments';
import { deleteRegistrantRecord, listRegistrants, meetingKey, postRegistrant } from './meetings';

/** The answer to a create carries the registrant and its join link; anything else is not a success. */
function createdRegistrant(answer: unknown): IDataObject | undefined {
	const registrant = answer as IDataObject | undefined;
	return typeof registrant?.id === 'string' &&
		registrant.id !== '' &&
		typeof registrant.joinWebUrl === 'string' &&
		registrant.joinWebUrl !== ''
		? registrant
		: undefined;
}

/** The meeting's registrants from a listing started after `moment`: one listing serves every item that asks meanwhile. */
async function registrantsListedAfter(
	meetingId: string,
	moment: number,
	context: OperationContext,
): Promise<IDataObject[]> {
	const key = meetingKey(context, meetingId);
	let listings = context.caches.registrantListingsAfter.get(key);
	if (listings === undefined) {
		listings = new ListingsAfter(
			async () =>
				await listingWithoutRemovalsDuring(
					context,
					meetingId,
					async () => await listRegistrants(meetingId, context),
				),
		);
		context.caches.registrantListingsAfter.set(key, listings);
	}
	return await listings.startedAfter(moment);
}

/**
 * Creates the registrant so that the item gets the join link of a registration that exists,
 * and the external id never gains a registration nobody holds the link of.
 *
 * When a create's outcome is unknown (answer lost, 5xx, an answer without a registrant), the
 * node waits with backoff, then reads the meeting's registrants (one listing serves every
 * item waiting on the same meeting) and compares the external id's count with the count
 * before the create, `registeredBefore`, which the caller knows while it is the only one in
 * this process enrolling the id:
 * - the same count: Graph made nothing; the create is sent again;
 * - one more, where there was none: Graph made it on this attempt and its link reached no
 *   one, so that registration is removed and the create sent again, for a link to hand out;
 * - anything else, or no known count: the node removes nothing and says what it found.
 */
export async function createRegistrantExactlyOnce(
	meetingId: string,
	body: IDataObject,
	context: OperationContext,
	registeredBefore: number | undefined,
): Promise<IDataObject> {
	const { graph, itemIndex, node } = context;
	const externalId = String(body.id);
	let removed = 0;
	for (let round = 0; ; round++) {
		let unknownOutcome: unknown;
		try {
			const answer = await postRegistrant(meetingId, body, context);
			const registrant = createdRegistrant(answer);
			if (registrant !== undefined) return registrant;
			unknownOutcome = new NodeOperationError(
				node,
				'Microsoft Graph answered the enrollment without a registrant and join link',
				{
					itemIndex,
					description: 'The answer was empty or not a registrant (a proxy in front of Graph?).',
				},
			);
		} catch (error) {
			if (!isOutcomeUnknown(error)) {
				if (removed > 0)
					throw withState(
						node,
						error,
						`The attendee is not enrolled: the registration made by an earlier attempt of this item (its answer was lost) was removed, and enrolling again failed.`,
					);
				throw asNodeError(node, error);
			}
			unknownOutcome = error;
		}
		if (round >= graph.maxRetries) {
			throw withState(
				node,
				unknownOutcome,
				"The attendee's enrollment is unknown: Microsoft Graph did not confirm it after several attempts. Check the meeting's registrants for this external ID before running again.",
			);
		}
		const failedAt = clock().now();
		await clock().sleep(backoffMs(round));
		const listed = await failingWith(
			node,
			"The attendee's enrollment is unknown: the answer to it was lost, and listing the meeting's registrants to find out failed. Check the meeting's registrants for this external ID before running again.",
			async () => await registrantsListedAfter(meetingId, failedAt, context),
		);
		const found = listed.filter((registrant) => registrant.id === externalId).length;
		if (found === (registeredBefore ?? 0)) continue;
		if (registeredBefore === 0 && found === 1) {
			noteRemoval(context, meetingId);
			await deleteRegistrantRecord(meetingId, externalId, context);
			noteRemoval(context, meetingId);
			removed++;
			continue;
		}
		throw withState(
			node,
			unknownOutcome,
			registeredBefore === undefined
				? `Microsoft Graph lists ${found} registration(s) for "${externalId}", but the answer with the new join link was lost, and the node cannot tell a registration it just made from an earlier one, so it removed nothing. To issue this person a fresh link, run the item again with Options → "If Already Enrolled" → "Replace (Fresh Link)".`
				: `Microsoft Graph lists ${found} registration(s) for "${externalId}" where there were ${registeredBefore} before this item, and the answer with the new join link was lost; the node removed nothing. To issue this person a fresh link, run the item again with Options → "If Already Enrolled" → "Replace (Fresh Link)".`,
		);
	}
}
