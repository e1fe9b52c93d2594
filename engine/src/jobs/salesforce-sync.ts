import path from 'node:path';
import Bree from 'bree';
import type { AppDeps } from '../app-env.js';
import { loadSalesforceSettings, salesforceConnectionConfig, syncCron } from '../features/salesforce/salesforce-settings.js';

/**
 * Schedules the nightly incremental Salesforce sync (bree, cron from SALESFORCE_SYNC_CRON or
 * config/salesforce.json) in a worker thread, when the connector is configured. The run itself
 * takes the sync lock, so several engine instances never sync at once.
 */
export async function startSalesforceSyncJob(deps: AppDeps): Promise<{ stop(): Promise<void> } | undefined> {
  if (!salesforceConnectionConfig(deps.env)) return undefined;
  const cron = syncCron(deps.env, loadSalesforceSettings(deps.env));
  const bree = new Bree({
    root: false,
    logger: false,
    doRootCheck: false,
    defaultExtension: 'mjs',
    jobs: [{ name: 'salesforce-sync', path: path.join(import.meta.dirname, 'salesforce-sync.worker.mjs'), cron }],
    workerMessageHandler: ({ name, message }) => {
      if (message && typeof message === 'object' && 'run' in message) {
        const run = (message as { run: { id: number; status: string; error: unknown } | null }).run;
        deps.metrics.jobRuns.inc({ job: name, outcome: run?.status ?? 'skipped' });
        deps.log.info({ event: 'job', job: name, runId: run?.id, status: run?.status ?? 'skipped', error: run?.error }, 'Salesforce sync job finished');
      }
    },
    errorHandler: (err, meta) => {
      deps.metrics.jobRuns.inc({ job: meta?.name ?? 'salesforce-sync', outcome: 'error' });
      deps.log.error({ event: 'job', job: meta?.name, err }, 'job failed');
    },
  });
  await bree.start();
  deps.log.info({ event: 'job', job: 'salesforce-sync', cron }, 'nightly Salesforce sync scheduled');
  return { stop: () => bree.stop() };
}
