import crypto from 'node:crypto';
import type { Queryable } from '../../db/client.js';
import type { RowProblem } from '../../lib/errors.js';
import type { ImportKind, ImportMapping } from '../../connectors/wealth-spectrum/mapping.js';
import type { NormalizedRecord } from '../../connectors/wealth-spectrum/normalize-rows.js';
import type { Env } from '../../env.js';
import { SALESFORCE_FILE_KINDS } from '../salesforce/file-import.js';
import { mergeRows, type MergeCounts } from './merge-rows.js';
import { parsePeriodLabel } from '../../analytics/periods/period-label.js';
import { feePlansImport } from '../compliance/fee-plans-import.js';

/** Per-file state for derived fields (occurrence counters for rows without a reference). */
export interface DeriveContext {
  mapping: ImportMapping;
  occurrences: Map<string, number>;
}

export type { MergeCounts } from './merge-rows.js';

/** What a merge may need beyond its rows: where configuration lives. */
export interface MergeContext {
  env: Pick<Env, 'CONFIG_DIR' | 'SALESFORCE_CONFIG_FILE'>;
}

export interface KindHandler {
  /** Fields computed from a row, added after the mapped fields in the staging table. */
  derived: string[];
  /** Adds derived fields; returns a message (for `column`) when the row is invalid. */
  derive?(r: NormalizedRecord, ctx: DeriveContext): { field: string; message: string } | undefined;
  /** Checks against the database (unknown codes…), reported with row numbers. */
  references?(tx: Queryable, stg: string): Promise<RowProblem[]>;
  merge(tx: Queryable, stg: string, runId: number, present: Set<string>, ctx: MergeContext): Promise<MergeCounts>;
}

/** Stable key for a row: its reference number, or a content hash numbered by occurrence. */
function sourceKey(ref: string | null, parts: (string | null)[], ctx: DeriveContext): string {
  if (ref) return `REF:${ref}`;
  const h = crypto.createHash('sha1').update(parts.join('\u001f')).digest('base64url').slice(0, 22);
  const n = (ctx.occurrences.get(h) ?? 0) + 1;
  ctx.occurrences.set(h, n);
  return `H:${h}#${n}`;
}

function securityKey(isin: string | null | undefined, name: string | null | undefined): string | null {
  if (isin) return isin;
  return name ? `NAME:${name.toUpperCase().replace(/\s+/g, ' ')}` : null;
}

async function unknownCodes(tx: Queryable, stg: string, field: string, table: string, col: string, label: string): Promise<RowProblem[]> {
  const rows = await tx.unsafe<{ row_no: number; v: string }[]>(
    `select s.row_no, s.${field} as v from ${stg} s
     where s.${field} is not null and not exists (select 1 from ${table} x where x.${col} = s.${field})
     order by s.row_no limit 100`,
  );
  return rows.map((r) => ({ row: r.row_no, column: null, columnName: field, value: r.v, message: `unknown ${label} "${r.v}"` }));
}

const pct = (field: string) => `(s.${field}::numeric / 100)`;

