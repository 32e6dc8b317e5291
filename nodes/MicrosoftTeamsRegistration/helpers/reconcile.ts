import type { IDataObject, INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { graphPath, isOutcomeUnknown } from '../transport';
import type { OperationContext } from '../actions/node.type';
import { asNodeError } from './errors';
import { listRegistrants, meetingPath } from './meetings';

/** Rounds of "find out what Graph did, then write again" before the item gives up. */
const MAX_RECONCILIATION_ROUNDS = 3;

/**
 * Creates the registrant so that its external id ends up with exactly one registrant and
 * the item gets that registrant's join link.
 *
 * When a create's outcome is unknown (answer lost, or 5xx), Graph may have enrolled the
 * attendee. Its listing shows that, but without the join link, and only a create answers
 * with one. So the registrations found under the external id are removed (their links were
 * never handed to anyone by this run) and the create is sent again.
 */
export async function createRegistrantExactlyOnce(meetingId: string, body: IDataObject, context: OperationContext): Promise<IDataObject> {
	const { graph, itemIndex, node } = context;
	const registrantsPath = `${meetingPath(context.organizerRoot, meetingId)}/registration/registrants`;
	const externalId = String(body.id);
	let removed = 0;
	for (let round = 0; ; round++) {
		try {
			return await graph.request<IDataObject>({ method: 'POST', path: registrantsPath, body, itemIndex });
		} catch (error) {
			if (!isOutcomeUnknown(error)) {
				if (removed > 0) throw withState(node, error, `The attendee is not enrolled: ${removed} registration(s) left by an earlier attempt of this run were removed, and enrolling again failed.`);
				throw asNodeError(node, error);
			}
			if (round >= MAX_RECONCILIATION_ROUNDS) {
				throw withState(node, error, 'The attendee\'s enrollment is unknown: Microsoft Graph did not confirm it after several attempts. Check the meeting\'s registrants for this external ID before running again.');
			}
		}
		const found = (await listRegistrants(meetingId, context)).filter((registrant) => registrant.id === externalId);
		for (let i = 0; i < found.length; i++) {
			await graph.request({ method: 'DELETE', path: registrantsPath + graphPath`/${externalId}`, itemIndex });
			removed++;
		}
	}
}

function withState(node: INode, error: unknown, state: string): NodeApiError | NodeOperationError {
	const failure = asNodeError(node, error);
	failure.description = `${state} ${failure.description ?? ''}`.trim();
	return failure;
}
