// Event shape in a real n8n: N webhook submissions at once (one execution each) through a
// published workflow, in regular mode (`n8n start`, SQLite, one process) and in queue mode (main +
// 2 workers, scripts/queue-mode.js). Two shapes (`--events-shape`, default both):
//
// meetings: Webhook → this node enrolling into a meeting (scripts/example-workflows.js
//   queueEnrollWebhookWorkflow, the queue-mode e2e test's workflow), next to the same submissions
//   through Webhook → n8n's HTTP Request node "tuned to the cap" (batching C items per 1000 ms,
//   Retry On Fail 3 tries 1 s apart; with one item per execution the batching cannot pace
//   anything: it is the best the HTTP Request node offers). The Graph sandbox caps at
//   `--events-cap` requests/s (burst = cap) with `--events-latency` ms latency.
//
// webinar: Webhook → this node's Webinar Registration → Register with the app-only credential
//   (client secret, signing in at the sandbox's HTTPS sign-in authority; n8n trusts its test
//   certificate authority through NODE_EXTRA_CA_CERTS, scripts/demo-setup.js startSandboxes),
//   against the sandbox's virtual-events limits SCALED as bench/webinar.js does: Graph allows 15
//   webinar writes per 30 s per app (0.5/s) and 750 reads per 30 s; the sandbox's windows are
//   shrunk by `--events-scale` (default 10: 15 writes per 3 s = 5/s) and the node's Request
//   Options → Max Requests per Second set to 0.5/s × scale, so the node paces as it would at
//   Graph's real 0.5/s. (That one setting paces the node's webinar reads too, at 0.5/s × scale
//   instead of 25/s × scale. `--events-scale 1 --events-node-rate default` runs at Graph's real
//   limits with the node's own defaults, writes 0.5/s and reads 25/s: 100 take 200 s or more.)
//   Next to it Webhook → HTTP Request POSTing the registration to
//   .../virtualEvents/webinars/{id}/registrations with n8n's generic OAuth2 credential, grant
//   Client Credentials, at the same sign-in authority (no extra nodes), batching at the scaled
//   rate, Retry On Fail 3 × 1 s. What does not scale: the sandbox's Retry-After (whole seconds)
//   and each request's own time.
//
//   npm run bench -- --suite events [--events-n 100] [--events-shape meetings,webinar]
//                    [--events-cap 2] [--events-latency 100] [--events-scale 10]
//                    [--events-node-rate scaled|default|<number>]
//                    [--modes regular,queue] [--events-variants node,http]
// Uses the n8n 2.41.1 install of scripts/n8n-runtime.js (N8N_RUNTIME_DIR, else .n8n-runtime/;
// installed on first use). Queue mode needs redis-server and postgresql (apt).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');

const { option, markdownTable, seconds, percent } = require('./common');

const LABELS = {
	meetings: {
		node: 'this node (defaults)',
		http: 'HTTP Request tuned to the cap + Retry On Fail',
	},
	webinar: {
		node: 'this node, app-only',
		http: 'HTTP Request, OAuth2 client credentials, batching at the rate + Retry On Fail',
	},
};
/** Graph's budgets for virtual events, per app across all tenants. */
const GRAPH_WEBINAR_WRITES = { requests: 15, perMs: 30_000 };
const GRAPH_WEBINAR_READS = { requests: 750, perMs: 30_000 };
/** The benchmark's webinar (made afresh before each burst): published, no capacity, no questions. */
const BENCH_WEBINAR_UUID = '2b4d6f8a-1c3e-4a5b-9d7f-0e2c4a6b8d1f';
/** n8n's generic OAuth2 credential (grant Client Credentials) the HTTP Request node signs in with. */
const BENCH_APP_OAUTH2 = {
	id: 'benchGraphAppOAuth2',
	name: 'bench: Graph app-only (OAuth2 client credentials)',
	type: 'oAuth2Api',
};

