import { createHash, createPrivateKey } from 'node:crypto';

import { AuthError, ConfidentialClientApplication } from '@azure/msal-node';
import type { Configuration, INetworkModule, NetworkRequestOptions } from '@azure/msal-node';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { GRAPH_CLOUDS, graphBaseUrl } from '../../../credentials/microsoftGraphClouds';

/** The app permission external registration needs; read from the token's `roles` claim. */
export const APP_PERMISSION = 'OnlineMeetings.ReadWrite.All';
/** The app permission webinar registration needs. */
export const WEBINAR_APP_PERMISSION = 'VirtualEventRegistration-Anon.ReadWrite.All';

/** Why a token could not be had, in plain words; never holds a secret, key or assertion. */
export class AppOnlySignInError extends Error {
	constructor(
		message: string,
		readonly hint: string,
		readonly aadsts?: string,
	) {
		super(message);
		this.name = 'AppOnlySignInError';
	}
}

export interface AppOnlyToken {
	accessToken: string;
	expiresOn: number;
}

interface AppOnlySettings {
	authority: string;
	knownAuthorities: string[];
	scope: string;
	configuration: Configuration;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function authorityBase(credentials: ICredentialDataDecryptedObject): string {
	const cloud = credentials.graphCloud as keyof typeof GRAPH_CLOUDS | 'custom';
	if (cloud === 'custom') return text(credentials.customAuthorityUrl).replace(/\/+$/, '');
	return (GRAPH_CLOUDS[cloud] ?? GRAPH_CLOUDS.global).authorityUrl;
}

/** An encrypted key is opened here, so MSAL only ever sees a plain PKCS#8 PEM. */
function privateKeyPem(credentials: ICredentialDataDecryptedObject): string {
	const passphrase = text(credentials.privateKeyPassphrase);
	let pem: string | undefined;
	try {
		pem = createPrivateKey({
			key: String(credentials.privateKey ?? ''),
			format: 'pem',
			...(passphrase ? { passphrase } : {}),
		})
			.export({ format: 'pem', type: 'pkcs8' })
			.toString();
	} catch {
		pem = undefined;
	}
	if (pem === undefined) {
		throw new AppOnlySignInError(
			'The private key could not be read',
			passphrase
				? 'Check that "Private Key" is the PEM key of the certificate and that the passphrase is right.'
				: 'Check that "Private Key" is the PEM key of the certificate; an encrypted key needs its passphrase.',
		);
	}
	return pem;
}

/** MSAL passes on its own error type from a network client as it is; anything else becomes a bare "network_error". */
const SIGN_IN_REFUSED = 'sign_in_refused';
const SIGN_IN_UNREADABLE = 'sign_in_unreadable';

function jsonOf(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * MSAL's HTTP, so that the secret or the signed assertion goes nowhere else: https only, no
 * redirect followed (a 307 would resend the form with the secret to wherever it points), and
 * with a custom authority only to the authority's own origin (MSAL takes the token endpoint
 * from the authority's metadata as given).
 */
function signInNetwork(onlyOrigin: string | undefined): INetworkModule {
	const send = async <T>(
		method: 'GET' | 'POST',
		url: string,
		options: NetworkRequestOptions | undefined,
		timeoutMs?: number,
	) => {
		const target = new URL(url);
		if (target.protocol !== 'https:' || (onlyOrigin !== undefined && target.origin !== onlyOrigin))
			throw new AuthError(
				SIGN_IN_REFUSED,
				'',
				`the authority pointed the sign-in to another address (${target.protocol}//${target.host}); nothing was sent there`,
			);
		const response = await fetch(target, {
			method,
			headers: options?.headers,
			body: method === 'POST' ? (options?.body ?? '') : undefined,
			redirect: 'manual',
			signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
		});
		if (response.status >= 300 && response.status < 400)
			throw new AuthError(
				SIGN_IN_REFUSED,
				'',
				`the authority answered with a redirect (HTTP ${response.status}); it was not followed`,
			);
		// Not JSON (a proxy's error page, an empty answer): said as such, as MSAL's own client
		// does, rather than handed to MSAL as an empty answer it would take for a throttle.
		const body = jsonOf(await response.text());
		if (body === undefined)
			throw new AuthError(
				SIGN_IN_UNREADABLE,
				'',
				`the authority answered HTTP ${response.status} without a readable answer`,
			);
		return {
			headers: Object.fromEntries(response.headers),
			body: body as T,
			status: response.status,
		};
	};
	return {
		sendGetRequestAsync: async (url, options, timeout) => await send('GET', url, options, timeout),
		sendPostRequestAsync: async (url, options) => await send('POST', url, options),
	};
}

function settingsFor(credentials: ICredentialDataDecryptedObject): AppOnlySettings {
	const tenantId = text(credentials.tenantId);
	const clientId = text(credentials.clientId);
	if (!tenantId || !clientId) {
		throw new AppOnlySignInError(
			'The credential has no Tenant ID or Client ID',
			'Fill in both in the credential.',
		);
	}
	const base = authorityBase(credentials);
	if (!/^https:\/\//i.test(base)) {
		throw new AppOnlySignInError(
			'The sign-in authority must be an https:// URL',
			'Check "Custom Authority URL" in the credential.',
		);
	}
	const authority = `${base}/${encodeURIComponent(tenantId)}`;
	const auth: Configuration['auth'] = { clientId, authority };
	// A custom authority is trusted as given instead of being checked against Microsoft's instance discovery.
	const knownAuthorities = credentials.graphCloud === 'custom' ? [new URL(base).host] : [];
	if (knownAuthorities.length) auth.knownAuthorities = knownAuthorities;
	if (credentials.authMethod === 'certificate') {
		const thumbprint = text(credentials.certificateThumbprint).replace(/[\s:]/g, '').toLowerCase();
		if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(thumbprint)) {
			throw new AppOnlySignInError(
				'The certificate thumbprint is not a SHA-256 (64 hex characters) or SHA-1 (40 hex characters) thumbprint',
				'Copy the thumbprint from the app registration\'s "Certificates & secrets" page.',
			);
		}
		const privateKey = privateKeyPem(credentials);
		auth.clientCertificate =
			thumbprint.length === 64
				? { thumbprintSha256: thumbprint, privateKey }
				: { thumbprint, privateKey };
	} else {
		const clientSecret = text(credentials.clientSecret);
		if (!clientSecret)
			throw new AppOnlySignInError(
				'The credential has no client secret',
				'Fill in "Client Secret".',
			);
		auth.clientSecret = clientSecret;
	}
	const scope = `${graphBaseUrl(credentials.graphCloud, credentials.customGraphUrl)}/.default`;
	// MSAL's logger stays off: its messages are not ours to vet for secrets.
	return {
		authority,
		knownAuthorities,
		scope,
		configuration: {
			auth,
			system: {
				networkClient: signInNetwork(
					credentials.graphCloud === 'custom' ? new URL(base).origin : undefined,
				),
				loggerOptions: { piiLoggingEnabled: false, logLevel: 0, loggerCallback: () => {} },
			},
		},
	};
}

/** Translates MSAL's and Entra's failures (AADSTS codes) into what to check. */
function explain(error: unknown): AppOnlySignInError {
	if (error instanceof AppOnlySignInError) return error;
	const failure = (error ?? {}) as { errorCode?: string; errorMessage?: string; message?: string };
	const detail = failure.errorMessage ?? failure.message ?? String(error);
	// MSAL wraps Entra's answer ("Error(s): ... - Description: AADSTS90002: ... Trace ID: ..."); keep Entra's sentence.
	const aadsts = /AADSTS(\d+)/.exec(detail)?.[1];
	const firstSentence = (
		/AADSTS\d+:[^\r\n]*?(?= Trace ID:|\r?\n|$)/.exec(detail)?.[0] ?? detail.split(/\r?\n/)[0]
	).trim();
	const known: Record<string, string> = {
		'90002':
			'The tenant was not found: check "Tenant ID" and that "Microsoft Cloud" is your tenant\'s cloud.',
		'900023': 'The tenant ID is not valid: use the directory (tenant) ID or a verified domain.',
		'700016':
			'The app was not found in this tenant: check "Client ID" and "Tenant ID" (and the cloud).',
		'7000215': "The client secret is wrong: use the secret's value, not its ID.",
		'7000222': 'The client secret has expired: create a new one in the app registration.',
		'700027': /expired/i.test(detail)
			? 'The certificate registered on the app has expired: upload a new certificate and update the credential.'
			: 'The certificate does not match the app registration: check the thumbprint and that this certificate is uploaded to the app.',
		'700024': "The client assertion is outside its valid time range: check the n8n server's clock.",
		'1002012': 'The scope is not valid for the client-credentials grant.',
	};
	if (failure.errorCode === SIGN_IN_UNREADABLE)
		return new AppOnlySignInError(
			`Sign-in failed: ${failure.errorMessage}`,
			'Check "Microsoft Cloud" (and "Custom Authority URL") in the credential, and any proxy between n8n and the authority; then try again.',
		);
	if (failure.errorCode === SIGN_IN_REFUSED)
		return new AppOnlySignInError(
			`Sign-in failed: ${failure.errorMessage}`,
			'Check "Microsoft Cloud" (and "Custom Authority URL") in the credential: the sign-in stays on the https origin of the authority.',
		);
	if (aadsts && known[aadsts])
		return new AppOnlySignInError(`Sign-in failed: ${firstSentence}`, known[aadsts], aadsts);
	if (
		failure.errorCode === 'endpoints_resolution_error' ||
		/network|ECONN|ENOTFOUND|certificate/i.test(detail)
	) {
		return new AppOnlySignInError(
			`Sign-in failed: the authority could not be reached (${failure.errorCode ?? 'network error'})`,
			'Check "Microsoft Cloud" (and "Custom Authority URL"), that n8n can reach it over HTTPS, and that its TLS certificate is trusted.',
		);
	}
	return new AppOnlySignInError(
		`Sign-in failed: ${firstSentence}`,
		"Check the credential's tenant, client ID and secret or certificate.",
		aadsts,
	);
}

/** The `roles` claim of an access token, read without verifying it (Graph verifies). */
export function tokenRoles(accessToken: string): string[] {
	try {
		const claims = JSON.parse(
			Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
		) as { roles?: unknown };
		return Array.isArray(claims.roles) ? claims.roles.map(String) : [];
	} catch {
		return [];
	}
}

interface CachedClient {
	fingerprint: string;
	client: ConfidentialClientApplication;
	scope: string;
}

/**
 * One MSAL client per credential for the life of the process (its token cache is the
 * point). Keyed by credential id; a changed credential (other fingerprint) gets a new one.
 */
const clients = new Map<string, CachedClient>();

function fingerprintOf(credentials: ICredentialDataDecryptedObject): string {
	const fields = [
		'graphCloud',
		'customGraphUrl',
		'customAuthorityUrl',
		'tenantId',
		'clientId',
		'authMethod',
		'clientSecret',
		'privateKey',
		'privateKeyPassphrase',
		'certificateThumbprint',
	];
	return createHash('sha256')
		.update(JSON.stringify(fields.map((field) => credentials[field] ?? null)))
		.digest('hex');
}

function clientFor(
	credentialKey: string | undefined,
	credentials: ICredentialDataDecryptedObject,
): CachedClient {
	const fingerprint = fingerprintOf(credentials);
	const key = credentialKey ?? `anonymous:${fingerprint}`;
	const cached = clients.get(key);
	if (cached?.fingerprint === fingerprint) return cached;
	const settings = settingsFor(credentials);
	const entry = {
		fingerprint,
		client: new ConfidentialClientApplication(settings.configuration),
		scope: settings.scope,
	};
	clients.set(key, entry);
	return entry;
}

/** A token for Graph; `renew` skips MSAL's cache (after Graph answered 401). */
export async function acquireAppOnlyToken(
	credentialKey: string | undefined,
	credentials: ICredentialDataDecryptedObject,
	renew = false,
): Promise<AppOnlyToken> {
	try {
		const { client, scope } = clientFor(credentialKey, credentials);
		const result = await client.acquireTokenByClientCredential({
			scopes: [scope],
			skipCache: renew,
		});
		if (!result?.accessToken)
			throw new AppOnlySignInError(
				'Sign-in returned no access token',
				'Try again; if it persists, check the app registration.',
			);
		return {
			accessToken: result.accessToken,
			expiresOn: result.expiresOn?.getTime() ?? Date.now(),
		};
	} catch (error) {
		throw explain(error);
	}
}
