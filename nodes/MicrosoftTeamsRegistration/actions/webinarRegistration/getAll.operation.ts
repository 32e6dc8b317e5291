import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { webinarLocator } from '../../descriptions/webinar.description';
import { readLimit } from '../../helpers/parameters';
import { returnAllFields } from '../../descriptions/returnAll.description';
import { listRegistrations, readWebinarId, registrationOutput } from '../../helpers/webinars';
import type { Operation, OperationContext } from '../node.type';

export interface GetAllRegistrationsParameters {
	webinarId: string;
	/** Undefined: return all. */
	limit?: number;
}

const show = { resource: ['webinarRegistration'], operation: ['getAll'] };

const description: INodeProperties[] = [
	{
		...webinarLocator,
		description: 'The Teams webinar whose registrations to list',
		displayOptions: { show },
	},
	...returnAllFields(show),
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetAllRegistrationsParameters {
	return { webinarId: readWebinarId(ctx, itemIndex), limit: readLimit(ctx, itemIndex) };
}

/** One object per registration, whatever its status (canceled ones included). */
async function execute(parameters: GetAllRegistrationsParameters, context: OperationContext): Promise<IDataObject[]> {
	const registrations = await listRegistrations(parameters.webinarId, context, parameters.limit);
	return registrations.map((registration) => registrationOutput(registration, parameters.webinarId));
}

export const getAll: Operation<GetAllRegistrationsParameters> = { description, readParameters, execute };
