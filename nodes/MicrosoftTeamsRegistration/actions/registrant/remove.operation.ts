import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { inputError, isDotSegment, readChoice, readLocator } from '../../helpers/parameters';
import type { Problem } from '../../helpers/parameters';
import {
	meetingReferenceOf,
	removeRegistrantById,
	removeRegistrantsByExternalId,
	resolveMeetingId,
} from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

const IF_NOT_ENROLLED = ['error', 'succeed'] as const;
type IfNotEnrolled = (typeof IF_NOT_ENROLLED)[number];

export interface RemoveRegistrantParameters {
	meeting: MeetingReference;
	registrant: { kind: 'registrantId' | 'externalId'; id: string };
	ifNotEnrolled: IfNotEnrolled;
}

const displayOptions = { show: { resource: ['registrant'], operation: ['remove'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting to remove the registrant from',
	},
	{
		displayName: 'Registrant',
		name: 'registrant',
		type: 'resourceLocator',
		default: { mode: 'externalId', value: '' },
		required: true,
		description: 'The person whose registration to cancel',
		modes: [
			{
				displayName: 'By External ID',
				name: 'externalId',
				type: 'string',
				placeholder: 'e.g. jane@example.com',
				hint: "The ID from your registration system they were enrolled with; the node lists the meeting's registrants once per run to find them",
			},
			{
				displayName: 'By Registrant ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 9d96988d-a66a-46ce-aad7-0b245615b297',
				hint: 'The registrant\'s "id" from Enroll or Get Many; removed directly, without listing',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'If Not Enrolled',
				name: 'ifNotEnrolled',
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
						description: 'Output "removed": false and go on',
					},
				],
				description: 'What to do when the person is not (or no longer) enrolled in the meeting',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

/** The `registrant` locator: by registrant id or by external id (the default for a plain value). */
function registrantOf({
	mode,
	text,
}: {
	mode: string;
	text: string;
}): RemoveRegistrantParameters['registrant'] | Problem {
	if (mode !== 'id') return { kind: 'externalId', id: text };
	if (isDotSegment(text)) return { problem: `is not a registrant ID: "${text}"` };
	return { kind: 'registrantId', id: text };
}

function readParameters(ctx: IExecuteFunctions, itemIndex: number): RemoveRegistrantParameters {
	const meeting = readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf);
	const registrant = readLocator(ctx, 'registrant', itemIndex, 'externalId', registrantOf);
	return {
		meeting,
		registrant,
		ifNotEnrolled: readChoice(ctx, 'options.ifNotEnrolled', itemIndex, IF_NOT_ENROLLED, 'error'),
	};
}

async function execute(
	parameters: RemoveRegistrantParameters,
	context: OperationContext,
): Promise<IDataObject> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const { kind, id } = parameters.registrant;
	const removed =
		kind === 'registrantId'
			? await removeRegistrantById(meetingId, id, context)
			: await removeRegistrantsByExternalId(meetingId, id, context);
	if (!removed && parameters.ifNotEnrolled === 'error') {
		throw inputError(
			context.node,
			context.itemIndex,
			'registrant',
			`is not enrolled in this meeting: "${id}"`,
			'Set Options → "If Not Enrolled" to "Succeed Quietly" to go on when someone is not enrolled.',
		);
	}
	return { meetingId, id, removed };
}

export const remove = defineOperation<RemoveRegistrantParameters>({
	description,
	readParameters,
	execute,
});
