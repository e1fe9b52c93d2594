/**
 * Reconciliation of Salesforce with our book (Wealth Spectrum data): links RMs to Salesforce users
 * and clients to Accounts (client code first, then PAN; only unambiguous one-to-one matches),
 * then records every mismatch as a reconciliation item. Items keep their resolution while the
 * condition lasts: an ignored item stays ignored on the next sync; a linked pair is matched by
 * its link from then on. An item whose condition disappears is marked 'cleared' and reopened if
 * it comes back.
 */
import type { Queryable } from '../../db/client.js';

export interface ReconcileOptions {
  runId: number | null;
  /** "Today" for stale-data checks (ISO date). */
  asOf: string;
  aumTolerancePct: number;
  /** Differences at or below this amount (₹, decimal string) are never reported. */
  aumToleranceAmount: string;
  staleAfterDays: number;
  /** Sum FSC financial-account balances when the Account carries no AUM field value. */
  useFinancialAccounts: boolean;
}

export interface ReconcileResult {
  rmsLinked: number;
  linkedByCode: number;
  linkedByPan: number;
  open: number;
  found: Record<string, number>;
  cleared: number;
}

/** Link RMs to Salesforce users by the configured RM-code field or e-mail (one-to-one only). */
async function linkRms(sql: Queryable): Promise<number> {
  const rows = await sql<{ id: number }[]>`
    with cand as (
      select rm.id as rm_id, u.id as user_id
      from relationship_managers rm
      join sf_users u on not u.is_deleted
        and ((u.rm_code is not null and u.rm_code = rm.rm_code) or (u.email is not null and lower(u.email) = lower(rm.email)))
      where rm.salesforce_user_id is null
        and not exists (select 1 from relationship_managers r2 where r2.salesforce_user_id = u.id)),
    counted as (
      select *, count(*) over (partition by rm_id) as per_rm, count(*) over (partition by user_id) as per_user from cand)
    update relationship_managers rm set salesforce_user_id = c.user_id, updated_at = now()
    from counted c where rm.id = c.rm_id and c.per_rm = 1 and c.per_user = 1
    returning rm.id`;
  return rows.length;
}

/** Link unlinked clients to unlinked live Accounts where `on` matches exactly one on each side. */
async function linkClients(sql: Queryable, on: 'client_code' | 'pan'): Promise<number> {
  const rows = await sql.unsafe<{ id: number }[]>(
    `with cand as (
       select a.id as account_id, c.id as client_id
       from sf_accounts a join clients c on c.${on} = a.${on}
       where not a.is_deleted and a.${on} is not null and c.salesforce_account_id is null
         and not exists (select 1 from clients c2 where c2.salesforce_account_id = a.id)),
     counted as (
       select *, count(*) over (partition by client_id) as per_client, count(*) over (partition by account_id) as per_account from cand)
     update clients c set salesforce_account_id = x.account_id
     from counted x where c.id = x.client_id and x.per_client = 1 and x.per_account = 1
     returning c.id`,
  );
  return rows.length;
}

