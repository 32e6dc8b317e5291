/**
 * A small harness that runs real n8n workflows (the JSON n8n exports) in-process with
 * n8n-core's `WorkflowExecute`, loading node and credential types from a package directory
 * the way n8n loads a community package.
 *
 *   const pkg = await loadPackage(packageRoot);          // reads package.json's `n8n` field
 *   const result = await runWorkflow(pkg, workflowJson, {
 *     credentials: { myOAuth2Api: { clientId: 'x', oauthTokenData: { access_token: 't' } } },
 *     inputItems: [{ email: 'a@b.c' }],                  // what the manual trigger emits
 *   });
 *   expect(result.status).toBe('success');
 *   expect(result.outputOf('My Node')).toEqual([...]);
 *
 * Import this module before anything imports `n8n-core` (see ./env).
 */
import './env';

import { realpathSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	PackageDirectoryLoader,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import { NodeHelpers, Workflow, injectDomainRestrictionFields } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IPinData,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
} from 'n8n-workflow';

import {
	MANUAL_TRIGGER_TYPE,
	NO_OP_TYPE,
	builtinCredentialTypes,
	createManualTrigger,
	noOpNode,
} from './builtins';
import { HarnessCredentialsHelper } from './credentials-helper';
import type { CredentialUpdate } from './credentials-helper';

export { harnessUserFolder } from './env';
export { HarnessCredentialsHelper, MANUAL_TRIGGER_TYPE, NO_OP_TYPE };
export type { CredentialUpdate };

// ---------------------------------------------------------------------------------------
// Public types

export interface LoadedPackage {
	/** Real path of the package directory. */
	readonly packageDir: string;
	/** package.json `name`: the prefix of its node type names. */
	readonly packageName: string;
	/** Node types by full type name, `<packageName>.<nodeName>`. */
	readonly nodeTypes: Readonly<Record<string, INodeType | IVersionedNodeType>>;
	/** Credential types by name. */
	readonly credentialTypes: Readonly<Record<string, ICredentialType>>;
}

export interface RunOptions {
	/**
	 * Credential data by credential type name, merged over the type's property defaults
	 * (including those inherited via `extends`). Nodes that declare one of these types get
	 * it assigned automatically when the workflow JSON has no `credentials` entry for it.
	 */
	credentials?: Record<string, Record<string, unknown>>;
	/** The `json` of the items the start node (manual trigger) emits; default one `{}` item. */
	inputItems?: Array<Record<string, unknown>>;
}

export interface WorkflowRunResult {
	status: 'success' | 'error';
	/** The execution's error (`resultData.error`), if any. */
	error?: Error & Record<string, unknown>;
	/** Items on the given main output (default 0) of the node's last run; [] if it did not run. */
	outputOf(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error of the node's last run, if it failed (also set under continueOnFail). */
	nodeError(nodeName: string): (Error & Record<string, unknown>) | undefined;
	runData: IRunData;
	/** Writes n8n made to credentials (token fetches/refreshes, preAuthentication), in order. */
	credentialUpdates: CredentialUpdate[];
	/** Stored credential data after the run, by type (test data plus n8n's writes). */
	credentialsAfter: Record<string, ICredentialDataDecryptedObject>;
	/** The full `IRun` n8n-core produced. */
	run: IRun;
}

/** A node as it appears in exported workflow JSON (loosely typed so imported JSON fits). */
export interface WorkflowNodeInput {
	name: string;
	type: string;
	typeVersion?: number;
	id?: string;
	position?: number[];
	parameters?: object;
	credentials?: Record<string, { id?: string | null; name: string }>;
	disabled?: boolean;
	continueOnFail?: boolean;
	onError?: string;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	[key: string]: unknown;
}

/** A workflow as n8n exports it; only `nodes` and `connections` are needed. */
export interface WorkflowInput {
	id?: string;
	name?: string;
	nodes: ReadonlyArray<INode | WorkflowNodeInput>;
	connections: IConnections | Record<string, unknown>;
	settings?: IWorkflowSettings | Record<string, unknown>;
	pinData?: IPinData | Record<string, unknown>;
	staticData?: IDataObject | null;
	[key: string]: unknown;
}

// ---------------------------------------------------------------------------------------
// Loading a package

const packageCache = new Map<string, Promise<LoadedPackage>>();

/**
 * Loads node and credential types from a package directory as n8n does
 * (`PackageDirectoryLoader` + `loadAll()`, reading package.json's `n8n` field, which for a
 * real package points into the built `dist/`). Cached per directory.
 */
export async function loadPackage(packageDir: string): Promise<LoadedPackage> {
	const dir = realpathSync(resolve(packageDir));
	let loaded = packageCache.get(dir);
	if (!loaded) {
		loaded = loadPackageUncached(dir);
		packageCache.set(dir, loaded);
		loaded.catch(() => packageCache.delete(dir));
	}
	return await loaded;
}

async function loadPackageUncached(dir: string): Promise<LoadedPackage> {
	const loader = new PackageDirectoryLoader(dir);
	try {
		await loader.loadAll();
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		throw new Error(
			`Could not load the n8n package in ${dir}: ${message}\n` +
				"(package.json's `n8n` field points at built files; has the package been built?)",
			{ cause: error },
		);
	}
	const nodeTypes: Record<string, INodeType | IVersionedNodeType> = {};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodeTypes[`${loader.packageName}.${name}`] = type;
	}
	if (Object.keys(nodeTypes).length === 0) {
		throw new Error(`The package in ${dir} declares no nodes in package.json's \`n8n.nodes\``);
	}
	const credentialTypes: Record<string, ICredentialType> = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		// n8n adds the "Allowed HTTP Request Domains" fields to every credential type it loads.
		type.properties = injectDomainRestrictionFields(type);
		credentialTypes[name] = type;
	}
	return { packageDir: dir, packageName: loader.packageName, nodeTypes, credentialTypes };
}

