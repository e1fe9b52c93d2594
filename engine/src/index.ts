import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { loadEnv } from './env.js';
import { ensureBootstrapKey, prepare } from './prepare.js';
import { analyticsWorker, registerAnalytics } from './features/analytics/analytics-worker.js';
import { registerNotifications } from './features/notifications/register-notifications.js';
import { registerHwmStatus } from './features/compliance/hwm-status.js';
import { loadDemoBookIfEmpty } from './features/demo/load-demo-book.js';
import { readDemoLogins } from './features/demo/demo-users.js';
import { startImportInbox } from './jobs/import-inbox.js';
import { startSalesforceSyncJob } from './jobs/salesforce-sync.js';
import { startReportPackJob } from './jobs/report-pack.js';
import { createLogger } from './lib/logger.js';

const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);
const deps = await prepare(env, log);
const analytics = registerAnalytics(deps, { runAtStart: true });
const notifications = registerNotifications(deps, { analytics }); // SSE at /api/events; PMS_Data_Refresh__e when Salesforce is configured
const hwmStatus = registerHwmStatus(deps, notifications); // book-wide high-water marks, replayed in the background after each change
const bootstrap = await ensureBootstrapKey(deps);
const app = createApp(deps);

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  log.info({ event: 'listening', port: info.port, database: deps.db.kind }, `engine listening on http://${env.HOST}:${info.port}`);
});

const inbox = env.IMPORT_INBOX_DIR ? await startImportInbox(deps) : undefined;
const salesforceSync = await startSalesforceSyncJob(deps); // only when SALESFORCE_* credentials are set
const reportPack = await startReportPackJob(deps); // monthly, config/reports.json; only with Salesforce configured

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ event: 'shutdown', signal }, 'shutting down: finishing requests in flight');
  const force = setTimeout(() => process.exit(1), 20_000).unref();
  notifications.close(); // ends open event streams, which server.close() would otherwise wait for
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await inbox?.stop();
  // Let a running analytics recompute finish (it is one transaction; if cut off it rolls back, which is also safe).
  await Promise.race([Promise.all([analyticsWorker(deps).idle(), hwmStatus.idle()]), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  await salesforceSync?.stop();
  await reportPack?.stop();
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
function demoLoginLines(): string[] {
  const logins = readDemoLogins(env.DATA_DIR);
  if (!logins.length) return [];
  return ['', `  Demo sign-ins (kept in ${env.DATA_DIR}/demo-logins.json; on the first start the high-water marks of the compliance view follow within a minute):`, ...logins.map((l) => `    ${l.email.padEnd(22)} ${l.password.padEnd(14)} ${l.role.padEnd(11)} sees ${l.who}`)];
}

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
  ...demoLoginLines(),
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
