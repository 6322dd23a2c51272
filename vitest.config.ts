import { defineConfig } from 'vitest/config';

// Run the TypeScript sources of workspace packages directly (toolchain.md §3.9).
const conditions = ['@quorate/source', 'import', 'module', 'default'];
// Vitest hands the SSR conditions to Node as --conditions, which applies them to require() as
// well: with 'import' among them a CommonJS dependency's require('ws') gets ws's ESM wrapper.
const serverConditions = ['@quorate/source', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: serverConditions } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/ricci/bundle/src/**/*.test.ts',
      'e2e/src/**/*.test.ts',
    ],
    testTimeout: 30_000,
    // One file at a time: the test-host files measure leases and elections in real time, and on
    // two cores a chaos run beside them made healthy agents miss their tokens (CI, 2026-11-27).
    maxWorkers: 1,
    // Removes what a test process killed midway left on the test hosts (e2e/README.md).
    globalSetup: ['e2e/src/global-setup.ts'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
