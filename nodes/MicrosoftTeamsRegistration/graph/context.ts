import type { INode } from 'n8n-workflow';

import type { GraphClient } from '../transport';
import type { ExecutionCaches } from './executionCache';

/** What the domain layer gets for one item: the Graph client, the execution's caches, and whose meetings it addresses. */
export interface OperationContext {
	graph: GraphClient;
	caches: ExecutionCaches;
	node: INode;
	itemIndex: number;
	/** `/me` (delegated) or `/users/{organizerObjectId}` (app-only), already encoded. */
	organizerRoot: string;
}
