'use strict';
/**
 * The Microsoft Teams Registration Trigger in the running n8n (`n8n start`), polling for real:
 * the CRM example (examples/teams-registrations-to-crm.json, imported as a person imports it,
 * the real trigger in it) is activated through the editor's REST API, as the editor's
 * Activate/Publish switch does; registrations made in Teams (the Graph sandbox's control API)
 * then reach the CRM sandbox through the real HubSpot node, one execution per poll that finds
 * something.
 *
 * What was found about running a polling trigger in a real n8n, 2.x and 1.x alike:
 *  - `n8n execute` cannot poll: it runs the workflow in its `cli` mode, in which n8n-core passes
 *    a polling trigger's input through without calling `poll` (so the headless example runs
 *    replace the trigger: scripts/example-workflows.js).
 *  - The editor's "test workflow" runs the trigger in `manual` mode: one poll, whose static
 *    data n8n does not keep; it shows the latest registration, not what is new.
 *  - Activating the workflow (POST /rest/workflows/{id}/activate with the workflow's
 *    `versionId`, in 1.123 and 2.41 alike; `update:workflow --active` / `publish:workflow` only
 *    change the database, a running n8n does not notice) polls once at once (n8n-core's
 *    activation "testing" poll, whose items start an execution like any other), then on
 *    the Poll Times schedule, keeping the static data between polls.
 *  - The shortest schedule is one poll a minute: "Every Minute" becomes the cron
 *    `<random second> * * * * *`; n8n 2.x refuses any seconds field that is not one number
 *    ("The polling interval is too short"), 1.x only a `*` in it. So this test waits up to a
 *    minute for the second poll.
 * The workflow is deactivated at the end, so it polls no more during the other tests.
 */
const assert = require('node:assert/strict');
const { graphRequestsOf, waitFor } = require('./support');
const path = require('node:path');
const { createRequire } = require('node:module');

const { TRIGGER_TYPE } = require('../../scripts/example-workflows');
const { assertCrmSynced } = require('./2-examples.e2e');

const EXAMPLE = 'teams-registrations-to-crm.json';
const TRIGGER_NAME = 'On Teams registration or cancellation';
const CRM_NODE = 'Create or update CRM contact';
const REGISTRATIONS_PATH = (webinarId) =>
	`/v1.0/solutions/virtualEvents/webinars/${encodeURIComponent(webinarId)}/registrations`;

