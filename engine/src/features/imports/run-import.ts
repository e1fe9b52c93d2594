import path from 'node:path';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import type { Env } from '../../env.js';
import type { AppDeps } from '../../app-env.js';
import type { Database, Queryable } from '../../db/client.js';
import { ImportRejectedError, type RowProblem } from '../../lib/errors.js';
import { inspectFile, type FileInfo } from '../../connectors/wealth-spectrum/inspect-file.js';
import type { ImportKind, ImportMapping } from '../../connectors/wealth-spectrum/mapping.js';
import { bindRows } from '../../connectors/wealth-spectrum/normalize-rows.js';
import { readRowBatches, type RawRow } from '../../connectors/wealth-spectrum/read-rows.js';
import { KIND_HANDLERS, type DeriveContext } from './import-kinds.js';
import { createStaging } from './staging.js';
import { finishImportRun, startImportRun, type ImportRun } from './imports.queries.js';

export interface ImportRequest {
  kind: ImportKind;
  filePath: string;
  fileName?: string;
  source: 'api' | 'cli' | 'inbox' | 'demo' | 'bench';
  actor?: string;
}

export interface ImportDeps {
  db: Database;
  mapping: ImportMapping;
  maxBytes: number;
  log?: Logger;
  metrics?: Metrics;
  /** Where configuration lives, for kinds whose merge reads it (Salesforce reconciliation). */
  env?: Pick<Env, 'CONFIG_DIR' | 'SALESFORCE_CONFIG_FILE'>;
  /** Called after a successful import (analytics recompute, notifications). */
  onImported?: (run: ImportRun) => void;
}

/** Import dependencies from the app's: every entry point (API, CLI, inbox, demo) imports alike. */
export function importDepsOf(deps: AppDeps, maxBytes = deps.env.IMPORT_MAX_BYTES): ImportDeps {
  return { db: deps.db, mapping: deps.mapping, maxBytes, log: deps.log, metrics: deps.metrics, env: deps.env, onImported: (r) => deps.onImported.forEach((h) => h(r)) };
}

/** Serialises merges: two imports racing on the same rows apply one after the other. */
const IMPORT_LOCK = 7345022;

/**
 * Imports one Wealth Spectrum export, all or nothing: every row is validated first, and the
 * whole file is merged in one transaction. Any problem rejects the file and writes no data;
 * the run itself (with its problems) is recorded either way.
 */
export async function runImport(deps: ImportDeps, req: ImportRequest): Promise<ImportRun> {
  const fileName = req.fileName ?? path.basename(req.filePath);
  const started = Date.now();
  const run = await startImportRun(deps.db.sql, { kind: req.kind, fileName, source: req.source, actor: req.actor });
  deps.log?.info({ event: 'import', runId: run.id, kind: req.kind, file: fileName, status: 'started' }, 'import started');
  let info: FileInfo | undefined;
  try {
    info = await inspectFile(req.filePath, deps.maxBytes);
    const { phasesMs, ...counts } = await importFile(deps, req.kind, info, run.id);
    const done = await finishImportRun(deps.db.sql, run.id, { status: 'succeeded', info, ...counts });
    deps.metrics?.importRows.inc({ kind: req.kind, outcome: 'imported' }, counts.rowsTotal);
    deps.log?.info({ event: 'import', runId: run.id, kind: req.kind, file: fileName, status: 'succeeded', ...counts, phasesMs, ms: Date.now() - started }, 'import succeeded');
    deps.onImported?.(done);
    return done;
  } catch (err) {
    const error =
      err instanceof ImportRejectedError
        ? { code: err.code, message: err.message, details: err.problems }
        : { code: 'IMPORT_FAILED', message: 'The import failed unexpectedly; nothing was written.' };
    await finishImportRun(deps.db.sql, run.id, { status: 'failed', info, error });
    deps.metrics?.importFailures.inc({ kind: req.kind, code: error.code });
    deps.log?.[err instanceof ImportRejectedError ? 'warn' : 'error'](
      { event: 'import', runId: run.id, kind: req.kind, file: fileName, status: 'failed', code: error.code, problems: err instanceof ImportRejectedError ? err.problems.length : undefined, err: err instanceof ImportRejectedError ? undefined : err, ms: Date.now() - started },
      'import failed',
    );
    throw err;
  }
}

