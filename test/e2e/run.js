#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e`: this package in a real n8n, once per n8n version.
 *
 *   npm run test:e2e                     n8n 2.x (2.41.1, Node 24) and n8n 1.x (1.123.81, this Node)
 *   npm run test:e2e -- --n8n 1.x        one version only
 *   npm run test:e2e -- --grep TEXT      only the tests whose name contains TEXT
 *
 * For each version: a fresh n8n user folder with the packed package installed as a community
 * package, the sandbox credentials and the headless example workflows imported
 * (scripts/demo-setup.js), then every test of test/e2e/*.e2e.js, in file name order. A test
 * file exports `(test) => { test('name', async (ctx) => { ... }, options) }`; `ctx` is described
 * by `makeContext` below; `options` (optional): `timeoutMs` (default TEST_TIMEOUT_MS) and
 * `n8n: '2.x'` (runs only on that major version; elsewhere the test is reported as skipped).
 * The Graph sandbox, SMTP sink and CRM sandbox are emptied before each test. Tests that need
 * the running editor call `ctx.editor()`, tests of n8n's queue mode `ctx.queueMode()`; each
 * starts once per version, when a test first asks for it, and stops when the version is done.
 *
 * Ends with the line `N passed, N failed` (skipped tests are counted on the line before) and
 * exits 1 if anything failed.
 */
const fs = require('node:fs');
const path = require('node:path');

const {
	DEFAULT_RUNTIME_DIR,
	N8N_1X_VERSION,
	N8N_2X_VERSION,
	freePort,
	resolveN8nVersion,
} = require('../../scripts/n8n-runtime');
const setup = require('../../scripts/demo-setup');
const {
	loadExamples,
	queueEnrollWebhookWorkflow,
	TEAMS_OAUTH2_CREDENTIAL,
} = require('../../scripts/example-workflows');
const { startQueueMode } = require('../../scripts/queue-mode');

const TEST_TIMEOUT_MS = 5 * 60 * 1000;
/** The webhook path of the workflow `ctx.queueMode()` publishes. */
const QUEUE_WEBHOOK_PATH = 'e2e-queue-enroll';

function parseArgs(argv) {
	let versions = [N8N_2X_VERSION, N8N_1X_VERSION];
	let grep;
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--')
			continue; // npm's end of its own options, as in `npm run test:e2e -- --n8n 1.x`
		else if (argv[i] === '--grep') grep = argv[++i];
		else if (argv[i].startsWith('--grep=')) grep = argv[i].slice('--grep='.length);
		else if (argv[i] === '--n8n') versions = argv[++i].split(',').map(resolveN8nVersion);
		else if (argv[i].startsWith('--n8n='))
			versions = argv[i].slice('--n8n='.length).split(',').map(resolveN8nVersion);
		else throw new Error(`unknown option ${argv[i]} (use --n8n 2.x,1.x, --grep TEXT)`);
	}
	return { versions, grep };
}

/** Every test of every *.e2e.js file, in file name order. */
function collectTests() {
	const tests = [];
	for (const file of fs
		.readdirSync(__dirname)
		.filter((name) => name.endsWith('.e2e.js'))
		.sort()) {
		require(path.join(__dirname, file))((name, fn, options = {}) =>
			tests.push({ file, name, fn, options }),
		);
	}
	return tests;
}

function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What a test gets:
 *  - instance: the n8n of this version (scripts/demo-setup.js prepareInstance, headless examples)
 *  - sandboxes: { graph, meetings, smtp, crm } (emptied before each test)
 *  - tarball: the packed package
 *  - editor(): the running editor { url, cookie, ... }, with the examples imported as a person
 *    imports them (editorExamples: [{ file, workflow }]) and their forms published
 *  - queueMode(): n8n in queue mode { url, webhookUrl, workers, executionsByWorker(), ... }
 */
function makeContext({ instance, sandboxes, tarball, workDir }) {
	let editorStart;
	let queueStart;
	const context = {
		instance,
		sandboxes,
		tarball,
		editor() {
			editorStart ??= (async () => {
				// The examples as a person imports them (real triggers), with forms published so they are live.
				const { examples } = loadExamples({ ...setup.exampleOptions(sandboxes), headless: false });
				for (const { workflow } of examples) await instance.importWorkflow(workflow);
				context.editorExamples = examples.map(({ file, workflow }) => ({
					file: path.basename(file),
					workflow,
				}));
				for (const { workflow } of examples.filter(({ workflow }) =>
					workflow.nodes.some((node) => node.type === 'n8n-nodes-base.formTrigger'),
				)) {
					await instance.publish(workflow.id);
				}
				return await instance.startEditor({ port: await freePort() });
			})();
			return editorStart;
		},
		/**
		 * n8n in queue mode (scripts/queue-mode.js): Redis, PostgreSQL, the main process and two
		 * workers, with its own user folder, the same package, credentials and headless examples,
		 * and a Webhook → our node workflow published (scripts/example-workflows.js
		 * queueEnrollWebhookWorkflow): POST `${queue.url}/webhook/${QUEUE_WEBHOOK_PATH}`
		 * with `{ externalId }` enrolls into the sandbox's demo meeting (sandboxes.meetings.everyone,
		 * the same id after every reset) and answers with our node's output item.
		 */
		queueMode() {
			queueStart ??= (async () => {
				const credential = instance.credentials.find(
					(candidate) => candidate.type === TEAMS_OAUTH2_CREDENTIAL,
				);
				const workflow = queueEnrollWebhookWorkflow({
					id: 'e2eQueueEnroll',
					path: QUEUE_WEBHOOK_PATH,
					meetingId: sandboxes.meetings.everyone.id,
					credential,
					nodeType: setup.NODE_TYPE,
				});
				const queue = await startQueueMode({
					n8nVersion: instance.n8nVersion,
					userFolder: path.join(workDir, `n8n-${instance.n8nVersion}-queue`),
					tarball,
					sandboxes,
					workflows: [workflow],
					onProgress: (line) => console.log(`    [queue mode] ${line}`),
				});
				return { ...queue, workflow, webhookUrl: `${queue.url}/webhook/${QUEUE_WEBHOOK_PATH}` };
			})();
			return queueStart;
		},
		/** Stops what tests started (the editor, queue mode); also when their start failed half-way. */
		async stopServices() {
			const editor = editorStart && (await editorStart.catch(() => undefined));
			if (editor) await editor.stop();
			const queue = queueStart && (await queueStart.catch(() => undefined));
			if (queue) await queue.stop();
		},
	};
	return context;
}

