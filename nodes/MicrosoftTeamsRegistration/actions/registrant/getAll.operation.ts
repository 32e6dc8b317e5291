import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { listRegistrants, readMeetingReference, resolveMeetingId } from '../../helpers/meetings';
import type { MeetingReference } from '../../helpers/meetings';
import { readLimit } from '../../helpers/parameters';
import { returnAllFields } from '../../descriptions/returnAll.description';
import type { Operation, OperationContext } from '../node.type';

export interface GetAllRegistrantsParameters {
	meeting: MeetingReference;
	/** Undefined: return all. */
	limit?: number;
}

const show = { resource: ['registrant'], operation: ['getAll'] };

const description: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting whose registrants to list; external registration must be enabled on it',
		displayOptions: { show },
	},
	...returnAllFields(show),
	{
		displayName:
			'Microsoft Graph lists registrants without their personal join links: "joinWebUrl" is always null here. A join link is only returned when a person is enrolled.',
		name: 'joinWebUrlNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetAllRegistrantsParameters {
	return { meeting: readMeetingReference(ctx, itemIndex), limit: readLimit(ctx, itemIndex) };
}

/** One object per registrant; Graph's listing has `joinWebUrl: null`, kept so the field is visibly empty. */
async function execute(parameters: GetAllRegistrantsParameters, context: OperationContext): Promise<IDataObject[]> {
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

export const getAll: Operation<GetAllRegistrantsParameters> = { description, readParameters, execute };
