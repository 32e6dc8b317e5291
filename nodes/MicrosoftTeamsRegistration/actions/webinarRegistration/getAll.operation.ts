import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { webinarLocator } from '../../descriptions/webinar.description';
import { inputError } from '../../helpers/parameters';
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
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetAllRegistrationsParameters {
	const webinarId = readWebinarId(ctx, itemIndex);
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return { webinarId };
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw inputError(ctx.getNode(), itemIndex, 'limit', `must be a whole number of 1 or more, not ${JSON.stringify(limit)}`);
	}
	return { webinarId, limit };
}

/** One object per registration, whatever its status (canceled ones included). */
async function execute(parameters: GetAllRegistrationsParameters, context: OperationContext): Promise<IDataObject[]> {
	const registrations = await listRegistrations(parameters.webinarId, context, parameters.limit);
	return registrations.map((registration) => registrationOutput(registration, parameters.webinarId));
}

export const getAll: Operation<GetAllRegistrationsParameters> = { description, readParameters, execute };