// Wealth Spectrum's own performance figures (fact sheet / performance report), reconciled by the analytics feature.
const reportedPerformance: KindHandler = {
  derived: ['period_key'],
  derive(r) {
    if (r.period) {
      const period = parsePeriodLabel(r.period);
      if (period === null) return { field: 'period', message: `unknown period "${r.period}" (MTD, QTD, YTD, FYTD, 1M, 3M, 6M, 1Y, 2Y, 3Y, 5Y, Since Inception; or leave it blank and give from_date)` };
      r.period = period;
      r.period_key = period;
    } else {
      if (!r.from_date) return { field: 'from_date', message: 'give either a period or a from_date' };
      if (r.from_date >= r.to_date!) return { field: 'from_date', message: 'from_date must be before to_date' };
      r.period = 'CUSTOM';
      r.period_key = `CUSTOM:${r.from_date}`;
    }
    return undefined;
  },
  references: (tx, stg) => unknownCodes(tx, stg, 'ws_account_code', 'portfolios', 'portfolio_code', 'portfolio (account) code'),
  merge: (tx, stg, runId, present) =>
    mergeRows(tx, {
      table: 'reported_performance',
      key: ['portfolio_id', 'to_date', 'period_key'],
      columns: [
        { col: 'portfolio_id', expr: 'p.id' },
        { col: 'to_date', expr: 's.to_date::date' },
        { col: 'period_key', expr: 's.period_key' },
        { col: 'period', expr: 's.period' },
        { col: 'from_date', expr: 's.from_date::date', field: 'from_date' },
        { col: 'reported_twrr', expr: '(s.twrr_pct::numeric / 100)::float8' },
        { col: 'reported_benchmark_twrr', expr: '(s.benchmark_twrr_pct::numeric / 100)::float8', field: 'benchmark_twrr_pct' },
        { col: 'import_run_id', expr: `${runId}`, compare: false },
      ],
      from: `${stg} s join portfolios p on p.portfolio_code = s.ws_account_code`,
      present,
    }),
};

