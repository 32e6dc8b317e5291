import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { testAppOnlyCredential } from './transport/credentialTest';

import { router } from './actions/router';
import { resourceProperties } from './actions/resources';
import { authenticationField, organizerField } from './descriptions/authentication.description';
import { requestOptionsField } from './descriptions/requestOptions.description';
import {
	webinarListSearch,
	webinarResourceMapping,
} from './actions/webinarRegistration/editorMethods';

export class MicrosoftTeamsRegistration implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Teams Meeting Registration',
		name: 'microsoftTeamsRegistration',
		icon: {
			light: 'file:microsoftTeamsRegistration.svg',
			dark: 'file:microsoftTeamsRegistration.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Enroll attendees into Microsoft Teams meetings with external registration and get their personal join links',
		defaults: { name: 'Microsoft Teams Meeting Registration' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Credential type names as literals (the same as transport's credentialTypeOf): n8n's
		// lint rules read which credentials the node uses, and which it tests, from here.
		credentials: [
			{
				name: 'microsoftTeamsRegistrationOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'microsoftTeamsRegistrationAppOnlyApi',
				required: true,
				testedBy: 'appOnlyCredentialTest',
				displayOptions: { show: { authentication: ['appOnly'] } },
			},
		],
		properties: [authenticationField, organizerField, ...resourceProperties, requestOptionsField],
	};

	methods = {
		credentialTest: { appOnlyCredentialTest: testAppOnlyCredential },
		listSearch: webinarListSearch,
		resourceMapping: webinarResourceMapping,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
