// One benchmark variant, in a process of its own: enrolls N attendees against the sandbox
// and reports time, CPU and peak memory. Variants:
//  node        this package's node, through a real n8n-core workflow execution (defaults)
//  nodeBatched the same with "Batch Requests" on
//  allAtOnce   what the HTTP Request node does by default: every item's request at once;
//              with n8n's node-level "Retry On Fail" (3 tries, 1 s apart) the whole node,
//              every item, runs again after a failure
//  sequential  the HTTP Request node with batching "1 item per batch": one request at a time
//  tuned       the HTTP Request node tuned to a known cap C (extra.cap): batching C items per
//              batch, 1000 ms batch interval (n8n sends each batch without waiting for the
//              previous one's answers: exactly C requests/s), with n8n's node-level
//              "Retry On Fail" (3 tries, 1 s apart), which re-runs every item after a failure
//  httpNode    n8n's real HTTP Request node (n8n-nodes-base of the n8n 2.x runtime install,
//              extra.nodesBase) in the same n8n-core workflow run as this node, tuned to the
//              cap as `tuned` is, with the node's own "Retry On Fail" (3 tries, 1 s apart)
//  node-c<K>   this node with "Max Concurrent Requests" K (e.g. node-c64), the rest defaults
//  webinar     this package's node registering N attendees to a webinar, app-only
//              (extra: webinarId, authorityUrl, organizerId, tenantId, app, rate)
// The fifth argument is a JSON object of such extras.
const http = require('node:http');

const [variant, n, graphUrl, meetingId] = [
	process.argv[2],
	Number(process.argv[3]),
	process.argv[4],
	process.argv[5],
];
const extra = JSON.parse(process.argv[6] || '{}');
const externalIds = Array.from({ length: n }, (_, i) => `attendee-${i}@example.com`);
const TOKEN = 'sandbox-delegated-token';
const path = `/beta/me/onlineMeetings/${encodeURIComponent(meetingId)}/registration/registrants`;
const REGISTRANT_TYPE = '#microsoft.graph.externalMeetingRegistrant';

function post(agent, externalId) {
	const body = JSON.stringify({
		'@odata.type': REGISTRANT_TYPE,
		id: externalId,
	});
	return new Promise((resolve) => {
		const request = http.request(
			`${graphUrl}${path}`,
			{
				method: 'POST',
				agent,
				headers: {
					Authorization: `Bearer ${TOKEN}`,
					'Content-Type': 'application/json',
					'Content-Length': Buffer.byteLength(body),
				},
			},
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode));
			},
		);
		request.on('error', () => resolve(0));
		request.end(body);
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const baselines = {
	async allAtOnce() {
		const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
		for (let attempt = 1; attempt <= 3; attempt++) {
			const statuses = await Promise.all(externalIds.map((id) => post(agent, id)));
			if (statuses.every((status) => status >= 200 && status < 300)) return;
			if (attempt < 3) await sleep(1000);
		}
	},
	async tuned() {
		const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
		const batchSize = extra.batchSize ?? extra.cap;
		const batchIntervalMs = extra.batchIntervalMs ?? 1000;
		for (let attempt = 1; attempt <= 3; attempt++) {
			// As n8n's HTTP Request node (V3) does it: each batch is sent after the interval,
			// without waiting for earlier answers; all answers are awaited at the end.
			const requests = [];
			for (let index = 0; index < externalIds.length; index++) {
				if (index > 0 && index % batchSize === 0) await sleep(batchIntervalMs);
				requests.push(post(agent, externalIds[index]));
			}
			const statuses = await Promise.all(requests);
			if (statuses.every((status) => status >= 200 && status < 300)) return;
			if (attempt < 3) await sleep(1000);
		}
	},
	async sequential() {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		for (const id of externalIds) {
			const status = await post(agent, id);
			// Without "Continue On Fail" the HTTP Request node stops at the first failure.
			if (status < 200 || status >= 300) return;
		}
	},
};

async function runNode(requestOptions) {
	return await runWorkflowOf(
		{
			authentication: 'oAuth2',
			resource: 'registrant',
			operation: 'enroll',
			meeting: { __rl: true, mode: 'id', value: meetingId },
			registrationMode: 'everyone',
			externalId: '={{ $json.externalId }}',
			requestOptions,
		},
		{
			microsoftTeamsRegistrationOAuth2Api: {
				graphCloud: 'custom',
				customGraphUrl: graphUrl,
				customAuthorityUrl: graphUrl,
				tenant: 'common',
				clientId: 'bench',
				clientSecret: 'bench',
				oauthTokenData: { access_token: TOKEN, token_type: 'Bearer' },
			},
		},
		externalIds.map((externalId) => ({ externalId })),
	);
}