/** POST `body` as JSON; resolves { status, body, text, ms }; never rejects (an error becomes status 0). */
function postJson(url, body, timeoutMs = 15 * 60 * 1000) {
	const started = Date.now();
	const payload = JSON.stringify(body);
	return new Promise((resolve) => {
		const request = http.request(
			url,
			{
				method: 'POST',
				agent: false,
				timeout: timeoutMs,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(payload),
				},
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => {
					let parsed;
					try {
						parsed = JSON.parse(text);
					} catch {
						parsed = undefined;
					}
					resolve({ status: response.statusCode, body: parsed, text, ms: Date.now() - started });
				});
				response.on('error', (error) =>
					resolve({ status: 0, text: String(error), ms: Date.now() - started }),
				);
			},
		);
		request.on('timeout', () =>
			request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
		);
		request.on('error', (error) =>
			resolve({ status: 0, text: `request failed: ${error.message}`, ms: Date.now() - started }),
		);
		request.end(payload);
	});
}

/** Polls a production webhook with a CORS preflight until n8n answers 204 (registered), without running it. */
async function waitForWebhook(url, timeoutMs = 180000) {
	const started = Date.now();
	for (;;) {
		const status = await new Promise((resolve) => {
			const request = http.request(
				url,
				{
					method: 'OPTIONS',
					timeout: 5000,
					headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve(response.statusCode));
				},
			);
			request.on('timeout', () => request.destroy(new Error('timeout')));
			request.on('error', () => resolve(undefined));
			request.end();
		});
		if (status === 204) return;
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`the webhook ${url} was not registered within ${timeoutMs / 1000} s (last answer ${status})`,
			);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function webhookNode(id, webhookPath) {
	return {
		id: 'webhook',
		name: 'Form submission',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: crypto
			.createHash('sha1')
			.update(`${id}/${webhookPath}`)
			.digest('hex')
			.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode: 'lastNode',
			responseData: 'firstEntryJson',
			options: {},
		},
	};
}

/** Webhook → HTTP Request POSTing the registrant to the sandbox, batching at the cap, Retry On Fail (n8n's defaults: 3 tries, 1 s). */
function httpRequestWebhookWorkflow({ id, path: webhookPath, graphUrl, meetingId, token, cap }) {
	return {
		id,
		name: `bench: HTTP Request enroll by webhook (${webhookPath})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode(id, webhookPath),
			{
				id: 'http',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 1000,
				parameters: {
					method: 'POST',
					url: `${graphUrl}/beta/me/onlineMeetings/${encodeURIComponent(meetingId)}/registration/registrants`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={{ JSON.stringify({ "@odata.type": "#microsoft.graph.externalMeetingRegistrant", "id": $json.body.externalId }) }}',
					options: { batching: { batch: { batchSize: cap, batchInterval: 1000 } } },
				},
			},
		],
		connections: {
			'Form submission': { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Webhook → this node's Webinar Registration → Register, app-only, for `{{ $json.body.email }}`
 * (names from the body), into the webinar `webinarId` (by ID), with Request Options → Max Requests
 * per Second `rate`.
 */
function webinarRegisterWebhookWorkflow({
	id,
	path: webhookPath,
	webinarId,
	organizer,
	credential,
	nodeType,
	credentialType,
	rate,
}) {
	return {
		id,
		name: `bench: register for the webinar by webhook (${webhookPath})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode(id, webhookPath),
			{
				id: 'register',
				name: 'Register for Teams webinar',
				type: nodeType,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					authentication: 'appOnly',
					organizer,
					resource: 'webinarRegistration',
					operation: 'register',
					webinar: { __rl: true, mode: 'id', value: webinarId },
					firstName: '={{ $json.body.firstName }}',
					lastName: '={{ $json.body.lastName }}',
					email: '={{ $json.body.email }}',
					preferredTimezone: 'UTC',
					preferredLanguage: 'en-us',
					questionAnswers: {
						mappingMode: 'defineBelow',
						value: {},
						matchingColumns: [],
						schema: [],
						attemptToConvertTypes: false,
						convertFieldsToString: false,
					},
					externalRegistrationId: '={{ $json.body.email }}',
					options: {},
					// no rate: Request Options left empty, the node's own defaults (writes 0.5/s, reads 25/s)
					requestOptions: rate === undefined ? {} : { maxRequestsPerSecond: rate },
				},
				credentials: { [credentialType]: { id: credential.id, name: credential.name } },
			},
		],
		connections: {
			'Form submission': {
				main: [[{ node: 'Register for Teams webinar', type: 'main', index: 0 }]],
			},
		},
	};
}

