'use strict';
/**
 * The sandbox's Microsoft identity platform: the token endpoint and OpenID metadata of
 * `https://<host>/<tenant>`, enough for
 *  - n8n's OAuth2 credential renewing a delegated token (grant `refresh_token`), and
 *  - @azure/msal-node's client-credentials grant with a client secret or a certificate
 *    (`client_assertion`, verified against the registered certificate like Entra does).
 * Access tokens it issues are JWT-shaped (roles, tid, appid) and registered with the Graph
 * sandbox, which then accepts them. Errors use the identity platform's body and AADSTS codes.
 */
const crypto = require('node:crypto');

const GRAPH_APP_ROLE = 'OnlineMeetings.ReadWrite.All';

/** base64url of a certificate thumbprint, as in the x5t / x5t#S256 JWT headers. */
function thumbprint(pem, algorithm) {
	return crypto
		.createHash(algorithm)
		.update(new crypto.X509Certificate(pem).raw)
		.digest('base64url');
}

function decodeJwtPart(part) {
	try {
		return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
}

class SignInAuthority {
	/**
	 * @param {{ addToken: (token: string, info: object) => void, tenantId: string }} graph
	 */
	constructor(graph) {
		this._graph = graph;
		/** @type {Map<string, string>} refresh token -> access token issued for it */
		this.refreshTokens = new Map();
		/** @type {Map<string, any>} `${tenantId}|${clientId}` -> app registration */
		this.apps = new Map();
		this.tokenLifetimeSeconds = 3599;
		/** Token requests received (grant, client id, how the client authenticated, assertion header/claims). */
		this.requests = [];
		this._issued = 0;
	}

	/**
	 * An app registration with its credentials, as an admin would set it up in Entra.
	 * @param {{ clientId: string, tenantId?: string, clientSecret?: string,
	 *   certificates?: Array<{ pem: string, endDateTime?: string }>, consented?: boolean,
	 *   accessPolicy?: boolean, servicePrincipalId?: string }} app
	 */
	registerApp(app) {
		const tenantId = app.tenantId ?? this._graph.tenantId;
		this.apps.set(`${tenantId.toLowerCase()}|${app.clientId}`, {
			consented: true,
			accessPolicy: true,
			servicePrincipalId: crypto.randomUUID(),
			certificates: [],
			...app,
			tenantId,
		});
	}

	reset() {
		this.requests.length = 0;
	}

	/** Handles `POST /<tenant>/oauth2/v2.0/token` and the metadata document; undefined for other paths. */
	handle(ctx, authorityUrl) {
		const match =
			/^\/([^/]+)\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration)$/.exec(
				ctx.rawPath,
			);
		if (!match) return undefined;
		const tenant = decodeURIComponent(match[1]);
		if (match[2].startsWith('v2.0')) return this._metadata(authorityUrl, tenant);
		if (ctx.method !== 'POST') return undefined;
		const form = new URLSearchParams(ctx.rawBody);
		const grant = form.get('grant_type');
		if (grant === 'refresh_token') return this._refresh(ctx, form);
		if (grant === 'client_credentials')
			return this._clientCredentials(
				ctx,
				form,
				tenant,
				`${authorityUrl}/${match[1]}/oauth2/v2.0/token`,
			);
		return this._error(
			ctx,
			400,
			'unsupported_grant_type',
			70003,
			`The app requested an unsupported grant type '${grant}'.`,
		);
	}

	_metadata(authorityUrl, tenant) {
		const base = `${authorityUrl}/${encodeURIComponent(tenant)}`;
		return {
			status: 200,
			headers: {},
			body: {
				token_endpoint: `${base}/oauth2/v2.0/token`,
				authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
				issuer: `${base}/v2.0`,
				jwks_uri: `${base}/discovery/v2.0/keys`,
				response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
				token_endpoint_auth_methods_supported: [
					'client_secret_post',
					'private_key_jwt',
					'client_secret_basic',
				],
			},
		};
	}

	_refresh(ctx, form) {
		const accessToken = this.refreshTokens.get(form.get('refresh_token') ?? '');
		this.requests.push({ grant: 'refresh_token', clientId: form.get('client_id') });
		if (accessToken === undefined) {
			return this._error(
				ctx,
				400,
				'invalid_grant',
				70000,
				'The provided value for the refresh_token is not valid.',
			);
		}
		return {
			status: 200,
			headers: {},
			body: {
				token_type: 'Bearer',
				scope: form.get('scope') ?? '',
				expires_in: 3599,
				ext_expires_in: 3599,
				access_token: accessToken,
				refresh_token: form.get('refresh_token'),
			},
		};
	}

	_clientCredentials(ctx, form, tenant, tokenEndpoint) {
		const clientId = form.get('client_id') ?? '';
		const scope = form.get('scope') ?? '';
		const assertion = form.get('client_assertion');
		const record = {
			grant: 'client_credentials',
			clientId,
			tenant,
			scope,
			authenticatedWith: assertion ? 'certificate' : form.has('client_secret') ? 'secret' : 'none',
			assertion: undefined,
		};
		this.requests.push(record);

		const knownTenant = [...this.apps.values()].some(
			(app) => app.tenantId.toLowerCase() === tenant.toLowerCase(),
		);
		if (!knownTenant) {
			return this._error(
				ctx,
				400,
				'invalid_tenant',
				90002,
				`Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
			);
		}
		const app = this.apps.get(`${tenant.toLowerCase()}|${clientId}`);
		if (!app) {
			return this._error(
				ctx,
				400,
				'unauthorized_client',
				700016,
				`Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
			);
		}
		if (!/\/\.default$/.test(scope)) {
			return this._error(
				ctx,
				400,
				'invalid_scope',
				1002012,
				`The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
			);
		}
		if (assertion) {
			const failure = this._checkAssertion(app, assertion, tokenEndpoint, record);
			if (failure) return this._error(ctx, 401, 'invalid_client', failure.code, failure.message);
		} else if (!app.clientSecret || form.get('client_secret') !== app.clientSecret) {
			return this._error(
				ctx,
				401,
				'invalid_client',
				7000215,
				`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
			);
		}
		return { status: 200, headers: {}, body: this._issue(app, scope) };
	}

	/** Entra's checks of a private_key_jwt assertion: known key, valid signature, audience, issuer, time. */
	_checkAssertion(app, assertion, tokenEndpoint, record) {
		const [headerPart, payloadPart, signaturePart] = assertion.split('.');
		const header = decodeJwtPart(headerPart ?? '');
		const claims = decodeJwtPart(payloadPart ?? '');
		record.assertion = {
			header,
			claims,
			signedData: `${headerPart}.${payloadPart}`,
			signature: signaturePart,
		};
		if (!header || !claims || !signaturePart)
			return { code: 50027, message: 'JWT token is invalid or malformed.' };
		const byS256 = header['x5t#S256'];
		const certificate = app.certificates.find((c) =>
			byS256 ? thumbprint(c.pem, 'sha256') === byS256 : thumbprint(c.pem, 'sha1') === header.x5t,
		);
		if (!certificate) {
			return {
				code: 700027,
				message: `Client assertion failed signature validation. Reason - The key was not found., Thumbprint of key used by client: '${byS256 ?? header.x5t}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.`,
			};
		}
		if (certificate.endDateTime && Date.parse(certificate.endDateTime) < Date.now()) {
			return {
				code: 700027,
				message: `The certificate with identifier used to sign the client assertion is expired on application. [Reason - The key used is expired., Thumbprint of key used by client: '${byS256 ?? header.x5t}', Found key 'Start=..., End=${certificate.endDateTime}']`,
			};
		}
		const publicKey = new crypto.X509Certificate(certificate.pem).publicKey;
		const signedData = Buffer.from(`${headerPart}.${payloadPart}`);
		const signature = Buffer.from(signaturePart, 'base64url');
		const valid =
			header.alg === 'PS256'
				? crypto.verify(
						'sha256',
						signedData,
						{ key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
						signature,
					)
				: header.alg === 'RS256' && crypto.verify('sha256', signedData, publicKey, signature);
		if (!valid) return { code: 700027, message: 'Client assertion failed signature validation.' };
		if (claims.aud !== tokenEndpoint)
			return {
				code: 700212,
				message: `No matching federated identity record found for presented assertion audience '${claims.aud}'.`,
			};
		if (claims.iss !== app.clientId || claims.sub !== app.clientId)
			return {
				code: 700021,
				message: "Client assertion application identifier doesn't match 'client_id' parameter.",
			};
		const now = Math.floor(Date.now() / 1000);
		if (!(claims.exp > now) || (claims.nbf !== undefined && claims.nbf > now + 300)) {
			return { code: 700024, message: 'Client assertion is not within its valid time range.' };
		}
		return undefined;
	}

	/** A JWT-shaped access token for Graph, registered with the Graph sandbox. */
	_issue(app, scope) {
		const audience = scope.replace(/\/\.default$/, '');
		const now = Math.floor(Date.now() / 1000);
		const claims = {
			aud: audience,
			iss: `https://sts.windows.net/${app.tenantId}/`,
			iat: now,
			nbf: now,
			exp: now + this.tokenLifetimeSeconds,
			appid: app.clientId,
			tid: app.tenantId,
			oid: app.servicePrincipalId,
			idtyp: 'app',
			seq: ++this._issued,
			...(app.consented ? { roles: [GRAPH_APP_ROLE] } : {}),
		};
		const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const unsigned = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode(claims)}`;
		const token = `${unsigned}.${crypto.createHmac('sha256', 'sandbox').update(unsigned).digest('base64url')}`;
		this._graph.addToken(token, {
			kind: 'application',
			userId: app.servicePrincipalId,
			tenantId: app.tenantId,
			missingPermission: !app.consented,
			noAccessPolicy: !app.accessPolicy,
		});
		return {
			token_type: 'Bearer',
			expires_in: this.tokenLifetimeSeconds,
			ext_expires_in: this.tokenLifetimeSeconds,
			access_token: token,
		};
	}

	_error(ctx, status, error, code, description) {
		return {
			status,
			headers: {},
			body: {
				error,
				error_description: `AADSTS${code}: ${description} Trace ID: ${ctx.requestId} Correlation ID: ${ctx.clientRequestId} Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
				error_codes: [code],
				timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
				trace_id: ctx.requestId,
				correlation_id: ctx.clientRequestId,
			},
		};
	}
}

module.exports = { SignInAuthority, thumbprint, GRAPH_APP_ROLE };
