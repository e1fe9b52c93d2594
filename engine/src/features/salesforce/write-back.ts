/**
 * Write-back (off by default): our AUM and computed period returns to Account fields or to FSC
 * financial accounts (balance and performance), and Tasks for the owning RM on events (large
 * withdrawal, drawdown beyond a threshold, benchmark shortfall). Batched through the sObject
 * Collections API (200 records a call, retried with backoff on REQUEST_LIMIT_EXCEEDED),
 * idempotent: what was last written per record is remembered and unchanged payloads are skipped;
 * an event gets at most one Task.
 *
 * Returns come from the precomputed analytics (analytics_metrics.reported_return: the SEBI figure,
 * absolute under a year and annualised from a year) and go to Salesforce as percent (× 100). A
 * period without a row (the entity did not live through it) is written as null, never 0.
 */
import crypto from 'node:crypto';
import type { Connection } from '@jsforce/jsforce-node';
import type { Queryable } from '../../db/client.js';
import { COLLECTION_LIMIT, updateRecords, withRetry, type RecordResult, type RetryOptions } from '../../connectors/salesforce/index.js';
import type { AnalyticsPeriod, SalesforceSettings } from './salesforce-settings.js';

export interface TaskResult {
  considered: number;
  created: number;
  failed: number;
  /** Tasks created per event kind. */
  byKind: Record<EventKind, number>;
  /** Events not told because the API-call reserve was reached (told on a later run). */
  deferred: number;
  stopped?: WriteBackResult['stopped'];
}

export interface WriteBackResult {
  target: 'account' | 'fsc';
  considered: number;
  unchanged: number;
  written: number;
  failed: number;
  errors: { id: string; errorCode: string; message: string }[];
  /** Configured fields the org does not have (sObject.Field): left out of every payload. */
  skippedFields: string[];
  /** Figures the target cannot hold (e.g. performance on the standard FinancialAccount). */
  notes: string[];
  /** Changed records not sent because the org's daily API calls reached the reserve (sent on a later run). */
  deferred: number;
  stopped?: { code: 'API_CALLS_RESERVE'; remaining: number; reserve: number };
  tasks?: TaskResult;
}

export interface WriteBackOptions {
  retry?: RetryOptions;
  /** "Today" for the withdrawal look-back and the Task due date; default now. */
  asOf?: string;
}

const hash = (payload: unknown) => crypto.createHash('sha1').update(JSON.stringify(payload)).digest('hex');

/** A decimal string as a JSON number for Salesforce currency fields (exact for amounts below 2^53 paise). */
const money = (v: string) => Number(v);

/** A return (0.1234) as a Salesforce percent (12.34), rounded; null stays null (no figure for the period). */
export function percent(value: number | null | undefined, decimals: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const p = Number((value * 100).toFixed(decimals));
  return p === 0 ? 0 : p; // no -0
}

/** Performance fields of the FSC managed package, by analytics period. */
export const MANAGED_PERFORMANCE_FIELDS: Partial<Record<AnalyticsPeriod, string>> = {
  MTD: 'FinServ__PerformanceMTD__c',
  QTD: 'FinServ__PerformanceQTD__c',
  YTD: 'FinServ__PerformanceYTD__c',
  '1Y': 'FinServ__Performance1Yr__c',
  '3Y': 'FinServ__Performance3Yr__c',
};

interface Pending {
  id: string;
  payload: Record<string, unknown>;
}

/** Field names of an sObject (describe), lower-cased → API name. */
async function fieldsOf(conn: Connection, sobject: string, retry: RetryOptions | undefined): Promise<Map<string, string>> {
  const d = await withRetry(() => conn.describe(sobject), retry);
  return new Map(d.fields.map((f) => [f.name.toLowerCase(), f.name]));
}

/** Keep the configured fields the org has (in the org's spelling); the others are reported once. */
function keepExisting(fields: string[], org: Map<string, string>, sobject: string, out: WriteBackResult): Map<string, string> {
  const kept = new Map<string, string>();
  for (const f of fields) {
    const name = org.get(f.toLowerCase());
    if (name) kept.set(f, name);
    else if (!out.skippedFields.includes(`${sobject}.${f}`)) out.skippedFields.push(`${sobject}.${f}`);
  }
  return kept;
}

/**
 * Daily API calls left, from the Sforce-Limit-Info header of the connection's last response; when
 * they are at or below the reserve, writing stops (the rest waits for the next run) and says so.
 */
