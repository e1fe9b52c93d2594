import type { TransactionSql } from '../../db/client.js';
import { fromDayNumber, toDayNumber } from '../../analytics/shared/iso-date.js';
import { GROUP_LEVELS, METHOD } from './book-compute.js';
import { BinaryCopyWriter, copyBinary, paiseToDecimal, writeRows, type Columns, type Row } from './bulk-write.js';

/**
 * Full rebuild of every series in one streaming pass: the book's valuations are read once (per chunk of clients, in
 * client, portfolio, date order), each portfolio's and client's series is computed as its rows go by, and the pools of
 * strategies, RMs, teams and the firm are summed per day in memory (values as exact integer paise). Rows go back with
 * COPY on PostgreSQL (batched inserts on embedded PGlite, which has no COPY). Same formulas, in the same order, as the
 * set-wise SQL of the incremental path — tests check the two agree.
 */
export async function rebuildAllSeries(tx: TransactionSql, kind: 'postgres' | 'embedded'): Promise<{ rows: number; entities: number }> {
  const portfolios = await tx<{ id: number; client_id: number; strategy_id: number; inception: string; rm_id: number | null; benchmark_id: number | null }[]>`
    select p.id, p.client_id, p.strategy_id, p.inception_date::text as inception, c.rm_id, s.benchmark_id
    from portfolios p join clients c on c.id = p.client_id join strategies s on s.id = p.strategy_id`;
  await tx.unsafe(`insert into analytics_group_members ${GROUP_LEVELS.map(([, , q]) => q).join(' union all ')} on conflict do nothing`);
  const teams = await tx<{ entity_id: number; member_id: number }[]>`select entity_id, member_id from analytics_group_members where entity_type = 'team'`;
  const teamsOfRm = new Map<number, number[]>();
  for (const t of teams) push(teamsOfRm, t.member_id, t.entity_id);
  const strategies = await tx<{ id: number; benchmark_id: number | null }[]>`select id, benchmark_id from strategies`;
  const benchmarkOfStrategy = new Map(strategies.map((s) => [s.id, s.benchmark_id]));

  const benchRows = await tx<{ benchmark_id: number; value_date: string; daily_return: number | null }[]>`
    select benchmark_id, value_date::text, daily_return from benchmark_series where daily_return is not null`;
  const bench = new Map<number, Map<number, number>>();
  for (const b of benchRows) {
    let m = bench.get(b.benchmark_id);
    if (!m) bench.set(b.benchmark_id, (m = new Map()));
    m.set(toDayNumber(b.value_date), b.daily_return!);
  }

  const sink = new SeriesSink(kind);
  let rows = 0;
  const entities: EntityInfo[] = [];
  const pools = new Map<string, Pool>();
  const poolOf = (type: string, id: number) => {
    const k = `${type}:${id}`;
    let p = pools.get(k);
    if (!p) pools.set(k, (p = { type, id, days: new Map(), inception: null, lastByStrategy: new Map() }));
    return p;
  };
  const byId = new Map(portfolios.map((p) => [p.id, p]));

  const clientIds = [...new Set(portfolios.map((p) => p.client_id))].sort((a, b) => a - b);
  const CHUNK = 100; // clients per read: bounded memory, and the connection is free between reads for COPY
  for (let i = 0; i < clientIds.length; i += CHUNK) {
    const lo = clientIds[i]!;
    const hi = clientIds[Math.min(i + CHUNK, clientIds.length) - 1]!;
    const cursor = tx<{ pid: number; cid: number; d: string; v: string; f: string | null }[]>`
      with pp as (select id from portfolios where client_id between ${lo} and ${hi}),
      fl as (
        select ef.portfolio_id,
               (select min(v2.valuation_date) from valuations v2 where v2.portfolio_id = ef.portfolio_id and v2.valuation_date >= ef.flow_date) as att,
               sum(ef.amount) as amount
        from pp join external_flows ef on ef.portfolio_id = pp.id
        group by ef.portfolio_id, 2)
      select p.id as pid, p.client_id as cid, v.valuation_date::text as d, v.market_value::text as v, fl.amount::text as f
      from portfolios p join valuations v on v.portfolio_id = p.id
      left join fl on fl.portfolio_id = v.portfolio_id and fl.att = v.valuation_date
      where p.client_id between ${lo} and ${hi}
      order by p.client_id, p.id, v.valuation_date`;
    let client: Pool | null = null;
    let current: { id: number; series: SeriesState; prev: number } | null = null;
    const finishPortfolio = () => {
      if (!current) return;
      const p = byId.get(current.id)!;
      entities.push(current.series.info('portfolio', p.id, p.benchmark_id, p.inception));
      const last = current.series.lastValue;
      for (const pool of poolsOfPortfolio(p)) {
        if (pool.inception === null || p.inception < pool.inception) pool.inception = p.inception;
        pool.lastByStrategy.set(p.strategy_id, (pool.lastByStrategy.get(p.strategy_id) ?? 0) + last);
      }
      current = null;
    };
    const finishClient = () => {
      finishPortfolio();
      if (client) emitPool(client, sink, entities, bench, benchmarkOfStrategy);
      client = null;
    };
    const poolsOfPortfolio = (p: (typeof portfolios)[number]) => {
      const list = [client!, poolOf('strategy', p.strategy_id), poolOf('firm', 0)];
      if (p.rm_id !== null) {
        list.push(poolOf('rm', p.rm_id));
        for (const team of teamsOfRm.get(p.rm_id) ?? []) list.push(poolOf('team', team));
      }
      return list;
    };
    {
      for (const row of await cursor) {
        if (!client || client.id !== row.cid) {
          finishClient();
          client = { type: 'client', id: row.cid, days: new Map(), inception: null, lastByStrategy: new Map() };
        }
        if (!current || current.id !== row.pid) {
          finishPortfolio();
          const p = byId.get(row.pid)!;
          current = { id: row.pid, series: new SeriesState(sink, 'portfolio', row.pid, bench.get(p.benchmark_id ?? -1)), prev: 0 };
        }
        const value = paise(row.v);
        const flow = row.f === null ? 0 : paise(row.f);
        const delta = value - current.prev;
        current.prev = value;
        const day = toDayNumber(row.d);
        current.series.add(day, value, delta, flow);
        for (const pool of poolsOfPortfolio(byId.get(row.pid)!)) {
          const cell = pool.days.get(day);
          if (cell) {
            cell[0] += delta;
            cell[1] += flow;
          } else pool.days.set(day, [delta, flow]);
        }
      }
    }
    finishClient();
    rows += await sink.flush(tx);
  }
  for (const pool of pools.values()) emitPool(pool, sink, entities, bench, benchmarkOfStrategy);
  rows += await sink.flush(tx);

  // Entities.
  const cols = ['entity_type', 'entity_id', 'benchmark_id', 'inception_date', 'first_date', 'as_of', 'last_value'] as const;
  for (let i = 0; i < entities.length; i += 20_000) {
    const part = entities.slice(i, i + 20_000);
    await tx`insert into analytics_entities (entity_type, entity_id, benchmark_id, inception_date, first_date, as_of, last_value, method)
             select *, ${METHOD} from unnest(${part.map((e) => e.entity_type)}::text[], ${part.map((e) => e.entity_id)}::int[],
               ${part.map((e) => e.benchmark_id) as number[]}::int[], ${part.map((e) => e.inception_date) as string[]}::date[],
               ${part.map((e) => e.first_date) as string[]}::date[], ${part.map((e) => e.as_of) as string[]}::date[], ${part.map((e) => e.last_value) as string[]}::numeric[])`;
  }
  void cols;
  return { rows, entities: entities.length };
}

