import { fileURLToPath } from 'node:url'
import { privateDir } from './packages/cli/bin/private-dir.mjs'

// Jest's compiled copies of the tests would default to /tmp/jest_<n>, where another user can make the directory first
// and swap an entry that root then runs: they live in the checkout, made 0700 and checked to be the user's.
const cacheDirectory = fileURLToPath(new URL('./node_modules/.cache/jest', import.meta.url))
if (privateDir(cacheDirectory) === undefined)
  throw new Error(`jest's cache ${cacheDirectory} must be a directory of yours that nobody else can write`)

// Sources are ESM TypeScript imported with `.js` suffixes (NodeNext); map them back to the .ts files.
/** @type {import('jest').Config} */
const project = {
  cacheDirectory,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true } }] },
  testEnvironment: 'node',
  // Jest 30's default 'soft' clean-up of globals between files can recurse without end on a write
  // to a global it wrapped (jestjs/jest#16044, #16443: "Maximum call stack size exceeded" in
  // jest-util's originalSetter); each test file runs in its own context anyway.
  testEnvironmentOptions: { globalsCleanup: 'off' },
}

/** @type {import('jest').Config} */
const config = {
  // A VM answers a remote command in about a second under software emulation, slower when the host is busy.
  testTimeout: 30_000,
  // Two files at a time: an e2e file mostly waits (for VMs to boot, for ssh, for DNS), and each makes its own netns,
  // users and state directories, so two never meet.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/build-once.ts',
  reporters: ['default', '<rootDir>/test/file-times-reporter.cjs'],
  projects: [
    // Pure logic: config, addressing, argv. No root, no qemu.
    {
      ...project,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$'],
    },
    // Real parts: qemu, netns, bridges. Each test makes its own network namespace.
    { ...project, displayName: 'e2e', testMatch: ['<rootDir>/packages/*/test/**/*.e2e.test.ts'] },
  ],
}

export default config
