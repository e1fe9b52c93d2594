import type { Queryable, TransactionSql } from '../../db/client.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import { GROUP_LEVELS } from './book-compute.js';
import { readRows } from './bulk-read.js';
import { openingDays } from './book-metrics.js';
import { MonthPacker, START, type BenchmarkDays, type SeriesCheckpoint } from './series-state.js';
import { entityKey, saveEntities, SeriesWriter, type ComputedEntity, type EntityFlows, type Finals, type StoreKind } from './series-store.js';

interface PortfolioInfo {
  id: number;
  client_id: number;
  strategy_id: number;
  inception: string;
  rm_id: number | null;
  benchmark_id: number | null;
}

/**
 * Full rebuild of every series in one pass over the book: the valuations stream in client, portfolio, date order (binary
 * COPY on PostgreSQL, from `reader`: a second connection, so the months go back through one COPY on `tx` while the rest
 * of the book is still arriving). As each client's rows are in, its portfolios' and its own series are computed and
 * packed into months, and the pools of strategies, RMs, teams and the firm are summed per day in memory (exact integer
 * paise). Same formulas as the incremental path (SeriesState); tests check the two agree.
 */
export async function rebuildAllSeries(
  tx: TransactionSql,
  reader: Queryable,
  kind: StoreKind,
  benches: Map<number, BenchmarkDays>,
  method: string,
  finals: Finals,
  openings: Map<string, Map<number, SeriesCheckpoint | null>>,
): Promise<{ rows: number; entities: number; flows: EntityFlows }> {
  const portfolios = await tx<PortfolioInfo[]>`
    select p.id, p.client_id, p.strategy_id, p.inception_date::text as inception, c.rm_id, s.benchmark_id
    from portfolios p join clients c on c.id = p.client_id join strategies s on s.id = p.strategy_id`;
  const byId = new Map(portfolios.map((p) => [p.id, p]));
  await tx.unsafe(`insert into analytics_group_members ${GROUP_LEVELS.map(([, , q]) => q).join(' union all ')} on conflict do nothing`);
  const teams = await tx<{ entity_id: number; member_id: number }[]>`select entity_id, member_id from analytics_group_members where entity_type = 'team'`;
  const rmsOfTeam = new Map<number, number[]>();
  for (const t of teams) push(rmsOfTeam, t.entity_id, t.member_id);
  // A client with a single portfolio has that portfolio's series (same values, flows, benchmark and inception): its
  // twin, whose rows are read through to the portfolio's (analytics_months, analytics_metrics), not pooled and stored.
  const portfoliosOfClient = new Map<number, number>();
  for (const p of portfolios) portfoliosOfClient.set(p.client_id, (portfoliosOfClient.get(p.client_id) ?? 0) + 1);
  const strategies = await tx<{ id: number; benchmark_id: number | null }[]>`select id, benchmark_id from strategies`;
  const benchmarkOfStrategy = new Map(strategies.map((s) => [s.id, s.benchmark_id]));
  // Read in the reader's snapshot, like the valuations and flows below (the caller gives it one repeatable-read view).
  // Each portfolio's first and last date from the primary key (two probes each; a scan of the book took a second).
  const [bounds] = await reader<{ lo: number | null; hi: number | null }[]>`
    select min(b.lo) - date '1970-01-01' as lo, max(b.hi) - date '1970-01-01' as hi from portfolios p
    cross join lateral (select min(valuation_date) as lo, max(valuation_date) as hi from valuations where portfolio_id = p.id) b`;
  const minDay = bounds?.lo ?? 0;
  const span = (bounds?.hi ?? 0) - minDay + 1;
  const flows = await readFlows(reader, kind);

  // The caller emptied the tables in this transaction: the rows go in frozen.
  const writer = new SeriesWriter(tx, kind, { freeze: true });
  const entities: ComputedEntity[] = [];
  /** Computes and writes an entity's series; `twin`: a client whose series it is (its entity row names this one). */
  const emit = (
    type: string,
    id: number,
    benchmarkId: number | null,
    inception: string | null,
    asOf: number | null,
    input: (packer: MonthPacker) => void,
    twin: number | null = null,
  ) => {
    const packer = new MonthPacker(type, id, START, benchmarkId === null ? undefined : benches.get(benchmarkId), (m) => writer.month(m));
    // The metrics' opening states, kept on the way (no lookups afterwards).
    const watched = asOf !== null && inception !== null ? packer.watch(openingDays(asOf, inception)) : null;
    input(packer);
    packer.finish();
    const last = packer.state.snapshot();
    if (watched) openings.set(entityKey(type, id), watched);
    finals.set(entityKey(type, id), last);
    entities.push({ type, id, benchmarkId, inception, first: packer.first, last });
    if (twin !== null) entities.push({ type: 'client', id: twin, benchmarkId, inception, first: packer.first, last, twinOf: id });
    return last;
  };
  const pools = new Map<string, DensePool>();
  const poolOf = (type: string, id: number) => {
    const k = entityKey(type, id);
    let p = pools.get(k);
    if (!p) pools.set(k, (p = new DensePool(type, id, span)));
    return p;
  };

  /**
   * One portfolio's rows (days ascending, values in paise) into its series and the pools of its strategy, its RM and
   * its client (none for a sole portfolio: the client is its twin). Teams and the firm sum RM and strategy pools later.
   */
  const portfolioSeries = (p: PortfolioInfo, days: Float64Array, values: Float64Array, client: DensePool | null) => {
    const attached = attachFlows(days, flows.get(p.id));
    const shared = [poolOf('strategy', p.strategy_id)];
    if (p.rm_id !== null) shared.push(poolOf('rm', p.rm_id));
    if (client) shared.push(client);
    const last = emit(
      'portfolio',
      p.id,
      p.benchmark_id,
      p.inception,
      days.length ? days[days.length - 1]! : null,
      (packer) => {
        let prev = 0;
        for (let j = 0; j < days.length; j++) {
          const day = days[j]!;
          const value = values[j]!;
          const flow = attached[j]!;
          const at = day - minDay;
          packer.add(day, value, flow);
          for (let k = 0; k < shared.length; k++) shared[k]!.add(at, value - prev, flow);
          prev = value;
        }
      },
      client ? null : p.client_id,
    );
    for (const pool of shared) pool.note(p, last.value);
  };
  /** A pool's series (a client's, or a strategy's, RM's, team's, firm's): its summed changes and flows, day by day. */
  const poolSeries = (pool: DensePool, type: string, id: number, benchmarkId: number | null) =>
    emit(type, id, benchmarkId, pool.inception, pool.hi >= pool.lo ? minDay + pool.hi : null, (packer) => {
      let value = 0;
      for (let d = pool.lo; d <= pool.hi; d++) {
        if (!pool.present[d]) continue;
        value += pool.delta[d]!;
        packer.add(minDay + d, value, pool.flow[d]!);
      }
    });

  // Each portfolio's valuations arrive as one row of arrays (dates, amounts), client by client: a client is computed once
  // its last portfolio is in. One message per portfolio instead of one per valuation. The arrays aggregate the primary
  // key's order (no sort per portfolio) and the raw dates and numerics (no conversions in the server): about half the
  // server's work of sorted, converted arrays.
  let clientId: number | null = null;
  const client = new DensePool('client', 0, span);
  const endClient = () => {
    if (clientId !== null && client.hi >= client.lo) poolSeries(client, 'client', clientId, client.benchmark(benchmarkOfStrategy));
    clientId = null;
    client.reset();
  };
  await writer.complete(async () => {
    await readRows(
      reader,
      kind,
      `select p.id as pid, v.days, v.paise
       from (select id, client_id from portfolios) p
       cross join lateral (select array_agg(valuation_date) as days, array_agg(market_value) as paise
                           from (select valuation_date, market_value from valuations where portfolio_id = p.id order by valuation_date) o) v
       where v.days is not null
       order by p.client_id, p.id`,
      [['pid', 'int'], ['days', 'date[]'], ['paise', 'paise[]']],
      (cells) => {
        const p = byId.get(cells[0] as number)!;
        if (clientId !== p.client_id) {
          endClient();
          clientId = p.client_id;
        }
        const [days, values] = inDateOrder(cells[1] as Float64Array, cells[2] as Float64Array);
        portfolioSeries(p, days, values, portfoliosOfClient.get(p.client_id) === 1 ? null : client);
      },
      // Each portfolio's arrays are used up before the next row.
      { afterChunk: () => writer.pump(), reuseArrays: true },
    );
    endClient();
    // Teams pool their RMs, the firm its strategies (sums of exact integer paise: the same as adding every portfolio).
    for (const [team, rms] of rmsOfTeam) for (const rm of rms) {
      const pool = pools.get(entityKey('rm', rm));
      if (pool) poolOf('team', team).addPool(pool);
    }
    for (const pool of [...pools.values()]) if (pool.type === 'strategy') poolOf('firm', 0).addPool(pool);
    for (const pool of pools.values()) {
      poolSeries(pool, pool.type, pool.id, pool.type === 'strategy' ? (benchmarkOfStrategy.get(pool.id) ?? null) : pool.benchmark(benchmarkOfStrategy));
      await writer.pump();
    }
  });
  await saveEntities(tx, kind, method, entities);
  return { rows: writer.rows, entities: entities.length, flows: writer.flows };
}

