import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';

import { graphBaseUrl, insecureUrlReason } from '../../../credentials/microsoftGraphClouds';
import { AppOnlySignInError, acquireAppOnlyToken } from './appOnlyToken';
import type { AppOnlyToken } from './appOnlyToken';
import { Batcher, MAX_BATCH_SIZE } from './batcher';
import { clock } from './clock';
import { graphApiError, readGraphError } from './graphErrors';
import { BUDGET_RATES, budgetOf, lanesOn } from './lanes';
import type { Budget } from './lanes';
import { PastDeadline } from './pacer';
import type { Pacer } from './pacer';
import {
	backoffMs,
	classifyFailure,
	isRetryable,
	isThrottling,
	outcomeUnknown,
	retryAfterOf,
} from './retry';
import type { AttemptFailure } from './retry';
import { credentialTypeOf } from './types';
import type {
	AuthenticationMethod,
	DeliveryOptions,
	GraphClient,
	GraphClientContext,
	GraphClientOptions,
	GraphRequest,
} from './types';

export { clock } from './clock';
export { backoffMs } from './retry';
export { graphPath } from './graphPath';
export { listAllPages } from './paging';
export { credentialTypeOf } from './types';
export type {
	AuthenticationMethod,
	DeliveryOptions,
	GraphClient,
	GraphClientContext,
	GraphClientOptions,
	GraphRequest,
	HintFor,
} from './types';
export type { GraphErrorDetails } from './graphErrors';

/** Requests in flight at once: batched, each of the `maxConcurrency` batches holds up to 20. */
export function requestsInFlight(delivery: DeliveryOptions): number {
	return delivery.maxConcurrency * (delivery.batching ? MAX_BATCH_SIZE : 1);
}

/** Marks a write whose outcome is unknown (answer lost, or 5xx): reconcile before repeating it. */
export function isOutcomeUnknown(error: unknown): boolean {
	return (error as { context?: { outcomeUnknown?: boolean } })?.context?.outcomeUnknown === true;
}

/** A batch entry's URL carries its query string itself. */
function withQuery(path: string, qs: IDataObject | undefined): string {
	const query = new URLSearchParams(
		Object.entries(qs ?? {}).map(([key, value]): [string, string] => [key, String(value)]),
	).toString();
	return query ? `${path}?${query}` : path;
}

/** The origin of `url` (read against `base` when relative), never its path or query. */
function safeOrigin(url: string, base?: string): string {
	try {
		return new URL(url, base).origin;
	} catch {
		return 'an invalid URL';
	}
}

function sameOrigin(url: string, baseUrl: string): boolean {
	return safeOrigin(url) === safeOrigin(baseUrl);
}

function signInError(node: INode, error: AppOnlySignInError, itemIndex?: number): NodeApiError {
	return new NodeApiError(node, { signInFailure: error.message } as JsonObject, {
		message: error.message,
		description: error.hint,
		itemIndex,
	});
}

/** Sends one HTTP request signed for the credential. */
type SignedSender = (options: IHttpRequestOptions) => Promise<unknown>;

/** Delegated: n8n signs the request and renews the OAuth2 token itself on 401. */
function delegatedSender(ctx: GraphClientContext): SignedSender {
	return async (options) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialTypeOf('oAuth2'), options);
}

/**
 * App-only: one MSAL token per execution (renewed when it expires), and after a 401 one
 * renewal and resend: a 401 means Graph did not act on the request.
 */
