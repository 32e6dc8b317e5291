'use strict';
/**
 * The machinery `npm run demo`, `npm run test:e2e` and `npm run screenshots` share: a real n8n
 * (scripts/n8n-runtime.js) with this package installed as a community package, the local
 * sandboxes it talks to, and the example workflows imported (scripts/example-workflows.js).
 *
 *   const tarball = await buildAndPack({ onProgress });
 *   const sandboxes = await startSandboxes({ certDir });
 *   const instance = await prepareInstance({ n8nVersion: '2.x', userFolder, tarball, sandboxes, headless: true });
 *   const run = await instance.execute(instance.examples[0].id);
 *
 * Sandboxes, all on 127.0.0.1: the Graph sandbox (sandbox/graph-sandbox.js, with the demo
 * meetings and the demo webinar of sandbox/cli.js, and its HTTPS sign-in authority for the
 * app-only credential, certificate from test/fixtures/tls), the SMTP sink (scripts/smtp-sink.js) for Send Email, and the
 * CRM sandbox (scripts/crm-sandbox.js) for the HubSpot node, which is also the only proxy n8n
 * may use, so nothing n8n sends leaves the machine.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const runtimeLib = require('./n8n-runtime');
const release = require('./release');
const { startSmtpSink } = require('./smtp-sink');
const { startCrmSandbox } = require('./crm-sandbox');
const { loadExamples, CRM_CONTACTS, CRM_SANDBOX_APP_TOKEN } = require('./example-workflows');
const { startGraphSandbox, DEFAULT_TENANT_ID } = require('../sandbox/graph-sandbox');
const {
	createDemoMeetings,
	createDemoWebinars,
	DEMO_APP,
	DEMO_TEAMS_REGISTRANTS,
	DEMO_WEBINAR_ORGANIZER,
} = require('../sandbox/cli');

const REPO_ROOT = runtimeLib.REPO_ROOT;
const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const PACKAGE_NAME = PACKAGE_JSON.name;
/** What n8n names the node and the credentials when it loads this package from ~/.n8n/nodes. */
const NODE_TYPE = `${PACKAGE_NAME}.microsoftTeamsRegistration`;
const CREDENTIAL_TYPES = [
	'microsoftTeamsRegistrationOAuth2Api',
	'microsoftTeamsRegistrationAppOnlyApi',
];
/** The editor's owner account (a local demo login, made on first start). */
const OWNER = {
	email: 'demo@example.com',
	password: 'Demo-password-1',
	firstName: 'Demo',
	lastName: 'Organizer',
};
/** Seed of the Graph sandbox: the same meeting ids and join links on every start and reset. */
const GRAPH_SEED = 'n8n-demo';
/** The test certificate authority and the sign-in authority's certificate (127.0.0.1) it signed. */
const TLS_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'tls');

