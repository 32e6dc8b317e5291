/**
 * An in-memory `ICredentialsHelper`, following what n8n 2.41's own `CredentialsHelper`
 * (packages/cli) does once a credential has been decrypted: credentials are looked up by
 * type (one set of test data per credential type), parent properties are merged along the
 * `extends` chain, defaults are applied with `NodeHelpers.getNodeParameters`, and
 * expressions in the data (including defaults such as a hidden
 * `accessTokenUrl: '={{$self.tenantId}}…'`) are resolved with `$self` bound to the
 * credential's own data. Writes (token refreshes, preAuthentication results) are kept in
 * memory and recorded for assertions.
 */
import { getAdditionalKeys } from 'n8n-core';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/** One write n8n made to a credential during the run. */
export interface CredentialUpdate {
	type: string;
	/** `oauthTokenData`: a token fetch/refresh; `credentials`: a full save (preAuthentication). */
	kind: 'oauthTokenData' | 'credentials';
	data: ICredentialDataDecryptedObject;
}

/**
 * Stored fields the credential type owns when it declares them `hidden`: n8n drops the
 * stored values so the type's default wins (cli/src/oauth/dcr-managed-fields.ts).
 */
const OAUTH_PINNED_FIELDS = [
	'useDynamicClientRegistration',
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'usePkce',
	'requestTokenUrl',
	'signatureMethod',
];

const mockNode: INode = {
	id: 'harness-credential-mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const mockNodeType = { description: { properties: [] } } as unknown as INodeType;
const mockNodeTypes: INodeTypes = {
	getKnownTypes: () => ({}),
	getByName: () => mockNodeType,
	getByNameAndVersion: () => mockNodeType,
};

const clone = <T>(value: T): T => structuredClone(value);

class MemoryCredentials extends ICredentials {
	constructor(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		private readonly helper: HarnessCredentialsHelper,
	) {
		super(nodeCredentials, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return clone(this.helper.getStored(this.type));
	}

	getDataToSave(): ICredentialsEncrypted {
		return {
			id: this.id,
			name: this.name,
			type: this.type,
			data: JSON.stringify(this.helper.getStored(this.type)),
		};
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.helper.setStored(this.type, clone(data));
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const data = { ...this.helper.getStored(this.type), ...clone(toUpdate) };
		for (const key of toDelete) delete data[key];
		this.helper.setStored(this.type, data as ICredentialDataDecryptedObject);
	}
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Every write n8n made, in order. */
	readonly updates: CredentialUpdate[] = [];

	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		data: Record<string, Record<string, unknown>> = {},
	) {
		super();
		for (const [type, values] of Object.entries(data)) {
			this.getCredentialType(type); // fail early on typos
			this.store.set(type, clone(values) as ICredentialDataDecryptedObject);
		}
	}

	/** The stored (raw, un-defaulted) data of every credential type, after the run's writes. */
	snapshot(): Record<string, ICredentialDataDecryptedObject> {
		return Object.fromEntries([...this.store].map(([type, data]) => [type, clone(data)]));
	}

	getStored(type: string): ICredentialDataDecryptedObject {
		const data = this.store.get(type);
		if (data === undefined) {
			throw new Error(
				`The harness has no credential data for type "${type}": pass it as ` +
					`runWorkflow(…, { credentials: { ${type}: { … } } }).`,
			);
		}
		return data;
	}

	setStored(type: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(type, data);
	}

	getCredentialType(type: string): ICredentialType {
		const credentialType = this.credentialTypes[type];
		if (!credentialType) {
			throw new Error(
				`Unknown credential type "${type}". Known: ${Object.keys(this.credentialTypes).join(', ')}`,
			);
		}
		return credentialType;
	}

	getParentTypes(name: string): string[] {
		const parents = this.credentialTypes[name]?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.credentialTypes[credentialType];
		if (!type?.restrictToSupportedNodes) return true;
		// The loader records supported nodes by short name (without the package prefix).
		const shortName = nodeType.slice(nodeType.lastIndexOf('.') + 1);
		return (type.supportedNodes ?? []).some((node) => node === nodeType || node === shortName);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.getCredentialType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new Error('Workflow and node are required for declarative credential authentication');
			}
			requestOptions.headers ??= {};
			const additionalKeys = { $credentials: credentials } as IWorkflowDataProxyAdditionalKeys;
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
					const keyResolved = this.resolveValue(key, additionalKeys, workflow, node);
					const valueResolved = this.resolveValue(value as string, additionalKeys, workflow, node);
					target[outerKey] ??= {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	private resolveValue(
		value: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	/**
	 * Like n8n: runs the type's `preAuthentication` only when it has a hidden property marked
	 * `typeOptions.expirable` and that property is empty, the credential has expired (a 401
	 * was answered), or a credential test is running; then saves the result.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;

		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}
		const output = (await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			const nodeCredentials = node.credentials[credentialType.name];
			const stored = await (
				await this.getCredentials(nodeCredentials, credentialType.name)
			).getData();
			const toPersist: ICredentialDataDecryptedObject = { ...stored };
			for (const [key, value] of Object.entries(output)) {
				if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value;
			}
			await this.updateCredentials(nodeCredentials, credentialType.name, toPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	/** Called by n8n-core's OAuth2 request code on every request: no guard, no saving. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.getCredentialType(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		const output = await preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		this.getStored(type);
		return new MemoryCredentials(nodeCredentials, type, this);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = clone(this.getStored(type));
		if (raw === true) return original;
		return this.applyDefaultsAndResolve(
			additionalData,
			original,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** The counterpart of n8n's `applyDefaultsAndOverwrites` (no overwrites here). */
	private applyDefaultsAndResolve(
		additionalData: IWorkflowExecuteAdditionalData,
		original: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);

		const stored = { ...original };
		for (const field of OAUTH_PINNED_FIELDS) {
			if (properties.some((p) => p.name === field && p.type === 'hidden')) delete stored[field];
		}

		let data = NodeHelpers.getNodeParameters(
			properties,
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		// Not declared as properties (except oauthTokenData on the OAuth roots), so
		// getNodeParameters drops them; n8n copies them back.
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;
		if (
			data.allowedHttpRequestDomains === undefined &&
			original.allowedHttpRequestDomains !== undefined
		) {
			data.allowedHttpRequestDomains = original.allowedHttpRequestDomains;
		}
		if (data.allowedDomains === undefined && original.allowedDomains !== undefined) {
			data.allowedDomains = original.allowedDomains;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				data = expressionResolveValues.workflow.expression.getParameterValue(
					data as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				if (error instanceof Error) error.message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			const workflow = new Workflow({
				nodes: [mockNode],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes,
			});
			data = workflow.expression.getComplexParameterValue(
				mockNode,
				data as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, clone(data));
		this.updates.push({ type, kind: 'credentials', data: clone(data) });
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const oauthTokenData = clone(data.oauthTokenData);
		this.store.set(type, { ...this.getStored(type), oauthTokenData });
		this.updates.push({
			type,
			kind: 'oauthTokenData',
			data: { oauthTokenData: clone(oauthTokenData) },
		});
	}

	/** The type's properties merged along its `extends` chain (the parent's come first). */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getCredentialType(type);
		if (credentialType.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialType.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialType.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}

/** What n8n hands a credential's `preAuthentication`: only `httpRequest`, domain-restricted. */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new Error(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}
