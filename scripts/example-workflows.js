'use strict';
/**
 * The example workflows (examples/*.json) made ready for import into the demo's or the
 * end-to-end tests' n8n: the one place where they are changed on their way in.
 *
 * Always:
 *  - the fill-in-your-own values become the Graph sandbox's: the meeting placeholder a join
 *    link of its demo meeting, the webinar placeholders its demo webinar's registration page
 *    and organizer (sandbox/cli.js createDemoMeetings / createDemoWebinars), the recording
 *    link placeholder DEMO_RECORDING_LINK;
 *  - each workflow gets a fixed id (so `n8n execute --id` and editor links can name it);
 *  - the credentials the examples refer to (by id and name) are made with data that points
 *    at the local sandboxes (`sandboxCredentials`), so the references need no change.
 *
 * In the editor, additionally: the Form Trigger gets FORM_SUBMISSIONS as pinned data, so
 * "Execute workflow" runs at once with them (a published form still takes real submissions).
 *
 * Headless (`n8n execute`), additionally: `n8n execute` starts only at a Manual Trigger (or an
 * Execute Workflow Trigger) and does not use pinned data, so triggers that wait for the
 * outside world are replaced by nodes of the same name (expressions like
 * `$('On form submission')` keep working):
 *  - Form Trigger  → Manual Trigger "Run headless" → Code node emitting FORM_SUBMISSIONS, shaped
 *                    as the Form Trigger emits them (fields by label, submittedAt, formMode);
 *  - Schedule Trigger → Manual Trigger (the schedule firing once);
 *  - Microsoft Teams Registration Trigger → Manual Trigger "Run headless" → our node listing the
 *    webinar's registrations (Webinar Registration → Get Many: same credential, authentication
 *    and webinar) → Code node of the trigger's name that labels each registration as the
 *    trigger labels a registration it has not seen before (`change`: newRegistration, or
 *    cancellation when canceled; `eventType`, `eventId`), keeping only the changes its
 *    Trigger On asks for. That is what the trigger's first poll emits with Emit Existing on
 *    First Poll, the example's setting. `n8n execute` cannot poll: it runs the workflow in
 *    its `cli` mode, in which n8n passes a polling trigger's input through without calling
 *    its poll (only an active workflow polls; test/e2e/6-registration-trigger.e2e.js runs the
 *    real trigger that way).
 * Everything else (our node, Send Email, HubSpot, Compare Datasets) runs as written.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const REPO_ROOT = path.resolve(__dirname, '..');
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const PACKAGE_NAME = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;
/** Our node types, as n8n names them when it loads this package. */
const NODE_TYPE = `${PACKAGE_NAME}.microsoftTeamsRegistration`;
const TRIGGER_TYPE = `${PACKAGE_NAME}.microsoftTeamsRegistrationTrigger`;
/** The node a headless run lists the webinar's registrations with (replaceRegistrationTrigger). */
const HEADLESS_LISTING_NODE = "List the webinar's registrations";

/** What every example has where the user's meeting goes. */
const MEETING_LINK_PLACEHOLDER =
	'https://teams.microsoft.com/l/meetup-join/PASTE-YOUR-MEETING-JOIN-LINK-HERE';
/** What the webinar example has where the user's webinar registration page and its organizer go. */
const WEBINAR_LINK_PLACEHOLDER =
	'https://events.teams.microsoft.com/event/PASTE-YOUR-WEBINAR-REGISTRATION-LINK-HERE';
const WEBINAR_ORGANIZER_PLACEHOLDER = 'webinar-organizer@PASTE-YOUR-DOMAIN-HERE.example';
/** What the attendance example has where the link to the webinar's recording goes, and the demo's. */
const RECORDING_LINK_PLACEHOLDER = 'https://PASTE-YOUR-RECORDING-LINK-HERE.example/recording';
const DEMO_RECORDING_LINK = 'https://recordings.example.com/demo-product-launch-webinar';

