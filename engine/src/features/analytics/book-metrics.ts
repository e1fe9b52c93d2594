import type { Queryable, Sql, TransactionSql } from '../../db/client.js';
import { DAYS_PER_YEAR, NAMED_PERIODS, periodRange, riskFreePerDay, xirrOfDays, XirrError } from '../../analytics/index.js';
import { fromDayNumber, toDayNumber } from '../../analytics/shared/iso-date.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import { readRows } from './bulk-read.js';
import { paiseToDecimal, TableStream, writeRows, type Columns, type Row } from './bulk-write.js';
import { computePeriodMetrics, type PeriodRow, type SeriesPoint } from './period-metrics.js';
import { MONTH_READ_COLUMNS, monthRowOf, monthStart, SeriesState, type BenchmarkDays, type MonthRow, type SeriesCheckpoint } from './series-state.js';
import { entityKey, type EntityFlows, type Finals, type FlowList, type StoreKind } from './series-store.js';

interface EntityRow {
  entity_type: string;
  entity_id: number;
  benchmark_id: number | null;
  inception_date: string | null;
  first_date: string | null;
  as_of: string | null;
  /** Day number of the first month this run rewrote for the entity. */
  recomputed_from: number;
}

const METRIC_COLUMNS: Columns = [
  ['entity_type', 'text'], ['entity_id', 'int'], ['period', 'text'], ['as_of', 'date'], ['from_date', 'date'], ['to_date', 'date'],
  ['days', 'int'], ['twrr', 'float8'], ['twrr_annualized', 'float8'], ['reported_return', 'float8'], ['xirr', 'float8'],
  ['benchmark_id', 'int'], ['benchmark_return', 'float8'], ['benchmark_annualized', 'float8'], ['benchmark_reported', 'float8'],
  ['excess_return', 'float8'], ['observations', 'int'], ['annual_volatility', 'float8'], ['sharpe', 'float8'], ['sortino', 'float8'],
  ['downside_risk', 'float8'], ['beta', 'float8'], ['alpha', 'float8'], ['tracking_error', 'float8'], ['information_ratio', 'float8'],
  ['max_drawdown', 'float8'], ['risk_free_annual', 'float8'], ['opening_value', 'paise'], ['closing_value', 'paise'], ['net_flows', 'paise'],
  ['method', 'text'],
];

/**
 * Metric snapshots for the standard periods of every entity in dirty_entities. A period closes at the entity's last
 * row (its state in `finals`, left by the series step); it opens at the last row on or before its start: the stored
 * month holding that date (or the last month before it), its checkpoint replayed up to the date. Those months are
 * fetched in one pass; benchmarks' log growth (a few thousand rows) is looked up in memory; rows go back with COPY.
 */
