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

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const graphError = (error as { context?: IDataObject }).context?.graphError as
		IDataObject | undefined;
	const json: IDataObject = { error: error.message };
	const { description, httpCode } = error as {
		description?: string | null;
		httpCode?: string | null;
	};
	if (description) json.description = description;
	if (httpCode) json.httpCode = httpCode;
	if (graphError)
		json.graphError = {
			code: graphError.code,
			message: graphError.message,
			requestId: graphError.requestId,
		};
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
	const authentication = readAuthentication(this);
	const node = this.getNode();
	// Errors name fields by their labels in the editor: those of the fields this operation shows.
	const labels = fieldLabelsOf([
		authenticationField,
		organizerField,
		...operation.description,
		requestOptionsField,
	]);
	const labelled = (error: unknown) => withFieldLabels(error, labels);
	const nodeError = (error: unknown) => labelled(asNodeError(node, error));

	const prepared: Prepared[] = items.map((_, itemIndex) => {
		try {
			return {
				organizer: readOrganizer(this, itemIndex, authentication === 'appOnly'),
				run: operation.prepare(this, itemIndex),
			};
		} catch (error) {
			if (!continueOnFail) throw nodeError(error);
			return { error: labelled(error) as Error };
		}
	});

	const delivery = readDelivery(this, operation.delivery);
	const graph = await openGraphClient(this, authentication, delivery);
	const caches = createExecutionCaches();
	const results: INodeExecutionData[][] = new Array(items.length);

	const runItem = async (itemIndex: number): Promise<void> => {
		const item = prepared[itemIndex];
		if ('error' in item) {
			results[itemIndex] = [errorItem(item.error, itemIndex)];
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
			results[itemIndex] = [errorItem(labelled(error) as Error, itemIndex)];
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
