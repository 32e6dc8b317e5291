'use strict';

const { NodeConnectionTypes } = require('n8n-workflow');

/**
 * A programmatic node: for each input item, POSTs `{ n }` to `url` with the selected
 * credential (through n8n's httpRequestWithAuthentication) and outputs the JSON response,
 * paired with its input item. Handles continueOnFail itself, as n8n nodes do.
 */
class EchoHttp {
	constructor() {
		this.description = {
			displayName: 'Echo HTTP',
			name: 'echoHttp',
			icon: 'fa:exchange-alt',
			group: ['transform'],
			version: 1,
			description: 'Test fixture: POSTs each item to a URL',
			defaults: { name: 'Echo HTTP' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [
				{
					name: 'fixtureOAuth2Api',
					required: true,
					displayOptions: { show: { authentication: ['oAuth2'] } },
				},
				{
					name: 'fixtureApiKeyApi',
					required: true,
					displayOptions: { show: { authentication: ['apiKey'] } },
				},
			],
			properties: [
				{
					displayName: 'Authentication',
					name: 'authentication',
					type: 'options',
					options: [
						{ name: 'OAuth2', value: 'oAuth2' },
						{ name: 'API Key', value: 'apiKey' },
					],
					default: 'oAuth2',
				},
				{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true },
				{ displayName: 'N', name: 'n', type: 'number', default: 0 },
				{
					displayName: 'Drop Output',
					name: 'dropOutput',
					type: 'boolean',
					default: false,
					description: 'Whether to output no items at all (to exercise alwaysOutputData)',
				},
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const authentication = this.getNodeParameter('authentication', 0);
		const credentialType = authentication === 'apiKey' ? 'fixtureApiKeyApi' : 'fixtureOAuth2Api';
		const returnData = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const url = this.getNodeParameter('url', i);
				const n = this.getNodeParameter('n', i);
				const response = await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
					method: 'POST',
					url,
					body: { n },
					json: true,
				});
				returnData.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		if (this.getNodeParameter('dropOutput', 0)) return [[]];
		return [returnData];
	}
}

module.exports = { EchoHttp };
