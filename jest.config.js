/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Native work is shared per process; files run in parallel workers, tests inside a file in order.
  maxWorkers: 2,
  testTimeout: 60000,
};