export const KIND_HANDLERS: Record<ImportKind, KindHandler> = {
  'benchmark-values': {
    derived: [],
    derive: (r) => (r.value !== null && Number(r.value) <= 0 ? { field: 'value', message: 'an index value must be positive' } : undefined),
    references: (tx, stg) => unknownCodes(tx, stg, 'index_code', 'indices', 'code', 'index code (see config/benchmarks.json)'),
    merge: (tx, stg, _runId, present) =>
      mergeRows(tx, {
          table: 'index_values',
          key: ['index_code', 'value_date'],
          columns: [
            { col: 'index_code', expr: 's.index_code' },
            { col: 'value_date', expr: 's.date::date' },
            { col: 'value', expr: 's.value::numeric', field: 'value' },
          ],
          from: `${stg} s`,
          present,
        }),
  },

  'relationship-managers': {
    derived: [],
    derive: (r) => (r.manager_code && r.manager_code === r.rm_code ? { field: 'manager_code', message: 'an RM cannot manage themselves' } : undefined),
    async references(tx, stg) {
      const rows = await tx.unsafe<{ row_no: number; v: string }[]>(
        `select s.row_no, s.manager_code as v from ${stg} s
         where s.manager_code is not null
           and not exists (select 1 from ${stg} m where m.rm_code = s.manager_code)
           and not exists (select 1 from relationship_managers m where m.rm_code = s.manager_code)
         order by s.row_no limit 100`,
      );
      return rows.map((r) => ({ row: r.row_no, column: null, columnName: 'manager_code', value: r.v, message: `unknown manager RM code "${r.v}"` }));
    },
    async merge(tx, stg, _runId, present) {
      const created = await tx.unsafe<{ rm_code: string }[]>(
        `insert into relationship_managers (rm_code, name) select rm_code, rm_name from ${stg} order by rm_code
         on conflict (rm_code) do nothing returning rm_code`,
      );
      const fresh = new Set(created.map((r) => r.rm_code));
      const sets = [
        ['name', 's.rm_name', 'rm_name'],
        ['email', 's.email', 'email'],
        ['city', 's.city', 'city'],
        ['salesforce_user_id', 's.salesforce_user_id', 'salesforce_user_id'],
        ['manager_id', '(select m.id from relationship_managers m where m.rm_code = s.manager_code)', 'manager_code'],
      ].filter(([, , f]) => present.has(f!));
      const changed = await tx.unsafe<{ rm_code: string }[]>(
        `update relationship_managers t set ${sets.map(([c, e]) => `${c} = ${e}`).join(', ')}, updated_at = now()
         from ${stg} s where t.rm_code = s.rm_code
           and (${sets.map(([c]) => `t.${c}`).join(', ')}) is distinct from (${sets.map(([, e]) => e).join(', ')})
         returning t.rm_code`,
      );
      return { inserted: fresh.size, updated: changed.filter((r) => !fresh.has(r.rm_code)).length };
    },
  },

  clients: {
    derived: [],
    async references(tx, stg) {
      const rows = await tx.unsafe<{ row_no: number; v: string }[]>(
        `select s.row_no, s.rm_code as v from ${stg} s
         where s.rm_name is null and not exists (select 1 from relationship_managers m where m.rm_code = s.rm_code)
         order by s.row_no limit 100`,
      );
      return rows.map((r) => ({ row: r.row_no, column: null, columnName: 'rm_code', value: r.v, message: `unknown RM code "${r.v}" (add it to the RM master or give rm_name)` }));
    },
    async merge(tx, stg, _runId, present) {
      // RMs named only in the client master are created from code and name; the RM master fills the rest.
      await tx.unsafe(
        `insert into relationship_managers (rm_code, name)
         select distinct on (rm_code) rm_code, rm_name from ${stg} where rm_name is not null order by rm_code, row_no
         on conflict (rm_code) do nothing`,
      );
      return mergeRows(tx, {
          table: 'clients',
          key: ['client_code'],
          columns: [
            { col: 'client_code', expr: 's.client_code' },
            { col: 'name', expr: 's.client_name', field: 'client_name' },
            { col: 'pan', expr: 's.pan', field: 'pan' },
            { col: 'rm_id', expr: 'rm.id', field: 'rm_code' },
            { col: 'risk_profile', expr: 's.risk_profile', field: 'risk_profile' },
            { col: 'city', expr: 's.city', field: 'city' },
            { col: 'state', expr: 's.state', field: 'state' },
            { col: 'email', expr: 's.email', field: 'email' },
            { col: 'onboarding_date', expr: 's.onboarding_date::date', field: 'onboarding_date' },
            { col: 'status', expr: "coalesce(s.status, 'Active')", field: 'status' },
            { col: 'salesforce_account_id', expr: 's.salesforce_account_id', field: 'salesforce_account_id' },
            { col: 'updated_at', expr: 'now()', compare: false },
          ],
          from: `${stg} s left join relationship_managers rm on rm.rm_code = s.rm_code`,
          present,
        });
    },
  },

  portfolios: {
    derived: [],
    async references(tx, stg) {
      return [
        ...(await unknownCodes(tx, stg, 'client_code', 'clients', 'client_code', 'client code')),
        ...(await unknownCodes(tx, stg, 'strategy_code', 'strategies', 'code', 'strategy code (see config/strategies.json)')),
      ].sort((a, b) => a.row - b.row);
    },
    merge: (tx, stg, _runId, present) =>
      mergeRows(tx, {
          table: 'portfolios',
          key: ['portfolio_code'],
          columns: [
            { col: 'portfolio_code', expr: 's.portfolio_code' },
            { col: 'client_id', expr: 'c.id', field: 'client_code' },
            { col: 'strategy_id', expr: 'st.id', field: 'strategy_code' },
            { col: 'inception_date', expr: 's.inception_date::date', field: 'inception_date' },
            { col: 'status', expr: "coalesce(s.status, 'Active')", field: 'status' },
            { col: 'closed_date', expr: 's.closed_date::date', field: 'closed_date' },
            { col: 'management_fee_rate', expr: pct('management_fee_pct'), field: 'management_fee_pct' },
            { col: 'performance_fee_rate', expr: pct('performance_fee_pct'), field: 'performance_fee_pct' },
            { col: 'hurdle_rate', expr: pct('hurdle_pct'), field: 'hurdle_pct' },
            { col: 'updated_at', expr: 'now()', compare: false },
          ],
          from: `${stg} s join clients c on c.client_code = s.client_code join strategies st on st.code = s.strategy_code`,
          present,
        }),
  },

  transactions: {
    derived: ['classification', 'source_key', 'security_key'],
    derive(r, ctx) {
      const code = r.tran_type!;
      let cls = ctx.mapping.codeClass.get(code)!;
      if (r.descmemo && ctx.mapping.internalMemoRules.some((rule) => rule.codes.has(code) && rule.pattern.test(r.descmemo!))) cls = 'internal';
      r.classification = cls;
      r.security_key = securityKey(r.isin, r.security_name);
      r.source_key = sourceKey(r.txn_ref_no ?? null, [r.trandate!, code, r.security_key, r.qty ?? null, r.rate ?? null, r.net_amount!, r.descmemo ?? null], ctx);
      return undefined;
    },
    references: (tx, stg) => unknownCodes(tx, stg, 'ws_account_code', 'portfolios', 'portfolio_code', 'portfolio (account) code'),
    async merge(tx, stg, runId, present) {
      await upsertSecurities(tx, stg, false);
      return mergeRows(tx, {
          table: 'transactions',
          key: ['portfolio_id', 'source_key'],
          columns: [
            { col: 'portfolio_id', expr: 'p.id' },
            { col: 'source_key', expr: 's.source_key' },
            { col: 'trade_date', expr: 's.trandate::date' },
            { col: 'settlement_date', expr: 's.set_date::date', field: 'set_date' },
            { col: 'type_code', expr: 's.tran_type' },
            { col: 'classification', expr: 's.classification' },
            { col: 'description', expr: 's.tran_desc', field: 'tran_desc' },
            { col: 'security_id', expr: 'sec.id' },
            { col: 'quantity', expr: 's.qty::numeric', field: 'qty' },
            { col: 'rate', expr: 's.rate::numeric', field: 'rate' },
            { col: 'net_amount', expr: 's.net_amount::numeric' },
            { col: 'brokerage', expr: 's.brokerage::numeric', field: 'brokerage' },
            { col: 'stt', expr: 's.stt::numeric', field: 'stt' },
            { col: 'service_tax', expr: 's.servicetax::numeric', field: 'servicetax' },
            { col: 'total_fees', expr: 's.total_trxnfee::numeric', field: 'total_trxnfee' },
            { col: 'reference', expr: 's.txn_ref_no', field: 'txn_ref_no' },
            { col: 'memo', expr: 's.descmemo', field: 'descmemo' },
            { col: 'import_run_id', expr: `${runId}`, compare: false },
          ],
          from: `${stg} s join portfolios p on p.portfolio_code = s.ws_account_code left join securities sec on sec.security_key = s.security_key`,
          present,
        });
    },
  },

  'capital-flows': {
    derived: ['classification', 'source_key'],
    derive(r, ctx) {
      const cls = ctx.mapping.codeClass.get(r.flow_type!);
      if (cls !== 'flow_in' && cls !== 'flow_out') return { field: 'flow_type', message: `"${r.flow_type}" is not a corpus inflow or outflow code` };
      r.classification = cls;
      const abs = r.amount!.replace(/^-/, '');
      r.amount = cls === 'flow_in' ? abs : `-${abs}`;
      r.source_key = sourceKey(r.ref_no ?? null, [r.flow_date!, r.flow_type!, r.amount], ctx);
      return undefined;
    },
    references: (tx, stg) => unknownCodes(tx, stg, 'ws_account_code', 'portfolios', 'portfolio_code', 'portfolio (account) code'),
    merge: (tx, stg, runId, present) =>
      mergeRows(tx, {
          table: 'capital_flows',
          key: ['portfolio_id', 'source_key'],
          columns: [
            { col: 'portfolio_id', expr: 'p.id' },
            { col: 'source_key', expr: 's.source_key' },
            { col: 'flow_date', expr: 's.flow_date::date' },
            { col: 'type_code', expr: 's.flow_type' },
            { col: 'amount', expr: 's.amount::numeric' },
            { col: 'mode', expr: "coalesce(s.mode, 'Cash')", field: 'mode' },
            { col: 'reference', expr: 's.ref_no', field: 'ref_no' },
            { col: 'remarks', expr: 's.remarks', field: 'remarks' },
            { col: 'import_run_id', expr: `${runId}`, compare: false },
          ],
          from: `${stg} s join portfolios p on p.portfolio_code = s.ws_account_code`,
          present,
        }),
  },

  holdings: {
    derived: ['security_key'],
    derive(r) {
      r.security_key = securityKey(r.isin, r.security_name);
      return undefined;
    },
    references: (tx, stg) => unknownCodes(tx, stg, 'ws_account_code', 'portfolios', 'portfolio_code', 'portfolio (account) code'),
    async merge(tx, stg, runId, present) {
      await upsertSecurities(tx, stg, true);
      const counts = await mergeRows(tx, {
          table: 'holdings',
          key: ['portfolio_id', 'as_of_date', 'security_id'],
          columns: [
            { col: 'portfolio_id', expr: 'p.id' },
            { col: 'as_of_date', expr: 's.as_on_date::date' },
            { col: 'security_id', expr: 'sec.id' },
            { col: 'quantity', expr: 's.quantity::numeric' },
            { col: 'avg_cost', expr: 's.avg_cost::numeric', field: 'avg_cost' },
            { col: 'market_price', expr: 's.market_price::numeric', field: 'market_price' },
            { col: 'market_value', expr: 's.market_value::numeric' },
            { col: 'import_run_id', expr: `${runId}`, compare: false },
          ],
          from: `${stg} s join portfolios p on p.portfolio_code = s.ws_account_code join securities sec on sec.security_key = s.security_key`,
          present,
        });
      // A snapshot is whole: a security missing from a re-exported snapshot is no longer held.
      const removed = await tx.unsafe(
        `delete from holdings h using portfolios p
         where h.portfolio_id = p.id
           and exists (select 1 from ${stg} s where s.ws_account_code = p.portfolio_code and s.as_on_date::date = h.as_of_date)
           and not exists (select 1 from ${stg} s join securities sec on sec.security_key = s.security_key
                           where s.ws_account_code = p.portfolio_code and s.as_on_date::date = h.as_of_date and sec.id = h.security_id)`,
      );
      return { inserted: counts.inserted, updated: counts.updated + removed.count };
    },
  },

  valuations: {
    derived: [],
    derive: (r) => (r.market_value !== null && r.market_value!.startsWith('-') ? { field: 'market_value', message: 'a portfolio value cannot be negative' } : undefined),
    references: (tx, stg) => unknownCodes(tx, stg, 'ws_account_code', 'portfolios', 'portfolio_code', 'portfolio (account) code'),
    merge: (tx, stg, runId, present) =>
      mergeRows(tx, {
          table: 'valuations',
          key: ['portfolio_id', 'valuation_date'],
          columns: [
            { col: 'portfolio_id', expr: 'p.id' },
            { col: 'valuation_date', expr: 's.valuation_date::date' },
            { col: 'market_value', expr: 's.market_value::numeric' },
            { col: 'cash_balance', expr: 's.cash_balance::numeric', field: 'cash_balance' },
            { col: 'import_run_id', expr: `${runId}`, compare: false },
          ],
          from: `${stg} s join portfolios p on p.portfolio_code = s.ws_account_code`,
          present,
        }),
  },

  'reported-performance': reportedPerformance,
  'fee-plans': feePlansImport,
  ...SALESFORCE_FILE_KINDS,
};

async function upsertSecurities(tx: Queryable, stg: string, withClassification: boolean): Promise<void> {
  const extra = withClassification ? ', asset_class, sector' : '';
  const update = withClassification
    ? `do update set asset_class = coalesce(excluded.asset_class, securities.asset_class), sector = coalesce(excluded.sector, securities.sector)
       where (securities.asset_class, securities.sector) is distinct from (coalesce(excluded.asset_class, securities.asset_class), coalesce(excluded.sector, securities.sector))`
    : 'do nothing';
  await tx.unsafe(
    `insert into securities (security_key, isin, name${extra})
     select distinct on (security_key) security_key, isin, security_name${extra} from ${stg}
     where security_key is not null order by security_key, row_no
     on conflict (security_key) ${update}`,
  );
}
