import type { INodeProperties } from 'n8n-workflow';

/**
 * The Microsoft clouds a credential can point at: one table, read by both credentials
 * (sign-in endpoints) and by the node's transport (Graph base URL).
 */
export type GraphCloud = 'global' | 'usGov' | 'usGovDod' | 'china' | 'custom';

interface CloudEndpoints {
	displayName: string;
	graphUrl: string;
	authorityUrl: string;
}

export const GRAPH_CLOUDS: Record<Exclude<GraphCloud, 'custom'>, CloudEndpoints> = {
	global: {
		displayName: 'Global (graph.microsoft.com)',
		graphUrl: 'https://graph.microsoft.com',
		authorityUrl: 'https://login.microsoftonline.com',
	},
	usGov: {
		displayName: 'US Government L4 / GCC High (graph.microsoft.us)',
		graphUrl: 'https://graph.microsoft.us',
		authorityUrl: 'https://login.microsoftonline.us',
	},
	usGovDod: {
		displayName: 'US Government L5 / DoD (dod-graph.microsoft.us)',
		graphUrl: 'https://dod-graph.microsoft.us',
		authorityUrl: 'https://login.microsoftonline.us',
	},
	china: {
		displayName: 'China, operated by 21Vianet (microsoftgraph.chinacloudapi.cn)',
		graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
		authorityUrl: 'https://login.chinacloudapi.cn',
	},
};

export const GRAPH_CLOUD_OPTIONS = [
	...Object.entries(GRAPH_CLOUDS).map(([value, cloud]) => ({ name: cloud.displayName, value })),
	{ name: 'Custom (Proxy, Gateway or Local Sandbox)', value: 'custom' },
];

function withoutTrailingSlash(url: string): string {
	return url.trim().replace(/\/+$/, '');
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts a plain-http URL may name (a local sandbox). */
function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a URL the credential sends secrets to is refused, or undefined when it is fine:
 * it must be https, except on this machine's loopback (a local sandbox).
 */
export function insecureUrlReason(url: string, field: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `"${field}" is not a valid URL`;
	}
	if (parsed.protocol === 'https:') return undefined;
	if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
	return `"${field}" must be an https:// URL (plain http is accepted only for this machine's loopback address): over ${parsed.protocol.replace(/:$/, '')}, the credential's token or secret would travel unencrypted`;
}

/** Graph base URL (no version segment) for a credential's cloud fields. */
export function graphBaseUrl(cloud: unknown, customGraphUrl: unknown): string {
	if (cloud === 'custom') return withoutTrailingSlash(String(customGraphUrl ?? ''));
	return (
		GRAPH_CLOUDS[(cloud as keyof typeof GRAPH_CLOUDS) ?? 'global']?.graphUrl ??
		GRAPH_CLOUDS.global.graphUrl
	);
}

/**
 * An n8n expression, evaluated by n8n against the credential itself ($self), that yields
 * the sign-in authority of the selected cloud. Built from the table so the clouds are
 * written down once.
 */
export function authorityUrlExpression(): string {
	const branches = Object.entries(GRAPH_CLOUDS)
		.map(([value, cloud]) => `$self.graphCloud === '${value}' ? '${cloud.authorityUrl}' : `)
		.join('');
	return `${branches}String($self.customAuthorityUrl || '').replace(/\\/+$/, '')`;
}

/** The cloud choice both credentials start with. */
export const graphCloudProperties: INodeProperties[] = [
	{
		displayName: 'Microsoft Cloud',
		name: 'graphCloud',
		type: 'options',
		options: GRAPH_CLOUD_OPTIONS,
		default: 'global',
		description:
			'Which Microsoft cloud your tenant lives in. Sign-in and Microsoft Graph follow this choice. External meeting registration and webinars are documented for the global cloud only.',
	},
	{
		displayName: 'Custom Graph URL',
		name: 'customGraphUrl',
		type: 'string',
		default: '',
		placeholder: 'https://graph-proxy.example.com',
		description:
			'Base URL of a proxy or gateway in front of Microsoft Graph, or of the local Graph sandbox, without /beta',
		displayOptions: { show: { graphCloud: ['custom'] } },
		required: true,
	},
];
