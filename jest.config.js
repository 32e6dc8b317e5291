/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	// Workflow suites in test/; unit tests of the pure parts next to their source in nodes/.
	testMatch: [
		'<rootDir>/test/**/*.test.ts',
		'<rootDir>/test/**/*.test.js',
		'<rootDir>/nodes/**/*.test.ts',
	],
	testTimeout: 30000,
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
