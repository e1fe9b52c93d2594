/**
 * Report packs: each selected active client's performance report for a month-end, attached to its Salesforce Account
 * as a ContentVersion (FirstPublishLocationId = the Account). Idempotent: report_attachments holds one row per
 * (client, report, period end) and a client that has one is skipped. Transient Salesforce rejections are retried by the
 * connector, then by the pack (maxAttempts, backoff); a network failure during an upload is not retried in the run (the
 * file may exist) and is recorded as failed — the next run tries again. One client's failure never stops the pack.
 */
import type { Connection } from '@jsforce/jsforce-node';
import { salesforceErrorCode, uploadContentVersion, type RetryOptions } from '../../connectors/salesforce/index.js';
import type { Queryable } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import { ALL_CLIENTS, visibleClients, type ClientScope } from '../../lib/scope.js';
import type { Branding } from '../../reports/branding.js';
import { renderClientReport } from '../../reports/client-report.js';
import { loadClientReportData, monthStart } from './client-report-data.js';
import { fillTemplate, type ReportSettings } from './reports-settings.js';

export interface PackContext {
  sql: Queryable;
  connect: () => Promise<Connection>;
  branding: Branding;
  settings: ReportSettings;
  log: Logger;
  /** Connector retry policy for uploads (tests shorten it). */
  retry?: RetryOptions;
  /** Pause between pack-level attempts (ms for attempt n). */
  backoffMs?: (attempt: number) => number;
}

export interface PackRequest {
  trigger: 'schedule' | 'manual';
  periodEnd: string;
  /** The requester's scope: only clients inside it are reported. */
  scope: ClientScope;
  rmId?: number;
  clientIds?: number[];
  requestedBy?: string;
  signal?: AbortSignal;
}

export interface RunSummary {
  id: number;
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  periodEnd: string;
  total: number;
  attached: number;
  skipped: number;
  failed: number;
}

export class PackAlreadyRunningError extends Error {
  constructor(readonly runId: number) {
    super(`Report pack run ${runId} is still running`);
  }
}

const REPORT = 'client';
const TRANSIENT = new Set(['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW']);

/** Creates the run and its per-client items; `done` settles when every client has been handled. */
export async function startReportPack(ctx: PackContext, req: PackRequest): Promise<{ runId: number; done: Promise<RunSummary> }> {
  const sql = ctx.sql;
  const [running] = await sql<{ id: number }[]>`select id from report_runs where status = 'running' and started_at > now() - interval '6 hours' limit 1`;
  if (running) throw new PackAlreadyRunningError(running.id);
  const clients = await sql<{ id: number }[]>`
    select c.id from clients c
    where c.status = 'Active' and ${visibleClients(sql, req.scope)}
      ${req.rmId !== undefined ? sql`and c.rm_id = ${req.rmId}` : sql``}
      ${req.clientIds ? sql`and c.id = any(${req.clientIds}::int[])` : sql``}
    order by c.id`;
  const scope = { rmId: req.rmId ?? null, clientIds: req.clientIds ?? null, callerScope: req.scope.all ? 'all' : req.scope.rmIds };
  const [run] = await sql<{ id: number }[]>`
    insert into report_runs (trigger, report, period_end, scope, requested_by, total)
    values (${req.trigger}, ${REPORT}, ${req.periodEnd}, ${sql.json(scope as never)}, ${req.requestedBy ?? null}, ${clients.length}) returning id`;
  const runId = run!.id;
  if (clients.length) {
    await sql`insert into report_run_items (run_id, client_id) select ${runId}, unnest(${clients.map((c) => c.id)}::int[])`;
  }
  ctx.log.info({ event: 'report-pack', runId, periodEnd: req.periodEnd, clients: clients.length, trigger: req.trigger }, 'report pack started');
  const done = processRun(ctx, req, runId, clients.map((c) => c.id));
  return { runId, done };
}

async function processRun(ctx: PackContext, req: PackRequest, runId: number, clientIds: number[]): Promise<RunSummary> {
  const sql = ctx.sql;
  let conn: Promise<Connection> | undefined;
  const connection = () => (conn ??= ctx.connect());
  let next = 0;
  let handled = 0;
  const counts = { attached: 0, skipped: 0, failed: 0 };
  let fatal: string | null = null;
  const worker = async () => {
    while (next < clientIds.length && !req.signal?.aborted) {
      const clientId = clientIds[next++]!;
      const outcome = await handleClient(ctx, req, runId, clientId, connection);
      counts[outcome]++;
      handled++;
      if (handled % 25 === 0 || handled === clientIds.length) {
        ctx.log.info({ event: 'report-pack', runId, done: handled, total: clientIds.length, ...counts }, 'report pack progress');
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ctx.settings.pack.concurrency, Math.max(1, clientIds.length)) }, worker));
  } catch (err) {
    fatal = err instanceof Error ? err.message : String(err);
  }
  if (req.signal?.aborted) fatal ??= 'cancelled';
  const status: RunSummary['status'] = fatal || (counts.failed > 0 && counts.attached + counts.skipped === 0) ? 'failed' : counts.failed > 0 ? 'partial' : 'succeeded';
  await sql`
    update report_runs set status = ${status}, attached = ${counts.attached}, skipped = ${counts.skipped}, failed = ${counts.failed},
      error = ${fatal}, finished_at = now() where id = ${runId}`;
  ctx.log.info({ event: 'report-pack', runId, status, ...counts }, 'report pack finished');
  return { id: runId, status, periodEnd: req.periodEnd, total: clientIds.length, ...counts };
}

