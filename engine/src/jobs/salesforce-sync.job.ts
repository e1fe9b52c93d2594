import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/client.js';
import { createLogger } from '../lib/logger.js';
import { salesforceContext } from '../features/salesforce/salesforce-context.js';
import { runSalesforceSync } from '../features/salesforce/salesforce-sync.js';
import { SyncAlreadyRunningError } from '../features/sync/sync-runs.queries.js';
import type { SalesforceSyncWorkerData } from './salesforce-sync.js';

// Runs in a bree worker thread, on the engine's own store (never a second owner of a PGlite directory),
// with the engine's configuration (workerData.env).
const data = workerData as SalesforceSyncWorkerData;
const env = data.env;
const log = createLogger(env.LOG_LEVEL);
const abort = new AbortController();
parentPort?.on('message', (m) => {
  if (m === 'cancel') abort.abort();
});
const db = await openDatabase({ databaseUrl: data.databaseUrl, joinEmbedded: data.joinEmbedded, dataDir: '', poolMax: 2 });
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