export async function computeMetrics(
  tx: TransactionSql,
  kind: StoreKind,
  finals: Finals,
  benches: Map<number, BenchmarkDays>,
  method: string,
  opts: {
    /** Opening states the caller already has (the full build records them as it goes), by entity and day. */
    openings?: Map<string, Map<number, SeriesCheckpoint | null>>;
    /**
     * A second connection (PostgreSQL, incremental runs): the months before each entity's recomputed ones are as
     * committed, so they are fetched there while this transaction takes the metric rows as they are made.
     */
    reader?: Sql | null;
    /** Every touched entity's flows when the caller has them (the full build, which just wrote them). */
    flows?: EntityFlows;
  } = {},
): Promise<number> {
  const { openings, reader } = opts;
  const entities = await tx<EntityRow[]>`
    select e.entity_type, e.entity_id, e.benchmark_id, e.inception_date::text, e.first_date::text, e.as_of::text,
           date_trunc('month', d.from_date)::date - date '1970-01-01' as recomputed_from
    from analytics_entities e join dirty_entities d on d.entity_type = e.entity_type and d.entity_id = e.entity_id`;
  // Deleted, not truncated, even when every entity is touched: TRUNCATE would lock readers out of the table until the
  // run commits (dashboards would stall for the seconds the metrics take); DELETE lets them read the old figures.
  await tx`delete from analytics_metrics m using dirty_entities d where m.entity_type = d.entity_type and m.entity_id = d.entity_id`;
  const rf = await tx<{ valid_from: string; annual_yield: string }[]>`select valid_from::text, annual_yield::text from risk_free_rates order by valid_from`;
  const yieldAt = (date: string) => {
    const i = lastIndexAtOrBefore(rf, date, (r) => r.valid_from);
    return i < 0 ? 0 : Number(rf[i]!.annual_yield);
  };

  // A client with a single portfolio has that portfolio's series (the same values, flows, benchmark and inception): its
  // figures are the portfolio's, copied rather than computed twice.
  const byKey = new Map(entities.map((e) => [entityKey(e.entity_type, e.entity_id), e]));
  const twinsOf = new Map<string, number[]>();
  const twins = new Set<string>();
  for (const { client, portfolio } of await tx<{ client: number; portfolio: number }[]>`
    select gm.entity_id as client, min(gm.member_id) as portfolio from analytics_group_members gm
    join dirty_entities d on d.entity_type = 'client' and d.entity_id = gm.entity_id
    where gm.entity_type = 'client' group by gm.entity_id having count(*) = 1`) {
    const c = byKey.get(entityKey('client', client));
    const p = byKey.get(entityKey('portfolio', portfolio));
    const same = c && p && c.benchmark_id === p.benchmark_id && c.inception_date === p.inception_date && c.first_date === p.first_date && c.as_of === p.as_of;
    if (!same) continue;
    twins.add(entityKey('client', client));
    twinsOf.set(entityKey('portfolio', portfolio), [...(twinsOf.get(entityKey('portfolio', portfolio)) ?? []), client]);
  }

  // The periods of each entity, and the stored months their opening points are in: months this run rewrote come from
  // this transaction, earlier ones (unchanged) from the reader when there is one.
  const work = new Map<string, { e: EntityRow; specs: PeriodSpan[]; pending: number }>();
  const wanted = new Map<string, [string, number, number]>();
  const early = new Map<string, [string, number, number]>();
  for (const e of entities) {
    const key = entityKey(e.entity_type, e.entity_id);
    if (!e.as_of || !e.inception_date || twins.has(key)) continue;
    const w = { e, specs: periodRanges(e.as_of, e.inception_date), pending: 0 };
    work.set(key, w);
    const want = (day: number) => {
      const m = monthStart(day);
      const k = `${key}:${m}`;
      if (wanted.has(k) || early.has(k)) return;
      (reader && m < e.recomputed_from ? early : wanted).set(k, [e.entity_type, e.entity_id, m]);
      if (reader && m < e.recomputed_from) w.pending++;
    };
    if (!finals.has(key)) want(toDayNumber(e.as_of));
    const known = openings?.get(key);
    for (const r of w.specs) {
      // Before the first row there is no opening state to look up (SI opens at zero).
      if (e.first_date !== null && r.from >= e.first_date && !known?.has(toDayNumber(r.from))) want(toDayNumber(r.from));
    }
  }
  if (!work.size) return 0;

  const months = new Map<string, MonthRow>();
  await monthsAtOrBefore(tx, kind, [...wanted.values()], (want, row) => months.set(`${row.type}:${row.id}:${want}`, row));
  const benchDaysOf = (e: EntityRow) => (e.benchmark_id === null ? undefined : benches.get(e.benchmark_id));
  /** The entity's state after its last row on or before `day`, or null when it has none. */
  const stateAt = (e: EntityRow, day: number): SeriesCheckpoint | null => {
    const known = openings?.get(entityKey(e.entity_type, e.entity_id))?.get(day);
    if (known !== undefined) return known;
    const row = months.get(`${e.entity_type}:${e.entity_id}:${monthStart(day)}`);
    if (!row) return null;
    const s = new SeriesState(row.c, benchDaysOf(e)).replay(row, day);
    return s.date === null ? null : s;
  };

  /** The benchmark's last row on or before `date` (its date and log growth). */
  const benchSeen = new Map<string, { date: string; lg: number } | null>();
  const benchAt = (id: number | null, date: string): { date: string; lg: number } | null => {
    const k = `${id}:${date}`;
    let hit = benchSeen.get(k);
    if (hit === undefined) {
      hit = null;
      const b = id === null ? undefined : benches.get(id);
      for (let i = b ? Math.min(toDayNumber(date) - b.first, b.lg.length - 1) : -1; i >= 0; i--) {
        if (Number.isNaN(b!.lg[i]!)) continue;
        hit = { date: fromDayNumber(b!.first + i), lg: b!.lg[i]! };
        break;
      }
      benchSeen.set(k, hit);
    }
    return hit;
  };

  // Flows of the touched entities, for XIRR. Amounts in paise (exact integers as doubles): summed without decimal arithmetic.
  const flows = opts.flows ?? (await touchedFlows(tx, kind));

  const out = new TableStream(tx, kind, 'analytics_metrics', METRIC_COLUMNS);
  let written = 0;
  const computeEntity = (key: string) => {
    const w = work.get(key)!;
    const e = w.e;
    const end: SeriesCheckpoint | null = finals.get(key) ?? stateAt(e, toDayNumber(e.as_of!));
    const closing = end && end.date !== null ? pointOf(end) : null;
    for (const s of w.specs) {
      const base = e.first_date !== null && s.from >= e.first_date ? stateAt(e, toDayNumber(s.from)) : null;
      const bb = benchAt(e.benchmark_id, s.from);
      const be = benchAt(e.benchmark_id, s.to);
      const row: PeriodRow = {
        entity_type: e.entity_type,
        entity_id: e.entity_id,
        period: s.period,
        from_date: s.from,
        to_date: s.to,
        days: s.days,
        benchmark_id: e.benchmark_id,
        inception_date: e.inception_date!,
        base: base && pointOf(base),
        end: closing,
        bench_from: bb?.lg ?? null,
        bench_from_date: bb?.date ?? null,
        bench_to: be?.lg ?? null,
        bench_to_date: be?.date ?? null,
      };
      const computed = metricRow(row, base, end!, flows.get(key));
      if (!computed) continue;
      out.row(computed);
      written++;
      for (const client of twinsOf.get(key) ?? []) {
        out.repeatLast(['client', client]);
        written++;
      }
    }
    work.delete(key);
  };
  await out.complete(async () => {
    for (const [key, w] of work) {
      if (w.pending !== 0) continue;
      computeEntity(key);
      await out.pump();
    }
    if (early.size) {
      // A reserved connection has no begin(): its own transaction by hand (the lookup keys' temporary table lives in it).
      await reader!.unsafe('begin');
      try {
        await monthsAtOrBefore(
          reader!,
          kind,
          [...early.values()],
          (want, row) => {
            const key = entityKey(row.type, row.id);
            months.set(`${key}:${want}`, row);
            const w = work.get(key);
            if (w && --w.pending === 0) computeEntity(key);
          },
          () => out.pump(),
        );
      } finally {
        await reader!.unsafe('rollback');
      }
    }
    // Entities with a wanted month that has no row at or before it (their opening is null).
    for (const key of [...work.keys()]) computeEntity(key);
  });
  return written;

  /** A period's row; `base` and `end`: the opening and closing states (values in paise). */
  function metricRow(row: PeriodRow, base: SeriesCheckpoint | null, end: SeriesCheckpoint, entityFlows: FlowList | undefined): Row | null {
    if (!row.end?.date) return null;
    const rfAnnual = yieldAt(row.to_date);
    const m = computePeriodMetrics(row, riskFreePerDay(rfAnnual));
    if (m === null) return null;
    // The flows after the opening row, up to the closing row.
    const lo = entityFlows && base?.date != null ? lastIndexAtOrBefore(entityFlows.days, base.date, (d) => d) + 1 : 0;
    const hi = entityFlows ? lastIndexAtOrBefore(entityFlows.days, end.date!, (d) => d) + 1 : 0;
    let net = 0;
    for (let i = lo; i < hi; i++) net += entityFlows!.paise[i]!;
    return [
      row.entity_type, row.entity_id, row.period, row.to_date, row.from_date, row.to_date, row.days, m.twrr, m.twrr_annualized,
      m.reported_return, periodXirr(row, entityFlows, lo, hi), row.benchmark_id, m.benchmark_return, m.benchmark_annualized, m.benchmark_reported,
      m.excess_return, m.observations, m.annual_volatility, m.sharpe, m.sortino, m.downside_risk, m.beta, m.alpha, m.tracking_error,
      m.information_ratio, m.max_drawdown, rfAnnual, base?.value ?? 0, end.value, net, method,
    ];
  }
}

