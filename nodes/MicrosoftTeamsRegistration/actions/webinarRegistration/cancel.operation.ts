import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	eventTypeField,
	readEvent,
	registrationLocator,
	webinarLocator,
} from '../../descriptions/webinar.description';
import { inputError, readChoice, readLocator } from '../../helpers/parameters';
import { cancelRegistrations, eventFields, registrationReferenceOf } from '../../graph/webinars';
import { VIRTUAL_EVENT_LABELS } from '../../graph/virtualEvents';
import type { VirtualEvent } from '../../graph/virtualEvents';
import type { RegistrationReference } from '../../graph/webinars';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

const IF_NOT_REGISTERED = ['error', 'succeed'] as const;
type IfNotRegistered = (typeof IF_NOT_REGISTERED)[number];

export interface CancelRegistrationParameters {
	event: VirtualEvent;
	registration: RegistrationReference;
	ifNotRegistered: IfNotRegistered;
}

const displayOptions = { show: { resource: ['webinarRegistration'], operation: ['cancel'] } };

const properties: INodeProperties[] = [
	eventTypeField,
	{
		...webinarLocator,
		description: 'The Teams webinar or town hall to cancel the registration for',
	},
	{
		...registrationLocator,
		description:
			'The registration to cancel; by email, every registration of that address that holds or awaits a place',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'If Not Registered',
				name: 'ifNotRegistered',
				type: 'options',
				default: 'error',
				options: [
					{
						name: 'Fail',
						value: 'error',
						description: 'Stop with an error naming the item',
					},
					{
						name: 'Succeed Quietly',
						value: 'succeed',
						description: 'Output "canceled": false and go on',
					},
				],
				description:
					'What to do when the person has no registration to cancel (none, or only canceled ones)',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): CancelRegistrationParameters {
	return {
		event: readEvent(ctx, itemIndex),
		registration: readLocator(ctx, 'registration', itemIndex, 'email', registrationReferenceOf),
		ifNotRegistered: readChoice(
			ctx,
			'options.ifNotRegistered',
			itemIndex,
			IF_NOT_REGISTERED,
			'error',
		),
	};
}

/** One item per cancelled registration, or one `"canceled": false` item (Succeed Quietly). */
async function execute(
	parameters: CancelRegistrationParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	const { event, registration } = parameters;
	const canceled = await cancelRegistrations(event, registration, context);
	if (canceled.length > 0) return canceled;
	const named = registration.kind === 'id' ? registration.id : registration.email;
	if (parameters.ifNotRegistered === 'error') {
		throw inputError(
			context.node,
			context.itemIndex,
			'registration',
			`has no registration to cancel for this ${VIRTUAL_EVENT_LABELS[event.kind]}: "${named}"`,
			'Set Options → "If Not Registered" to "Succeed Quietly" to go on when someone is not registered.',
		);
	}
	return [
		registration.kind === 'id'
			? { ...eventFields(event), id: registration.id, canceled: false }
			: { ...eventFields(event), id: null, email: registration.email, canceled: false },
	];
}

export const cancel = defineOperation<CancelRegistrationParameters>({
	description,
	readParameters,
	execute,
});
