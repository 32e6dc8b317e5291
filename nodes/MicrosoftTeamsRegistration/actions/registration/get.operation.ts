import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { readMeetingReference, readRegistrationIfEnabled, resolveMeetingId } from '../../helpers/meetings';
import type { MeetingReference } from '../../helpers/meetings';
import type { Operation, OperationContext } from '../node.type';

type IfNotEnabled = 'error' | 'returnEmpty';

export interface GetRegistrationParameters {
	meeting: MeetingReference;
	ifNotEnabled: IfNotEnabled;
}

const show = { resource: ['registration'], operation: ['get'] };

const description: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting whose external registration to read',
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
						description: 'Output no item for this meeting (the node setting "Always Output Data" turns that into one empty item)',
					},
				],
				description: 'What to do when the meeting exists but has no external registration',
			},
		],
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetRegistrationParameters {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		meeting: readMeetingReference(ctx, itemIndex),
		ifNotEnabled: (options.ifNotEnabled as IfNotEnabled | undefined) ?? 'error',
	};
}

async function execute(parameters: GetRegistrationParameters, context: OperationContext): Promise<IDataObject[]> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const registration = await readRegistrationIfEnabled(meetingId, context);
	if (registration !== null) return [{ meetingId, id: registration.id, allowedRegistrant: registration.allowedRegistrant }];
	if (parameters.ifNotEnabled === 'returnEmpty') return [];
	throw new NodeOperationError(context.node, 'Registration is not enabled on this meeting', {
		itemIndex: context.itemIndex,
		description: `Meeting ${meetingId} exists but has no external registration. Enable it with Operation "Enable", or set Options → "If Not Enabled" to "Return Empty Result".`,
	});
}

export const get: Operation<GetRegistrationParameters> = { description, readParameters, execute };
