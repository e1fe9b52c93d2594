import type { TransactionSql } from '../../db/client.js';
import { fromDayNumber } from '../../analytics/shared/iso-date.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import { readRows, type ReadColumns } from './bulk-read.js';
import { writeTempTable } from './bulk-write.js';
import { MONTH_READ_COLUMNS, MonthPacker, monthRowOf, SeriesState, START, type BenchmarkDays, type MonthRow, type SeriesCheckpoint } from './series-state.js';
import { entityKey, saveEntities, SeriesWriter, type ComputedEntity, type Finals, type StoreKind } from './series-store.js';

interface Work {
  type: string;
  id: number;
  benchmarkId: number | null;
  inception: string | null;
  /** First day of the first month recomputed. */
  from: number;
  /** The state the recompute continues from. */
  c: SeriesCheckpoint;
  /** First row's day when the entity keeps earlier rows. */
  keptFirst: number | null;
}

/**
 * Recomputes the series of the entities in the work table `aw` (entity_type, entity_id, from_date, benchmark_id) of one
 * level, in whole months: each entity's months from the one holding its from_date are replaced, continuing from the
 * checkpoint of that month (or the end of the last month before it). Portfolios read their valuations and external
 * flows (a flow counts on the first valuation on or after its date); aggregates pool their members' months (already
 * recomputed: levels go bottom up; those this run computed from memory, `recent`, the rest as stored). `inceptions` is
 * SQL of (group_id, inception) pairs covering the level's entities in `aw` (joined once, set-wise: a correlated lookup
 * per entity cost 1.7 ms for each RM).
 */
export async function recomputeLevel(
  tx: TransactionSql,
  kind: StoreKind,
  level: string,
  inceptions: string,
  benches: Map<number, BenchmarkDays>,
  method: string,
  finals: Finals,
  recent: RecentMonths,
): Promise<{ rows: number; recomputed: RecomputedEntity[] }> {
  const work = await loadWork(tx, kind, inceptions, benches);
  if (!work.length) return { rows: 0, recomputed: [] };
  if (level === 'portfolio') {
    // Each portfolio's last kept row (its flows after it are recomputed), for portfolioInputs.
    await writeTempTable(tx, kind, 'kept_rows', [['portfolio_id', 'int'], ['c_date', 'date']], work.map((w) => [w.id, w.c.date]), { analyze: true });
  }
  // The rows to replace, found with one index probe per entity and deleted by ctid (a join would scan the whole table).
  await tx.unsafe(`delete from analytics_series_months where ctid = any(array(
                     select m.ctid from aw cross join lateral (select ctid from analytics_series_months m
                       where m.entity_type = aw.entity_type and m.entity_id = aw.entity_id and m.month >= date_trunc('month', aw.from_date) offset 0) m))`);
  await tx.unsafe(`delete from analytics_flows where ctid = any(array(
                     select f.ctid from aw cross join lateral (select ctid from analytics_flows f
                       where f.entity_type = aw.entity_type and f.entity_id = aw.entity_id and f.value_date >= date_trunc('month', aw.from_date) offset 0) f))`);

  const inputs = level === 'portfolio' ? await portfolioInputs(tx, kind) : await pooledInputs(tx, kind, work, recent);
  const writer = new SeriesWriter(tx, kind);
  const computed: RecomputedEntity[] = [];
  await writer.complete(async () => {
    for (const w of work) {
      const days = inputs.get(entityKey(w.type, w.id));
      const kept: MonthRow[] = [];
      let keep = true;
      const packer = new MonthPacker(w.type, w.id, w.c, w.benchmarkId === null ? undefined : benches.get(w.benchmarkId), (m) => {
        writer.month(m);
        if (keep && kept.length < KEEP_MONTHS) kept.push(copyOfMonth(m));
        else keep = false;
      });
      if (days) {
        let value = w.c.value;
        for (let i = 0; i < days.day.length; i++) {
          value = days.absolute ? days.value[i]! : value + days.value[i]!;
          packer.add(days.day[i]!, value, days.flow[i]!);
        }
      }
      packer.finish();
      if (keep) recent.set(entityKey(w.type, w.id), { from: w.from, rows: kept });
      else recent.delete(entityKey(w.type, w.id));
      const last = packer.state.snapshot();
      finals.set(entityKey(w.type, w.id), last);
      computed.push({
        type: w.type,
        id: w.id,
        benchmarkId: w.benchmarkId,
        inception: w.inception,
        first: w.c.date === null ? packer.first : w.keptFirst,
        last,
        from: w.from,
        c: w.c,
      });
      await writer.pump();
    }
  });
  await saveEntities(tx, kind, method, computed);
  return { rows: writer.rows, recomputed: computed };
}

