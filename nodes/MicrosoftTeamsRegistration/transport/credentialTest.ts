import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { graphBaseUrl, insecureUrlReason } from '../../../credentials/microsoftGraphClouds';
import {
	APP_PERMISSION,
	AppOnlySignInError,
	WEBINAR_APP_PERMISSION,
	acquireAppOnlyToken,
	tokenRoles,
} from './appOnlyToken';

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
	const graphUrl = graphBaseUrl(data.graphCloud, data.customGraphUrl);
	const insecure = insecureUrlReason(graphUrl, 'Custom Graph URL');
	if (insecure !== undefined) return { status: 'Error', message: `${insecure}.` };
	let accessToken: string;
	try {
		({ accessToken } = await acquireAppOnlyToken(credential.id ?? undefined, data, true));
	} catch (error) {
		const failure =
			error instanceof AppOnlySignInError ? error : new AppOnlySignInError('Sign-in failed', '');
		return {
			status: 'Error',
			message: `${failure.message.replace(/\.?$/, '.')} ${failure.hint}`.trim(),
		};
	}
	const roles = tokenRoles(accessToken);
	const granted = [APP_PERMISSION, WEBINAR_APP_PERMISSION].filter((permission) =>
		roles.includes(permission),
	);
	if (granted.length === 0) {
		return {
			status: 'Error',
			message: `Signed in, but the token carries neither application permission ${APP_PERMISSION} (meetings) nor ${WEBINAR_APP_PERMISSION} (webinars): an administrator has to grant admin consent for one on the app registration (API permissions).`,
		};
	}
	// Credential tests get only n8n's deprecated `request` helper; Node's fetch does the one read,
	// following no redirect, so the token goes to the credential's Graph host alone.
	const response = await fetch(`${graphUrl}/v1.0/organization?$select=id`, {
		headers: { Authorization: `Bearer ${accessToken}` },
		redirect: 'manual',
	});
	const statusCode = response.status;
	const body = (await response.json().catch(() => undefined)) as
		{ error?: { code?: string; message?: string } } | undefined;
	// 403 is fine: the app needs no directory permission, Graph accepted the token itself.
	if (statusCode === 200 || statusCode === 403) {
		return {
			status: 'OK',
			message: `Signed in; the token carries ${granted.join(' and ')} and Microsoft Graph accepted it.`,
		};
	}
	const graphError = body?.error;
	return {
		status: 'Error',
		message: `Signed in, but Microsoft Graph rejected the token (HTTP ${statusCode}${graphError?.code ? ` ${graphError.code}` : ''}): check that "Microsoft Cloud" matches your tenant's cloud.`,
	};
}
