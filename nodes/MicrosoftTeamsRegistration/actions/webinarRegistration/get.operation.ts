import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { registrationLocator, webinarLocator } from '../../descriptions/webinar.description';
import { inputError } from '../../helpers/parameters';
import {
	WEBINAR_API_VERSION,
	listRegistrationsOnce,
	newestRegistration,
	readRegistrationReference,
	readWebinarId,
	registrationOutput,
	sameEmail,
	webinarPath,
} from '../../helpers/webinars';
import type { RegistrationReference } from '../../helpers/webinars';
import { graphPath } from '../../transport';
import type { Operation, OperationContext } from '../node.type';

export interface GetRegistrationParameters {
	webinarId: string;
	registration: RegistrationReference;
}

const show = { resource: ['webinarRegistration'], operation: ['get'] };

const description: INodeProperties[] = [
	{
		...webinarLocator,
		description: 'The Teams webinar the registration belongs to',
		displayOptions: { show },
	},
	{
		...registrationLocator,
		description: 'The registration to get; by email, the person\'s most recent registration (whatever its status)',
		displayOptions: { show },
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetRegistrationParameters {
	return { webinarId: readWebinarId(ctx, itemIndex), registration: readRegistrationReference(ctx, itemIndex) };
}

/** By ID one GET; by email the webinar's listing (read once per run), newest registration of that address. */
async function execute(parameters: GetRegistrationParameters, context: OperationContext): Promise<IDataObject> {
	const { webinarId, registration } = parameters;
	if (registration.kind === 'id') {
		const found = await context.graph.request<IDataObject>({
			method: 'GET',
			path: webinarPath(webinarId) + graphPath`/registrations/${registration.id}`,
			apiVersion: WEBINAR_API_VERSION,
			itemIndex: context.itemIndex,
		});
		return registrationOutput(found, webinarId);
	}
	const listed = await listRegistrationsOnce(webinarId, context);
	const found = newestRegistration(listed.filter((candidate) => sameEmail(candidate.email, registration.email)));
	if (found === undefined) {
		throw inputError(context.node, context.itemIndex, 'registration', `is not registered for this webinar: "${registration.email}"`);
	}
	return registrationOutput(found, webinarId);
}

export const get: Operation<GetRegistrationParameters> = { description, readParameters, execute };
