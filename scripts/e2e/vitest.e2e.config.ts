import path from 'node:path';
import { defineConfig } from 'vitest/config';

// End-to-end suite (real engine + Debian Chromium). Run: npx vitest run -c scripts/e2e/vitest.e2e.config.ts
export default defineConfig({
  root: path.resolve(import.meta.dirname, '..', '..'),
  test: {
    name: 'e2e',
    include: ['scripts/e2e/**/*.e2e.test.ts', 'engine/src/ui-e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 300_000,
  },
});
