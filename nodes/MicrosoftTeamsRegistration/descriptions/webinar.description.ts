import type { INodeProperties } from 'n8n-workflow';

import { REGISTRATION_PAGE_PATTERN } from '../helpers/links';

/** The Teams webinar an operation works on: picked from the organizer's webinars, by ID, or by its registration page. */
export const webinarLocator: INodeProperties = {
	displayName: 'Webinar',
	name: 'webinar',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Teams webinar (virtual event)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a webinar...',
			typeOptions: {
				searchListMethod: 'searchWebinars',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33',
			hint: 'The webinar ID from Microsoft Graph',
		},
		{
			displayName: 'By Registration Page URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://events.teams.microsoft.com/event/88b245ac-...@f9448ec4-...',
			hint: "The link of the webinar's registration page, as Teams shows it",
			validation: [
				{
					type: 'regex',
					properties: {
						regex: REGISTRATION_PAGE_PATTERN,
						errorMessage: 'Not a Teams webinar registration page URL',
					},
				},
			],
		},
	],
};

/** One person's registration for a webinar: by Graph's registration ID, or by the email they registered with. */
export const registrationLocator: INodeProperties = {
	displayName: 'Registration',
	name: 'registration',
	type: 'resourceLocator',
	default: { mode: 'email', value: '' },
	required: true,
	description: "The person's registration for the webinar",
	modes: [
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. jane@example.com',
			hint: "The email address they registered with; the node lists the webinar's registrations once per run to find them",
		},
		{
			displayName: 'By Registration ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 127962bb-84e1-7b62-fd98-1c9d39def7b6',
			hint: 'The registration\'s "ID" from Register, Get or Get Many',
		},
	],
};
