import type { Queryable, Sql, TransactionSql } from '../../db/client.js';
import { DAYS_PER_YEAR, NAMED_PERIODS, periodRange, riskFreePerDay, xirrOfDays, XirrError } from '../../analytics/index.js';
import { fromDayNumber, toDayNumber } from '../../analytics/shared/iso-date.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import { readRows } from './bulk-read.js';
import { TableStream, writeTempTable, type Columns } from './bulk-write.js';
import { periodStats } from './period-metrics.js';
import { MONTH_READ_COLUMNS, monthRowOf, monthStart, SeriesState, START, type BenchmarkDays, type MonthRow, type SeriesCheckpoint } from './series-state.js';
import { entityKey, type EntityFlows, type Finals, type FlowList, type StoreKind } from './series-store.js';

interface EntityRow {
  entity_type: string;
  entity_id: number;
  benchmark_id: number | null;
  /** Day numbers (days since 1970-01-01). */
  inception: number | null;
  first: number | null;
  as_of: number | null;
  /** Day number of the first month this run rewrote for the entity. */
  recomputed_from: number;
}

/**
 * The states an entity waits for: after its last row on or before each of `days`, looked up in the stored months
 * (`months[i]`: the month `days[i]` is in; NaN once its month has come).
 */
export interface OpeningLookup {
  bench: BenchmarkDays | undefined;
  days: number[];
  months: number[];
  /** States by day: those at hand, and those replayed from the months as they come. */
  known: Map<number, SeriesCheckpoint | null>;
}

/** One entity's metric work: its periods and their opening lookups. */
interface Work extends OpeningLookup {
  key: string;
  e: EntityRow;
  specs: PeriodDays[];
  /** Months still to come from the reader. */
  pending: number;
}

const METRIC_COLUMNS: Columns = [
  ['entity_type', 'text'], ['entity_id', 'int'], ['period', 'text'], ['as_of', 'date'], ['from_date', 'date'], ['to_date', 'date'],
  ['days', 'int'], ['twrr', 'float8'], ['twrr_annualized', 'float8'], ['reported_return', 'float8'], ['xirr', 'float8'],
  ['benchmark_id', 'int'], ['benchmark_return', 'float8'], ['benchmark_annualized', 'float8'], ['benchmark_reported', 'float8'],
  ['excess_return', 'float8'], ['observations', 'int'], ['annual_volatility', 'float8'], ['sharpe', 'float8'], ['sortino', 'float8'],
  ['downside_risk', 'float8'], ['beta', 'float8'], ['alpha', 'float8'], ['tracking_error', 'float8'], ['information_ratio', 'float8'],
  ['max_drawdown', 'float8'], ['risk_free_annual', 'float8'], ['opening_value', 'paise'], ['closing_value', 'paise'], ['net_flows', 'paise'],
  ['method_id', 'int'],
];

/**
 * Metric snapshots for the standard periods of every entity in dirty_entities. A period closes at the entity's last
 * row (its state in `finals`, left by the series step); it opens at the last row on or before its start: the stored
 * month holding that date (or the last month before it), its checkpoint replayed up to the date. Those months are
 * fetched in one pass; benchmarks' log growth (a few thousand rows) is looked up in memory; rows go back with COPY.
 * Runs once per row of a 200 k-row book: day numbers and paise throughout, no per-row strings or caches.
 */
