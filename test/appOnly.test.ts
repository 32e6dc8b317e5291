import { X509Certificate, createHash, verify, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { loadPackage, runWorkflow, workflowFromNodes } from './harness';
import {
	APP_ONLY_CREDENTIAL,
	DEFAULT_DELEGATED_TOKEN,
	NODE_NAME,
	NODE_TYPE,
	OAUTH2_CREDENTIAL,
	PACKAGE_DIR,
	byId,
	runNode,
	sandboxCredential,
	startGraphSandbox,
} from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { sandboxFixture } from './support/sandboxFixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const {
	DEFAULT_TENANT_ID,
	DEFAULT_ORGANIZER_ID,
	DEFAULT_ORGANIZER_UPN,
} = require('../sandbox/graph-sandbox');

const TLS_DIR = path.join(__dirname, 'fixtures/tls');
const tls = (name: string) => readFileSync(path.join(TLS_DIR, name), 'utf8');
const APP_CERT = tls('app-cert.pem');
const APP_KEY = tls('app-key.pem');
const APP_KEY_ENCRYPTED = tls('app-key-encrypted.pem');
const thumbprintHex = (algorithm: 'sha1' | 'sha256') =>
	createHash(algorithm).update(new X509Certificate(APP_CERT).raw).digest('hex');

const CLIENT_ID = '5b4f2c1e-1111-4c4c-8888-0a0b0c0d0e0f';
const CLIENT_SECRET = 'sandbox-app-secret~value';
const MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';

let sandbox: GraphSandbox;
let credentialSerial = 0;

sandboxFixture({
	start: async () => {
		if (!process.env.NODE_EXTRA_CA_CERTS) {
			throw new Error(
				'Run through `npm test`: MSAL must trust the sandbox authority (NODE_EXTRA_CA_CERTS=test/fixtures/tls/ca.pem)',
			);
		}
		return await startGraphSandbox({
			tls: { key: tls('authority-key.pem'), cert: tls('authority.pem') },
		});
	},
	prepare: (fresh) => {
		fresh.authority.tokenLifetimeSeconds = 3599;
		fresh.authority.registerApp({
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			certificates: [{ pem: APP_CERT }],
		});
		fresh.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' });
	},
	use: (fresh) => {
		sandbox = fresh;
	},
});

function appOnlyCredential(overrides: Record<string, unknown> = {}) {
	return {
		[APP_ONLY_CREDENTIAL]: {
			graphCloud: 'custom',
			customGraphUrl: sandbox.url,
			customAuthorityUrl: sandbox.authorityUrl,
			tenantId: DEFAULT_TENANT_ID,
			clientId: CLIENT_ID,
			authMethod: 'clientSecret',
			clientSecret: CLIENT_SECRET,
			...overrides,
		},
	};
}

function enrollAsApp(organizer: string, overrides: Record<string, unknown> = {}) {
	return {
		authentication: 'appOnly',
		organizer,
		resource: 'registrant',
		operation: 'enroll',
		meeting: byId(MEETING_ID),
		registrationMode: 'everyone',
		externalId: '={{ $json.externalId }}',
		...overrides,
	};
}

/** A fresh credential id per run unless shared on purpose: MSAL clients live per credential id for the process. */
function freshCredentialId() {
	credentialSerial += 1;
	return `app-cred-${credentialSerial}`;
}

const tokenRequests = () =>
	sandbox.authority.requests.filter((r: { grant: string }) => r.grant === 'client_credentials');
const graphRequests = () =>
	sandbox.requests.filter((r: { rawPath: string }) => r.rawPath.startsWith('/beta/'));
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ externalId: `attendee-${i}` }));