function reserveReached(conn: Connection, reserve: number, out: { stopped?: WriteBackResult['stopped'] }): boolean {
  if (out.stopped) return true;
  const usage = (conn.limitInfo as { apiUsage?: { used: number; limit: number } } | undefined)?.apiUsage;
  if (!usage || reserve <= 0) return false;
  const remaining = usage.limit - usage.used;
  if (remaining > reserve) return false;
  out.stopped = { code: 'API_CALLS_RESERVE', remaining, reserve };
  return true;
}

async function pushUpdates(sql: Queryable, conn: Connection, sobject: string, all: Pending[], options: WriteBackOptions & { reserve: number }, out: WriteBackResult) {
  out.considered += all.length;
  const state = await sql<{ record_id: string; payload_hash: string }[]>`
    select record_id, payload_hash from sf_write_back_state where sobject = ${sobject}`;
  const last = new Map(state.map((s) => [s.record_id, s.payload_hash]));
  const changed = all.filter((p) => Object.keys(p.payload).length > 0 && last.get(p.id) !== hash(p.payload));
  out.unchanged += all.length - changed.length;
  for (let start = 0; start < changed.length; start += COLLECTION_LIMIT) {
    if (reserveReached(conn, options.reserve, out)) {
      out.deferred += changed.length - start;
      break;
    }
    const chunk = changed.slice(start, start + COLLECTION_LIMIT);
    const results: RecordResult[] = await updateRecords(
      conn,
      sobject,
      chunk.map((p) => ({ Id: p.id, ...p.payload })),
      { retry: options.retry, lockRetryDelayMs: 200 },
    );
    const ok: Pending[] = [];
    results.forEach((r, i) => {
      if (r.success) ok.push(chunk[i]!);
      else if (out.errors.length < 20) out.errors.push({ id: r.id, errorCode: r.errors[0]?.errorCode ?? 'UNKNOWN', message: r.errors[0]?.message ?? '' });
    });
    out.written += ok.length;
    out.failed += chunk.length - ok.length;
    // Remembered per collection call, so a crash mid-way re-sends only what was not confirmed.
    if (ok.length) {
      await sql`
        insert into sf_write_back_state ${sql(ok.map((p) => ({ sobject, record_id: p.id, payload_hash: hash(p.payload), payload: JSON.stringify(p.payload) })))}
        on conflict (sobject, record_id) do update set payload_hash = excluded.payload_hash, payload = excluded.payload, written_at = now()`;
    }
  }
}

interface MetricRow {
  entity_id: number;
  period: string;
  reported_return: number | null;
  as_of: string;
}

/** Reported returns of every entity of a type for these periods: entity id → period → return, and its as-of date. */
async function reportedReturns(sql: Queryable, entityType: 'client' | 'portfolio', periods: string[]) {
  const byEntity = new Map<number, { asOf: string; returns: Map<string, number | null> }>();
  if (periods.length === 0) return byEntity;
  const rows = await sql<MetricRow[]>`
    select entity_id, period, reported_return, as_of::text as as_of from analytics_metrics
    where entity_type = ${entityType} and period in ${sql(periods)}`;
  for (const r of rows) {
    let e = byEntity.get(r.entity_id);
    if (!e) byEntity.set(r.entity_id, (e = { asOf: r.as_of, returns: new Map() }));
    e.returns.set(r.period, r.reported_return);
    if (r.as_of > e.asOf) e.asOf = r.as_of;
  }
  return byEntity;
}

/** Period → field (org spelling) payload: the entity's reported return as percent, null where the period has no row. */
function returnsPayload(fields: Map<AnalyticsPeriod, string>, metrics: { returns: Map<string, number | null> } | undefined, decimals: number) {
  const payload: Record<string, number | null> = {};
  for (const [period, field] of fields) payload[field] = percent(metrics?.returns.get(period), decimals);
  return payload;
}

