import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './scripts/find-browser.mjs';

// End-to-end tests in real Chromium against the production build served by
// scripts/start.mjs (which builds first if out/ is stale).
const PORT = Number(process.env.E2E_PORT || 3100);
// PLAYWRIGHT_CHROMIUM_PATH, the system's Chromium, or Playwright's own (scripts/find-browser.mjs).
const chromium = findChromium() ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  // One retry on CI, where a slower machine can lose a race the test did not mean to run;
  // a test that needed it is reported as flaky (scripts/test-all.mjs names it) and fixed.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  outputDir: '.tmp/playwright-results',
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'off',
    screenshot: 'off',
    ...devices['Desktop Chrome'],
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: chromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node scripts/start.mjs',
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { PORT: String(PORT), NEXT_TELEMETRY_DISABLED: '1' },
  },
});
