import type { Queryable, ReservedSql, Sql } from '../../db/client.js';
import { blendedIndexReturns } from '../../analytics/index.js';
import { computeMetrics } from './book-metrics.js';
import { rebuildAllSeries } from './full-rebuild.js';
import { recomputeLevel, type RecentMonths } from './incremental-series.js';
import { OpeningPrefetch } from './opening-prefetch.js';
import type { SeriesCheckpoint } from './series-state.js';
import { ENTITY_COLUMNS, ENTITY_UPSERT, loadBenchmarkDays, type Finals } from './series-store.js';

/** What every stored figure was computed with (stored with the entity and each metric row). */
export const METHOD =
  'TWRR: daily sub-periods, flows at start of day (w=1), chain-linked; aggregates pool values (carried forward) and flows; ' +
  'SEBI: absolute under 365 days, annualised (1+R)^(365/days)-1 from 365; XIRR actual/365 (Excel); ' +
  'risk: empyrical definitions on daily returns, N=252, rf = 91-day T-bill per day, MAR 0';

export const GROUP_LEVELS = [
  // [entity type, member type, membership query]
  ['client', 'portfolio', `select 'client'::text, client_id, 'portfolio'::text, id from portfolios`],
  ['strategy', 'portfolio', `select 'strategy'::text, strategy_id, 'portfolio'::text, id from portfolios`],
  ['rm', 'client', `select 'rm'::text, rm_id, 'client'::text, id from clients where rm_id is not null`],
  [
    'team',
    'rm',
    `select 'team'::text, root, 'rm'::text, rm from (
       with recursive t(root, rm) as (
         select id, id from relationship_managers
         union select t.root, r.id from t join relationship_managers r on r.manager_id = t.rm)
       select root, rm from t) x`,
  ],
  ['firm', 'strategy', `select 'firm'::text, 0, 'strategy'::text, id from strategies`],
] as const;

export interface ComputeResult {
  mode: 'full' | 'incremental';
  portfolios: number;
  groups: number;
  seriesRows: number;
  metricRows: number;
  benchmarks: number;
  phasesMs: Record<string, number>;
}

/** The work table of one level: the entities to recompute, from which date, with which benchmark. */
async function createWorkTable(tx: Queryable): Promise<void> {
  await tx.unsafe(`drop table if exists aw`);
  await tx.unsafe(`
    create temp table aw (
      entity_type text not null, entity_id integer not null, from_date date not null, benchmark_id integer,
      primary key (entity_type, entity_id)) on commit drop`);
}

const FAR_PAST = '0001-01-01';

/**
 * Brings the stored series and metric snapshots up to date with the data: benchmarks whose indices changed, dirty
 * portfolios from their dirty date, the aggregates containing them, then the metrics of everything touched.
 * `full` rebuilds everything (`kind` 'postgres' lets it write with COPY). The caller serialises runs.
 */
