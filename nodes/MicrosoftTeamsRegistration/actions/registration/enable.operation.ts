import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import {
	allowedRegistrantField,
	readAllowedRegistrant,
} from '../../descriptions/registration.description';
import { asNodeError, isGraphStatus } from '../../helpers/errors';
import { readChoice, readLocator } from '../../helpers/parameters';
import {
	createRegistration,
	deleteRegistration,
	meetingReferenceOf,
	readRegistration,
	resolveMeetingId,
} from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import type { MeetingRegistration } from '../../graph/executionCache';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

const IF_ALREADY_ENABLED = ['error', 'keep', 'replace'] as const;
type IfAlreadyEnabled = (typeof IF_ALREADY_ENABLED)[number];

export interface EnableRegistrationParameters {
	meeting: MeetingReference;
	allowedRegistrant: string;
	ifAlreadyEnabled: IfAlreadyEnabled;
}

const displayOptions = { show: { resource: ['registration'], operation: ['enable'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting to enable external registration on',
	},
	allowedRegistrantField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'If Already Enabled',
				name: 'ifAlreadyEnabled',
				type: 'options',
				default: 'error',
				options: [
					{
						name: 'Fail',
						value: 'error',
						description: "Stop with Microsoft Graph's error (409 Conflict)",
					},
					{
						name: 'Keep Existing Registration',
						value: 'keep',
						description: 'Leave the registration and its registrants as they are and output it',
					},
					{
						name: 'Replace (Removes All Registrants)',
						value: 'replace',
						description: 'Delete the registration, with all its registrants, and create a new one',
					},
				],
				description:
					'What to do when the meeting already has an external registration. The output\'s "outcome" says what happened.',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): EnableRegistrationParameters {
	return {
		meeting: readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf),
		allowedRegistrant: readAllowedRegistrant(ctx, itemIndex),
		ifAlreadyEnabled: readChoice(
			ctx,
			'options.ifAlreadyEnabled',
			itemIndex,
			IF_ALREADY_ENABLED,
			'error',
		),
	};
}

async function execute(
	parameters: EnableRegistrationParameters,
	context: OperationContext,
): Promise<IDataObject> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const output = (
		{ id, allowedRegistrant }: MeetingRegistration,
		outcome: 'created' | 'kept' | 'replaced',
	) => ({ meetingId, id, allowedRegistrant, outcome });
	try {
		return output(
			await createRegistration(meetingId, parameters.allowedRegistrant, context),
			'created',
		);
	} catch (error) {
		// Graph answers 409 when the meeting already has a registration; anything else is a failure.
		if (!isGraphStatus(error, 409) || parameters.ifAlreadyEnabled === 'error')
			throw asNodeError(context.node, error);
	}
	if (parameters.ifAlreadyEnabled === 'keep')
		return output(await readRegistration(meetingId, context), 'kept');
	await deleteRegistration(meetingId, context);
	return output(
		await createRegistration(meetingId, parameters.allowedRegistrant, context),
		'replaced',
	);
}

export const enable = defineOperation<EnableRegistrationParameters>({
	description,
	readParameters,
	execute,
});
