import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import {
	isGraphStatus,
	listRegistrantsOnce,
	readMeetingReference,
	readRegistration,
	registrantKey,
	removeRegistrant,
	resolveMeetingId,
} from '../../helpers/meetings';
import type { MeetingReference } from '../../helpers/meetings';
import { asNodeError } from '../../helpers/errors';
import { inputError } from '../../helpers/parameters';
import type { Operation, OperationContext } from '../node.type';

type IfNotEnrolled = 'error' | 'succeed';

export interface RemoveRegistrantParameters {
	meeting: MeetingReference;
	registrant: { kind: 'registrantId' | 'externalId'; id: string };
	ifNotEnrolled: IfNotEnrolled;
}

const show = { resource: ['registrant'], operation: ['remove'] };

const description: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting to remove the registrant from',
		displayOptions: { show },
	},
	{
		displayName: 'Registrant',
		name: 'registrant',
		type: 'resourceLocator',
		default: { mode: 'externalId', value: '' },
		required: true,
		description: 'The person whose registration to cancel',
		displayOptions: { show },
		modes: [
			{
				displayName: 'By External ID',
				name: 'externalId',
				type: 'string',
				placeholder: 'e.g. jane@example.com',
				hint: 'The ID from your registration system they were enrolled with; the node lists the meeting\'s registrants once per run to find them',
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
		displayOptions: { show },
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

function readParameters(ctx: IExecuteFunctions, itemIndex: number): RemoveRegistrantParameters {
	const meeting = readMeetingReference(ctx, itemIndex);
	const parameter = ctx.getNodeParameter('registrant', itemIndex) as INodeParameterResourceLocator | unknown;
	// an expression over the whole field gives a plain value: taken as an external id
	const locator = (typeof parameter === 'object' && parameter !== null ? parameter : { mode: 'externalId', value: parameter }) as {
		mode?: string;
		value?: unknown;
	};
	if (locator.value !== null && typeof locator.value === 'object') {
		throw inputError(ctx.getNode(), itemIndex, 'registrant', 'must be text, but its expression resolved to an object or array');
	}
	const id = String(locator.value ?? '').trim();
	if (id === '') throw inputError(ctx.getNode(), itemIndex, 'registrant', 'is empty');
	if (locator.mode === 'id' && (id === '.' || id === '..')) throw inputError(ctx.getNode(), itemIndex, 'registrant', `is not a registrant ID: "${id}"`);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		meeting,
		registrant: { kind: locator.mode === 'id' ? 'registrantId' : 'externalId', id },
		ifNotEnrolled: (options.ifNotEnrolled as IfNotEnrolled | undefined) ?? 'error',
	};
}

/** By registrant id: one DELETE; Graph's 404 only counts as "not enrolled" if the meeting's registration exists. */
async function removeById(meetingId: string, registrantId: string, context: OperationContext): Promise<boolean> {
	try {
		await removeRegistrant(meetingId, registrantId, context);
		return true;
	} catch (error) {
		if (!isGraphStatus(error, 404)) throw asNodeError(context.node, error);
		// A missing meeting or registration also answers 404: reading the registration fails then, with Graph's answer.
		await readRegistration(meetingId, context);
		return false;
	}
}

/**
 * By external id: found in the meeting's listing (read once per meeting per run), then one
 * DELETE per record (Graph keeps a record per enrollment, so a person enrolled twice has
 * two). The promise is shared per external id: a second item for the same person in this
 * run finds them removed already.
 */
async function removeByExternalId(meetingId: string, externalId: string, context: OperationContext): Promise<boolean> {
	let removedNow = false;
	const removedRecords = await context.caches.removalByExternalId.get(registrantKey(context, meetingId, externalId), async () => {
		removedNow = true;
		const records = (await listRegistrantsOnce(meetingId, context)).filter((registrant) => registrant.id === externalId);
		for (const record of records) await removeRegistrant(meetingId, String(record.id), context);
		return records.length;
	});
	return removedNow && removedRecords > 0;
}

async function execute(parameters: RemoveRegistrantParameters, context: OperationContext): Promise<IDataObject> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const { kind, id } = parameters.registrant;
	const removed = kind === 'registrantId' ? await removeById(meetingId, id, context) : await removeByExternalId(meetingId, id, context);
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

export const remove: Operation<RemoveRegistrantParameters> = { description, readParameters, execute };
