import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { eventTypeField, readEvent, webinarLocator } from '../../descriptions/webinar.description';
import { returnAllFields } from '../../descriptions/returnAll.description';
import { readLimit } from '../../helpers/parameters';
import { listRegistrations, registrationOutput } from '../../graph/webinars';
import type { VirtualEvent } from '../../graph/virtualEvents';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetAllRegistrationsParameters {
	event: VirtualEvent;
	/** Undefined: return all. */
	limit?: number;
}

const displayOptions = { show: { resource: ['webinarRegistration'], operation: ['getAll'] } };

const properties: INodeProperties[] = [
	eventTypeField,
	{
		...webinarLocator,
		description: 'The Teams webinar or town hall whose registrations to list',
	},
	...returnAllFields,
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetAllRegistrationsParameters {
	return {
		event: readEvent(ctx, itemIndex),
		limit: readLimit(ctx, itemIndex),
	};
}

/** One object per registration, whatever its status (canceled ones included). */
async function execute(
	parameters: GetAllRegistrationsParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	const registrations = await listRegistrations(parameters.event, context, parameters.limit);
	return registrations.map((registration) => registrationOutput(registration, parameters.event));
}

export const getAll = defineOperation<GetAllRegistrationsParameters>({
	description,
	readParameters,
	execute,
});
