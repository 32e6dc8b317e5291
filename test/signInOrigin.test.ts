/**
 * App-only sign-in sends the client secret to the credential's authority and nowhere else: a
 * custom authority that redirects the token request, or whose metadata names a token endpoint
 * on another origin, gets a sign-in error, and the other origin receives nothing.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { acquireAppOnlyToken } from '../nodes/MicrosoftTeamsRegistration/transport/appOnlyToken';

const tls = (name: string) => readFileSync(path.join(__dirname, 'fixtures/tls', name), 'utf8');
const CLIENT_SECRET = 'only-for-the-authority~secret';
const HINT =
	'Check "Microsoft Cloud" (and "Custom Authority URL") in the credential: the sign-in stays on the https origin of the authority.';

type Misdirection = 'redirect' | 'foreign token endpoint';

async function listen(server: http.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

/** Signs in against an authority that misdirects the token request; returns the error and what the other origin received. */
async function signInThrough(misdirection: Misdirection) {
	const received: string[] = [];
	const elsewhere = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString()));
		request.on('end', () => {
			received.push(`${request.method} ${request.url} ${body}`);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ access_token: 'x', token_type: 'Bearer', expires_in: 3599 }));
		});
	});
	const elsewhereUrl = `http://127.0.0.1:${await listen(elsewhere)}`;
	let authorityPort = 0;
	const authority = https.createServer(
		{ key: tls('authority-key.pem'), cert: tls('authority.pem') },
		(request, response) => {
			const tenant = `https://127.0.0.1:${authorityPort}/tenant-1`;
			if (request.method === 'POST') {
				response.writeHead(307, { location: `${elsewhereUrl}/collect` });
				response.end();
				return;
			}
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(
				JSON.stringify({
					token_endpoint:
						misdirection === 'redirect' ? `${tenant}/oauth2/v2.0/token` : `${elsewhereUrl}/collect`,
					authorization_endpoint: `${tenant}/oauth2/v2.0/authorize`,
					issuer: `${tenant}/v2.0`,
					jwks_uri: `${tenant}/discovery/v2.0/keys`,
				}),
			);
		},
	);
	authorityPort = await listen(authority);
	try {
		const error = await acquireAppOnlyToken(`misdirected-${misdirection}`, {
			graphCloud: 'custom',
			customGraphUrl: 'https://graph.example.test',
			customAuthorityUrl: `https://127.0.0.1:${authorityPort}`,
			tenantId: 'tenant-1',
			clientId: 'client-1',
			authMethod: 'clientSecret',
			clientSecret: CLIENT_SECRET,
		}).then(
			() => undefined,
			(failure: Error & { hint?: string }) => failure,
		);
		return { error, received, elsewhereUrl };
	} finally {
		await new Promise((resolve) => authority.close(resolve));
		await new Promise((resolve) => elsewhere.close(resolve));
	}
}

test('a redirect of the token request is not followed: the secret stays with the authority', async () => {
	const { error, received } = await signInThrough('redirect');
	expect(received).toEqual([]);
	expect(error?.message).toBe(
		'Sign-in failed: the authority answered with a redirect (HTTP 307); it was not followed',
	);
	expect(error?.hint).toBe(HINT);
	expect(`${error?.message} ${error?.hint}`).not.toContain(CLIENT_SECRET);
});

test("a token endpoint on another origin in the authority's metadata gets nothing", async () => {
	const { error, received, elsewhereUrl } = await signInThrough('foreign token endpoint');
	expect(received).toEqual([]);
	expect(error?.message).toBe(
		`Sign-in failed: the authority pointed the sign-in to another address (${elsewhereUrl}); nothing was sent there`,
	);
	expect(error?.hint).toBe(HINT);
});
