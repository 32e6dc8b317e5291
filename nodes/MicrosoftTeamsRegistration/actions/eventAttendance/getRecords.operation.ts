import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { eventTypeField, readEvent, webinarLocator } from '../../descriptions/webinar.description';
import { returnAllFields } from '../../descriptions/returnAll.description';
import {
	inputError,
	isDotSegment,
	readChoice,
	readLimit,
	readRequiredText,
} from '../../helpers/parameters';
import { eventAttendance } from '../../graph/attendance';
import type { EventAttendanceQuery } from '../../graph/attendance';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

const displayOptions = { show: { resource: ['eventAttendance'], operation: ['getRecords'] } };

const properties: INodeProperties[] = [
	eventTypeField,
	{
		...webinarLocator,
		description: 'The Teams webinar or town hall whose attendance to get',
	},
	{
		displayName: 'Sessions',
		name: 'sessions',
		type: 'options',
		options: [
			{
				name: 'All Sessions',
				value: 'all',
				description: "The records of every session's attendance reports",
			},
			{ name: 'One Session', value: 'one', description: 'The records of one session' },
		],
		default: 'all',
	},
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8d62dd52-4dff-4c75-96a9-f905cc3ff942@f9448ec4-804b-46af-b810-62085248da33',
		description: 'The session, from Operation "Get Sessions"',
		displayOptions: { show: { sessions: ['one'] } },
	},
	...returnAllFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include No-Shows',
				name: 'includeNoShows',
				type: 'boolean',
				default: false,
				description:
					'Whether to also output everyone registered who has no attendance record (matched by registration ID, else email), with "attended": false; attendees come with "attended": true',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): EventAttendanceQuery {
	const event = readEvent(ctx, itemIndex);
	let sessionId: string | undefined;
	if (readChoice(ctx, 'sessions', itemIndex, ['all', 'one'], 'all') === 'one') {
		sessionId = readRequiredText(ctx, 'sessionId', itemIndex);
		if (isDotSegment(sessionId))
			throw inputError(
				ctx.getNode(),
				itemIndex,
				'sessionId',
				`is not a session ID: "${sessionId}"`,
			);
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		event,
		sessionId,
		limit: readLimit(ctx, itemIndex),
		includeNoShows: options.includeNoShows === true,
	};
}

/** One item per attendance record (`attended: true`); with no-shows, then one per registered no-show (`attended: false`). */
async function execute(
	parameters: EventAttendanceQuery,
	context: OperationContext,
): Promise<IDataObject[]> {
	return await eventAttendance(parameters, context);
}

export const getRecords = defineOperation<EventAttendanceQuery>({
	description,
	readParameters,
	execute,
});
