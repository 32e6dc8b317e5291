import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { readLocator } from '../../helpers/parameters';
import { deleteRegistration, meetingReferenceOf, resolveMeetingId } from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface DisableRegistrationParameters {
	meeting: MeetingReference;
}

const displayOptions = { show: { resource: ['registration'], operation: ['disable'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description:
			'The Teams meeting whose external registration to turn off. All its registrants are removed with it.',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): DisableRegistrationParameters {
	return { meeting: readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf) };
}

async function execute(
	parameters: DisableRegistrationParameters,
	context: OperationContext,
): Promise<IDataObject> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	await deleteRegistration(meetingId, context);
	return { meetingId, disabled: true };
}

export const disable = defineOperation<DisableRegistrationParameters>({
	description,
	readParameters,
	execute,
});