async function writeAccounts(sql: Queryable, conn: Connection, settings: SalesforceSettings, options: WriteBackOptions, out: WriteBackResult) {
  const wb = settings.writeBack;
  const { aum, aumAsOf, returns, returnsAsOf } = wb.accountFields;
  const configured = Object.entries(returns) as [AnalyticsPeriod, string][];
  if (!aum && !aumAsOf && configured.length === 0) throw new Error('writeBack.accountFields names no field (config/salesforce.json)');
  const org = await fieldsOf(conn, 'Account', options.retry);
  const kept = keepExisting([aum, aumAsOf, returnsAsOf, ...configured.map(([, f]) => f)].filter((f): f is string => Boolean(f)), org, 'Account', out);
  const returnFields = new Map(configured.filter(([, f]) => kept.has(f)).map(([p, f]) => [p, kept.get(f)!]));
  const rows = await sql<{ account_id: string; client_id: number; aum: string; as_of: string | null }[]>`
    select c.salesforce_account_id as account_id, min(c.id) as client_id, coalesce(sum(v.market_value), 0)::text as aum, max(v.valuation_date)::text as as_of
    from clients c
    join sf_accounts a on a.id = c.salesforce_account_id and not a.is_deleted
    left join portfolios p on p.client_id = c.id
    left join lateral (select market_value, valuation_date from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
    group by c.salesforce_account_id
    order by c.salesforce_account_id`;
  const metrics = await reportedReturns(sql, 'client', [...returnFields.keys()]);
  const pending = rows.map((r) => {
    const m = metrics.get(r.client_id);
    const payload: Record<string, unknown> = {};
    if (aum && kept.has(aum)) payload[kept.get(aum)!] = money(r.aum);
    if (aumAsOf && kept.has(aumAsOf)) payload[kept.get(aumAsOf)!] = r.as_of;
    Object.assign(payload, returnsPayload(returnFields, m, wb.percentDecimals));
    if (returnsAsOf && kept.has(returnsAsOf)) payload[kept.get(returnsAsOf)!] = m?.asOf ?? null;
    return { id: r.account_id, payload };
  });
  await pushUpdates(sql, conn, 'Account', pending, { ...options, reserve: wb.apiCallsReserve }, out);
}

async function writeFinancialAccounts(sql: Queryable, conn: Connection, settings: SalesforceSettings, options: WriteBackOptions, out: WriteBackResult) {
  const wb = settings.writeBack;
  const rows = await sql<{ id: string; sobject: string; portfolio_id: number; balance: string | null }[]>`
    select f.id, f.sobject, p.id as portfolio_id, v.market_value::text as balance
    from sf_financial_accounts f
    join portfolios p on p.portfolio_code = f.source_system_id
    left join lateral (select market_value from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
    where not f.is_deleted
    order by f.id`;
  for (const sobject of [...new Set(rows.map((r) => r.sobject))]) {
    const managed = sobject !== 'FinancialAccount';
    const balanceField = managed ? 'FinServ__Balance__c' : 'CurrentValue';
    const performance: Partial<Record<AnalyticsPeriod, string>> = managed ? (wb.fscFields.performance ? MANAGED_PERFORMANCE_FIELDS : {}) : wb.fscFields.standardPerformance;
    if (!managed && wb.fscFields.performance && Object.keys(performance).length === 0) {
      out.notes.push('FinancialAccount (standard FSC object) has no performance fields: only balances are written (map custom fields in writeBack.fscFields.standardPerformance)');
    }
    const org = await fieldsOf(conn, sobject, options.retry);
    const entries = Object.entries(performance) as [AnalyticsPeriod, string][];
    const kept = keepExisting([...(wb.fscFields.balance ? [balanceField] : []), ...entries.map(([, f]) => f)], org, sobject, out);
    const returnFields = new Map(entries.filter(([, f]) => kept.has(f)).map(([p, f]) => [p, kept.get(f)!]));
    const metrics = await reportedReturns(sql, 'portfolio', [...returnFields.keys()]);
    const pending = rows
      .filter((r) => r.sobject === sobject)
      .map((r) => {
        const payload: Record<string, unknown> = {};
        if (kept.has(balanceField) && r.balance !== null) payload[kept.get(balanceField)!] = money(r.balance);
        Object.assign(payload, returnsPayload(returnFields, metrics.get(r.portfolio_id), wb.percentDecimals));
        return { id: r.id, payload };
      });
    await pushUpdates(sql, conn, sobject, pending, { ...options, reserve: wb.apiCallsReserve }, out);
  }
}

/**
 * Write computed values back to Salesforce as configured: record fields when `writeBack.enabled`,
 * event Tasks when `writeBack.tasks.enabled`.
 */
