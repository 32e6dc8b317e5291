'use strict';
/**
 * n8n in queue mode (its distributed engine) for the end-to-end tests: Redis and PostgreSQL
 * started in a temporary folder, this package installed and the sandbox credentials and headless
 * examples imported into PostgreSQL as the regular e2e setup does (scripts/demo-setup.js
 * `prepareInstance`), the given workflows imported and published, then the main process
 * (`n8n start`, which receives webhooks and enqueues executions) and `workers` worker processes
 * (`n8n worker`, which run them). Everything listens on free ports of 127.0.0.1 and shares one
 * N8N_ENCRYPTION_KEY and one user folder.
 *
 *   const queue = await startQueueMode({ n8nVersion: '2.x', userFolder, tarball, sandboxes, workflows });
 *   await fetch(`${queue.url}/webhook/<path>`, { method: 'POST', ... });
 *   queue.executionsByWorker();   // which worker ran which execution (from their logs)
 *   await queue.stop();           // n8n, Redis and PostgreSQL stopped, their data removed
 *
 * Needs Debian's `redis-server` and `postgresql` packages (`apt-get install -y redis-server
 * postgresql`); PostgreSQL runs as the `postgres` user when this process is root (it refuses to
 * run as root). The processes are also stopped and the data removed if this process exits or
 * gets SIGINT/SIGTERM before `stop()`. n8n's logs stay in the user folder (queue-main.log,
 * queue-worker-<n>.log); Redis's and PostgreSQL's are in the temporary folder until `stop()`.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

const runtimeLib = require('./n8n-runtime');
const setup = require('./demo-setup');

/** The Debian packages that bring the servers queue mode needs. */
const APT_PACKAGES = ['redis-server', 'postgresql'];

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** `name` on PATH or in the usual system folders (sbin is not on every PATH). */
function which(name) {
	const dirs = [
		...(process.env.PATH || '').split(path.delimiter),
		'/usr/local/sbin',
		'/usr/local/bin',
		'/usr/sbin',
		'/usr/bin',
		'/sbin',
		'/bin',
	];
	for (const dir of dirs.filter(Boolean)) {
		const candidate = path.join(dir, name);
		if (isExecutable(candidate)) return candidate;
	}
	return undefined;
}

function versionOf(dirName) {
	return dirName.split('.').map(Number);
}

/**
 * The folder of PostgreSQL's server programs (initdb, pg_ctl), which Debian keeps off PATH:
 * what `dpkg -L postgresql-<major>` lists, else the newest /usr/lib/postgresql/<major>/bin,
 * else `initdb` on PATH.
 */
function findPostgresBinDir() {
	const fromDpkg = spawnSync(
		'dpkg-query',
		['-W', '-f=${Package} ${Status}\\n', 'postgresql-[0-9]*'],
		{ encoding: 'utf8' },
	);
	if (fromDpkg.status === 0) {
		const packages = fromDpkg.stdout
			.split('\n')
			.filter((line) => /install ok installed$/.test(line))
			.map((line) => line.split(' ')[0])
			.filter((name) => /^postgresql-\d+$/.test(name))
			.sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]));
		for (const name of packages) {
			const files = spawnSync('dpkg', ['-L', name], { encoding: 'utf8' });
			const initdb = (files.stdout || '').split('\n').find((file) => file.endsWith('/bin/initdb'));
			if (initdb && isExecutable(initdb) && isExecutable(path.join(path.dirname(initdb), 'pg_ctl')))
				return path.dirname(initdb);
		}
	}
	const root = '/usr/lib/postgresql';
	if (fs.existsSync(root)) {
		const majors = fs
			.readdirSync(root)
			.filter((name) => isExecutable(path.join(root, name, 'bin', 'initdb')))
			.sort((a, b) => {
				const [x, y] = [versionOf(a), versionOf(b)];
				return y[0] - x[0] || (y[1] || 0) - (x[1] || 0);
			});
		if (majors.length) return path.join(root, majors[0], 'bin');
	}
	const initdb = which('initdb');
	if (initdb) {
		const dir = path.dirname(fs.realpathSync(initdb));
		if (isExecutable(path.join(dir, 'pg_ctl'))) return dir;
	}
	return undefined;
}

