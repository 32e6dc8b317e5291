import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/**
 * A caught failure as the error to throw from the node. n8n's node errors pass through as
 * they are: their message, description and httpCode are what the user sees (the Graph
 * client's NodeApiError, the input checks' NodeOperationError). Anything else is wrapped
 * in a NodeOperationError with the same message, so the n8n UI shows it with the node.
 */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}

/** A caught failure as the error to throw, its description led by what became of the person (`state`). */
export function withState(
	node: INode,
	error: unknown,
	state: string,
): NodeApiError | NodeOperationError {
	const failure = asNodeError(node, error);
	failure.description = `${state} ${failure.description ?? ''}`.trim();
	return failure;
}

/** What `work` gives; its failure as the error to throw, led by `state` (what became of the person then). */
export async function failingWith<T>(
	node: INode,
	state: string,
	work: () => Promise<T>,
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw withState(node, error, state);
	}
}

/** Whether `error` is Graph's answer with this HTTP status (as the transport reports it). */
export function isGraphStatus(error: unknown, status: number): boolean {
	return error instanceof NodeApiError && error.httpCode === String(status);
}