async function importFile(deps: ImportDeps, kind: ImportKind, info: FileInfo, runId: number) {
  const { mapping } = deps;
  const handler = KIND_HANDLERS[kind];
  const spec = mapping.kinds[kind];
  const maxErrors = mapping.defaults.maxErrors;
  const mapped = Object.entries(spec.columns).filter(([, c]) => c.type !== 'identity').map(([f]) => f);
  const fields = [...mapped, ...handler.derived];

  const t0 = performance.now();
  return deps.db.sql.begin(async (tx) => {
    const batches = readRowBatches(info)[Symbol.asyncIterator]();
    const rows = rowsOf(batches);
    const normalizer = await bindRows(mapping, kind, rows.iterator);
    if (!normalizer) throw new ImportRejectedError('EMPTY_FILE', 'The file has no rows.');
    const staging = await createStaging(tx, fields, deps.db.kind === 'postgres');
    const problems: RowProblem[] = [];
    let problemCount = 0;
    let total = 0;
    const ctx: DeriveContext = { mapping, occurrences: new Map() };
    const bound = new Map(normalizer.binding.columns.map((c) => [c.field, c]));

    const handle = (raw: RawRow): (string | null)[] | undefined => {
      total++;
      const before = problems.length;
      const rec = normalizer.normalize(raw, problems);
      let bad = !rec;
      if (rec) {
        const derivedProblem = handler.derive?.(rec, ctx);
        if (derivedProblem) {
          bad = true;
          const c = bound.get(derivedProblem.field);
          problems.push({ row: raw.row, column: c ? c.index + 1 : null, columnName: c?.header ?? derivedProblem.field, value: c ? String(raw.cells[c.index] ?? '') : null, message: derivedProblem.message });
        }
      }
      if (bad) {
        problemCount += Math.max(1, problems.length - before);
        if (problems.length > maxErrors) problems.length = maxErrors; // keep the first ones, keep counting
        return undefined;
      }
      return problemCount === 0 ? fields.map((f) => rec![f] ?? null) : undefined;
    };
    const stageBatch = async (batch: RawRow[]) => {
      const out: [number, (string | null)[]][] = [];
      for (const raw of batch) {
        const values = handle(raw);
        if (values) out.push([raw.row, values]);
      }
      if (problemCount === 0) await staging.addBatch(out);
    };
    await stageBatch(rows.rest()); // what the header search read past the header
    for (let next = await batches.next(); !next.done; next = await batches.next()) await stageBatch(next.value);
    await staging.finish();
    if (total === 0) throw new ImportRejectedError('EMPTY_FILE', 'The file has a header but no data rows.');
    if (problemCount) throw rejected(problems, problemCount);

    const t1 = performance.now();
    const duplicates = await duplicateKeys(tx, staging.table, spec.key);
    if (duplicates.length) throw rejected(duplicates, duplicates.length, 'DUPLICATE_KEYS');
    const refProblems = (await handler.references?.(tx, staging.table)) ?? [];
    if (refProblems.length) throw rejected(refProblems, refProblems.length, 'UNKNOWN_REFERENCES');

    const t2 = performance.now();
    await tx`select pg_advisory_xact_lock(${IMPORT_LOCK})`;
    const counts = await handler.merge(tx, staging.table, runId, normalizer.binding.present, { env: deps.env ?? {} });
    const phasesMs = { readAndStage: Math.round(t1 - t0), checks: Math.round(t2 - t1), merge: Math.round(performance.now() - t2) };
    return { rowsTotal: total, inserted: counts.inserted, updated: counts.updated, unchanged: total - counts.inserted - counts.updated, phasesMs };
  });
}

/** Row-by-row view over batches for the header search; `rest()` returns the rows it buffered. */
function rowsOf(batches: AsyncIterator<RawRow[]>) {
  let buffer: RawRow[] = [];
  return {
    iterator: {
      async next(): Promise<IteratorResult<RawRow>> {
        while (!buffer.length) {
          const b = await batches.next();
          if (b.done) return { done: true, value: undefined };
          buffer = b.value;
        }
        return { done: false, value: buffer.shift()! };
      },
    } as AsyncIterator<RawRow>,
    rest(): RawRow[] {
      const r = buffer;
      buffer = [];
      return r;
    },
  };
}

function rejected(problems: RowProblem[], count: number, code = 'INVALID_ROWS'): ImportRejectedError {
  const shown = problems.slice(0, 100);
  return new ImportRejectedError(code, `${count} problem${count === 1 ? '' : 's'} found; the file was not imported${count > shown.length ? ` (first ${shown.length} listed)` : ''}.`, shown);
}

/** Rows whose natural key repeats an earlier row of the same file. */
async function duplicateKeys(tx: Queryable, stg: string, key: string[]): Promise<RowProblem[]> {
  const cols = key.join(', ');
  const [any] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from (select 1 from ${stg} group by ${cols} having count(*) > 1 limit 1) d`);
  if (!any!.n) return [];
  const rows = await tx.unsafe<{ row_no: number; first_row: number; k: string }[]>(
    `select row_no, first_row, concat_ws(' / ', ${cols}) as k from (
       select row_no, ${cols}, min(row_no) over (partition by ${cols}) as first_row, count(*) over (partition by ${cols}) as n from ${stg}
     ) d where n > 1 and row_no <> first_row order by row_no limit 100`,
  );
  return rows.map((r) => ({ row: r.row_no, column: null, columnName: key.join(' + '), value: r.k.replace(/^REF:/, '').replace(/ \/ REF:/, ' / '), message: `duplicate of row ${r.first_row} (same ${key.join(' + ')})` }));
}
