import path from 'node:path';
import type { INodeParameters, IWorkflowSettings } from 'n8n-workflow';

import { loadPackage, runWorkflow, workflowFromNodes } from '../harness';
import type { RunOptions, WorkflowRunResult } from '../harness';
import { forgetNodeProcessState, onTestClock } from '../harness/virtualClock';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startGraphSandbox, DEFAULT_DELEGATED_TOKEN } = require('../../sandbox/graph-sandbox');

export const PACKAGE_DIR = path.resolve(__dirname, '../..');
export const NODE_TYPE = 'n8n-nodes-teams-meeting-registration.microsoftTeamsRegistration';
export const OAUTH2_CREDENTIAL = 'microsoftTeamsRegistrationOAuth2Api';
export const APP_ONLY_CREDENTIAL = 'microsoftTeamsRegistrationAppOnlyApi';
export { DEFAULT_DELEGATED_TOKEN };

export type GraphSandbox = Awaited<ReturnType<typeof startGraphSandbox>>;
export { startGraphSandbox };

/** Delegated credential data pointing at the sandbox, as a user would fill it in. */
export function sandboxCredential(sandbox: GraphSandbox, overrides: Record<string, unknown> = {}) {
	return {
		[OAUTH2_CREDENTIAL]: {
			graphCloud: 'custom',
			customGraphUrl: sandbox.url,
			customAuthorityUrl: sandbox.url,
			tenant: 'common',
			clientId: 'sandbox-client-id',
			clientSecret: 'sandbox-client-secret',
			oauthTokenData: { access_token: DEFAULT_DELEGATED_TOKEN, token_type: 'Bearer' },
			...overrides,
		},
	};
}

export interface NodeRun {
	parameters: INodeParameters;
	settings?: { continueOnFail?: boolean; onError?: string };
	inputItems?: Array<Record<string, unknown>>;
	credentials?: RunOptions['credentials'];
	workflowSettings?: IWorkflowSettings;
	/** The app-only credential's id: MSAL clients are kept per credential id. */
	appOnlyCredentialId?: string;
	/** Keep the node's delivery lanes from earlier runs (tests of executions sharing them). */
	sharedLanes?: boolean;
	/** The delegated credential's id: lanes are kept per credential. */
	delegatedCredentialId?: string;
}

export const NODE_NAME = 'Teams Registration';

/** Runs Manual Trigger → our node as a real workflow and returns the run. */
export async function runNode(sandbox: GraphSandbox, run: NodeRun): Promise<WorkflowRunResult> {
	const pkg = await loadPackage(PACKAGE_DIR);
	const workflow = workflowFromNodes([
		{
			name: NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: run.parameters,
			credentials: {
				[OAUTH2_CREDENTIAL]: {
					id: run.delegatedCredentialId ?? 'cred-1',
					name: 'Sandbox (delegated)',
				},
				[APP_ONLY_CREDENTIAL]: {
					id: run.appOnlyCredentialId ?? 'cred-app-1',
					name: 'Sandbox (app-only)',
				},
			},
			...(run.settings ?? {}),
		},
	]);
	Object.assign(workflow.settings, run.workflowSettings);
	if (!run.sharedLanes) forgetNodeProcessState();
	return await onTestClock(
		runWorkflow(pkg, workflow, {
			credentials: run.credentials ?? sandboxCredential(sandbox),
			inputItems: run.inputItems,
		}),
	);
}

export function byId(value: string) {
	return { __rl: true, mode: 'id', value };
}

export function byJoinLink(value: string) {
	return { __rl: true, mode: 'url', value };
}
