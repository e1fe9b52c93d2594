import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { loadEnv } from './env.js';
import { ensureBootstrapKey, prepare } from './prepare.js';
import { registerAnalytics } from './features/analytics/analytics-worker.js';
import { loadDemoBookIfEmpty } from './features/demo/load-demo-book.js';
import { startImportInbox } from './jobs/import-inbox.js';
import { startSalesforceSyncJob } from './jobs/salesforce-sync.js';
import { createLogger } from './lib/logger.js';

const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);
const deps = await prepare(env, log);
registerAnalytics(deps, { runAtStart: true });
const bootstrap = await ensureBootstrapKey(deps);
const app = createApp(deps);

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  log.info({ event: 'listening', port: info.port, database: deps.db.kind }, `engine listening on http://${env.HOST}:${info.port}`);
});

const inbox = env.IMPORT_INBOX_DIR ? await startImportInbox(deps) : undefined;
const salesforceSync = await startSalesforceSyncJob(deps); // only when SALESFORCE_* credentials are set

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ event: 'shutdown', signal }, 'shutting down: finishing requests in flight');
  const force = setTimeout(() => process.exit(1), 20_000).unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await inbox?.stop();
  await salesforceSync?.stop();
  await deps.db.close(); // a transaction still open is rolled back by the database
  clearTimeout(force);
  log.info({ event: 'shutdown' }, 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

if (env.PMS_DEMO) {
  try {
    await loadDemoBookIfEmpty(deps);
  } catch (err) {
    log.error({ event: 'demo', err }, 'the demo book could not be loaded');
  }
}

const base = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`;
const lines = [
  '',
  '  PMS Intelligence Hub engine is ready',
  `  Dashboard     ${base}/`,
  `  API reference ${base}/api/docs`,
  `  Health        ${base}/health`,
  `  Database      ${deps.db.kind === 'embedded' ? `embedded PGlite in ${env.DATA_DIR}` : 'PostgreSQL (DATABASE_URL)'}`,
  bootstrap.key
    ? `  API key       ${bootstrap.key}${bootstrap.file ? `   (kept in ${bootstrap.file})` : ''}`
    : '  API key       set PMS_BOOTSTRAP_API_KEY to create an admin key',
  `  Try           curl -H "Authorization: Bearer <API key>" ${base}/api/clients`,
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
