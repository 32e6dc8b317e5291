/**
 * Running the Webinar Registration operations as workflows against the Graph sandbox's
 * webinars (sandbox/virtual-events.js), and calling the node's editor methods (webinar list,
 * registration questions) the way n8n's editor does: through n8n-core's LoadOptionsContext.
 */
import { forgetNodeProcessState, onTestClock } from '../harness/virtualClock';
import { LoadOptionsContext } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { HarnessCredentialsHelper, loadPackage } from '../harness';
import type { WorkflowInput } from '../harness';
import { builtinCredentialTypes } from '../harness/builtins';
import {
	APP_ONLY_CREDENTIAL,
	NODE_NAME,
	NODE_TYPE,
	OAUTH2_CREDENTIAL,
	PACKAGE_DIR,
} from './enrollWorkflow';
import type { GraphSandbox } from './enrollWorkflow';
import { readExample } from './examples';
import { APP_ONLY, DELEGATED } from './lifecycleWorkflow';
import type { CredentialKind, LoggedRequest } from './lifecycleWorkflow';

export const WEBINARS = '/v1.0/solutions/virtualEvents/webinars';

/** A webinar's path as the node must send it: the id is one path segment (its `@` encoded). */
export const webinarPathOf = (webinarId: string) => `${WEBINARS}/${encodeURIComponent(webinarId)}`;

/** Someone who registers themselves with a delegated credential (their own token). */
export const ATTENDEE = {
	id: 'a7d3c1b2-0e4f-4a5b-9c8d-7e6f5a4b3c2d',
	userPrincipalName: 'jane.attendee@sandbox.onmicrosoft.com',
	displayName: 'Jane Attendee',
	token: 'sandbox-attendee-delegated-token',
};

/** Call after every `sandbox.reset()`: the attendee's user and token, and the app of APP_ONLY. */
export function prepareWebinarSandbox(sandbox: GraphSandbox): void {
	sandbox.setPageSize(100);
	sandbox.addUser({
		id: ATTENDEE.id,
		userPrincipalName: ATTENDEE.userPrincipalName,
		displayName: ATTENDEE.displayName,
	});
	sandbox.addToken(ATTENDEE.token, { userId: ATTENDEE.id, kind: 'delegated' });
	APP_ONLY.prepare(sandbox);
}

/** The delegated credential signed in as the attendee. */
export const ATTENDEE_KIND: CredentialKind = {
	...DELEGATED,
	credentials: (sandbox) => {
		const credentials = DELEGATED.credentials(sandbox) as Record<string, Record<string, unknown>>;
		return {
			[OAUTH2_CREDENTIAL]: {
				...credentials[OAUTH2_CREDENTIAL],
				oauthTokenData: { access_token: ATTENDEE.token, token_type: 'Bearer' },
			},
		};
	},
};

/** The service principal of APP_ONLY's app, as the sandbox's authority registered it. */
export function appPrincipalId(sandbox: GraphSandbox): string {
	const apps = [
		...(sandbox.authority.apps as Map<string, { servicePrincipalId: string }>).values(),
	];
	if (apps.length !== 1) throw new Error(`expected one registered app, found ${apps.length}`);
	return apps[0].servicePrincipalId;
}

export const byWebinarId = (value: string) => ({ __rl: true, mode: 'id', value });
export const byRegistrationPage = (value: string) => ({ __rl: true, mode: 'url', value });
export const fromWebinarList = (value: string) => ({ __rl: true, mode: 'list', value });
export const byEmail = (value: string) => ({ __rl: true, mode: 'email', value });
export const byRegistrationId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Fast enough for tests that are not about pacing (the webinar write default is 0.5/s). */
export const UNPACED = { requestOptions: { maxRequestsPerSecond: 100 } };

/** The webinar requests the sandbox received, in order. */
export function webinarRequests(sandbox: GraphSandbox): Array<
	LoggedRequest & {
		time: number;
		headers: Record<string, string>;
		responseHeaders?: Record<string, string>;
	}
> {
	return (
		sandbox.requests as Array<
			LoggedRequest & {
				time: number;
				headers: Record<string, string>;
				responseHeaders?: Record<string, string>;
			}
		>
	).filter((request) => request.rawPath.startsWith('/v1.0/solutions/'));
}

/** `METHOD path?query status` per Graph request (sign-in requests left out), the path as sent. */
export function graphConversation(sandbox: GraphSandbox): string[] {
	return (sandbox.requests as LoggedRequest[])
		.filter(
			(request) => request.rawPath.startsWith('/v1.0/') || request.rawPath.startsWith('/beta/'),
		)
		.map(
			({ method, rawPath, rawQuery, status }) =>
				`${method} ${rawPath}${rawQuery ? `?${rawQuery}` : ''} ${status}`,
		);
}

/**
 * The Registration Questions parameter as the editor stores it: the fields the node's
 * mapping method returned (its schema) and the answers by question id. `answers` names
 * questions by display name, as a user picks them.
 */
