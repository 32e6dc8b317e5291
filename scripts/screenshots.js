#!/usr/bin/env node
'use strict';
/**
 * `npm run screenshots`: regenerates the README's pictures (docs/*.png) from the real n8n
 * editor, driven in headless Chromium.
 *
 * It sets up the editor demo's n8n (scripts/demo-setup.js: this package built, packed and
 * installed as a community package, the sandboxes, the examples imported) on a free port, signs
 * in as the demo owner and, in the form example:
 *   docs/node-everyone-mode.png        the node's panel, Registration Mode "Everyone"
 *   docs/node-organization-mode.png    Registration Mode "Organization", with Tenant ID and User ID
 *   docs/execution-join-links.png      after "Execute workflow": the node's output with each join link
 *   docs/credential-microsoft-cloud.png  a new credential of our type, "Microsoft Cloud" opened
 * and in the CRM example (examples/teams-registrations-to-crm.json):
 *   docs/example-teams-to-crm.png      its canvas: the registration trigger → HubSpot
 *   docs/trigger-node-parameters.png   the Microsoft Teams Registration Trigger's panel
 * and the attendance example's canvas (examples/webinar-attendance-followup.json):
 *   docs/example-attendance-followup.png
 *
 * Chromium is Debian's (`apt-get install -y chromium`, at /usr/bin/chromium), driven by
 * playwright-core; no browser is downloaded. Options: --n8n <version> (default 2.x: the
 * selectors follow n8n 2.41's editor).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
	DEFAULT_RUNTIME_DIR,
	N8N_2X_VERSION,
	freePort,
	resolveN8nVersion,
} = require('./n8n-runtime');
const setup = require('./demo-setup');
const { FORM_SUBMISSIONS } = require('./example-workflows');

const CHROMIUM = '/usr/bin/chromium';
const DOCS_DIR = path.join(setup.REPO_ROOT, 'docs');
const VIEWPORT = { width: 1440, height: 960 };
const ENROLL_NODE = 'Enroll in Teams meeting';
/** The CRM example's trigger node. */
const TRIGGER_NODE = 'On Teams registration or cancellation';
/** The attendance example's node of ours. */
const ATTENDANCE_NODE = 'Who attended';

function parseArgs(argv) {
	const options = { n8n: N8N_2X_VERSION };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--n8n') options.n8n = argv[++i];
		else throw new Error(`unknown option ${argv[i]}`);
	}
	return options;
}

async function waitUntil(what, check, timeoutMs = 60000) {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs)
			throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Drives the editor and writes the PNGs; resolves their paths. */