type Outcome = 'attached' | 'skipped' | 'failed';

async function handleClient(ctx: PackContext, req: PackRequest, runId: number, clientId: number, connection: () => Promise<Connection>): Promise<Outcome> {
  const sql = ctx.sql;
  const setItem = async (status: Outcome, f: { reason?: string; attempts?: number; contentVersionId?: string | null; bytes?: number; ms?: number; error?: string }) => {
    await sql`
      update report_run_items set status = ${status}, reason = ${f.reason ?? null}, attempts = ${f.attempts ?? 0},
        content_version_id = ${f.contentVersionId ?? null}, bytes = ${f.bytes ?? null}, ms = ${f.ms ?? null}, error = ${f.error ?? null}, updated_at = now()
      where run_id = ${runId} and client_id = ${clientId}`;
    return status;
  };
  const [client] = await sql<{ code: string; name: string; accountId: string | null }[]>`
    select client_code as code, name, salesforce_account_id as "accountId" from clients where id = ${clientId}`;
  const [done] = await sql<{ contentVersionId: string }[]>`
    select content_version_id as "contentVersionId" from report_attachments where client_id = ${clientId} and report = ${REPORT} and period_end = ${req.periodEnd}`;
  if (done) return setItem('skipped', { reason: 'already attached', contentVersionId: done.contentVersionId });
  if (!client?.accountId) return setItem('skipped', { reason: 'no Salesforce Account' });

  const names = { periodEnd: req.periodEnd, clientName: client.name, clientCode: client.code };
  const title = fillTemplate(ctx.settings.pack.titleTemplate, names);
  const file = fillTemplate(ctx.settings.pack.fileTemplate, names);
  const max = ctx.settings.pack.maxAttempts;
  let lastError = '';
  for (let attempt = 1; attempt <= max; attempt++) {
    const started = performance.now();
    let phase: 'render' | 'upload' = 'render';
    try {
      const data = await loadClientReportData(sql, { scope: ALL_CLIENTS, clientId, asOf: req.periodEnd, from: monthStart(req.periodEnd), to: req.periodEnd });
      if (!data || data.growth.length === 0) return setItem('skipped', { reason: 'no valuation on or before the period end', attempts: attempt });
      const pdf = await renderClientReport(data, ctx.branding);
      phase = 'upload';
      const { id } = await uploadContentVersion(await connection(), {
        title,
        pathOnClient: file,
        firstPublishLocationId: client.accountId,
        data: pdf,
        contentType: 'application/pdf',
        description: `${ctx.branding.shortName} performance report as of ${data.asOf} (run ${runId})`,
        retry: ctx.retry,
      });
      await sql`
        insert into report_attachments (client_id, report, period_end, salesforce_account_id, content_version_id, title, run_id)
        values (${clientId}, ${REPORT}, ${req.periodEnd}, ${client.accountId}, ${id}, ${title}, ${runId}) on conflict do nothing`;
      return setItem('attached', { attempts: attempt, contentVersionId: id, bytes: pdf.length, ms: Math.round(performance.now() - started) });
    } catch (err) {
      const code = salesforceErrorCode(err);
      lastError = `${code ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`.slice(0, 1000);
      const retryable = phase === 'render' || (code !== undefined && TRANSIENT.has(code));
      ctx.log.warn({ event: 'report-pack', runId, clientId, attempt, phase, code, retryable, err: lastError }, 'report attachment failed');
      if (!retryable || attempt === max || req.signal?.aborted) return setItem('failed', { attempts: attempt, error: lastError });
      await new Promise((r) => setTimeout(r, ctx.backoffMs?.(attempt) ?? 1000 * 2 ** (attempt - 1)));
    }
  }
  return setItem('failed', { attempts: max, error: lastError });
}

/** Runs, newest first, with counts. */
export async function listReportRuns(sql: Queryable, limit = 50) {
  return sql`
    select id, trigger, report, period_end::text as "periodEnd", scope, requested_by as "requestedBy", status, total, attached, skipped, failed, error,
      started_at as "startedAt", finished_at as "finishedAt"
    from report_runs order by id desc limit ${limit}`;
}

/** One run with per-client status, limited to the clients the caller may see. */
export async function getReportRun(sql: Queryable, id: number, scope: ClientScope) {
  const [run] = await sql`
    select id, trigger, report, period_end::text as "periodEnd", scope, requested_by as "requestedBy", status, total, attached, skipped, failed, error,
      started_at as "startedAt", finished_at as "finishedAt"
    from report_runs where id = ${id}`;
  if (!run) return undefined;
  const items = await sql`
    select i.client_id as "clientId", c.client_code as "clientCode", c.name as "clientName", i.status, i.reason, i.attempts,
      i.content_version_id as "contentVersionId", i.bytes, i.ms, i.error, i.updated_at as "updatedAt"
    from report_run_items i join clients c on c.id = i.client_id
    where i.run_id = ${id} and ${visibleClients(sql, scope)} order by c.client_code`;
  return { ...run, items };
}
