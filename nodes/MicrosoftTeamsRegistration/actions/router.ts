import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_DELIVERY, createGraphClient, requestsInFlight } from '../transport';
import type { DeliveryOptions } from '../transport';
import { asNodeError } from '../helpers/errors';
import { createExecutionCaches } from '../helpers/executionCache';
import { organizerRoot, readOrganizer } from '../helpers/organizer';
import type { OrganizerReference } from '../helpers/organizer';
import type { OperationContext } from './node.type';
import { OPERATIONS } from './resources';

/** The run's pacing and retry settings: "Request Options", else the operation's own, else defaults. */
function readDelivery(ctx: IExecuteFunctions, operationDefaults: Partial<DeliveryOptions> = {}): DeliveryOptions {
	const options = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
	return {
		maxConcurrency: Math.floor(positive(options.maxConcurrency) ?? operationDefaults.maxConcurrency ?? DEFAULT_DELIVERY.maxConcurrency),
		maxRequestsPerSecond: positive(options.maxRequestsPerSecond) ?? operationDefaults.maxRequestsPerSecond,
		maxRetries: typeof options.maxRetries === 'number' && options.maxRetries >= 0 ? Math.floor(options.maxRetries) : DEFAULT_DELIVERY.maxRetries,
		timeBudgetMs: (positive(options.timeBudgetMinutes) ?? DEFAULT_DELIVERY.timeBudgetMs / 60_000) * 60_000,
		requestTimeoutMs: (positive(options.requestTimeoutSeconds) ?? DEFAULT_DELIVERY.requestTimeoutMs / 1000) * 1000,
		batching: options.batching === true,
	};
}

type Prepared = { parameters: unknown; organizer: OrganizerReference } | { error: Error };

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const graphError = (error as { context?: IDataObject }).context?.graphError as IDataObject | undefined;
	const json: IDataObject = { error: error.message };
	const { description, httpCode } = error as { description?: string | null; httpCode?: string | null };
	if (description) json.description = description;
	if (httpCode) json.httpCode = httpCode;
	if (graphError) json.graphError = { code: graphError.code, message: graphError.message, requestId: graphError.requestId };
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Owns the item loop: every item's parameters are read and checked before any request is
 * sent (a bad item cannot leave half a list enrolled), then items run through the
 * operation; results keep input order and pairing, and failures become error items when
 * "Continue On Fail" is on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = OPERATIONS[resource]?.[operationName];
	if (!operation) throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not known`);
	const continueOnFail = this.continueOnFail();
	const authentication = this.getNodeParameter('authentication', 0) as string;

	const prepared: Prepared[] = items.map((_, itemIndex) => {
		try {
			return {
				organizer: readOrganizer(this, itemIndex, authentication),
				parameters: operation.readParameters(this, itemIndex),
			};
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this.getNode(), error);
			return { error: error as Error };
		}
	});

	const delivery = readDelivery(this, operation.delivery);
	const graph = await createGraphClient(this, delivery);
	const caches = createExecutionCaches();
	const node = this.getNode();
	const results: INodeExecutionData[][] = new Array(items.length);

	const runItem = async (itemIndex: number): Promise<void> => {
		const item = prepared[itemIndex];
		if ('error' in item) {
			results[itemIndex] = [errorItem(item.error, itemIndex)];
			return;
		}
		try {
			const root = await organizerRoot(item.organizer, graph, caches.organizerIdByUpn, itemIndex);
			const context: OperationContext = { graph, caches, node, itemIndex, organizerRoot: root };
			const output = await operation.execute(item.parameters, context);
			results[itemIndex] = (Array.isArray(output) ? output : [output]).map((json) => ({
				json,
				pairedItem: { item: itemIndex },
			}));
		} catch (error) {
			if (!continueOnFail) throw asNodeError(node, error);
			results[itemIndex] = [errorItem(error as Error, itemIndex)];
		}
	};

	let next = 0;
	let failed = false;
	const worker = async (): Promise<void> => {
		while (!failed && next < items.length) {
			const itemIndex = next++;
			try {
				await runItem(itemIndex);
			} catch (error) {
				failed = true;
				throw asNodeError(node, error);
			}
		}
	};
	// Items run concurrently; the pacer inside the Graph client decides when each request goes.
	const workers = Array.from({ length: Math.min(requestsInFlight(delivery), items.length) }, worker);
	const settled = await Promise.allSettled(workers);
	const rejection = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
	if (rejection) throw rejection.reason;

	return [results.flat()];
}
