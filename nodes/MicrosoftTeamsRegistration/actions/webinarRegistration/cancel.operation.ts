import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { registrationLocator, webinarLocator } from '../../descriptions/webinar.description';
import { asNodeError } from '../../helpers/errors';
import { isGraphStatus } from '../../helpers/meetings';
import { inputError } from '../../helpers/parameters';
import {
	WEBINAR_API_VERSION,
	isActiveRegistration,
	listRegistrationsOnce,
	readRegistrationReference,
	readWebinarId,
	sameEmail,
	webinarCaches,
	webinarPath,
} from '../../helpers/webinars';
import type { RegistrationReference } from '../../helpers/webinars';
import { graphPath } from '../../transport';
import type { Operation, OperationContext } from '../node.type';

type IfNotRegistered = 'error' | 'succeed';

export interface CancelRegistrationParameters {
	webinarId: string;
	registration: RegistrationReference;
	ifNotRegistered: IfNotRegistered;
}

const show = { resource: ['webinarRegistration'], operation: ['cancel'] };

const description: INodeProperties[] = [
	{
		...webinarLocator,
		description: 'The Teams webinar to cancel the registration for',
		displayOptions: { show },
	},
	{
		...registrationLocator,
		description: 'The registration to cancel; by email, every registration of that address that holds or awaits a place',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
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
				description: 'What to do when the person has no registration to cancel (none, or only canceled ones)',
			},
		],
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): CancelRegistrationParameters {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		webinarId: readWebinarId(ctx, itemIndex),
		registration: readRegistrationReference(ctx, itemIndex),
		ifNotRegistered: (options.ifNotRegistered as IfNotRegistered | undefined) ?? 'error',
	};
}

async function cancelRegistration(webinarId: string, registrationId: string, context: OperationContext): Promise<void> {
	await context.graph.request({
		method: 'POST',
		path: webinarPath(webinarId) + graphPath`/registrations/${registrationId}/cancel`,
		apiVersion: WEBINAR_API_VERSION,
		itemIndex: context.itemIndex,
	});
}

/** By registration ID: one POST; Graph's 404 only counts as "not registered" if the webinar exists. */
async function cancelById(webinarId: string, registrationId: string, context: OperationContext): Promise<IDataObject[]> {
	try {
		await cancelRegistration(webinarId, registrationId, context);
		return [{ webinarId, id: registrationId, canceled: true }];
	} catch (error) {
		if (!isGraphStatus(error, 404)) throw asNodeError(context.node, error);
		// A missing webinar also answers 404: reading it fails then, with Graph's answer.
		await context.graph.request({ method: 'GET', path: webinarPath(webinarId), apiVersion: WEBINAR_API_VERSION, itemIndex: context.itemIndex });
		return [];
	}
}

/**
 * By email: the registrations of that address that hold or await a place, found in the
 * webinar's listing (read once per webinar per run), each cancelled. The promise is shared
 * per address, so a second item for the same person in this run finds nothing left to cancel.
 */
async function cancelByEmail(webinarId: string, email: string, context: OperationContext): Promise<IDataObject[]> {
	let canceledNow = false;
	const canceled = await webinarCaches(context).cancellationByEmail.get(`${webinarId} ${email.toLowerCase()}`, async () => {
		canceledNow = true;
		const registrations = (await listRegistrationsOnce(webinarId, context)).filter(
			(registration) => sameEmail(registration.email, email) && isActiveRegistration(registration),
		);
		for (const registration of registrations) await cancelRegistration(webinarId, String(registration.id), context);
		return registrations.map((registration) => ({ webinarId, id: registration.id, email: registration.email, canceled: true }));
	});
	return canceledNow ? canceled : [];
}

/** One item per cancelled registration, or one `"canceled": false` item (Succeed Quietly). */
async function execute(parameters: CancelRegistrationParameters, context: OperationContext): Promise<IDataObject[]> {
	const { webinarId, registration } = parameters;
	const canceled =
		registration.kind === 'id' ? await cancelById(webinarId, registration.id, context) : await cancelByEmail(webinarId, registration.email, context);
	if (canceled.length > 0) return canceled;
	const named = registration.kind === 'id' ? registration.id : registration.email;
	if (parameters.ifNotRegistered === 'error') {
		throw inputError(
			context.node,
			context.itemIndex,
			'registration',
			`has no registration to cancel for this webinar: "${named}"`,
			'Set Options → "If Not Registered" to "Succeed Quietly" to go on when someone is not registered.',
		);
	}
	return [registration.kind === 'id' ? { webinarId, id: registration.id, canceled: false } : { webinarId, id: null, email: registration.email, canceled: false }];
}

export const cancel: Operation<CancelRegistrationParameters> = { description, readParameters, execute };
