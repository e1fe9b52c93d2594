import { parentPort, workerData } from 'node:worker_threads';
import { loadEnv } from '../env.js';
import { openDatabase } from '../db/client.js';
import { createLogger } from '../lib/logger.js';
import { prepare } from '../prepare.js';
import { processInbox, type InboxWorkerData } from './import-inbox.js';

// Runs in a bree worker thread, on the engine's own store (never a second owner of a PGlite directory).
const data = workerData as InboxWorkerData;
const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);
let cancelled = false;
parentPort?.on('message', (m) => {
  if (m === 'cancel') cancelled = true;
});
const db = await openDatabase({ databaseUrl: data.databaseUrl, joinEmbedded: data.joinEmbedded, dataDir: '', poolMax: 2 });
try {
  const deps = await prepare(env, log, db, { maintain: false });
  const results = cancelled ? [] : await processInbox(deps, data.inbox);
  parentPort?.postMessage({ results });
} finally {
  await db.close();
}
parentPort?.postMessage(cancelled ? 'cancelled' : 'done');
