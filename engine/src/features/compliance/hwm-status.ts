import type { AppDeps } from '../../app-env.js';
import type { Queryable } from '../../db/client.js';
import { ALL_CLIENTS, visibleClients, type ClientScope } from '../../lib/scope.js';
import type { RefreshBus } from '../notifications/refresh-bus.js';
import { hwmReport, listFeePortfolioIds, loadFeeData } from './hwm.js';

/** Portfolios replayed per round trip: bounded memory (each carries its whole valuation history). */
const BATCH = 50;

/**
 * Replays the high-water mark of every portfolio with a performance fee and stores its status in `hwm_status`
 * (portfolios that no longer have one are dropped). Each replay walks the portfolio's life (~35 ms), so this runs
 * in the background, never on a request.
 */
export async function refreshHwmStatus(sql: Queryable): Promise<{ portfolios: number; ms: number }> {
  const t0 = performance.now();
  const { ids } = await listFeePortfolioIds(sql, { scope: ALL_CLIENTS, withPerformanceFee: true, page: 1, pageSize: 2_147_483_647 });
  for (let i = 0; i < ids.length; i += BATCH) {
    const reports = (await loadFeeData(sql, { scope: ALL_CLIENTS, portfolioIds: ids.slice(i, i + BATCH) })).map(hwmReport);
    if (!reports.length) continue;
    const col = <T>(f: (r: (typeof reports)[number]) => T) => reports.map(f);
    await sql`
      insert into hwm_status (portfolio_id, as_of, value, high_water_mark, hurdle_threshold, distance, distance_ratio,
        performance_fee_if_crystallised, next_performance_charge, reconciliation_differences, computed_at)
      select *, now() from unnest(${col((r) => r.portfolioId)}::int[], ${col((r) => r.asOf) as string[]}::date[],
        ${col((r) => r.value) as string[]}::numeric[], ${col((r) => r.highWaterMark) as string[]}::numeric[],
        ${col((r) => r.hurdleThreshold) as string[]}::numeric[], ${col((r) => r.distance) as string[]}::numeric[],
        ${col((r) => r.distanceRatio) as number[]}::float8[], ${col((r) => r.ifCrystallisedToday?.performanceFee ?? null) as string[]}::numeric[],
        ${col((r) => r.nextPerformanceCharge) as string[]}::date[], ${col((r) => r.reconciliation.differences.length)}::int[])
      on conflict (portfolio_id) do update set as_of = excluded.as_of, value = excluded.value, high_water_mark = excluded.high_water_mark,
        hurdle_threshold = excluded.hurdle_threshold, distance = excluded.distance, distance_ratio = excluded.distance_ratio,
        performance_fee_if_crystallised = excluded.performance_fee_if_crystallised,
        next_performance_charge = excluded.next_performance_charge, reconciliation_differences = excluded.reconciliation_differences,
        computed_at = excluded.computed_at`;
  }
  await sql`delete from hwm_status where portfolio_id <> all(${ids}::int[])`;
  return { portfolios: ids.length, ms: Math.round(performance.now() - t0) };
}

export interface HwmSummary {
  portfoliosWithPerformanceFee: number;
  /** Portfolios whose status is stored (all of them once the background replay has run). */
  computed: number;
  aboveMark: number;
  belowMark: number;
  reconciliationDifferences: number;
}

/** The stored statuses in the caller's scope, summed; null when none is stored yet (the caller replays a sample). */
export async function storedHwmSummary(sql: Queryable, scope: ClientScope, portfoliosWithPerformanceFee: number): Promise<HwmSummary | null> {
  const [s] = await sql<{ computed: number; above: number; below: number; differences: number }[]>`
    select count(*)::int as computed,
      count(*) filter (where h.distance_ratio > 0)::int as above,
      count(*) filter (where h.distance_ratio <= 0)::int as below,
      coalesce(sum(h.reconciliation_differences), 0)::int as differences
    from hwm_status h join portfolios p on p.id = h.portfolio_id join clients c on c.id = p.client_id
    where ${visibleClients(sql, scope)}`;
  if (!s || s.computed === 0) return null;
  return {
    portfoliosWithPerformanceFee,
    computed: s.computed,
    aboveMark: s.above,
    belowMark: s.below,
    reconciliationDifferences: s.differences,
  };
}

/**
 * Keeps hwm_status current in the background: a refresh after each `schedule()` (data-refresh events, fee-plan
 * changes), at most one at a time, requests arriving meanwhile folded into one more run.
 */
export class HwmStatusRefresher {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'log'>) {}

  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const r = await refreshHwmStatus(this.deps.db.sql);
          this.deps.log.info({ event: 'hwm-status', ...r }, 'high-water marks refreshed');
        } catch (err) {
          this.deps.log.warn({ event: 'hwm-status', err }, 'high-water marks could not be refreshed');
        }
      } while (this.again);
      this.running = null;
    })();
  }

  /** Resolves when no refresh is running (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

const refreshers = new WeakMap<object, HwmStatusRefresher>();

/**
 * Starts keeping hwm_status current for this engine: a replay now and after every import and analytics run (a
 * Salesforce sync changes nothing a high-water mark reads). Fee-plan changes ask for one through `hwmStatusRefresherOf`.
 */
export function registerHwmStatus(deps: Pick<AppDeps, 'db' | 'log'>, bus: RefreshBus): HwmStatusRefresher {
  const refresher = new HwmStatusRefresher(deps);
  refreshers.set(deps, refresher);
  bus.subscribe((event) => {
    if (event.kind !== 'sync') refresher.schedule();
  });
  refresher.schedule();
  return refresher;
}

/** The engine's refresher, when one is registered (not in tests that build an app without it). */
export function hwmStatusRefresherOf(deps: object): HwmStatusRefresher | undefined {
  return refreshers.get(deps);
}