/** Runs a command with its output in `logFile`; rejects with the log's tail on failure. */
function run(cmd, args, { cwd, logFile, env }) {
	return new Promise((resolve, reject) => {
		fs.appendFileSync(logFile, `\n===== $ ${cmd} ${args.join(' ')}\n`);
		const fd = fs.openSync(logFile, 'a');
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
		fs.closeSync(fd);
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) return resolve(undefined);
			const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
			reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}); see ${logFile}:\n${tail}`));
		});
	});
}

/**
 * `npm run release`'s code path (scripts/release.js): `dist/` removed, `npm run build`, `npm pack`
 * into `outDir`, the file list checked. Resolves the tarball's path.
 */
async function buildAndPack({ outDir, logFile }) {
	const { tarball } = await release.buildRelease({ outDir, logFile });
	return tarball;
}

/**
 * Installs `tarball` into `<userFolder>/.n8n/nodes` with the command the README documents
 * (`npm install --prefix <nodes folder> --omit=peer --ignore-scripts <tarball>`, scripts/release.js
 * `installArgs`), run by the npm next to the n8n runtime's Node. n8n loads it from there at start.
 */
async function installTarball({ userFolder, tarball, runtime, onProgress }) {
	const started = Date.now();
	const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
	const logFile = path.join(path.resolve(userFolder), 'install-package.log');
	const args = release.installArgs({ nodesDir, tarball: path.resolve(tarball) });
	if (onProgress) onProgress(`npm ${args.join(' ')}`);
	const env = runtimeLib.withSystemCa(release.cleanEnv());
	if (runtime && runtime.nodeBinDir)
		env.PATH = [runtime.nodeBinDir, env.PATH || ''].filter(Boolean).join(path.delimiter);
	await run('npm', args, { cwd: path.resolve(userFolder), logFile, env });
	const packageDir = path.join(nodesDir, 'node_modules', ...PACKAGE_NAME.split('/'));
	const installed = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	return {
		packageName: installed.name,
		version: installed.version,
		packageDir,
		nodesDir,
		logFile,
		ms: Date.now() - started,
	};
}

/**
 * The Graph sandbox (with the demo meetings and webinar, and its HTTPS sign-in authority), the
 * SMTP sink and the CRM sandbox. Ports 0 pick free ones; the editor demo fixes them so the
 * credentials it imported stay valid (the sign-in authority's port is always a free one, so
 * the editor demo's app-only credential works only while that demo runs).
 *
 * n8n must trust two certificate authorities: the CRM proxy's throwaway one and the test one
 * that signed the sign-in authority's certificate (MSAL speaks only HTTPS). Node reads one
 * NODE_EXTRA_CA_CERTS file, so both go into one bundle in `certDir`; `n8nEnv` points at it.
 */
async function startSandboxes({ graphPort = 0, smtpPort = 0, crmProxyPort = 0, certDir }) {
	const tls = {
		key: fs.readFileSync(path.join(TLS_FIXTURES, 'authority-key.pem'), 'utf8'),
		cert: fs.readFileSync(path.join(TLS_FIXTURES, 'authority.pem'), 'utf8'),
	};
	const graph = await startGraphSandbox({ port: graphPort, seed: GRAPH_SEED, tls });
	const [everyone, organization] = createDemoMeetings(graph);
	const [launch] = createDemoWebinars(graph);
	const smtp = await startSmtpSink({ port: smtpPort });
	const crm = await startCrmSandbox({
		contacts: CRM_CONTACTS,
		appToken: CRM_SANDBOX_APP_TOKEN,
		certDir,
		port: crmProxyPort,
	});
	const caBundle = path.join(certDir, 'n8n-trusted-ca-bundle.pem');
	fs.writeFileSync(
		caBundle,
		[
			fs.readFileSync(crm.caFile, 'utf8'),
			fs.readFileSync(path.join(TLS_FIXTURES, 'ca.pem'), 'utf8'),
		]
			.map((pem) => pem.trim())
			.join('\n') + '\n',
	);
	return {
		graph,
		meetings: { everyone, organization },
		webinars: { launch },
		/** The webinar organizer the app-only example names, and the app it signs in as. */
		webinarOrganizer: DEMO_WEBINAR_ORGANIZER,
		app: {
			clientId: DEMO_APP.clientId,
			clientSecret: DEMO_APP.clientSecret,
			tenantId: DEFAULT_TENANT_ID,
		},
		smtp,
		crm,
		/** The environment of every n8n process: the CRM proxy, and trust in both certificate authorities. */
		n8nEnv: { ...crm.n8nEnv, NODE_EXTRA_CA_CERTS: caBundle },
		/** Empties the Graph sandbox and puts the demo meetings and webinar back (same ids and links). */
		resetGraph() {
			graph.reset();
			createDemoMeetings(graph);
			createDemoWebinars(graph);
		},
		async close() {
			await Promise.all([graph.close(), smtp.close(), crm.close()]);
		},
	};
}

/**
 * A fresh n8n user folder for `n8nVersion` with the package installed from `tarball` with the
 * README's install command (`installTarball`), the sandbox credentials and the examples imported
 * (`headless`: the variant `n8n execute` can run, see scripts/example-workflows.js). `env` is
 * added to the environment of every n8n command of this instance (queue mode's database and
 * Redis settings, scripts/queue-mode.js).
 */
async function prepareInstance({
	n8nVersion,
	userFolder,
	tarball,
	sandboxes,
	headless,
	onProgress,
	env: extraEnv,
}) {
	const runtime = await runtimeLib.ensureRuntime({ n8nVersion, onProgress });
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const install = await installTarball({ userFolder, tarball, runtime, onProgress });
	const env = { ...sandboxes.n8nEnv, ...(extraEnv || {}) };

	const cli = async (args) => await runtimeLib.n8nCli({ runtime, userFolder, args, env });
	const cliOrThrow = async (args) => {
		const result = await cli(args);
		if (result.code !== 0)
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${result.code}):\n${(result.stdout + result.stderr).slice(-3000)}`,
			);
		return result;
	};

	const { examples, skipped, credentials } = loadExamples({
		...exampleOptions(sandboxes),
		headless,
	});
	const importDir = path.join(userFolder, 'import');
	const workflowDir = path.join(importDir, 'workflows');
	fs.mkdirSync(workflowDir, { recursive: true });
	// Sandbox credentials only (nothing real), and n8n encrypts them on import.
	const credentialsFile = path.join(importDir, 'credentials.json');
	fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
	for (const { workflow } of examples)
		fs.writeFileSync(
			path.join(workflowDir, `${workflow.id}.json`),
			JSON.stringify(workflow, null, 2),
		);
	await cliOrThrow(['import:credentials', `--input=${credentialsFile}`]);
	await cliOrThrow(['import:workflow', '--separate', `--input=${workflowDir}`]);

	return {
		n8nVersion: runtime.n8nVersion,
		nodeVersion: runtime.nodeVersion,
		runtime,
		userFolder,
		install,
		env,
		credentials: credentials.map(({ id, name, type }) => ({ id, name, type })),
		examples: examples.map(({ file, workflow }) => ({
			file: path.basename(file),
			id: workflow.id,
			name: workflow.name,
			workflow,
		})),
		/** Examples that could not be imported, and why: [{ file, problem }]. */
		skipped: skipped.map(({ file, problem }) => ({ file: path.basename(file), problem })),
		cli,
		/**
		 * Imports more credentials (as `n8n import:credentials` takes them: `{ id, name, type,
		 * data }` with plain `data`, encrypted on import).
		 */
		async importCredentials(more) {
			const file = path.join(importDir, `credentials-${Date.now()}.json`);
			fs.writeFileSync(file, JSON.stringify(more, null, 2));
			await cliOrThrow(['import:credentials', `--input=${file}`]);
		},
		/** Imports one more workflow (an object with a fixed `id`). */
		async importWorkflow(workflow) {
			const file = path.join(importDir, `${workflow.id}.json`);
			fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
			await cliOrThrow(['import:workflow', `--input=${file}`]);
		},
		/**
		 * `n8n execute --id`: resolves { ok, code, result, error, stdout, stderr, ms }; `result`
		 * is the execution n8n stored (also when it failed), `error` its resultData.error.
		 */
		async execute(workflowId) {
			const response = await cli(['execute', `--id=${workflowId}`, '--rawOutput']);
			let result;
			try {
				result = runtimeLib.parseRawOutput(response.stdout);
			} catch {
				result = undefined;
			}
			const error =
				result && result.data && result.data.resultData ? result.data.resultData.error : undefined;
			return {
				ok: response.code === 0 && !error,
				code: response.code,
				result,
				error,
				stdout: response.stdout,
				stderr: response.stderr,
				ms: response.ms,
			};
		},
		/** Makes a workflow's triggers live (a Form Trigger's production URL): `publish` in 2.x, `--active` in 1.x. */
		async publish(workflowId) {
			const major = Number(runtime.n8nVersion.split('.')[0]);
			await cliOrThrow(
				major >= 2
					? ['publish:workflow', `--id=${workflowId}`]
					: ['update:workflow', `--id=${workflowId}`, '--active=true'],
			);
		},
		/** `n8n start` on 127.0.0.1:`port` with the owner account set up; resolves { url, cookie, stop, logFile }. */
		async startEditor({ port }) {
			const editor = await runtimeLib.startEditor({ runtime, userFolder, port, env });
			try {
				const { cookie } = await runtimeLib.setupOwner({ url: editor.url, ...OWNER });
				return { ...editor, cookie };
			} catch (error) {
				await editor.stop();
				throw error;
			}
		},
	};
}

