import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from './node.type';
import { meetingDescription, meetingOperations } from './meeting/Meeting.resource';
import { registrantDescription, registrantOperations } from './registrant/Registrant.resource';
import { registrationDescription, registrationOperations } from './registration/Registration.resource';
import { webinarRegistrationDescription, webinarRegistrationOperations } from './webinarRegistration/WebinarRegistration.resource';

/** Every resource's operations, by resource and operation value: what the router dispatches on. */
export const OPERATIONS: Record<string, Record<string, Operation<unknown>>> = {
	meeting: meetingOperations as Record<string, Operation<unknown>>,
	registration: registrationOperations as Record<string, Operation<unknown>>,
	registrant: registrantOperations as Record<string, Operation<unknown>>,
	webinarRegistration: webinarRegistrationOperations as Record<string, Operation<unknown>>,
};

/** The Resource field, then each resource's Operation field and operation fields. */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Meeting', value: 'meeting' },
			{ name: 'Registrant', value: 'registrant' },
			{ name: 'Registration', value: 'registration' },
			{ name: 'Webinar Registration', value: 'webinarRegistration' },
		],
		// Registrant stays the default: saved workflows from 0.1 omit it, as n8n leaves defaults out.
		default: 'registrant',
	},
	...meetingDescription,
	...registrationDescription,
	...registrantDescription,
	...webinarRegistrationDescription,
];
