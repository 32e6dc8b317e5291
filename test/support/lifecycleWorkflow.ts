/**
 * Running the node's operations as workflows against the Graph sandbox, under either
 * credential: the delegated OAuth2 one (`/me/...`) or the app-only one (`/users/{id}/...`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import type { WorkflowRunResult } from '../harness';
import {
	APP_ONLY_CREDENTIAL,
	DEFAULT_DELEGATED_TOKEN,
	runNode,
	sandboxCredential,
	startGraphSandbox,
} from './enrollWorkflow';
import type { GraphSandbox, NodeRun } from './enrollWorkflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEFAULT_ORGANIZER_ID, DEFAULT_TENANT_ID } = require('../../sandbox/graph-sandbox');

export { DEFAULT_ORGANIZER_ID };

const TLS_DIR = path.join(__dirname, '../fixtures/tls');
const APP_CLIENT_ID = '7c3e9a10-2222-4d4d-9999-1a2b3c4d5e6f';
const APP_CLIENT_SECRET = 'sandbox-lifecycle-app-secret';

/** A sandbox that also serves the HTTPS sign-in authority MSAL needs for app-only credentials. */
export async function startSandboxWithAuthority(): Promise<GraphSandbox> {
	if (!process.env.NODE_EXTRA_CA_CERTS) {
		throw new Error(
			'Run through `npm test`: MSAL must trust the sandbox authority (NODE_EXTRA_CA_CERTS=test/fixtures/tls/ca.pem)',
		);
	}
	const tls = (name: string) => readFileSync(path.join(TLS_DIR, name), 'utf8');
	return await startGraphSandbox({
		tls: { key: tls('authority-key.pem'), cert: tls('authority.pem') },
	});
}

/** What differs between the two credential kinds: parameters, credential data, and the path prefix Graph sees. */
export interface CredentialKind {
	name: 'delegated' | 'app-only';
	/** `/beta/me` or `/beta/users/{organizerId}` */
	graphRoot: string;
	parameters: INodeParameters;
	credentials(sandbox: GraphSandbox): NodeRun['credentials'];
	/** Call after every `sandbox.reset()`: registers the app with the sandbox's authority. */
	prepare(sandbox: GraphSandbox): void;
}

export const DELEGATED: CredentialKind = {
	name: 'delegated',
	graphRoot: '/beta/me',
	parameters: { authentication: 'oAuth2' },
	credentials: (sandbox) => sandboxCredential(sandbox),
	prepare: () => {},
};

export const APP_ONLY: CredentialKind = {
	name: 'app-only',
	graphRoot: `/beta/users/${DEFAULT_ORGANIZER_ID}`,
	parameters: { authentication: 'appOnly', organizer: DEFAULT_ORGANIZER_ID },
	credentials: (sandbox) => ({
		[APP_ONLY_CREDENTIAL]: {
			graphCloud: 'custom',
			customGraphUrl: sandbox.url,
			customAuthorityUrl: sandbox.authorityUrl,
			tenantId: DEFAULT_TENANT_ID,
			clientId: APP_CLIENT_ID,
			authMethod: 'clientSecret',
			clientSecret: APP_CLIENT_SECRET,
		},
	}),
	prepare: (sandbox) =>
		sandbox.authority.registerApp({ clientId: APP_CLIENT_ID, clientSecret: APP_CLIENT_SECRET }),
};

export interface OperationRun extends Omit<NodeRun, 'parameters'> {
	/** resource, operation and the operation's fields; the credential kind adds authentication. */
	parameters: Record<string, unknown>;
	kind?: CredentialKind;
}

/** Runs Manual Trigger → the node with one operation, as a workflow, under the given credential kind. */
export async function runOperation(
	sandbox: GraphSandbox,
	run: OperationRun,
): Promise<WorkflowRunResult> {
	const kind = run.kind ?? DELEGATED;
	return await runNode(sandbox, {
		...run,
		parameters: { ...kind.parameters, ...run.parameters } as INodeParameters,
		credentials: run.credentials ?? kind.credentials(sandbox),
	});
}

export interface LoggedRequest {
	method: string;
	rawPath: string;
	rawQuery: string;
	query: Record<string, string>;
	rawBody: string;
	json: unknown;
	status: number | null;
	responseBody: {
		error?: { code: string; message: string; innerError: Record<string, string> };
	} & Record<string, unknown>;
}

/** The Graph requests the sandbox received, in order (sign-in requests left out). */
export function graphRequests(sandbox: GraphSandbox): LoggedRequest[] {
	return (sandbox.requests as LoggedRequest[]).filter((request) =>
		request.rawPath.startsWith('/beta/'),
	);
}

/** `METHOD path?query status`, one string per Graph request: the whole conversation at a glance. */
export function conversation(sandbox: GraphSandbox): string[] {
	return graphRequests(sandbox).map(
		({ method, rawPath, rawQuery, status }) =>
			`${method} ${rawPath}${rawQuery ? `?${decodeURIComponent(rawQuery)}` : ''} ${status}`,
	);
}

/**
 * Enrolls people the way an earlier run would have (Graph's own endpoint, delegated
 * organizer), then clears the request log so a test sees only its own run's requests.
 */
export async function enrollBeforehand(
	sandbox: GraphSandbox,
	meetingId: string,
	externalIds: string[],
): Promise<string[]> {
	const joinWebUrls: string[] = [];
	for (const id of externalIds) {
		const response = await fetch(
			`${sandbox.url}/beta/me/onlineMeetings/${encodeURIComponent(meetingId)}/registration/registrants`,
			{
				method: 'POST',
				headers: {
					authorization: `Bearer ${DEFAULT_DELEGATED_TOKEN}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({ '@odata.type': '#microsoft.graph.externalMeetingRegistrant', id }),
			},
		);
		if (response.status !== 200)
			throw new Error(
				`Enrolling ${id} beforehand failed: ${response.status} ${await response.text()}`,
			);
		joinWebUrls.push(((await response.json()) as { joinWebUrl: string }).joinWebUrl);
	}
	sandbox.clearLog();
	return joinWebUrls;
}