export async function computeBook(
  sql: Sql,
  opts: { full?: boolean; kind?: 'postgres' | 'embedded' } = {},
): Promise<ComputeResult> {
  const phasesMs: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phasesMs[name] = Math.round(now - t);
    t = now;
  };
  // Claim the queue in its own short statements so imports never wait for a long compute; put it back on failure.
  const claimed = opts.full
    ? []
    : await sql<{ portfolio_id: number; from_date: string }[]>`delete from analytics_dirty returning portfolio_id, from_date::text`;
  const claimedIdx = opts.full ? [] : await sql<{ index_code: string; from_date: string }[]>`delete from analytics_index_dirty returning index_code, from_date::text`;
  const full = opts.full === true || (await mostlyUncomputed(sql, claimed.length));
  if (full) {
    await sql`delete from analytics_dirty`;
    await sql`delete from analytics_index_dirty`;
  }
  const kind = opts.kind ?? 'embedded';
  // On PostgreSQL a second connection reads alongside the run's transaction: the full build streams the book in on it;
  // an incremental run looks up the metric periods' opening states on it while the levels go on (OpeningPrefetch).
  let reader = null as ReservedSql | null;
  let prefetch = null as OpeningPrefetch | null;
  try {
    const result = await sql.begin(async (tx) => {
      // Index builds and sorts over a whole book: keep them in memory (this transaction only).
      await tx.unsafe(`set local work_mem = '256MB'`);
      await tx.unsafe(`set local maintenance_work_mem = '512MB'`);
      // Dozens of short statements per run: compiling each with JIT costs more than it saves.
      if (!full) await tx.unsafe(`set local jit = off`);
      const res: ComputeResult = { mode: full ? 'full' : 'incremental', portfolios: 0, groups: 0, seriesRows: 0, metricRows: 0, benchmarks: 0, phasesMs };
      // 1. Benchmarks.
      const [{ n: existing } = { n: 0 }] = await tx<{ n: number }[]>`select count(*)::int as n from benchmark_series`;
      let benchIds: number[] = [];
      let benchFrom = FAR_PAST;
      if (full || existing === 0) {
        benchIds = (await tx<{ id: number }[]>`select id from benchmarks`).map((r) => r.id);
      } else if (claimedIdx.length) {
        benchIds = (
          await tx<{ benchmark_id: number }[]>`select distinct benchmark_id from benchmark_components where index_code in ${tx(claimedIdx.map((c) => c.index_code))}`
        ).map((r) => r.benchmark_id);
        benchFrom = claimedIdx.map((c) => c.from_date).sort()[0]!;
      }
      if (benchIds.length) {
        res.benchmarks = await computeBenchmarks(tx, benchIds, benchFrom);
        await tx.unsafe(`analyze benchmark_series`);
      }
      const benches = await loadBenchmarkDays(tx);
      const finals: Finals = new Map();
      const recent: RecentMonths = new Map();
      // Reserved once the transaction has its connection (the warm one: a new backend's first statements are slower).
      if (kind === 'postgres') reader = await sql.reserve();
      if (reader && !full) prefetch = new OpeningPrefetch(reader, benches);
      lap('benchmarks');

      // 2. Portfolios.
      await tx.unsafe(`drop table if exists dirty_entities`);
      await tx.unsafe(`create temp table dirty_entities (entity_type text not null, entity_id integer not null, from_date date not null,
                        primary key (entity_type, entity_id)) on commit drop`);
      if (full) {
        // One streaming pass over the book (full-rebuild.ts) instead of level by level: same figures, far faster.
        await tx.unsafe(`truncate analytics_series_months, analytics_flows, analytics_group_members, analytics_metrics_stored, analytics_entities`);
        // Bulk load without the index, then build it once (a sort instead of a million index inserts).
        await tx.unsafe(`alter table analytics_series_months drop constraint analytics_series_months_pkey`);
        // One snapshot for everything the reader reads (a reserved connection has no begin(): by hand).
        const openings = new Map<string, Map<number, SeriesCheckpoint | null>>();
        await reader?.unsafe('begin isolation level repeatable read read only');
        const rebuilt = await rebuildAllSeries(tx, reader ?? tx, kind, benches, METHOD, finals, openings).finally(() => reader?.unsafe('rollback'));
        lap('series');
        await tx.unsafe(`alter table analytics_series_months add constraint analytics_series_months_pkey primary key (entity_type, entity_id, month)`);
        // The months and flows are reached by primary-key probes only; autovacuum analyzes them after the load.
        await tx.unsafe(`analyze analytics_entities`);
        await tx.unsafe(`insert into dirty_entities select entity_type, entity_id, '${FAR_PAST}' from analytics_entities`);
        res.seriesRows = rebuilt.rows;
        res.portfolios = (await tx<{ n: number }[]>`select count(*)::int as n from analytics_entities where entity_type = 'portfolio'`)[0]!.n;
        res.groups = rebuilt.entities - res.portfolios;
        lap('index');
        res.metricRows = await computeMetrics(tx, kind, finals, benches, METHOD, { openings, flows: rebuilt.flows, freeze: true });
        lap('metrics');
        return res;
      } else {
        if (claimed.length) {
          await tx`insert into dirty_entities select 'portfolio', pid, min(d) from unnest(${claimed.map((c) => c.portfolio_id)}::int[], ${claimed.map((c) => c.from_date)}::date[]) as u(pid, d)
                   where exists (select 1 from portfolios p where p.id = u.pid) group by pid`;
        }
        if (benchIds.length && existing > 0) {
          await tx`insert into dirty_entities
                   select 'portfolio', p.id, ${benchFrom}::date from portfolios p join strategies s on s.id = p.strategy_id where s.benchmark_id in ${tx(benchIds)}
                   on conflict (entity_type, entity_id) do update set from_date = least(dirty_entities.from_date, excluded.from_date)`;
        }
      }
      await createWorkTable(tx);
      await tx.unsafe(`insert into aw (entity_type, entity_id, from_date, benchmark_id)
                       select 'portfolio', d.entity_id, d.from_date, s.benchmark_id from dirty_entities d
                       join portfolios p on p.id = d.entity_id join strategies s on s.id = p.strategy_id`);
      res.portfolios = (await tx.unsafe(`select 1 from aw`)).count;
      // Fresh temp tables and bulk-changed tables have no statistics: without them the planner picks nested loops.
      await tx.unsafe(`analyze aw`);
      const portfolioLevel = await recomputeLevel(tx, kind, 'portfolio', `select id as group_id, inception_date as inception from portfolios`, benches, METHOD, finals, recent);
      prefetch?.request(portfolioLevel.recomputed);
      res.seriesRows += portfolioLevel.rows;
      lap('portfolios');

      // 3. Aggregates, level by level.
      for (const [level, memberType, membership] of GROUP_LEVELS) {
        await tx.unsafe(`drop table if exists cur_members`);
        await tx.unsafe(`create temp table cur_members (entity_type text, entity_id integer, member_type text, member_id integer) on commit drop`);
        await tx.unsafe(`insert into cur_members ${membership}`);
        await tx.unsafe(`analyze cur_members`);
        // Groups whose membership changed are rebuilt; their stored membership is replaced.
        await tx.unsafe(`
          insert into dirty_entities
          select distinct coalesce(c.entity_type, g.entity_type), coalesce(c.entity_id, g.entity_id), '${FAR_PAST}'::date
          from cur_members c full join (select * from analytics_group_members where entity_type = '${level}') g
            on g.entity_id = c.entity_id and g.member_id = c.member_id
          where c.entity_id is null or g.entity_id is null
          on conflict (entity_type, entity_id) do update set from_date = excluded.from_date`);
        await tx.unsafe(`delete from analytics_group_members g using dirty_entities d
                         where g.entity_type = '${level}' and d.entity_type = g.entity_type and d.entity_id = g.entity_id and d.from_date = '${FAR_PAST}'`);
        await tx.unsafe(`insert into analytics_group_members select c.* from cur_members c
                         join dirty_entities d on d.entity_type = c.entity_type and d.entity_id = c.entity_id and d.from_date = '${FAR_PAST}'
                         on conflict do nothing`);
        // Groups containing a recomputed member, from the member's earliest date.
        await tx.unsafe(`
          insert into dirty_entities
          select g.entity_type, g.entity_id, min(d.from_date) from analytics_group_members g
          join dirty_entities d on d.entity_type = '${memberType}' and d.entity_id = g.member_id
          where g.entity_type = '${level}' group by g.entity_type, g.entity_id
          on conflict (entity_type, entity_id) do update set from_date = least(dirty_entities.from_date, excluded.from_date)`);
        // Thousands of groups just went in: without fresh statistics the queries below plan nested loops for one row.
        await tx.unsafe(`analyze dirty_entities`);
        await createWorkTable(tx);
        // Benchmark: a strategy's own; a group's, the strategy with the largest latest value among its portfolios (a change
        // rebuilds the group).
        if (level === 'strategy') {
          await tx.unsafe(`insert into aw (entity_type, entity_id, from_date, benchmark_id)
                           select d.entity_type, d.entity_id, d.from_date, st.benchmark_id from dirty_entities d
                           left join strategies st on st.id = d.entity_id where d.entity_type = 'strategy'`);
        } else {
          // Set-wise over the dirty groups' portfolios (one join, not a lookup of each group's portfolios). The planner
          // cannot size a level's group-portfolio pairs (teams: 19,000 from 190 memberships) and probes each: hash joins
          // instead (teams 98 → 23 ms).
          await tx.unsafe(`set local enable_nestloop = off`);
          await tx.unsafe(`
            with gp as (
              select g.group_id, g.portfolio_id from (${groupPortfolios(level)}) g
              where g.group_id in (select entity_id from dirty_entities where entity_type = '${level}')),
            dom as (
              select distinct on (gp.group_id) gp.group_id, s.benchmark_id from gp
              join portfolios p on p.id = gp.portfolio_id join strategies s on s.id = p.strategy_id
              left join analytics_entities e on e.entity_type = 'portfolio' and e.entity_id = p.id
              group by gp.group_id, s.benchmark_id order by gp.group_id, sum(coalesce(e.last_value, 0)) desc, s.benchmark_id)
            insert into aw (entity_type, entity_id, from_date, benchmark_id)
            select d.entity_type, d.entity_id, d.from_date, dom.benchmark_id from dirty_entities d
            left join dom on dom.group_id = d.entity_id where d.entity_type = '${level}'`);
          await tx.unsafe(`set local enable_nestloop = on`);
        }
        await tx.unsafe(`
          update aw set from_date = '${FAR_PAST}' from analytics_entities e
          where e.entity_type = aw.entity_type and e.entity_id = aw.entity_id and e.benchmark_id is distinct from aw.benchmark_id`);
        await tx.unsafe(`update dirty_entities d set from_date = aw.from_date from aw where aw.entity_type = d.entity_type and aw.entity_id = d.entity_id`);
        res.groups += (await tx.unsafe(`select 1 from aw`)).count;
        if (level === 'client') await settleTwins(tx, METHOD);
        await tx.unsafe(`analyze aw`);
        const computed = await recomputeLevel(
          tx,
          kind,
          level,
          `select gp.group_id, min(p.inception_date) as inception from (${groupPortfolios(level)}) gp join portfolios p on p.id = gp.portfolio_id
           where gp.group_id in (select entity_id from aw) group by gp.group_id`,
          benches,
          METHOD,
          finals,
          recent,
        );
        prefetch?.request(computed.recomputed);
        res.seriesRows += computed.rows;
        lap(level);
      }

      // 4. Metric snapshots of everything touched.
      // The prefetched opening states are awaited once this transaction has prepared the metric step.
      const openings = prefetch?.finish();
      openings?.catch(() => {}); // a failure surfaces where computeMetrics awaits it
      res.metricRows = await computeMetrics(tx, kind, finals, benches, METHOD, { reader, openings });
      lap('metrics');
      return res;
    });
    return result;
  } catch (err) {
    if (claimed.length) {
      await sql`insert into analytics_dirty (portfolio_id, from_date)
                select * from unnest(${claimed.map((c) => c.portfolio_id)}::int[], ${claimed.map((c) => c.from_date)}::date[])
                where exists (select 1 from portfolios p where p.id = portfolio_id)
                on conflict (portfolio_id) do update set from_date = least(analytics_dirty.from_date, excluded.from_date)`.catch(() => {});
    }
    if (claimedIdx.length) {
      await sql`insert into analytics_index_dirty (index_code, from_date)
                select * from unnest(${claimedIdx.map((c) => c.index_code)}::text[], ${claimedIdx.map((c) => c.from_date)}::date[])
                on conflict (index_code) do update set from_date = least(analytics_index_dirty.from_date, excluded.from_date)`.catch(() => {});
    }
    throw err;
  } finally {
    // The reader is back in no transaction before it goes back to the pool (a failed run's lookups may still be going).
    await prefetch?.finish().catch(() => {});
    reader?.release();
  }
}

