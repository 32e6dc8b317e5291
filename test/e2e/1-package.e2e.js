'use strict';
/**
 * The release tarball, installed into n8n's user folder with the command the README gives
 * (`npm install --prefix ~/.n8n/nodes --omit=peer --ignore-scripts <tarball>`): files in place,
 * its own dependency installed next to it, and neither n8n-workflow nor its native isolated-vm
 * pulled in as a peer. (That n8n then loads it is checked in 4-editor.e2e.js and by every
 * workflow run.)
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
		// n8n-workflow is a peer: n8n itself provides it, so the install must not pull it in
		assert.deepEqual(installed.peerDependencies, repoPackageJson.peerDependencies);
		for (const peer of ['n8n-workflow', 'isolated-vm']) {
			assert.equal(
				fs.existsSync(path.join(nodesDir, 'node_modules', peer)),
				false,
				`${peer} is not installed into ${nodesDir}`,
			);
		}
		for (const file of [...installed.n8n.nodes, ...installed.n8n.credentials]) {
			assert.ok(fs.existsSync(path.join(packageDir, file)), `${file} is in the installed package`);
		}

		const nodesPackageJson = JSON.parse(
			fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8'),
		);
		assert.deepEqual(Object.keys(nodesPackageJson.dependencies), [PACKAGE_NAME]);
		assert.match(nodesPackageJson.dependencies[PACKAGE_NAME], /^file:.*\.tgz$/);

		// its runtime dependency was installed for it, inside n8n's nodes folder
		for (const dependency of Object.keys(repoPackageJson.dependencies)) {
			const resolved = require.resolve(`${dependency}/package.json`, { paths: [packageDir] });
			assert.ok(
				resolved.startsWith(nodesDir + path.sep),
				`${dependency} resolves inside ${nodesDir}, not ${resolved}`,
			);
		}
	});
};