/** What scripts/example-workflows.js `loadExamples` fills in from the running sandboxes (all but `headless`). */
function exampleOptions(sandboxes) {
	return {
		meetingLink: sandboxes.meetings.everyone.joinWebUrl,
		webinarLink: sandboxes.webinars.launch.registrationWebUrl,
		webinarOrganizer: sandboxes.webinarOrganizer.userPrincipalName,
		graphUrl: sandboxes.graph.url,
		authorityUrl: sandboxes.graph.authorityUrl,
		tenantId: sandboxes.app.tenantId,
		app: sandboxes.app,
		smtpPort: sandboxes.smtp.port,
	};
}

/**
 * People who register for the demo webinar on Teams' own registration page (the sandbox's
 * control API, not Graph): sandbox/cli.js DEMO_TEAMS_REGISTRANTS (Ada, Ben, Cleo) and Dana, a
 * CRM contact who had cancelled (CRM_CONTACTS) and registers again; then Ben cancels in
 * Teams. What the CRM example (examples/teams-registrations-to-crm.json) picks up. Resolves the
 * registrations as the Graph sandbox holds them afterwards, in the order they were made.
 */
function registerInTeams(sandboxes) {
	const events = sandboxes.graph.virtualEvents;
	const webinarId = sandboxes.webinars.launch.id;
	const people = [
		...DEMO_TEAMS_REGISTRANTS,
		{ firstName: 'Dana', lastName: 'Example', email: 'dana@example.com' },
	];
	const made = people.map((person) => events.addTeamsRegistration(webinarId, person));
	events.cancelRegistration(webinarId, made[1].id);
	const ids = new Set(made.map((registration) => registration.id));
	return events.registrationsOf(webinarId).filter((registration) => ids.has(registration.id));
}

