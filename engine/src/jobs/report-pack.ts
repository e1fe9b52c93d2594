import path from 'node:path';
import Bree from 'bree';
import type { AppDeps } from '../app-env.js';
import type { Env } from '../env.js';
import { loadReportSettings } from '../features/reports/reports-settings.js';
import { salesforceConnectionConfig } from '../features/salesforce/salesforce-settings.js';

/** What the worker thread gets: the engine's store to join and the engine's parsed configuration. */
export interface ReportPackWorkerData {
  databaseUrl: string;
  joinEmbedded: boolean;
  env: Env;
  /** The day the schedule rule is checked against (tests); default: today (UTC). */
  today?: string;
}

export interface ReportPackJob {
  stop(): Promise<void>;
  /** Runs the job now (it still checks the working-day rule) and resolves when its worker has exited. */
  runNow(): Promise<void>;
}

/**
 * Schedules the monthly report pack (bree, config/reports.json): the worker wakes at `pack.cron` and, on the configured
 * working day of the month, attaches each active client's report for the last month-end to its Salesforce Account.
 * Only when the Salesforce connector is configured and the pack is enabled.
 */
export async function startReportPackJob(deps: AppDeps, opts: { today?: string } = {}): Promise<ReportPackJob | undefined> {
  if (!salesforceConnectionConfig(deps.env)) return undefined;
  const settings = loadReportSettings(deps.env);
  if (!settings.pack.enabled) return undefined;
  const workerData: ReportPackWorkerData = { databaseUrl: deps.db.url, joinEmbedded: deps.db.kind === 'embedded', env: deps.env, today: opts.today };
  const bree = new Bree({
    root: false,
    logger: false,
    doRootCheck: false,
    defaultExtension: 'mjs',
    jobs: [{ name: 'report-pack', path: path.join(import.meta.dirname, 'report-pack.worker.mjs'), cron: settings.pack.cron, worker: { workerData } }],
    workerMessageHandler: ({ name, message }) => {
      if (message && typeof message === 'object' && 'run' in message) {
        const run = (message as { run: { id: number; status: string; attached: number; failed: number } | null; reason?: string }).run;
        deps.metrics.jobRuns.inc({ job: name, outcome: run?.status ?? 'skipped' });
        deps.log.info({ event: 'job', job: name, run, reason: (message as { reason?: string }).reason }, 'report pack job finished');
      }
    },
    errorHandler: (err, meta) => {
      deps.metrics.jobRuns.inc({ job: meta?.name ?? 'report-pack', outcome: 'error' });
      deps.log.error({ event: 'job', job: meta?.name, err }, 'job failed');
    },
  });
  await bree.start();
  deps.log.info({ event: 'job', job: 'report-pack', cron: settings.pack.cron, workingDay: settings.pack.workingDay }, 'monthly report pack scheduled');
  return {
    stop: () => bree.stop(),
    runNow: () =>
      new Promise<void>((resolve, reject) => {
        const done = (name: string) => {
          if (name !== 'report-pack') return;
          bree.off('worker deleted', done);
          resolve();
        };
        bree.on('worker deleted', done);
        bree.run('report-pack').catch(reject);
      }),
  };
}
