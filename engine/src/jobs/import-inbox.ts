import fs from 'node:fs';
import path from 'node:path';
import Bree from 'bree';
import type { AppDeps } from '../app-env.js';
import { kindForFileName } from '../connectors/wealth-spectrum/mapping.js';
import { ImportRejectedError } from '../lib/errors.js';
import { importDepsOf, runImport } from '../features/imports/run-import.js';

export interface InboxResult {
  file: string;
  kind: string | null;
  outcome: 'processed' | 'failed';
  runId?: number;
  code?: string;
}

const IGNORED = /^\.|\.(part|tmp|crdownload|partial)$/i;

function moveAside(from: string, toDir: string): string {
  fs.mkdirSync(toDir, { recursive: true });
  const base = path.basename(from);
  let target = path.join(toDir, base);
  if (fs.existsSync(target)) target = path.join(toDir, `${new Date().toISOString().replace(/[:.]/g, '-')}_${base}`);
  fs.renameSync(from, target);
  return target;
}

/**
 * Imports every settled file in `dir` in dependency order (kind from the file name, per the
 * mapping's filePattern and order), then moves each to processed/ or to failed/ with
 * `<file>.errors.json` beside it.
 */
export async function processInbox(deps: AppDeps, dir: string, settleMs = 2000): Promise<InboxResult[]> {
  const now = Date.now();
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !IGNORED.test(e.name))
    .map((e) => path.join(dir, e.name))
    .filter((f) => now - fs.statSync(f).mtimeMs >= settleMs);
  const planned = entries
    .map((file) => ({ file, kind: kindForFileName(deps.mapping, file) ?? null }))
    .sort((a, b) => {
      const oa = a.kind ? deps.mapping.kinds[a.kind].order : -1;
      const ob = b.kind ? deps.mapping.kinds[b.kind].order : -1;
      return oa - ob || a.file.localeCompare(b.file);
    });
  const results: InboxResult[] = [];
  for (const { file, kind } of planned) {
    const name = path.basename(file);
    if (!kind) {
      const target = moveAside(file, path.join(dir, 'failed'));
      const error = { code: 'UNKNOWN_KIND', message: `No kind's filePattern in config/import-mappings.json matches "${name}".` };
      fs.writeFileSync(`${target}.errors.json`, JSON.stringify({ error }, null, 2));
      results.push({ file: name, kind: null, outcome: 'failed', code: error.code });
      continue;
    }
    try {
      const run = await runImport(
        importDepsOf(deps),
        { kind, filePath: file, fileName: name, source: 'inbox', actor: 'inbox' },
      );
      moveAside(file, path.join(dir, 'processed'));
      results.push({ file: name, kind, outcome: 'processed', runId: run.id });
    } catch (err) {
      const target = moveAside(file, path.join(dir, 'failed'));
      const error =
        err instanceof ImportRejectedError
          ? { code: err.code, message: err.message, details: err.problems }
          : { code: 'IMPORT_FAILED', message: 'The import failed unexpectedly; nothing was written.' };
      fs.writeFileSync(`${target}.errors.json`, JSON.stringify({ error }, null, 2));
      results.push({ file: name, kind, outcome: 'failed', code: error.code });
    }
  }
  return results;
}

export interface InboxWorkerData {
  inbox: string;
  databaseUrl: string;
  joinEmbedded: boolean;
}

/** Schedules the inbox job (bree, cron from IMPORT_INBOX_CRON) in a worker thread. */
export async function startImportInbox(deps: AppDeps): Promise<{ stop(): Promise<void>; runNow(): Promise<void> }> {
  const dir = path.resolve(deps.env.IMPORT_INBOX_DIR!);
  fs.mkdirSync(dir, { recursive: true });
  const bree = new Bree({
    root: false,
    logger: false,
    doRootCheck: false,
    defaultExtension: 'mjs',
    jobs: [
      {
        name: 'import-inbox',
        path: path.join(import.meta.dirname, 'import-inbox.worker.mjs'),
        cron: deps.env.IMPORT_INBOX_CRON,
        // The worker joins this engine's store: PostgreSQL by URL, or the embedded PGlite's socket.
        worker: { workerData: { inbox: dir, databaseUrl: deps.db.url, joinEmbedded: deps.db.kind === 'embedded' } satisfies InboxWorkerData },
      },
    ],
    workerMessageHandler: ({ name, message }) => {
      if (message && typeof message === 'object' && 'results' in message) {
        const results = (message as { results: InboxResult[] }).results;
        for (const r of results) deps.metrics.jobRuns.inc({ job: name, outcome: r.outcome });
        if (results.length) deps.log.info({ event: 'job', job: name, results }, 'inbox processed');
      }
    },
    errorHandler: (err, meta) => {
      deps.metrics.jobRuns.inc({ job: meta?.name ?? 'import-inbox', outcome: 'error' });
      deps.log.error({ event: 'job', job: meta?.name, err }, 'job failed');
    },
  });
  await bree.start();
  deps.log.info({ event: 'job', job: 'import-inbox', dir, cron: deps.env.IMPORT_INBOX_CRON }, 'watching the import inbox');
  return {
    stop: () => bree.stop(),
    /** Runs the job now and resolves when its worker has exited. */
    runNow: () =>
      new Promise<void>((resolve, reject) => {
        const done = (name: string) => {
          if (name !== 'import-inbox') return;
          bree.off('worker deleted', done);
          resolve();
        };
        bree.on('worker deleted', done);
        bree.run('import-inbox').catch(reject);
      }),
  };
}
