/**
 * Image tests against oracles this project did not write (Debian's webp tools, ImageMagick, Pillow), installed
 * with apt-get when missing (test/helpers/oracles.js). `npm run test:image`.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/oracle/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', isolatedModules: true }],
	},
	globalSetup: '<rootDir>/test/oracle/setup.js',
	testTimeout: 120000,
};
