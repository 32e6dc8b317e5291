import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { GraphErrorDetails } from './graphErrors';
import type { PacerOptions } from './pacer';

/** The values of the node's `authentication` parameter. */
export type AuthenticationMethod = 'oAuth2' | 'appOnly';

/** The credential type each value of `authentication` uses. */
export function credentialTypeOf(authentication: AuthenticationMethod): string {
	return authentication === 'appOnly'
		? 'microsoftTeamsRegistrationAppOnlyApi'
		: 'microsoftTeamsRegistrationOAuth2Api';
}

export interface GraphRequest {
	method: IHttpRequestMethods;
	/** Path below `<graph base>/<apiVersion>`, built with `graphPath`. */
	path: string;
	/** External registration lives in `beta` (the default); webinars in `v1.0`. */
	apiVersion?: 'beta' | 'v1.0';
	/**
	 * An absolute URL Graph handed back (`@odata.nextLink`) to use instead of `path`; sent
	 * only if it is on the credential's Graph host, so the token never goes elsewhere.
	 */
	nextLink?: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** The input item this request serves, for the error shown to the user. */
	itemIndex?: number;
}

export interface GraphClient {
	readonly authentication: AuthenticationMethod;
	/** Graph's origin and who the client speaks as: the key of anything remembered across executions. */
	readonly scope: string;
	/** "Max Retries": also bounds the rounds of finding out what Graph did with a write whose answer was lost. */
	readonly maxRetries: number;
	request<T = IDataObject>(request: GraphRequest): Promise<T>;
}

/** How hard one execution may push Graph, and how long it keeps trying. */
export interface DeliveryOptions extends PacerOptions {
	maxRetries: number;
	/** Send requests in Graph JSON batches ($batch, 20 per batch); `maxConcurrency` then counts batches. */
	batching?: boolean;
	/** How long one request may wait for its turn and its retries, from the moment it joins its lane's queue. */
	timeBudgetMs: number;
	/** How long one HTTP request may go unanswered before it counts as lost (its outcome unknown). */
	requestTimeoutMs: number;
}

/**
 * The n8n contexts that open a Graph client: an execution, the editor's list and mapping
 * methods, a polling trigger. The client uses only what they share (the node, its
 * credentials, the HTTP helpers); n8n's `httpRequestWithAuthentication` runs with the
 * context itself as `this`, so the type names the contexts rather than a subset of members.
 */
export type GraphClientContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The plain-language hint for a Graph failure on `path` (the domain layer's wording); empty if none. */
export type HintFor = (details: GraphErrorDetails, path: string, appOnly: boolean) => string;

/** How a Graph client is set up: its pacing and retries, and the words of the node around it. */
export interface GraphClientOptions {
	delivery: DeliveryOptions;
	/** Hints for Graph's error answers (none without). */
	hintFor?: HintFor;
	/** What the node calls the setting behind `delivery.timeBudgetMs`, for errors that say to raise it. */
	timeBudgetSetting?: string;
}
