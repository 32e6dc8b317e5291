import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { returnAllFields } from '../../descriptions/returnAll.description';
import { readLimit, readLocator } from '../../helpers/parameters';
import { listRegistrants, meetingReferenceOf, resolveMeetingId } from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetAllRegistrantsParameters {
	meeting: MeetingReference;
	/** Undefined: return all. */
	limit?: number;
}

const displayOptions = { show: { resource: ['registrant'], operation: ['getAll'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description:
			'The Teams meeting whose registrants to list; external registration must be enabled on it',
	},
	...returnAllFields,
	{
		displayName:
			'Microsoft Graph lists registrants without their personal join links: "joinWebUrl" is always null here. A join link is only returned when a person is enrolled.',
		name: 'joinWebUrlNotice',
		type: 'notice',
		default: '',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetAllRegistrantsParameters {
	return {
		meeting: readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf),
		limit: readLimit(ctx, itemIndex),
	};
}

/** One object per registrant; Graph's listing has `joinWebUrl: null`, kept so the field is visibly empty. */
async function execute(
	parameters: GetAllRegistrantsParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const registrants = await listRegistrants(meetingId, context, parameters.limit);
	return registrants.map((registrant) => ({
		id: registrant.id,
		joinWebUrl: registrant.joinWebUrl ?? null,
		userId: registrant.userId ?? null,
		tenantId: registrant.tenantId ?? null,
		meetingId,
	}));
}

export const getAll = defineOperation<GetAllRegistrantsParameters>({
	description,
	readParameters,
	execute,
});