const TEAMS_OAUTH2_CREDENTIAL = 'microsoftTeamsRegistrationOAuth2Api';
const TEAMS_APP_ONLY_CREDENTIAL = 'microsoftTeamsRegistrationAppOnlyApi';
/** The private-app token the HubSpot credential carries and the CRM sandbox accepts. */
const CRM_SANDBOX_APP_TOKEN = 'crm-sandbox-app-token';

/**
 * People who "submit the form" in headless runs, by field label; each form gets the fields it
 * has (the enrollment form asks Name and Email, the webinar form First name, Last name, Email).
 */
const FORM_SUBMISSIONS = [
	{ Name: 'Ann Example', 'First name': 'Ann', 'Last name': 'Example', Email: 'ann@example.com' },
	{ Name: 'Bob Example', 'First name': 'Bob', 'Last name': 'Example', Email: 'bob@example.com' },
	{ Name: 'Cy Example', 'First name': 'Cy', 'Last name': 'Example', Email: 'cy@example.com' },
];

/** The CRM sandbox's contacts: Bob cancelled (and is enrolled), Dana cancelled (and never enrolled). */
const CRM_CONTACTS = [
	{
		id: '501',
		properties: {
			email: 'ann@example.com',
			firstname: 'Ann',
			webinar_registration_status: 'registered',
		},
	},
	{
		id: '502',
		properties: {
			email: 'bob@example.com',
			firstname: 'Bob',
			webinar_registration_status: 'cancelled',
		},
	},
	{
		id: '503',
		properties: {
			email: 'cy@example.com',
			firstname: 'Cy',
			webinar_registration_status: 'registered',
		},
	},
	{
		id: '504',
		properties: {
			email: 'dana@example.com',
			firstname: 'Dana',
			webinar_registration_status: 'cancelled',
		},
	},
];

/**
 * Credential data by credential type, pointing at the local sandboxes. An example that refers
 * to a credential type missing here cannot be imported (loadExamples says so).
 */
const CREDENTIAL_DATA = {
	/** @param {{graphUrl: string}} endpoints */
	[TEAMS_OAUTH2_CREDENTIAL]: ({ graphUrl }) => ({
		graphCloud: 'custom',
		customGraphUrl: graphUrl,
		customAuthorityUrl: graphUrl,
		tenant: 'common',
		clientId: 'sandbox-client-id',
		clientSecret: 'sandbox-client-secret',
		// as if "Connect my account" had been pressed: the Graph sandbox's organizer token
		oauthTokenData: { access_token: 'sandbox-delegated-token', token_type: 'Bearer' },
	}),
	/**
	 * App-only → the Graph sandbox, signing in at its HTTPS authority as the demo app
	 * (sandbox/cli.js DEMO_APP; n8n trusts the authority's certificate via NODE_EXTRA_CA_CERTS).
	 * @param {{graphUrl: string, authorityUrl: string, tenantId: string, app: {clientId: string, clientSecret: string}}} endpoints
	 */
	[TEAMS_APP_ONLY_CREDENTIAL]: ({ graphUrl, authorityUrl, tenantId, app }) => ({
		graphCloud: 'custom',
		customGraphUrl: graphUrl,
		customAuthorityUrl: authorityUrl,
		tenantId,
		clientId: app.clientId,
		authMethod: 'clientSecret',
		clientSecret: app.clientSecret,
	}),
	/** Send Email → the SMTP sink: no TLS, no login. @param {{smtpPort: number}} endpoints */
	smtp: ({ smtpPort }) => ({
		user: '',
		password: '',
		host: '127.0.0.1',
		port: smtpPort,
		secure: false,
		disableStartTls: true,
	}),
	/** HubSpot → the CRM sandbox (reached through its proxy). */
	hubspotAppToken: () => ({ appToken: CRM_SANDBOX_APP_TOKEN }),
};

/** A short fixed workflow id per example file and variant (n8n accepts up to 21 characters). */
function workflowId(file, headless) {
	return `${headless ? 'exh' : 'ex'}${crypto.createHash('sha1').update(path.basename(file)).digest('hex').slice(0, 12)}`;
}

