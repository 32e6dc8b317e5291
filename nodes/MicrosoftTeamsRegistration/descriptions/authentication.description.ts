import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';

import type { AuthenticationMethod } from '../transport';

/** The node's Authentication field: which credential signs the requests. */
export const authenticationField: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'OAuth2 (Delegated, Signed-In Organizer)', value: 'oAuth2' },
		{ name: 'App-Only (Client Credentials, on Behalf of an Organizer)', value: 'appOnly' },
	],
	default: 'oAuth2',
};

/** App-only: whose meetings the node works on. */
export const organizerField: INodeProperties = {
	displayName: 'Organizer',
	name: 'organizer',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. organizer@contoso.com',
	description:
		'The meeting organizer on whose behalf the app works: their object ID or user principal name. Their Teams application access policy must allow the app.',
	displayOptions: { show: { authentication: ['appOnly'] } },
};

/** The Authentication of the run (it cannot differ per item). */
export function readAuthentication(ctx: IExecuteFunctions): AuthenticationMethod {
	return ctx.getNodeParameter('authentication', 0) === 'appOnly' ? 'appOnly' : 'oAuth2';
}

/** The Authentication as the editor or a polling trigger has it (no item). */
export function authenticationOf(
	ctx: ILoadOptionsFunctions | IPollFunctions,
): AuthenticationMethod {
	return ctx.getNodeParameter('authentication', 'oAuth2') === 'appOnly' ? 'appOnly' : 'oAuth2';
}
