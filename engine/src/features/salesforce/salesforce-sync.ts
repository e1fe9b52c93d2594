/**
 * Pull from Salesforce into our sf_* tables: every object is read (incrementally from its stored
 * SystemModstamp watermark, or in full), page by page into a staging table, and only when every
 * object has been read is the whole run applied in one transaction — upserts, deletions,
 * watermarks and reconciliation together. A failure anywhere before that leaves the previous
 * data and watermarks as they were and records why; a crash leaves the watermarks untouched, so
 * the next run resumes from them.
 */
import type { Connection } from '@jsforce/jsforce-node';
import type { Database, Queryable } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import {
  SalesforceAuthError,
  bulkQuery,
  describeOrg,
  queryPages,
  salesforceErrorCode,
  soqlDateTime,
  withRetry,
  type FlatRecord,
  type OrgFeatures,
  type RetryOptions,
} from '../../connectors/salesforce/index.js';
import { claimSyncRun, failSyncRun, getSyncRun, heartbeat, readWatermarks, writeWatermark, type SyncRun } from '../sync/sync-runs.queries.js';
import { reconcile, type ReconcileOptions } from '../reconciliation/reconcile.js';
import { columnExpr, objectSpecs, resolveColumns, SyncConfigError, type ColumnSpec, type ObjectSpec } from './object-specs.js';
import type { SalesforceSettings } from './salesforce-settings.js';
import { writeBack, type WriteBackResult } from './write-back.js';

export interface SyncContext {
  db: Database;
  settings: SalesforceSettings;
  /** Opens an authenticated connection (createSalesforceConnection with the configured auth). */
  connect: () => Promise<Connection>;
  log?: Logger;
  /** Retry policy for every Salesforce call (tests shorten the backoff). */
  retry?: RetryOptions;
  /** Called after a successful run (data-refresh notification); awaited, and its failure never fails the run. */
  /** After a successful run; `conn` is the run's last open connection (reuse it rather than logging in again). */
  onSynced?: (run: SyncRun, conn?: Connection) => void | Promise<void>;
}

export interface SyncOptions {
  mode?: 'incremental' | 'full';
  trigger?: string;
  actor?: string | null;
  /** Cancels between pages; the run fails with CANCELLED and nothing is applied. */
  signal?: AbortSignal;
  /** The reconciliation and write-back "today" (stale-data cut-off, withdrawal look-back); default now. */
  asOf?: string;
}

interface ObjectResult {
  fetched: number;
  upserted: number;
  deleted: number;
  via: 'rest' | 'bulk';
  maxStamp: number | null;
}

/** Run one sync end to end; never throws for Salesforce failures (the run records them), only when another run holds the lock. */
export async function runSalesforceSync(ctx: SyncContext, options: SyncOptions = {}): Promise<SyncRun> {
  return (await startSalesforceSync(ctx, options)).done;
}

/** Claim the run (throws SyncAlreadyRunningError at once) and carry on in the background. */
export async function startSalesforceSync(ctx: SyncContext, options: SyncOptions = {}): Promise<{ runId: number; done: Promise<SyncRun> }> {
  const mode = options.mode ?? 'incremental';
  const claim = await claimSyncRun(ctx.db, { mode, trigger: options.trigger ?? 'api', actor: options.actor });
  return { runId: claim.runId, done: syncClaimed(ctx, options, claim) };
}

