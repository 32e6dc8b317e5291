import type { INodeProperties } from 'n8n-workflow';

import { cancel } from './cancel.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { register } from './register.operation';

export const webinarRegistrationOperations = { register, get, getAll, cancel };

export const webinarRegistrationDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webinarRegistration'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: "Cancel a person's registration for a Teams webinar or town hall",
				action: 'Cancel a registration for a webinar or town hall',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one registration for a Teams webinar or town hall, by registration ID or email',
				action: 'Get a registration for a webinar or town hall',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the registrations for a Teams webinar or town hall',
				action: 'Get many registrations for a webinar or town hall',
			},
			{
				name: 'Register',
				value: 'register',
				description:
					'Register a person for a Teams webinar or town hall (the successor of external meeting registration)',
				action: 'Register a person for a webinar or town hall',
			},
		],
		default: 'register',
	},
	...register.description,
	...get.description,
	...getAll.description,
	...cancel.description,
];
