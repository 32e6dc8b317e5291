#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: this package in a real n8n, against the local sandboxes, in one command.
 *
 *   npm run demo                     run the examples headless and print what they did
 *   npm run demo -- --editor         the n8n editor on http://127.0.0.1:5678 with it all preloaded
 *   npm run demo -- --n8n 1.x        the same on n8n 1.x (default: 2.x)
 *
 * First use installs the pinned n8n (and Node.js 24 for n8n 2.x) into .n8n-runtime/ (or
 * $N8N_RUNTIME_DIR), which takes a few minutes; later runs reuse it. Every run builds and packs
 * this package (scripts/release.js, as `npm run release`), installs the tarball into a fresh n8n
 * user folder's .n8n/nodes with the README's install command, starts the Graph sandbox, the
 * SMTP sink and the CRM sandbox, and imports the sandbox credentials and the example workflows
 * (scripts/demo-setup.js).
 */
const fs = require('node:fs');
const path = require('node:path');

const {
	DEFAULT_RUNTIME_DIR,
	N8N_2X_VERSION,
	ensureRuntime,
	resolveN8nVersion,
} = require('./n8n-runtime');
const setup = require('./demo-setup');
const { FORM_SUBMISSIONS, HEADLESS_LISTING_NODE, TRIGGER_TYPE } = require('./example-workflows');

const USAGE = `usage:
  npm run demo                     run the example workflows headless and print what they did
  npm run demo -- --editor         the n8n editor on http://127.0.0.1:5678 with it all preloaded
  npm run demo -- --n8n 1.x        the same on n8n 1.x (default: ${N8N_2X_VERSION})
  npm run demo -- --editor --n8n 1.x   both`;

/** Fixed ports for the editor demo, so the credentials it imported stay valid while it runs. */
const EDITOR_PORTS = { editor: 5678, graph: 5690, smtp: 5691, crmProxy: 5692 };

function parseArgs(argv) {
	const options = { editor: false, n8n: N8N_2X_VERSION };
	for (let i = 0; i < argv.length; i++) {
		// A bare `--` is npm's end of its own options (`npm run demo -- --editor -- --n8n 1.x`): skip it.
		if (argv[i] === '--') continue;
		else if (argv[i] === '--editor') options.editor = true;
		else if (argv[i] === '--n8n') options.n8n = argv[++i];
		else if (argv[i].startsWith('--n8n=')) options.n8n = argv[i].slice('--n8n='.length);
		else if (argv[i] === '--help' || argv[i] === '-h') options.help = true;
		else throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
	}
	return options;
}

const say = (line = '') => console.log(line);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function printEmail(message) {
	say(`    To: ${message.to}   Subject: ${message.subject}`);
	for (const line of message.text.split('\n')) say(`      | ${line}`);
}

function describeError(run) {
	if (run.error)
		return `${run.error.message}${run.error.description ? ` (${run.error.description})` : ''}`;
	return `n8n exited with ${run.code}:\n${(run.stdout + run.stderr).slice(-2000)}`;
}

/** What one of our nodes did in a run, in a few lines. */
function describeOurNode(node, items) {
	const operation = node.parameters.operation;
	if (operation === 'enroll') {
		say(`  "${node.name}" enrolled ${items.length}:`);
		for (const registrant of items) {
			const person = FORM_SUBMISSIONS.find((submission) => submission.Email === registrant.id);
			say(`  • ${person ? `${person.Name} <${registrant.id}>` : registrant.id}`);
			say(`    joinWebUrl: ${registrant.joinWebUrl}`);
		}
	} else if (node.parameters.resource === 'webinarRegistration' && operation === 'register') {
		say(`  "${node.name}" (app-only) registered ${items.length} for the webinar:`);
		for (const registration of items) {
			say(
				`  • ${registration.firstName} ${registration.lastName} <${registration.email}>: ${registration.status}   registration ${registration.id}`,
			);
		}
	} else if (node.parameters.resource === 'webinarRegistration' && operation === 'getAll') {
		say(
			`  "${node.name}" listed ${items.length} webinar registrations: ${items.map((item) => `${item.email} (${item.status})`).join(', ')}`,
		);
	} else if (node.parameters.resource === 'eventAttendance' && operation === 'getRecords') {
		say(
			`  "${node.name}" found: ${items.map((item) => `${item.email} (${item.attended ? `attended${item.role ? `, ${item.role}` : ''}` : 'no-show'})`).join(', ') || 'nobody'}`,
		);
	} else if (operation === 'getAll')
		say(
			`  "${node.name}" listed ${items.length} registrants: ${items.map((item) => item.id).join(', ')}`,
		);
	else if (operation === 'remove')
		say(`  "${node.name}" removed: ${items.map((item) => item.id).join(', ') || 'nobody'}`);
	else
		say(`  "${node.name}" (${node.parameters.resource} ${operation}) output ${items.length} items`);
}

