import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// `npm test`: unit tests, then the integration suite on embedded PGlite, then — when TEST_DATABASE_URL
// is set — the same integration suite again on a PostgreSQL server.
const integration = ['src/**/*.int.test.{ts,tsx}'];

/**
 * Files that mostly wait (a minute of SMTP outage with production retry delays, a crash and its recovery, a held
 * lock) start first, so the other worker's files run beside them: last, the outage alone was CI's final 60 s.
 */
const WAITING_FILES = [
  'postgres:src/platform/mail/smtp-outage.int.test.ts',
  'postgres:src/platform/mail/crash-letters.int.test.ts',
  'pglite:src/platform/db/lock.int.test.ts',
];
class WaitingFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (file: TestSpecification) => {
      const index = WAITING_FILES.findIndex((key) => {
        const [project, path] = key.split(':') as [string, string];
        return file.project.name === project && file.moduleId.endsWith(path);
      });
      return index === -1 ? WAITING_FILES.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files mostly wait on a database, SMTP or a timer, so one worker per core keeps both cores of a
    // small CI machine busy (Vitest's default is cores − 1: a single worker there). ADR 0038.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: WaitingFilesFirst },
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
          // A file starts from its own database and app; what it shares with the file before it in the same
          // worker is only the loaded code, which saves a process and the app's import per file (ADR 0038).
          isolate: false,
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
                isolate: false,
              },
            },
          ]
        : []),
    ],
  },
});
