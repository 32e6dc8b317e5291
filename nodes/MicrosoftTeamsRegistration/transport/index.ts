import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';

import { graphBaseUrl } from '../../../credentials/microsoftGraphClouds';
import { AppOnlySignInError, acquireAppOnlyToken } from './appOnlyToken';
import type { AppOnlyToken } from './appOnlyToken';
import { graphApiError, readGraphError } from './graphErrors';

export { graphPath } from './graphPath';

/** Credential type per value of the node's `authentication` parameter. */
export const CREDENTIAL_TYPES = {
	oAuth2: 'microsoftTeamsRegistrationOAuth2Api',
	appOnly: 'microsoftTeamsRegistrationAppOnlyApi',
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
	readonly authentication: AuthenticationMethod;
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

export function signInError(node: INode, error: AppOnlySignInError, itemIndex?: number): NodeApiError {
	return new NodeApiError(node, { signInFailure: error.message } as JsonObject, {
		message: error.message,
		description: error.hint,
		itemIndex,
	});
}

/** Sends one HTTP request signed for the credential; `isRetryableAuthFailure` says when to renew and resend once. */
type SignedSender = (options: IHttpRequestOptions) => Promise<unknown>;

/** Delegated: n8n signs the request and renews the OAuth2 token itself on 401. */
function delegatedSender(ctx: IExecuteFunctions): SignedSender {
	return async (options) => await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPES.oAuth2, options);
}

/**
 * App-only: one MSAL token per execution (renewed when it expires), and after a 401 one
 * renewal and resend: a 401 means Graph did not act on the request.
 */
function appOnlySender(ctx: IExecuteFunctions, credentials: ICredentialDataDecryptedObject): SignedSender {
	const credentialKey = ctx.getNode().credentials?.[CREDENTIAL_TYPES.appOnly]?.id ?? undefined;
	let token: Promise<AppOnlyToken> | undefined;
	let expiresOn = 0;
	const currentToken = async (renew: boolean): Promise<string> => {
		if (renew || token === undefined || Date.now() >= expiresOn - 60_000) {
			token = acquireAppOnlyToken(credentialKey, credentials, renew);
			token.then((acquired) => (expiresOn = acquired.expiresOn)).catch(() => (token = undefined));
		}
		return (await token).accessToken;
	};
	const send = async (options: IHttpRequestOptions, renew: boolean) =>
		await ctx.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${await currentToken(renew)}` },
		});
	return async (options) => {
		try {
			return await send(options, false);
		} catch (error) {
			if (failedResponse(error as HttpFailure)?.status !== 401) throw error;
			return await send(options, true);
		}
	};
}

/**
 * The only place that talks HTTP to Graph, under either credential. Graph's error answers
 * become NodeApiErrors built from Graph's body alone, never from the HTTP client's error
 * (which holds the request's Authorization header).
 */
export async function createGraphClient(ctx: IExecuteFunctions): Promise<GraphClient> {
	const authentication = ctx.getNodeParameter('authentication', 0) as AuthenticationMethod;
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPES[authentication]);
	const baseUrl = `${graphBaseUrl(credentials.graphCloud, credentials.customGraphUrl)}/beta`;
	const node = ctx.getNode();
	const send = authentication === 'appOnly' ? appOnlySender(ctx, credentials) : delegatedSender(ctx);

	return {
		authentication,
		async request<T>({ method, path, nextLink, qs, body, itemIndex }: GraphRequest): Promise<T> {
			if (nextLink !== undefined && !sameOrigin(nextLink, baseUrl)) {
				throw new NodeOperationError(
					node,
					`Microsoft Graph's next-page link points to another host (${safeOrigin(nextLink)}); it was not followed, so the credential's token stays with ${safeOrigin(baseUrl)}`,
					{ itemIndex },
				);
			}
			try {
				return (await send({
					method,
					url: nextLink ?? `${baseUrl}${path}`,
					qs,
					body,
					headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
					json: true,
				})) as T;
			} catch (caught) {
				if (caught instanceof AppOnlySignInError) throw signInError(node, caught, itemIndex);
				const failure = caught as HttpFailure;
				const response = failedResponse(failure);
				if (response?.status !== undefined) {
					throw graphApiError(node, readGraphError(response.status, response.data, response.headers), path, itemIndex, authentication === 'appOnly');
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
