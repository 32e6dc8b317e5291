import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { withoutODataFields } from '../../helpers/data';
import { readLocator } from '../../helpers/parameters';
import { meetingReferenceOf, readMeeting } from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetMeetingParameters {
	meeting: MeetingReference;
}

const displayOptions = { show: { resource: ['meeting'], operation: ['get'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description:
			'The Teams meeting to read, organized by the signed-in account (app-only: by the Organizer)',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetMeetingParameters {
	return { meeting: readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf) };
}

async function execute(
	parameters: GetMeetingParameters,
	context: OperationContext,
): Promise<IDataObject> {
	return withoutODataFields(await readMeeting(parameters.meeting, context));
}

export const get = defineOperation<GetMeetingParameters>({ description, readParameters, execute });
