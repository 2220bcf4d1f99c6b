/** Jest runs the real server against real PostgreSQL; see test/global-setup.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  // SWC compiles each file on its own (as `npm start` does, through @swc-node/register), with the decorator
  // metadata type-graphql and MikroORM read; type errors are `npm run typecheck`'s job, not the test run's.
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    }],
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  // Generous: the suite runs on 2-core machines that may be shared; tests assert counts, never timings.
  testTimeout: 180000,
  // Three files at a time on CI's two cores: many files spend seconds waiting (sign-in lockout windows, a
  // stopped database, instances starting, browsers), and a third file uses the cores meanwhile.
  maxWorkers: 3,
};
