import type { INodeProperties } from 'n8n-workflow';

import { getRecords } from './getRecords.operation';
import { getSessions } from './getSessions.operation';

export const eventAttendanceOperations = { getSessions, getRecords };

export const eventAttendanceDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['eventAttendance'] } },
		options: [
			{
				name: 'Get Attendance Records',
				value: 'getRecords',
				description:
					'Get who attended a Teams webinar or town hall (one session or all), optionally with the registered no-shows',
				action: 'Get attendance records of a webinar or town hall',
			},
			{
				name: 'Get Sessions',
				value: 'getSessions',
				description: 'List the sessions of a Teams webinar or town hall',
				action: 'Get sessions of a webinar or town hall',
			},
		],
		default: 'getRecords',
	},
	...getSessions.description,
	...getRecords.description,
];