/**
 * A first load (most of the book dirty, most of it never computed) goes through the streaming full build: one pass
 * over the book beats per-portfolio set-wise SQL from inception (demo book on PGlite: 46 s against 77 s).
 */
async function mostlyUncomputed(sql: Sql, dirty: number): Promise<boolean> {
  if (dirty === 0) return false;
  const [c] = await sql<{ total: number; computed: number }[]>`
    select (select count(*) from portfolios)::int as total,
           (select count(*) from analytics_entities where entity_type = 'portfolio' and as_of is not null)::int as computed`;
  return c !== undefined && 2 * dirty >= c.total && 2 * c.computed < c.total;
}

/**
 * The clients in `aw` with a single portfolio are that portfolio's twins: their entity rows are the portfolio's (just
 * saved) naming it, their months and metrics are read through to its rows; they leave `aw` (nothing to compute). A client
 * that was stored until now (it had more portfolios) loses its stored months and flows (computeMetrics deletes every
 * touched entity's metric rows).
 */
async function settleTwins(tx: Queryable, method: string): Promise<void> {
  await tx.unsafe(`drop table if exists twins`);
  await tx.unsafe(`
    create temp table twins on commit drop as
    select aw.entity_id as client, min(gm.member_id) as portfolio from aw
    join analytics_group_members gm on gm.entity_type = 'client' and gm.entity_id = aw.entity_id
    where aw.entity_type = 'client' group by aw.entity_id having count(*) = 1`);
  for (const table of ['analytics_series_months', 'analytics_flows']) {
    await tx.unsafe(`
      delete from ${table} where ctid = any(array(
        select x.ctid from twins t
        join analytics_entities e on e.entity_type = 'client' and e.entity_id = t.client and e.twin_of is null
        cross join lateral (select ctid from ${table} x where x.entity_type = 'client' and x.entity_id = t.client offset 0) x))`);
  }
  await tx.unsafe(
    `insert into analytics_entities ${ENTITY_COLUMNS}
     select 'client', t.client, p.benchmark_id, p.inception_date, p.first_date, p.as_of, p.last_value, p.last_log_growth, p.peak_log_growth,
            t.portfolio, $1, now()
     from twins t join analytics_entities p on p.entity_type = 'portfolio' and p.entity_id = t.portfolio
     ${ENTITY_UPSERT}`,
    [method],
  );
  await tx.unsafe(`delete from aw using twins t where aw.entity_type = 'client' and aw.entity_id = t.client`);
}