describe('client secret', () => {
	test("MSAL's client-credentials request, then the token on /users/{organizer}/... with the contract's body", async () => {
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});

		expect(run.status).toBe('success');
		expect(tokenRequests()).toEqual([
			expect.objectContaining({
				clientId: CLIENT_ID,
				tenant: DEFAULT_TENANT_ID,
				scope: `${sandbox.url}/.default`,
				authenticatedWith: 'secret',
			}),
		]);
		const [request] = graphRequests();
		expect(request.method).toBe('POST');
		expect(request.rawPath).toBe(
			`/beta/users/${DEFAULT_ORGANIZER_ID}/onlineMeetings/${MEETING_ID}/registration/registrants`,
		);
		expect(request.rawBody).toBe(
			'{"@odata.type":"#microsoft.graph.externalMeetingRegistrant","id":"attendee-0"}',
		);
		const bearer = String(request.headers.authorization);
		expect(bearer).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
		const claims = JSON.parse(
			Buffer.from(bearer.split(' ')[1].split('.')[1], 'base64url').toString(),
		);
		expect(claims).toMatchObject({
			appid: CLIENT_ID,
			tid: DEFAULT_TENANT_ID,
			roles: ['OnlineMeetings.ReadWrite.All'],
		});
		expect(run.outputOf(NODE_NAME)[0]).toMatchObject({
			json: { id: 'attendee-0', meetingId: MEETING_ID },
			pairedItem: { item: 0 },
		});
	});

	test('an organizer given by user principal name is resolved once per execution', async () => {
		const run = await runNode(sandbox, {
			parameters: enrollAsApp('={{ $json.organizer }}'),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(4).map((item) => ({ ...item, organizer: DEFAULT_ORGANIZER_UPN })),
		});

		expect(run.status).toBe('success');
		const lookups = graphRequests().filter((r: { method: string }) => r.method === 'GET');
		expect(lookups).toHaveLength(1);
		expect(lookups[0].rawPath).toBe(`/beta/users/${encodeURIComponent(DEFAULT_ORGANIZER_UPN)}`);
		expect(lookups[0].query).toEqual({ $select: 'id' });
		const posts = graphRequests().filter((r: { method: string }) => r.method === 'POST');
		expect(posts.map((r: { rawPath: string }) => r.rawPath)).toEqual(
			Array(4).fill(
				`/beta/users/${DEFAULT_ORGANIZER_ID}/onlineMeetings/${MEETING_ID}/registration/registrants`,
			),
		);
	});

	test('an organizer that is neither a GUID nor a user principal name is refused before any request', async () => {
		const run = await runNode(sandbox, {
			parameters: enrollAsApp('Jane Organizer'),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(
			'Item 0: "Organizer" must be the organizer\'s object ID (a GUID) or user principal name (name@domain), not "Jane Organizer"',
		);
		expect(sandbox.requests).toHaveLength(0);
		expect(tokenRequests()).toHaveLength(0);
	});
});

