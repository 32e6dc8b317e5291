import type { IDataObject } from 'n8n-workflow';

import type { GraphClient, GraphRequest } from './types';

/**
 * All items of a Graph collection, page by page along `@odata.nextLink` (which the client
 * follows only on the credential's Graph host); with `limit`, no further page is read once
 * enough are in.
 */
export async function listAllPages(
	graph: GraphClient,
	request: Omit<GraphRequest, 'method' | 'nextLink'>,
	limit?: number,
): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	let nextLink: string | undefined;
	do {
		const page = await graph.request<{ value?: IDataObject[]; '@odata.nextLink'?: unknown }>({
			...request,
			method: 'GET',
			nextLink,
		});
		found.push(...(page.value ?? []));
		const next = page['@odata.nextLink'];
		// a page pointing to itself would be read forever
		nextLink = typeof next === 'string' && next !== nextLink ? next : undefined;
	} while (nextLink !== undefined && (limit === undefined || found.length < limit));
	return limit === undefined ? found : found.slice(0, limit);
}
