import { createApp } from '../app.js';
import type { AppDeps } from '../app-env.js';
import { createTestDatabase } from '../db/testing/test-db.js';
import { loadEnv } from '../env.js';
import { createApiKey, type Scope } from '../features/auth/api-keys.js';
import { createLogger } from '../lib/logger.js';
import { prepare } from '../prepare.js';

/** The real app on a database of its own (PGlite or PostgreSQL), with an admin key. */
export async function createTestApp(envOverrides: Record<string, string> = {}) {
  const db = await createTestDatabase();
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PMS_DEMO: 'off', DATA_DIR: '/tmp/pms-test-unused', ...envOverrides });
  const deps: AppDeps = await prepare(env, createLogger('silent'), db);
  const app = createApp(deps);
  const { key: adminKey } = await createApiKey(db.sql, { name: 'test admin', scopes: ['admin'] });
  return {
    app,
    deps,
    db,
    adminKey,
    auth: (key = adminKey) => ({ authorization: `Bearer ${key}` }),
    async keyWith(scopes: Scope[]) {
      return (await createApiKey(db.sql, { name: `test ${scopes.join('+')}`, scopes })).key;
    },
    close: () => db.close(),
  };
}
export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
