import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { graphBaseUrl } from '../../../credentials/microsoftGraphClouds';
import { APP_PERMISSION, AppOnlySignInError, WEBINAR_APP_PERMISSION, acquireAppOnlyToken, tokenRoles } from './appOnlyToken';

/**
 * The app-only credential's "Test" button: really signs in (bypassing the token cache),
 * checks that the token carries the application permission (admin consent), and has Graph
 * check the token with a cheap read of the organization.
 */
export async function testAppOnlyCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let accessToken: string;
	try {
		({ accessToken } = await acquireAppOnlyToken(credential.id ?? undefined, data, true));
	} catch (error) {
		const failure = error instanceof AppOnlySignInError ? error : new AppOnlySignInError('Sign-in failed', '');
		return { status: 'Error', message: `${failure.message.replace(/\.?$/, '.')} ${failure.hint}`.trim() };
	}
	const roles = tokenRoles(accessToken);
	const granted = [APP_PERMISSION, WEBINAR_APP_PERMISSION].filter((permission) => roles.includes(permission));
	if (granted.length === 0) {
		return {
			status: 'Error',
			message: `Signed in, but the token carries neither application permission ${APP_PERMISSION} (meetings) nor ${WEBINAR_APP_PERMISSION} (webinars): an administrator has to grant admin consent for one on the app registration (API permissions).`,
		};
	}
	const response = (await this.helpers.request({
		method: 'GET',
		uri: `${graphBaseUrl(data.graphCloud, data.customGraphUrl)}/v1.0/organization`,
		qs: { $select: 'id' },
		headers: { Authorization: `Bearer ${accessToken}` },
		json: true,
		resolveWithFullResponse: true,
		simple: false,
	})) as { statusCode: number; body?: { error?: { code?: string; message?: string } } };
	// 403 is fine: the app needs no directory permission, Graph accepted the token itself.
	if (response.statusCode === 200 || response.statusCode === 403) {
		return { status: 'OK', message: `Signed in; the token carries ${granted.join(' and ')} and Microsoft Graph accepted it.` };
	}
	const graphError = response.body?.error;
	return {
		status: 'Error',
		message: `Signed in, but Microsoft Graph rejected the token (HTTP ${response.statusCode}${graphError?.code ? ` ${graphError.code}` : ''}): check that "Microsoft Cloud" matches your tenant's cloud.`,
	};
}