/** An entity recomputed by recomputeLevel, in key order: what it saved, and the first day of the first month it rewrote. */
export interface RecomputedEntity extends ComputedEntity {
  from: number;
  /** The state the recompute continued from: after the entity's last row before `from`. */
  c: SeriesCheckpoint;
}

/**
 * The months this run recomputed, by entity (key `type:id`): every month from the first recomputed one (`from`, its
 * first day) on. The level above pools its members' months from here instead of reading back what was just written.
 */
export type RecentMonths = Map<string, { from: number; rows: MonthRow[] }>;

/** An entity's recomputed months are kept only when few: a back-dated recompute's are read back instead. */
const KEEP_MONTHS = 3;

/** A packed month that outlives its packer (which reuses the arrays for its next month). */
function copyOfMonth(m: MonthRow): MonthRow {
  return { ...m, c: { ...m.c }, value: m.value.slice(0, m.len), flow: m.flow.slice(0, m.len) };
}

const WORK_COLUMNS: ReadColumns = [
  ['aw_type', 'text'], ['aw_id', 'int'], ['aw_benchmark', 'int'], ['aw_inception', 'date'], ['aw_from', 'date'], ['aw_first', 'date'],
  ...MONTH_READ_COLUMNS,
];

/** Each entity of `aw`: where its recompute starts and the state it continues from. */
async function loadWork(tx: TransactionSql, kind: StoreKind, inceptions: string, benches: Map<number, BenchmarkDays>): Promise<Work[]> {
  const work: Work[] = [];
  await readRows(
    tx,
    kind,
    `select aw.entity_type as aw_type, aw.entity_id as aw_id, aw.benchmark_id as aw_benchmark, i.inception as aw_inception,
            date_trunc('month', aw.from_date)::date as aw_from, e.first_date as aw_first, m.*
     from aw left join analytics_entities e on e.entity_type = aw.entity_type and e.entity_id = aw.entity_id
     left join (${inceptions}) i on i.group_id = aw.entity_id
     left join lateral (select * from analytics_series_months x where x.entity_type = aw.entity_type and x.entity_id = aw.entity_id
                          and x.month <= date_trunc('month', aw.from_date) order by x.month desc limit 1) m on true
     order by aw.entity_type, aw.entity_id`,
    WORK_COLUMNS,
    (cells) => {
      const benchmarkId = cells[2] as number | null;
      const from = cells[4] as number;
      let c: SeriesCheckpoint = START;
      if (cells[6] !== null) {
        const row = monthRowOf(cells, 6);
        c = row.month === from ? row.c : new SeriesState(row.c, benchmarkId === null ? undefined : benches.get(benchmarkId)).replay(row).snapshot();
      }
      work.push({
        type: cells[0] as string,
        id: cells[1] as number,
        benchmarkId,
        inception: cells[3] === null ? null : fromDayNumber(cells[3] as number),
        from,
        c,
        keptFirst: cells[5] as number | null,
      });
    },
    { reuseArrays: true },
  );
  return work;
}

/** An entity's input rows in day order: values (absolute, or deltas to add to the running value) and flows, paise. */
interface Inputs {
  day: number[];
  value: number[];
  flow: number[];
  absolute: boolean;
}

async function portfolioInputs(tx: TransactionSql, kind: StoreKind): Promise<Map<string, Inputs>> {
  const out = new Map<string, Inputs>();
  await readRows(
    tx,
    kind,
    `select v.portfolio_id as pid, v.valuation_date as d, v.market_value as v from aw
     cross join lateral (select * from valuations v where v.portfolio_id = aw.entity_id and v.valuation_date >= date_trunc('month', aw.from_date) offset 0) v
     order by 1, 2`,
    [['pid', 'int'], ['d', 'date'], ['v', 'paise']],
    (cells) => {
      const k = entityKey('portfolio', cells[0] as number);
      let s = out.get(k);
      if (!s) out.set(k, (s = { day: [], value: [], flow: [], absolute: true }));
      s.day.push(cells[1] as number);
      s.value.push(cells[2] as number);
      s.flow.push(0);
    },
  );
  // Flows after each portfolio's checkpoint row count on its first valuation on or after their date.
  await readRows(
    tx,
    kind,
    `select ef.portfolio_id as pid, ef.flow_date as d, sum(ef.amount) as a from kept_rows k
     join external_flows ef on ef.portfolio_id = k.portfolio_id and (k.c_date is null or ef.flow_date > k.c_date)
     group by 1, 2`,
    [['pid', 'int'], ['d', 'date'], ['a', 'paise']],
    (cells) => {
      const pid = cells[0] as number;
      const d = cells[1] as number;
      const s = out.get(entityKey('portfolio', pid));
      const i = s ? firstIndexAtOrAfter(s.day, d) : -1;
      if (i >= 0) s!.flow[i]! += cells[2] as number;
    },
  );
  return out;
}