/**
 * The server programs queue mode needs: { redisServer, pgBinDir, initdb, pgCtl, createdb, runAsPostgres }.
 * Throws an error naming the apt packages when one is missing.
 */
function findQueueBinaries() {
	const redisServer = which('redis-server');
	const pgBinDir = findPostgresBinDir();
	const missing = [];
	if (!redisServer) missing.push('redis-server (Debian package redis-server)');
	if (!pgBinDir)
		missing.push('PostgreSQL server programs initdb and pg_ctl (Debian package postgresql)');
	const createdb =
		pgBinDir && isExecutable(path.join(pgBinDir, 'createdb'))
			? path.join(pgBinDir, 'createdb')
			: which('createdb');
	if (pgBinDir && !createdb) missing.push('createdb (Debian package postgresql-client)');
	// PostgreSQL refuses to run as root: as root, it runs as the `postgres` user the package creates.
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	let runAsPostgres;
	if (isRoot) {
		const runuser = which('runuser');
		const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		if (!runuser) missing.push('runuser (Debian package util-linux)');
		else if (user.status !== 0)
			missing.push('the system user postgres (made by the Debian package postgresql)');
		else
			runAsPostgres = {
				runuser,
				uid: Number(user.stdout.trim()),
				gid: Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
			};
	}
	if (missing.length) {
		throw new Error(
			`n8n queue mode needs Redis and PostgreSQL on this machine; missing: ${missing.join('; ')}.\n` +
				`Install them with: apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`,
		);
	}
	return {
		redisServer,
		pgBinDir,
		initdb: path.join(pgBinDir, 'initdb'),
		pgCtl: path.join(pgBinDir, 'pg_ctl'),
		createdb,
		runAsPostgres,
	};
}

/** Runs a program to completion (as `postgres` when `asPostgres` is given); rejects with its output on failure. */
function runProgram(cmd, args, { asPostgres, logFile, env, timeoutMs = 120000 } = {}) {
	const [file, argv] = asPostgres
		? [asPostgres.runuser, ['-u', 'postgres', '--', cmd, ...args]]
		: [cmd, args];
	return new Promise((resolve, reject) => {
		const child = spawn(file, argv, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, ...(env || {}) },
			cwd: '/',
		});
		let output = '';
		child.stdout.on('data', (data) => (output += data));
		child.stderr.on('data', (data) => (output += data));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			try {
				if (logFile)
					fs.appendFileSync(
						logFile,
						`\n===== $ ${file} ${argv.join(' ')}\n${output}===== exit ${code ?? signal}\n`,
					);
			} catch {
				/* the temporary folder is already gone (cleaned up after a signal) */
			}
			if (code === 0) resolve(output);
			else
				reject(
					new Error(
						`${cmd} ${args.join(' ')} failed (exit ${code ?? signal}):\n${output.slice(-3000)}`,
					),
				);
		});
	});
}

function httpGetStatus(url, timeoutMs = 3000) {
	return new Promise((resolve) => {
		const request = http.get(url, { timeout: timeoutMs }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode));
		});
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', () => resolve(undefined));
	});
}

/** Resolves once Redis on 127.0.0.1:`port` answers PING with PONG. */
async function waitForRedis(port, { timeoutMs, isGone, logFile }) {
	const started = Date.now();
	for (;;) {
		const pong = await new Promise((resolve) => {
			const socket = net.connect({ host: '127.0.0.1', port });
			let data = '';
			socket.setTimeout(2000, () => socket.destroy());
			socket.on('connect', () => socket.write('PING\r\n'));
			socket.on('data', (chunk) => {
				data += chunk;
				if (data.includes('\r\n')) {
					socket.destroy();
					resolve(data.startsWith('+PONG'));
				}
			});
			socket.on('error', () => resolve(false));
			socket.on('close', () => resolve(false));
		});
		if (pong) return;
		const gone = isGone();
		if (gone)
			throw new Error(
				`redis-server exited (${gone}) before it answered; see ${logFile}:\n${tailOf(logFile, 20)}`,
			);
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`redis-server did not answer on 127.0.0.1:${port} within ${timeoutMs / 1000} s; see ${logFile}`,
			);
		await sleep(200);
	}
}

function tailOf(file, lines) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Kills a process group (a child spawned `detached`), or the process if it has none. */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			/* gone */
		}
	}
}