/**
 * Webhook → HTTP Request POSTing the registration to Graph's webinar registrations (app-only body),
 * signed by n8n's generic OAuth2 credential (grant Client Credentials: n8n fetches the token itself
 * on first use and again after a 401), batching `ceil(rate)` items per 1000 ms, Retry On Fail
 * (n8n's defaults: 3 tries, 1 s).
 */
function httpRequestWebinarWorkflow({ id, path: webhookPath, graphUrl, webinarId, rate }) {
	return {
		id,
		name: `bench: HTTP Request webinar registration by webhook (${webhookPath})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode(id, webhookPath),
			{
				id: 'http',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 1000,
				parameters: {
					method: 'POST',
					url: `${graphUrl}/v1.0/solutions/virtualEvents/webinars/${encodeURIComponent(webinarId)}/registrations`,
					authentication: 'genericCredentialType',
					genericAuthType: 'oAuth2Api',
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						'={{ JSON.stringify({ firstName: $json.body.firstName, lastName: $json.body.lastName, email: $json.body.email, preferredTimezone: "UTC", preferredLanguage: "en-us", externalRegistrationInformation: { registrationId: $json.body.email } }) }}',
					options: {
						batching: { batch: { batchSize: Math.max(1, Math.ceil(rate)), batchInterval: 1000 } },
					},
				},
				credentials: {
					[BENCH_APP_OAUTH2.type]: { id: BENCH_APP_OAUTH2.id, name: BENCH_APP_OAUTH2.name },
				},
			},
		],
		connections: {
			'Form submission': { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
		},
	};
}

/** The generic OAuth2 credential for the HTTP Request node: the sandbox app, client secret in the body. */
function benchAppOAuth2Credential(sandboxes) {
	return {
		...BENCH_APP_OAUTH2,
		data: {
			grantType: 'clientCredentials',
			accessTokenUrl: `${sandboxes.graph.authorityUrl}/${sandboxes.app.tenantId}/oauth2/v2.0/token`,
			clientId: sandboxes.app.clientId,
			clientCredentialType: 'clientSecret',
			clientSecret: sandboxes.app.clientSecret,
			scope: `${sandboxes.graph.url}/.default`,
			authQueryParameters: '',
			authentication: 'body',
		},
	};
}

/** Registrations holding a place, per lower-cased email. */
function activeRegistrationsByEmail(graph, webinarId) {
	const counts = new Map();
	for (const registration of graph.virtualEvents.registrationsOf(webinarId)) {
		if (!['registered', 'waitlisted', 'pendingApproval'].includes(registration.status)) continue;
		const email = String(registration.email).toLowerCase();
		counts.set(email, (counts.get(email) ?? 0) + 1);
	}
	return counts;
}

/** Once, lost (0), duplicated (more than 1) of `keys` in `counts`. */
function exactlyOnce(keys, countOf) {
	const counts = keys.map(countOf);
	return {
		once: counts.filter((count) => count === 1).length,
		lost: counts.filter((count) => count === 0).length,
		duplicated: counts.filter((count) => count > 1).length,
	};
}

/** The distinct failed answers (status and start of the body), at most `max`. */
function failedAnswers(answers, max = 2) {
	return [
		...new Set(
			answers
				.filter((answer) => answer.status !== 200)
				.map((answer) => `${answer.status} ${answer.text.slice(0, 160)}`),
		),
	].slice(0, max);
}

async function runEvents() {
	const n = Number(option('events-n', '100'));
	const shapes = option('events-shape', 'meetings,webinar').split(',');
	const cap = Number(option('events-cap', '2'));
	const latencyMs = Number(option('events-latency', '100'));
	const scale = Number(option('events-scale', '10'));
	const modes = option('modes', 'regular,queue').split(',');
	const variants = option('events-variants', 'node,http').split(',');
	const unknownShapes = shapes.filter((shape) => !LABELS[shape]);
	if (unknownShapes.length)
		throw new Error(`unknown --events-shape ${unknownShapes.join(', ')}: use meetings, webinar`);
	const writeLimit = {
		requests: GRAPH_WEBINAR_WRITES.requests,
		perMs: GRAPH_WEBINAR_WRITES.perMs / scale,
	};
	const readLimit = {
		requests: GRAPH_WEBINAR_READS.requests,
		perMs: GRAPH_WEBINAR_READS.perMs / scale,
	};
	const webinarRate = (writeLimit.requests * 1000) / writeLimit.perMs;
	// The node's Max Requests per Second: `scaled` (0.5/s × scale), `default` (Request Options
	// left empty: Graph's documented 0.5 writes/s and 25 reads/s, unscaled, so only meaningful
	// with --events-scale 1), or a number.
	const nodeRateOption = option('events-node-rate', 'scaled');
	const nodeRate =
		nodeRateOption === 'scaled'
			? webinarRate
			: nodeRateOption === 'default'
				? undefined
				: Number(nodeRateOption);
	const nodeRateText =
		nodeRate === undefined
			? 'node Request Options left empty (its defaults: writes 0.5/s, reads 25/s, unscaled)'
			: `node Max Requests per Second ${nodeRate}${nodeRateOption === 'scaled' ? ` (= 0.5/s × ${scale})` : ''}`;
	const setup = require('../scripts/demo-setup');
	const runtimeLib = require('../scripts/n8n-runtime');
	const {
		queueEnrollWebhookWorkflow,
		TEAMS_OAUTH2_CREDENTIAL,
		TEAMS_APP_ONLY_CREDENTIAL,
	} = require('../scripts/example-workflows');
	const { DEFAULT_TENANT_ID } = require('../sandbox/graph-sandbox');
	const webinarId = `${BENCH_WEBINAR_UUID}@${DEFAULT_TENANT_ID}`;
	const progress = (line) => console.log(`  [events] ${line}`);
	console.log(
		`Event shape: ${n} webhook submissions at once; modes ${modes.join(', ')}; variants ${variants.join(', ')}; shapes ${shapes.join(', ')}` +
			(shapes.includes('meetings')
				? `\n  meetings: sandbox cap ${cap}/s (burst ${cap}), latency ${latencyMs} ms`
				: '') +
			(shapes.includes('webinar')
				? `\n  webinar (app-only), SCALED ${scale}×: sandbox write limit 15 per ${writeLimit.perMs} ms (= ${webinarRate}/s; Graph: 15 per 30 s = 0.5/s), reads 750 per ${readLimit.perMs} ms, ` +
					`${nodeRateText}, latency ${latencyMs} ms`
				: '') +
			'\n',
	);

	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-events-'));
	const started = Date.now();
	const tarball = await setup.buildAndPack({
		outDir: path.join(workDir, 'package'),
		logFile: path.join(workDir, 'build.log'),
	});
	const sandboxes = await setup.startSandboxes({ certDir: path.join(workDir, 'tls') });
	const { graph } = sandboxes;
	const meetingId = sandboxes.meetings.everyone.id;
	progress(`package packed, sandboxes up (${seconds(Date.now() - started)} s)`);
	const extraCredentials =
		shapes.includes('webinar') && variants.includes('http')
			? [benchAppOAuth2Credential(sandboxes)]
			: [];

	const headers = {
		meetings: [
			'mode',
			'variant',
			'N',
			'answered 200',
			'enrolled exactly once',
			'lost',
			'duplicated',
			'429s (% of requests)',
			'drain s',
			'drain ÷ (N/cap)',
		],
		webinar: [
			'mode',
			'variant',
			'N',
			'answered 200',
			'registered exactly once',
			'lost',
			'duplicated',
			'writes',
			'429s (% of writes)',
			'reads (429s)',
			'drain s',
			'drain ÷ (N/rate)',
		],
	};
	const rows = { meetings: [], webinar: [] };
	let instance;
	let workflows;
	const workflowsFor = (credentials) => {
		const of = (type) => credentials.find((candidate) => candidate.type === type);
		return {
			meetings: {
				node: queueEnrollWebhookWorkflow({
					id: 'benchNodeEnroll',
					path: 'bench-node-enroll',
					meetingId,
					credential: of(TEAMS_OAUTH2_CREDENTIAL),
					nodeType: setup.NODE_TYPE,
				}),
				http: httpRequestWebhookWorkflow({
					id: 'benchHttpEnroll',
					path: 'bench-http-enroll',
					graphUrl: graph.url,
					meetingId,
					token: 'sandbox-delegated-token',
					cap,
				}),
			},
			webinar: {
				node: webinarRegisterWebhookWorkflow({
					id: 'benchNodeWebinar',
					path: 'bench-node-webinar',
					webinarId,
					organizer: sandboxes.webinarOrganizer.userPrincipalName,
					credential: of(TEAMS_APP_ONLY_CREDENTIAL),
					credentialType: TEAMS_APP_ONLY_CREDENTIAL,
					nodeType: setup.NODE_TYPE,
					rate: nodeRate,
				}),
				http: httpRequestWebinarWorkflow({
					id: 'benchHttpWebinar',
					path: 'bench-http-webinar',
					graphUrl: graph.url,
					webinarId,
					rate: webinarRate,
				}),
			},
		};
	};
	const selectedWorkflows = () =>
		shapes.flatMap((shape) => variants.map((variant) => workflows[shape][variant]));
	const webhookUrlOf = (baseUrl, shape, variant) =>
		`${baseUrl}/webhook/${workflows[shape][variant].nodes[0].parameters.path}`;

	/** One measured burst of N meeting enrollments against `baseUrl`'s webhook of `variant`. */
	const measureMeetings = async (mode, variant, baseUrl) => {
		const webhookUrl = webhookUrlOf(baseUrl, 'meetings', variant);
		// Warm-up (not measured, no rate limit): n8n loads the node's code on first use, per process.
		sandboxes.resetGraph();
		await Promise.all(
			[1, 2, 3, 4].map((i) => postJson(webhookUrl, { externalId: `warmup-${i}@example.com` })),
		);
		sandboxes.resetGraph();
		graph.setRateLimit({ perSecond: cap, burst: cap });
		graph.setLatency(latencyMs);
		const externalIds = Array.from(
			{ length: n },
			(_, i) => `${mode.key}-${variant}-${String(i + 1).padStart(3, '0')}@example.com`,
		);
		let answers;
		let drainMs;
		try {
			const t0 = Date.now();
			answers = await Promise.all(
				externalIds.map((externalId) => postJson(webhookUrl, { externalId })),
			);
			drainMs = Date.now() - t0;
		} finally {
			graph.setLatency(0);
			graph.setRateLimit(null);
		}
		// Executions that answered early (a failed HTTP Request) may still have requests out: let them land.
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const counts = new Map(externalIds.map((externalId) => [externalId, 0]));
		for (const registrant of graph.registrantsOf(meetingId))
			if (counts.has(registrant.id)) counts.set(registrant.id, counts.get(registrant.id) + 1);
		const { once, lost, duplicated } = exactlyOnce(externalIds, (id) => counts.get(id));
		const ok = answers.filter((answer) => answer.status === 200).length;
		const { requests, throttled } = graph.stats;
		const row = [
			mode.label,
			LABELS.meetings[variant],
			n,
			ok,
			once,
			lost,
			duplicated,
			`${throttled} (${percent(throttled, requests)})`,
			seconds(drainMs),
			(drainMs / 1000 / (n / cap)).toFixed(2),
		];
		rows.meetings.push(row);
		console.log(row.join(' | '));
		for (const text of failedAnswers(answers)) console.log(`    a failed answer: ${text}`);
	};

	/** The benchmark's webinar, afresh (the demo meetings and webinar put back too). */
	const freshWebinar = () => {
		sandboxes.resetGraph();
		graph.virtualEvents.createWebinar({
			id: webinarId,
			organizerId: sandboxes.webinarOrganizer.id,
			displayName: 'Benchmark webinar (no capacity, no questions)',
		});
	};

	/** One measured burst of N webinar registrations against `baseUrl`'s webhook of `variant`. */
	const measureWebinar = async (mode, variant, baseUrl, executionsByWorker) => {
		const webhookUrl = webhookUrlOf(baseUrl, 'webinar', variant);
		// Warm-up (not measured, no limits): loads the node's code and signs in, per process.
		freshWebinar();
		graph.virtualEvents.setWriteLimit(null);
		graph.virtualEvents.setReadLimit(null);
		await Promise.all(
			[1, 2, 3, 4].map((i) =>
				postJson(webhookUrl, {
					firstName: 'Warm',
					lastName: `Up ${i}`,
					email: `warmup-${i}@example.com`,
				}),
			),
		);
		freshWebinar();
		graph.virtualEvents.setWriteLimit(writeLimit);
		graph.virtualEvents.setReadLimit(readLimit);
		graph.setLatency(latencyMs);
		const emails = Array.from(
			{ length: n },
			(_, i) => `${mode.key}-webinar-${variant}-${String(i + 1).padStart(3, '0')}@example.com`,
		);
		const before = executionsByWorker?.();
		let answers;
		let drainMs;
		try {
			const t0 = Date.now();
			answers = await Promise.all(
				emails.map((email, i) =>
					postJson(webhookUrl, { firstName: 'Bench', lastName: `Attendee ${i + 1}`, email }),
				),
			);
			drainMs = Date.now() - t0;
		} finally {
			graph.setLatency(0);
			graph.virtualEvents.setWriteLimit(null);
			graph.virtualEvents.setReadLimit(null);
		}
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const counts = activeRegistrationsByEmail(graph, webinarId);
		const { once, lost, duplicated } = exactlyOnce(emails, (email) => counts.get(email) ?? 0);
		const ok = answers.filter((answer) => answer.status === 200).length;
		const { writes, throttledWrites, reads, throttledReads } = graph.virtualEvents.stats;
		const row = [
			mode.label,
			variant === 'node'
				? `${LABELS.webinar.node} (${nodeRate === undefined ? 'Request Options empty' : `Max Requests per Second ${nodeRate}`})`
				: LABELS.webinar[variant],
			n,
			ok,
			once,
			lost,
			duplicated,
			writes,
			`${throttledWrites} (${percent(throttledWrites, writes)})`,
			`${reads} (${throttledReads})`,
			seconds(drainMs),
			(drainMs / 1000 / (n / webinarRate)).toFixed(2),
		];
		rows.webinar.push(row);
		console.log(row.join(' | '));
		const times = answers.map((answer) => answer.ms).sort((a, b) => a - b);
		console.log(
			`    answer times: median ${seconds(times[Math.floor(times.length / 2)])} s, max ${seconds(times[times.length - 1])} s; writes sent at ${(writes / (drainMs / 1000)).toFixed(2)}/s over the drain (limit ${webinarRate}/s)`,
		);
		if (before) {
			const after = executionsByWorker();
			console.log(
				`    executions per worker (warm-up excluded): ${Object.keys(after)
					.map((index) => `${index}: ${after[index].length - before[index].length}`)
					.join(', ')}`,
			);
		}
		for (const text of failedAnswers(answers)) console.log(`    a failed answer: ${text}`);
	};

	const measureAll = async (mode, baseUrl, executionsByWorker) => {
		for (const shape of shapes) {
			console.log(`\n${shape}:\n${headers[shape].join(' | ')}`);
			for (const variant of variants) {
				if (shape === 'meetings') await measureMeetings(mode, variant, baseUrl);
				else await measureWebinar(mode, variant, baseUrl, executionsByWorker);
			}
		}
	};

	try {
		if (modes.includes('regular')) {
			const userFolder = path.join(workDir, 'n8n-regular');
			instance = await setup.prepareInstance({
				n8nVersion: '2.x',
				userFolder,
				tarball,
				sandboxes,
				headless: true,
				onProgress: progress,
			});
			workflows = workflowsFor(instance.credentials);
			if (extraCredentials.length) await instance.importCredentials(extraCredentials);
			for (const workflow of selectedWorkflows()) {
				await instance.importWorkflow(workflow);
				await instance.publish(workflow.id);
			}
			const port = await runtimeLib.freePort();
			const n8n = await runtimeLib.startEditor({
				runtime: instance.runtime,
				userFolder,
				port,
				env: instance.env,
			});
			try {
				for (const workflow of selectedWorkflows())
					await waitForWebhook(`${n8n.url}/webhook/${workflow.nodes[0].parameters.path}`);
				progress(
					`regular mode: n8n ${instance.n8nVersion} on ${n8n.url} (${seconds(Date.now() - started)} s since start)`,
				);
				await measureAll({ key: 'regular', label: 'regular (`n8n start`)' }, n8n.url);
			} finally {
				await n8n.stop();
			}
		}
		if (modes.includes('queue')) {
			const { startQueueMode } = require('../scripts/queue-mode');
			if (!workflows) {
				// the credential ids are fixed (scripts/example-workflows.js); a throwaway instance tells them
				const scratch = await setup.prepareInstance({
					n8nVersion: '2.x',
					userFolder: path.join(workDir, 'n8n-scratch'),
					tarball,
					sandboxes,
					headless: true,
					onProgress: progress,
				});
				workflows = workflowsFor(scratch.credentials);
			}
			const queue = await startQueueMode({
				n8nVersion: '2.x',
				userFolder: path.join(workDir, 'n8n-queue'),
				tarball,
				sandboxes,
				workflows: selectedWorkflows(),
				credentials: extraCredentials,
				onProgress: (line) => progress(`queue mode: ${line}`),
			});
			try {
				await measureAll({ key: 'queue', label: 'queue (main + 2 workers)' }, queue.url, () =>
					queue.executionsByWorker(),
				);
			} finally {
				await queue.stop();
			}
		}
	} finally {
		await sandboxes.close();
		fs.rmSync(workDir, { recursive: true, force: true });
	}
	const tables = [];
	if (shapes.includes('meetings'))
		tables.push(
			`Meetings (${rows.meetings.length} runs, sandbox ${cap}/s burst ${cap}, ${latencyMs} ms; N/cap = ${n / cap} s):\n\n${markdownTable(headers.meetings, rows.meetings)}`,
		);
	if (shapes.includes('webinar'))
		tables.push(
			`Webinar, app-only, scaled ${scale}× (${rows.webinar.length} runs, sandbox 15 writes per ${writeLimit.perMs} ms = ${webinarRate}/s, ${latencyMs} ms; N/rate = ${n / webinarRate} s, at Graph's real 0.5/s ${n / 0.5} s):\n\n${markdownTable(headers.webinar, rows.webinar)}`,
		);
	const table = tables.join('\n\n');
	console.log(`\nEvent shape:\n\n${table}\n`);
	return { name: 'events', table };
}

module.exports = { runEvents };
