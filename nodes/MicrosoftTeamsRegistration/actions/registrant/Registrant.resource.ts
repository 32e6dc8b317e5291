import type { INodeProperties } from 'n8n-workflow';

import { enroll } from './enroll.operation';
import { getAll } from './getAll.operation';
import { remove } from './remove.operation';

export const registrantOperations = { enroll, getAll, remove };

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
				description:
					'Enroll an attendee from your registration system and get their personal join link',
				action: 'Enroll a person in a meeting and get their personal join link',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List who is registered for a meeting',
				action: 'Get many registrants of a meeting',
			},
			{
				name: 'Remove',
				value: 'remove',
				description:
					"Cancel one person's registration by removing them from a meeting's registrants",
				action: 'Remove a person from a meeting and cancel their registration',
			},
		],
		default: 'enroll',
	},
	...enroll.description,
	...getAll.description,
	...remove.description,
];