/** External flows per portfolio and day (paise). */
async function readFlows(reader: Queryable, kind: StoreKind): Promise<Map<number, [number, number][]>> {
  const out = new Map<number, [number, number][]>();
  await readRows(reader, kind, `select portfolio_id as pid, flow_date as d, sum(amount) as a from external_flows group by 1, 2`, [['pid', 'int'], ['d', 'date'], ['a', 'paise']], (cells) =>
    push(out, cells[0] as number, [cells[1] as number, cells[2] as number]),
  );
  return out;
}

/**
 * PostgreSQL aggregates a sorted subquery's rows in its order (documented as what usually happens, not as a promise):
 * checked, and sorted here if it ever did not.
 */
function inDateOrder(days: Float64Array, values: Float64Array): [Float64Array, Float64Array] {
  let sorted = true;
  for (let i = 1; i < days.length && sorted; i++) sorted = days[i - 1]! < days[i]!;
  if (sorted) return [days, values];
  const order = Array.from(days.keys()).sort((a, b) => days[a]! - days[b]!);
  return [Float64Array.from(order, (i) => days[i]!), Float64Array.from(order, (i) => values[i]!)];
}

/** Each flow counts on the portfolio's first valuation on or after its date (none after the last: not counted). */
function attachFlows(days: Float64Array, flows: [number, number][] | undefined): Float64Array {
  const out = new Float64Array(days.length);
  for (const [d, amount] of flows ?? []) {
    const i = lastIndexAtOrBefore(days, d - 1, (x) => x) + 1;
    if (i < days.length) out[i]! += amount;
  }
  return out;
}

