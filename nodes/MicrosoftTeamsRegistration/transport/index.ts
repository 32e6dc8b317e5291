import { NodeApiError } from 'n8n-workflow';
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
	qs?: IDataObject;
	body?: IDataObject;
	/** The input item this request serves, for the error shown to the user. */
	itemIndex?: number;
}

export interface GraphClient {
	/** Path of the organizer whose meetings are addressed: `/me` under a delegated credential. */
	readonly organizerRoot: string;
	request<T = IDataObject>(request: GraphRequest): Promise<T>;
}

interface HttpFailure {
	response?: { status?: number; data?: unknown; headers?: unknown };
	code?: string;
	message?: string;
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
		organizerRoot: '/me',
		async request<T>({ method, path, qs, body, itemIndex }: GraphRequest): Promise<T> {
			try {
				return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
					method,
					url: `${baseUrl}${path}`,
					qs,
					body,
					headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
					json: true,
				})) as T;
			} catch (caught) {
				const failure = caught as HttpFailure;
				if (failure.response?.status) {
					const details = readGraphError(failure.response.status, failure.response.data, failure.response.headers);
					throw graphApiError(node, details, path, itemIndex);
				}
				if (caught instanceof NodeApiError) throw caught;
				// No HTTP answer (connection refused, DNS, TLS, timeout, token refresh): report
				// only what happened, never the client's request options (they hold the token).
				const reason = failure.message ?? failure.code ?? 'no answer';
				throw new NodeApiError(node, { message: reason, code: failure.code ?? null } as JsonObject, {
					message: `Request to Microsoft Graph failed: ${reason}`,
					description: `Check the credential's "Microsoft Cloud" (and "Custom Graph URL": ${baseUrl}) and that n8n can reach it.`,
					itemIndex,
				});
			}
		},
	};
}
