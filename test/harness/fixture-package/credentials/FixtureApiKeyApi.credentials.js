'use strict';

/**
 * An API-key credential using n8n's generic `authenticate` templating plus a
 * `preAuthentication` step that trades the key for a session token, kept in a hidden
 * `expirable` field (n8n calls preAuthentication while that field is empty).
 */
class FixtureApiKeyApi {
	constructor() {
		this.name = 'fixtureApiKeyApi';
		this.displayName = 'Fixture API Key API';
		this.properties = [
			{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
			{ displayName: 'Session URL', name: 'sessionUrl', type: 'string', default: '' },
			{
				displayName: 'Session Token',
				name: 'sessionToken',
				type: 'hidden',
				typeOptions: { expirable: true },
				default: '',
			},
		];
		this.authenticate = {
			type: 'generic',
			properties: {
				headers: {
					'X-Api-Key': '={{$credentials.apiKey}}',
					Authorization: '=Session {{$credentials.sessionToken}}',
				},
			},
		};
	}

	async preAuthentication(credentials) {
		const { token } = await this.helpers.httpRequest({
			method: 'POST',
			url: credentials.sessionUrl,
			body: { apiKey: credentials.apiKey },
			json: true,
		});
		return { sessionToken: token };
	}
}

module.exports = { FixtureApiKeyApi };