interface EntityInfo {
  entity_type: string;
  entity_id: number;
  benchmark_id: number | null;
  inception_date: string | null;
  first_date: string | null;
  as_of: string | null;
  last_value: string | null;
}

interface Pool {
  type: string;
  id: number;
  /** day → [Σ value deltas, Σ flows] in paise. */
  days: Map<number, [number, number]>;
  inception: string | null;
  /** Last value per strategy among the pool's portfolios (paise): picks the pool's benchmark. */
  lastByStrategy: Map<number, number>;
}

function emitPool(pool: Pool, sink: SeriesSink, entities: EntityInfo[], bench: Map<number, Map<number, number>>, benchmarkOfStrategy: Map<number, number | null>) {
  // The strategy with the largest value (ties: the lower benchmark id, as the SQL path orders).
  let benchmarkId: number | null = null;
  if (pool.type === 'strategy') benchmarkId = benchmarkOfStrategy.get(pool.id) ?? null;
  else {
    const byBenchmark = new Map<number, number>();
    for (const [strategy, value] of pool.lastByStrategy) {
      const b = benchmarkOfStrategy.get(strategy);
      if (b != null) byBenchmark.set(b, (byBenchmark.get(b) ?? 0) + value);
    }
    let best = -1;
    for (const [b, v] of [...byBenchmark].sort((x, y) => x[0] - y[0])) if (v > best) [best, benchmarkId] = [v, b];
  }
  const series = new SeriesState(sink, pool.type, pool.id, benchmarkId === null ? undefined : bench.get(benchmarkId));
  let value = 0;
  for (const day of [...pool.days.keys()].sort((a, b) => a - b)) {
    const [delta, flow] = pool.days.get(day)!;
    value += delta;
    series.add(day, value, delta, flow);
  }
  entities.push(series.info(pool.type, pool.id, benchmarkId, pool.inception));
}

