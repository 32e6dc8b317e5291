// Event shape in a real n8n: N webhook submissions at once (one execution each) through a
// published workflow, Webhook → this node (scripts/example-workflows.js
// queueEnrollWebhookWorkflow, the queue-mode e2e test's workflow), next to the same
// submissions through Webhook → n8n's HTTP Request node "tuned to the cap" (batching
// C items per 1000 ms, Retry On Fail 3 tries 1 s apart; with one item per execution the
// batching cannot pace anything: it is the best the HTTP Request node offers).
// In regular mode (`n8n start`, SQLite, one process) and in queue mode (main + 2 workers,
// scripts/queue-mode.js). The Graph sandbox caps at `--events-cap` requests/s (burst = cap)
// with `--events-latency` ms latency.
//
//   npm run bench -- --suite events [--events-n 100] [--events-cap 2] [--events-latency 100]
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
	node: 'this node (defaults)',
	http: 'HTTP Request tuned to the cap + Retry On Fail',
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

async function runEvents() {
	const n = Number(option('events-n', '100'));
	const cap = Number(option('events-cap', '2'));
	const latencyMs = Number(option('events-latency', '100'));
	const modes = option('modes', 'regular,queue').split(',');
	const variants = option('events-variants', 'node,http').split(',');
	const setup = require('../scripts/demo-setup');
	const runtimeLib = require('../scripts/n8n-runtime');
	const {
		queueEnrollWebhookWorkflow,
		TEAMS_OAUTH2_CREDENTIAL,
	} = require('../scripts/example-workflows');
	const progress = (line) => console.log(`  [events] ${line}`);
	console.log(
		`Event shape: ${n} webhook submissions at once, sandbox cap ${cap}/s (burst ${cap}), latency ${latencyMs} ms; modes ${modes.join(', ')}; variants ${variants.join(', ')}\n`,
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

	const header = [
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
	];
	const rows = [];
	let instance;
	let workflows;
	const workflowsFor = (credential) => ({
		node: queueEnrollWebhookWorkflow({
			id: 'benchNodeEnroll',
			path: 'bench-node-enroll',
			meetingId,
			credential,
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
	});

	/** One measured burst of N submissions against `baseUrl`'s webhook of `variant`. */
	const measure = async (mode, variant, baseUrl) => {
		const webhookUrl = `${baseUrl}/webhook/${workflows[variant].nodes[0].parameters.path}`;
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
			(_, i) => `${mode}-${variant}-${String(i + 1).padStart(3, '0')}@example.com`,
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
		const once = [...counts.values()].filter((count) => count === 1).length;
		const lost = [...counts.values()].filter((count) => count === 0).length;
		const duplicated = [...counts.values()].filter((count) => count > 1).length;
		const ok = answers.filter((answer) => answer.status === 200).length;
		const { requests, throttled } = graph.stats;
		const row = [
			mode,
			LABELS[variant],
			n,
			ok,
			once,
			lost,
			duplicated,
			`${throttled} (${percent(throttled, requests)})`,
			seconds(drainMs),
			(drainMs / 1000 / (n / cap)).toFixed(2),
		];
		rows.push(row);
		console.log(row.join(' | '));
		const failures = [
			...new Set(
				answers
					.filter((answer) => answer.status !== 200)
					.map((answer) => `${answer.status} ${answer.text.slice(0, 160)}`),
			),
		];
		for (const text of failures.slice(0, 2)) console.log(`    a failed answer: ${text}`);
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
			workflows = workflowsFor(
				instance.credentials.find((candidate) => candidate.type === TEAMS_OAUTH2_CREDENTIAL),
			);
			for (const variant of variants) {
				await instance.importWorkflow(workflows[variant]);
				await instance.publish(workflows[variant].id);
			}
			const port = await runtimeLib.freePort();
			const n8n = await runtimeLib.startEditor({
				runtime: instance.runtime,
				userFolder,
				port,
				env: instance.env,
			});
			try {
				for (const variant of variants)
					await waitForWebhook(`${n8n.url}/webhook/${workflows[variant].nodes[0].parameters.path}`);
				progress(
					`regular mode: n8n ${instance.n8nVersion} on ${n8n.url} (${seconds(Date.now() - started)} s since start)`,
				);
				console.log(header.join(' | '));
				for (const variant of variants) await measure('regular', variant, n8n.url);
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
				workflows = workflowsFor(
					scratch.credentials.find((candidate) => candidate.type === TEAMS_OAUTH2_CREDENTIAL),
				);
			}
			const queue = await startQueueMode({
				n8nVersion: '2.x',
				userFolder: path.join(workDir, 'n8n-queue'),
				tarball,
				sandboxes,
				workflows: variants.map((variant) => workflows[variant]),
				onProgress: (line) => progress(`queue mode: ${line}`),
			});
			try {
				if (!rows.length) console.log(header.join(' | '));
				for (const variant of variants)
					await measure('queue (main + 2 workers)', variant, queue.url);
			} finally {
				await queue.stop();
			}
		}
	} finally {
		await sandboxes.close();
		fs.rmSync(workDir, { recursive: true, force: true });
	}
	const table = markdownTable(header, rows);
	console.log(
		`\nEvent shape (${rows.length} runs, sandbox ${cap}/s burst ${cap}, ${latencyMs} ms; N/cap = ${n / cap} s):\n\n${table}\n`,
	);
	return { name: 'events', table };
}

module.exports = { runEvents };
