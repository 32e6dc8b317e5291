'use strict';
/**
 * A local SMTP sink: an SMTP server on 127.0.0.1 that accepts every message and keeps it, so
 * n8n's real Send Email node can run in the demo and the end-to-end tests, and the emails
 * (with their join links) can be shown and checked. Nothing is relayed anywhere.
 *
 * It speaks the part of SMTP (RFC 5321) that nodemailer, which Send Email uses, needs without
 * authentication or TLS: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. STARTTLS is not
 * offered, so the SMTP credential must have SSL/TLS off and "Disable STARTTLS" on.
 *
 * Received messages are parsed far enough to read them: headers, and the text of a
 * text/plain (or text/html) part with quoted-printable or base64 transfer encoding.
 *
 * Plain Node, no dependencies.
 */
const net = require('node:net');
const { EventEmitter } = require('node:events');

/**
 * @typedef {object} ReceivedEmail
 * @property {string} envelopeFrom  MAIL FROM address
 * @property {string[]} envelopeTo  RCPT TO addresses
 * @property {Record<string, string>} headers  lower-cased names, unfolded, encoded words decoded
 * @property {string} from
 * @property {string} to
 * @property {string} subject
 * @property {string} text  the text/plain body (or the html one if there is no plain part), decoded, CRLF → LF
 * @property {string} raw   the message as received
 */

class SmtpSink extends EventEmitter {
	constructor() {
		super();
		/** @type {ReceivedEmail[]} */
		this.messages = [];
		/** @type {Set<net.Socket>} */
		this._sockets = new Set();
		this._server = net.createServer((socket) => this._session(socket));
		this.port = 0;
	}

	/** Listens on 127.0.0.1:`port` (0 = any free port). Resolves the sink. */
	listen(port = 0) {
		return new Promise((resolve, reject) => {
			this._server.once('error', reject);
			this._server.listen(port, '127.0.0.1', () => {
				this._server.removeListener('error', reject);
				this.port = /** @type {net.AddressInfo} */ (this._server.address()).port;
				resolve(this);
			});
		});
	}

	/** Forgets the messages received so far. */
	clear() {
		this.messages.length = 0;
	}

	close() {
		for (const socket of this._sockets) socket.destroy();
		return new Promise((resolve) => this._server.close(() => resolve(undefined)));
	}

	/** @param {net.Socket} socket */
	_session(socket) {
		this._sockets.add(socket);
		socket.on('close', () => this._sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		const reply = (/** @type {string} */ line) => socket.write(`${line}\r\n`);
		let buffered = '';
		let inData = false;
		/** @type {string[]} */
		let dataLines = [];
		let envelope = { from: '', to: /** @type {string[]} */ ([]) };

		reply('220 127.0.0.1 ESMTP n8n demo SMTP sink (nothing is delivered)');
		socket.setEncoding('utf8');
		socket.on('data', (chunk) => {
			buffered += chunk;
			let end;
			while ((end = buffered.indexOf('\r\n')) !== -1) {
				const line = buffered.slice(0, end);
				buffered = buffered.slice(end + 2);
				if (inData) {
					if (line === '.') {
						inData = false;
						const raw = dataLines.join('\r\n');
						dataLines = [];
						const message = {
							envelopeFrom: envelope.from,
							envelopeTo: envelope.to,
							...parseMessage(raw),
							raw,
						};
						envelope = { from: '', to: [] };
						this.messages.push(message);
						this.emit('message', message);
						reply('250 2.0.0 Kept by the sink');
					} else {
						// RFC 5321 4.5.2: a leading dot was doubled by the sender
						dataLines.push(line.startsWith('.') ? line.slice(1) : line);
					}
					continue;
				}
				const verb = line.slice(0, 4).toUpperCase();
				const argument = line.slice(4).trim();
				if (verb === 'EHLO') {
					reply('250-127.0.0.1');
					reply('250-8BITMIME');
					reply('250 SMTPUTF8');
				} else if (verb === 'HELO') reply('250 127.0.0.1');
				else if (verb === 'MAIL') {
					envelope = { from: angleAddress(argument), to: [] };
					reply('250 2.1.0 OK');
				} else if (verb === 'RCPT') {
					envelope.to.push(angleAddress(argument));
					reply('250 2.1.5 OK');
				} else if (verb === 'DATA') {
					if (envelope.to.length === 0) reply('503 5.5.1 RCPT first');
					else {
						inData = true;
						reply('354 End data with <CR><LF>.<CR><LF>');
					}
				} else if (verb === 'RSET') {
					envelope = { from: '', to: [] };
					reply('250 2.0.0 OK');
				} else if (verb === 'NOOP') reply('250 2.0.0 OK');
				else if (verb === 'QUIT') {
					reply('221 2.0.0 Bye');
					socket.end();
				} else reply('502 5.5.2 Command not implemented');
			}
		});
	}
}

/** `FROM:<a@b> SIZE=12` → `a@b` */
function angleAddress(argument) {
	const match = /<([^>]*)>/.exec(argument);
	return match ? match[1] : argument.replace(/^(FROM|TO):/i, '').trim();
}

/** Headers (unfolded, lower-cased names) and body of one MIME entity. */
function splitEntity(raw) {
	const separator = raw.indexOf('\r\n\r\n');
	const head = separator === -1 ? raw : raw.slice(0, separator);
	const body = separator === -1 ? '' : raw.slice(separator + 4);
	/** @type {Record<string, string>} */
	const headers = {};
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, body };
}

