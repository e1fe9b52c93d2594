import type { AppDeps } from '../../app-env.js';
import { computeBook, type ComputeResult } from './book-compute.js';

export interface WorkerState {
  running: { trigger: string; full: boolean; startedAt: string } | null;
  pending: { triggers: string[]; full: boolean } | null;
  lastResult: (ComputeResult & { trigger: string; finishedAt: string; ms: number }) | null;
  lastError: { message: string; at: string } | null;
}

/**
 * Recomputes the book's series and metrics off the request path, one run at a time in this process. Requests that
 * arrive while a run is going are merged into one follow-up run (the queue itself lives in analytics_dirty, so a
 * follow-up picks up everything written meanwhile).
 */
export class AnalyticsWorker {
  readonly state: WorkerState = { running: null, pending: null, lastResult: null, lastError: null };
  /** Called after each successful run (notifications); `changed` is false when the run wrote nothing. A throwing listener is ignored. */
  readonly onCompleted: ((run: { runId: number; trigger: string; changed: boolean; finishedAt: string }) => void)[] = [];
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'log'>) {}

  /** Queues a run; returns at once. */
  request(trigger: string, full = false): void {
    const p = this.state.pending;
    this.state.pending = p ? { triggers: [...p.triggers, trigger].slice(-20), full: p.full || full } : { triggers: [trigger], full };
    this.kick();
  }

  /**
   * Starts the drain loop unless one is running. A request that lands after drain() saw an empty queue
   * but before the loop was cleared would otherwise wait forever: the loop re-checks the queue on exit.
   */
  private kick(): void {
    if (this.loop) return;
    this.loop = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.loop = null;
        if (this.state.pending) this.kick();
      });
  }

  /** Resolves when nothing is running or queued (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  private async drain(): Promise<void> {
    while (this.state.pending) {
      const { triggers, full } = this.state.pending;
      this.state.pending = null;
      await this.runOnce(triggers.join(','), full);
    }
  }

  private async runOnce(trigger: string, requestedFull: boolean): Promise<void> {
    const { sql } = this.deps.db;
    const started = Date.now();
    let runId: number | undefined;
    try {
      // A store that has data but was never computed (e.g. loaded before analytics existed) gets a full build.
      const [never] = await sql<{ v: boolean }[]>`select not exists (select 1 from analytics_entities) and exists (select 1 from valuations) as v`;
      const full = requestedFull || never!.v;
      this.state.running = { trigger, full, startedAt: new Date(started).toISOString() };
      const [run] = await sql<{ id: number }[]>`insert into analytics_runs (trigger, mode) values (${trigger.slice(0, 500)}, ${full ? 'full' : 'incremental'}) returning id`;
      runId = run!.id;
      const result = await computeBook(sql, { full, kind: this.deps.db.kind });
      const ms = Date.now() - started;
      await sql`update analytics_runs set status = 'succeeded', portfolios = ${result.portfolios}, groups = ${result.groups},
                series_rows = ${result.seriesRows}, metric_rows = ${result.metricRows}, phases_ms = ${sql.json(result.phasesMs)}, finished_at = now()
                where id = ${runId}`;
      this.state.lastResult = { ...result, trigger, finishedAt: new Date().toISOString(), ms };
      this.deps.log.info({ event: 'analytics', runId, trigger, ...result, ms }, 'analytics recomputed');
      const completed = { runId, trigger, changed: result.seriesRows + result.metricRows > 0, finishedAt: this.state.lastResult.finishedAt };
      for (const listener of this.onCompleted) {
        try {
          listener(completed);
        } catch {
          // a listener's failure is its own business, never the run's
        }
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.state.lastError = { message, at: new Date().toISOString() };
      this.deps.log.error({ event: 'analytics', runId, trigger, err }, 'analytics recompute failed');
      if (runId !== undefined) {
        await sql`update analytics_runs set status = 'failed', error = ${message}, finished_at = now() where id = ${runId}`.catch(() => {});
      }
    } finally {
      this.state.running = null;
    }
  }
}

const workers = new WeakMap<object, AnalyticsWorker>();

/** The app's worker (one per AppDeps). */
export function analyticsWorker(deps: Pick<AppDeps, 'db' | 'log'>): AnalyticsWorker {
  let w = workers.get(deps);
  if (!w) workers.set(deps, (w = new AnalyticsWorker(deps)));
  return w;
}

/** Recomputes analytics after every successful import; with runAtStart, also once now (catches up a stale store). */
export function registerAnalytics(deps: AppDeps, opts: { runAtStart?: boolean } = {}): AnalyticsWorker {
  const worker = analyticsWorker(deps);
  deps.onImported.push((run) => worker.request(`import:${run.id}:${run.kind}`));
  if (opts.runAtStart) worker.request('startup');
  return worker;
}