async function syncClaimed(ctx: SyncContext, options: SyncOptions, claim: Awaited<ReturnType<typeof claimSyncRun>>): Promise<SyncRun> {
  const mode = options.mode ?? 'incremental';
  const { db, settings, log } = ctx;
  const runId = claim.runId;
  const started = Date.now();
  if (claim.interrupted.length) log?.warn({ event: 'sync', interrupted: claim.interrupted }, 'earlier Salesforce syncs were interrupted; resuming from the stored watermarks');
  log?.info({ event: 'sync', runId, mode, status: 'started' }, 'Salesforce sync started');
  const results = new Map<string, ObjectResult>();
  const summary = () => ({
    via: Object.fromEntries([...results].map(([k, r]) => [k, r.via])),
    counts: Object.fromEntries([...results].map(([k, r]) => [k, { fetched: r.fetched, upserted: r.upserted, deleted: r.deleted }])),
  });
  let lastConn: Connection | undefined;
  try {
    try {
      const conn = await ctx.connect();
      lastConn = conn;
      const features = await describeOrg(conn, { retry: ctx.retry });
      const specs = objectSpecs(settings, features);
      const watermarks = mode === 'full' ? new Map<string, Date>() : await readWatermarks(db.sql);
      const resolved: { spec: ObjectSpec; columns: ColumnSpec[] }[] = [];
      for (const spec of specs) {
        const describe = await withRetry(() => conn.describe(spec.sobject), ctx.retry);
        const orgFields = new Set(describe.fields.map((f) => f.name));
        const columns = resolveColumns(spec, orgFields);
        resolved.push({ spec, columns });
        const result = await stageObject(ctx, conn, { runId, spec, columns, orgFields, since: watermarks.get(spec.object), signal: options.signal });
        results.set(spec.object, result);
        await heartbeat(db.sql, runId);
      }
      await db.sql.begin(async (tx) => {
        for (const { spec, columns } of resolved) {
          const r = results.get(spec.object)!;
          const applied = await applyObject(tx, { runId, spec, columns, full: mode === 'full' });
          r.upserted = applied.upserted;
          r.deleted = applied.deleted;
          if (r.maxStamp !== null) {
            const previous = watermarks.get(spec.object);
            const next = new Date(Math.max(r.maxStamp, previous?.getTime() ?? 0));
            await writeWatermark(tx, { object: spec.object, watermark: next, runId });
          }
        }
        await tx`delete from sf_sync_stage where run_id = ${runId}`;
        const recon = await reconcile(tx, reconcileOptions(settings, runId, options.asOf, features));
        const s = summary();
        await tx`
          update sync_runs set status = 'succeeded', finished_at = now(), via = ${tx.json(s.via)}, counts = ${tx.json(s.counts)},
            reconciliation = ${tx.json(recon as never)}
          where id = ${runId}`;
      });
    } catch (err) {
      const error = describeSyncError(err);
      log?.warn({ event: 'sync', runId, status: 'failed', code: error.code, ms: Date.now() - started }, `Salesforce sync failed: ${error.message}`);
      await failSyncRun(db.sql, runId, error, summary());
      return (await getSyncRun(db.sql, runId))!;
    }
    if (settings.writeBack.enabled || settings.writeBack.tasks.enabled) {
      let wb: WriteBackResult | { error: { code: string; message: string } };
      try {
        const conn = await ctx.connect();
        lastConn = conn;
        wb = await writeBack(db.sql, conn, settings, { retry: ctx.retry, asOf: options.asOf });
      } catch (err) {
        wb = { error: describeSyncError(err) };
      }
      await db.sql`update sync_runs set write_back = ${db.sql.json(wb as never)} where id = ${runId}`;
    }
    log?.info({ event: 'sync', runId, status: 'succeeded', ...summary(), ms: Date.now() - started }, 'Salesforce sync succeeded');
    const finished = (await getSyncRun(db.sql, runId))!;
    try {
      await ctx.onSynced?.(finished, lastConn);
    } catch (err) {
      log?.warn({ event: 'sync', runId, err }, 'the after-sync notification failed');
    }
    return finished;
  } finally {
    await claim.release();
  }
}

export function reconcileOptions(settings: SalesforceSettings, runId: number | null, asOf?: string, features?: OrgFeatures): ReconcileOptions {
  return {
    runId,
    asOf: asOf ?? new Date().toISOString().slice(0, 10),
    aumTolerancePct: settings.reconciliation.aumTolerancePct,
    aumToleranceAmount: settings.reconciliation.aumToleranceAmount,
    staleAfterDays: settings.reconciliation.staleAfterDays,
    useFinancialAccounts: features ? features.hasFsc !== false : true,
  };
}

/** A short, secret-free code and message for the run record. */
export function describeSyncError(err: unknown): { code: string; message: string } {
  if (err instanceof SalesforceAuthError) return { code: 'SALESFORCE_AUTH', message: err.message };
  if (err instanceof SyncConfigError) return { code: err.code, message: err.message };
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.name === 'AbortError' || e?.code === 'ABORT_ERR') return { code: 'CANCELLED', message: 'The sync was cancelled; nothing was applied.' };
  const sfCode = salesforceErrorCode(err);
  if (sfCode) return { code: sfCode, message: String(e.message ?? sfCode).slice(0, 500) };
  if (typeof e?.code === 'string') return { code: e.code, message: String(e.message ?? e.code).slice(0, 500) };
  return { code: 'SYNC_FAILED', message: String(e?.message ?? err).slice(0, 500) };
}

function stampMs(value: unknown): number | null {
  if (typeof value !== 'string' || !value) return null;
  return Date.parse(soqlDateTime(value));
}

const STAGE_BATCH = 2000;

