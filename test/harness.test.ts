/**
 * Proves test/harness against a fixture package (test/harness/fixture-package, plain JS):
 * real workflows through n8n-core's WorkflowExecute, with n8n's OAuth2 signing, token
 * fetching/refreshing, generic `authenticate`, `preAuthentication`, and node settings.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import {
	HarnessCredentialsHelper,
	loadPackage,
	runWorkflow,
	workflowFromNodes,
	MANUAL_TRIGGER_NAME,
} from './harness';
import { builtinCredentialTypes } from './harness/builtins';
import type { LoadedPackage, NodeSpec } from './harness';
import exportedWorkflow from './harness/fixtures/echo.workflow.json';

const FIXTURE_DIR = path.join(__dirname, 'harness', 'fixture-package');
const ECHO_TYPE = 'n8n-nodes-harness-fixture.echoHttp';

interface ReceivedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: unknown;
	rawBody: string;
}

let server: Server;
let baseUrl: string;
let received: ReceivedRequest[];
let pkg: LoadedPackage;

const send = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
};

beforeAll(async () => {
	server = createServer((req, res) => {
		let rawBody = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (rawBody += chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://localhost');
			const isJson = (req.headers['content-type'] ?? '').includes('json');
			const body =
				isJson && rawBody ? JSON.parse(rawBody) : Object.fromEntries(new URLSearchParams(rawBody));
			received.push({
				method: req.method ?? '',
				path: url.pathname,
				headers: req.headers,
				body,
				rawBody,
			});

			if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
				return send(res, 200, {
					access_token: 'fetched-tok',
					token_type: 'Bearer',
					expires_in: 3600,
				});
			}
			if (url.pathname === '/session') {
				return send(res, 200, { token: 'sess-1' });
			}
			if (url.pathname === '/expiring/echo' && req.headers.authorization === 'Bearer stale-tok') {
				return send(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
			}
			if (url.pathname === '/echo' || url.pathname === '/expiring/echo') {
				if ((body as { n?: unknown }).n === 13) return send(res, 500, { error: 'unlucky number' });
				return send(res, 200, { echoed: body, authorization: req.headers.authorization ?? null });
			}
			return send(res, 404, { error: 'not found' });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	pkg = await loadPackage(FIXTURE_DIR);
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	received = [];
});

const oauthCredential = (overrides: Record<string, unknown> = {}) => ({
	fixtureOAuth2Api: {
		oauthTokenData: { access_token: 'tok-123', token_type: 'Bearer' },
		clientId: 'x',
		clientSecret: 'y',
		tokenHost: baseUrl,
		tenantId: 'tenant-a',
		...overrides,
	},
});

const echoNode = (overrides: Partial<NodeSpec> = {}): NodeSpec => ({
	name: 'Echo',
	type: ECHO_TYPE,
	parameters: { url: `${baseUrl}/echo`, n: '={{ $json.n }}' },
	...overrides,
});

const items = (...ns: number[]) => ns.map((n) => ({ n }));

describe('loadPackage', () => {
	it('loads node and credential types the way n8n does (from package.json `n8n`)', async () => {
		expect(pkg.packageName).toBe('n8n-nodes-harness-fixture');
		expect(Object.keys(pkg.nodeTypes)).toEqual([ECHO_TYPE]);
		expect(Object.keys(pkg.credentialTypes).sort()).toEqual([
			'fixtureApiKeyApi',
			'fixtureOAuth2Api',
		]);
		expect(await loadPackage(FIXTURE_DIR)).toBe(pkg);
	});
});

describe('workflowFromNodes', () => {
	it('builds trigger → nodes with ids, versions, positions and connections', () => {
		const wf = workflowFromNodes([
			echoNode(),
			{ name: 'Done', type: 'n8n-nodes-base.noOp', parameters: {} },
		]);
		expect(wf.nodes.map((n) => [n.name, n.type, n.typeVersion])).toEqual([
			[MANUAL_TRIGGER_NAME, 'n8n-nodes-base.manualTrigger', 1],
			['Echo', ECHO_TYPE, 1],
			['Done', 'n8n-nodes-base.noOp', 1],
		]);
		expect(new Set(wf.nodes.map((n) => n.id)).size).toBe(3);
		expect(wf.connections).toEqual({
			[MANUAL_TRIGGER_NAME]: { main: [[{ node: 'Echo', type: 'main', index: 0 }]] },
			Echo: { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
		});
	});
});

describe('runWorkflow with an OAuth2 credential', () => {
	it('signs each request with the stored token and pairs the outputs', async () => {
		const result = await runWorkflow(pkg, workflowFromNodes([echoNode()]), {
			credentials: oauthCredential(),
			inputItems: items(1, 2, 3),
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(received.map((r) => [r.method, r.path, r.headers.authorization, r.body])).toEqual([
			['POST', '/echo', 'Bearer tok-123', { n: 1 }],
			['POST', '/echo', 'Bearer tok-123', { n: 2 }],
			['POST', '/echo', 'Bearer tok-123', { n: 3 }],
		]);
		expect(result.outputOf('Echo')).toEqual(
			[1, 2, 3].map((n, i) => ({
				json: { echoed: { n }, authorization: 'Bearer tok-123' },
				pairedItem: { item: i },
			})),
		);
		expect(result.outputOf(MANUAL_TRIGGER_NAME).map((item) => item.json)).toEqual(items(1, 2, 3));
		expect(result.credentialUpdates).toEqual([]);
	});

	it('fetches a token from the $self-built accessTokenUrl when none is stored (client credentials)', async () => {
		const result = await runWorkflow(pkg, workflowFromNodes([echoNode()]), {
			credentials: oauthCredential({ oauthTokenData: undefined }),
			inputItems: items(1, 2),
		});

		expect(result.status).toBe('success');
		const [tokenRequest, ...calls] = received;
		expect(tokenRequest.path).toBe('/tenant-a/oauth2/v2.0/token');
		expect(tokenRequest.body).toMatchObject({
			grant_type: 'client_credentials',
			client_id: 'x',
			client_secret: 'y',
			scope: 'https://fixture.invalid/.default',
		});
		expect(calls.map((r) => [r.path, r.headers.authorization])).toEqual([
			['/echo', 'Bearer fetched-tok'],
			['/echo', 'Bearer fetched-tok'],
		]);
		expect(result.credentialUpdates).toEqual([
			{
				type: 'fixtureOAuth2Api',
				kind: 'oauthTokenData',
				data: { oauthTokenData: expect.objectContaining({ access_token: 'fetched-tok' }) },
			},
		]);
		expect(result.credentialsAfter.fixtureOAuth2Api.oauthTokenData).toMatchObject({
			access_token: 'fetched-tok',
		});
	});

	it('renews the token after a 401 and retries, as n8n does', async () => {
		const result = await runWorkflow(
			pkg,
			workflowFromNodes([echoNode({ parameters: { url: `${baseUrl}/expiring/echo`, n: 7 } })]),
			{
				credentials: oauthCredential({
					oauthTokenData: { access_token: 'stale-tok', token_type: 'Bearer' },
				}),
			},
		);

		expect(result.error).toBeUndefined();
		expect(received.map((r) => [r.path, r.headers.authorization ?? null])).toEqual([
			['/expiring/echo', 'Bearer stale-tok'],
			['/tenant-a/oauth2/v2.0/token', null],
			['/expiring/echo', 'Bearer fetched-tok'],
		]);
		expect(result.outputOf('Echo')[0].json).toEqual({
			echoed: { n: 7 },
			authorization: 'Bearer fetched-tok',
		});
		expect(result.credentialUpdates.map((u) => u.kind)).toEqual(['oauthTokenData']);
	});
});

describe('errors and node settings', () => {
	it('continueOnFail turns a failing item into an error item and keeps going', async () => {
		const result = await runWorkflow(pkg, workflowFromNodes([echoNode({ continueOnFail: true })]), {
			credentials: oauthCredential(),
			inputItems: items(1, 13, 3),
		});

		expect(result.status).toBe('success');
		expect(received).toHaveLength(3);
		const output = result.outputOf('Echo');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toEqual({ echoed: { n: 1 }, authorization: 'Bearer tok-123' });
		expect(output[1].json).toEqual({ error: expect.any(String) });
		expect(output[2].json).toEqual({ echoed: { n: 3 }, authorization: 'Bearer tok-123' });
	});

	it('without continueOnFail the execution fails with the node error', async () => {
		const result = await runWorkflow(
			pkg,
			workflowFromNodes([
				echoNode(),
				{ name: 'Done', type: 'n8n-nodes-base.noOp', parameters: {} },
			]),
			{ credentials: oauthCredential(), inputItems: items(1, 13, 3) },
		);

		expect(result.status).toBe('error');
		expect(result.error).toBeInstanceOf(Error);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('500');
		expect(result.nodeError('Echo')?.message).toBe(result.error?.message);
		expect(result.outputOf('Echo')).toEqual([]);
		expect(result.outputOf('Done')).toEqual([]);
		expect(received).toHaveLength(2); // stops at the failing item
	});

	it("onError 'continueErrorOutput' routes failed items to the error output", async () => {
		const result = await runWorkflow(
			pkg,
			workflowFromNodes([echoNode({ onError: 'continueErrorOutput' })]),
			{
				credentials: oauthCredential(),
				inputItems: items(1, 13, 3),
			},
		);

		expect(result.status).toBe('success');
		expect(result.outputOf('Echo', 0).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 2 },
		]);
		const errorItems = result.outputOf('Echo', 1);
		expect(errorItems).toHaveLength(1);
		expect(errorItems[0].pairedItem).toEqual({ item: 1 });
		expect(errorItems[0].json).toEqual({ n: 13, error: expect.any(String) });
	});

	it('alwaysOutputData emits one empty item when the node outputs nothing', async () => {
		const done = { name: 'Done', type: 'n8n-nodes-base.noOp', parameters: {} };
		const params = { url: `${baseUrl}/echo`, n: 1, dropOutput: true };

		const without = await runWorkflow(
			pkg,
			workflowFromNodes([echoNode({ parameters: params }), done]),
			{
				credentials: oauthCredential(),
			},
		);
		expect(without.outputOf('Echo')).toEqual([]);
		expect(without.runData.Done).toBeUndefined();

		const withIt = await runWorkflow(
			pkg,
			workflowFromNodes([echoNode({ parameters: params, alwaysOutputData: true }), done]),
			{ credentials: oauthCredential() },
		);
		expect(withIt.outputOf('Echo')).toEqual([{ json: {}, pairedItem: [{ item: 0, input: 0 }] }]);
		expect(withIt.outputOf('Done')).toHaveLength(1);
	});
});

describe('generic authenticate and preAuthentication', () => {
	it('fetches a session once, saves it, and templates the headers from the credential', async () => {
		const result = await runWorkflow(
			pkg,
			workflowFromNodes([
				echoNode({
					parameters: { authentication: 'apiKey', url: `${baseUrl}/echo`, n: '={{ $json.n }}' },
				}),
			]),
			{
				credentials: { fixtureApiKeyApi: { apiKey: 'k-1', sessionUrl: `${baseUrl}/session` } },
				inputItems: items(1, 2, 3),
			},
		);

		expect(result.error).toBeUndefined();
		expect(
			received.map((r) => [
				r.path,
				r.headers['x-api-key'] ?? null,
				r.headers.authorization ?? null,
			]),
		).toEqual([
			['/session', null, null],
			['/echo', 'k-1', 'Session sess-1'],
			['/echo', 'k-1', 'Session sess-1'],
			['/echo', 'k-1', 'Session sess-1'],
		]);
		expect(received[0].body).toEqual({ apiKey: 'k-1' });
		expect(result.credentialUpdates).toEqual([
			{
				type: 'fixtureApiKeyApi',
				kind: 'credentials',
				data: { apiKey: 'k-1', sessionUrl: `${baseUrl}/session`, sessionToken: 'sess-1' },
			},
		]);
	});
});

describe('HarnessCredentialsHelper', () => {
	const additionalData = {
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const helper = (data: Record<string, Record<string, unknown>>) =>
		new HarnessCredentialsHelper({ ...builtinCredentialTypes, ...pkg.credentialTypes }, data);

	it('reports the extends chain', () => {
		expect(helper({}).getParentTypes('fixtureOAuth2Api')).toEqual(['oAuth2Api']);
		expect(helper({}).getParentTypes('fixtureApiKeyApi')).toEqual([]);
	});

	it('merges parent defaults, pins hidden OAuth fields and resolves $self (outside a node too)', async () => {
		const decrypted = await helper({
			fixtureOAuth2Api: {
				clientId: 'x',
				tokenHost: 'https://login.example',
				grantType: 'authorizationCode',
			},
		}).getDecrypted(additionalData, { id: '1', name: 'c' }, 'fixtureOAuth2Api', 'manual');

		expect(decrypted).toMatchObject({
			grantType: 'clientCredentials', // the type's hidden value wins over stored data, as in n8n
			accessTokenUrl: 'https://login.example/common/oauth2/v2.0/token',
			clientId: 'x',
			clientSecret: '', // oAuth2Api default
			useDynamicClientRegistration: false, // oAuth2Api default
			scope: 'https://fixture.invalid/.default',
			authentication: 'body',
			allowedHttpRequestDomains: 'all', // injected by n8n into every credential type
		});
		expect(decrypted).not.toHaveProperty('authUrl'); // hidden by displayOptions for clientCredentials
		expect(decrypted).not.toHaveProperty('ignoreSSLIssues'); // `doNotInherit` in oAuth2Api
	});

	it('fails clearly on unknown types and missing data', async () => {
		expect(() => helper({ fixtureOAuth2: {} })).toThrow('Unknown credential type "fixtureOAuth2"');
		await expect(
			helper({}).getDecrypted(additionalData, { id: '1', name: 'c' }, 'fixtureApiKeyApi', 'manual'),
		).rejects.toThrow('no credential data for type "fixtureApiKeyApi"');
	});
});

describe('a workflow exported from n8n', () => {
	it('runs unchanged (credential ids, n8n node names, expressions, onError)', async () => {
		const result = await runWorkflow(pkg, exportedWorkflow, {
			credentials: oauthCredential(),
			inputItems: [1, 13, 3].map((n) => ({ baseUrl, n })),
		});

		expect(result.status).toBe('success');
		expect(received.map((r) => r.body)).toEqual(items(1, 13, 3));
		const done = result.outputOf('Done');
		expect(done.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(done[1].json).toEqual({ error: expect.any(String) });
		expect(done[2].json).toEqual({ echoed: { n: 3 }, authorization: 'Bearer tok-123' });
	});
});
