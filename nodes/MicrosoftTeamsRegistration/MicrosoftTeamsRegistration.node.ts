import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { testAppOnlyCredential } from './transport/credentialTest';

import { router } from './actions/router';
import { resourceProperties } from './actions/resources';
import { webinarListSearch, webinarResourceMapping } from './actions/webinarRegistration/editorMethods';

export class MicrosoftTeamsRegistration implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Teams Meeting Registration',
		name: 'microsoftTeamsRegistration',
		icon: { light: 'file:microsoftTeamsRegistration.svg', dark: 'file:microsoftTeamsRegistration.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Enroll attendees into Microsoft Teams meetings with external registration and get their personal join links',
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
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2 (Delegated, Signed-In Organizer)', value: 'oAuth2' },
					{ name: 'App-Only (Client Credentials, on Behalf of an Organizer)', value: 'appOnly' },
				],
				default: 'oAuth2',
			},
			{
				displayName: 'Organizer',
				name: 'organizer',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. organizer@contoso.com',
				description:
					'The meeting organizer on whose behalf the app works: their object ID or user principal name. Their Teams application access policy must allow the app.',
				displayOptions: { show: { authentication: ['appOnly'] } },
			},
			...resourceProperties,
			{
				displayName: 'Request Options',
				name: 'requestOptions',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				description:
					'How hard the node may push Microsoft Graph. Every execution in this n8n process that uses the same credential waits in the same queue; the latest execution\'s settings apply to it.',
				options: [
					{
						displayName: 'Batch Requests',
						name: 'batching',
						type: 'boolean',
						default: false,
						description: 'Whether to send requests in Microsoft Graph JSON batches of up to 20 ($batch). Each request in a batch still counts against Graph\'s limits; batching pays off when Graph answers slowly. Max Concurrent Requests then counts batches.',
					},
					{
						displayName: 'Max Concurrent Requests',
						name: 'maxConcurrency',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 256 },
						default: 64,
						description:
							'The most requests to Graph in flight at once, for all executions sharing the credential. With the adaptive rate the node finds how many Graph answers without slowing down, up to this.'
					},
					{
						displayName: 'Max Requests per Second',
						name: 'maxRequestsPerSecond',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 2 },
						default: 0,
						description:
							'A fixed rate; 0 uses Graph\'s documented limit where there is one (webinars: 15 writes per 30 s) and otherwise adapts: the node speeds up until Graph throttles, then stays just below that rate and honours Retry-After',
					},
					{
						displayName: 'Max Retries',
						name: 'maxRetries',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 20 },
						default: 6,
						description: 'Attempts after the first for unavailable (503, 504) and dropped requests. Waiting out Graph\'s throttling (429, Retry-After) uses none of them, only time.',
					},
					{
						displayName: 'Request Timeout (Seconds)',
						name: 'requestTimeoutSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60,
						description:
							'How long one request may go unanswered. A write that times out counts as "may or may not have happened": the node finds out from Graph before it writes again.',
					},
					{
						displayName: 'Time Budget (Minutes)',
						name: 'timeBudgetMinutes',
						type: 'number',
						typeOptions: { minValue: 0.1, numberPrecision: 1 },
						default: 30,
						description: 'How long one request may wait for its turn and its retries, from the moment it joins the queue; past that its item comes out as an error saying how long it waited',
					},
				],
			},
		],
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
