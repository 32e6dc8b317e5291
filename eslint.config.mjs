// ESLint 9 flat config with both of n8n's lint plugins:
// - @n8n/eslint-plugin-community-nodes (flat config): its `recommended` config, as n8n's
//   `n8n-node lint` and the community-package scanner (@n8n/scan-community-package) apply it;
// - eslint-plugin-n8n-nodes-base, which ships legacy (eslintrc) configs, so the plugin is
//   registered here and each config's rules are applied to the files it is for.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tsParser from '@typescript-eslint/parser';

const plugins = { 'n8n-nodes-base': n8nNodesBase };

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-runtime/**'] },
	// package.json is parsed by the TypeScript parser, as n8n's scanner does: both plugins'
	// package.json rules walk a TSESTree `ObjectExpression` (a JSON-specific parser such as
	// jsonc-eslint-parser yields `JSONObjectExpression`, and those rules then never run).
	{ files: ['package.json'], languageOptions: { parser: tsParser } },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
	},
	n8nCommunityNodesPlugin.configs.recommended,
	{
		// The one deliberate exception. The app-only (client credentials) sign-in uses MSAL
		// (@azure/msal-node), a runtime dependency imported by the node. n8n Cloud only accepts
		// packages without runtime dependencies, so the consequence is: this package installs
		// on self-hosted n8n (Settings > Community Nodes, or npm), not on n8n Cloud.
		// Both rules are off only where MSAL shows up: the package.json `dependencies` entry and
		// the one module that imports it (no-restricted-imports has no allow-list option, so
		// it is narrowed by file; an MSAL import anywhere else, or any other runtime import,
		// is still reported). Every other rule of the recommended config stays on.
		files: ['package.json', 'nodes/MicrosoftTeamsRegistration/transport/appOnlyToken.ts'],
		rules: {
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
		},
	},
	{
		files: ['package.json'],
		plugins,
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// The rule's own documentation: "Only applicable to nodes in the main repository",
			// whose documentationUrl is a docs slug. A community package links its README.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two demand the string literal `['main']`, which the newer plugin's
			// node-connection-type-literal forbids (it wants NodeConnectionTypes.Main): no code
			// satisfies both. n8n's own lint setup (`n8n-node lint`, and the scanner
			// @n8n/scan-community-package) switches exactly these two off for that reason.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
