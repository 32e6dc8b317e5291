import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { returnAllFields } from '../../descriptions/returnAll.description';
import { readLimit, readLocator } from '../../helpers/parameters';
import { meetingAttendanceReports } from '../../graph/attendance';
import { meetingReferenceOf, resolveMeetingId } from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetAttendanceReportsParameters {
	meeting: MeetingReference;
	/** Undefined: return all. */
	limit?: number;
}

const displayOptions = { show: { resource: ['meeting'], operation: ['getAttendanceReports'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description:
			'The Teams meeting whose attendance reports to list (one per occurrence; Graph keeps the 50 most recent)',
	},
	...returnAllFields,
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): GetAttendanceReportsParameters {
	return {
		meeting: readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf),
		limit: readLimit(ctx, itemIndex),
	};
}

/** One item per attendance report: id, totalParticipantCount, meetingStartDateTime, meetingEndDateTime, meetingId. */
async function execute(
	parameters: GetAttendanceReportsParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	return await meetingAttendanceReports(meetingId, parameters.limit, context);
}

export const getAttendanceReports = defineOperation<GetAttendanceReportsParameters>({
	description,
	readParameters,
	execute,
});
