import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { loadEnv } from '../env.js';
import { openDatabase } from '../db/client.js';
import { createLogger } from '../lib/logger.js';
import { prepare } from '../prepare.js';
import { processInbox } from './import-inbox.js';

// Runs in a bree worker thread. On the embedded store it joins the engine's PGlite socket.
const env = loadEnv();
const log = createLogger(env.LOG_LEVEL);
let cancelled = false;
parentPort?.on('message', (m) => {
  if (m === 'cancel') cancelled = true;
});
const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR), poolMax: 2 });
try {
  const deps = await prepare(env, log, db, { maintain: false });
  const results = cancelled ? [] : await processInbox(deps, (workerData as { inbox: string }).inbox);
  parentPort?.postMessage({ results });
} finally {
  await db.close();
}
parentPort?.postMessage(cancelled ? 'cancelled' : 'done');
