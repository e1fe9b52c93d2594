import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/client.js';
import { ALL_CLIENTS } from '../lib/scope.js';
import { createLogger } from '../lib/logger.js';
import { packContext } from '../features/reports/pack-context.js';
import { PackAlreadyRunningError, startReportPack } from '../features/reports/report-pack.js';
import { lastMonthEnd, loadReportSettings, nthWorkingDay } from '../features/reports/reports-settings.js';
import type { ReportPackWorkerData } from './report-pack.js';

// Runs in a bree worker thread on the engine's own store, with the engine's configuration (workerData.env).
const data = workerData as ReportPackWorkerData;
const env = data.env;
const log = createLogger(env.LOG_LEVEL);
const abort = new AbortController();
parentPort?.on('message', (m) => {
  if (m === 'cancel') abort.abort();
});
const today = data.today ?? new Date().toISOString().slice(0, 10);
const settings = loadReportSettings(env);
const runDay = nthWorkingDay(today, settings.pack.workingDay, settings.pack.holidays);
if (today !== runDay) {
  parentPort?.postMessage({ run: null, reason: `not the day: the pack runs on ${runDay}` });
} else {
  const db = await openDatabase({ databaseUrl: data.databaseUrl, joinEmbedded: data.joinEmbedded, dataDir: '', poolMax: 2 });
  try {
    const ctx = packContext({ db, env, log });
    if (ctx) {
      try {
        const { done } = await startReportPack(ctx, { trigger: 'schedule', periodEnd: lastMonthEnd(today), scope: ALL_CLIENTS, requestedBy: 'schedule', signal: abort.signal });
        parentPort?.postMessage({ run: await done });
      } catch (err) {
        if (!(err instanceof PackAlreadyRunningError)) throw err;
        parentPort?.postMessage({ run: null, reason: err.message });
      }
    }
  } finally {
    await db.close();
  }
}
parentPort?.postMessage(abort.signal.aborted ? 'cancelled' : 'done');