/** Running state of one entity's series: the same quantities, in the same order, as the SQL of the incremental path. */
class SeriesState {
  private prev = 0;
  private lg = 0;
  private n = 0;
  private s_r = 0;
  private s_r2 = 0;
  private s_dn2 = 0;
  private pn = 0;
  private s_pr = 0;
  private s_pr2 = 0;
  private s_b = 0;
  private s_b2 = 0;
  private s_rb = 0;
  private peak = 0;
  private mdd = 0;
  private first: number | null = null;
  private last: number | null = null;
  lastValue = 0;

  constructor(
    private readonly sink: SeriesSink,
    private readonly type: string,
    private readonly id: number,
    private readonly bench: Map<number, number> | undefined,
  ) {}

  add(day: number, value: number, delta: number, flow: number) {
    const v = value / 100;
    const p = this.prev / 100;
    const f = flow / 100;
    const r = p + f > 0 ? (v - p - f) / (p + f) : null;
    const b = this.bench?.get(day) ?? null;
    if (r !== null) {
      this.lg += Math.log(Math.max(1 + r, 1e-300));
      this.n++;
      this.s_r += r;
      this.s_r2 += r * r;
      this.s_dn2 += r < 0 ? r * r : 0;
      if (b !== null) {
        this.pn++;
        this.s_pr += r;
        this.s_pr2 += r * r;
        this.s_b += b;
        this.s_b2 += b * b;
        this.s_rb += r * b;
      }
    }
    this.peak = Math.max(this.peak, this.lg);
    this.mdd = Math.min(this.mdd, Math.exp(Math.max(this.lg - this.peak, -700)) - 1);
    this.sink.push([
      this.type, this.id, day, value, delta, flow, r, this.lg, b,
      this.n, this.s_r, this.s_r2, this.s_dn2, this.pn, this.s_pr, this.s_pr2, this.s_b, this.s_b2, this.s_rb, this.peak, this.mdd,
    ]);
    this.prev = value;
    this.lastValue = value;
    if (this.first === null) this.first = day;
    this.last = day;
  }

  info(type: string, id: number, benchmarkId: number | null, inception: string | null): EntityInfo {
    return {
      entity_type: type,
      entity_id: id,
      benchmark_id: benchmarkId,
      inception_date: inception,
      first_date: this.first === null ? null : fromDayNumber(this.first),
      as_of: this.last === null ? null : fromDayNumber(this.last),
      last_value: this.last === null ? null : paiseToDecimal(this.lastValue),
    };
  }
}

/** Decimal string with at most 2 decimals → integer paise (exact below 2^53 paise, ₹90 lakh crore). */
function paise(s: string): number {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) throw new Error(`amount ${s} has more than 2 decimals`);
  const v = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(v)) throw new Error(`amount ${s} is too large for exact pooling`);
  return neg ? -v : v;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * Where computed series rows go until the chunk is written: on PostgreSQL straight into a binary COPY buffer (no row
 * objects kept alive), on PGlite into arrays for batched inserts.
 */
class SeriesSink {
  private readonly binary: BinaryCopyWriter | null;
  private rows: Row[] = [];
  constructor(private readonly kind: 'postgres' | 'embedded') {
    this.binary = kind === 'postgres' ? new BinaryCopyWriter(SERIES_COLUMNS) : null;
  }
  push(row: Row) {
    if (this.binary) this.binary.row(row);
    else this.rows.push(row);
  }
  async flush(tx: TransactionSql): Promise<number> {
    if (this.binary) return copyBinary(tx, 'analytics_series', this.binary);
    const rows = this.rows;
    this.rows = [];
    return writeRows(tx, this.kind, 'analytics_series', SERIES_COLUMNS, rows);
  }
}

const SERIES_COLUMNS: Columns = [
  ['entity_type', 'text'], ['entity_id', 'int'], ['value_date', 'date'], ['value', 'paise'], ['value_delta', 'paise'],
  ['net_flow', 'paise'], ['daily_return', 'float8'], ['log_growth', 'float8'], ['benchmark_return', 'float8'], ['n', 'int'],
  ['s_r', 'float8'], ['s_r2', 'float8'], ['s_dn2', 'float8'], ['pn', 'int'], ['s_pr', 'float8'], ['s_pr2', 'float8'], ['s_b', 'float8'],
  ['s_b2', 'float8'], ['s_rb', 'float8'], ['peak_log_growth', 'float8'], ['max_drawdown', 'float8'],
];

