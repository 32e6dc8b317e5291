'use strict';
/**
 * A local stand-in for the HubSpot CRM API, so the real HubSpot node in the example
 * "remove people who cancelled in the CRM" runs in the demo and the end-to-end tests.
 *
 * n8n's HubSpot node calls the fixed host https://api.hubapi.com. n8n sends outbound HTTP(S)
 * through the proxy named in HTTPS_PROXY/HTTP_PROXY (with NO_PROXY exceptions), in 1.x and
 * 2.x alike, so this module is that proxy, on 127.0.0.1:
 *  - CONNECT api.hubapi.com:443 is answered by an in-process HTTPS server with a certificate
 *    for api.hubapi.com from a throwaway certificate authority made with openssl at start
 *    (n8n trusts it through NODE_EXTRA_CA_CERTS);
 *  - every other destination is refused, so nothing leaves this machine; n8n's calls to its
 *    own internet services fail at once instead of waiting for DNS.
 * Give n8n `NO_PROXY=127.0.0.1,localhost` so the Graph sandbox and the task runner are reached
 * directly.
 *
 * The API part, what the examples' HubSpot nodes call:
 *  - POST /crm/v3/objects/contacts/search with `filterGroups` of EQ filters and `properties`
 *    (the contact Search operation), answered from the CRM's contacts;
 *  - POST /contacts/v1/contact/createOrUpdate/email/{email} with `{ properties: [{ property,
 *    value }] }` (the contact Create or Update operation): the contact with that email gets the
 *    properties, or a new contact is made; HubSpot's answer `{ vid, isNew }`.
 * The CRM starts with the contacts given at start, and `clear()` puts them back. A missing or
 * wrong private-app token gets HubSpot's 401. Every search and every create-or-update is
 * recorded.
 */
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const https = require('node:https');
const { execFileSync } = require('node:child_process');

const HUBSPOT_HOST = 'api.hubapi.com';

/**
 * A certificate authority and a server certificate for api.hubapi.com signed by it, as PEM
 * files in `dir` (made once per folder).
 */
