import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { readMeeting, readMeetingReference, withoutODataFields } from '../../helpers/meetings';
import type { MeetingReference } from '../../helpers/meetings';
import type { Operation, OperationContext } from '../node.type';

export interface GetMeetingParameters {
	meeting: MeetingReference;
}

const description: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting to read, organized by the signed-in account (app-only: by the Organizer)',
		displayOptions: { show: { resource: ['meeting'], operation: ['get'] } },
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetMeetingParameters {
	return { meeting: readMeetingReference(ctx, itemIndex) };
}

async function execute(parameters: GetMeetingParameters, context: OperationContext): Promise<IDataObject> {
	return withoutODataFields(await readMeeting(parameters.meeting, context));
}

export const get: Operation<GetMeetingParameters> = { description, readParameters, execute };