// ---------------------------------------------------------------------------------------
// Node types

/** n8n's `NodeTypes` for the harness: the package's types plus the built-in stand-ins. */
class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) {
			throw new Error(
				`Unknown node type "${nodeType}". The harness knows: ${Object.keys(this.types).join(', ')}`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
		// Like n8n's NodeTypes: a declarative node (no execute/trigger/poll/...) runs via RoutingNode.
		if (shouldAssignExecuteMethod(type)) {
			type.execute = async function () {
				// `this` is n8n-core's ExecuteContext at run time (as in n8n's own NodeTypes).
				const routingNode = new RoutingNode(
					this as ConstructorParameters<typeof RoutingNode>[0],
					type,
				);
				return (await routingNode.runNode()) ?? [];
			};
		}
		return type;
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			Object.keys(this.types).map((name) => [name, { className: '', sourcePath: '' }]),
		);
	}
}

function shouldAssignExecuteMethod(type: INodeType): boolean {
	const isDeclarative = type.description?.requestDefaults !== undefined;
	return (
		!type.execute &&
		!type.supplyData &&
		!type.poll &&
		!type.trigger &&
		(!type.webhook || isDeclarative) &&
		(!type.methods || isDeclarative)
	);
}

// ---------------------------------------------------------------------------------------
// Running a workflow

let executionCounter = 0;

const BASE_URL = 'http://localhost:5678';

/**
 * Runs a workflow in 'manual' mode from its first trigger node (normally
 * `n8n-nodes-base.manualTrigger`), as n8n's "Execute workflow" button does.
 * Resolves with the result also when the execution fails (`status: 'error'`); rejects only
 * when the workflow cannot start (unknown node type, missing parameters, no trigger).
 */
export async function runWorkflow(
	pkg: LoadedPackage,
	workflowInput: WorkflowInput,
	options: RunOptions = {},
): Promise<WorkflowRunResult> {
	const nodeTypes = new HarnessNodeTypes({
		...pkg.nodeTypes,
		[MANUAL_TRIGGER_TYPE]: createManualTrigger(options.inputItems as IDataObject[] | undefined),
		[NO_OP_TYPE]: noOpNode,
	});
	// Type objects are used as loaded (never spread: methods such as preAuthentication live
	// on their prototype).
	const credentialsHelper = new HarnessCredentialsHelper(
		{ ...builtinCredentialTypes, ...pkg.credentialTypes },
		options.credentials,
	);

	const wf = structuredClone(workflowInput) as WorkflowInput;
	const nodes = wf.nodes.map((node, index) =>
		normalizeNode(node as WorkflowNodeInput, index, nodeTypes, options.credentials ?? {}),
	);
	const connections = (wf.connections ?? {}) as IConnections;
	const settings: IWorkflowSettings = {
		executionOrder: 'v1',
		...(wf.settings as IWorkflowSettings),
	};
	const pinData =
		wf.pinData && Object.keys(wf.pinData).length > 0 ? (wf.pinData as IPinData) : undefined;
	const workflowId = wf.id ?? 'harness-workflow';
	const workflowName = wf.name ?? 'Harness workflow';

	const workflow = new Workflow({
		id: workflowId,
		name: workflowName,
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: wf.staticData ?? undefined,
		settings,
		pinData,
	});

	const startNode = nodes.find((node) => {
		if (node.disabled) return false;
		const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		return type.trigger !== undefined || type.poll !== undefined;
	});
	if (!startNode) {
		throw new Error(
			`The workflow has no enabled trigger node to start from (add a "${MANUAL_TRIGGER_TYPE}" node)`,
		);
	}

	const executionId = `harness-${++executionCounter}`;
	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: workflowName,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings,
		pinData,
	};
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let hookRun: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		hookRun = fullRunData;
	});

	const additionalData = createAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		settings,
	});

	const returnedRun = await new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode,
		pinData,
	});
	const run = hookRun ?? returnedRun;
	return buildResult(run, nodes, credentialsHelper);
}