/** The example files, sorted. */
function exampleFiles() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => path.join(EXAMPLES_DIR, file));
}

/** Every string equal to `from` replaced by `to`, anywhere in a JSON value. */
function replaceString(value, from, to) {
	if (value === from) return to;
	if (Array.isArray(value)) return value.map((element) => replaceString(element, from, to));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, element]) => [key, replaceString(element, from, to)]),
		);
	}
	return value;
}

/** FORM_SUBMISSIONS as the Form Trigger emits them (fields by label, submittedAt, formMode). */
function formTriggerItems(workflow, trigger) {
	const labels = ((trigger.parameters.formFields || {}).values || []).map(
		(field) => field.fieldLabel,
	);
	const missing = labels.filter(
		(label) => !FORM_SUBMISSIONS.every((submission) => label in submission),
	);
	if (missing.length)
		throw new Error(
			`${workflow.name}: the sample form submissions have no field ${missing.join(', ')}`,
		);
	const submittedAt = '2031-05-01T08:00:00.000+00:00';
	return FORM_SUBMISSIONS.map((submission) => ({
		json: {
			...Object.fromEntries(labels.map((label) => [label, submission[label]])),
			submittedAt,
			formMode: 'production',
		},
	}));
}

/** Form Trigger → pinned FORM_SUBMISSIONS, for "Execute workflow" in the editor. */
function pinFormSubmissions(workflow, trigger) {
	workflow.pinData = {
		...(workflow.pinData || {}),
		[trigger.name]: formTriggerItems(workflow, trigger),
	};
}

/** Form Trigger → Manual Trigger + Code node (same name) emitting FORM_SUBMISSIONS. */
function replaceFormTrigger(workflow, trigger) {
	const items = formTriggerItems(workflow, trigger);
	const start = {
		id: `${trigger.id}-headless`,
		name: 'Run headless',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [trigger.position[0] - 220, trigger.position[1]],
		parameters: {},
	};
	const submissions = {
		id: trigger.id,
		name: trigger.name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: trigger.position,
		parameters: {
			jsCode: `// What the Form Trigger emits for these submissions\nreturn ${JSON.stringify(items, null, 2)};`,
		},
	};
	workflow.nodes = workflow.nodes.flatMap((node) =>
		node === trigger ? [start, submissions] : [node],
	);
	workflow.connections[start.name] = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
}

/** Schedule Trigger → Manual Trigger of the same name. */
function replaceScheduleTrigger(workflow, trigger) {
	workflow.nodes = workflow.nodes.map((node) =>
		node === trigger
			? {
					id: trigger.id,
					name: trigger.name,
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: trigger.position,
					parameters: {},
				}
			: node,
	);
}

/**
 * The Code node's JavaScript: our node's listing (one item per registration, with `webinarId`)
 * labelled as the registration trigger labels registrations it has not seen
 * (nodes/MicrosoftTeamsRegistrationTrigger: `changesSince` from nothing, then `itemOf`).
 */
function triggerItemsCode(triggerOn) {
	return [
		'// What the Microsoft Teams Registration Trigger emits for registrations it has not seen before',
		'// (its first poll, with Emit Existing on First Poll): each with `change`, the event type and id.',
		`const triggerOn = ${JSON.stringify(triggerOn)};`,
		'return $input.all().flatMap(({ json: { webinarId, ...registration } }) => {',
		"\tconst change = registration.status === 'canceled' ? 'cancellation' : 'newRegistration';",
		'\treturn triggerOn.includes(change)',
		"\t\t? [{ json: { change, ...registration, eventType: 'webinar', eventId: webinarId } }]",
		'\t\t: [];',
		'});',
	].join('\n');
}

/**
 * Microsoft Teams Registration Trigger → Manual Trigger → our node (Webinar Registration → Get
 * Many, the trigger's credential and webinar) → Code node of the trigger's name.
 */
