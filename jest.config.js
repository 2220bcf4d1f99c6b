/** Jest runs the real server against real PostgreSQL; see test/global-setup.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  // Generous: the suite runs on 2-core machines that may be shared; tests assert counts, never timings.
  testTimeout: 180000,
  maxWorkers: 2,
};