/** SQL for the (group_id, portfolio_id) pairs of every group of a level. */
function groupPortfolios(level: string): string {
  switch (level) {
    case 'client':
      return `select client_id as group_id, id as portfolio_id from portfolios`;
    case 'strategy':
      return `select strategy_id as group_id, id as portfolio_id from portfolios`;
    case 'rm':
      return `select c.rm_id as group_id, p.id as portfolio_id from portfolios p join clients c on c.id = p.client_id where c.rm_id is not null`;
    case 'team':
      return `select gm.entity_id as group_id, p.id as portfolio_id from analytics_group_members gm
              join clients c on c.rm_id = gm.member_id join portfolios p on p.client_id = c.id where gm.entity_type = 'team'`;
    default:
      return `select 0 as group_id, id as portfolio_id from portfolios`;
  }
}

/**
 * Recomputes the daily series of the given benchmarks from their index values (blendedIndexReturns), from `from` on:
 * each continues from its last stored row before `from` (a day's blended return needs only that day's and the previous
 * common day's levels, daily rebalanced), or from its start when it has none.
 */
async function computeBenchmarks(tx: Queryable, ids: number[], from: string): Promise<number> {
  const comps = await tx<{ benchmark_id: number; index_code: string; weight: string }[]>`
    select benchmark_id, index_code, weight::text from benchmark_components where benchmark_id in ${tx(ids)} order by benchmark_id, index_code`;
  const kept = new Map(
    (
      await tx<{ benchmark_id: number; d: string; lg: number }[]>`
        select distinct on (benchmark_id) benchmark_id, value_date::text as d, log_growth as lg from benchmark_series
        where benchmark_id in ${tx(ids)} and value_date < ${from}::date order by benchmark_id, value_date desc`
    ).map((k) => [k.benchmark_id, k]),
  );
  const since = ids.every((id) => kept.has(id)) ? [...kept.values()].map((k) => k.d).sort()[0]! : FAR_PAST;
  const codes = [...new Set(comps.map((c) => c.index_code))];
  const values = codes.length
    ? await tx<{ index_code: string; value_date: string; value: string }[]>`
        select index_code, value_date::text, value::text from index_values where index_code in ${tx(codes)} and value_date >= ${since}::date
        order by index_code, value_date`
    : [];
  const byIndex = new Map<string, { date: string; value: string }[]>();
  for (const v of values) {
    let list = byIndex.get(v.index_code);
    if (!list) byIndex.set(v.index_code, (list = []));
    list.push({ date: v.value_date, value: v.value });
  }
  await tx`delete from benchmark_series b using unnest(${ids}::int[], ${ids.map((id) => kept.get(id)?.d ?? FAR_PAST)}::date[]) as k(id, d)
           where b.benchmark_id = k.id and (b.value_date > k.d or k.d = ${FAR_PAST}::date)`;
  const bid: number[] = [];
  const dates: string[] = [];
  const rets: (number | null)[] = [];
  const lgs: number[] = [];
  for (const id of ids) {
    const components = comps.filter((c) => c.benchmark_id === id).map((c) => ({ weight: Number(c.weight), values: byIndex.get(c.index_code) ?? [] }));
    if (!components.length) continue;
    const returns = blendedIndexReturns({ components });
    const base = kept.get(id);
    let lg = base?.lg ?? 0;
    if (!base) {
      // The base date (first common date) carries log growth 0 and no return.
      const common = components.map((c) => new Set(c.values.map((v) => v.date)));
      const first = components[0]!.values.map((v) => v.date).find((d) => common.every((s) => s.has(d)));
      if (first === undefined) continue;
      bid.push(id);
      dates.push(first);
      rets.push(null);
      lgs.push(0);
    }
    for (const r of returns) {
      if (base && r.date <= base.d) continue;
      lg += Math.log(Math.max(1 + r.return, 1e-300));
      bid.push(id);
      dates.push(r.date);
      rets.push(r.return);
      lgs.push(lg);
    }
  }
  if (bid.length) {
    await tx`insert into benchmark_series (benchmark_id, value_date, daily_return, log_growth)
             select * from unnest(${bid}::int[], ${dates}::date[], ${rets as number[]}::float8[], ${lgs}::float8[])`;
  }
  return ids.length;
}
