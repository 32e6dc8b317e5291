import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { readChoice, readLocator } from '../../helpers/parameters';
import {
	meetingReferenceOf,
	readRegistrationIfEnabled,
	resolveMeetingId,
} from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

const IF_NOT_ENABLED = ['error', 'returnEmpty'] as const;
type IfNotEnabled = (typeof IF_NOT_ENABLED)[number];

export interface GetRegistrationParameters {
	meeting: MeetingReference;
	ifNotEnabled: IfNotEnabled;
}

const displayOptions = { show: { resource: ['registration'], operation: ['get'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting whose external registration to read',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'If Not Enabled',
				name: 'ifNotEnabled',
				type: 'options',
				default: 'error',
				options: [
					{
						name: 'Fail',
						value: 'error',
						description: 'Stop with "Registration is not enabled on this meeting"',
					},
					{
						name: 'Return Empty Result',
						value: 'returnEmpty',
						description:
							'Output no item for this meeting (the node setting "Always Output Data" turns that into one empty item)',
					},
				],
				description: 'What to do when the meeting exists but has no external registration',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetRegistrationParameters {
	return {
		meeting: readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf),
		ifNotEnabled: readChoice(ctx, 'options.ifNotEnabled', itemIndex, IF_NOT_ENABLED, 'error'),
	};
}

async function execute(
	parameters: GetRegistrationParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const registration = await readRegistrationIfEnabled(meetingId, context);
	if (registration !== null)
		return [{ meetingId, id: registration.id, allowedRegistrant: registration.allowedRegistrant }];
	if (parameters.ifNotEnabled === 'returnEmpty') return [];
	throw new NodeOperationError(context.node, 'Registration is not enabled on this meeting', {
		itemIndex: context.itemIndex,
		description: `Meeting ${meetingId} exists but has no external registration. Enable it with Operation "Enable", or set Options → "If Not Enabled" to "Return Empty Result".`,
	});
}

export const get = defineOperation<GetRegistrationParameters>({
	description,
	readParameters,
	execute,
});