export async function computeMetrics(
  tx: TransactionSql,
  kind: StoreKind,
  finals: Finals,
  benches: Map<number, BenchmarkDays>,
  method: string,
  opts: {
    /**
     * Opening states the caller has (the full build records them as it goes), by entity and day; or will have (an
     * incremental run's OpeningPrefetch: awaited once this transaction's own preparation is done).
     */
    openings?: Map<string, Map<number, SeriesCheckpoint | null>> | Promise<Map<string, Map<number, SeriesCheckpoint | null>>>;
    /**
     * A second connection (PostgreSQL, incremental runs): the months before each entity's recomputed ones are as
     * committed, so they are fetched there while this transaction takes the metric rows as they are made.
     */
    reader?: Sql | null;
    /** Every touched entity's flows when the caller has them (the full build, which just wrote them). */
    flows?: EntityFlows;
    /** The caller emptied analytics_metrics_stored in this transaction (the full build): rows go in frozen. */
    freeze?: boolean;
  } = {},
): Promise<number> {
  const { reader } = opts;
  const entities = await tx<EntityRow[]>`
    select e.entity_type, e.entity_id, e.benchmark_id, e.inception_date - date '1970-01-01' as inception,
           e.first_date - date '1970-01-01' as first, e.as_of - date '1970-01-01' as as_of,
           date_trunc('month', d.from_date)::date - date '1970-01-01' as recomputed_from
    from analytics_entities e join dirty_entities d on d.entity_type = e.entity_type and d.entity_id = e.entity_id
    -- A single portfolio's client reads its figures through to the portfolio's (analytics_metrics): none of its own.
    where e.twin_of is null
    -- Key order, months ascending below: the opening months are probed in index order (twice as fast as at random).
    order by e.entity_type, e.entity_id`;
  // Deleted, not truncated, even when every entity is touched: TRUNCATE would lock readers out of the table until the
  // run commits (dashboards would stall for the seconds the metrics take); DELETE lets them read the old figures.
  await tx`delete from analytics_metrics_stored m using dirty_entities d where m.entity_type = d.entity_type and m.entity_id = d.entity_id`;
  // The upsert always returns its row (do update, not do nothing).
  const methodId = (
    await tx<{ id: number }[]>`
      insert into analytics_methods (method) values (${method}) on conflict (method) do update set method = excluded.method returning id`
  )[0]!.id;
  const rates = await tx<{ valid_from: number; annual_yield: string }[]>`
    select valid_from - date '1970-01-01' as valid_from, annual_yield::text from risk_free_rates order by valid_from`;
  let rf = { day: NaN, annual: 0, perDay: 0 };
  const riskFreeOn = (day: number) => {
    if (rf.day !== day) {
      const i = lastIndexAtOrBefore(rates, day, (r) => r.valid_from);
      const annual = i < 0 ? 0 : Number(rates[i]!.annual_yield);
      rf = { day, annual, perDay: riskFreePerDay(annual) };
    }
    return rf;
  };

  // Flows of the touched entities, for XIRR. Amounts in paise (exact integers as doubles): summed without decimal arithmetic.
  const flows = opts.flows ?? (await touchedFlows(tx, kind));
  const openings = await opts.openings;

  // The periods of each entity, and the stored months their opening points are in: months this run rewrote come from
  // this transaction, earlier ones (unchanged) from the reader when there is one.
  // Entities still to compute, by type and id.
  const byType = new Map<string, Map<number, Work>>();
  const workOf = (type: string, id: number) => byType.get(type)?.get(id);
  const remaining = () => [...byType.values()].flatMap((ids) => [...ids.values()]);
  const wanted: [string, number, number][] = [];
  const early: [string, number, number][] = [];
  for (const e of entities) {
    const key = entityKey(e.entity_type, e.entity_id);
    if (e.as_of === null || e.inception === null) continue;
    const w: Work = {
      key,
      e,
      bench: e.benchmark_id === null ? undefined : benches.get(e.benchmark_id),
      specs: periodRanges(e.as_of, e.inception),
      known: openings?.get(key) ?? new Map(),
      days: [],
      months: [],
      pending: 0,
    };
    let ids = byType.get(e.entity_type);
    if (!ids) byType.set(e.entity_type, (ids = new Map()));
    ids.set(e.entity_id, w);
    const want = (day: number) => {
      if (w.known.has(day) || w.days.includes(day)) return;
      w.days.push(day);
      w.months.push(monthStart(day));
    };
    if (!finals.has(key)) want(e.as_of);
    for (const r of w.specs) {
      // Before the first row there is no opening state to look up (SI opens at zero).
      if (e.first !== null && r.from >= e.first) want(r.from);
    }
    for (const m of [...new Set(w.months)].sort((a, b) => a - b)) {
      if (reader && m < e.recomputed_from) {
        early.push([e.entity_type, e.entity_id, m]);
        w.pending++;
      } else wanted.push([e.entity_type, e.entity_id, m]);
    }
  }
  if (!byType.size) return 0;

  /** One state for replaying months (each replay is used up before the next). */
  const scratch = new SeriesState(START, undefined);
  const arrived = (want: number, row: MonthRow): Work | undefined => {
    const w = workOf(row.type, row.id);
    if (w) replayOpenings(scratch, w, want, row);
    return w;
  };
  const received = (t: string, id: number, m: number) => {
    const w = workOf(t, id);
    return !w || !w.months.includes(m);
  };
  await monthsAtOrBefore(tx, kind, wanted, arrived, received);
  /** The entity's state after its last row on or before `day`, or null when it has none. */
  const stateAt = (w: Work, day: number): SeriesCheckpoint | null => w.known.get(day) ?? null;

  const out = new TableStream(tx, kind, 'analytics_metrics_stored', METRIC_COLUMNS, { freeze: opts.freeze === true });
  let written = 0;
  const computeEntity = (w: Work) => {
    const e = w.e;
    const end: SeriesCheckpoint | null = finals.get(w.key) ?? stateAt(w, e.as_of!);
    if (end === null || end.date === null) return done(w);
    const entityFlows = flows.get(w.key);
    for (const s of w.specs) {
      const base = e.first !== null && s.from >= e.first ? stateAt(w, s.from) : null;
      const benchFrom = benchIndexAtOrBefore(w.bench, s.from);
      const benchTo = benchIndexAtOrBefore(w.bench, s.to);
      const rate = riskFreeOn(s.to);
      const m = periodStats(
        {
          period: s.period,
          from: s.from,
          inception: e.inception!,
          days: s.days,
          base,
          end,
          benchFrom: benchFrom < 0 ? null : w.bench!.lg[benchFrom]!,
          benchFromDay: benchFrom < 0 ? null : w.bench!.first + benchFrom,
          benchTo: benchTo < 0 ? null : w.bench!.lg[benchTo]!,
          benchToDay: benchTo < 0 ? null : w.bench!.first + benchTo,
        },
        rate.perDay,
      );
      if (m === null) continue;
      // The flows after the opening row, up to the closing row.
      const lo = entityFlows && base?.date != null ? lastIndexAtOrBefore(entityFlows.days, base.date, (d) => d) + 1 : 0;
      const hi = entityFlows ? lastIndexAtOrBefore(entityFlows.days, end.date, (d) => d) + 1 : 0;
      let net = 0;
      for (let i = lo; i < hi; i++) net += entityFlows!.paise[i]!;
      out.row([
        e.entity_type, e.entity_id, s.period, s.to, s.from, s.to, s.days, m.twrr, m.twrr_annualized, m.reported_return,
        periodXirr(s.from, base, end, entityFlows, lo, hi), e.benchmark_id, m.benchmark_return, m.benchmark_annualized, m.benchmark_reported,
        m.excess_return, m.observations, m.annual_volatility, m.sharpe, m.sortino, m.downside_risk, m.beta, m.alpha, m.tracking_error,
        m.information_ratio, m.max_drawdown, rate.annual, base?.value ?? 0, end.value, net, methodId,
      ]);
      written++;
    }
    done(w);
  };
  const done = (w: Work) => {
    byType.get(w.e.entity_type)!.delete(w.e.entity_id);
  };
  await out.complete(async () => {
    for (const w of remaining()) {
      if (w.pending !== 0) continue;
      computeEntity(w);
      await out.pump();
    }
    if (early.length) {
      // A reserved connection has no begin(): its own transaction by hand (the lookup keys' temporary table lives in it).
      await reader!.unsafe('begin');
      try {
        await monthsAtOrBefore(
          reader!,
          kind,
          early,
          (want, row) => {
            const w = arrived(want, row);
            if (w && --w.pending === 0) computeEntity(w);
          },
          received,
          () => out.pump(),
        );
      } finally {
        await reader!.unsafe('rollback');
      }
    }
    // Entities with a wanted month that has no row at or before it (their opening is null).
    for (const w of remaining()) computeEntity(w);
  });
  return written;
}

