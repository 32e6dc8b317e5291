#!/usr/bin/env node
'use strict';
/**
 * `npm run scan`: n8n's community-package scanner (@n8n/scan-community-package) on this
 * package as it would be published, without a registry.
 *
 * The scanner's CLI only scans a published version: it downloads the tarball and the
 * provenance-attested source commit, then lints both with its own ESLint config
 * (`buildScanConfig()` in scanner/scanner.mjs: @n8n/eslint-plugin-community-nodes'
 * recommended config plus eslint-plugin-n8n-nodes-base, inline `eslint-disable` comments
 * ignored). This script runs the same analysis, with the scanner's own config and options,
 * on the two inputs it would get:
 *   - package: `npm run build`, `npm pack`, the tarball extracted to a temporary folder,
 *     linted like the scanner's tarball leg (every .js file and package.json);
 *   - source: this checkout, linted like the scanner's source leg (its
 *     SOURCE_FILE_PATTERNS: package.json, nodes/ and credentials/).
 * (The scanner's provenance check needs a published version and is not part of this.)
 *
 * The scanner's analyzePackage() only returns a pass/fail verdict and formatted text, so
 * this script runs the same lint itself to get the findings one by one, prints them all,
 * and exits 1 if any finding (error or warning) is not one of these two, which follow from
 * the agreed design (MSAL for app-only sign-in; the package installs on self-hosted n8n,
 * not on n8n Cloud), and which eslint.config.mjs switches off for the same reason:
 *   1. @n8n/community-nodes/no-runtime-dependencies on package.json, and only while
 *      "dependencies" holds nothing but @azure/msal-node;
 *   2. @n8n/community-nodes/no-restricted-imports for an import or require of
 *      @azure/msal-node (any other module is a finding).
 * Exit 2 when the build, pack or analysis itself fails.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');

const ROOT = path.resolve(__dirname, '..');
const MSAL = '@azure/msal-node';

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', ...options });
	if (result.status !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (exit ${result.status})${result.stderr ? `:\n${result.stderr}` : ''}`,
		);
	}
	return result.stdout;
}

/** Why a finding is accepted, or null if it is not one of the two MSAL findings. */
function toleratedBecause(finding, packageJson) {
	const runtimeDependencies = Object.keys(packageJson.dependencies ?? {});
	if (
		finding.ruleId === '@n8n/community-nodes/no-runtime-dependencies' &&
		path.basename(finding.file) === 'package.json' &&
		runtimeDependencies.length === 1 &&
		runtimeDependencies[0] === MSAL
	) {
		return `the only runtime dependency is ${MSAL} (app-only sign-in): self-hosted n8n only, not n8n Cloud`;
	}
	const imported = /^(?:Import|Require|Dynamic import) of '([^']+)' is not allowed/.exec(
		finding.message,
	)?.[1];
	if (
		finding.ruleId === '@n8n/community-nodes/no-restricted-imports' &&
		(imported === MSAL || imported?.startsWith(`${MSAL}/`))
	) {
		return `${MSAL} is the app-only sign-in (runtime dependency): self-hosted n8n only, not n8n Cloud`;
	}
	return null;
}

/** The scanner's analyzePackage(), returning the findings instead of formatted text. */
async function analyze(scanner, scannerRequire, dir, patterns) {
	const { ESLint } = scannerRequire('eslint');
	const glob = scannerRequire('fast-glob');
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	if (files.length === 0) throw new Error(`no files to analyse in ${dir}`);
	const results = await eslint.lintFiles(files);
	const findings = results.flatMap((result) =>
		result.messages.map((message) => ({
			file: path.relative(dir, result.filePath),
			line: message.line,
			column: message.column,
			severity: message.severity === 2 ? 'error' : 'warning',
			ruleId: message.ruleId ?? '(parse error)',
			message: message.message,
		})),
	);
	return { files: files.length, findings };
}

async function main() {
	console.log('scan: npm run build');
	run('npm', ['run', 'build'], { stdio: 'inherit' });

	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-package-'));
	try {
		const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', workDir]));
		const tarball = path.join(workDir, packed[0].filename);
		const packageDir = path.join(workDir, 'package');
		fs.mkdirSync(packageDir);
		run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
		console.log(
			`scan: packed ${packed[0].filename} (${packed[0].entryCount} files), extracted to ${packageDir}`,
		);

		const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs', {
			paths: [ROOT],
		});
		const scannerRequire = createRequire(scannerPath);
		// The scanner makes a temporary folder when loaded (for its registry downloads): remove it on exit.
		scannerRequire('tmp').setGracefulCleanup();
		const scanner = await import(scannerPath);
		const scannerVersion = JSON.parse(
			fs.readFileSync(path.join(path.dirname(scannerPath), '..', 'package.json'), 'utf8'),
		).version;
		const pluginVersion = (
			await import(scannerRequire.resolve('@n8n/eslint-plugin-community-nodes'))
		).n8nCommunityNodesPlugin.meta.version;
		console.log(
			`scan: @n8n/scan-community-package ${scannerVersion} (its @n8n/eslint-plugin-community-nodes ${pluginVersion})`,
		);

		const legs = [
			{ name: 'package', dir: packageDir, patterns: ['**/*.js', 'package.json'] },
			{ name: 'source', dir: ROOT, patterns: scanner.SOURCE_FILE_PATTERNS },
		];
		let failing = 0;
		const summary = [];
		for (const leg of legs) {
			const packageJson = JSON.parse(fs.readFileSync(path.join(leg.dir, 'package.json'), 'utf8'));
			const { files, findings } = await analyze(scanner, scannerRequire, leg.dir, leg.patterns);
			let tolerated = 0;
			console.log(`\nscan: ${leg.name} (${leg.dir}): ${files} files`);
			for (const finding of findings) {
				const because = toleratedBecause(finding, packageJson);
				if (because) tolerated++;
				else failing++;
				console.log(
					`  ${because ? 'tolerated' : 'FINDING  '} ${finding.file}:${finding.line}:${finding.column} ${finding.severity} ${finding.ruleId}: ${finding.message}` +
						(because ? `\n            (${because})` : ''),
				);
			}
			summary.push(`${leg.name}: ${findings.length - tolerated} findings, ${tolerated} tolerated`);
		}
		console.log(`\nscan: ${summary.join('; ')}`);
		console.log(
			failing === 0
				? 'scan: OK'
				: `scan: FAILED, ${failing} findings besides the tolerated MSAL ones`,
		);
		return failing === 0 ? 0 : 1;
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`scan: could not run: ${error.stack ?? error}`);
		process.exit(2);
	},
);