export async function writeBack(sql: Queryable, conn: Connection, settings: SalesforceSettings, options: WriteBackOptions = {}): Promise<WriteBackResult> {
  const wb = settings.writeBack;
  const out: WriteBackResult = { target: wb.target, considered: 0, unchanged: 0, written: 0, failed: 0, deferred: 0, errors: [], skippedFields: [], notes: [] };
  if (wb.enabled) {
    if (wb.target === 'account') await writeAccounts(sql, conn, settings, options, out);
    else await writeFinancialAccounts(sql, conn, settings, options, out);
  }
  if (wb.tasks.enabled) out.tasks = await createEventTasks(sql, conn, settings, options);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Event Tasks

export type EventKind = 'largeWithdrawal' | 'drawdown' | 'benchmarkShortfall';

interface TaskEvent {
  kind: EventKind;
  /** Identifies the event: a Task is created once per key, ever (sf_event_tasks). */
  event_key: string;
  account_id: string;
  owner_id: string | null;
  subject: string;
  description: string;
  priority: 'High' | 'Normal';
}

interface RawSaveResult {
  id?: string | null;
  success: boolean;
  errors: { statusCode?: string; message: string }[];
}

const pp = (ratio: number) => (ratio * 100).toFixed(2);

/** Capital outflows at or above the threshold in the look-back window; key: portfolio + the flow's source key. */
async function largeWithdrawals(sql: Queryable, t: SalesforceSettings['writeBack']['tasks'], asOf: string): Promise<TaskEvent[]> {
  const rows = await sql<{ event_key: string; account_id: string; owner_id: string | null; portfolio_code: string; flow_date: string; amount: string; client_name: string }[]>`
    select 'withdrawal:' || p.portfolio_code || ':' || f.source_key as event_key, a.id as account_id, a.owner_id,
           p.portfolio_code, f.flow_date::text as flow_date, f.amount::text as amount, c.name as client_name
    from capital_flows f
    join portfolios p on p.id = f.portfolio_id
    join clients c on c.id = p.client_id
    join sf_accounts a on a.id = c.salesforce_account_id and not a.is_deleted
    where f.amount <= -(${t.largeWithdrawalAmount}::numeric)
      and f.flow_date > ${asOf}::date - ${t.lookbackDays}::int and f.flow_date <= ${asOf}::date
    order by f.flow_date, p.portfolio_code, f.source_key`;
  return rows.map((e) => ({
    kind: 'largeWithdrawal',
    event_key: e.event_key,
    account_id: e.account_id,
    owner_id: e.owner_id,
    subject: `${t.subjectPrefix}: large withdrawal from ${e.portfolio_code}`,
    description: `Withdrawal of ₹${e.amount.replace(/^-/, '')} on ${e.flow_date} from portfolio ${e.portfolio_code} (${e.client_name}).`,
    priority: 'High',
  }));
}

/**
 * Clients whose current drawdown (at their last valuation date: exp(log_growth − peak_log_growth) − 1)
 * is at or beyond the threshold. One event per drawdown episode: the key carries the date of the
 * peak it is measured from, so a new Task comes only after a new peak.
 */
async function drawdowns(sql: Queryable, t: SalesforceSettings['writeBack']['tasks']): Promise<TaskEvent[]> {
  if (t.drawdownPct === null) return [];
  const rows = await sql<{ client_code: string; client_name: string; account_id: string; owner_id: string | null; value_date: string; drawdown: number; peak_date: string }[]>`
    with cur as (
      -- The engine's final state of each client's series: log growth at its last valuation date and the running peak.
      select c.client_code, c.name as client_name, a.id as account_id, a.owner_id, e.entity_id, e.as_of as value_date,
             exp(e.last_log_growth - e.peak_log_growth) - 1 as drawdown
      from analytics_entities e
      join clients c on c.id = e.entity_id
      join sf_accounts a on a.id = c.salesforce_account_id and not a.is_deleted
      where e.entity_type = 'client' and exp(e.last_log_growth - e.peak_log_growth) - 1 <= -(${t.drawdownPct}::float8 / 100))
    select cur.client_code, cur.client_name, cur.account_id, cur.owner_id, cur.value_date::text as value_date, cur.drawdown,
           -- The last day the series stood at its running peak (only the flagged clients' series are unpacked).
           coalesce((select max(p.value_date) from analytics_series p
                     where p.entity_type = 'client' and p.entity_id = cur.entity_id and p.value_date <= cur.value_date
                       and p.log_growth >= p.peak_log_growth), cur.value_date)::text as peak_date
    from cur order by cur.client_code`;
  return rows.map((r) => ({
    kind: 'drawdown',
    event_key: `drawdown:${r.client_code}:${r.peak_date}`,
    account_id: r.account_id,
    owner_id: r.owner_id,
    subject: `${t.subjectPrefix}: drawdown of ${pp(-r.drawdown)}% for ${r.client_code}`,
    description: `${r.client_name} (${r.client_code}) is ${pp(-r.drawdown)}% below its peak of ${r.peak_date} (TWRR, as of ${r.value_date}); threshold ${t.drawdownPct}%.`,
    priority: 'High',
  }));
}

/** Clients whose 1Y return trails the benchmark by more than the threshold; at most one event per client per month of the figures. */
async function benchmarkShortfalls(sql: Queryable, t: SalesforceSettings['writeBack']['tasks']): Promise<TaskEvent[]> {
  if (t.benchmarkShortfallPct === null) return [];
  const rows = await sql<{ client_code: string; client_name: string; account_id: string; owner_id: string | null; as_of: string; reported_return: number; benchmark_reported: number; excess_return: number }[]>`
    select c.client_code, c.name as client_name, a.id as account_id, a.owner_id, m.as_of::text as as_of,
           m.reported_return, m.benchmark_reported, m.excess_return
    from analytics_metrics m
    join clients c on c.id = m.entity_id
    join sf_accounts a on a.id = c.salesforce_account_id and not a.is_deleted
    where m.entity_type = 'client' and m.period = '1Y' and m.excess_return < -(${t.benchmarkShortfallPct}::float8 / 100)
    order by c.client_code`;
  return rows.map((r) => ({
    kind: 'benchmarkShortfall',
    event_key: `benchmark-shortfall:${r.client_code}:${r.as_of.slice(0, 7)}`,
    account_id: r.account_id,
    owner_id: r.owner_id,
    subject: `${t.subjectPrefix}: 1Y return ${pp(-r.excess_return)} pp below benchmark for ${r.client_code}`,
    description: `${r.client_name} (${r.client_code}): 1Y return ${pp(r.reported_return)}% against ${pp(r.benchmark_reported)}% for the benchmark (as of ${r.as_of}); threshold ${t.benchmarkShortfallPct} pp.`,
    priority: 'Normal',
  }));
}

/** One Task for the Account owner per event not yet told (sf_event_tasks), in collections of 200. */
async function createEventTasks(sql: Queryable, conn: Connection, settings: SalesforceSettings, options: WriteBackOptions): Promise<TaskResult> {
  const t = settings.writeBack.tasks;
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const candidates = [...(await largeWithdrawals(sql, t, asOf)), ...(await drawdowns(sql, t)), ...(await benchmarkShortfalls(sql, t))];
  const told = new Set(
    candidates.length
      ? (await sql<{ event_key: string }[]>`select event_key from sf_event_tasks where event_key in ${sql(candidates.map((e) => e.event_key))}`).map((r) => r.event_key)
      : [],
  );
  const events = candidates.filter((e) => !told.has(e.event_key));
  const result: TaskResult = { considered: events.length, created: 0, failed: 0, deferred: 0, byKind: { largeWithdrawal: 0, drawdown: 0, benchmarkShortfall: 0 } };
  for (let i = 0; i < events.length; i += COLLECTION_LIMIT) {
    if (reserveReached(conn, settings.writeBack.apiCallsReserve, result)) {
      result.deferred += events.length - i;
      break;
    }
    const chunk = events.slice(i, i + COLLECTION_LIMIT);
    const records = chunk.map((e) => ({
      attributes: { type: 'Task' },
      Subject: e.subject,
      Description: e.description,
      WhatId: e.account_id,
      ...(e.owner_id ? { OwnerId: e.owner_id } : {}),
      ActivityDate: asOf,
      Status: 'Not Started',
      Priority: e.priority,
    }));
    // A create is not idempotent: only rejections that happen before Salesforce stores anything are retried.
    const raw = await withRetry(
      () =>
        conn.request<RawSaveResult[]>({
          method: 'POST',
          url: '/composite/sobjects',
          body: JSON.stringify({ allOrNone: false, records }),
          headers: { 'content-type': 'application/json' },
        }),
      { ...options.retry, retryable: (err) => ((err as { errorCode?: string }).errorCode === 'REQUEST_LIMIT_EXCEEDED' ? 'REQUEST_LIMIT_EXCEEDED' : null) },
    );
    const created = chunk.flatMap((e, j) => (raw[j]?.success && raw[j]?.id ? [{ e, row: { event_key: e.event_key, task_id: raw[j]!.id!, account_id: e.account_id, owner_id: e.owner_id, subject: e.subject } }] : []));
    if (created.length) await sql`insert into sf_event_tasks ${sql(created.map((c) => c.row))} on conflict (event_key) do nothing`;
    for (const c of created) result.byKind[c.e.kind]++;
    result.created += created.length;
    result.failed += chunk.length - created.length;
  }
  return result;
}