/**
 * A month has come for an entity's days in the month `want` (it is that month, or the entity's last one before it): the
 * states after each of those days, replayed at once into `known` (the month's arrays are the reader's, reused for its
 * next row).
 */
export function replayOpenings(scratch: SeriesState, lookup: OpeningLookup, want: number, row: MonthRow): void {
  const { days, months } = lookup;
  for (let i = 0; i < days.length; i++) {
    if (months[i] !== want) continue;
    scratch.reset(row.c, lookup.bench).replay(row, days[i]!);
    lookup.known.set(days[i]!, scratch.date === null ? null : scratch.snapshot());
    months[i] = NaN;
  }
}

/** The index of the benchmark's last row on or before `day` (its day is first + index), −1 when none. */
function benchIndexAtOrBefore(b: BenchmarkDays | undefined, day: number): number {
  if (!b) return -1;
  for (let i = Math.min(day - b.first, b.lg.length - 1); i >= 0; i--) if (!Number.isNaN(b.lg[i]!)) return i;
  return -1;
}

/** The flows of the entities in dirty_entities, as stored. */
async function touchedFlows(tx: TransactionSql, kind: StoreKind): Promise<EntityFlows> {
  const flows: EntityFlows = new Map();
  let type = '';
  let id = NaN;
  let list: FlowList = { days: [], paise: [] };
  await readRows(
    tx,
    kind,
    `select f.entity_type, f.entity_id, f.value_date, f.amount from analytics_flows f
     join dirty_entities d on d.entity_type = f.entity_type and d.entity_id = f.entity_id
     order by f.entity_type, f.entity_id, f.value_date`,
    [['entity_type', 'text'], ['entity_id', 'int'], ['value_date', 'date'], ['amount', 'paise']],
    (cells) => {
      // Rows come entity by entity.
      if (cells[1] !== id || cells[0] !== type) {
        type = cells[0] as string;
        id = cells[1] as number;
        flows.set(entityKey(type, id), (list = { days: [], paise: [] }));
      }
      list.days.push(cells[2] as number);
      list.paise.push(cells[3] as number);
    },
  );
  return flows;
}