function decodeQuotedPrintable(text) {
	const bytes = [];
	const softBroken = text.replace(/=\r\n/g, '');
	for (let i = 0; i < softBroken.length; i++) {
		const hex = softBroken.slice(i + 1, i + 3);
		if (softBroken[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else bytes.push(...Buffer.from(softBroken[i], 'utf8'));
	}
	return Buffer.from(bytes).toString('utf8');
}

function decodeBody(body, transferEncoding) {
	const encoding = (transferEncoding || '7bit').toLowerCase();
	if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
	if (encoding === 'base64')
		return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	return body;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`) in a header value. */
function decodeEncodedWords(value) {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset, kind, text) =>
			kind.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: decodeQuotedPrintable(text.replace(/_/g, ' ')),
		);
}

/** The readable text of an entity: its text/plain part, else its text/html part. */
function textOf(entity) {
	const type = entity.headers['content-type'] || 'text/plain';
	const boundary = /boundary="?([^";]+)"?/i.exec(type);
	if (/^multipart\//i.test(type) && boundary) {
		const parts = entity.body
			.split(`--${boundary[1]}`)
			.slice(1)
			.filter((part) => !part.startsWith('--'))
			.map((part) => splitEntity(part.replace(/^\r\n/, '')));
		const texts = parts.map((part) => ({
			type: part.headers['content-type'] || 'text/plain',
			text: textOf(part),
		}));
		const plain =
			texts.find((part) => /^text\/plain/i.test(part.type)) ||
			texts.find((part) => part.text !== '');
		return plain ? plain.text : '';
	}
	return decodeBody(entity.body, entity.headers['content-transfer-encoding']);
}

/** @param {string} raw */
function parseMessage(raw) {
	const entity = splitEntity(raw);
	const headers = Object.fromEntries(
		Object.entries(entity.headers).map(([name, value]) => [name, decodeEncodedWords(value)]),
	);
	return {
		headers,
		from: headers.from || '',
		to: headers.to || '',
		subject: headers.subject || '',
		text: textOf(entity).replace(/\r\n/g, '\n').replace(/\n$/, ''),
	};
}

/** Starts a sink on 127.0.0.1:`port` (0 = any free port). */
async function startSmtpSink({ port = 0 } = {}) {
	return await new SmtpSink().listen(port);
}

module.exports = { startSmtpSink, SmtpSink, parseMessage };
