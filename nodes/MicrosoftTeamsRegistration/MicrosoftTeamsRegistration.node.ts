import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { resourceProperties } from './actions/resources';
import { CREDENTIAL_TYPES } from './transport';

export class MicrosoftTeamsRegistration implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Teams Meeting Registration',
		name: 'microsoftTeamsRegistration',
		icon: 'file:microsoftTeamsRegistration.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Enroll attendees into Microsoft Teams meetings with external registration and get their personal join links',
		defaults: { name: 'Microsoft Teams Meeting Registration' },
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{
				name: CREDENTIAL_TYPES.oAuth2,
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [{ name: 'OAuth2 (Delegated, Signed-In Organizer)', value: 'oAuth2' }],
				default: 'oAuth2',
			},
			...resourceProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