/** Recompute links and the reconciliation queue. Call inside a transaction. */
export async function reconcile(sql: Queryable, o: ReconcileOptions): Promise<ReconcileResult> {
  const rmsLinked = await linkRms(sql);
  const linkedByCode = await linkClients(sql, 'client_code');
  const linkedByPan = await linkClients(sql, 'pan');
  const seenAt = new Date();
  const staleBefore = new Date(Date.parse(`${o.asOf}T00:00:00Z`) - o.staleAfterDays * 86_400_000).toISOString().slice(0, 10);
  const found = await sql.unsafe<{ kind: string; n: number }[]>(
    `with
     live as (select * from sf_accounts where not is_deleted),
     ours as (
       select c.id as client_id, sum(v.market_value) as aum, max(v.valuation_date) as as_of
       from clients c join portfolios p on p.client_id = c.id
       join lateral (select market_value, valuation_date from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
       group by c.id),
     fa as (
       select coalesce(ca.id, pc.client_id) as client_id, f.balance
       from sf_financial_accounts f
       left join clients ca on ca.salesforce_account_id = f.primary_owner_id
       left join portfolios pc on f.primary_owner_id is null and pc.portfolio_code = f.source_system_id
       where not f.is_deleted and f.balance is not null and $6::boolean),
     fa_sum as (select client_id, sum(balance) as aum from fa where client_id is not null group by client_id),
     pairs as (
       select c.id as client_id, c.client_code, c.name as client_name, c.rm_id, a.id as account_id, a.name as account_name, a.owner_id,
              a.aum_as_of, coalesce(a.aum, fs.aum) as sf_aum, case when a.aum is not null then 'account' else 'financial-accounts' end as sf_aum_source
       from clients c join live a on a.id = c.salesforce_account_id
       left join fa_sum fs on fs.client_id = c.id),
     findings as (
       select 'unmatched_salesforce_account' as kind, a.id as subject_key, null::int as client_id, a.id as account_id,
         jsonb_build_object('accountName', a.name, 'clientCode', a.client_code, 'ownerId', a.owner_id,
           'reason', case
             when a.client_code is null and a.pan is null then 'the Account has no client code and no PAN'
             when exists (select 1 from live d where d.id <> a.id and d.client_code = a.client_code) then 'another Account has the same client code'
             when exists (select 1 from clients c where c.client_code = a.client_code) then 'the client with this code is linked to another Account'
             else 'no client with this client code or PAN' end) as details
       from live a where not exists (select 1 from clients c where c.salesforce_account_id = a.id)
       union all
       select 'unmatched_client', c.client_code, c.id, null,
         jsonb_build_object('clientName', c.name, 'clientCode', c.client_code,
           'reason', case when c.salesforce_account_id is null then 'no Account with this client code or PAN' else 'the linked Account was deleted in Salesforce' end)
       from clients c
       where c.status = 'Active' and (c.salesforce_account_id is null or not exists (select 1 from live a where a.id = c.salesforce_account_id))
       union all
       select 'rm_mismatch', p.client_code, p.client_id, p.account_id,
         jsonb_build_object('clientName', p.client_name,
           'ourRm', jsonb_build_object('code', rm.rm_code, 'name', rm.name, 'salesforceUserId', rm.salesforce_user_id),
           'salesforceOwner', jsonb_build_object('id', p.owner_id, 'name', u.name, 'rmCode', orm.rm_code))
       from pairs p join relationship_managers rm on rm.id = p.rm_id
       left join sf_users u on u.id = p.owner_id
       left join relationship_managers orm on orm.salesforce_user_id = p.owner_id
       where orm.id is distinct from rm.id
       union all
       select 'aum_difference', p.client_code, p.client_id, p.account_id,
         jsonb_build_object('clientName', p.client_name, 'salesforceAum', p.sf_aum::text, 'salesforceAumSource', p.sf_aum_source,
           'ourAum', coalesce(o.aum, 0)::text, 'ourAsOf', o.as_of::text, 'difference', (p.sf_aum - coalesce(o.aum, 0))::text)
       from pairs p left join ours o on o.client_id = p.client_id
       where p.sf_aum is not null
         and abs(p.sf_aum - coalesce(o.aum, 0)) > greatest($3::numeric, abs(coalesce(o.aum, 0)) * $4::numeric / 100)
       union all
       select 'stale_data', 'valuations:' || p.client_code, p.client_id, p.account_id,
         jsonb_build_object('clientName', p.client_name, 'source', 'valuations', 'asOf', o.as_of::text, 'staleBefore', $5::text)
       from pairs p join ours o on o.client_id = p.client_id
       where o.as_of < $5::date
       union all
       select 'stale_data', 'salesforce:' || p.client_code, p.client_id, p.account_id,
         jsonb_build_object('clientName', p.client_name, 'source', 'salesforce', 'asOf', p.aum_as_of::text, 'staleBefore', $5::text)
       from pairs p where p.aum_as_of < $5::date),
     up as (
       insert into reconciliation_items (kind, subject_key, client_id, salesforce_account_id, details, first_seen_at, last_seen_at, last_run_id)
       select kind, subject_key, client_id, account_id, details, $1, $1, $2 from findings
       on conflict (kind, subject_key) do update set
         client_id = excluded.client_id, salesforce_account_id = excluded.salesforce_account_id, details = excluded.details,
         last_seen_at = excluded.last_seen_at, last_run_id = coalesce(excluded.last_run_id, reconciliation_items.last_run_id),
         status = case when reconciliation_items.status in ('cleared', 'linked') then 'open' else reconciliation_items.status end,
         resolution_reason = case when reconciliation_items.status in ('cleared', 'linked') then null else reconciliation_items.resolution_reason end,
         resolved_by = case when reconciliation_items.status in ('cleared', 'linked') then null else reconciliation_items.resolved_by end,
         resolved_at = case when reconciliation_items.status in ('cleared', 'linked') then null else reconciliation_items.resolved_at end
       returning kind)
     select kind, count(*)::int as n from up group by kind`,
    [seenAt, o.runId, o.aumToleranceAmount, String(o.aumTolerancePct), staleBefore, o.useFinancialAccounts],
  );
  const cleared = await sql<{ id: number }[]>`
    update reconciliation_items set status = 'cleared'
    where status in ('open', 'ignored') and last_seen_at < ${seenAt}
    returning id`;
  const [open] = await sql<{ n: number }[]>`select count(*)::int as n from reconciliation_items where status = 'open'`;
  return {
    rmsLinked,
    linkedByCode,
    linkedByPan,
    open: open!.n,
    found: Object.fromEntries(found.map((r) => [r.kind, r.n])),
    cleared: cleared.length,
  };
}