export function questionMapping(
	fields: ResourceMapperField[],
	answers: Record<string, unknown>,
): IDataObject {
	const value: IDataObject = {};
	for (const [displayName, answer] of Object.entries(answers)) {
		const field = fields.find((candidate) => candidate.displayName === displayName);
		if (!field)
			throw new Error(
				`No question "${displayName}" among ${fields.map((candidate) => candidate.displayName).join(', ')}`,
			);
		value[field.id] = answer as IDataObject[string];
	}
	return {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: fields as unknown as IDataObject[],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

let editorCredentialSerial = 0;

/**
 * The node's parameters with its defaults filled in, as n8n keeps them for a node in the
 * editor. Each call names a fresh app-only credential: MSAL keeps a client (and its tokens)
 * per credential for the process, and a test changing the app must get a new token.
 */
async function nodeWithDefaults(
	parameters: INodeParameters,
): Promise<{ node: INode; nodeType: INodeType }> {
	return await nodeAsTheEditorKeepsIt({
		id: 'editor-node',
		type: NODE_TYPE,
		name: NODE_NAME,
		parameters,
		appOnlyCredentialId: `cred-editor-app-${++editorCredentialSerial}`,
	});
}

/**
 * A node of this package with `parameters` and its defaults filled in, as n8n keeps it in the
 * editor, and its node type; both credentials attached.
 */
export async function nodeAsTheEditorKeepsIt({
	id,
	type,
	name,
	parameters,
	appOnlyCredentialId,
}: {
	id: string;
	type: string;
	name: string;
	parameters: INodeParameters;
	appOnlyCredentialId: string;
}): Promise<{ node: INode; nodeType: INodeType }> {
	const pkg = await loadPackage(PACKAGE_DIR);
	const nodeType = pkg.nodeTypes[type] as INodeType;
	const node: INode = {
		id,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: {
			[OAUTH2_CREDENTIAL]: { id: 'cred-1', name: 'Sandbox (delegated)' },
			[APP_ONLY_CREDENTIAL]: { id: appOnlyCredentialId, name: 'Sandbox (app-only)' },
		},
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			parameters,
			true,
			false,
			node,
			nodeType.description,
		) ?? {};
	return { node, nodeType };
}

export interface EditorCall {
	kind: CredentialKind;
	/** The node's parameters as set in the editor (resource, operation, webinar...). */
	parameters: Record<string, unknown>;
}

/** A LoadOptionsContext for the node, as n8n's backend builds one for an editor request. */
async function editorContext(
	sandbox: GraphSandbox,
	{ kind, parameters }: EditorCall,
	path: string,
) {
	const pkg = await loadPackage(PACKAGE_DIR);
	const { node, nodeType } = await nodeWithDefaults({
		...kind.parameters,
		...parameters,
	} as INodeParameters);
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'editor-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const credentialsHelper = new HarnessCredentialsHelper(
		{ ...builtinCredentialTypes, ...pkg.credentialTypes },
		kind.credentials(sandbox) as Record<string, Record<string, unknown>>,
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
	return { context: new LoadOptionsContext(workflow, node, additionalData, path), nodeType };
}

/** The Webinar field's list ("From List"), as the editor asks for it. */
export async function searchWebinars(
	sandbox: GraphSandbox,
	call: EditorCall,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { context, nodeType } = await editorContext(sandbox, call, 'parameters.webinar');
	forgetNodeProcessState();
	return await onTestClock(
		nodeType.methods!.listSearch!.searchWebinars.call(context, filter, paginationToken),
	);
}

/** The Registration Questions field's fields, as the editor asks for them. */
export async function registrationQuestionFields(
	sandbox: GraphSandbox,
	call: EditorCall,
): Promise<ResourceMapperFields> {
	const { context, nodeType } = await editorContext(sandbox, call, 'parameters.questionAnswers');
	forgetNodeProcessState();
	return await onTestClock(
		nodeType.methods!.resourceMapping!.getRegistrationQuestions.call(context),
	);
}

export { APP_ONLY, DELEGATED };

/** What the webinar example has where the user's webinar and its organizer go. */
export const WEBINAR_EXAMPLE = {
	file: 'form-register-webinar.json',
	registrationPagePlaceholder:
		'https://events.teams.microsoft.com/event/PASTE-YOUR-WEBINAR-REGISTRATION-LINK-HERE',
	organizerPlaceholder: 'webinar-organizer@PASTE-YOUR-DOMAIN-HERE.example',
	credentialReference: {
		id: 'teamsRegistrationAppOnlyCredential',
		name: 'Microsoft Teams Registration app-only account',
	},
};

/** The webinar example with its placeholders replaced, as a user fills them in after importing. */
export function loadWebinarExample(registrationPage: string, organizer: string): WorkflowInput {
	const committed = JSON.stringify(readExample(WEBINAR_EXAMPLE.file));
	for (const placeholder of [
		WEBINAR_EXAMPLE.registrationPagePlaceholder,
		WEBINAR_EXAMPLE.organizerPlaceholder,
	]) {
		if (!committed.includes(JSON.stringify(placeholder)))
			throw new Error(`${WEBINAR_EXAMPLE.file} has no placeholder ${placeholder}`);
	}
	return JSON.parse(
		committed
			.split(JSON.stringify(WEBINAR_EXAMPLE.registrationPagePlaceholder))
			.join(JSON.stringify(registrationPage))
			.split(JSON.stringify(WEBINAR_EXAMPLE.organizerPlaceholder))
			.join(JSON.stringify(organizer)),
	) as WorkflowInput;
}
