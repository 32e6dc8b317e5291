/**
 * Using the node as an AI Agent tool.
 *
 * n8n's server serves every `usableAsTool` node also as a `<name>Tool` node type: the same
 * node, with no main input, an `ai_tool` output and a "Description" field for the model.
 * That conversion lives in the `n8n` server package, which is not a dependency here, so
 * `asToolNodeType` below builds the same shape in a few lines of its own; the end-to-end
 * tests (`npm run test:e2e`) load the package into a real n8n, where n8n's own conversion
 * runs. Everything after that is n8n-core itself: when an agent asks for its `ai_tool`
 * inputs, n8n-core's `getInputConnectionData` → `createNodeAsTool` builds a LangChain tool
 * from the node's `$fromAI()` parameters and runs the node's own `execute()` when called.
 */
import { NodeConnectionTypes, deepCopy } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';

/** The `<name>Tool` node type, as an agent's tool input sees it. */
export function asToolNodeType(nodeType: INodeType): INodeType {
	if (!nodeType.description.usableAsTool)
		throw new Error(`${nodeType.description.name} is not usableAsTool`);
	const description = deepCopy(nodeType.description);
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	delete description.usableAsTool;
	description.properties = [
		{
			displayName: 'Tool Description',
			name: 'descriptionType',
			type: 'options',
			options: [
				{ name: 'Set Automatically', value: 'auto' },
				{ name: 'Set Manually', value: 'manual' },
			],
			default: 'auto',
		},
		{
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: description.description,
			displayOptions: { show: { descriptionType: ['manual'] } },
		},
		...description.properties,
	];
	return Object.create(nodeType, { description: { value: description } }) as INodeType;
}

/**
 * n8n's editor "Let the model define this parameter" button: `$fromAI(key, description, type)`
 * with the key made from the field's display name (packages/frontend/editor-ui
 * fromAIOverrideUtils.ts: buildValueFromOverride, sanitizeFromAiParameterName).
 */
export function fromAI(
	field: Pick<INodeProperties, 'displayName' | 'type'>,
	description: string,
): string {
	const key = field.displayName.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);
	const type =
		field.type === 'boolean' || field.type === 'number' || field.type === 'json'
			? field.type
			: 'string';
	return `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${key}', \`${description}\`, '${type}') }}`;
}

export const AGENT_TYPE = 'test.toolCallingAgent';

export interface ToolCall {
	tool: string;
	args: Record<string, unknown>;
}

export interface SeenTool {
	name: string;
	description: string;
	/** Each argument's zod type and description, as the model is shown them. */
	arguments: Record<string, { type: string; description?: string }>;
}

interface LangChainTool {
	name: string;
	description: string;
	schema: { shape: Record<string, { _def: { typeName: string }; description?: string }> };
	invoke(args: Record<string, unknown>): Promise<string>;
}

/**
 * A stand-in for an AI Agent: instead of a language model it makes the given tool calls,
 * in order, through the tools n8n-core hands it. Its single output item records the tools
 * it was offered and each call's answer (or error message, which a model would read).
 */
export function createToolCallingAgent(calls: ToolCall[]): INodeType {
	return {
		description: {
			displayName: 'Tool-Calling Agent (test)',
			name: 'toolCallingAgent',
			group: ['transform'],
			version: 1,
			description: 'Calls its tools as a model would',
			defaults: { name: 'Agent' },
			inputs: [
				NodeConnectionTypes.Main,
				{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true },
			],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const tools = (await this.getInputConnectionData(
				NodeConnectionTypes.AiTool,
				0,
			)) as LangChainTool[];
			const seen: SeenTool[] = tools.map((tool) => ({
				name: tool.name,
				description: tool.description,
				arguments: Object.fromEntries(
					Object.entries(tool.schema.shape).map(([key, schema]) => [
						key,
						{ type: schema._def.typeName, description: schema.description },
					]),
				),
			}));
			const answers: Array<{ tool: string; answer?: unknown; error?: string }> = [];
			for (const call of calls) {
				const tool = tools.find((candidate) => candidate.name === call.tool);
				if (!tool)
					throw new Error(
						`The agent has no tool "${call.tool}" (it has: ${tools.map((t) => t.name).join(', ')})`,
					);
				try {
					answers.push({ tool: call.tool, answer: JSON.parse(await tool.invoke(call.args)) });
				} catch (error) {
					answers.push({ tool: call.tool, error: (error as Error).message });
				}
			}
			return [[{ json: { tools: seen, answers } as never }]];
		},
	};
}
