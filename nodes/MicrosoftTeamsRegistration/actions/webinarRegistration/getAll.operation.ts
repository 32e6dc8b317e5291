import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { webinarLocator } from '../../descriptions/webinar.description';
import { returnAllFields } from '../../descriptions/returnAll.description';
import { readLimit, readLocator } from '../../helpers/parameters';
import { listRegistrations, registrationOutput, webinarIdOf } from '../../graph/webinars';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetAllRegistrationsParameters {
	webinarId: string;
	/** Undefined: return all. */
	limit?: number;
}

const displayOptions = { show: { resource: ['webinarRegistration'], operation: ['getAll'] } };

const properties: INodeProperties[] = [
	{
		...webinarLocator,
		description: 'The Teams webinar whose registrations to list',
	},
	...returnAllFields,
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetAllRegistrationsParameters {
	return {
		webinarId: readLocator(ctx, 'webinar', itemIndex, 'id', webinarIdOf),
		limit: readLimit(ctx, itemIndex),
	};
}

/** One object per registration, whatever its status (canceled ones included). */
async function execute(
	parameters: GetAllRegistrationsParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	const registrations = await listRegistrations(parameters.webinarId, context, parameters.limit);
	return registrations.map((registration) =>
		registrationOutput(registration, parameters.webinarId),
	);
}

export const getAll = defineOperation<GetAllRegistrationsParameters>({
	description,
	readParameters,
	execute,
});