function firstIndexAtOrAfter(days: number[], d: number): number {
  const i = lastIndexAtOrBefore(days, d - 1, (x) => x) + 1;
  return i < days.length ? i : -1;
}

/**
 * Aggregates: per day, the sum of the members' value changes and flows over the members' months from the group's first
 * recomputed month: from memory when this run recomputed the member from that month or earlier (a twin client: its
 * portfolio), else as stored.
 */
async function pooledInputs(tx: TransactionSql, kind: StoreKind, work: Work[], recent: RecentMonths): Promise<Map<string, Inputs>> {
  const pools = new Map<string, Map<number, [number, number]>>();
  const poolOf = (key: string) => {
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = new Map()));
    return pool;
  };
  const fromOf = new Map(work.map((w) => [entityKey(w.type, w.id), w.from]));
  const stored: [string, number, string, number, number][] = [];
  await readRows(
    tx,
    kind,
    `select aw.entity_type as g_type, aw.entity_id as g_id, gm.member_type as m_type, gm.member_id as m_id, e.twin_of from aw
     join analytics_group_members gm on gm.entity_type = aw.entity_type and gm.entity_id = aw.entity_id
     left join analytics_entities e on e.entity_type = gm.member_type and e.entity_id = gm.member_id`,
    [['g_type', 'text'], ['g_id', 'int'], ['m_type', 'text'], ['m_id', 'int'], ['twin_of', 'int']],
    (cells) => {
      const key = entityKey(cells[0] as string, cells[1] as number);
      const from = fromOf.get(key);
      if (from === undefined) return;
      const twinOf = cells[4] as number | null;
      const member = recent.get(twinOf === null ? entityKey(cells[2] as string, cells[3] as number) : entityKey('portfolio', twinOf));
      if (member && member.from <= from) {
        const pool = poolOf(key);
        for (const row of member.rows) if (row.month >= from) addMember(pool, row);
      } else stored.push([cells[0] as string, cells[1] as number, cells[2] as string, cells[3] as number, from]);
    },
  );
  if (stored.length) {
    await writeTempTable(tx, kind, 'pool_members', [['g_type', 'text'], ['g_id', 'int'], ['m_type', 'text'], ['m_id', 'int'], ['from_month', 'date']], stored);
    await readRows(
      tx,
      kind,
      `select p.g_type, p.g_id, m.* from pool_members p
       cross join lateral (select * from analytics_months x where x.entity_type = p.m_type and x.entity_id = p.m_id and x.month >= p.from_month offset 0) m`,
      [['g_type', 'text'], ['g_id', 'int'], ...MONTH_READ_COLUMNS],
      (cells) => addMember(poolOf(entityKey(cells[0] as string, cells[1] as number)), monthRowOf(cells, 2)),
      { reuseArrays: true },
    );
  }
  const out = new Map<string, Inputs>();
  for (const w of work) {
    const pool = pools.get(entityKey(w.type, w.id));
    if (!pool) continue;
    const days = [...pool.keys()].sort((a, b) => a - b);
    out.set(entityKey(w.type, w.id), { day: days, value: days.map((d) => pool.get(d)![0]), flow: days.map((d) => pool.get(d)![1]), absolute: false });
  }
  return out;
}

/** A member's month into a pool: each row's change from the member's previous value, and its flow. */
function addMember(pool: Map<number, [number, number]>, row: MonthRow): void {
  let prev = row.c.value;
  for (let i = 0; i < row.len; i++) {
    const v = row.value[i]!;
    if (Number.isNaN(v)) continue;
    const f = row.flow[i]!;
    const day = row.month + i;
    const cell = pool.get(day);
    if (cell) {
      cell[0] += v - prev;
      cell[1] += Number.isNaN(f) ? 0 : f;
    } else pool.set(day, [v - prev, Number.isNaN(f) ? 0 : f]);
    prev = v;
  }
}
