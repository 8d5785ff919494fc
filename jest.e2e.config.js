/**
 * End-to-end tests: real n8n (2.x on Node 24, 1.x on Node 20) against the Segmind emulator, the versions of
 * test/n8n-versions.json. With N8N_VERSION=<x.y.z> only the suites of that version's major run.
 */
const { ignoredSuites } = require('./test/e2e/versions');

module.exports = {
	testEnvironment: 'node',
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.js'],
	testPathIgnorePatterns: ['/node_modules/', ...ignoredSuites('test/e2e')],
	testTimeout: 600000,
	maxWorkers: 1,
	verbose: true,
};
