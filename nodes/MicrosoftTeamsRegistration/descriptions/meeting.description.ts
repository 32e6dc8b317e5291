import type { INodeProperties } from 'n8n-workflow';

import { JOIN_LINK_EXAMPLE, JOIN_LINK_PATTERN } from '../helpers/links';

/** The meeting an operation works on: its onlineMeeting ID or its join link. */
export const meetingLocator: INodeProperties = {
	displayName: 'Meeting',
	name: 'meeting',
	type: 'resourceLocator',
	default: { mode: 'url', value: '' },
	required: true,
	description: 'The Teams meeting, organized by the signed-in account (app-only: by the Organizer)',
	modes: [
		{
			displayName: 'By Join Link',
			name: 'url',
			type: 'string',
			placeholder: JOIN_LINK_EXAMPLE,
			hint: "The meeting's join link as shown in Teams or Outlook; the node looks up the meeting ID once per run",
			validation: [
				{
					type: 'regex',
					properties: {
						regex: JOIN_LINK_PATTERN,
						errorMessage: 'Not a Teams meeting join link',
					},
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ...',
			hint: 'The onlineMeeting ID from Microsoft Graph',
		},
	],
};
