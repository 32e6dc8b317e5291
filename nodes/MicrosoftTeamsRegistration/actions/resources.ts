import type { INodeProperties } from 'n8n-workflow';

import type { RunnableOperation } from './operation';
import {
	eventAttendanceDescription,
	eventAttendanceOperations,
} from './eventAttendance/EventAttendance.resource';
import { meetingDescription, meetingOperations } from './meeting/Meeting.resource';
import { registrantDescription, registrantOperations } from './registrant/Registrant.resource';
import {
	registrationDescription,
	registrationOperations,
} from './registration/Registration.resource';
import {
	webinarRegistrationDescription,
	webinarRegistrationOperations,
} from './webinarRegistration/WebinarRegistration.resource';

/** Every resource's operations, by resource and operation value: what the router dispatches on. */
const OPERATIONS = {
	meeting: meetingOperations,
	registration: registrationOperations,
	registrant: registrantOperations,
	webinarRegistration: webinarRegistrationOperations,
	eventAttendance: eventAttendanceOperations,
} satisfies Record<string, Record<string, RunnableOperation>>;

export type Resource = keyof typeof OPERATIONS;

function isResource(value: string): value is Resource {
	return Object.keys(OPERATIONS).includes(value);
}

/** The operation the Resource and Operation fields name, if there is one. */
export function operationOf(resource: string, operation: string): RunnableOperation | undefined {
	if (!isResource(resource)) return undefined;
	const operations: Record<string, RunnableOperation> = OPERATIONS[resource];
	return Object.keys(operations).includes(operation) ? operations[operation] : undefined;
}

/** The Resource field, then each resource's Operation field and operation fields. */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Event Attendance', value: 'eventAttendance' },
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
	...eventAttendanceDescription,
];
