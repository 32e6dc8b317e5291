import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { meetingPath, readMeetingReference, resolveMeetingId } from '../../helpers/meetings';
import type { MeetingReference } from '../../helpers/meetings';
import type { Operation, OperationContext } from '../node.type';

export interface DisableRegistrationParameters {
	meeting: MeetingReference;
}

const description: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting whose external registration to turn off. All its registrants are removed with it.',
		displayOptions: { show: { resource: ['registration'], operation: ['disable'] } },
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): DisableRegistrationParameters {
	return { meeting: readMeetingReference(ctx, itemIndex) };
}

async function execute(parameters: DisableRegistrationParameters, context: OperationContext): Promise<IDataObject> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	await context.graph.request({
		method: 'DELETE',
		path: `${meetingPath(context.organizerRoot, meetingId)}/registration`,
		itemIndex: context.itemIndex,
	});
	return { meetingId, disabled: true };
}

export const disable: Operation<DisableRegistrationParameters> = { description, readParameters, execute };
