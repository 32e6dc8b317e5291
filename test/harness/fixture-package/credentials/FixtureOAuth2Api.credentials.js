'use strict';

/**
 * An OAuth2 credential in the shape of a real community one: it extends n8n's generic
 * `oAuth2Api` and pins the flow in hidden fields, with the token URL built from the
 * credential's own fields via `$self` (resolved by n8n's credentials helper).
 */
class FixtureOAuth2Api {
	constructor() {
		this.name = 'fixtureOAuth2Api';
		this.extends = ['oAuth2Api'];
		this.displayName = 'Fixture OAuth2 API';
		this.properties = [
			{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'clientCredentials' },
			{ displayName: 'Token Host', name: 'tokenHost', type: 'string', default: 'http://127.0.0.1:9' },
			{ displayName: 'Tenant ID', name: 'tenantId', type: 'string', default: 'common' },
			{
				displayName: 'Access Token URL',
				name: 'accessTokenUrl',
				type: 'hidden',
				default: '={{$self["tokenHost"]}}/{{$self["tenantId"]}}/oauth2/v2.0/token',
			},
			{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'https://fixture.invalid/.default' },
			{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		];
	}
}

module.exports = { FixtureOAuth2Api };