/**
 * The demo webinar, over: Ada, Ben and Cleo registered on Teams' registration page
 * (sandbox/cli.js DEMO_TEAMS_REGISTRANTS; their registrations are made unless they exist, as
 * after `registerInTeams`) and Ben cancelled; its one session's attendance report has the
 * organizer and Ada (two intervals); Cleo did not come. What the attendance example
 * (examples/webinar-attendance-followup.json) reads. Resolves { registrations, session,
 * report } as the Graph sandbox holds them (all of the webinar's registrations).
 */
function holdWebinar(sandboxes) {
	const events = sandboxes.graph.virtualEvents;
	const webinarId = sandboxes.webinars.launch.id;
	const registrations = DEMO_TEAMS_REGISTRANTS.map(
		(person) =>
			events.registrationsOf(webinarId).find((existing) => existing.email === person.email) ||
			events.addTeamsRegistration(webinarId, person),
	);
	events.cancelRegistration(webinarId, registrations[1].id, registrations[1].cancelationDateTime);
	const session = events.addSession(webinarId, {
		startDateTime: '2031-06-10T15:00:00',
		endDateTime: '2031-06-10T16:00:00',
	});
	const report = events.addAttendanceReport(webinarId, session.id, {
		meetingStartDateTime: '2031-06-10T15:00:00Z',
		meetingEndDateTime: '2031-06-10T16:00:00Z',
		records: [
			{
				emailAddress: DEMO_WEBINAR_ORGANIZER.userPrincipalName,
				displayName: DEMO_WEBINAR_ORGANIZER.displayName,
				userId: DEMO_WEBINAR_ORGANIZER.id,
				role: 'Organizer',
				intervals: [
					{ joinDateTime: '2031-06-10T14:55:00Z', leaveDateTime: '2031-06-10T16:01:00Z' },
				],
			},
			{
				emailAddress: registrations[0].email,
				displayName: `${registrations[0].firstName} ${registrations[0].lastName}`,
				role: 'Attendee',
				registrationId: registrations[0].id,
				intervals: [
					{ joinDateTime: '2031-06-10T15:02:00Z', leaveDateTime: '2031-06-10T15:40:00Z' },
					{ joinDateTime: '2031-06-10T15:45:00Z', leaveDateTime: '2031-06-10T16:00:00Z' },
				],
			},
		],
	});
	return { registrations: events.registrationsOf(webinarId), session, report };
}

/** Node output items (json) of a finished execution, by node name. */
function outputOf(result, nodeName, output = 0) {
	return runtimeLib.nodeOutput(result, nodeName, { output }) || [];
}

module.exports = {
	REPO_ROOT,
	PACKAGE_NAME,
	NODE_TYPE,
	CREDENTIAL_TYPES,
	OWNER,
	buildAndPack,
	installTarball,
	startSandboxes,
	exampleOptions,
	prepareInstance,
	registerInTeams,
	holdWebinar,
	outputOf,
};
