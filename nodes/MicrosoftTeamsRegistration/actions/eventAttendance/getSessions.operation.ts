import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { eventTypeField, readEvent, webinarLocator } from '../../descriptions/webinar.description';
import { returnAllFields } from '../../descriptions/returnAll.description';
import { readLimit } from '../../helpers/parameters';
import { eventSessions } from '../../graph/attendance';
import type { VirtualEvent } from '../../graph/virtualEvents';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetSessionsParameters {
	event: VirtualEvent;
	/** Undefined: return all. */
	limit?: number;
}

const displayOptions = { show: { resource: ['eventAttendance'], operation: ['getSessions'] } };

const properties: INodeProperties[] = [
	eventTypeField,
	{
		...webinarLocator,
		description: 'The Teams webinar or town hall whose sessions to list',
	},
	...returnAllFields,
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetSessionsParameters {
	return { event: readEvent(ctx, itemIndex), limit: readLimit(ctx, itemIndex) };
}

/** One item per session: id, subject, startDateTime, endDateTime, joinWebUrl, and the event. */
async function execute(
	parameters: GetSessionsParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	return await eventSessions(parameters.event, parameters.limit, context);
}

export const getSessions = defineOperation<GetSessionsParameters>({
	description,
	readParameters,
	execute,
});
