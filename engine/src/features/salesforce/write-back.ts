/**
 * Write-back (off by default): our computed AUM to Account fields or to FSC financial-account
 * balances, and a Task for the owning RM on events (large withdrawals). Batched through the
 * sObject Collections API (200 records a call, retried with backoff on REQUEST_LIMIT_EXCEEDED),
 * idempotent: what was last written per record is remembered and unchanged values are skipped;
 * an event gets at most one Task.
 *
 * TODO(analytics): period returns (MTD/QTD/YTD/1Y/3Y to FinServ__Performance*__c or Account
 * fields) once the analytics feature stores computed returns (engine/src/features/analytics/
 * README.md did not exist when this was written); only AUM is written back today.
 */
import crypto from 'node:crypto';
import type { Connection } from '@jsforce/jsforce-node';
import type { Queryable } from '../../db/client.js';
import { COLLECTION_LIMIT, updateRecords, withRetry, type RecordResult, type RetryOptions } from '../../connectors/salesforce/index.js';
import type { SalesforceSettings } from './salesforce-settings.js';

export interface WriteBackResult {
  target: 'account' | 'fsc';
  considered: number;
  unchanged: number;
  written: number;
  failed: number;
  errors: { id: string; errorCode: string; message: string }[];
  tasks?: { considered: number; created: number; failed: number };
}

const hash = (payload: unknown) => crypto.createHash('sha1').update(JSON.stringify(payload)).digest('hex');

/** A decimal string as a JSON number for Salesforce currency fields (exact for amounts below 2^53 paise). */
const money = (v: string) => Number(v);

interface Pending {
  id: string;
  payload: Record<string, unknown>;
}

async function pushUpdates(sql: Queryable, conn: Connection, sobject: string, all: Pending[], retry: RetryOptions | undefined, out: WriteBackResult) {
  out.considered += all.length;
  const state = await sql<{ record_id: string; payload_hash: string }[]>`
    select record_id, payload_hash from sf_write_back_state where sobject = ${sobject}`;
  const last = new Map(state.map((s) => [s.record_id, s.payload_hash]));
  const changed = all.filter((p) => last.get(p.id) !== hash(p.payload));
  out.unchanged += all.length - changed.length;
  const results: RecordResult[] = await updateRecords(
    conn,
    sobject,
    changed.map((p) => ({ Id: p.id, ...p.payload })),
    { retry, lockRetryDelayMs: 200 },
  );
  const ok: Pending[] = [];
  results.forEach((r, i) => {
    if (r.success) ok.push(changed[i]!);
    else if (out.errors.length < 20) out.errors.push({ id: r.id, errorCode: r.errors[0]?.errorCode ?? 'UNKNOWN', message: r.errors[0]?.message ?? '' });
  });
  out.written += ok.length;
  out.failed += changed.length - ok.length;
  for (let i = 0; i < ok.length; i += 1000) {
    const chunk = ok.slice(i, i + 1000);
    await sql`
      insert into sf_write_back_state ${sql(chunk.map((p) => ({ sobject, record_id: p.id, payload_hash: hash(p.payload), payload: JSON.stringify(p.payload) })))}
      on conflict (sobject, record_id) do update set payload_hash = excluded.payload_hash, payload = excluded.payload, written_at = now()`;
  }
}

