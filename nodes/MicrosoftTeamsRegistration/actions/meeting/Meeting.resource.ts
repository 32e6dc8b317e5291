import type { INodeProperties } from 'n8n-workflow';

import { create } from './create.operation';
import { get } from './get.operation';

export const meetingOperations = { create, get };

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
		],
		default: 'create',
	},
	...create.description,
	...get.description,
];
