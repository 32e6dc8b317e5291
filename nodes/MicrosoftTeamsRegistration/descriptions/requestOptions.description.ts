import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DeliveryOptions } from '../transport';

/**
 * "Request Options": pacing and retries for the whole run. Its defaults are the only ones:
 * `DEFAULT_DELIVERY` below is read from them.
 */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	description:
		"How hard the node may push Microsoft Graph. Every execution in this n8n process that uses the same credential waits in the same queue; the latest execution's settings apply to it.",
	options: [
		{
			displayName: 'Batch Requests',
			name: 'batching',
			type: 'boolean',
			default: false,
			description:
				"Whether to send requests in Microsoft Graph JSON batches of up to 20 ($batch). Each request in a batch still counts against Graph's limits; batching pays off when Graph answers slowly. Max Concurrent Requests then counts batches.",
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 256 },
			default: 128,
			description:
				'The most requests to Graph in flight at once, for all executions sharing the credential. With the adaptive rate the node finds how many Graph answers without slowing down, up to this.',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				"A fixed rate; 0 uses Graph's documented limit where there is one (webinars: 15 writes per 30 s) and otherwise adapts: the node speeds up until Graph throttles, then stays just below that rate and honours Retry-After",
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 6,
			description:
				"Attempts after the first for unavailable (503, 504) and dropped requests. Waiting out Graph's throttling (429, Retry-After) uses none of them, only time.",
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
			description:
				'How long one request may wait for its turn and its retries, from the moment it joins the queue; past that its item comes out as an error saying how long it waited',
		},
	],
};

/** The default of one of the options above. */
function defaultOf(name: string): number {
	const option = requestOptionsField.options?.find((candidate) => candidate.name === name);
	const value = option !== undefined && 'default' in option ? option.default : undefined;
	if (typeof value !== 'number')
		throw new Error(`Request Options has no number default for ${name}`);
	return value;
}

/** The settings of a run that sets no Request Options (and of the editor's requests). */
export const DEFAULT_DELIVERY: DeliveryOptions = {
	maxConcurrency: defaultOf('maxConcurrency'),
	maxRetries: defaultOf('maxRetries'),
	timeBudgetMs: defaultOf('timeBudgetMinutes') * 60_000,
	requestTimeoutMs: defaultOf('requestTimeoutSeconds') * 1000,
};

/** The run's pacing and retry settings: "Request Options", else the operation's own, else the defaults. */
export function readDelivery(
	ctx: IExecuteFunctions,
	operationDefaults: Partial<DeliveryOptions> = {},
): DeliveryOptions {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
	return {
		maxConcurrency: Math.floor(
			positive(options.maxConcurrency) ??
				operationDefaults.maxConcurrency ??
				DEFAULT_DELIVERY.maxConcurrency,
		),
		maxRequestsPerSecond:
			positive(options.maxRequestsPerSecond) ?? operationDefaults.maxRequestsPerSecond,
		maxRetries:
			typeof options.maxRetries === 'number' && options.maxRetries >= 0
				? Math.floor(options.maxRetries)
				: DEFAULT_DELIVERY.maxRetries,
		timeBudgetMs:
			(positive(options.timeBudgetMinutes) ?? DEFAULT_DELIVERY.timeBudgetMs / 60_000) * 60_000,
		requestTimeoutMs:
			(positive(options.requestTimeoutSeconds) ?? DEFAULT_DELIVERY.requestTimeoutMs / 1000) * 1000,
		batching: options.batching === true,
	};
}