/**
 * A long-running child in its own process group (so it and whatever it starts, e.g. n8n's task
 * runner, can be stopped together), its output appended to `logFile`.
 */
function spawnDaemon(cmd, args, { env, cwd, logFile, header }) {
	fs.appendFileSync(
		logFile,
		`\n===== ${new Date().toISOString()} ${header || `${cmd} ${args.join(' ')}`}\n`,
	);
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = signal ? `signal ${signal}` : `exit ${code}`;
			resolve(exited);
		});
		child.on('error', (error) => {
			exited = `error ${error.message}`;
			resolve(exited);
		});
	});
	return {
		pid: child.pid,
		logFile,
		exited: () => exited,
		/** SIGTERM to the group, SIGKILL after `graceMs`. */
		async stop({ graceMs = 15000 } = {}) {
			if (!exited) killGroup(child.pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
			await exitPromise;
			clearTimeout(timer);
			// whatever else is left in its group (a task runner that outlived it)
			killGroup(child.pid, 'SIGKILL');
			return exited;
		},
		killNow() {
			killGroup(child.pid, 'SIGKILL');
		},
	};
}

/**
 * Starts n8n in queue mode; see the top of this file. Options:
 *  - n8nVersion, userFolder (made afresh), tarball, sandboxes (scripts/demo-setup.js startSandboxes)
 *  - workflows: workflows (objects with a fixed `id`) to import and publish before n8n starts
 *  - credentials: more credentials to import before them ({ id, name, type, data }, plain data)
 *  - workers (2), concurrency (20): worker processes and the executions each runs at once
 *  - onProgress(line)
 * Resolves { url, mainPort, workers: [{ index, pid, healthPort, logFile }], mainLogFile, instance,
 * env, tempDir, executionsByWorker(), enqueuedCount(), stop() }.
 */
