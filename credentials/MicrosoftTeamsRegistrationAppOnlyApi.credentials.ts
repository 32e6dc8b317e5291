import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { graphCloudProperties } from './microsoftGraphClouds';

/**
 * App-only (client credentials) sign-in for n8n instances with nobody to sign in: tokens
 * come from @azure/msal-node in the node's transport, with a client secret or a
 * certificate. The "Test" button is the node's `appOnlyCredentialTest`.
 */
export class MicrosoftTeamsRegistrationAppOnlyApi implements ICredentialType {
	name = 'microsoftTeamsRegistrationAppOnlyApi';

	displayName = 'Microsoft Teams Registration App-Only API';

	icon: Icon = {
		light: 'file:../nodes/MicrosoftTeamsRegistration/microsoftTeamsRegistration.svg',
		dark: 'file:../nodes/MicrosoftTeamsRegistration/microsoftTeamsRegistration.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-teams-meeting-registration/n8n-nodes-teams-meeting-registration#app-only-sign-in';

	properties: INodeProperties[] = [
		{
			displayName:
				'Application permissions (admin consent) by operation: meetings OnlineMeetings.ReadWrite.All; webinar and town hall registration VirtualEventRegistration-Anon.ReadWrite.All and VirtualEvent.Read.All; sessions VirtualEvent.Read.All; attendance OnlineMeetingArtifact.Read.All. Every app-only call also needs a Teams application access policy granted to the organizer (New-CsApplicationAccessPolicy, Grant-CsApplicationAccessPolicy).',
			name: 'permissionsNotice',
			type: 'notice',
			default: '',
		},
		...graphCloudProperties,
		{
			displayName: 'Custom Authority URL',
			name: 'customAuthorityUrl',
			type: 'string',
			default: '',
			placeholder: 'https://login.example.com',
			description:
				'HTTPS base URL of the Microsoft identity platform to get tokens from; the tenant is appended',
			displayOptions: { show: { graphCloud: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 909c6581-5130-43e9-88f3-fcb3582cde37 or contoso.onmicrosoft.com',
			description: 'Your Microsoft Entra directory (tenant) ID or a verified domain',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: "The app registration's Application (client) ID",
		},
		{
			displayName: 'Authenticate With',
			name: 'authMethod',
			type: 'options',
			options: [
				{ name: 'Client Secret', value: 'clientSecret' },
				{ name: 'Certificate', value: 'certificate' },
			],
			default: 'clientSecret',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The secret's value (not its ID) from Certificates & secrets",
			displayOptions: { show: { authMethod: ['clientSecret'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 5 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description:
				'PEM private key of the certificate uploaded to the app registration (PKCS#8 or PKCS#1, encrypted or not)',
			displayOptions: { show: { authMethod: ['certificate'] } },
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'privateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key',
			displayOptions: { show: { authMethod: ['certificate'] } },
		},
		{
			displayName: 'Certificate Thumbprint',
			name: 'certificateThumbprint',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'SHA-256: 64 hex characters (SHA-1: 40, for older registrations)',
			description: "The certificate's thumbprint as shown in the app registration",
			displayOptions: { show: { authMethod: ['certificate'] } },
		},
	];
}
