import type { ReservedSql } from '../../db/client.js';
import { monthsAtOrBefore, openingDays, replayOpenings, type OpeningLookup } from './book-metrics.js';
import { monthStart, SeriesState, START, type BenchmarkDays, type SeriesCheckpoint } from './series-state.js';
import type { RecomputedEntity } from './incremental-series.js';
import { entityKey } from './series-store.js';

/** States by entity (key `type:id`) and day. */
export type OpeningStates = Map<string, Map<number, SeriesCheckpoint | null>>;

/**
 * The opening states of the metric periods of the entities each series level has just recomputed, looked up on a
 * second connection while the run's transaction goes on with the levels above (PostgreSQL, incremental runs). The
 * months before an entity's rewritten ones are as committed, so their lookups need not wait for the transaction: the
 * metric step then starts with these states at hand (computeMetrics `openings`) and looks up only what is not here.
 *
 * An entity's periods close at its last row and open at days of its inception and that date (openingDays, as the
 * metric step works them out); only days on or after its first row and in months before its rewritten ones are looked up,
 * and not those from the recompute's checkpoint on (their state is that checkpoint).
 */
export class OpeningPrefetch {
  private readonly states: OpeningStates = new Map();
  private readonly scratch = new SeriesState(START, undefined);
  /** The lookups so far, one batch per level, in order on the reader; it rejects with the first failure. */
  private chain: Promise<void>;
  private finished: Promise<OpeningStates> | null = null;

  constructor(
    private readonly reader: ReservedSql,
    private readonly benches: Map<number, BenchmarkDays>,
  ) {
    // A reserved connection has no begin(): its own transaction by hand (the lookup keys' temporary table lives in it).
    this.chain = this.settled(reader.unsafe('begin').then(() => {}));
  }

  /** Queues the lookups of a level's recomputed entities; they run after the ones before. */
  request(entities: RecomputedEntity[]): void {
    if (this.finished) throw new Error('OpeningPrefetch: request after finish');
    const lookups = new Map<string, OpeningLookup>();
    // In the order of `entities` (a level's work is in key order) and months ascending: probed in index order.
    const batch: [string, number, number][] = [];
    for (const e of entities) {
      if (e.last.date === null || e.inception === null || e.first === null) continue;
      const { first, c, from } = e;
      const known = new Map<number, SeriesCheckpoint | null>();
      const days: number[] = [];
      for (const d of openingDays(e.last.date, e.inception)) {
        if (d < first || monthStart(d) >= from) continue;
        // From the recompute's checkpoint (the last row before `from`) to `from`, the state is that checkpoint. (Without
        // one, the first row is at `from` or later: no day from it on is in a month before `from`.)
        if (c.date !== null && d >= c.date) known.set(d, c);
        else days.push(d);
      }
      const key = entityKey(e.type, e.id);
      this.states.set(key, known);
      if (!days.length) continue;
      const lookup: OpeningLookup = { bench: e.benchmarkId === null ? undefined : this.benches.get(e.benchmarkId), days, months: days.map(monthStart), known };
      lookups.set(key, lookup);
      for (const m of new Set(lookup.months)) batch.push([e.type, e.id, m]);
    }
    if (!batch.length) return;
    this.chain = this.settled(
      this.chain.then(() =>
        monthsAtOrBefore(
          this.reader,
          'postgres',
          batch,
          (want, row) => {
            const lookup = lookups.get(entityKey(row.type, row.id));
            if (lookup) replayOpenings(this.scratch, lookup, want, row);
          },
          (type, id, month) => !lookups.get(entityKey(type, id))?.months.includes(month),
          // Back to the event loop after each chunk: the run's transaction waits for its statements' results meanwhile.
          () => new Promise((resolve) => setImmediate(resolve)),
        ),
      ),
    );
  }

  /**
   * Waits for the lookups and ends the reader's transaction: the states by entity and day (a day whose month had no row
   * at or before it is not there: the metric step finds none either). Rejects with the first failure. Idempotent.
   */
  finish(): Promise<OpeningStates> {
    this.finished ??= this.chain.finally(() => this.reader.unsafe('rollback')).then(() => this.states);
    return this.finished;
  }

  /** The promise, marked handled: a failure waits for finish() instead of surfacing as an unhandled rejection. */
  private settled(p: Promise<void>): Promise<void> {
    p.catch(() => {});
    return p;
  }
}
