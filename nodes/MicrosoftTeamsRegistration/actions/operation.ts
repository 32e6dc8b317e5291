import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DeliveryOptions } from '../transport';
import type { OperationContext } from '../graph/context';

export type { OperationContext } from '../graph/context';

/** What an operation produces for one item. */
export type OperationOutput = IDataObject | IDataObject[];

/**
 * One operation, as written in `actions/<resource>/<operation>.operation.ts`: its fields,
 * reading and checking an item's parameters (no network), then calling the domain layer
 * (`graph/`) with them. Operations hold no state of their own, so the router may run items
 * concurrently.
 */
export interface Operation<Parameters> {
	description: INodeProperties[];
	readParameters(ctx: IExecuteFunctions, itemIndex: number): Parameters;
	/** Pacing this operation needs unless the user sets "Request Options" (e.g. a documented rate limit). */
	delivery?: Partial<DeliveryOptions>;
	execute(parameters: Parameters, context: OperationContext): Promise<OperationOutput>;
}

/** An operation as the router runs it: an item's parameters read, then run with a context. */
export interface RunnableOperation {
	description: INodeProperties[];
	delivery?: Partial<DeliveryOptions>;
	/** Reads and checks the item's parameters (throws on bad input); the result runs them. */
	prepare(
		ctx: IExecuteFunctions,
		itemIndex: number,
	): (context: OperationContext) => Promise<OperationOutput>;
}

/** An operation with its parameter type closed over, so operations of every type share one map. */
export function defineOperation<Parameters>(operation: Operation<Parameters>): RunnableOperation {
	return {
		description: operation.description,
		delivery: operation.delivery,
		prepare(ctx, itemIndex) {
			const parameters = operation.readParameters(ctx, itemIndex);
			return async (context) => await operation.execute(parameters, context);
		},
	};
}
