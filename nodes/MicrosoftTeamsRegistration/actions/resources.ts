import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from './node.type';
import { registrantDescription, registrantOperations } from './registrant/Registrant.resource';

/** Every resource's operations, by resource and operation value: what the router dispatches on. */
export const OPERATIONS: Record<string, Record<string, Operation<unknown>>> = {
	registrant: registrantOperations as Record<string, Operation<unknown>>,
};

/** The Resource field, then each resource's Operation field and operation fields. */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Registrant', value: 'registrant' }],
		default: 'registrant',
	},
	...registrantDescription,
];
