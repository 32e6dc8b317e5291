import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import type { DeliveryOptions, GraphClient } from '../transport';
import type { ExecutionCaches } from '../helpers/executionCache';

/** What an operation gets for one item: the Graph client, the execution's caches, and whose meetings it addresses. */
export interface OperationContext {
	graph: GraphClient;
	caches: ExecutionCaches;
	node: INode;
	itemIndex: number;
	/** `/me` (delegated) or `/users/{organizerObjectId}` (app-only), already encoded. */
	organizerRoot: string;
}

/**
 * One operation: read and check an item's parameters (no network), then turn them into
 * Graph requests and a result. Operations hold no state of their own, so the router may
 * run items concurrently.
 */
export interface Operation<Parameters> {
	description: INodeProperties[];
	readParameters(ctx: IExecuteFunctions, itemIndex: number): Parameters;
	/** Pacing this operation needs unless the user sets "Request Options" (e.g. a documented rate limit). */
	delivery?: Partial<DeliveryOptions>;
	execute(parameters: Parameters, context: OperationContext): Promise<IDataObject | IDataObject[]>;
}