async function main() {
	const { versions, grep } = parseArgs(process.argv.slice(2));
	// --grep TEXT: only the tests whose name contains TEXT (while working on them; CI runs all)
	const tests = collectTests().filter((test) => !grep || test.name.includes(grep));
	const workDir = path.join(DEFAULT_RUNTIME_DIR, 'e2e');
	fs.mkdirSync(workDir, { recursive: true });
	const buildLog = path.join(workDir, 'build.log');
	fs.writeFileSync(buildLog, '');
	let passed = 0;
	let failed = 0;
	let skipped = 0;
	const failures = [];

	console.log(
		`e2e: ${tests.length} tests × n8n ${versions.join(', ')}; runtime ${DEFAULT_RUNTIME_DIR}`,
	);
	const tarball = await setup.buildAndPack({
		outDir: path.join(workDir, 'package'),
		logFile: buildLog,
	});
	const sandboxes = await setup.startSandboxes({ certDir: path.join(workDir, 'tls') });
	try {
		for (const n8nVersion of versions) {
			const started = Date.now();
			console.log(`\nn8n ${n8nVersion}`);
			const userFolder = path.join(workDir, `n8n-${n8nVersion}`);
			let instance;
			let setupError;
			try {
				instance = await setup.prepareInstance({
					n8nVersion,
					userFolder,
					tarball,
					sandboxes,
					headless: true,
					onProgress: (line) => console.log(`    ${line}`),
				});
				console.log(
					`  on Node ${instance.nodeVersion}, user folder ${userFolder} (ready after ${((Date.now() - started) / 1000).toFixed(1)} s)`,
				);
			} catch (error) {
				setupError = error;
				console.log(
					`  ✗ setting up n8n ${n8nVersion} failed:\n${indent(error && error.stack ? error.stack : String(error))}`,
				);
			}
			const context = instance && makeContext({ instance, sandboxes, tarball, workDir });
			let versionFailed = 0;
			let versionSkipped = 0;
			try {
				for (const test of tests) {
					const testStarted = Date.now();
					if (
						test.options.n8n &&
						resolveN8nVersion(test.options.n8n).split('.')[0] !== n8nVersion.split('.')[0]
					) {
						skipped += 1;
						versionSkipped += 1;
						console.log(`  - ${test.name} (skipped: runs on n8n ${test.options.n8n} only)`);
						continue;
					}
					try {
						if (setupError) throw new Error(`not run: setting up n8n ${n8nVersion} failed`);
						sandboxes.resetGraph();
						sandboxes.smtp.clear();
						sandboxes.crm.clear();
						const timeoutMs = test.options.timeoutMs || TEST_TIMEOUT_MS;
						await withTimeout(
							Promise.resolve().then(() => test.fn(context)),
							timeoutMs,
							`"${test.name}"`,
						);
						passed += 1;
						console.log(`  ✓ ${test.name} (${((Date.now() - testStarted) / 1000).toFixed(1)} s)`);
					} catch (error) {
						failed += 1;
						versionFailed += 1;
						failures.push({ n8nVersion, test, error });
						console.log(`  ✗ ${test.name} (${test.file})`);
						if (!setupError)
							console.log(indent(error && error.stack ? error.stack : String(error)));
					}
				}
			} finally {
				if (context) await context.stopServices();
			}
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			const ran = tests.length - versionSkipped;
			console.log(
				`  n8n ${n8nVersion}: ${versionFailed ? `${versionFailed} of ${ran} tests failed` : `all ${ran} tests passed`}${versionSkipped ? ` (${versionSkipped} skipped)` : ''} in ${seconds} s`,
			);
		}
	} finally {
		await sandboxes.close();
	}
	if (failures.length) {
		console.log('\nfailed:');
		for (const { n8nVersion, test } of failures)
			console.log(`  n8n ${n8nVersion}: ${test.name} (${test.file})`);
	}
	console.log(
		`\n${skipped ? `${skipped} skipped (not for this n8n version)\n` : ''}${passed} passed, ${failed} failed`,
	);
	return failed === 0 ? 0 : 1;
}

function indent(text) {
	return text
		.split('\n')
		.map((line) => `      ${line}`)
		.join('\n');
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`e2e could not run: ${error && error.stack ? error.stack : error}`);
		console.log('\n0 passed, 1 failed');
		process.exit(1);
	},
);
