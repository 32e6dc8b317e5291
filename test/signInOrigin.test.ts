/**
 * App-only sign-in sends the client secret to the credential's authority and nowhere else: a
 * custom authority that redirects the token request, or whose metadata names a token endpoint
 * on another origin (https, so only the origin tells), gets a sign-in error, and the other
 * origin receives nothing. An answer that is not JSON is said as such, every time.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { acquireAppOnlyToken } from '../nodes/MicrosoftTeamsRegistration/transport/appOnlyToken';

const tls = (name: string) => readFileSync(path.join(__dirname, 'fixtures/tls', name), 'utf8');
const CLIENT_SECRET = 'only-for-the-authority~secret';
const certificate = { key: tls('authority-key.pem'), cert: tls('authority.pem') };
const HINT =
	'Check "Microsoft Cloud" (and "Custom Authority URL") in the credential: the sign-in stays on the https origin of the authority.';

type Misdirection = 'redirect' | 'foreign token endpoint' | 'error page';

async function listen(server: https.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

/** Signs in against an authority that misdirects the token request; returns the error and what the other origin received. */
async function signInThrough(misdirection: Misdirection) {
	const received: string[] = [];
	const elsewhere = https.createServer(certificate, (request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString()));
		request.on('end', () => {
			received.push(`${request.method} ${request.url} ${body}`);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ access_token: 'x', token_type: 'Bearer', expires_in: 3599 }));
		});
	});
	const elsewhereUrl = `https://127.0.0.1:${await listen(elsewhere)}`;
	let authorityPort = 0;
	let tokenRequests = 0;
	const authority = https.createServer(certificate, (request, response) => {
		const tenant = `https://127.0.0.1:${authorityPort}/tenant-1`;
		if (request.method === 'POST') tokenRequests++;
		if (request.method === 'POST' && misdirection === 'error page') {
			response.writeHead(502, { 'content-type': 'text/html' });
			response.end('<html><body>Bad gateway</body></html>');
			return;
		}
		if (request.method === 'POST') {
			response.writeHead(307, { location: `${elsewhereUrl}/collect` });
			response.end();
			return;
		}
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(
			JSON.stringify({
				token_endpoint:
					misdirection === 'foreign token endpoint'
						? `${elsewhereUrl}/collect`
						: `${tenant}/oauth2/v2.0/token`,
				authorization_endpoint: `${tenant}/oauth2/v2.0/authorize`,
				issuer: `${tenant}/v2.0`,
				jwks_uri: `${tenant}/discovery/v2.0/keys`,
			}),
		);
	});
	authorityPort = await listen(authority);
	const signIn = async () =>
		await acquireAppOnlyToken(`misdirected-${misdirection}`, {
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
	try {
		const errors = [await signIn(), await signIn()];
		return { error: errors[0], again: errors[1], received, elsewhereUrl, tokenRequests };
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

test('an answer that is not JSON (a gateway error page) is said as such, every time, and sent again', async () => {
	const { error, again, tokenRequests } = await signInThrough('error page');
	expect(tokenRequests).toBe(2);
	for (const failure of [error, again]) {
		expect(failure?.message).toBe(
			'Sign-in failed: the authority answered HTTP 502 without a readable answer',
		);
		expect(failure?.hint).toBe(
			'Check "Microsoft Cloud" (and "Custom Authority URL") in the credential, and any proxy between n8n and the authority; then try again.',
		);
	}
});
