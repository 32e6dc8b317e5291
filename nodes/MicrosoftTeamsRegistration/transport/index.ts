import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';

import { graphBaseUrl } from '../../../credentials/microsoftGraphClouds';
import { graphApiError, readGraphError } from './graphErrors';

export { graphPath } from './graphPath';

/** Credential type per value of the node's `authentication` parameter. */
export const CREDENTIAL_TYPES = {
	oAuth2: 'microsoftTeamsRegistrationOAuth2Api',
} as const;
export type AuthenticationMethod = keyof typeof CREDENTIAL_TYPES;

export interface GraphRequest {
	method: IHttpRequestMethods;
	/** Path below `<graph base>/beta`, built with `graphPath`. */
	path: string;
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
	request<T = IDataObject>(request: GraphRequest): Promise<T>;
}

interface HttpResponse {
	status?: number;
	data?: unknown;
	headers?: unknown;
}

interface HttpFailure {
	response?: HttpResponse;
	cause?: HttpFailure;
	code?: string;
	message?: string;
}

/**
 * The HTTP answer behind a failed request: n8n hands back the HTTP client's error itself
 * or (n8n 1.x and 2.x helpers) a NodeApiError whose `cause` is that error.
 */
function failedResponse(failure: HttpFailure): HttpResponse | undefined {
	for (let current: HttpFailure | undefined = failure, depth = 0; current && depth < 3; current = current.cause, depth++) {
		if (typeof current.response?.status === 'number') return current.response;
	}
	return undefined;
}

function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'an invalid URL';
	}
}

function sameOrigin(url: string, baseUrl: string): boolean {
	return safeOrigin(url) === safeOrigin(baseUrl);
}

/**
 * The only place that talks HTTP to Graph. Signing (and n8n's OAuth2 token refresh on
 * 401) is left to n8n's `httpRequestWithAuthentication`.
 */
export async function createGraphClient(ctx: IExecuteFunctions): Promise<GraphClient> {
	const authentication = ctx.getNodeParameter('authentication', 0) as AuthenticationMethod;
	const credentialType = CREDENTIAL_TYPES[authentication];
	const credentials = await ctx.getCredentials(credentialType);
	const baseUrl = `${graphBaseUrl(credentials.graphCloud, credentials.customGraphUrl)}/beta`;
	const node = ctx.getNode();

	return {
		async request<T>({ method, path, nextLink, qs, body, itemIndex }: GraphRequest): Promise<T> {
			if (nextLink !== undefined && !sameOrigin(nextLink, baseUrl)) {
				throw new NodeOperationError(
					node,
					`Microsoft Graph's next-page link points to another host (${safeOrigin(nextLink)}); it was not followed, so the credential's token stays with ${safeOrigin(baseUrl)}`,
					{ itemIndex },
				);
			}
			try {
				return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
					method,
					url: nextLink ?? `${baseUrl}${path}`,
					qs,
					body,
					headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
					json: true,
				})) as T;
			} catch (caught) {
				const failure = caught as HttpFailure;
				const response = failedResponse(failure);
				if (response?.status !== undefined) {
					throw graphApiError(node, readGraphError(response.status, response.data, response.headers), path, itemIndex);
				}
				// No HTTP answer: a network failure, or n8n could not renew the token. Report only
				// what happened, never the HTTP client's request options (they hold the token).
				const reason = failure.cause?.message ?? failure.message ?? 'no answer';
				const networkCode = failure.cause?.code ?? failure.code;
				// n8n replaces a message naming a network error code (ECONNREFUSED...) with its own wording.
				throw new NodeApiError(node, { failureText: reason, code: networkCode ?? null } as JsonObject, {
					message: `Request to Microsoft Graph failed: ${reason}`,
					description: networkCode
						? `Check the credential's "Microsoft Cloud" (and "Custom Graph URL": ${baseUrl}) and that n8n can reach it.`
						: undefined,
					itemIndex,
				});
			}
		},
	};
}