/** Webinar registration, app-only, N attendees attendee-<i>@example.com, at `extra.rate` requests/s (0: the node's default). */
async function runWebinar() {
	return await runWorkflowOf(
		{
			authentication: 'appOnly',
			organizer: extra.organizerId,
			resource: 'webinarRegistration',
			operation: 'register',
			webinar: { __rl: true, mode: 'id', value: extra.webinarId },
			firstName: '={{ $json.firstName }}',
			lastName: '={{ $json.lastName }}',
			email: '={{ $json.email }}',
			requestOptions: extra.rate ? { maxRequestsPerSecond: extra.rate } : {},
		},
		{
			microsoftTeamsRegistrationAppOnlyApi: {
				graphCloud: 'custom',
				customGraphUrl: graphUrl,
				customAuthorityUrl: extra.authorityUrl,
				tenantId: extra.tenantId,
				clientId: extra.app.clientId,
				authMethod: 'clientSecret',
				clientSecret: extra.app.clientSecret,
			},
		},
		externalIds.map((email, i) => ({ firstName: 'Guest', lastName: String(i), email })),
	);
}

/**
 * n8n's HTTP Request node (the version n8n puts in new workflows) POSTing each item's registrant,
 * batching `extra.cap` items per 1000 ms, Retry On Fail 3 tries 1 s apart: what a user tuning it
 * to a known cap builds.
 */
async function runHttpRequestNode() {
	const { HttpRequest } = require(`${extra.nodesBase}/dist/nodes/HttpRequest/HttpRequest.node.js`);
	const httpRequest = new HttpRequest();
	return await runWorkflowOf(
		{
			method: 'POST',
			url: `${graphUrl}${path}`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${TOKEN}` }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ "@odata.type": "${REGISTRANT_TYPE}", id: $json.externalId }) }}`,
			options: { batching: { batch: { batchSize: extra.cap, batchInterval: 1000 } } },
		},
		{},
		externalIds.map((externalId) => ({ externalId })),
		{
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: httpRequest.description.defaultVersion,
			nodeType: httpRequest,
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 },
		},
	);
}

async function runWorkflowOf(parameters, credentials, inputItems, otherNode) {
	require('./ts-register');
	const { loadPackage, runWorkflow, workflowFromNodes } = require('../test/harness');
	const loaded = await loadPackage(require('node:path').resolve(__dirname, '..'));
	const pkg = otherNode
		? { ...loaded, nodeTypes: { ...loaded.nodeTypes, [otherNode.type]: otherNode.nodeType } }
		: loaded;
	const workflow = workflowFromNodes([
		{
			name: 'Node',
			type: otherNode?.type ?? 'n8n-nodes-teams-meeting-registration.microsoftTeamsRegistration',
			...(otherNode ? { typeVersion: otherNode.typeVersion, ...otherNode.settings } : {}),
			parameters,
		},
	]);
	return async () => {
		const run = await runWorkflow(pkg, workflow, { credentials, inputItems });
		// A failed run is reported (the tally shows what it cost), not thrown.
		if (run.status !== 'success') failure = `node run failed: ${run.error?.message}`;
		// Kept until memory is measured: n8n holds a finished run's data too.
		return run;
	};
}

let failure;

(async () => {
	const prepared =
		variant === 'node'
			? await runNode({})
			: variant === 'nodeBatched'
				? await runNode({ batching: true })
				: variant === 'webinar'
					? await runWebinar()
					: variant === 'httpNode'
						? await runHttpRequestNode()
						: /^node-c\d+$/.test(variant)
							? await runNode({ maxConcurrency: Number(variant.slice(6)) })
							: baselines[variant];
	if (!prepared) throw new Error(`unknown variant ${variant}`);
	global.gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = await prepared();
	const elapsedMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	global.gc();
	// Heap still in use after the run, the run's own results included.
	const retainedKB = (process.memoryUsage().heapUsed - heapBefore) / 1024;
	process.stdout.write(
		JSON.stringify({
			elapsedMs,
			cpuMs: (cpu.user + cpu.system) / 1000,
			maxRssKB: process.resourceUsage().maxRSS,
			retainedKB,
			kept: result !== undefined,
			failure,
		}) + '\n',
	);
})().catch((error) => {
	process.stderr.write(String(error && error.stack) + '\n');
	process.exit(1);
});