/** What picks an aggregate's benchmark and inception: its portfolios' strategies, last values and inceptions. */
class PoolMeta {
  inception: string | null = null;
  /** Last value per strategy among the pool's portfolios (paise). */
  protected readonly lastByStrategy = new Map<number, number>();

  note(p: PortfolioInfo, lastValue: number): void {
    this.noteInception(p.inception);
    this.lastByStrategy.set(p.strategy_id, (this.lastByStrategy.get(p.strategy_id) ?? 0) + lastValue);
  }

  /** Everything another pool has noted. */
  noteAll(other: PoolMeta): void {
    if (other.inception !== null) this.noteInception(other.inception);
    for (const [strategy, value] of other.lastByStrategy) this.lastByStrategy.set(strategy, (this.lastByStrategy.get(strategy) ?? 0) + value);
  }

  private noteInception(inception: string): void {
    if (this.inception === null || inception < this.inception) this.inception = inception;
  }

  /** The benchmark of the strategies with the largest value (ties: the lower benchmark id, as the SQL path orders). */
  benchmark(benchmarkOfStrategy: Map<number, number | null>): number | null {
    const byBenchmark = new Map<number, number>();
    for (const [strategy, value] of this.lastByStrategy) {
      const b = benchmarkOfStrategy.get(strategy);
      if (b != null) byBenchmark.set(b, (byBenchmark.get(b) ?? 0) + value);
    }
    let best = -1;
    let benchmarkId: number | null = null;
    for (const [b, v] of [...byBenchmark].sort((x, y) => x[0] - y[0])) if (v > best) [best, benchmarkId] = [v, b];
    return benchmarkId;
  }
}

/** A book-wide pool (strategy, RM, team, firm): the same sums in arrays over every day of the book. */
class DensePool extends PoolMeta {
  readonly delta: Float64Array;
  readonly flow: Float64Array;
  readonly present: Uint8Array;
  /** The days touched since the last reset (indices). */
  lo = Infinity;
  hi = -Infinity;
  constructor(
    readonly type: string,
    readonly id: number,
    span: number,
  ) {
    super();
    this.delta = new Float64Array(span);
    this.flow = new Float64Array(span);
    this.present = new Uint8Array(span);
  }
  add(at: number, delta: number, flow: number): void {
    this.delta[at]! += delta;
    this.flow[at]! += flow;
    this.present[at] = 1;
    if (at < this.lo) this.lo = at;
    if (at > this.hi) this.hi = at;
  }
  /** Adds another pool's days (and what it noted). */
  addPool(other: DensePool): void {
    for (let at = other.lo; at <= other.hi; at++) if (other.present[at]) this.add(at, other.delta[at]!, other.flow[at]!);
    this.noteAll(other);
  }

  /** Empty again, for the next client (only the touched days are cleared). */
  reset(): void {
    if (this.hi >= this.lo) {
      this.delta.fill(0, this.lo, this.hi + 1);
      this.flow.fill(0, this.lo, this.hi + 1);
      this.present.fill(0, this.lo, this.hi + 1);
    }
    this.lo = Infinity;
    this.hi = -Infinity;
    this.inception = null;
    this.lastByStrategy.clear();
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