async function rest(editor, method, urlPath, body) {
	const response = await fetch(`${editor.url}/rest${urlPath}`, {
		method,
		headers: { cookie: editor.cookie, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	assert.equal(response.status, 200, `${method} /rest${urlPath}: ${text.slice(0, 500)}`);
	return JSON.parse(text).data;
}

/** The workflow's finished executions, oldest first, with each node's output items. */
async function executionsOf(editor, instance, workflowId) {
	// n8n stores execution data with `flatted`; parse it with n8n's own copy
	const { parse } = createRequire(
		path.join(instance.runtime.dir, 'node_modules', 'n8n', 'package.json'),
	)('flatted');
	const listing = await rest(
		editor,
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`,
	);
	const finished = listing.results
		.filter((execution) => execution.finished || execution.status !== 'running')
		.sort((a, b) => Number(a.id) - Number(b.id));
	const executions = [];
	for (const summary of finished) {
		const execution = await rest(editor, 'GET', `/executions/${summary.id}`);
		const data = typeof execution.data === 'string' ? parse(execution.data) : execution.data;
		const output = (nodeName) =>
			(data.resultData.runData[nodeName] || [])
				.flatMap((run) => (run.data && run.data.main && run.data.main[0]) || [])
				.map((item) => item.json);
		executions.push({
			id: summary.id,
			mode: execution.mode,
			status: execution.status,
			error: data.resultData.error,
			output,
		});
	}
	return executions;
}

module.exports = (test) => {
	test(
		'the registration trigger, active in n8n, polls the webinar and sends registrations made in Teams to the CRM',
		async (ctx) => {
			const editor = await ctx.editor();
			const { instance, sandboxes } = ctx;
			const { graph, crm, webinars } = sandboxes;
			const webinar = webinars.launch;
			const events = graph.virtualEvents;

			// n8n serves the trigger from the community package, as a polling trigger
			const nodeTypes = await (
				await fetch(`${editor.url}/types/nodes.json`, { headers: { cookie: editor.cookie } })
			).json();
			const triggerType = nodeTypes.find((description) => description.name === TRIGGER_TYPE);
			assert.ok(triggerType, `${TRIGGER_TYPE} is among the node types n8n serves`);
			assert.equal(triggerType.displayName, 'Microsoft Teams Registration Trigger');
			assert.equal(triggerType.polling, true);

			const imported = ctx.editorExamples.find(({ file }) => file === EXAMPLE);
			assert.ok(imported, `examples/${EXAMPLE} was imported into the editor`);
			const workflowId = imported.workflow.id;
			assert.equal(
				imported.workflow.nodes.find((node) => node.name === TRIGGER_NAME).type,
				TRIGGER_TYPE,
				'the editor has the real trigger',
			);

			// before activation, Ada registers on Teams' registration page
			const ada = events.addTeamsRegistration(webinar.id, {
				firstName: 'Ada',
				lastName: 'Teams',
				email: 'ada.teams@example.com',
			});
			graph.clearLog();

			const stored = await rest(editor, 'GET', `/workflows/${workflowId}`);
			assert.equal(stored.active, false);
			const activated = await rest(editor, 'POST', `/workflows/${workflowId}/activate`, {
				versionId: stored.versionId,
			});
			assert.equal(activated.active, true);
			try {
				// the activation poll (Emit Existing on First Poll): Ada reaches the CRM
				await waitFor(
					'the activation poll sending Ada to the CRM',
					() => crm.upserts.length >= 1,
					60000,
					500,
				);
				const [first] = await waitFor(
					'the first execution',
					async () => {
						const executions = await executionsOf(editor, instance, workflowId);
						return executions.length >= 1 && executions;
					},
					30000,
					500,
				);
				assert.equal(first.status, 'success');
				assert.equal(first.mode, 'trigger');
				assertCrmSynced({
					crm,
					webinar,
					registrations: events.registrationsOf(webinar.id),
					triggerItems: first.output(TRIGGER_NAME),
					crmOutput: first.output(CRM_NODE),
				});

				// in Teams: Ben registers, Ada cancels; the next scheduled poll (within a minute) finds both
				const contactsBefore = crm.contacts();
				const upsertsBefore = crm.upserts.length;
				const ben = events.addTeamsRegistration(webinar.id, {
					firstName: 'Ben',
					lastName: 'Teams',
					email: 'ben.teams@example.com',
				});
				events.cancelRegistration(webinar.id, ada.id);
				await waitFor(
					'the next poll sending Ada and Ben to the CRM',
					() => crm.upserts.length >= upsertsBefore + 2,
					100000,
					500,
				);
				const executions = await waitFor(
					'the second execution',
					async () => {
						const found = await executionsOf(editor, instance, workflowId);
						return found.length >= 2 && found;
					},
					30000,
					500,
				);
				assert.equal(executions.length, 2, 'one execution per poll that found something');
				const second = executions[1];
				assert.equal(second.status, 'success');
				assert.equal(second.mode, 'trigger');
				const now = events.registrationsOf(webinar.id);
				assert.deepEqual(
					now.map((registration) => [registration.email, registration.status]),
					[
						['ada.teams@example.com', 'canceled'],
						['ben.teams@example.com', 'registered'],
					],
				);
				assert.equal(now[1].id, ben.id);
				// Ada's cancellation and Ben's registration, nobody twice
				// (Ada's contact, made by the first execution, is updated: isNew false)
				assertCrmSynced({
					crm,
					webinar,
					registrations: now,
					triggerItems: second.output(TRIGGER_NAME),
					crmOutput: second.output(CRM_NODE),
					upserts: crm.upserts.slice(upsertsBefore),
					contactsBefore,
				});
				assert.equal(crm.upserts.length, upsertsBefore + 2, 'nobody sent twice');

				// every Graph request of the trigger: the webinar's registrations, one listing per poll
				const graphCalls = graphRequestsOf(graph).map(
					(request) => `${request.method} ${request.rawPath} ${request.status}`,
				);
				assert.ok(graphCalls.length >= 2, `${graphCalls.length} polls`);
				assert.deepEqual([...new Set(graphCalls)], [`GET ${REGISTRATIONS_PATH(webinar.id)} 200`]);
			} finally {
				await rest(editor, 'POST', `/workflows/${workflowId}/deactivate`, {});
			}
		},
		{ timeoutMs: 4 * 60 * 1000 },
	);
};
