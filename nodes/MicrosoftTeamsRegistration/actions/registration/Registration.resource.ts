import type { INodeProperties } from 'n8n-workflow';

import { disable } from './disable.operation';
import { enable } from './enable.operation';
import { get } from './get.operation';

export const registrationOperations = { enable, get, disable };

export const registrationDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['registration'] } },
		options: [
			{
				name: 'Disable',
				value: 'disable',
				description:
					'Turn off external registration for a whole meeting; every registrant loses their registration',
				action: 'Turn off registration for a whole meeting',
			},
			{
				name: 'Enable',
				value: 'enable',
				description: 'Turn on external registration for a meeting, so people can be enrolled in it',
				action: 'Turn on registration for a meeting',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get whether a meeting has external registration and who it allows',
				action: 'Get the registration settings of a meeting',
			},
		],
		default: 'enable',
	},
	...enable.description,
	...get.description,
	...disable.description,
];
