'use strict';
/**
 * Graph failures inside a real n8n: an error reaches the user as n8n's error for our node,
 * with Graph's message and code, the HTTP status and our hint (enrolling into a meeting whose
 * external registration is not enabled: Graph answers 404); throttling (429 with Retry-After)
 * is waited out and retried; a redirect is not followed and a plain-http Graph URL is refused,
 * so the token never leaves Graph.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { NODE_TYPE, PACKAGE_NAME, REPO_ROOT, outputOf } = require('../../scripts/demo-setup');
const { TEAMS_OAUTH2_CREDENTIAL } = require('../../scripts/example-workflows');
const { assertRanGreen } = require('./support');

const ENROLL_NODE = 'Enroll in Teams meeting';

/** Imports Manual Trigger → our node enrolling ann@example.com into `meetingId` (by ID). */
async function importEnrollWorkflow(
	instance,
	id,
	meetingId,
	credential = instance.credentials.find((candidate) => candidate.type === TEAMS_OAUTH2_CREDENTIAL),
) {
	const workflow = {
		id,
		name: `e2e: ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'enroll',
				name: ENROLL_NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					authentication: 'oAuth2',
					resource: 'registrant',
					operation: 'enroll',
					meeting: { __rl: true, mode: 'id', value: meetingId },
					registrationMode: 'everyone',
					externalId: 'ann@example.com',
					options: {},
				},
				credentials: { [TEAMS_OAUTH2_CREDENTIAL]: { id: credential.id, name: credential.name } },
			},
		],
		connections: { Start: { main: [[{ node: ENROLL_NODE, type: 'main', index: 0 }]] } },
	};
	await instance.importWorkflow(workflow);
	return workflow;
}

module.exports = (test) => {
	test("enrolling into a meeting without registration fails with Graph's 404 and our hint", async ({
		instance,
		sandboxes,
	}) => {
		const { graph } = sandboxes;
		const meeting = graph.createMeeting({
			subject: 'Meeting without registration',
			allowedRegistrant: null,
		});
		const workflow = await importEnrollWorkflow(instance, 'e2eNoRegistration', meeting.id);

		const run = await instance.execute(workflow.id);

		assert.equal(run.code, 1, 'n8n execute exits 1 on a failed workflow');
		assert.equal(run.result.status, 'error');
		const registrantsPath = `/beta/me/onlineMeetings/${meeting.id}/registration/registrants`;
		assert.deepEqual(
			graph.requests.map((request) => `${request.method} ${request.rawPath} ${request.status}`),
			[`POST ${registrantsPath} 404`],
		);
		assert.deepEqual(graph.registrantsOf(meeting.id), []);

		// The hint as the package words it: from dist/, which is what the installed tarball was
		// packed from (the installed copy cannot be loaded here: its n8n-workflow is n8n's own).
		const { hintFor } = require(
			path.join(REPO_ROOT, 'dist/nodes/MicrosoftTeamsRegistration/graph/hints.js'),
		);
		const graphMessage = 'The registration of this online meeting does not exist.';
		const hint = hintFor(404, graphMessage, registrantsPath);
		assert.match(hint, /registration is not enabled/);

		const { error } = run;
		assert.equal(error.message, `${graphMessage} [NotFound]`);
		assert.equal(error.httpCode, '404');
		assert.ok(
			error.description.startsWith(hint),
			`the error's description starts with the hint:\n${error.description}`,
		);
		assert.match(error.description, /Graph request ID: [0-9a-f-]{36}\.$/);
		assert.equal(error.node.name, ENROLL_NODE);
		assert.equal(error.node.type, `${PACKAGE_NAME}.microsoftTeamsRegistration`);
		// the node's run in the stored execution carries the same error
		const [enrollRun] = run.result.data.resultData.runData[ENROLL_NODE];
		assert.equal(enrollRun.executionStatus, 'error');
		assert.equal(enrollRun.error.message, error.message);
		// and n8n's CLI shows it to the person who ran it
		assert.ok((run.stdout + run.stderr).includes(`${graphMessage} [NotFound]`));
	});

	test('a throttled enrollment (Graph 429 with Retry-After) is retried and succeeds', async ({
		instance,
		sandboxes,
	}) => {
		const { graph, meetings } = sandboxes;
		const meeting = meetings.everyone;
		const workflow = await importEnrollWorkflow(instance, 'e2eThrottled', meeting.id);
		graph.injectFault({
			kind: 'status',
			status: 429,
			retryAfter: 1,
			method: 'POST',
			pathIncludes: '/registrants',
			times: 1,
		});

		const run = await instance.execute(workflow.id);

		assertRanGreen(run);
		assert.deepEqual(
			graph.requests.map((request) => `${request.method} ${request.status}`),
			['POST 429', 'POST 200'],
		);
		assert.ok(
			graph.requests[1].time - graph.requests[0].time >= 900,
			'the retry waited for Retry-After (1 s)',
		);
		const [registrant] = graph.registrantsOf(meeting.id);
		assert.deepEqual(outputOf(run.result, ENROLL_NODE), [
			{
				id: 'ann@example.com',
				joinWebUrl: registrant.joinWebUrl,
				userId: null,
				tenantId: null,
				meetingId: meeting.id,
			},
		]);
	});

	test('a redirect from Graph is not followed: the other host gets neither the token nor the attendee', async ({
		instance,
		sandboxes,
	}) => {
		const { graph, meetings } = sandboxes;
		const received = [];
		const elsewhere = http.createServer((req, res) => {
			received.push(`${req.method} ${req.url} ${req.headers.authorization || ''}`);
			res.end('{}');
		});
		await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
		const elsewhereUrl = `http://127.0.0.1:${elsewhere.address().port}`;
		try {
			const workflow = await importEnrollWorkflow(instance, 'e2eRedirect', meetings.everyone.id);
			graph.injectFault({
				kind: 'redirect',
				status: 307,
				location: `${elsewhereUrl}/collect`,
				method: 'POST',
				pathIncludes: '/registrants',
			});

			const run = await instance.execute(workflow.id);

			assert.equal(run.result.status, 'error');
			// n8n 1.x hands the node a failed answer without its headers, so the Location is not known there
			const target =
				Number(instance.n8nVersion.split('.')[0]) >= 2
					? elsewhereUrl
					: 'an address it did not name';
			assert.equal(
				run.error.message,
				`Microsoft Graph's answer was a redirect (HTTP 307) to ${target}; the node follows no redirects`,
			);
			assert.deepEqual(received, [], 'the other host received nothing');
			assert.deepEqual(
				graph.requests.map((request) => `${request.method} ${request.status} ${request.fault}`),
				['POST 307 redirect'],
			);
			assert.deepEqual(graph.registrantsOf(meetings.everyone.id), []);
		} finally {
			await new Promise((resolve) => elsewhere.close(resolve));
		}
	});

	test('a plain-http Graph URL on a host other than loopback is refused before any request', async ({
		instance,
		sandboxes,
	}) => {
		const { graph, meetings } = sandboxes;
		const credential = {
			id: 'e2eHttpGraph',
			name: 'Plain-http Graph URL',
			type: TEAMS_OAUTH2_CREDENTIAL,
		};
		const file = path.join(instance.userFolder, 'import', 'credential-http.json');
		fs.writeFileSync(
			file,
			JSON.stringify([
				{
					...credential,
					data: {
						graphCloud: 'custom',
						customGraphUrl: 'http://graph.example.test',
						customAuthorityUrl: graph.url,
						tenant: 'common',
						clientId: 'sandbox-client-id',
						clientSecret: 'sandbox-client-secret',
						oauthTokenData: {
							access_token: 'e2e-token-that-must-not-travel',
							token_type: 'Bearer',
						},
					},
				},
			]),
		);
		const imported = await instance.cli(['import:credentials', `--input=${file}`]);
		assert.equal(imported.code, 0, imported.stdout + imported.stderr);
		const workflow = await importEnrollWorkflow(
			instance,
			'e2eHttpGraph',
			meetings.everyone.id,
			credential,
		);

		const run = await instance.execute(workflow.id);

		assert.equal(run.result.status, 'error');
		assert.equal(
			run.error.message,
			'The credential was not used: "Custom Graph URL" must be an https:// URL (plain http is accepted only for this machine\'s loopback address): over http, the credential\'s token or secret would travel unencrypted',
		);
		assert.deepEqual(graph.requests, []);
		assert.ok(!(run.stdout + run.stderr).includes('e2e-token-that-must-not-travel'));
	});
};
