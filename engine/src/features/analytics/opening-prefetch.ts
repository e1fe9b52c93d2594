import type { ReservedSql } from '../../db/client.js';
import { monthsAtOrBefore, openingDays, replayOpenings, type OpeningLookup } from './book-metrics.js';
import { monthStart, SeriesState, START, type BenchmarkDays, type SeriesCheckpoint } from './series-state.js';
import type { RecomputedEntity } from './incremental-series.js';
import { entityKey } from './series-store.js';

/** States by entity (key `type:id`) and day. */
export type OpeningStates = Map<string, Map<number, SeriesCheckpoint | null>>;

/** Whose opening states to look up: an entity's metric periods as of `asOf`, from the months before `from`. */
interface Target {
  type: string;
  id: number;
  benchmarkId: number | null;
  inception: string | null;
  /** Day numbers: the first row, the last row, the first day of the first month the run rewrites. */
  first: number | null;
  asOf: number | null;
  from: number;
}

/**
 * The opening states of the metric periods of an incremental run's entities, looked up on a second connection while
 * the run's transaction computes the series (PostgreSQL). The months before an entity's rewritten ones are as
 * committed, so their lookups need not wait for the transaction: the metric step then starts with these states at
 * hand (computeMetrics `openings`) and looks up only what is not here.
 *
 * The portfolios' lookups start with the run, on a guess (`guessPortfolios`: each dirty portfolio's last row is the
 * later of its dirty date and its stored last row, as after one more day); each level's recomputed entities are then
 * checked against what the level did (`request`): states in months it rewrote are dropped, days the guess missed are
 * looked up. Only checked entities' states are handed over.
 */
export class OpeningPrefetch {
  private readonly states: OpeningStates = new Map();
  private readonly checked = new Set<string>();
  /** The benchmark each guessed portfolio's states were replayed with. */
  private readonly guessedBenchmark = new Map<string, number | null>();
  private readonly scratch = new SeriesState(START, undefined);
  /** The jobs so far, in order on the reader; it rejects with the first failure. */
  private chain: Promise<void>;
  private finished: Promise<OpeningStates> | null = null;

  constructor(
    private readonly reader: ReservedSql,
    private readonly benches: Map<number, BenchmarkDays>,
  ) {
    // A reserved connection has no begin(): its own transaction by hand (the lookup keys' temporary table lives in it).
    this.chain = this.settled(reader.unsafe('begin').then(() => {}));
  }

  /** Guesses the dirty portfolios' periods from their stored entity rows and starts their lookups. */
  guessPortfolios(dirty: { portfolio_id: number; from_date: string }[]): void {
    this.then(async () => {
      const guesses = await this.reader<Target[]>`
        select 'portfolio' as type, e.entity_id as id, e.benchmark_id as "benchmarkId", p.inception_date::text as inception,
               e.first_date - date '1970-01-01' as first, greatest(e.as_of, d.from_date) - date '1970-01-01' as "asOf",
               date_trunc('month', d.from_date)::date - date '1970-01-01' as from
        from (select id, min(from_date) as from_date from unnest(${dirty.map((c) => c.portfolio_id)}::int[], ${dirty.map((c) => c.from_date)}::date[]) as u(id, from_date)
              group by id) d
        join analytics_entities e on e.entity_type = 'portfolio' and e.entity_id = d.id
        join portfolios p on p.id = d.id
        order by e.entity_id`;
      for (const g of guesses) this.guessedBenchmark.set(entityKey(g.type, g.id), g.benchmarkId);
      await this.lookUp(guesses);
    });
  }

  /** Checks a level's recomputed entities against what is at hand and looks up the rest; runs after the jobs before. */
  request(entities: RecomputedEntity[]): void {
    const targets = entities.map((e): Target => ({ ...e, asOf: e.last.date }));
    this.then(async () => {
      for (const t of targets) {
        const key = entityKey(t.type, t.id);
        this.checked.add(key);
        const known = this.states.get(key);
        const guessed = this.guessedBenchmark.get(key);
        // Replayed with another benchmark than the metric step's: of no use.
        if (guessed !== undefined && guessed !== t.benchmarkId) known?.clear();
        if (known) for (const day of known.keys()) if (monthStart(day) >= t.from) known.delete(day);
      }
      await this.lookUp(targets);
    });
  }

  /**
   * Waits for the lookups and ends the reader's transaction: the checked entities' states by day (a day whose month had
   * no row at or before it is not there: the metric step finds none either). Rejects with the first failure. Idempotent.
   */
  finish(): Promise<OpeningStates> {
    this.finished ??= this.chain
      .finally(() => this.reader.unsafe('rollback'))
      .then(() => {
        for (const key of this.states.keys()) if (!this.checked.has(key)) this.states.delete(key);
        return this.states;
      });
    return this.finished;
  }

  /** The targets' opening days on or after their first row, in months before their rewritten ones, not yet at hand. */
  private async lookUp(targets: Target[]): Promise<void> {
    const lookups = new Map<string, OpeningLookup>();
    // In the order of `targets` (key order) and months ascending: probed in index order.
    const batch: [string, number, number][] = [];
    for (const t of targets) {
      if (t.asOf === null || t.inception === null || t.first === null) continue;
      const key = entityKey(t.type, t.id);
      let known = this.states.get(key);
      const first = t.first;
      const days = openingDays(t.asOf, t.inception).filter((d) => d >= first && monthStart(d) < t.from && !known?.has(d));
      if (!days.length) continue;
      if (!known) this.states.set(key, (known = new Map()));
      const lookup: OpeningLookup = { bench: t.benchmarkId === null ? undefined : this.benches.get(t.benchmarkId), days, months: days.map(monthStart), known };
      lookups.set(key, lookup);
      for (const m of new Set(lookup.months)) batch.push([t.type, t.id, m]);
    }
    await monthsAtOrBefore(
      this.reader,
      'postgres',
      batch,
      (want, row) => {
        const lookup = lookups.get(entityKey(row.type, row.id));
        if (lookup) replayOpenings(this.scratch, lookup, want, row);
      },
      (type, id, month) => !lookups.get(entityKey(type, id))?.months.includes(month),
    );
  }

  private then(job: () => Promise<void>): void {
    if (this.finished) throw new Error('OpeningPrefetch: a job after finish');
    this.chain = this.settled(this.chain.then(job));
  }

  /** The promise, marked handled: a failure waits for finish() instead of surfacing as an unhandled rejection. */
  private settled(p: Promise<void>): Promise<void> {
    p.catch(() => {});
    return p;
  }
}