async function startQueueMode({
	n8nVersion,
	userFolder,
	tarball,
	sandboxes,
	workflows = [],
	credentials = [],
	workers = 2,
	concurrency = 20,
	onProgress = () => {},
}) {
	const bins = findQueueBinaries();
	const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	// PostgreSQL (as `postgres`) must be able to enter and write the folder: not private to root.
	fs.chmodSync(tempDir, 0o755);
	if (bins.runAsPostgres) fs.chownSync(tempDir, bins.runAsPostgres.uid, bins.runAsPostgres.gid);
	const pgData = path.join(tempDir, 'pgdata');
	const pgLog = path.join(tempDir, 'postgresql.log');
	const setupLog = path.join(tempDir, 'setup.log');
	const redisDir = path.join(tempDir, 'redis');
	fs.mkdirSync(redisDir);

	const state = {
		redis: undefined,
		pgStarted: false,
		main: undefined,
		workers: [],
		stopped: false,
	};

	/** Stops PostgreSQL at once, synchronously (for exit handlers): SIGQUIT to the postmaster is its immediate shutdown. */
	const killPostgresNow = () => {
		try {
			const pid = Number(
				fs.readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0],
			);
			if (pid > 0) process.kill(pid, 'SIGQUIT');
		} catch {
			/* not running */
		}
	};
	// If the test process ends without stop() (a crash, Ctrl-C, a kill), take everything down with it.
	const cleanupNow = () => {
		if (state.stopped) return;
		state.stopped = true;
		for (const worker of state.workers) worker.killNow();
		if (state.main) state.main.killNow();
		if (state.redis) state.redis.killNow();
		killPostgresNow();
		fs.rmSync(tempDir, { recursive: true, force: true });
	};
	const onSignal = (signal) => {
		cleanupNow();
		removeHandlers();
		process.kill(process.pid, signal);
	};
	const removeHandlers = () => {
		process.removeListener('exit', cleanupNow);
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
	};
	process.on('exit', cleanupNow);
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	const stop = async () => {
		if (state.stopped) return;
		const started = Date.now();
		await Promise.all([
			...state.workers.map((worker) => worker.stop()),
			state.main ? state.main.stop() : undefined,
		]);
		if (state.redis) await state.redis.stop({ graceMs: 5000 });
		if (state.pgStarted) {
			await runProgram(bins.pgCtl, ['-D', pgData, '-m', 'fast', '-w', '-t', '30', 'stop'], {
				asPostgres: bins.runAsPostgres,
				logFile: setupLog,
			}).catch(() => killPostgresNow());
		}
		state.stopped = true;
		removeHandlers();
		fs.rmSync(tempDir, { recursive: true, force: true });
		onProgress(
			`queue mode stopped (${((Date.now() - started) / 1000).toFixed(1)} s), ${tempDir} removed`,
		);
	};

	try {
		// Redis: no persistence, loopback only.
		const redisPort = await runtimeLib.freePort();
		state.redis = spawnDaemon(
			bins.redisServer,
			[
				'--port',
				String(redisPort),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				redisDir,
			],
			{
				env: process.env,
				cwd: redisDir,
				logFile: path.join(tempDir, 'redis.log'),
			},
		);
		await waitForRedis(redisPort, {
			timeoutMs: 30000,
			isGone: () => state.redis.exited(),
			logFile: state.redis.logFile,
		});
		onProgress(`Redis on 127.0.0.1:${redisPort}`);

		// PostgreSQL: a throwaway cluster (no fsync: nothing here must survive a crash), database n8n.
		const pgPort = await runtimeLib.freePort();
		await runProgram(
			bins.initdb,
			['-D', pgData, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
			{ asPostgres: bins.runAsPostgres, logFile: setupLog },
		);
		const serverOptions = `-p ${pgPort} -k ${tempDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
		state.pgStarted = true;
		await runProgram(
			bins.pgCtl,
			['-D', pgData, '-o', serverOptions, '-l', pgLog, '-w', '-t', '120', 'start'],
			{ asPostgres: bins.runAsPostgres, logFile: setupLog, timeoutMs: 180000 },
		);
		await runProgram(
			bins.createdb,
			['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', 'n8n'],
			{ asPostgres: bins.runAsPostgres, logFile: setupLog },
		);
		onProgress(`PostgreSQL (${bins.pgBinDir}) on 127.0.0.1:${pgPort}, database n8n`);

		// What every n8n process of this instance gets: import commands, main and workers alike.
		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
		};
		const instance = await setup.prepareInstance({
			n8nVersion,
			userFolder,
			tarball,
			sandboxes,
			headless: true,
			env: queueEnv,
			onProgress,
		});
		if (credentials.length) await instance.importCredentials(credentials);
		for (const workflow of workflows) {
			await instance.importWorkflow(workflow);
			await instance.publish(workflow.id);
		}
		onProgress(
			`n8n ${instance.n8nVersion}: package installed, credentials and ${instance.examples.length + workflows.length} workflows imported into PostgreSQL, ${workflows.length} published`,
		);

		// Main and workers start together (the database is migrated already by the imports).
		const mainPort = await runtimeLib.freePort();
		const mainLogFile = path.join(userFolder, 'queue-main.log');
		const workerSpecs = [];
		for (let index = 1; index <= workers; index++) {
			workerSpecs.push({
				index,
				healthPort: await runtimeLib.freePort(),
				logFile: path.join(userFolder, `queue-worker-${index}.log`),
			});
		}
		const startMain = (async () => {
			const env = await runtimeLib.n8nEnv({
				runtime: instance.runtime,
				userFolder,
				env: {
					...instance.env,
					N8N_PORT: String(mainPort),
					N8N_LISTEN_ADDRESS: '127.0.0.1',
					N8N_HOST: '127.0.0.1',
					N8N_PROTOCOL: 'http',
					N8N_EDITOR_BASE_URL: `http://127.0.0.1:${mainPort}/`,
					WEBHOOK_URL: `http://127.0.0.1:${mainPort}/`,
					N8N_SECURE_COOKIE: 'false',
				},
			});
			state.main = spawnDaemon(instance.runtime.nodeBin, [instance.runtime.n8nBin, 'start'], {
				env,
				cwd: userFolder,
				logFile: mainLogFile,
				header: `n8n start (queue mode main) on 127.0.0.1:${mainPort}`,
			});
			await waitForReadiness(`http://127.0.0.1:${mainPort}/healthz/readiness`, {
				what: 'n8n main',
				daemon: state.main,
			});
		})();
		const startWorkers = workerSpecs.map(async ({ index, healthPort, logFile }) => {
			const env = await runtimeLib.n8nEnv({
				runtime: instance.runtime,
				userFolder,
				env: {
					...instance.env,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
			});
			const daemon = spawnDaemon(
				instance.runtime.nodeBin,
				[instance.runtime.n8nBin, 'worker', `--concurrency=${concurrency}`],
				{
					env,
					cwd: userFolder,
					logFile,
					header: `n8n worker ${index} (concurrency ${concurrency}), health on 127.0.0.1:${healthPort}`,
				},
			);
			state.workers.push(daemon);
			workerSpecs[index - 1].pid = daemon.pid;
			await waitForReadiness(`http://127.0.0.1:${healthPort}/healthz/readiness`, {
				what: `n8n worker ${index}`,
				daemon,
			});
		});
		const results = await Promise.allSettled([startMain, ...startWorkers]);
		const failure = results.find((result) => result.status === 'rejected');
		if (failure) throw failure.reason;
		// Readiness comes before the published workflows' webhooks are registered (n8n 2.x
		// activates them in the background): wait until each answers a CORS preflight.
		const webhookPaths = workflows.flatMap((workflow) =>
			workflow.nodes
				.filter((node) => node.type === 'n8n-nodes-base.webhook')
				.map((node) => node.parameters.path),
		);
		for (const webhookPath of webhookPaths) {
			await waitForWebhook(`http://127.0.0.1:${mainPort}/webhook/${webhookPath}`, {
				daemon: state.main,
			});
		}
		onProgress(`n8n main on http://127.0.0.1:${mainPort} and ${workers} workers ready`);

		return {
			url: `http://127.0.0.1:${mainPort}`,
			mainPort,
			mainLogFile,
			workers: workerSpecs.map((spec) => ({ ...spec })),
			instance,
			env: queueEnv,
			tempDir,
			/** Execution ids each worker started, from their logs ("Worker started execution N"): { 1: ['12', ...], 2: [...] }. */
			executionsByWorker() {
				return Object.fromEntries(
					workerSpecs.map(({ index, logFile }) => [
						index,
						[
							...fs.readFileSync(logFile, 'utf8').matchAll(/Worker started execution (\S+) \(job/g),
						].map((match) => match[1]),
					]),
				);
			},
			/** How many "Enqueued execution" lines the main process logged. */
			enqueuedCount() {
				return (fs.readFileSync(mainLogFile, 'utf8').match(/Enqueued execution \S+ \(job/g) || [])
					.length;
			},
			stop,
		};
	} catch (error) {
		await stop().catch(() => cleanupNow());
		throw error;
	}
}

/**
 * Polls a production webhook URL with a CORS preflight (OPTIONS, Origin, Access-Control-Request-Method
 * POST) until n8n answers 204: it does once the webhook is registered (404 before), without
 * running the workflow.
 */
async function waitForWebhook(url, { daemon, timeoutMs = 180000 }) {
	const started = Date.now();
	for (;;) {
		const status = await new Promise((resolve) => {
			const request = http.request(
				url,
				{
					method: 'OPTIONS',
					timeout: 5000,
					headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve(response.statusCode));
				},
			);
			request.on('timeout', () => request.destroy(new Error('timeout')));
			request.on('error', () => resolve(undefined));
			request.end();
		});
		if (status === 204) return Date.now() - started;
		const gone = daemon.exited();
		if (gone)
			throw new Error(
				`n8n main exited (${gone}) before the webhook ${url} was registered; see ${daemon.logFile}:\n${tailOf(daemon.logFile, 30)}`,
			);
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`the webhook ${url} was not registered within ${timeoutMs / 1000} s (last answer ${status}); see ${daemon.logFile}`,
			);
		await sleep(500);
	}
}

/** Polls `url` until it answers 200; fails early if `daemon` exits. */
async function waitForReadiness(url, { what, daemon, timeoutMs = 300000 }) {
	const started = Date.now();
	for (;;) {
		if ((await httpGetStatus(url)) === 200) return Date.now() - started;
		const gone = daemon.exited();
		if (gone)
			throw new Error(
				`${what} exited (${gone}) before ${url} answered 200; see ${daemon.logFile}:\n${tailOf(daemon.logFile, 30)}`,
			);
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`${what}: ${url} did not answer 200 within ${timeoutMs / 1000} s; see ${daemon.logFile}:\n${tailOf(daemon.logFile, 30)}`,
			);
		await sleep(500);
	}
}

module.exports = { APT_PACKAGES, findQueueBinaries, startQueueMode };
