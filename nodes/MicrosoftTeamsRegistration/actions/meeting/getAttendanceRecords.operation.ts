import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { returnAllFields } from '../../descriptions/returnAll.description';
import {
	inputError,
	isDotSegment,
	readLimit,
	readLocator,
	readText,
} from '../../helpers/parameters';
import { meetingAttendanceRecords } from '../../graph/attendance';
import { meetingReferenceOf, resolveMeetingId } from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface GetMeetingAttendanceRecordsParameters {
	meeting: MeetingReference;
	/** Undefined: every report's records. */
	reportId?: string;
	/** Undefined: return all. */
	limit?: number;
}

const displayOptions = { show: { resource: ['meeting'], operation: ['getAttendanceRecords'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description: 'The Teams meeting whose attendance records to get',
	},
	{
		displayName: 'Report ID',
		name: 'reportId',
		type: 'string',
		default: '',
		placeholder: 'e.g. c9b6db1c-d5eb-427d-a5c0-20088d9b22d7',
		description:
			'The attendance report (one per occurrence of the meeting) from Operation "Get Attendance Reports"; empty: the records of every report',
	},
	...returnAllFields,
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): GetMeetingAttendanceRecordsParameters {
	const reportId = readText(ctx, 'reportId', itemIndex);
	if (isDotSegment(reportId))
		throw inputError(ctx.getNode(), itemIndex, 'reportId', `is not a report ID: "${reportId}"`);
	return {
		meeting: readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf),
		reportId: reportId === '' ? undefined : reportId,
		limit: readLimit(ctx, itemIndex),
	};
}

/** One item per attendance record: who (email, displayName, identity, role), how long, the join and leave times. */
async function execute(
	parameters: GetMeetingAttendanceRecordsParameters,
	context: OperationContext,
): Promise<IDataObject[]> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	return await meetingAttendanceRecords(meetingId, parameters.reportId, parameters.limit, context);
}

export const getAttendanceRecords = defineOperation<GetMeetingAttendanceRecordsParameters>({
	description,
	readParameters,
	execute,
});
