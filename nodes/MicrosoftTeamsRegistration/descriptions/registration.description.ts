import type { INodeProperties } from 'n8n-workflow';

/** Who may register for a meeting: Graph's `allowedRegistrant` (meetingAudience). */
export const allowedRegistrantField: INodeProperties = {
	displayName: 'Allowed Registrants',
	name: 'allowedRegistrant',
	type: 'options',
	default: 'everyone',
	options: [
		{
			name: 'Everyone',
			value: 'everyone',
			description: 'Anyone can be enrolled with just an external ID',
		},
		{
			name: 'Organization',
			value: 'organization',
			description:
				'Only people of a Microsoft Entra organization; they are enrolled with their tenant ID and user ID',
		},
	],
	description: 'Who can be enrolled in the meeting ("allowedRegistrant")',
};
