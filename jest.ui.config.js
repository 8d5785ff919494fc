/** Browser tests: the n8n editor (2.x; 1.x for the scenarios marked so) in Debian's Chromium via playwright-core. */
module.exports = {
	testEnvironment: 'node',
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test/ui'],
	testMatch: ['<rootDir>/test/ui/**/*.ui.test.js'],
	testSequencer: '<rootDir>/test/ui/sequencer.js',
	testTimeout: 300000,
	maxWorkers: 1,
	verbose: true,
};
