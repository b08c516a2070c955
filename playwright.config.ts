import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './e2e/support/chromium';

/**
 * Browser end-to-end tests: the renderer built and served by `npm run web` (with its browser bridge) and a
 * real sync server (`tsx server/cli.ts`, PGlite in a throw-away DATA_DIR). Ports come from the environment
 * (E2E_WEB_PORT / E2E_SERVER_PORT) or are picked free, so parallel runs and CI never clash.
 *
 * The config is evaluated again in every worker: chosen values are put into process.env, which workers
 * inherit, so all processes agree on them.
 */
function freePort(): string {
  return execFileSync(
    process.execPath,
    [
      '-e',
      "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
    ],
    { encoding: 'utf8' },
  ).trim();
}

process.env.E2E_WEB_PORT ??= freePort();
process.env.E2E_SERVER_PORT ??= freePort();
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'fieldbook-e2e-'));

const webPort = process.env.E2E_WEB_PORT;
const serverPort = process.env.E2E_SERVER_PORT;
export const webUrl = `http://127.0.0.1:${webPort}`;
export const serverUrl = `http://127.0.0.1:${serverPort}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: process.env.E2E_OUTPUT_DIR ?? './test-results',
  // Each scenario uses its own tenant, so two workers do not see each other's data.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  // A wait for the app, not a speed target (start-up is timed in bench/): the clean-clone CI of 3 Dec waited
  // more than 10 s once for the first heading, two workers on 2 cores beside the vitest suite's servers.
  expect: { timeout: 20_000 },
  reporter: [['list']],
  globalSetup: './e2e/support/global-setup.ts',
  use: {
    baseURL: webUrl,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumExecutable,
      args: chromiumArgs,
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      command: 'npx tsx server/cli.ts',
      url: `${serverUrl}/healthz`,
      env: { PORT: serverPort, HOST: '127.0.0.1', DATA_DIR: process.env.E2E_DATA_DIR, LOG_LEVEL: 'warn' },
      reuseExistingServer: false,
      // A ceiling, not a wait: PGlite starts in seconds on a quiet machine, but took 40–95 s on a 2-core
      // machine at load 20, and a timed-out start fails the whole run.
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'npm run web',
      url: webUrl,
      // VITE_E2E_HOOKS compiles in the test-only hook (renderer/src/testing) that can write a document
      // bypassing validation, standing for one an older client made; a normal `npm run web` has no hook.
      env: { PORT: webPort, HOST: '127.0.0.1', VITE_E2E_HOOKS: '1' },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
