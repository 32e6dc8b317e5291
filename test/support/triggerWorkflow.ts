/**
 * Polling the Microsoft Teams Registration Trigger the way n8n does for an active workflow:
 * n8n-core's PollContext around the trigger node of a workflow, whose static data n8n saves
 * after each poll and hands back on the next one (also after a restart, from its database).
 */
import { forgetNodeProcessState, onTestClock } from '../harness/virtualClock';
import { LoadOptionsContext, PollContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessCredentialsHelper, loadPackage } from '../harness';
import { builtinCredentialTypes } from '../harness/builtins';
import { PACKAGE_DIR } from './enrollWorkflow';
import type { GraphSandbox } from './enrollWorkflow';
import type { CredentialKind } from './lifecycleWorkflow';
import { nodeAsTheEditorKeepsIt } from './webinarWorkflow';

export const TRIGGER_TYPE =
	'n8n-nodes-teams-meeting-registration.microsoftTeamsRegistrationTrigger';
export const TRIGGER_NAME = 'Teams Registration Trigger';

export interface PollRun {
	kind: CredentialKind;
	/** The trigger's parameters as set in the editor (eventType, event, triggerOn, options). */
	parameters: Record<string, unknown>;
	/** The workflow's static data as n8n stored it after the last poll (undefined: never polled). */
	staticData?: IDataObject;
	/** 'trigger' for an active workflow's polls (default), 'manual' for "Fetch Test Event". */
	mode?: WorkflowExecuteMode;
	/** The app-only credential's id: MSAL keeps a client per credential id. */
	appOnlyCredentialId?: string;
}

export interface PollResult {
	/** What poll() returned: null when nothing is new. */
	output: INodeExecutionData[][] | null;
	/** The error poll() threw, if any. */
	error?: Error;
	/** The workflow's static data after the poll, as n8n saves it (JSON). */
	staticData: IDataObject;
}

async function triggerNode(
	parameters: INodeParameters,
	appOnlyCredentialId: string,
): Promise<{ node: INode; nodeType: INodeType }> {
	return await nodeAsTheEditorKeepsIt({
		id: 'trigger-node',
		type: TRIGGER_TYPE,
		name: TRIGGER_NAME,
		parameters,
		appOnlyCredentialId,
	});
}

async function contextParts(sandbox: GraphSandbox, run: PollRun) {
	const pkg = await loadPackage(PACKAGE_DIR);
	const { node, nodeType } = await triggerNode(
		{ ...run.kind.parameters, ...run.parameters } as INodeParameters,
		run.appOnlyCredentialId ?? 'cred-trigger-app',
	);
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'trigger-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		// what n8n read back from its database: a fresh copy, as after a restart
		staticData:
			run.staticData === undefined
				? undefined
				: (JSON.parse(JSON.stringify(run.staticData)) as IDataObject),
	});
	const credentialsHelper = new HarnessCredentialsHelper(
		{ ...builtinCredentialTypes, ...pkg.credentialTypes },
		run.kind.credentials(sandbox) as Record<string, Record<string, unknown>>,
	);
	const additionalData = {
		credentialsHelper,
		currentNodeParameters: node.parameters,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		executionId: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	return { workflow, node, nodeType, additionalData };
}

/** One poll of the trigger, as n8n's ActiveWorkflows runs it at each poll time. */
export async function pollTrigger(sandbox: GraphSandbox, run: PollRun): Promise<PollResult> {
	const { workflow, node, nodeType, additionalData } = await contextParts(sandbox, run);
	const mode = run.mode ?? 'trigger';
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
	);
	forgetNodeProcessState();
	let output: INodeExecutionData[][] | null = null;
	let error: Error | undefined;
	try {
		output = await onTestClock(nodeType.poll!.call(context));
	} catch (caught) {
		error = caught as Error;
	}
	return {
		output,
		error,
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}

/** The Event field's list ("From List"), as the editor asks for it. */
export async function searchEvents(
	sandbox: GraphSandbox,
	run: Omit<PollRun, 'staticData' | 'mode'>,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { workflow, node, nodeType, additionalData } = await contextParts(sandbox, run);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.event');
	forgetNodeProcessState();
	return await onTestClock(nodeType.methods!.listSearch!.searchEvents.call(context, filter));
}
