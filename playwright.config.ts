import { defineConfig } from '@playwright/test';

const PORT = 3100;
/** The SMTP sink the browser tests read letters from (tests/e2e/accounts.spec.ts). */
export const E2E_SMTP_PORT = 2526;
/** The production-mode app of tests/e2e/production.spec.ts and its SMTP sink (it starts both itself). */
export const E2E_PRODUCTION_PORT = 3101;
export const E2E_PRODUCTION_SMTP_PORT = 2527;
/** The app of tests/e2e/funding.spec.ts on a PostgreSQL database the month close's CLI shares, and its sink. */
export const E2E_FUNDING_PORT = 3103;
export const E2E_FUNDING_SMTP_PORT = 2528;

// Browser tests run on Debian's Chromium (never a downloaded browser) against the app on embedded PGlite.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'ru-RU',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
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
    // A fresh data folder each run: migrations and demo data from scratch, as on a first `npm start`.
    command: 'rm -rf .cache/e2e-data && node scripts/start.mjs',
    url: `http://127.0.0.1:${PORT}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: '.cache/e2e-data',
      LOG_LEVEL: 'warn',
      BASE_URL: `http://127.0.0.1:${PORT}`,
      SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
      // Tiles from a path that has none: the browser tests are offline, and the map must not need its tiles.
      MAP_TILES_URL: '/static/no-tiles/{z}/{x}/{y}.png',
    },
  },
});
