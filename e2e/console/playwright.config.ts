import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './console-helpers.js';

/**
 * Browser tests of the console: Debian's Chromium, headless, against the built console
 * (apps/luci/dist) serving the built web app (apps/web/dist) on loopback with a fresh data
 * directory, so every run starts at the first start. (The console moves into a test host of
 * its own once the agents it talks to run on test hosts.)
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
// Chosen once by the runner; its workers inherit the environment and so agree on both.
process.env.LUCI_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'luci-e2e-'));
process.env.LUCI_E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
const port = Number(process.env.LUCI_E2E_PORT);
export const baseURL = `https://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './specs',
  outputDir: join(here, 'test-results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The JSON report lets .ci/run add the browser tests to its closing "N passed" line.
  reporter: [['list'], ['json', { outputFile: join(repo, '.playwright-report.json') }]],
  timeout: 30_000,
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL,
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: chromiumPath,
      args: chromiumArgs,
    },
  },
  webServer: {
    command: [
      'node',
      join(repo, 'apps/luci/dist/main.js'),
      '--data-dir',
      process.env.LUCI_E2E_DATA_DIR,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--web-dir',
      join(repo, 'apps/web/dist'),
    ].join(' '),
    url: `${baseURL}/api/health`,
    ignoreHTTPSErrors: true,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { LUCI_LOG_LEVEL: 'warn' },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
