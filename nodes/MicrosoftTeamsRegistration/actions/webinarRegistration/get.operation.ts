import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	eventTypeField,
	readEvent,
	registrationLocator,
	webinarLocator,
} from '../../descriptions/webinar.description';
import { inputError, readLocator } from '../../helpers/parameters';
import {
	findRegistration,
	registrationOutput,
	registrationReferenceOf,
} from '../../graph/webinars';
import type { RegistrationReference } from '../../graph/webinars';
import { VIRTUAL_EVENT_LABELS } from '../../graph/virtualEvents';
import type { VirtualEvent } from '../../graph/virtualEvents';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetRegistrationParameters {
	event: VirtualEvent;
	registration: RegistrationReference;
}

const displayOptions = { show: { resource: ['webinarRegistration'], operation: ['get'] } };

const properties: INodeProperties[] = [
	eventTypeField,
	{
		...webinarLocator,
		description: 'The Teams webinar or town hall the registration belongs to',
	},
	{
		...registrationLocator,
		description:
			"The registration to get; by email, the person's most recent registration (whatever its status)",
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetRegistrationParameters {
	return {
		event: readEvent(ctx, itemIndex),
		registration: readLocator(ctx, 'registration', itemIndex, 'email', registrationReferenceOf),
	};
}

/** By ID one GET; by email the webinar's listing (read once per run), newest registration of that address. */
async function execute(
	parameters: GetRegistrationParameters,
	context: OperationContext,
): Promise<IDataObject> {
	const { event, registration } = parameters;
	const found = await findRegistration(event, registration, context);
	if (found === undefined) {
		const named = registration.kind === 'id' ? registration.id : registration.email;
		throw inputError(
			context.node,
			context.itemIndex,
			'registration',
			`is not registered for this ${VIRTUAL_EVENT_LABELS[event.kind]}: "${named}"`,
		);
	}
	return registrationOutput(found, event);
}

export const get = defineOperation<GetRegistrationParameters>({
	description,
	readParameters,
	execute,
});
