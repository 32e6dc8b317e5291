import type { INodeProperties } from 'n8n-workflow';

import { enroll } from './enroll.operation';

export const registrantOperations = { enroll };

export const registrantDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['registrant'] } },
		options: [
			{
				name: 'Enroll External Registrant',
				value: 'enroll',
				description: 'Enroll an attendee from your registration system and get their personal join link',
				action: 'Enroll an external registrant',
			},
		],
		default: 'enroll',
	},
	...enroll.description,
];
