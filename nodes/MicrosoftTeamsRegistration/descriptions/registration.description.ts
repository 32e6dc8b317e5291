import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readChoice } from '../helpers/parameters';

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

/** Graph's `meetingAudience` values. */
const ALLOWED_REGISTRANTS = ['everyone', 'organization'] as const;

export function readAllowedRegistrant(
	ctx: IExecuteFunctions,
	itemIndex: number,
): (typeof ALLOWED_REGISTRANTS)[number] {
	return readChoice(ctx, 'allowedRegistrant', itemIndex, ALLOWED_REGISTRANTS, 'everyone');
}