/**
 * Runs every example headless, in file name order (the form example enrolls the people the
 * CRM example then reconciles), and says what our nodes, the HubSpot node and Send Email did.
 */
async function runHeadless(instance, sandboxes) {
	say(
		`  (headless, the Form Trigger is a Code node emitting ${FORM_SUBMISSIONS.length} sample submissions: scripts/example-workflows.js)`,
	);
	for (const example of instance.examples) {
		say(`\n▶ ${example.name}`);
		if (example.workflow.nodes.some((node) => node.name === HEADLESS_LISTING_NODE)) {
			const made = setup.registerInTeams(sandboxes);
			say(
				`  (first, on Teams' own registration page: ${made.map((registration) => `${registration.firstName} ${registration.lastName} <${registration.email}> ${registration.status}`).join(', ')}; headless, the registration trigger is a Code node labelling the webinar's registrations as its first poll does: scripts/example-workflows.js)`,
			);
		}
		if (
			example.workflow.nodes.some(
				(node) => node.type === setup.NODE_TYPE && node.parameters.resource === 'eventAttendance',
			)
		) {
			setup.holdWebinar(sandboxes);
			say(
				`  (first, the webinar takes place: one session; its attendance report has the organizer and Ada; Cleo does not come)`,
			);
		}
		const sentBefore = sandboxes.smtp.messages.length;
		const upsertsBefore = sandboxes.crm.upserts.length;
		const run = await instance.execute(example.id);
		if (!run.ok) throw new Error(`the workflow failed: ${describeError(run)}`);
		say(`  (${seconds(run.ms)} for the n8n run)`);
		for (const node of example.workflow.nodes) {
			const items = setup.outputOf(run.result, node.name);
			if (node.type === setup.NODE_TYPE) describeOurNode(node, items);
			if (node.type === 'n8n-nodes-base.hubspot' && node.parameters.operation === 'upsert') {
				say(`  "${node.name}" (HubSpot node → the CRM sandbox) created or updated:`);
				sandboxes.crm.upserts.slice(upsertsBefore).forEach(({ email, properties }, index) => {
					const status = (properties || []).find(
						(entry) => entry.property === 'webinar_registration_status',
					);
					say(
						`  • ${email}: webinar_registration_status ${status ? status.value : '?'}${items[index] && items[index].isNew ? ' (new contact)' : ''}`,
					);
				});
			} else if (node.type === 'n8n-nodes-base.hubspot') {
				say(
					`  "${node.name}" (HubSpot node → the CRM sandbox) found: ${items.map((contact) => contact.properties.email).join(', ') || 'nobody'}`,
				);
			}
			if (
				node.type === 'n8n-nodes-base.code' &&
				example.workflow.nodes.some((other) => other.name === HEADLESS_LISTING_NODE)
			) {
				say(
					`  "${node.name}" (in place of the ${TRIGGER_TYPE.split('.').pop()}) emitted: ${items.map((item) => `${item.change} ${item.email}`).join(', ') || 'nothing'}`,
				);
			}
		}
		const sent = sandboxes.smtp.messages.slice(sentBefore);
		if (sent.length) {
			say(`  Emails sent by n8n's Send Email node, as the local SMTP sink received them:`);
			sent.forEach(printEmail);
		}
	}
	const remaining = sandboxes.graph
		.registrantsOf(sandboxes.meetings.everyone.id)
		.map((registrant) => registrant.id);
	say(
		`\nRegistered for "${sandboxes.meetings.everyone.subject}" now: ${remaining.join(', ') || 'nobody'}`,
	);
	for (const webinar of Object.values(sandboxes.webinars)) {
		const registrations = sandboxes.graph.virtualEvents.registrationsOf(webinar.id);
		say(
			`Registrations for the webinar "${webinar.displayName}": ${registrations.map((registration) => `${registration.email} (${registration.status})`).join(', ') || 'none'}`,
		);
	}
}

