import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { HarnessCredentialsHelper, loadPackage } from './harness';
import { builtinCredentialTypes } from './harness/builtins';
import { OAUTH2_CREDENTIAL, PACKAGE_DIR } from './support/enrollWorkflow';

/** The delegated credential's hidden sign-in fields, resolved against its own data as n8n does. */
async function signInFields(data: Record<string, unknown>) {
	const pkg = await loadPackage(PACKAGE_DIR);
	const helper = new HarnessCredentialsHelper(
		{ ...builtinCredentialTypes, ...pkg.credentialTypes },
		{ [OAUTH2_CREDENTIAL]: data },
	);
	const resolved = await helper.getDecrypted(
		{} as IWorkflowExecuteAdditionalData,
		{ id: 'c', name: 'c' },
		OAUTH2_CREDENTIAL,
		'manual',
	);
	return {
		authUrl: resolved.authUrl,
		accessTokenUrl: resolved.accessTokenUrl,
		scope: resolved.scope,
	};
}

describe('the delegated credential follows the cloud', () => {
	test.each([
		[
			'global',
			'https://login.microsoftonline.com',
			'openid offline_access OnlineMeetings.ReadWrite',
		],
		[
			'usGov',
			'https://login.microsoftonline.us',
			'openid offline_access https://graph.microsoft.us/OnlineMeetings.ReadWrite',
		],
		[
			'usGovDod',
			'https://login.microsoftonline.us',
			'openid offline_access https://dod-graph.microsoft.us/OnlineMeetings.ReadWrite',
		],
		[
			'china',
			'https://login.chinacloudapi.cn',
			'openid offline_access https://microsoftgraph.chinacloudapi.cn/OnlineMeetings.ReadWrite',
		],
	])('%s', async (graphCloud, authority, scope) => {
		expect(await signInFields({ graphCloud, tenant: 'contoso.onmicrosoft.com' })).toEqual({
			authUrl: `${authority}/contoso.onmicrosoft.com/oauth2/v2.0/authorize`,
			accessTokenUrl: `${authority}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
			scope,
		});
	});

	test('custom: the given authority, without a trailing slash; tenant "common" by default', async () => {
		expect(
			await signInFields({
				graphCloud: 'custom',
				customGraphUrl: 'http://127.0.0.1:9',
				customAuthorityUrl: 'https://login.example.com/',
			}),
		).toEqual({
			authUrl: 'https://login.example.com/common/oauth2/v2.0/authorize',
			accessTokenUrl: 'https://login.example.com/common/oauth2/v2.0/token',
			scope: 'openid offline_access OnlineMeetings.ReadWrite',
		});
	});

	test('"Webinar Permission" adds VirtualEvent.ReadWrite, prefixed like the rest outside the global cloud', async () => {
		expect((await signInFields({ webinarPermission: true })).scope).toBe(
			'openid offline_access OnlineMeetings.ReadWrite VirtualEvent.ReadWrite',
		);
		expect((await signInFields({ graphCloud: 'usGov', webinarPermission: true })).scope).toBe(
			'openid offline_access https://graph.microsoft.us/OnlineMeetings.ReadWrite https://graph.microsoft.us/VirtualEvent.ReadWrite',
		);
	});
});

test('"Attendance Permission" adds OnlineMeetingArtifact.Read.All, alone or with the webinar permission, prefixed outside the global cloud', async () => {
	expect((await signInFields({ attendancePermission: true })).scope).toBe(
		'openid offline_access OnlineMeetings.ReadWrite OnlineMeetingArtifact.Read.All',
	);
	expect((await signInFields({ webinarPermission: true, attendancePermission: true })).scope).toBe(
		'openid offline_access OnlineMeetings.ReadWrite VirtualEvent.ReadWrite OnlineMeetingArtifact.Read.All',
	);
	expect((await signInFields({ graphCloud: 'usGov', attendancePermission: true })).scope).toBe(
		'openid offline_access https://graph.microsoft.us/OnlineMeetings.ReadWrite https://graph.microsoft.us/OnlineMeetingArtifact.Read.All',
	);
});
