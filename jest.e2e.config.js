/** End-to-end tests: real n8n (2.x on Node 24, 1.x on Node 20) against the Segmind emulator. */
module.exports = {
	testEnvironment: 'node',
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.js'],
	testTimeout: 600000,
	maxWorkers: 1,
	verbose: true,
};
