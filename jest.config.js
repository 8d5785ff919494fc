/** Unit tests: jest + ts-jest + nock, real network disabled (test/setup.ts). */
module.exports = {
	testEnvironment: 'node',
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', isolatedModules: true }],
	},
	setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
	collectCoverage: true,
	collectCoverageFrom: ['nodes/**/*.ts', 'credentials/**/*.ts'],
	coverageReporters: ['text', 'text-summary'],
	coverageThreshold: { global: { lines: 90 } },
	testTimeout: 30000,
};