/** The flows of the entities in dirty_entities, as stored. */
async function touchedFlows(tx: TransactionSql, kind: StoreKind): Promise<EntityFlows> {
  const flows: EntityFlows = new Map();
  await readRows(
    tx,
    kind,
    `select f.entity_type, f.entity_id, f.value_date, f.amount from analytics_flows f
     join dirty_entities d on d.entity_type = f.entity_type and d.entity_id = f.entity_id
     order by f.entity_type, f.entity_id, f.value_date`,
    [['entity_type', 'text'], ['entity_id', 'int'], ['value_date', 'date'], ['amount', 'paise']],
    (cells) => {
      const k = entityKey(cells[0] as string, cells[1] as number);
      let list = flows.get(k);
      if (!list) flows.set(k, (list = { days: [], paise: [] }));
      list.days.push(cells[2] as number);
      list.paise.push(cells[3] as number);
    },
  );
  return flows;
}

interface PeriodSpan {
  period: string;
  from: string;
  to: string;
  days: number;
}

/** Entities share as-of dates and inceptions: each pair's complete named periods are worked out once. */
const rangeCache = new Map<string, PeriodSpan[]>();
function periodRanges(asOf: string, inception: string): PeriodSpan[] {
  const k = `${asOf}:${inception}`;
  let ranges = rangeCache.get(k);
  if (!ranges) {
    if (rangeCache.size > 50_000) rangeCache.clear();
    ranges = [];
    for (const p of NAMED_PERIODS) {
      const range = periodRange(p, asOf, inception);
      if (range?.complete) ranges.push({ period: p, from: range.from, to: range.to, days: range.days });
    }
    rangeCache.set(k, ranges);
  }
  return ranges;
}