function normalizeNode(
	input: WorkflowNodeInput,
	index: number,
	nodeTypes: HarnessNodeTypes,
	credentialData: Record<string, unknown>,
): INode {
	const node = {
		...input,
		id: input.id ?? randomUUID(),
		typeVersion: input.typeVersion ?? 1,
		position: (input.position as [number, number] | undefined) ?? [index * 220, 0],
		parameters: (input.parameters ?? {}) as INode['parameters'],
	} as INode;
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	for (const { name } of type.description.credentials ?? []) {
		if (name in credentialData && !node.credentials?.[name]) {
			node.credentials = {
				...node.credentials,
				[name]: { id: `harness-${name}`, name: `${name} (harness)` },
			};
		}
	}
	return node;
}

function createAdditionalData({
	credentialsHelper,
	hooks,
	executionId,
	workflowId,
	settings,
}: {
	credentialsHelper: HarnessCredentialsHelper;
	hooks: ExecutionLifecycleHooks;
	executionId: string;
	workflowId: string;
	settings: IWorkflowSettings;
}): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not supported by the test harness`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		workflowSettings: settings,
		currentNodeExecutionIndex: 0,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		executeWorkflow: unsupported('Executing sub-workflows'),
		startRunnerTask: unsupported('Running Code-node tasks'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	} as IWorkflowExecuteAdditionalData;
}

// ---------------------------------------------------------------------------------------
// Results

/** n8n-core stores errors as spread copies (`{ ...error, message, stack }`); make them Errors again. */
function toError(value: unknown): (Error & Record<string, unknown>) | undefined {
	if (value === undefined || value === null) return undefined;
	if (value instanceof Error) return value as Error & Record<string, unknown>;
	const fields = value as Record<string, unknown>;
	const error = new Error(String(fields.message ?? 'Unknown error')) as Error &
		Record<string, unknown>;
	Object.assign(error, fields);
	return error;
}

function buildResult(
	run: IRun,
	nodes: INode[],
	credentialsHelper: HarnessCredentialsHelper,
): WorkflowRunResult {
	const runData = run.data.resultData.runData;
	const nodeNames = new Set(nodes.map((node) => node.name));
	const lastTask = (nodeName: string) => {
		if (!nodeNames.has(nodeName)) {
			throw new Error(
				`No node named "${nodeName}" in the workflow (nodes: ${[...nodeNames].join(', ')})`,
			);
		}
		return runData[nodeName]?.at(-1);
	};
	const error = toError(run.data.resultData.error);
	return {
		status: error === undefined && run.status !== 'error' ? 'success' : 'error',
		error,
		outputOf: (nodeName, outputIndex = 0) => lastTask(nodeName)?.data?.main?.[outputIndex] ?? [],
		nodeError: (nodeName) => toError(lastTask(nodeName)?.error),
		runData,
		credentialUpdates: credentialsHelper.updates,
		credentialsAfter: credentialsHelper.snapshot(),
		run,
	};
}

// ---------------------------------------------------------------------------------------
// Building workflows in code

export const MANUAL_TRIGGER_NAME = 'Manual Trigger';

/** A node for workflowFromNodes; `onError` also takes a plain string (as in JSON). */
export type NodeSpec = Omit<Partial<INode>, 'onError'> &
	Pick<INode, 'name' | 'type' | 'parameters'> & { onError?: INode['onError'] | string };

/**
 * A linear workflow: manual trigger → nodes[0] → nodes[1] → … (main output 0 to input 0).
 * Fills in id, typeVersion (1), position and the connections. A trigger is prepended unless
 * nodes[0] already is a manual trigger.
 */
export function workflowFromNodes(nodes: NodeSpec[]): {
	nodes: INode[];
	connections: IConnections;
	settings: IWorkflowSettings;
} {
	const chain: NodeSpec[] =
		nodes[0]?.type === MANUAL_TRIGGER_TYPE
			? nodes
			: [{ name: MANUAL_TRIGGER_NAME, type: MANUAL_TRIGGER_TYPE, parameters: {} }, ...nodes];
	const built = chain.map(
		(node, index): INode =>
			({
				...node,
				id: node.id ?? randomUUID(),
				typeVersion: node.typeVersion ?? 1,
				position: node.position ?? [index * 220, 0],
			}) as INode,
	);
	const connections: IConnections = {};
	for (let i = 0; i < built.length - 1; i++) {
		connections[built[i].name] = { main: [[{ node: built[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { nodes: built, connections, settings: { executionOrder: 'v1' } };
}
