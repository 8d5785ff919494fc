/**
 * Browser tests: the n8n editor (2.x; 1.x for the scenarios marked so) in Debian's Chromium via playwright-core,
 * the versions of test/n8n-versions.json. With N8N_VERSION=<x.y.z> only that version's major runs.
 */
const { ignoredSuites } = require('./test/e2e/versions');

module.exports = {
	testEnvironment: 'node',
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test/ui'],
	testMatch: ['<rootDir>/test/ui/**/*.ui.test.js'],
	testPathIgnorePatterns: ['/node_modules/', ...ignoredSuites('test/ui')],
	testSequencer: '<rootDir>/test/ui/sequencer.js',
	testTimeout: 300000,
	maxWorkers: 1,
	verbose: true,
};
