import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `db` runs against a real database:
// embedded PGlite by default, or the PostgreSQL named by TEST_DATABASE_URL (CI runs both).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['engine/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'db',
          include: ['engine/src/**/*.db.test.ts', 'scripts/**/*.db.test.ts'],
          globalSetup: ['engine/src/db/testing/global-setup.ts'],
          // Lets memory tests measure live (retained) heap after a collection, not garbage not yet collected.
          execArgv: ['--expose-gc'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