function replaceRegistrationTrigger(workflow, trigger) {
	const { authentication, organizer, eventType, event, triggerOn } = trigger.parameters;
	if ((eventType || 'webinar') !== 'webinar')
		throw new Error(
			`${workflow.name}: a headless run lists webinar registrations only, not ${eventType}`,
		);
	const [x, y] = trigger.position;
	const start = {
		id: `${trigger.id}-headless`,
		name: 'Run headless',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [x - 440, y],
		parameters: {},
	};
	const listing = {
		id: `${trigger.id}-listing`,
		name: HEADLESS_LISTING_NODE,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x - 220, y],
		parameters: {
			authentication,
			...(authentication === 'appOnly' ? { organizer } : {}),
			resource: 'webinarRegistration',
			operation: 'getAll',
			webinar: event,
			returnAll: true,
		},
		credentials: trigger.credentials,
	};
	const labelled = {
		id: trigger.id,
		name: trigger.name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: trigger.position,
		parameters: { jsCode: triggerItemsCode(triggerOn || ['newRegistration']) },
	};
	workflow.nodes = workflow.nodes.flatMap((node) =>
		node === trigger ? [start, listing, labelled] : [node],
	);
	workflow.connections[start.name] = {
		main: [[{ node: listing.name, type: 'main', index: 0 }]],
	};
	workflow.connections[listing.name] = {
		main: [[{ node: trigger.name, type: 'main', index: 0 }]],
	};
}

const HEADLESS_TRIGGER_REPLACEMENTS = {
	'n8n-nodes-base.formTrigger': replaceFormTrigger,
	'n8n-nodes-base.scheduleTrigger': replaceScheduleTrigger,
	[TRIGGER_TYPE]: replaceRegistrationTrigger,
};

const EDITOR_TRIGGER_PREPARATIONS = {
	'n8n-nodes-base.formTrigger': pinFormSubmissions,
};

/** The examples' fill-in-your-own values (`...PASTE-YOUR-...`) still in a workflow. */
function placeholdersIn(value) {
	return [...new Set(JSON.stringify(value).match(/[^"\s]*PASTE-YOUR-[^"\s]*/g) || [])];
}

/**
 * One example prepared for import, or the reason it cannot be (a placeholder or a credential
 * type the local sandboxes do not serve yet).
 * @param {string} file
 * @param {{meetingLink: string, webinarLink?: string, webinarOrganizer?: string, headless: boolean}} options
 * @returns {{workflow: object} | {problem: string}}
 */
function prepareExample(file, { meetingLink, webinarLink, webinarOrganizer, headless }) {
	let workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	const fillIns = [
		[MEETING_LINK_PLACEHOLDER, meetingLink],
		[WEBINAR_LINK_PLACEHOLDER, webinarLink],
		[WEBINAR_ORGANIZER_PLACEHOLDER, webinarOrganizer],
	];
	for (const [placeholder, value] of fillIns)
		if (value) workflow = replaceString(workflow, placeholder, value);
	// the recording link sits inside the email's text: replaced within strings
	workflow = JSON.parse(
		JSON.stringify(workflow).split(RECORDING_LINK_PLACEHOLDER).join(DEMO_RECORDING_LINK),
	);
	const unfilled = placeholdersIn(workflow);
	if (unfilled.length)
		return { problem: `the demo has nothing to put in for ${unfilled.join(', ')}` };
	const unserved = workflow.nodes.flatMap((node) =>
		Object.keys(node.credentials || {}).filter((type) => !CREDENTIAL_DATA[type]),
	);
	if (unserved.length)
		return {
			problem: `the demo has no sandbox credential of type ${[...new Set(unserved)].join(', ')}`,
		};
	workflow.id = workflowId(file, headless);
	workflow.active = false;
	if (headless) workflow.name = `${workflow.name} (headless)`;
	const preparations = headless ? HEADLESS_TRIGGER_REPLACEMENTS : EDITOR_TRIGGER_PREPARATIONS;
	for (const node of [...workflow.nodes]) {
		const prepare = preparations[node.type];
		if (prepare) prepare(workflow, node);
	}
	return { workflow };
}