/** The days whose closing state opens a standard period of an entity with this as-of date and inception. */
export function openingDays(asOf: number, inception: string): number[] {
  return [...new Set(periodRanges(fromDayNumber(asOf), inception).map((r) => toDayNumber(r.from)))].sort((a, b) => a - b);
}

function pointOf(s: SeriesCheckpoint): SeriesPoint {
  return {
    date: fromDayNumber(s.date!),
    value: paiseToDecimal(s.value),
    log_growth: s.lg,
    n: s.n,
    s_r: s.s_r,
    s_r2: s.s_r2,
    s_dn2: s.s_dn2,
    pn: s.pn,
    s_pr: s.s_pr,
    s_pr2: s.s_pr2,
    s_b: s.s_b,
    s_b2: s.s_b2,
    s_rb: s.s_rb,
    max_drawdown: s.mdd,
  };
}

/**
 * For each (entity, month): the entity's stored month of that month, else its last one before it, given to `onRow` with
 * the month asked for. `q` is a transaction (the lookup keys go through a temporary table).
 */
async function monthsAtOrBefore(
  q: Queryable,
  kind: StoreKind,
  wanted: [string, number, number][],
  onRow: (want: number, row: MonthRow) => void,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  if (!wanted.length) return;
  await q.unsafe(`drop table if exists metric_months`);
  await q.unsafe(`create temp table metric_months (entity_type text, entity_id integer, month date) on commit drop`);
  const fill = async (list: [string, number, number][]) => {
    await writeRows(q, kind, 'metric_months', [['entity_type', 'text'], ['entity_id', 'int'], ['month', 'date']], list);
    await q.unsafe(`analyze metric_months`);
  };
  // Nearly every entity has a row in the month itself: an equality probe each (cheaper than a backward scan with a
  // limit), then the last month before it for the few that have none.
  await fill(wanted);
  const found = new Set<string>();
  await readRows(
    q,
    kind,
    `select x.* from metric_months q
     join analytics_series_months x on x.entity_type = q.entity_type and x.entity_id = q.entity_id and x.month = q.month`,
    MONTH_READ_COLUMNS,
    (cells) => {
      const row = monthRowOf(cells);
      found.add(`${row.type}:${row.id}:${row.month}`);
      onRow(row.month, row);
    },
    afterChunk,
  );
  const missing = wanted.filter(([type, id, month]) => !found.has(`${type}:${id}:${month}`));
  if (!missing.length) return;
  await q.unsafe(`truncate metric_months`);
  await fill(missing);
  await readRows(
    q,
    kind,
    `select q.month as want, m.* from metric_months q
     cross join lateral (select * from analytics_series_months x where x.entity_type = q.entity_type and x.entity_id = q.entity_id and x.month < q.month
                         order by x.month desc limit 1) m`,
    [['want', 'date'], ...MONTH_READ_COLUMNS],
    (cells) => onRow(cells[0] as number, monthRowOf(cells, 1)),
    afterChunk,
  );
}

/**
 * XIRR over a period from the investor's side: the opening value invested at the base date, each external flow on its
 * valuation date (corpus in = paid by the client, negative), the closing value received at the end. The entity's flows
 * [lo, hi) are those after the opening row, up to the closing row.
 */
function periodXirr(row: PeriodRow, flows: FlowList | undefined, lo: number, hi: number): number | null {
  const end = row.end!;
  // Without flows in between, the rate solving opening → closing is (closing / opening)^(365 / days) − 1 exactly.
  if (hi <= lo && row.base && Number(row.base.value) > 0 && Number(end.value) > 0 && end.date > row.from_date) {
    const days = toDayNumber(end.date) - toDayNumber(row.from_date);
    const rate = Math.pow(Number(end.value) / Number(row.base.value), DAYS_PER_YEAR / days) - 1;
    if (Number.isFinite(rate)) return rate;
  }
  const opening = row.base && Number(row.base.value) !== 0 ? 1 : 0;
  const days = new Float64Array(opening + hi - lo + 1);
  const amounts = new Float64Array(days.length);
  if (opening) {
    days[0] = toDayNumber(row.from_date);
    amounts[0] = -Number(row.base!.value);
  }
  for (let i = lo; i < hi; i++) {
    days[opening + i - lo] = flows!.days[i]!;
    amounts[opening + i - lo] = -flows!.paise[i]! / 100;
  }
  days[days.length - 1] = toDayNumber(end.date);
  amounts[days.length - 1] = Number(end.value);
  try {
    return xirrOfDays(days, amounts);
  } catch (err) {
    if (err instanceof XirrError) return null;
    throw err;
  }
}