/** A complete named period over day numbers. */
interface PeriodDays {
  period: string;
  from: number;
  to: number;
  days: number;
}

/** Entities share as-of dates and inceptions: each pair's complete named periods are worked out once. */
const rangeCache = new Map<string, PeriodDays[]>();
function periodRanges(asOf: number, inception: number): PeriodDays[] {
  const k = `${asOf}:${inception}`;
  let ranges = rangeCache.get(k);
  if (!ranges) {
    if (rangeCache.size > 50_000) rangeCache.clear();
    ranges = [];
    for (const p of NAMED_PERIODS) {
      const range = periodRange(p, fromDayNumber(asOf), fromDayNumber(inception));
      if (range?.complete) ranges.push({ period: p, from: toDayNumber(range.from), to: toDayNumber(range.to), days: range.days });
    }
    rangeCache.set(k, ranges);
  }
  return ranges;
}

/** The days whose closing state opens a standard period of an entity with this as-of date and inception. */
export function openingDays(asOf: number, inception: string): readonly number[] {
  const k = `${asOf}:${inception}`;
  let days = openingCache.get(k);
  if (!days) {
    if (openingCache.size > 50_000) openingCache.clear();
    days = [...new Set(periodRanges(asOf, toDayNumber(inception)).map((r) => r.from))].sort((a, b) => a - b);
    openingCache.set(k, days);
  }
  return days;
}
const openingCache = new Map<string, number[]>();

