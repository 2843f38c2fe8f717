import { defineConfig } from 'vitest/config';

// `npm test`: unit tests, then the integration suite on embedded PGlite, then — when TEST_DATABASE_URL
// is set — the same integration suite again on a PostgreSQL server.
const integration = ['src/**/*.int.test.{ts,tsx}'];

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}'], exclude: integration },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: integration,
          globalSetup: ['tests/support/global-setup.ts'],
          env: { TEST_DB: 'pglite' },
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: integration,
                globalSetup: ['tests/support/global-setup.ts'],
                env: { TEST_DB: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
