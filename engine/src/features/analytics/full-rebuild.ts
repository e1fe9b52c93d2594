import type { TransactionSql } from '../../db/client.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import { GROUP_LEVELS } from './book-compute.js';
import { readRows } from './bulk-read.js';
import { MonthPacker, START, type BenchmarkDays } from './series-state.js';
import { entityKey, saveEntities, SeriesWriter, type ComputedEntity, type Finals, type StoreKind } from './series-store.js';

interface PortfolioInfo {
  id: number;
  client_id: number;
  strategy_id: number;
  inception: string;
  rm_id: number | null;
  benchmark_id: number | null;
}

/**
 * Full rebuild of every series in one pass over the book: the valuations are read once (binary COPY on PostgreSQL),
 * then client by client each portfolio's and client's series is computed and packed into months, while the pools of
 * strategies, RMs, teams and the firm are summed per day in memory (exact integer paise). The months stream back
 * through one COPY while the next clients are computed. Same formulas as the incremental path (SeriesState); tests
 * check the two agree.
 */
export async function rebuildAllSeries(
  tx: TransactionSql,
  kind: StoreKind,
  benches: Map<number, BenchmarkDays>,
  method: string,
  finals: Finals,
): Promise<{ rows: number; entities: number }> {
  const portfolios = await tx<PortfolioInfo[]>`
    select p.id, p.client_id, p.strategy_id, p.inception_date::text as inception, c.rm_id, s.benchmark_id
    from portfolios p join clients c on c.id = p.client_id join strategies s on s.id = p.strategy_id
    order by p.client_id, p.id`;
  await tx.unsafe(`insert into analytics_group_members ${GROUP_LEVELS.map(([, , q]) => q).join(' union all ')} on conflict do nothing`);
  const teams = await tx<{ entity_id: number; member_id: number }[]>`select entity_id, member_id from analytics_group_members where entity_type = 'team'`;
  const teamsOfRm = new Map<number, number[]>();
  for (const t of teams) push(teamsOfRm, t.member_id, t.entity_id);
  const strategies = await tx<{ id: number; benchmark_id: number | null }[]>`select id, benchmark_id from strategies`;
  const benchmarkOfStrategy = new Map(strategies.map((s) => [s.id, s.benchmark_id]));

  const book = await readBook(tx, kind);
  const flows = await readFlows(tx, kind);

  const writer = new SeriesWriter(tx, kind);
  const entities: ComputedEntity[] = [];
  const emit = (type: string, id: number, benchmarkId: number | null, inception: string | null, input: (packer: MonthPacker) => void) => {
    const packer = new MonthPacker(type, id, START, benchmarkId === null ? undefined : benches.get(benchmarkId), (m) => writer.month(m));
    input(packer);
    packer.finish();
    const last = packer.state.snapshot();
    finals.set(entityKey(type, id), last);
    entities.push({ type, id, benchmarkId, inception, first: packer.first, last });
  };

  const span = book.maxDay - book.minDay + 1;
  const pools = new Map<string, DensePool>();
  const poolOf = (type: string, id: number) => {
    const k = entityKey(type, id);
    let p = pools.get(k);
    if (!p) pools.set(k, (p = new DensePool(type, id, span)));
    return p;
  };

  try {
    for (let i = 0; i < portfolios.length; ) {
      const clientId = portfolios[i]!.client_id;
      const client = new SparsePool();
      for (; i < portfolios.length && portfolios[i]!.client_id === clientId; i++) {
        const p = portfolios[i]!;
        const seg = book.segments.get(p.id);
        const attached = seg ? attachFlows(book, seg, flows.get(p.id)) : new Map<number, number>();
        const shared = [poolOf('strategy', p.strategy_id), poolOf('firm', 0)];
        if (p.rm_id !== null) {
          shared.push(poolOf('rm', p.rm_id));
          for (const team of teamsOfRm.get(p.rm_id) ?? []) shared.push(poolOf('team', team));
        }
        emit('portfolio', p.id, p.benchmark_id, p.inception, (packer) => {
          if (!seg) return;
          let prev = 0;
          for (let j = seg[0]; j < seg[1]; j++) {
            const day = book.day[j]!;
            const value = book.value[j]!;
            const flow = attached.get(j) ?? 0;
            packer.add(day, value, flow);
            client.add(day, value - prev, flow);
            for (const pool of shared) pool.add(day - book.minDay, value - prev, flow);
            prev = value;
          }
        });
        const last = finals.get(entityKey('portfolio', p.id))!;
        client.note(p, last.value);
        for (const pool of shared) pool.note(p, last.value);
      }
      emit('client', clientId, client.benchmark(benchmarkOfStrategy), client.inception, (packer) => {
        let value = 0;
        for (const day of [...client.days.keys()].sort((a, b) => a - b)) {
          const [delta, flow] = client.days.get(day)!;
          value += delta;
          packer.add(day, value, flow);
        }
      });
      await writer.pump();
    }
    for (const pool of pools.values()) {
      const benchmarkId = pool.type === 'strategy' ? (benchmarkOfStrategy.get(pool.id) ?? null) : pool.benchmark(benchmarkOfStrategy);
      emit(pool.type, pool.id, benchmarkId, pool.inception, (packer) => {
        let value = 0;
        for (let d = 0; d < span; d++) {
          if (!pool.present[d]) continue;
          value += pool.delta[d]!;
          packer.add(book.minDay + d, value, pool.flow[d]!);
        }
      });
      await writer.pump();
    }
    await writer.close();
  } catch (err) {
    await writer.abort(err);
    throw err;
  }
  await saveEntities(tx, method, entities);
  return { rows: writer.rows, entities: entities.length };
}