async function runEditor(instance, sandboxes) {
	const formTriggers = instance.examples.flatMap(({ id, workflow }) =>
		workflow.nodes
			.filter((node) => node.type === 'n8n-nodes-base.formTrigger')
			.map((node) => ({ id, node })),
	);
	// published, so the form takes submissions at its production URL while the demo runs
	for (const { id } of formTriggers) await instance.publish(id);
	const editor = await instance.startEditor({ port: EDITOR_PORTS.editor });
	say(`\nn8n ${instance.n8nVersion} editor: ${editor.url}   (n8n's log: ${editor.logFile})`);
	say(`  Sign in as ${setup.OWNER.email} / ${setup.OWNER.password} (a local demo account)`);
	for (const { name, id } of instance.examples)
		say(`  Workflow "${name}": ${editor.url}/workflow/${id}`);
	for (const { node } of formTriggers)
		say(
			`  The form "${node.parameters.formTitle}" (published): ${editor.url}/form/${node.webhookId}`,
		);
	say(`  Open a workflow, open a node, press "Execute step" or "Execute workflow".`);
	say(
		`  Graph sandbox ${sandboxes.graph.url} (sign-in authority ${sandboxes.graph.authorityUrl}); its meetings:`,
	);
	for (const meeting of Object.values(sandboxes.meetings))
		say(`    ${meeting.subject}: ${meeting.joinWebUrl}`);
	say(`  its webinars (organizer ${sandboxes.webinarOrganizer.userPrincipalName}):`);
	for (const webinar of Object.values(sandboxes.webinars))
		say(`    ${webinar.displayName}: ${webinar.registrationWebUrl}`);
	say(`  Emails n8n sends appear below. Ctrl-C stops n8n and the sandboxes.\n`);
	sandboxes.smtp.on('message', (message) => {
		say(`✉ email received by the SMTP sink:`);
		printEmail(message);
	});
	await new Promise((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	say('\nstopping n8n ...');
	await editor.stop();
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (options.help) {
		say(USAGE);
		return;
	}
	const started = Date.now();
	const n8nVersion = resolveN8nVersion(options.n8n);
	const demoDir = path.join(DEFAULT_RUNTIME_DIR, 'demo');
	const userFolder = path.join(demoDir, `n8n-${n8nVersion}`);
	fs.mkdirSync(demoDir, { recursive: true });
	const logFile = path.join(demoDir, 'build.log');
	fs.writeFileSync(logFile, '');

	say(`[1/5] n8n ${n8nVersion} in ${DEFAULT_RUNTIME_DIR}`);
	const runtime = await ensureRuntime({ n8nVersion, onProgress: (line) => say(`      ${line}`) });
	say(`      ready: n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}`);

	say(`[2/5] building and packing ${setup.PACKAGE_NAME} (log: ${logFile})`);
	const tarball = await setup.buildAndPack({ outDir: path.join(demoDir, 'package'), logFile });

	say(`[3/5] starting the Graph sandbox, the SMTP sink and the CRM sandbox`);
	const sandboxes = await setup.startSandboxes({
		certDir: path.join(demoDir, 'tls'),
		...(options.editor
			? {
					graphPort: EDITOR_PORTS.graph,
					smtpPort: EDITOR_PORTS.smtp,
					crmProxyPort: EDITOR_PORTS.crmProxy,
				}
			: {}),
	});
	try {
		say(
			`[4/5] installing ${path.basename(tarball)} into the n8n user folder's .n8n/nodes and importing the examples`,
		);
		const instance = await setup.prepareInstance({
			n8nVersion,
			userFolder,
			tarball,
			sandboxes,
			headless: !options.editor,
			onProgress: (line) => say(`      ${line}`),
		});
		say(`      into the n8n user folder ${userFolder}`);
		say(
			`      credentials: ${instance.credentials.map((credential) => `${credential.name} (${credential.type})`).join(', ')}`,
		);
		for (const { file, problem } of instance.skipped)
			say(`      not imported: examples/${file}: ${problem}`);
		if (options.editor) {
			say(`[5/5] starting the n8n editor`);
			await runEditor(instance, sandboxes);
		} else {
			say(`[5/5] running the example workflows headless (n8n execute)`);
			await runHeadless(instance, sandboxes);
			say(
				`\nDone in ${seconds(Date.now() - started)}. \`npm run demo -- --editor\` opens the same in the n8n editor.`,
			);
		}
	} finally {
		await sandboxes.close();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`\ndemo failed: ${error && error.message ? error.message : error}`);
		process.exit(1);
	},
);
