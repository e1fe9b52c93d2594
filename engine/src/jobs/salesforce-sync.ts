import path from 'node:path';
import Bree from 'bree';
import { refreshBus } from '../features/notifications/refresh-bus.js';
import type { AppDeps } from '../app-env.js';
import type { Env } from '../env.js';
import { loadSalesforceSettings, salesforceConnectionConfig, syncCron } from '../features/salesforce/salesforce-settings.js';

/** What the worker thread gets: the engine's store to join and the engine's parsed configuration. */
export interface SalesforceSyncWorkerData {
  databaseUrl: string;
  joinEmbedded: boolean;
  /** The scheduling engine's env (SALESFORCE_* and config paths): the worker reads no environment of its own. */
  env: Env;
}

export interface SalesforceSyncJob {
  stop(): Promise<void>;
  /** Runs the job now and resolves when its worker has exited. */
  runNow(): Promise<void>;
}

/**
 * Schedules the nightly incremental Salesforce sync (bree, cron from SALESFORCE_SYNC_CRON or
 * config/salesforce.json) in a worker thread, when the connector is configured. The worker joins
 * this engine's store (PostgreSQL by URL, or the embedded PGlite's socket); the run itself takes
 * the sync lock, so several engine instances never sync at once.
 */
export async function startSalesforceSyncJob(deps: AppDeps): Promise<SalesforceSyncJob | undefined> {
  if (!salesforceConnectionConfig(deps.env)) return undefined;
  const cron = syncCron(deps.env, loadSalesforceSettings(deps.env));
  const workerData: SalesforceSyncWorkerData = { databaseUrl: deps.db.url, joinEmbedded: deps.db.kind === 'embedded', env: deps.env };
  const bree = new Bree({
    root: false,
    logger: false,
    doRootCheck: false,
    defaultExtension: 'mjs',
    jobs: [{ name: 'salesforce-sync', path: path.join(import.meta.dirname, 'salesforce-sync.worker.mjs'), cron, worker: { workerData } }],
    workerMessageHandler: ({ name, message }) => {
      if (message && typeof message === 'object' && 'run' in message) {
        const run = (message as { run: { id: number; status: string; error: unknown } | null }).run;
        deps.metrics.jobRuns.inc({ job: name, outcome: run?.status ?? 'skipped' });
        deps.log.info({ event: 'job', job: name, runId: run?.id, status: run?.status ?? 'skipped', error: run?.error }, 'Salesforce sync job finished');
        // Tell this engine's listeners (SSE streams, the dashboard cache); the worker has published the Platform Event.
        if (run?.status === 'succeeded')
          refreshBus(deps).publish({ kind: 'sync', runId: String(run.id), asOf: new Date().toISOString(), scope: 'salesforce', salesforcePublished: true });
      }
    },
    errorHandler: (err, meta) => {
      deps.metrics.jobRuns.inc({ job: meta?.name ?? 'salesforce-sync', outcome: 'error' });
      deps.log.error({ event: 'job', job: meta?.name, err }, 'job failed');
    },
  });
  await bree.start();
  deps.log.info({ event: 'job', job: 'salesforce-sync', cron }, 'nightly Salesforce sync scheduled');
  return {
    stop: () => bree.stop(),
    runNow: () =>
      new Promise<void>((resolve, reject) => {
        const done = (name: string) => {
          if (name !== 'salesforce-sync') return;
          bree.off('worker deleted', done);
          resolve();
        };
        bree.on('worker deleted', done);
        bree.run('salesforce-sync').catch(reject);
      }),
  };
}
