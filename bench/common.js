// What the benchmark suites share: command-line options, the Graph sandbox in its own process
// (bench/sandbox-process.js, driven over IPC), one variant run in a process of its own
// (bench/variant.js), and Markdown tables.
const { fork, execFileSync } = require('node:child_process');
const path = require('node:path');
const os = require('node:os');

const MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';

/** `--name value` from the command line, else `fallback`. */
function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

function startSandbox() {
	const child = fork(path.join(__dirname, 'sandbox-process.js'), {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let nextId = 0;
	const pending = new Map();
	child.on('message', (message) => {
		if (message.ready) return pending.get('ready')?.();
		const { resolve, reject } = pending.get(message.id);
		pending.delete(message.id);
		if (message.error) reject(new Error(message.error));
		else resolve(message.result);
	});
	const ready = new Promise((resolve) => pending.set('ready', resolve));
	return {
		ready,
		call: (command, args) =>
			new Promise((resolve, reject) => {
				const id = ++nextId;
				pending.set(id, { resolve, reject });
				child.send({ id, command, args });
			}),
		stop: () => child.disconnect(),
	};
}

/**
 * Runs one variant (bench/variant.js) in a fresh process; resolves what it measured:
 * { elapsedMs, cpuMs, maxRssKB, retainedKB, ... }. `extra` goes to the variant as JSON.
 */
function runVariant(variant, n, url, { meetingId = MEETING_ID, extra = {}, env = {} } = {}) {
	const output = execFileSync(
		process.execPath,
		[
			'--expose-gc',
			path.join(__dirname, 'variant.js'),
			variant,
			String(n),
			url,
			meetingId,
			JSON.stringify(extra),
		],
		{
			encoding: 'utf8',
			maxBuffer: 16 * 1024 * 1024,
			env: { ...process.env, N8N_LOG_LEVEL: 'silent', ...env },
		},
	);
	return JSON.parse(output.trim().split('\n').pop());
}

/** One line about the machine, for every suite's header. */
function machineLine() {
	const load = os
		.loadavg()
		.map((value) => value.toFixed(1))
		.join(' ');
	return `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${load}, ${new Date().toISOString()}`;
}

/** A Markdown table from a header and rows of cells. */
function markdownTable(header, rows) {
	return [
		`| ${header.join(' | ')} |`,
		`|${header.map(() => '---').join('|')}|`,
		...rows.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

const seconds = (ms) => (ms / 1000).toFixed(1);
const percent = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');

module.exports = {
	MEETING_ID,
	option,
	startSandbox,
	runVariant,
	machineLine,
	markdownTable,
	seconds,
	percent,
};
