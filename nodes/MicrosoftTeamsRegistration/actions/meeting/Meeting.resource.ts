import type { INodeProperties } from 'n8n-workflow';

import { create } from './create.operation';
import { get } from './get.operation';
import { getAttendanceRecords } from './getAttendanceRecords.operation';
import { getAttendanceReports } from './getAttendanceReports.operation';

export const meetingOperations = { create, get, getAttendanceReports, getAttendanceRecords };

export const meetingDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['meeting'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a Teams online meeting, with external registration enabled on it if asked',
				action: 'Create a meeting',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a Teams online meeting by its ID or join link',
				action: 'Get a meeting',
			},
			{
				name: 'Get Attendance Records',
				value: 'getAttendanceRecords',
				description:
					'Get who attended a Teams meeting: one item per attendee with email, role, time attended and join and leave times',
				action: 'Get attendance records of a meeting',
			},
			{
				name: 'Get Attendance Reports',
				value: 'getAttendanceReports',
				description: "List a Teams meeting's attendance reports, one per occurrence",
				action: 'Get attendance reports of a meeting',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAttendanceReports.description,
	...getAttendanceRecords.description,
];