function appOnlySender(
	ctx: GraphClientContext,
	credentials: ICredentialDataDecryptedObject,
): SignedSender {
	const credentialKey = ctx.getNode().credentials?.[credentialTypeOf('appOnly')]?.id ?? undefined;
	let token: Promise<AppOnlyToken> | undefined;
	let expiresOn = 0;
	const currentToken = async (renew: boolean): Promise<string> => {
		// MSAL states expiry on the system clock, so it is read against that. A token still
		// being fetched never counts as expired: items that start together share one request.
		if (renew || token === undefined || Date.now() >= expiresOn - 60_000) {
			expiresOn = Number.POSITIVE_INFINITY;
			const pending = acquireAppOnlyToken(credentialKey, credentials, renew);
			token = pending;
			pending.then(
				(acquired) => {
					if (token === pending) expiresOn = acquired.expiresOn;
				},
				() => {
					if (token === pending) token = undefined;
				},
			);
		}
		return (await token).accessToken;
	};
	const send = async (options: IHttpRequestOptions, renew: boolean) =>
		await ctx.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${await currentToken(renew)}` },
		});
	return async (options) => {
		const first = await send(options, false).then(
			(answer) => ({ answer }),
			(error: unknown) => ({ error }),
		);
		if (!('error' in first)) return first.answer;
		const failure = classifyFailure(first.error, clock().now());
		if (failure?.kind === 'http' && failure.status === 401) return await send(options, true);
		// Not shown to the user as it is: the request loop turns it into Graph's error.
		throw first.error;
	};
}

/**
 * The only place that talks HTTP to Graph, under either credential. Every request goes
 * through the execution's pacer; 429/503/504 and network failures are retried (honouring
 * Retry-After) within the retry count and time budget, except writes whose outcome is
 * unknown, which come back marked for reconciliation. Graph's error answers become
 * NodeApiErrors built from Graph's body alone, never from the HTTP client's error (which
 * holds the request's Authorization header).
 */
export async function createGraphClient(
	ctx: GraphClientContext,
	authentication: AuthenticationMethod,
	{ delivery, hintFor = () => '', timeBudgetSetting = 'the time budget' }: GraphClientOptions,
): Promise<GraphClient> {
	const credentials = await ctx.getCredentials(credentialTypeOf(authentication));
	const graphUrl = graphBaseUrl(credentials.graphCloud, credentials.customGraphUrl);
	const baseUrl = `${graphUrl}/beta`;
	const node = ctx.getNode();
	// The token (and, for the delegated credential, n8n's token refresh) never travels in clear.
	const customAuthority =
		authentication === 'oAuth2' && credentials.graphCloud === 'custom'
			? String(credentials.customAuthorityUrl ?? '').trim()
			: '';
	const insecure =
		insecureUrlReason(graphUrl, 'Custom Graph URL') ??
		(customAuthority
			? insecureUrlReason(customAuthority, 'Custom Sign-In Authority URL')
			: undefined);
	if (insecure !== undefined) {
		throw new NodeOperationError(node, `The credential was not used: ${insecure}`, {
			description:
				'Change the URL in the credential to https://, or choose your Microsoft cloud instead of "Custom".',
		});
	}
	const signedSend =
		authentication === 'appOnly' ? appOnlySender(ctx, credentials) : delegatedSender(ctx);
	// No redirect is followed: the token and the attendees' data go to the credential's Graph
	// host alone. A request that never answers ends, and counts as an unknown outcome.
	const send: SignedSender = async (options) =>
		await signedSend({
			...options,
			disableFollowRedirect: true,
			timeout: delivery.requestTimeoutMs,
		});
	const time = clock();
	const lanes = lanesOn(time);
	// Who Graph counts a request against: online meetings per signed-in identity, virtual
	// events per app (client id) across all tenants.
	const appId = String(credentials.clientId ?? '');
	const identity =
		authentication === 'appOnly'
			? `app ${String(credentials.tenantId ?? '')} ${appId}`
			: `delegated ${node.credentials?.[credentialTypeOf('oAuth2')]?.id ?? appId}`;
	const graphOrigin = safeOrigin(graphUrl);
	// Each lane is looked up (and given this execution's settings) once per execution, not per request.
	const lanesUsed = new Map<Budget, Pacer>();
	const laneFor = (budget: Budget): Pacer => {
		let lane = lanesUsed.get(budget);
		if (lane === undefined) {
			lane = lanes.lane(
				`${graphOrigin} ${budget === 'meetings' ? identity : `app ${appId}`} ${budget}`,
				{
					maxConcurrency: requestsInFlight(delivery),
					maxRequestsPerSecond: delivery.maxRequestsPerSecond,
					ceilingPerSecond: BUDGET_RATES[budget],
				},
			);
			lanesUsed.set(budget, lane);
		}
		return lane;
	};
	const batchers = new Map<string, Batcher>();
	const batcherFor = (apiVersion: string) => {
		let batcher = batchers.get(apiVersion);
		if (batcher === undefined) {
			batcher = new Batcher(
				async (payload) =>
					(await send({
						method: 'POST',
						url: `${graphUrl}/${apiVersion}/$batch`,
						body: payload,
						headers: { 'Content-Type': 'application/json' },
						json: true,
					})) as never,
				time,
			);
			batchers.set(apiVersion, batcher);
		}
		return batcher;
	};

	const redirectError = (
		failure: AttemptFailure & { kind: 'http' },
		itemIndex: number | undefined,
	) => {
		const location = Object.entries((failure.headers ?? {}) as Record<string, unknown>).find(
			([name]) => name.toLowerCase() === 'location',
		)?.[1];
		const target =
			typeof location === 'string' ? safeOrigin(location, graphUrl) : 'an address it did not name';
		return new NodeApiError(node, { redirect: target, status: failure.status } as JsonObject, {
			message: `Microsoft Graph's answer was a redirect (HTTP ${failure.status}) to ${target}; the node follows no redirects`,
			description: `Nothing was sent there: the credential's token and the request stay with ${graphOrigin}. Check the credential's "Microsoft Cloud" (and "Custom Graph URL"), or the proxy in front of Graph.`,
			httpCode: String(failure.status),
			itemIndex,
		});
	};

	const waitedTooLong = (error: unknown, queuedAt: number, itemIndex: number | undefined) => {
		if (!(error instanceof PastDeadline))
			return new NodeOperationError(node, error as Error, { itemIndex });
		const waited = Math.round((time.now() - queuedAt) / 1000);
		const minutes = delivery.timeBudgetMs / 60_000;
		const reason =
			error.pausedUntil !== undefined
				? `Microsoft Graph asked to pause for ${Math.ceil((error.pausedUntil - time.now()) / 1000)} s more (Retry-After), past its time budget`
				: `its turn did not come within its time budget`;
		return new NodeOperationError(
			node,
			`The request was not sent: it waited ${waited} s for its turn to reach Microsoft Graph, and ${reason}`,
			{
				description: `${error.aheadWhenQueued} request(s) were ahead of it when it joined the queue that every execution using this credential shares. Raise ${timeBudgetSetting} (now ${minutes} min), or send fewer at once.`,
				itemIndex,
			},
		);
	};

	const failureError = (
		failure: AttemptFailure | undefined,
		caught: unknown,
		path: string,
		itemIndex: number | undefined,
		note?: string,
	) => {
		if (caught instanceof AppOnlySignInError) return signInError(node, caught, itemIndex);
		if (failure?.kind === 'http') {
			const details = readGraphError(failure.status, failure.data, failure.headers);
			const error = graphApiError(
				node,
				details,
				hintFor(details, path, authentication === 'appOnly'),
				itemIndex,
			);
			if (note) error.description = `${note} ${error.description ?? ''}`.trim();
			return error;
		}
		// No HTTP answer: a network failure, or n8n could not renew the token. Report only
		// what happened, never the HTTP client's request options (they hold the token).
		const source = caught as { message?: string; cause?: { message?: string } };
		const reason = failure?.message ?? source.cause?.message ?? source.message ?? 'no answer';
		const networkCode = failure?.code;
		// n8n replaces a message naming a network error code (ECONNREFUSED...) with its own wording.
		return new NodeApiError(
			node,
			{ failureText: reason, code: networkCode ?? null } as JsonObject,
			{
				message: `Request to Microsoft Graph failed: ${reason}`,
				description:
					[
						note,
						networkCode
							? `Check the credential's "Microsoft Cloud" (and "Custom Graph URL": ${baseUrl}) and that n8n can reach it.`
							: undefined,
					]
						.filter(Boolean)
						.join(' ') || undefined,
				itemIndex,
			},
		);
	};

	return {
		authentication,
		scope: `${graphOrigin} ${identity}`,
		maxRetries: delivery.maxRetries,
		async request<T>({
			method,
			path,
			apiVersion = 'beta',
			nextLink,
			qs,
			body,
			itemIndex,
		}: GraphRequest): Promise<T> {
			if (nextLink !== undefined && !sameOrigin(nextLink, baseUrl)) {
				throw new NodeOperationError(
					node,
					`Microsoft Graph's next-page link points to another host (${safeOrigin(nextLink)}); it was not followed, so the credential's token stays with ${safeOrigin(baseUrl)}`,
					{ itemIndex },
				);
			}
			const options: IHttpRequestOptions = {
				method,
				url: nextLink ?? `${graphUrl}/${apiVersion}${path}`,
				qs,
				body,
				headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
				json: true,
			};
			const lane = laneFor(budgetOf(method, path));
			const queuedAt = time.now();
			const deadline = queuedAt + delivery.timeBudgetMs;
			let retries = 0;
			let strayThrottles = 0;
			// A 429 or an unsent request did nothing; only an unknown outcome (a lost answer, a 5xx) may have.
			let earlierAttemptMayHaveActed = false;
			for (;;) {
				let release: () => void;
				try {
					release = await lane.acquire(deadline);
				} catch (error) {
					throw waitedTooLong(error, queuedAt, itemIndex);
				}
				let caught: unknown;
				let failure: AttemptFailure | undefined;
				const sentAt = time.now();
				try {
					const result = (
						delivery.batching && nextLink === undefined
							? await batcherFor(apiVersion).send({ method, url: withQuery(path, qs), body })
							: await send(options)
					) as T;
					lane.onAccepted(time.now() - sentAt);
					return result;
				} catch (error) {
					caught = error;
					failure = classifyFailure(error, time.now());
					if (failure && isThrottling(failure)) lane.onThrottled(retryAfterOf(failure) ?? 0);
					else if (failure?.kind === 'http') lane.onAccepted(time.now() - sentAt);
				} finally {
					release();
				}
				if (failure?.kind === 'http' && failure.status >= 300 && failure.status < 400)
					throw redirectError(failure, itemIndex);
				// A repeated DELETE that finds nothing: the earlier attempt did it.
				if (
					method === 'DELETE' &&
					earlierAttemptMayHaveActed &&
					failure?.kind === 'http' &&
					failure.status === 404
				)
					return undefined as T;
				if (failure && outcomeUnknown(failure)) earlierAttemptMayHaveActed = true;
				if (failure && method !== 'GET' && method !== 'DELETE' && outcomeUnknown(failure)) {
					const error = failureError(
						failure,
						caught,
						path,
						itemIndex,
						'Microsoft Graph may or may not have carried out this request.',
					);
					error.context.outcomeUnknown = true;
					throw error;
				}
				const retryAfter = failure ? retryAfterOf(failure) : undefined;
				if (failure && isThrottling(failure)) {
					// Throttling is Graph asking to come back later: the request keeps its place
					// (Retry-After holds the whole lane) and uses up time, not "Max Retries".
					if (retryAfter !== undefined && time.now() + retryAfter > deadline) {
						throw failureError(
							failure,
							caught,
							path,
							itemIndex,
							`Microsoft Graph asked to wait ${Math.ceil(retryAfter / 1000)} s (Retry-After), past this request's time budget (${timeBudgetSetting}), so it was not sent again.`,
						);
					}
					if (retryAfter !== undefined) continue;
					// A 429 without Retry-After: this request backs off; the lane only slows down.
					const wait = backoffMs(strayThrottles++);
					if (time.now() + wait > deadline)
						throw failureError(
							failure,
							caught,
							path,
							itemIndex,
							'Microsoft Graph kept throttling this request until its time budget ran out.',
						);
					await time.sleep(wait);
					continue;
				}
				const wait = retryAfter ?? backoffMs(retries);
				if (
					!failure ||
					!isRetryable(failure) ||
					retries >= delivery.maxRetries ||
					time.now() + wait > deadline
				) {
					const gaveUp =
						failure && isRetryable(failure) ? `Gave up after ${retries + 1} attempts.` : undefined;
					throw failureError(failure, caught, path, itemIndex, gaveUp);
				}
				retries++;
				await time.sleep(wait);
			}
		},
	};
}
