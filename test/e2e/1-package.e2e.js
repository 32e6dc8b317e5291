'use strict';
/**
 * The packed package, installed into n8n's user folder the way Settings → Community Nodes
 * installs it: files in place, its own dependency installed next to it. (That n8n then loads
 * it is checked in 4-editor.e2e.js and by every workflow run.)
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { PACKAGE_NAME, REPO_ROOT } = require('../../scripts/demo-setup');

const repoPackageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

module.exports = (test) => {
	test('the package installs into ~/.n8n/nodes as a community package', async ({ instance }) => {
		const nodesDir = path.join(instance.userFolder, '.n8n', 'nodes');
		const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		assert.equal(instance.install.packageDir, packageDir);

		const installed = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		assert.equal(installed.name, PACKAGE_NAME);
		assert.equal(installed.version, repoPackageJson.version);
		assert.deepEqual(installed.n8n, repoPackageJson.n8n);
		// n8n strips these so n8n-workflow comes from n8n itself
		assert.equal(installed.devDependencies, undefined);
		assert.equal(installed.peerDependencies, undefined);
		for (const file of [...installed.n8n.nodes, ...installed.n8n.credentials]) {
			assert.ok(fs.existsSync(path.join(packageDir, file)), `${file} is in the installed package`);
		}

		const nodesPackageJson = JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8'));
		assert.deepEqual(nodesPackageJson.dependencies, { [PACKAGE_NAME]: repoPackageJson.version });

		// its runtime dependency was installed for it, inside n8n's nodes folder
		for (const dependency of Object.keys(repoPackageJson.dependencies)) {
			const resolved = require.resolve(`${dependency}/package.json`, { paths: [packageDir] });
			assert.ok(resolved.startsWith(nodesDir + path.sep), `${dependency} resolves inside ${nodesDir}, not ${resolved}`);
		}
	});

};