/** Every valuation, portfolio by portfolio in date order: days, values (paise), and each portfolio's [start, end). */
async function readBook(tx: TransactionSql, kind: StoreKind) {
  let cap = 1 << 20;
  let pid = new Int32Array(cap);
  let day = new Int32Array(cap);
  let value = new Float64Array(cap);
  let n = 0;
  await readRows(
    tx,
    kind,
    `select portfolio_id as pid, valuation_date as d, market_value as v from valuations order by portfolio_id, valuation_date`,
    [['pid', 'int'], ['d', 'date'], ['v', 'paise']],
    (cells) => {
      if (n === cap) {
        cap *= 2;
        pid = grow(pid, new Int32Array(cap));
        day = grow(day, new Int32Array(cap));
        value = grow(value, new Float64Array(cap));
      }
      pid[n] = cells[0] as number;
      day[n] = cells[1] as number;
      value[n] = cells[2] as number;
      n++;
    },
  );
  const segments = new Map<number, [number, number]>();
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && pid[j] === pid[i]) j++;
    segments.set(pid[i]!, [i, j]);
    minDay = Math.min(minDay, day[i]!);
    maxDay = Math.max(maxDay, day[j - 1]!);
    i = j;
  }
  if (n === 0) minDay = maxDay = 0;
  return { day: day.subarray(0, n), value: value.subarray(0, n), segments, minDay, maxDay };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** External flows per portfolio and day (paise). */
async function readFlows(tx: TransactionSql, kind: StoreKind): Promise<Map<number, [number, number][]>> {
  const out = new Map<number, [number, number][]>();
  await readRows(tx, kind, `select portfolio_id as pid, flow_date as d, sum(amount) as a from external_flows group by 1, 2`, [['pid', 'int'], ['d', 'date'], ['a', 'paise']], (cells) =>
    push(out, cells[0] as number, [cells[1] as number, cells[2] as number]),
  );
  return out;
}

/** Each flow counts on the portfolio's first valuation on or after its date (none after the last: not counted). */
function attachFlows(book: { day: Int32Array }, seg: [number, number], flows: [number, number][] | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!flows) return out;
  const days = book.day.subarray(seg[0], seg[1]);
  for (const [d, amount] of flows) {
    const i = lastIndexAtOrBefore(days, d - 1, (x) => x) + 1;
    if (i < days.length) out.set(seg[0] + i, (out.get(seg[0] + i) ?? 0) + amount);
  }
  return out;
}

/** What picks an aggregate's benchmark and inception: its portfolios' strategies, last values and inceptions. */
class PoolMeta {
  inception: string | null = null;
  /** Last value per strategy among the pool's portfolios (paise). */
  private readonly lastByStrategy = new Map<number, number>();

  note(p: PortfolioInfo, lastValue: number): void {
    if (this.inception === null || p.inception < this.inception) this.inception = p.inception;
    this.lastByStrategy.set(p.strategy_id, (this.lastByStrategy.get(p.strategy_id) ?? 0) + lastValue);
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

/** A client's pool: day → [Σ value changes, Σ flows] (paise). */
class SparsePool extends PoolMeta {
  readonly days = new Map<number, [number, number]>();
  add(day: number, delta: number, flow: number): void {
    const cell = this.days.get(day);
    if (cell) {
      cell[0] += delta;
      cell[1] += flow;
    } else this.days.set(day, [delta, flow]);
  }
}

/** A book-wide pool (strategy, RM, team, firm): the same sums in arrays over every day of the book. */
class DensePool extends PoolMeta {
  readonly delta: Float64Array;
  readonly flow: Float64Array;
  readonly present: Uint8Array;
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
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