/** Write computed values back to Salesforce as configured. */
export async function writeBack(sql: Queryable, conn: Connection, settings: SalesforceSettings, options: { retry?: RetryOptions; asOf?: string } = {}): Promise<WriteBackResult> {
  const wb = settings.writeBack;
  const out: WriteBackResult = { target: wb.target, considered: 0, unchanged: 0, written: 0, failed: 0, errors: [] };
  if (wb.target === 'account') {
    const { aum, aumAsOf } = wb.accountFields;
    if (!aum && !aumAsOf) throw new Error('writeBack.accountFields names no field (config/salesforce.json)');
    const rows = await sql<{ account_id: string; aum: string; as_of: string | null }[]>`
      select c.salesforce_account_id as account_id, coalesce(sum(v.market_value), 0)::text as aum, max(v.valuation_date)::text as as_of
      from clients c
      join sf_accounts a on a.id = c.salesforce_account_id and not a.is_deleted
      left join portfolios p on p.client_id = c.id
      left join lateral (select market_value, valuation_date from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
      group by c.salesforce_account_id
      order by c.salesforce_account_id`;
    const pending = rows.map((r) => ({
      id: r.account_id,
      payload: { ...(aum ? { [aum]: money(r.aum) } : {}), ...(aumAsOf ? { [aumAsOf]: r.as_of } : {}) },
    }));
    await pushUpdates(sql, conn, 'Account', pending, options.retry, out);
  } else {
    const rows = await sql<{ id: string; sobject: string; balance: string }[]>`
      select f.id, f.sobject, v.market_value::text as balance
      from sf_financial_accounts f
      join portfolios p on p.portfolio_code = f.source_system_id
      join lateral (select market_value from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
      where not f.is_deleted
      order by f.id`;
    for (const sobject of [...new Set(rows.map((r) => r.sobject))]) {
      const field = sobject === 'FinancialAccount' ? 'CurrentValue' : 'FinServ__Balance__c';
      const pending = rows.filter((r) => r.sobject === sobject && wb.fscFields.balance).map((r) => ({ id: r.id, payload: { [field]: money(r.balance) } }));
      await pushUpdates(sql, conn, sobject, pending, options.retry, out);
    }
  }
  if (wb.tasks.enabled) out.tasks = await createWithdrawalTasks(sql, conn, settings, options);
  return out;
}

interface RawSaveResult {
  id?: string | null;
  success: boolean;
  errors: { statusCode?: string; message: string }[];
}

/** One Task per large withdrawal (capital flow at or below −threshold in the look-back window), for the Account owner. */
async function createWithdrawalTasks(sql: Queryable, conn: Connection, settings: SalesforceSettings, options: { retry?: RetryOptions; asOf?: string }) {
  const t = settings.writeBack.tasks;
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const events = await sql<{ event_key: string; account_id: string; owner_id: string | null; portfolio_code: string; flow_date: string; amount: string; client_name: string }[]>`
    select 'withdrawal:' || p.portfolio_code || ':' || f.source_key as event_key, a.id as account_id, a.owner_id,
           p.portfolio_code, f.flow_date::text as flow_date, f.amount::text as amount, c.name as client_name
    from capital_flows f
    join portfolios p on p.id = f.portfolio_id
    join clients c on c.id = p.client_id
    join sf_accounts a on a.id = c.salesforce_account_id and not a.is_deleted
    where f.amount <= -(${t.largeWithdrawalAmount}::numeric)
      and f.flow_date > ${asOf}::date - ${t.lookbackDays}::int and f.flow_date <= ${asOf}::date
      and not exists (select 1 from sf_event_tasks e where e.event_key = 'withdrawal:' || p.portfolio_code || ':' || f.source_key)
    order by f.flow_date, p.portfolio_code, f.source_key`;
  const result = { considered: events.length, created: 0, failed: 0 };
  for (let i = 0; i < events.length; i += COLLECTION_LIMIT) {
    const chunk = events.slice(i, i + COLLECTION_LIMIT);
    const records = chunk.map((e) => ({
      attributes: { type: 'Task' },
      Subject: `${t.subjectPrefix}: large withdrawal from ${e.portfolio_code}`,
      Description: `Withdrawal of ₹${e.amount.replace(/^-/, '')} on ${e.flow_date} from portfolio ${e.portfolio_code} (${e.client_name}).`,
      WhatId: e.account_id,
      ...(e.owner_id ? { OwnerId: e.owner_id } : {}),
      ActivityDate: asOf,
      Status: 'Not Started',
      Priority: 'High',
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
    const created = chunk.flatMap((e, j) => (raw[j]?.success && raw[j]?.id ? [{ event_key: e.event_key, task_id: raw[j]!.id!, account_id: e.account_id, owner_id: e.owner_id, subject: records[j]!.Subject }] : []));
    if (created.length) await sql`insert into sf_event_tasks ${sql(created)} on conflict (event_key) do nothing`;
    result.created += created.length;
    result.failed += chunk.length - created.length;
  }
  return result;
}
