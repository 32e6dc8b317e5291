'use strict';
/**
 * The running n8n editor (`n8n start`): it serves our node type and both credential types
 * from the community package, and the form example, published as a person would, enrolls
 * whoever submits its form and emails them their personal join link, with the real Form
 * Trigger.
 */
const assert = require('node:assert/strict');
const { waitFor } = require('./support');

const { NODE_TYPE, CREDENTIAL_TYPES } = require('../../scripts/demo-setup');

/** GET a JSON document from the running editor as the signed-in owner. */
async function getJson(editor, urlPath) {
	const response = await fetch(`${editor.url}${urlPath}`, { headers: { cookie: editor.cookie } });
	assert.equal(response.status, 200, `GET ${urlPath}`);
	return await response.json();
}

module.exports = (test) => {
	test('n8n loads the node type and both credential types from the community package', async (ctx) => {
		const editor = await ctx.editor();
		const nodeTypes = await getJson(editor, '/types/nodes.json');
		// the package's name as prefix: loaded by n8n's community package loader from ~/.n8n/nodes
		const node = nodeTypes.find((description) => description.name === NODE_TYPE);
		assert.ok(node, `${NODE_TYPE} is among the ${nodeTypes.length} node types n8n serves`);
		assert.equal(node.displayName, 'Microsoft Teams Meeting Registration');
		assert.deepEqual(
			node.credentials.map((credential) => credential.name),
			CREDENTIAL_TYPES,
		);
		assert.ok(node.properties.some((property) => property.name === 'registrationMode'));

		const credentialTypes = await getJson(editor, '/types/credentials.json');
		for (const type of CREDENTIAL_TYPES) {
			const credential = credentialTypes.find((description) => description.name === type);
			assert.ok(credential, `credential type ${type} is served`);
			assert.ok(
				credential.properties.some((property) => property.name === 'graphCloud'),
				`${type} has the Microsoft Cloud field`,
			);
		}
		assert.deepEqual(
			credentialTypes.find((description) => description.name === CREDENTIAL_TYPES[0]).extends,
			['oAuth2Api'],
		);
	});

	test('the published form example enrolls a person who submits the form and emails their link', async (ctx) => {
		const editor = await ctx.editor();
		const { graph, smtp, meetings } = ctx.sandboxes;
		const published = ctx.editorExamples.find(({ file }) => file === 'form-enroll-email.json');
		assert.ok(published, 'examples/form-enroll-email.json was imported');
		const formTrigger = published.workflow.nodes.find(
			(node) => node.type === 'n8n-nodes-base.formTrigger',
		);
		const formUrl = `${editor.url}/form/${formTrigger.webhookId}`;

		const page = await fetch(formUrl);
		assert.equal(page.status, 200);
		assert.match(await page.text(), /Register for the webinar/);

		// what the form page's script posts: its fields in order, as field-0, field-1, ...
		const form = new FormData();
		form.append('field-0', 'Erin Example');
		form.append('field-1', 'erin@example.com');
		const submitted = await fetch(formUrl, { method: 'POST', body: form });
		assert.equal(submitted.status, 200);

		const email = await waitFor('an email to erin@example.com', () =>
			smtp.messages.find((message) => message.envelopeTo.includes('erin@example.com')),
		);
		const [registrant] = graph.registrantsOf(meetings.everyone.id);
		assert.equal(registrant.id, 'erin@example.com');
		assert.equal(email.subject, 'Your personal link to join the webinar');
		assert.equal(
			email.text,
			`Hello Erin Example,\n\nyou are registered. Join the webinar with your personal link:\n${registrant.joinWebUrl}\n\nThis link is yours alone; please do not forward it.`,
		);
	});
};
