import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium (Playwright's own browser download is not available here)
 * against the built portal: the backend serves the production frontend bundle on :7007.
 * Run `yarn workspace app build` first (scripts/test.sh does).
 */
const baseURL = process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          // Without a file watcher (backstage-cli package start restarts on edits), TypeScript run
          // through Backstage's Node transform.
          // The generator writes the 1,000-finding model the render-time test opens.
          command:
            'node ../../test/e2e/fixtures/generateManyFindings.js && node -r @backstage/cli/config/nodeTransform.cjs src/index.ts --config ../../app-config.yaml --config ../../app-config.e2e.yaml',
          cwd: 'packages/backend',
          // Guest sign-in is a development-only provider.
          env: { NODE_ENV: 'development' },
          url: `${baseURL}/.backstage/health/v1/readiness`,
          reuseExistingServer: !process.env.CI,
          timeout: 240_000,
          stdout: 'pipe',
        },
      ],
  use: {
    baseURL,
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
    viewport: { width: 1366, height: 768 },
  },
  outputDir: 'node_modules/.cache/e2e-test-results',
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
