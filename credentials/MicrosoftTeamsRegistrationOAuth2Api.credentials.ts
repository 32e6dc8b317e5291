import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { GRAPH_CLOUDS, authorityUrlExpression, graphCloudProperties } from './microsoftGraphClouds';

const DELEGATED_PERMISSION = 'OnlineMeetings.ReadWrite';
/** What the Webinar Registration operations (and the sessions of Event Attendance) need, asked for only when the user says so. */
const WEBINAR_PERMISSION = 'VirtualEvent.ReadWrite';
/** What reading attendance reports and records needs (meetings, webinar and town hall sessions), asked for only when the user says so. */
const ATTENDANCE_PERMISSION = 'OnlineMeetingArtifact.Read.All';

/**
 * Outside the global cloud a scope without a resource prefix would ask for a token for
 * graph.microsoft.com, which the national cloud's Graph rejects; so the scope names the
 * cloud's Graph there.
 */
function scopeExpression(): string {
	const permission = (name: string) =>
		Object.entries(GRAPH_CLOUDS)
			.filter(([value]) => value !== 'global')
			.map(([value, cloud]) => `$self.graphCloud === '${value}' ? '${cloud.graphUrl}/${name}' : `)
			.join('') + `'${name}'`;
	return `={{ 'openid offline_access ' + (${permission(DELEGATED_PERMISSION)}) + ($self.webinarPermission ? ' ' + (${permission(WEBINAR_PERMISSION)}) : '') + ($self.attendancePermission ? ' ' + (${permission(ATTENDANCE_PERMISSION)}) : '') }}`;
}

export class MicrosoftTeamsRegistrationOAuth2Api implements ICredentialType {
	name = 'microsoftTeamsRegistrationOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft Teams Registration OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/MicrosoftTeamsRegistration/microsoftTeamsRegistration.svg',
		dark: 'file:../nodes/MicrosoftTeamsRegistration/microsoftTeamsRegistration.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-teams-meeting-registration/n8n-nodes-teams-meeting-registration#register-an-app-in-microsoft-entra';

	properties: INodeProperties[] = [
		...graphCloudProperties,
		{
			displayName: 'Custom Sign-In Authority URL',
			name: 'customAuthorityUrl',
			type: 'string',
			default: 'https://login.microsoftonline.com',
			description:
				'Base URL of the Microsoft identity platform to sign in with; the tenant and /oauth2/v2.0/... are appended',
			displayOptions: { show: { graphCloud: ['custom'] } },
		},
		{
			displayName: 'Sign-In Tenant',
			name: 'tenant',
			type: 'string',
			default: 'common',
			description:
				'"common" lets any work or school account sign in; "organizations" likewise; or your directory (tenant) ID or domain to allow only your organization',
		},
		{
			displayName: 'Webinar Permission',
			name: 'webinarPermission',
			type: 'boolean',
			default: false,
			description:
				'Whether to also ask for VirtualEvent.ReadWrite, which the Webinar Registration operations (webinars and town halls) and Event Attendance → Get Sessions need. Reconnect the credential after changing this.',
		},
		{
			displayName: 'Attendance Permission',
			name: 'attendancePermission',
			type: 'boolean',
			default: false,
			description:
				'Whether to also ask for OnlineMeetingArtifact.Read.All, which reading attendance needs (Event Attendance → Get Attendance Records, Meeting → Get Attendance Reports and Records; the account must organize the event or meeting). Reconnect the credential after changing this.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${authorityUrlExpression()} }}/{{ $self.tenant }}/oauth2/v2.0/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${authorityUrlExpression()} }}/{{ $self.tenant }}/oauth2/v2.0/token`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: scopeExpression(),
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'response_mode=query',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}
