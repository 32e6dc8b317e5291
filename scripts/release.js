#!/usr/bin/env node
'use strict';
/**
 * `npm run release`: the release tarball, built from a clean `dist/`.
 *
 *   npm run release                      -> release/n8n-nodes-teams-meeting-registration-<version>.tgz
 *   npm run release -- --out-dir DIR     the tarball into DIR instead
 *
 * A plain `npm pack` does not build (`.npmrc` sets ignore-scripts=true, so no `prepack` runs)
 * and would pack whatever `dist/` holds, or nothing. This script removes `dist/`, runs
 * `npm run build`, packs into the folder (older tarballs there are removed), checks the
 * tarball's file list (every file the package.json `n8n` field names is in it, LICENSE too,
 * no source maps, `.d.ts` or tests) and prints the tarball's path as its last line.
 *
 * `scripts/demo-setup.js` `buildAndPack` (the demo, the end-to-end tests, the screenshots)
 * calls `buildRelease` below, so they install exactly what this command produces, with the
 * install command the README documents (`INSTALL_ARGS`).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..');
const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'release');

/**
 * How the README (Installation), the Dockerfile and scripts/demo-setup.js install the tarball
 * into n8n's `~/.n8n/nodes`: `npm install --prefix <nodes folder> ${INSTALL_ARGS} <tarball>`.
 * `--omit=peer` leaves out the `n8n-workflow` peer (n8n brings its own; installing it pulls
 * isolated-vm, whose native build fails without a compiler toolchain, and on Node.js 20 at all);
 * `--ignore-scripts` runs no install scripts, as n8n's own community-package installer.
 */
const INSTALL_ARGS = ['--omit=peer', '--ignore-scripts'];

/** The parent's environment without npm's `npm_*` variables (an `npm run` parent exports its project's config). */
function cleanEnv() {
	return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/**
 * Runs a command, its output appended to `logFile` (without one: to stderr, stdout only if
 * `echoStdout`); resolves its stdout.
 */
function run(cmd, args, { cwd = REPO_ROOT, logFile, env = cleanEnv(), echoStdout = true } = {}) {
	return new Promise((resolve, reject) => {
		if (logFile) fs.appendFileSync(logFile, `\n===== $ ${cmd} ${args.join(' ')}\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		const sink = (chunk) => {
			if (logFile) fs.appendFileSync(logFile, chunk);
			else process.stderr.write(chunk);
		};
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (logFile || echoStdout) sink(chunk);
		});
		child.stderr.on('data', sink);
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) return resolve(stdout);
			const where = logFile
				? `; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`
				: '';
			reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code})${where}`));
		});
	});
}

/** What is wrong with a packed file list (paths relative to the package root); [] when nothing. */
function checkFiles(files, packageJson) {
	const problems = [];
	const listed = new Set(files);
	for (const file of [
		...packageJson.n8n.nodes,
		...packageJson.n8n.credentials,
		'package.json',
		'LICENSE',
		'README.md',
	]) {
		if (!listed.has(file)) problems.push(`${file} is missing`);
	}
	for (const file of files) {
		if (file.endsWith('.map') || file.endsWith('.d.ts') || /\.test\.[jt]s$/.test(file)) {
			problems.push(`${file} should not be shipped`);
		}
	}
	return problems;
}

/**
 * Removes `dist/`, runs `npm run build`, `npm pack`s into `outDir` (removing older tarballs
 * there) and checks the file list. Resolves { tarball, files, size, unpackedSize }.
 */
async function buildRelease({ outDir = DEFAULT_OUT_DIR, logFile } = {}) {
	const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	fs.rmSync(path.join(REPO_ROOT, 'dist'), { recursive: true, force: true });
	fs.mkdirSync(outDir, { recursive: true });
	for (const old of fs.readdirSync(outDir).filter((file) => file.endsWith('.tgz')))
		fs.rmSync(path.join(outDir, old));
	await run('npm', ['run', 'build'], { logFile });
	const stdout = await run('npm', ['pack', '--json', '--pack-destination', outDir], {
		logFile,
		echoStdout: false,
	});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	const tarball = path.join(outDir, packed.filename);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack left no ${packed.filename} in ${outDir}`);
	const files = packed.files.map((file) => file.path).sort();
	const problems = checkFiles(files, packageJson);
	if (problems.length) throw new Error(`${tarball}:\n  ${problems.join('\n  ')}`);
	return { tarball, files, size: packed.size, unpackedSize: packed.unpackedSize };
}

/** The documented install command for `tarball` into the n8n nodes folder `nodesDir`, as an argument list. */
function installArgs({ nodesDir, tarball }) {
	return ['install', '--prefix', nodesDir, ...INSTALL_ARGS, tarball];
}

function parseArgs(argv) {
	const options = { outDir: DEFAULT_OUT_DIR };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--')
			continue; // `npm run release -- --out-dir x` on npm versions that pass the `--` on
		else if (argv[i] === '--out-dir') options.outDir = path.resolve(argv[++i]);
		else if (argv[i].startsWith('--out-dir='))
			options.outDir = path.resolve(argv[i].slice('--out-dir='.length));
		else if (argv[i] === '--help' || argv[i] === '-h') options.help = true;
		else throw new Error(`unknown option ${argv[i]} (usage: npm run release [-- --out-dir DIR])`);
	}
	return options;
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (options.help) {
		console.log('usage: npm run release [-- --out-dir DIR]   (default: release/)');
		return;
	}
	console.error(
		`building from a clean dist/ and packing into ${path.relative(process.cwd(), options.outDir) || '.'}/ ...`,
	);
	const { tarball, files, size, unpackedSize } = await buildRelease({ outDir: options.outDir });
	console.error(
		`${files.length} files, ${(size / 1000).toFixed(1)} kB packed, ${(unpackedSize / 1000).toFixed(1)} kB unpacked`,
	);
	console.error(
		`install into n8n: npm ${installArgs({ nodesDir: '~/.n8n/nodes', tarball: path.relative(process.cwd(), tarball) }).join(' ')}`,
	);
	console.log(tarball);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`release failed: ${error && error.message ? error.message : error}`);
		process.exit(1);
	});
}

module.exports = {
	REPO_ROOT,
	DEFAULT_OUT_DIR,
	INSTALL_ARGS,
	buildRelease,
	installArgs,
	checkFiles,
	cleanEnv,
	run,
};
