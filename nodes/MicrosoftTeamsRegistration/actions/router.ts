import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { requestsInFlight } from '../transport';
import { asNodeError } from '../helpers/errors';
import { fieldLabelsOf, inputError, readText, withFieldLabels } from '../helpers/parameters';
import { openGraphClient } from '../graph/client';
import { createExecutionCaches } from '../graph/executionCache';
import { organizerReferenceOf, organizerRoot } from '../graph/organizer';
import type { OrganizerReference } from '../graph/organizer';
import {
	authenticationField,
	organizerField,
	readAuthentication,
} from '../descriptions/authentication.description';
import { readDelivery, requestOptionsField } from '../descriptions/requestOptions.description';
import type { OperationContext, OperationOutput } from './operation';
import { operationOf } from './resources';

type Prepared =
	| { run: (context: OperationContext) => Promise<OperationOutput>; organizer: OrganizerReference }
	| { error: Error };

/**
 * A failed item under "Continue On Fail": the message as `error`, then Graph's details. n8n's
 * error output ("On Error" → "Continue (using error output)") takes only items whose json
 * holds nothing but `error`, `message` and `details` (and adds the input item's fields), so
 * there the details go under `details`.
 */
function errorItem(error: Error, itemIndex: number, toErrorOutput: boolean): INodeExecutionData {
	const graphError = (error as { context?: IDataObject }).context?.graphError as
		IDataObject | undefined;
	const details: IDataObject = {};
	const { description, httpCode } = error as {
		description?: string | null;
		httpCode?: string | null;
	};
	if (description) details.description = description;
	if (httpCode) details.httpCode = httpCode;
	if (graphError)
		details.graphError = {
			code: graphError.code,
			message: graphError.message,
			requestId: graphError.requestId,
		};
	const json: IDataObject = toErrorOutput
		? { error: error.message, details }
		: { error: error.message, ...details };
	return { json, pairedItem: { item: itemIndex } };
}

/** Reads the `organizer` field of one item (app-only only); sends nothing. */
function readOrganizer(
	ctx: IExecuteFunctions,
	itemIndex: number,
	appOnly: boolean,
): OrganizerReference {
	if (!appOnly) return { kind: 'signedIn' };
	const organizer = organizerReferenceOf(readText(ctx, 'organizer', itemIndex));
	if ('problem' in organizer)
		throw inputError(ctx.getNode(), itemIndex, 'organizer', organizer.problem);
	return organizer;
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
	const operation = operationOf(resource, operationName);
	if (!operation)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not known`,
		);
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const authentication = readAuthentication(this);
	const node = this.getNode();
	// Errors name fields by their labels in the editor: those of the fields this operation shows.
	const labels = fieldLabelsOf([
		authenticationField,
		organizerField,
		...operation.description,
		requestOptionsField,
	]);
	const nodeError = (error: unknown) => withFieldLabels(asNodeError(node, error), labels);

	const prepared: Prepared[] = items.map((_, itemIndex) => {
		try {
			return {
				organizer: readOrganizer(this, itemIndex, authentication === 'appOnly'),
				run: operation.prepare(this, itemIndex),
			};
		} catch (error) {
			if (!continueOnFail) throw nodeError(error);
			return { error: nodeError(error) };
		}
	});

	const delivery = readDelivery(this, operation.delivery);
	const graph = await openGraphClient(this, authentication, delivery);
	const caches = createExecutionCaches();
	const results: INodeExecutionData[][] = new Array(items.length);

	const runItem = async (itemIndex: number): Promise<void> => {
		const item = prepared[itemIndex];
		if ('error' in item) {
			results[itemIndex] = [errorItem(item.error, itemIndex, toErrorOutput)];
			return;
		}
		try {
			const root = await organizerRoot(item.organizer, graph, caches.organizerIdByUpn, itemIndex);
			const output = await item.run({ graph, caches, node, itemIndex, organizerRoot: root });
			results[itemIndex] = (Array.isArray(output) ? output : [output]).map((json) => ({
				json,
				pairedItem: { item: itemIndex },
			}));
		} catch (error) {
			if (!continueOnFail) throw nodeError(error);
			results[itemIndex] = [errorItem(nodeError(error), itemIndex, toErrorOutput)];
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
				throw nodeError(error);
			}
		}
	};
	// Items run concurrently; the pacer inside the Graph client decides when each request goes.
	const workers = Array.from(
		{ length: Math.min(requestsInFlight(delivery), items.length) },
		worker,
	);
	const settled = await Promise.allSettled(workers);
	const rejection = settled.find(
		(outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
	);
	if (rejection) throw rejection.reason;

	return [results.flat()];
}