function ensureCertificates(dir) {
	const files = {
		caCert: path.join(dir, 'crm-sandbox-ca.pem'),
		caKey: path.join(dir, 'crm-sandbox-ca-key.pem'),
		cert: path.join(dir, 'crm-sandbox-api.hubapi.com.pem'),
		key: path.join(dir, 'crm-sandbox-api.hubapi.com-key.pem'),
	};
	if (Object.values(files).every((file) => fs.existsSync(file))) return files;
	fs.mkdirSync(dir, { recursive: true });
	const openssl = (/** @type {string[]} */ args) =>
		execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
	openssl([
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		files.caKey,
		'-out',
		files.caCert,
		'-days',
		'3650',
		'-subj',
		'/CN=n8n-nodes-teams-meeting-registration CRM sandbox CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	const csr = path.join(dir, 'crm-sandbox.csr');
	const ext = path.join(dir, 'crm-sandbox.ext');
	openssl([
		'req',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		files.key,
		'-out',
		csr,
		'-subj',
		`/CN=${HUBSPOT_HOST}`,
	]);
	fs.writeFileSync(
		ext,
		`subjectAltName=DNS:${HUBSPOT_HOST}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
	);
	openssl([
		'x509',
		'-req',
		'-in',
		csr,
		'-CA',
		files.caCert,
		'-CAkey',
		files.caKey,
		'-CAcreateserial',
		'-out',
		files.cert,
		'-days',
		'3650',
		'-extfile',
		ext,
	]);
	for (const leftover of [csr, ext, path.join(dir, 'crm-sandbox-ca.srl')])
		fs.rmSync(leftover, { force: true });
	return files;
}

function sendJson(res, status, body) {
	res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
	res.end(JSON.stringify(body));
}

/**
 * @param {object} options
 * @param {Array<{id: string, properties: Record<string, string>}>} options.contacts  the CRM's contacts
 * @param {string} options.appToken  the private-app token the HubSpot credential must carry
 * @param {string} options.certDir   where the throwaway certificate authority lives
 * @param {number} [options.port]    the proxy's port on 127.0.0.1 (0 = any free port)
 */
async function startCrmSandbox({ contacts, appToken, certDir, port = 0 }) {
	const tls = ensureCertificates(certDir);
	/** The CRM's contacts now (a copy of `contacts`: create-or-update changes it, `clear()` restores it). */
	let store = structuredClone(contacts);
	/** @type {Array<{ filterGroups: unknown, properties: unknown, authorized: boolean }>} */
	const searches = [];
	/** @type {Array<{ email: string, properties: unknown, authorized: boolean }>} */
	const upserts = [];
	/** CONNECT destinations that were refused (n8n's own internet services, mostly). */
	const refused = [];

	/** A request's JSON body; on bad JSON, answers 400 as HubSpot does and returns undefined. */
	function parseBody(res, text) {
		try {
			return JSON.parse(text || '{}');
		} catch {
			sendJson(res, 400, {
				status: 'error',
				message: 'Invalid input JSON',
				category: 'VALIDATION_ERROR',
			});
			return undefined;
		}
	}

	/** POST /contacts/v1/contact/createOrUpdate/email/{email}, as HubSpot's v1 contacts API answers it. */
	function createOrUpdate(req, res, email, text) {
		const body = parseBody(res, text);
		if (body === undefined) return;
		const authorized = req.headers.authorization === `Bearer ${appToken}`;
		upserts.push({ email, properties: body.properties, authorized });
		if (!authorized) {
			return sendJson(res, 401, {
				status: 'error',
				message:
					'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
				category: 'INVALID_AUTHENTICATION',
			});
		}
		const properties = Array.isArray(body.properties) ? body.properties : [];
		const invalid = properties.find(
			(entry) => !entry || typeof entry.property !== 'string' || !('value' in entry),
		);
		if (!/^[^@\s]+@[^@\s]+$/.test(email) || invalid) {
			return sendJson(res, 400, {
				status: 'error',
				message: invalid
					? `Property values were not valid: ${JSON.stringify(invalid)}`
					: `Email address ${email} is invalid`,
				category: 'VALIDATION_ERROR',
			});
		}
		let contact = store.find((candidate) => candidate.properties.email === email);
		const isNew = !contact;
		if (!contact) {
			const id = String(Math.max(500, ...store.map((candidate) => Number(candidate.id))) + 1);
			contact = { id, properties: { email } };
			store.push(contact);
		}
		for (const { property, value } of properties) contact.properties[property] = String(value);
		sendJson(res, 200, { vid: Number(contact.id), isNew });
	}

	const api = https.createServer(
		{ key: fs.readFileSync(tls.key), cert: fs.readFileSync(tls.cert) },
		(req, res) => {
			let text = '';
			req.setEncoding('utf8');
			req.on('data', (chunk) => (text += chunk));
			req.on('end', () => {
				const url = new URL(req.url || '/', `https://${HUBSPOT_HOST}`);
				const upsertPath = /^\/contacts\/v1\/contact\/createOrUpdate\/email\/([^/]+)$/.exec(
					url.pathname,
				);
				if (req.method === 'POST' && upsertPath)
					return createOrUpdate(req, res, decodeURIComponent(upsertPath[1]), text);
				if (req.method !== 'POST' || url.pathname !== '/crm/v3/objects/contacts/search') {
					return sendJson(res, 404, {
						status: 'error',
						message: `The CRM sandbox has no ${req.method} ${url.pathname}`,
						category: 'OBJECT_NOT_FOUND',
					});
				}
				const body = parseBody(res, text);
				if (body === undefined) return;
				const authorized = req.headers.authorization === `Bearer ${appToken}`;
				searches.push({ filterGroups: body.filterGroups, properties: body.properties, authorized });
				if (!authorized) {
					return sendJson(res, 401, {
						status: 'error',
						message:
							'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
						category: 'INVALID_AUTHENTICATION',
					});
				}
				const groups = Array.isArray(body.filterGroups) ? body.filterGroups : [];
				const unsupported = groups
					.flatMap((group) => group.filters || [])
					.find((filter) => filter.operator !== 'EQ');
				if (unsupported) {
					return sendJson(res, 400, {
						status: 'error',
						message: `The CRM sandbox supports operator EQ only, not ${unsupported.operator}`,
						category: 'VALIDATION_ERROR',
					});
				}
				// HubSpot: filters within a group are ANDed, groups are ORed.
				const matches = store.filter(
					(contact) =>
						groups.length === 0 ||
						groups.some((group) =>
							(group.filters || []).every(
								(filter) => contact.properties[filter.propertyName] === filter.value,
							),
						),
				);
				const wanted =
					Array.isArray(body.properties) && body.properties.length
						? body.properties
						: ['email', 'firstname', 'lastname'];
				sendJson(res, 200, {
					total: matches.length,
					results: matches.map((contact) => ({
						id: contact.id,
						properties: Object.fromEntries(
							wanted.map((name) => [name, contact.properties[name] ?? null]),
						),
						createdAt: '2031-01-01T08:00:00.000Z',
						updatedAt: '2031-05-01T08:00:00.000Z',
						archived: false,
					})),
				});
			});
		},
	);

	const proxy = http.createServer((req, res) => {
		refused.push(req.url || '');
		res.writeHead(403, { 'content-type': 'text/plain' });
		res.end('The CRM sandbox proxy only reaches api.hubapi.com');
	});
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	proxy.on('connect', (req, socket, head) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		if (req.url !== `${HUBSPOT_HOST}:443`) {
			refused.push(req.url || '');
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head && head.length) socket.unshift(head);
		api.emit('connection', socket);
	});
	await new Promise((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(port, '127.0.0.1', () => resolve(undefined));
	});
	const proxyUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (proxy.address()).port}`;

	return {
		proxyUrl,
		/** PEM file of the certificate authority n8n must trust (NODE_EXTRA_CA_CERTS). */
		caFile: tls.caCert,
		searches,
		upserts,
		refused,
		/** The CRM's contacts now. */
		contacts: () => structuredClone(store),
		/** The environment that sends n8n's outbound HTTP(S) here; local addresses stay direct. */
		n8nEnv: {
			// proxy-from-env reads the lower-case names first: set both, in case the machine has either
			HTTPS_PROXY: proxyUrl,
			HTTP_PROXY: proxyUrl,
			NO_PROXY: '127.0.0.1,localhost,::1',
			https_proxy: proxyUrl,
			http_proxy: proxyUrl,
			no_proxy: '127.0.0.1,localhost,::1',
			NODE_EXTRA_CA_CERTS: tls.caCert,
		},
		/** Forgets the searches, create-or-updates and refusals recorded so far, and puts the CRM's contacts back as they were at start. */
		clear() {
			searches.length = 0;
			upserts.length = 0;
			refused.length = 0;
			store = structuredClone(contacts);
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => proxy.close(() => resolve(undefined)));
		},
	};
}

module.exports = { startCrmSandbox, HUBSPOT_HOST };