function arrayLiteral(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

async function stageRows(sql: Queryable, runId: number, object: string, records: FlatRecord[], fields: string[]): Promise<void> {
  for (let start = 0; start < records.length; start += STAGE_BATCH) {
    const chunk = records.slice(start, start + STAGE_BATCH);
    const ids: (string | null)[] = [];
    const stamps: (string | null)[] = [];
    const deleted: (string | null)[] = [];
    const data: (string | null)[] = [];
    for (const r of chunk) {
      ids.push(String(r.Id));
      const ms = stampMs(r.SystemModstamp);
      stamps.push(ms === null ? null : new Date(ms).toISOString());
      deleted.push(r.IsDeleted === true || r.IsDeleted === 'true' ? 't' : 'f');
      const payload: Record<string, unknown> = {};
      for (const f of fields) payload[f] = r[f] ?? null;
      data.push(JSON.stringify(payload));
    }
    await sql.unsafe(
      `insert into sf_sync_stage (run_id, object, sf_id, system_modstamp, is_deleted, data)
       select $1, $2, u.id, u.stamp::timestamptz, u.del::boolean, u.data::jsonb
       from unnest($3::text[], $4::text[], $5::text[], $6::text[]) as u(id, stamp, del, data)`,
      [runId, object, arrayLiteral(ids), arrayLiteral(stamps), arrayLiteral(deleted), arrayLiteral(data)],
    );
  }
}

/** Read one object (REST pages, or Bulk 2.0 above the threshold) into the stage. */
async function stageObject(
  ctx: SyncContext,
  conn: Connection,
  p: { runId: number; spec: ObjectSpec; columns: ColumnSpec[]; orgFields: Set<string>; since: Date | undefined; signal?: AbortSignal },
): Promise<ObjectResult> {
  const { settings, db } = ctx;
  const sourceFields = [...new Set(p.columns.flatMap((c) => c.from))];
  const system = ['Id', 'SystemModstamp', ...(p.orgFields.has('IsDeleted') ? ['IsDeleted'] : [])];
  const select = [...new Set([...system, ...sourceFields])];
  const incremental = p.since !== undefined;
  let soql = `SELECT ${select.join(', ')} FROM ${p.spec.sobject}`;
  if (incremental) soql += ` WHERE SystemModstamp >= ${soqlDateTime(new Date(p.since!.getTime() - settings.sync.overlapSeconds * 1000))}`;
  // Incremental reads include deleted records (queryAll) so deletions reach us; a full read marks absent rows deleted instead.
  const includeDeleted = incremental && p.orgFields.has('IsDeleted');
  const result: ObjectResult = { fetched: 0, upserted: 0, deleted: 0, via: 'rest', maxStamp: null };
  const seen = (records: FlatRecord[]) => {
    for (const r of records) {
      const ms = stampMs(r.SystemModstamp);
      if (ms !== null && (result.maxStamp === null || ms > result.maxStamp)) result.maxStamp = ms;
    }
    result.fetched += records.length;
  };
  for await (const page of queryPages(conn, soql, { includeDeleted, batchSize: settings.sync.pageSize, retry: ctx.retry })) {
    p.signal?.throwIfAborted();
    if (page.index === 0 && page.totalSize > settings.sync.bulkThreshold) {
      const records = await bulkQuery(conn, soql, { includeDeleted, pollIntervalMs: settings.sync.bulkPollMs, retry: ctx.retry });
      p.signal?.throwIfAborted();
      result.via = 'bulk';
      seen(records);
      await stageRows(db.sql, p.runId, p.spec.object, records, sourceFields);
      return result;
    }
    seen(page.records);
    await stageRows(db.sql, p.runId, p.spec.object, page.records, sourceFields);
  }
  return result;
}

/** Upsert the staged records of one object (latest per Id) and, on a full read, mark absent ones deleted. */
async function applyObject(tx: Queryable, p: { runId: number; spec: ObjectSpec; columns: ColumnSpec[]; full: boolean }): Promise<{ upserted: number; deleted: number }> {
  const { spec } = p;
  const constants = Object.entries(spec.constants);
  const cols = ['id', ...constants.map(([k]) => k), ...p.columns.map((c) => c.col), 'system_modstamp', 'is_deleted'];
  const exprs = ['s.sf_id', ...constants.map(([, v]) => `'${v}'`), ...p.columns.map((c) => columnExpr(c)), 's.system_modstamp', 's.is_deleted'];
  const compared = cols.filter((c) => c !== 'id');
  const hasSource = spec.table !== 'sf_financial_accounts';
  const rows = await tx.unsafe<{ n: number }[]>(
    `with up as (
       insert into ${spec.table} (${cols.join(', ')}${hasSource ? ', source' : ''}, synced_at)
       select * from (
         select distinct on (s.sf_id) ${exprs.join(', ')}${hasSource ? `, 'api'` : ''}, now()
         from sf_sync_stage s where s.run_id = $1 and s.object = $2
         order by s.sf_id, s.system_modstamp desc nulls last) x
       on conflict (id) do update set ${[...compared, ...(hasSource ? ['source'] : []), 'synced_at'].map((c) => `${c} = excluded.${c}`).join(', ')}
       where (${compared.map((c) => `${spec.table}.${c}`).join(', ')}) is distinct from (${compared.map((c) => `excluded.${c}`).join(', ')})
       returning 1)
     select count(*)::int as n from up`,
    [p.runId, spec.object],
  );
  let deleted = 0;
  if (p.full) {
    const scope = constants.map(([k, v]) => ` and t.${k} = '${v}'`).join('');
    const [d] = await tx.unsafe<{ n: number }[]>(
      `with del as (
         update ${spec.table} t set is_deleted = true, synced_at = now()
         where not t.is_deleted${hasSource ? ` and t.source = 'api'` : ''}${scope}
           and not exists (select 1 from sf_sync_stage s where s.run_id = $1 and s.object = $2 and s.sf_id = t.id)
         returning 1)
       select count(*)::int as n from del`,
      [p.runId, spec.object],
    );
    deleted = d!.n;
  }
  return { upserted: rows[0]!.n, deleted };
}