/**
 * For each (entity, month): the entity's stored month of that month, else its last one before it, given to `onRow` with
 * the month asked for (its arrays are reused for the next row: use them up in `onRow`). `received(type, id, month)`
 * tells whether a month has come (or is no longer needed). `q` is a transaction (the lookup keys go through a temporary
 * table).
 */
export async function monthsAtOrBefore(
  q: Queryable,
  kind: StoreKind,
  wanted: [string, number, number][],
  onRow: (want: number, row: MonthRow) => void,
  received: (type: string, id: number, month: number) => boolean,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  if (!wanted.length) return;
  const fill = (list: [string, number, number][]) =>
    writeTempTable(q, kind, 'metric_months', [['entity_type', 'text'], ['entity_id', 'int'], ['month', 'date']], list, { analyze: true });
  // Nearly every entity has a row in the month itself: an equality probe each (cheaper than a backward scan with a
  // limit), then the last month before it for the few that have none.
  await fill(wanted);
  await readRows(
    q,
    kind,
    `select x.* from metric_months q
     join analytics_series_months x on x.entity_type = q.entity_type and x.entity_id = q.entity_id and x.month = q.month`,
    MONTH_READ_COLUMNS,
    (cells) => {
      const row = monthRowOf(cells);
      onRow(row.month, row);
    },
    { afterChunk, reuseArrays: true },
  );
  const missing = wanted.filter(([type, id, month]) => !received(type, id, month));
  if (!missing.length) return;
  await fill(missing);
  await readRows(
    q,
    kind,
    `select q.month as want, m.* from metric_months q
     cross join lateral (select * from analytics_series_months x where x.entity_type = q.entity_type and x.entity_id = q.entity_id and x.month < q.month
                         order by x.month desc limit 1) m`,
    [['want', 'date'], ...MONTH_READ_COLUMNS],
    (cells) => onRow(cells[0] as number, monthRowOf(cells, 1)),
    { afterChunk, reuseArrays: true },
  );
}

/**
 * XIRR over a period from the investor's side: the opening value invested at the period's start, each external flow on
 * its valuation date (corpus in = paid by the client, negative), the closing value received at the end. The entity's
 * flows [lo, hi) are those after the opening row, up to the closing row. Values in paise (rupees = paise / 100, the
 * same double as the decimal string's).
 */
function periodXirr(from: number, base: SeriesCheckpoint | null, end: SeriesCheckpoint, flows: FlowList | undefined, lo: number, hi: number): number | null {
  const opening = base ? base.value / 100 : 0;
  const closing = end.value / 100;
  // Without flows in between, the rate solving opening → closing is (closing / opening)^(365 / days) − 1 exactly.
  if (hi <= lo && opening > 0 && closing > 0 && end.date! > from) {
    const rate = Math.pow(closing / opening, DAYS_PER_YEAR / (end.date! - from)) - 1;
    if (Number.isFinite(rate)) return rate;
  }
  const first = opening !== 0 ? 1 : 0;
  const days = new Float64Array(first + hi - lo + 1);
  const amounts = new Float64Array(days.length);
  if (first) {
    days[0] = from;
    amounts[0] = -opening;
  }
  for (let i = lo; i < hi; i++) {
    days[first + i - lo] = flows!.days[i]!;
    amounts[first + i - lo] = -flows!.paise[i]! / 100;
  }
  days[days.length - 1] = end.date!;
  amounts[days.length - 1] = closing;
  try {
    return xirrOfDays(days, amounts);
  } catch (err) {
    if (err instanceof XirrError) return null;
    throw err;
  }
}
