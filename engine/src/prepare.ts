import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from './app-env.js';
import { configDir, loadEnv, ROOT_DIR, type Env } from './env.js';
import { openDatabase, type Database } from './db/client.js';
import { migrate } from './db/migrate.js';
import { loadImportMapping } from './connectors/wealth-spectrum/mapping.js';
import { createApiKey, generateApiKey, hasActiveAdminKey } from './features/auth/api-keys.js';
import { markInterruptedRuns } from './features/imports/imports.queries.js';
import { syncReferenceData } from './features/reference-data/sync-reference-data.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createMetrics } from './lib/metrics.js';

export const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')).version;

/** Opens and migrates the store and loads config: everything the app needs before it serves. */
export async function prepare(
  env: Env = loadEnv(),
  log: Logger = createLogger(env.LOG_LEVEL),
  db?: Database,
  opts: { maintain?: boolean } = {},
): Promise<AppDeps> {
  const dir = configDir(env);
  const mapping = loadImportMapping(dir); // fail fast on a broken mapping
  db ??= await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR), poolMax: env.DATABASE_POOL_MAX });
  if (opts.maintain !== false) {
    // Only the owning process: a worker thread must not mark its parent's running imports as interrupted.
    const applied = await migrate(db.sql);
    if (applied.length) log.info({ event: 'migrate', applied: applied.map((m) => `${m.version}_${m.name}`) }, 'migrations applied');
    await syncReferenceData(db.sql, dir);
    const interrupted = await markInterruptedRuns(db.sql);
    if (interrupted) log.warn({ event: 'import', interrupted }, 'imports interrupted by the last stop were marked failed');
  }
  return { db, env, mapping, log, metrics: createMetrics(), version: VERSION, onImported: [] };
}

/**
 * Makes sure an admin API key exists. PMS_BOOTSTRAP_API_KEY wins; otherwise, on a store with no
 * admin key, one is generated and kept in DATA_DIR (embedded, single-machine use) so it can be shown.
 */
export async function ensureBootstrapKey(deps: AppDeps): Promise<{ key?: string; file?: string }> {
  const { db, env } = deps;
  if (env.PMS_BOOTSTRAP_API_KEY) {
    await createApiKey(db.sql, { name: 'bootstrap (PMS_BOOTSTRAP_API_KEY)', scopes: ['admin'], key: env.PMS_BOOTSTRAP_API_KEY });
    return { key: env.PMS_BOOTSTRAP_API_KEY };
  }
  const file = path.resolve(env.DATA_DIR, 'bootstrap-api-key');
  if (await hasActiveAdminKey(db.sql)) return fs.existsSync(file) ? { key: fs.readFileSync(file, 'utf8').trim(), file } : {};
  const key = generateApiKey();
  await createApiKey(db.sql, { name: 'bootstrap (generated at first start)', scopes: ['admin'], key });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file };
}