describe('certificate', () => {
	function assertionOf(request: {
		assertion: {
			header: Record<string, string>;
			claims: Record<string, unknown>;
			signedData: string;
			signature: string;
		};
	}) {
		return request.assertion;
	}

	test("SHA-256 thumbprint: a PS256 client assertion naming x5t#S256, signed by the certificate's key", async () => {
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential({
				authMethod: 'certificate',
				privateKey: APP_KEY,
				certificateThumbprint: thumbprintHex('sha256').toUpperCase(),
			}),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});

		expect(run.status).toBe('success');
		const [request] = tokenRequests();
		expect(request.authenticatedWith).toBe('certificate');
		const { header, claims, signedData, signature } = assertionOf(request);
		expect(header).toMatchObject({
			alg: 'PS256',
			'x5t#S256': createHash('sha256')
				.update(new X509Certificate(APP_CERT).raw)
				.digest('base64url'),
		});
		expect(claims).toMatchObject({
			aud: `${sandbox.authorityUrl}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
			iss: CLIENT_ID,
			sub: CLIENT_ID,
		});
		const publicKey = new X509Certificate(APP_CERT).publicKey;
		expect(
			verify(
				'sha256',
				Buffer.from(signedData),
				{ key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
				Buffer.from(signature, 'base64url'),
			),
		).toBe(true);
	});

	test('SHA-1 thumbprint (older registrations): RS256 with x5t; an encrypted key with its passphrase', async () => {
		const sha1 = thumbprintHex('sha1');
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential({
				authMethod: 'certificate',
				privateKey: APP_KEY_ENCRYPTED,
				privateKeyPassphrase: 'test-passphrase',
				certificateThumbprint: sha1.match(/../g)!.join(':'),
			}),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});

		expect(run.status).toBe('success');
		const { header, signedData, signature } = assertionOf(tokenRequests()[0]);
		expect(header).toMatchObject({
			alg: 'RS256',
			x5t: Buffer.from(sha1, 'hex').toString('base64url'),
		});
		expect(
			verify(
				'sha256',
				Buffer.from(signedData),
				new X509Certificate(APP_CERT).publicKey,
				Buffer.from(signature, 'base64url'),
			),
		).toBe(true);
	});

	test('a wrong passphrase is reported before any token request', async () => {
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential({
				authMethod: 'certificate',
				privateKey: APP_KEY_ENCRYPTED,
				privateKeyPassphrase: 'wrong',
				certificateThumbprint: thumbprintHex('sha256'),
			}),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});
		expect(run.error?.message).toBe('The private key could not be read');
		expect(run.error?.description).toBe(
			'Check that "Private Key" is the PEM key of the certificate and that the passphrase is right.',
		);
		expect(tokenRequests()).toHaveLength(0);
	});
});

describe('token cache', () => {
	test('N items and two executions with one credential: one token request', async () => {
		const credentialId = freshCredentialId();
		for (let execution = 0; execution < 2; execution++) {
			const run = await runNode(sandbox, {
				parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
				credentials: appOnlyCredential(),
				appOnlyCredentialId: credentialId,
				inputItems: items(5),
			});
			expect(run.status).toBe('success');
		}
		expect(graphRequests()).toHaveLength(10);
		expect(tokenRequests()).toHaveLength(1);
	});

	test('a changed credential gets a new client; another credential never shares a token', async () => {
		const credentialId = freshCredentialId();
		await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: credentialId,
			inputItems: items(1),
		});
		sandbox.authority.registerApp({ clientId: 'other-app', clientSecret: 'other-secret' });
		const other = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential({ clientId: 'other-app', clientSecret: 'other-secret' }),
			appOnlyCredentialId: credentialId,
			inputItems: items(1),
		});
		expect(other.status).toBe('success');
		expect(tokenRequests().map((r: { clientId: string }) => r.clientId)).toEqual([
			CLIENT_ID,
			'other-app',
		]);
		const tokens = graphRequests().map(
			(r: { headers: { authorization: string } }) => r.headers.authorization,
		);
		expect(new Set(tokens).size).toBe(2);
	});

	test('a short-lived token is renewed instead of being used past its life', async () => {
		sandbox.authority.tokenLifetimeSeconds = 30;
		// One item after another: each finds the token too close to its end and renews it
		// (items that start together share one token request instead).
		const parameters = {
			...enrollAsApp(DEFAULT_ORGANIZER_ID),
			requestOptions: { maxConcurrency: 1 },
		};
		const run = await runNode(sandbox, {
			parameters,
			credentials: appOnlyCredential(),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(3),
		});
		expect(run.status).toBe('success');
		expect(tokenRequests()).toHaveLength(3);
		const tokens = graphRequests().map(
			(r: { headers: { authorization: string } }) => r.headers.authorization,
		);
		expect(new Set(tokens).size).toBe(3);
	});

	test('a token Graph no longer accepts (401) is renewed once and the request sent again', async () => {
		const credentialId = freshCredentialId();
		await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: credentialId,
			inputItems: items(1),
		});
		const firstToken = String(graphRequests()[0].headers.authorization).split(' ')[1];
		sandbox.revokeToken(firstToken);
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: credentialId,
			inputItems: [{ externalId: 'after-revoke' }],
		});
		expect(run.status).toBe('success');
		expect(
			graphRequests()
				.slice(1)
				.map((r: { status: number }) => r.status),
		).toEqual([401, 200]);
		expect(tokenRequests()).toHaveLength(2);
		expect(sandbox.registrantCount(MEETING_ID, 'after-revoke')).toBe(1);
	});
});

describe('sign-in failures in plain words', () => {
	const cases: Array<[string, Record<string, unknown>, () => void, string, string]> = [
		[
			'wrong tenant',
			{ tenantId: 'contoso.example' },
			() => {},
			'AADSTS90002',
			'The tenant was not found: check "Tenant ID" and that "Microsoft Cloud" is your tenant\'s cloud.',
		],
		[
			'unknown app',
			{ clientId: 'not-registered' },
			() => {},
			'AADSTS700016',
			'The app was not found in this tenant: check "Client ID" and "Tenant ID" (and the cloud).',
		],
		[
			'wrong secret',
			{ clientSecret: 'wrong-secret' },
			() => {},
			'AADSTS7000215',
			"The client secret is wrong: use the secret's value, not its ID.",
		],
		[
			'thumbprint of another certificate',
			{ authMethod: 'certificate', privateKey: APP_KEY, certificateThumbprint: 'ab'.repeat(32) },
			() => {},
			'AADSTS700027',
			'The certificate does not match the app registration: check the thumbprint and that this certificate is uploaded to the app.',
		],
		[
			'expired certificate',
			{
				authMethod: 'certificate',
				privateKey: APP_KEY,
				certificateThumbprint: thumbprintHex('sha256'),
			},
			() =>
				sandbox.authority.registerApp({
					clientId: CLIENT_ID,
					clientSecret: CLIENT_SECRET,
					certificates: [{ pem: APP_CERT, endDateTime: '2024-01-01T00:00:00Z' }],
				}),
			'AADSTS700027',
			'The certificate registered on the app has expired: upload a new certificate and update the credential.',
		],
	];

	test.each(cases)('%s', async (_name, overrides, arrange, code, hint) => {
		arrange();
		const credentials = appOnlyCredential(overrides);
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials,
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});

		expect(run.status).toBe('error');
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(new RegExp(`^Sign-in failed: ${code}: `));
		expect(run.error?.description).toBe(hint);
		expect(graphRequests()).toHaveLength(0);
		const shown = JSON.stringify(run.error) + JSON.stringify(run.runData);
		for (const secret of [CLIENT_SECRET, 'wrong-secret', APP_KEY.split('\n')[1]])
			expect(shown).not.toContain(secret);
	});

	test("admin consent missing: Graph's 403 with the app-only hint", async () => {
		sandbox.authority.registerApp({
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			consented: false,
		});
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});
		expect(run.error?.httpCode).toBe('403');
		expect(run.error?.message).toContain('OnlineMeetings.ReadWrite.All');
		expect(run.error?.description).toContain(
			'application permission OnlineMeetings.ReadWrite.All with admin consent',
		);
	});

	test("no application access policy: the 403 explains the policy and the documentation's caveat", async () => {
		sandbox.authority.registerApp({
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			accessPolicy: false,
		});
		const run = await runNode(sandbox, {
			parameters: enrollAsApp(DEFAULT_ORGANIZER_ID),
			credentials: appOnlyCredential(),
			appOnlyCredentialId: freshCredentialId(),
			inputItems: items(1),
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.httpCode).toBe('403');
		expect(run.error?.message).toBe('No Application Access Policy found for this app. [Forbidden]');
		const description = String(run.error?.description);
		expect(description).toContain(
			'New-CsApplicationAccessPolicy, then Grant-CsApplicationAccessPolicy (allow up to 30 minutes to apply)',
		);
		expect(description).toContain(
			'Later Microsoft documentation lists application permission as not supported for the external registration API',
		);
	});
});

describe("the credential's Test button", () => {
	/** n8n's credential test passes its legacy request helper; this one speaks the same options over fetch. */
	const testFunctions = {
		logger: console,
		helpers: {
			async request(options: {
				method: string;
				uri: string;
				qs?: Record<string, string>;
				headers?: Record<string, string>;
			}) {
				const url = new URL(options.uri);
				for (const [key, value] of Object.entries(options.qs ?? {}))
					url.searchParams.set(key, value);
				const response = await fetch(url, { method: options.method, headers: options.headers });
				return { statusCode: response.status, body: await response.json() };
			},
		},
	};

	async function pressTest(data: Record<string, unknown>) {
		const pkg = await loadPackage(PACKAGE_DIR);
		const nodeType = pkg.nodeTypes[NODE_TYPE] as unknown as {
			methods: { credentialTest: Record<string, Function> };
		};
		return await nodeType.methods.credentialTest.appOnlyCredentialTest.call(testFunctions, {
			id: freshCredentialId(),
			name: 'x',
			type: APP_ONLY_CREDENTIAL,
			data,
		});
	}

	test('signs in for real, checks the permission, and has Graph accept the token', async () => {
		expect(await pressTest(appOnlyCredential()[APP_ONLY_CREDENTIAL])).toEqual({
			status: 'OK',
			message:
				'Signed in; the token carries OnlineMeetings.ReadWrite.All and Microsoft Graph accepted it.',
		});
		expect(tokenRequests()).toHaveLength(1);
		expect(
			sandbox.requests.filter((r: { rawPath: string }) => r.rawPath === '/v1.0/organization'),
		).toHaveLength(1);
	});

	test('wrong secret and missing admin consent are told apart', async () => {
		const wrong = await pressTest(appOnlyCredential({ clientSecret: 'nope' })[APP_ONLY_CREDENTIAL]);
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(
			/^Sign-in failed: AADSTS7000215: .*The client secret is wrong: use the secret's value, not its ID\.$/,
		);
		sandbox.authority.registerApp({
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			consented: false,
		});
		const unconsented = await pressTest(appOnlyCredential()[APP_ONLY_CREDENTIAL]);
		expect(unconsented).toEqual({
			status: 'Error',
			message:
				'Signed in, but the token carries neither application permission OnlineMeetings.ReadWrite.All (meetings) nor VirtualEventRegistration-Anon.ReadWrite.All (webinars): an administrator has to grant admin consent for one on the app registration (API permissions).',
		});
	});
});

test('both credentials side by side in one workflow: delegated on /me, app-only on /users/{organizer}', async () => {
	const pkg = await loadPackage(PACKAGE_DIR);
	const workflow = workflowFromNodes([
		{
			name: 'Enroll (delegated)',
			type: NODE_TYPE,
			parameters: {
				authentication: 'oAuth2',
				resource: 'registrant',
				operation: 'enroll',
				meeting: byId(MEETING_ID),
				registrationMode: 'everyone',
				externalId: '={{ $json.externalId }}-delegated',
			},
			credentials: { [OAUTH2_CREDENTIAL]: { id: 'd1', name: 'Delegated' } },
		},
		{
			name: 'Enroll (app-only)',
			type: NODE_TYPE,
			parameters: enrollAsApp(DEFAULT_ORGANIZER_UPN, {
				externalId: "={{ $('Manual Trigger').item.json.externalId }}-app",
			}),
			credentials: { [APP_ONLY_CREDENTIAL]: { id: freshCredentialId(), name: 'App-only' } },
		},
	]);
	const run = await runWorkflow(pkg, workflow, {
		credentials: { ...sandboxCredential(sandbox), ...appOnlyCredential() },
		inputItems: items(2),
	});

	expect(run.status).toBe('success');
	expect(run.outputOf('Enroll (delegated)').map((i) => i.json.id)).toEqual([
		'attendee-0-delegated',
		'attendee-1-delegated',
	]);
	expect(run.outputOf('Enroll (app-only)').map((i) => [i.json.id, i.pairedItem])).toEqual([
		['attendee-0-app', { item: 0 }],
		['attendee-1-app', { item: 1 }],
	]);
	const posts = graphRequests().filter((r: { method: string }) => r.method === 'POST');
	expect(
		posts.map((r: { rawPath: string; headers: { authorization: string } }) => [
			r.rawPath.split('/onlineMeetings')[0],
			r.headers.authorization === `Bearer ${DEFAULT_DELEGATED_TOKEN}`,
		]),
	).toEqual([
		['/beta/me', true],
		['/beta/me', true],
		[`/beta/users/${DEFAULT_ORGANIZER_ID}`, false],
		[`/beta/users/${DEFAULT_ORGANIZER_ID}`, false],
	]);
	const everything = JSON.stringify(run.runData) + JSON.stringify(run.credentialUpdates);
	expect(everything).not.toContain(CLIENT_SECRET);
	expect(everything).not.toContain(String(posts[2].headers.authorization).split(' ')[1]);
});