async function capture({
	chromium,
	editor,
	formWorkflow,
	crmWorkflow,
	attendanceWorkflow,
	sandboxes,
}) {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshots-chromium-'));
	const browser = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		viewport: VIEWPORT,
	});
	const written = [];
	const shoot = async (page, name) => {
		const file = path.join(DOCS_DIR, name);
		await page.waitForTimeout(700); // let transitions and dropdown animations finish
		await page.screenshot({ path: file });
		written.push(file);
		console.log(`  wrote ${path.relative(setup.REPO_ROOT, file)}`);
	};
	try {
		// signed in as the owner: the session cookie setupOwner got
		const cookieName = editor.cookie.slice(0, editor.cookie.indexOf('='));
		await browser.addCookies([
			{ name: cookieName, value: editor.cookie.slice(cookieName.length + 1), url: editor.url },
		]);
		const page = browser.pages()[0] || (await browser.newPage());
		await page.goto(`${editor.url}/workflow/${formWorkflow.id}`);
		const enrollNode = page.locator(
			`[data-test-id="canvas-node"][data-node-name="${ENROLL_NODE}"]`,
		);
		const ndv = page.locator('[data-test-id="ndv"]');
		await enrollNode.waitFor();

		const registrationMode = page.locator('[data-test-id="parameter-input-registrationMode"]');
		const chooseMode = async (name) => {
			await registrationMode.click();
			await page.getByRole('option', { name: new RegExp(`^${name}`) }).click();
		};

		await enrollNode.dblclick();
		await ndv.waitFor();
		await shoot(page, 'node-everyone-mode.png');

		await chooseMode('Organization');
		await page.locator('[data-test-id="parameter-input-tenantId"]').waitFor();
		await page.locator('[data-test-id="parameter-input-userId"]').waitFor();
		await shoot(page, 'node-organization-mode.png');
		// back to the example's mode (the editor saves changes as they are made)
		await chooseMode('Everyone');
		await page.locator('[data-test-id="parameter-input-tenantId"]').waitFor({ state: 'detached' });
		await page.locator('[data-test-id="ndv-close-button"]').click();
		await ndv.waitFor({ state: 'hidden' });

		await page.locator('[data-test-id="execute-workflow-button"]').click();
		await waitUntil(
			'the emails of the editor run',
			() => sandboxes.smtp.messages.length === FORM_SUBMISSIONS.length,
		);
		await enrollNode.dblclick();
		await ndv.waitFor();
		await ndv.getByText('joinWebUrl').first().waitFor();
		await shoot(page, 'execution-join-links.png');

		// room below the credential dialog, so the Microsoft Cloud list opens under its field
		await page.setViewportSize({ width: VIEWPORT.width, height: 1200 });
		await page.locator('[data-test-id="node-credentials-select"]').click();
		await page.locator('[data-test-id="node-credentials-select-item-new"]').click();
		const cloud = page.locator(
			'[data-test-id="credential-edit-dialog"] [data-test-id="parameter-input-graphCloud"]',
		);
		await cloud.scrollIntoViewIfNeeded();
		await cloud.click();
		await page.getByRole('option', { name: /US Government L4/ }).waitFor();
		await shoot(page, 'credential-microsoft-cloud.png');

		// the CRM example: its canvas, then the trigger's panel (smaller pictures: less to show)
		await page.setViewportSize({ width: 1200, height: 640 });
		await page.goto(`${editor.url}/workflow/${crmWorkflow.id}`);
		const triggerNode = page.locator(
			`[data-test-id="canvas-node"][data-node-name="${TRIGGER_NODE}"]`,
		);
		await triggerNode.waitFor();
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await shoot(page, 'example-teams-to-crm.png');
		await page.setViewportSize({ width: 1200, height: 900 });
		await triggerNode.dblclick();
		await ndv.waitFor();
		await page.locator('[data-test-id="parameter-input-triggerOn"]').waitFor();
		await shoot(page, 'trigger-node-parameters.png');

		await page.setViewportSize({ width: 1200, height: 640 });
		await page.goto(`${editor.url}/workflow/${attendanceWorkflow.id}`);
		await page
			.locator(`[data-test-id="canvas-node"][data-node-name="${ATTENDANCE_NODE}"]`)
			.waitFor();
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await shoot(page, 'example-attendance-followup.png');
	} finally {
		await browser.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
	return written;
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
	const { chromium } = require('playwright-core');
	const n8nVersion = resolveN8nVersion(options.n8n);
	const workDir = path.join(DEFAULT_RUNTIME_DIR, 'screenshots');
	fs.mkdirSync(workDir, { recursive: true });
	fs.mkdirSync(DOCS_DIR, { recursive: true });
	const logFile = path.join(workDir, 'build.log');
	fs.writeFileSync(logFile, '');

	console.log(`screenshots of n8n ${n8nVersion}: building and packing (log ${logFile})`);
	const tarball = await setup.buildAndPack({ outDir: path.join(workDir, 'package'), logFile });
	const sandboxes = await setup.startSandboxes({ certDir: path.join(workDir, 'tls') });
	try {
		const instance = await setup.prepareInstance({
			n8nVersion,
			userFolder: path.join(workDir, `n8n-${n8nVersion}`),
			tarball,
			sandboxes,
			headless: false,
			onProgress: (line) => console.log(`  ${line}`),
		});
		const formExample = instance.examples.find((example) =>
			example.workflow.nodes.some(
				(node) => node.name === ENROLL_NODE && node.type === setup.NODE_TYPE,
			),
		);
		if (!formExample)
			throw new Error(`no example workflow with our node named "${ENROLL_NODE}" to photograph`);
		const crmExample = instance.examples.find((example) =>
			example.workflow.nodes.some((node) => node.name === TRIGGER_NODE),
		);
		if (!crmExample)
			throw new Error(`no example workflow with a node named "${TRIGGER_NODE}" to photograph`);
		const attendanceExample = instance.examples.find((example) =>
			example.workflow.nodes.some((node) => node.name === ATTENDANCE_NODE),
		);
		if (!attendanceExample)
			throw new Error(`no example workflow with a node named "${ATTENDANCE_NODE}" to photograph`);
		const editor = await instance.startEditor({ port: await freePort() });
		console.log(`  n8n ${instance.n8nVersion} editor at ${editor.url}; driving Chromium`);
		try {
			await capture({
				chromium,
				editor,
				formWorkflow: formExample.workflow,
				crmWorkflow: crmExample.workflow,
				attendanceWorkflow: attendanceExample.workflow,
				sandboxes,
			});
		} finally {
			await editor.stop();
		}
	} finally {
		await sandboxes.close();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`screenshots failed: ${error && error.stack ? error.stack : error}`);
		process.exit(1);
	},
);
