import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { loadEnv } from '../env.js';
import { openDatabase } from '../db/client.js';
import { createLogger } from '../lib/logger.js';
import { salesforceContext } from '../features/salesforce/salesforce-context.js';
import { runSalesforceSync } from '../features/salesforce/salesforce-sync.js';
import { SyncAlreadyRunningError } from '../features/sync/sync-runs.queries.js';

// Runs in a bree worker thread. On the embedded store it joins the engine's PGlite socket.
const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);
const abort = new AbortController();
parentPort?.on('message', (m) => {
  if (m === 'cancel') abort.abort();
});
const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR), poolMax: 2 });
try {
  const ctx = salesforceContext({ db, env, log });
  if (ctx) {
    try {
      const run = await runSalesforceSync(ctx, { mode: 'incremental', trigger: 'schedule', signal: abort.signal });
      parentPort?.postMessage({ run: { id: run.id, status: run.status, error: run.error } });
    } catch (err) {
      if (!(err instanceof SyncAlreadyRunningError)) throw err;
      parentPort?.postMessage({ run: null }); // another instance (or a manual run) is syncing
    }
  }
} finally {
  await db.close();
}
parentPort?.postMessage(abort.signal.aborted ? 'cancelled' : 'done');