/**
 * The examples prepared for import, the credentials they refer to (as `n8n import:credentials`
 * takes them: plain `data`, encrypted on import), and the examples that cannot be prepared
 * yet, with the reason (`skipped`: the demo says so, the end-to-end tests fail on it).
 * scripts/demo-setup.js `exampleOptions(sandboxes)` gives everything but `headless`.
 * @param {{meetingLink: string, webinarLink?: string, webinarOrganizer?: string, headless: boolean,
 *   graphUrl: string, authorityUrl?: string, tenantId?: string, app?: {clientId: string, clientSecret: string},
 *   smtpPort: number}} options
 */
function loadExamples({
	meetingLink,
	webinarLink,
	webinarOrganizer,
	headless,
	graphUrl,
	authorityUrl,
	tenantId,
	app,
	smtpPort,
}) {
	const examples = [];
	const skipped = [];
	for (const file of exampleFiles()) {
		const prepared = prepareExample(file, { meetingLink, webinarLink, webinarOrganizer, headless });
		if ('problem' in prepared) skipped.push({ file, problem: prepared.problem });
		else examples.push({ file, workflow: prepared.workflow });
	}
	/** @type {Map<string, {id: string, name: string, type: string, data: object}>} */
	const credentials = new Map();
	for (const { workflow } of examples) {
		for (const node of workflow.nodes) {
			for (const [type, reference] of Object.entries(node.credentials || {})) {
				credentials.set(`${type}/${reference.id}`, {
					id: reference.id,
					name: reference.name,
					type,
					data: CREDENTIAL_DATA[type]({ graphUrl, authorityUrl, tenantId, app, smtpPort }),
				});
			}
		}
	}
	return { examples, skipped, credentials: [...credentials.values()] };
}

/** Name of our node in `queueEnrollWebhookWorkflow`. */
const QUEUE_ENROLL_NODE = 'Enroll in Teams meeting';

/**
 * The workflow the queue-mode end-to-end test publishes (test/e2e/5-queue-mode.e2e.js): a
 * Webhook trigger (`POST /webhook/<path>`, answering "When Last Node Finishes", so the HTTP
 * answer is our node's output item) → our node enrolling `{{ $json.body.externalId }}` into the
 * meeting `meetingId` (by ID), with the delegated sandbox credential `credential` ({ id, name }).
 * @param {{id: string, path: string, meetingId: string, credential: {id: string, name: string}, nodeType: string}} options
 */
function queueEnrollWebhookWorkflow({ id, path: webhookPath, meetingId, credential, nodeType }) {
	return {
		id,
		name: `e2e: enroll by webhook (${webhookPath})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
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
			},
			{
				id: 'enroll',
				name: QUEUE_ENROLL_NODE,
				type: nodeType,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					authentication: 'oAuth2',
					resource: 'registrant',
					operation: 'enroll',
					meeting: { __rl: true, mode: 'id', value: meetingId },
					registrationMode: 'everyone',
					externalId: '={{ $json.body.externalId }}',
					options: {},
				},
				credentials: { [TEAMS_OAUTH2_CREDENTIAL]: { id: credential.id, name: credential.name } },
			},
		],
		connections: {
			'Form submission': { main: [[{ node: QUEUE_ENROLL_NODE, type: 'main', index: 0 }]] },
		},
	};
}

module.exports = {
	EXAMPLES_DIR,
	NODE_TYPE,
	TRIGGER_TYPE,
	HEADLESS_LISTING_NODE,
	MEETING_LINK_PLACEHOLDER,
	WEBINAR_LINK_PLACEHOLDER,
	WEBINAR_ORGANIZER_PLACEHOLDER,
	RECORDING_LINK_PLACEHOLDER,
	DEMO_RECORDING_LINK,
	FORM_SUBMISSIONS,
	CRM_CONTACTS,
	CRM_SANDBOX_APP_TOKEN,
	TEAMS_OAUTH2_CREDENTIAL,
	TEAMS_APP_ONLY_CREDENTIAL,
	exampleFiles,
	workflowId,
	loadExamples,
	QUEUE_ENROLL_NODE,
	queueEnrollWebhookWorkflow,
};
