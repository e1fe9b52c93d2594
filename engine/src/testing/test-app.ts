import { createApp } from '../app.js';
import type { AppDeps } from '../app-env.js';
import { createTestDatabase } from '../db/testing/test-db.js';
import { loadEnv } from '../env.js';
import { registerAnalytics } from '../features/analytics/analytics-worker.js';
import { createApiKey, type Scope } from '../features/auth/api-keys.js';
import type { Role } from '../features/auth/roles.js';
import { createLogger } from '../lib/logger.js';
import { prepare } from '../prepare.js';

/** The real app on a database of its own (PGlite or PostgreSQL), with an admin key. */
export async function createTestApp(envOverrides: Record<string, string> = {}) {
  const db = await createTestDatabase();
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PMS_DEMO: 'off', DATA_DIR: '/tmp/pms-test-unused', RESULT_CACHE_SECONDS: '0', ...envOverrides });
  const deps: AppDeps = await prepare(env, createLogger('silent'), db);
  registerAnalytics(deps);
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
    /** A user through POST /api/users (admin key); rmCode links an RM user to their book. */
    async createUser(u: { email: string; role: Role; name?: string; rmCode?: string; salesforceUserId?: string; password?: string }) {
      const res = await app.request('/api/users', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: u.email.split('@')[0], ...u }),
      });
      if (res.status !== 201) throw new Error(`createUser ${u.email}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: number; email: string; role: Role; rmId: number | null };
    },
    /** Signs in through POST /api/auth/login; headers() carries the session cookie (and the CSRF token for unsafe methods). */
    async login(email: string, password: string) {
      const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { csrfToken: string };
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      return { cookie, csrfToken: body.csrfToken, headers: (csrf = true) => ({ cookie, ...(csrf ? { 'x-csrf-token': body.csrfToken } : {}) }) };
    },
    close: () => db.close(),
  };
}
export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
