import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CLIENTS } from '../../lib/scope.js';
import { createLogger } from '../../lib/logger.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { complianceDashboard } from './compliance-dashboard.js';
import { hwmReport, loadFeeData } from './hwm.js';
import { HwmStatusRefresher, refreshHwmStatus } from './hwm-status.js';

// Book-wide high-water-mark status (issue #7): replayed in the background into hwm_status, summed per caller's scope
// by GET /api/dashboard/compliance instead of replaying a sample of 50 portfolios on each request.
let t: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = async (r: Response): Promise<any> => r.json();
const ids: Record<string, number> = {};

/** Month-end values from ₹1 crore invested at inception, multiplied by `steps` in turn (one per month). */
async function book(code: string, clientId: number, prf: string | null, steps: number[]) {
  const sql = t.db.sql;
  const [p] = await sql`
    insert into portfolios (portfolio_code, client_id, strategy_id, inception_date, management_fee_rate, performance_fee_rate, hurdle_rate)
    values (${code}, ${clientId}, (select id from strategies where code = 'HWX'), '2024-04-01', '0.01', ${prf}, null) returning id`;
  ids[code] = p!.id as number;
  await sql`insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount) values (${p!.id}, 'in', '2024-04-01', 'CS+', 10000000)`;
  let value = 10_000_000;
  await sql`insert into valuations (portfolio_id, valuation_date, market_value) values (${p!.id}, '2024-04-01', ${value.toFixed(2)})`;
  for (const [i, step] of steps.entries()) {
    value *= step;
    const monthEnd = new Date(Date.UTC(2024, 4 + i, 0)).toISOString().slice(0, 10);
    await sql`insert into valuations (portfolio_id, valuation_date, market_value) values (${p!.id}, ${monthEnd}, ${value.toFixed(2)})`;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  const sql = t.db.sql;
  const [rmA] = await sql`insert into relationship_managers (rm_code, name) values ('RM940', 'RM A') returning id`;
  const [rmB] = await sql`insert into relationship_managers (rm_code, name) values ('RM941', 'RM B') returning id`;
  const [a] = await sql`insert into clients (client_code, name, rm_id, onboarding_date) values ('C940', 'Client A', ${rmA!.id}, '2024-04-01') returning id`;
  const [b] = await sql`insert into clients (client_code, name, rm_id, onboarding_date) values ('C941', 'Client B', ${rmB!.id}, '2024-04-01') returning id`;
  await sql`insert into strategies (code, name, sebi_category) values ('HWX', 'HWM Strategy', 'Equity')`;
  // 14 months: FY 2024-25 crystallises at 31 March 2025, then April–May 2025 decide above or below the new mark.
  await book('HW1', a!.id, '0.2', [1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.03, 1.03]); // still rising: above
  await book('HW2', a!.id, '0.2', [1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 1.02, 0.95, 0.97]); // fell after the charge: below
  await book('HW3', b!.id, '0.15', [0.98, 0.97, 0.99, 1.01, 1.0, 0.99, 0.98, 1.0, 1.01, 0.99, 0.98, 0.97, 0.99, 1.0]); // never above its start: below
  await book('HW4', a!.id, null, [1.05, 1.05]); // no performance fee: no status
});
afterAll(() => t.close());

const summary = async (headers: Record<string, string>) => (await body(await t.app.request('/api/dashboard/compliance', { headers }))).highWaterMarks;
/** Stored reconciliation differences of these portfolios: no MGF/PRF was booked here, so every expected charge differs. */
const differences = async (codes: string[]) =>
  (await t.db.sql<{ n: number }[]>`select coalesce(sum(reconciliation_differences), 0)::int as n from hwm_status where portfolio_id = any(${codes.map((c) => ids[c]!)}::int[])`)[0]!.n;

describe('hwm_status', () => {
  it('stores one status per portfolio with a performance fee, equal to the replay', async () => {
    expect(await refreshHwmStatus(t.db.sql)).toMatchObject({ portfolios: 3 });
    const stored = await t.db.sql<{ portfolio_id: number; high_water_mark: string; distance: string; distance_ratio: number; reconciliation_differences: number }[]>`
      select portfolio_id, high_water_mark::text, distance::text, distance_ratio, reconciliation_differences from hwm_status order by portfolio_id`;
    const replayed = (await loadFeeData(t.db.sql, { scope: ALL_CLIENTS, portfolioIds: [ids.HW1!, ids.HW2!, ids.HW3!] })).map(hwmReport);
    expect(stored.map((s) => s.portfolio_id)).toEqual([ids.HW1, ids.HW2, ids.HW3]);
    for (const [i, r] of replayed.entries()) {
      expect(stored[i]).toMatchObject({ high_water_mark: r.highWaterMark, distance: r.distance, reconciliation_differences: r.reconciliation.differences.length });
      expect(stored[i]!.distance_ratio).toBeCloseTo(r.distanceRatio!, 12);
    }
    expect(stored.map((s) => Math.sign(s.distance_ratio))).toEqual([1, -1, -1]);
  });

  it('the compliance dashboard sums the stored statuses within the caller scope', async () => {
    expect(await differences(['HW3'])).toBeGreaterThan(0);
    expect(await summary(t.auth())).toEqual({
      portfoliosWithPerformanceFee: 3, computed: 3, aboveMark: 1, belowMark: 2, reconciliationDifferences: await differences(['HW1', 'HW2', 'HW3']),
    });
    // An RM's scope (the compliance view itself needs the audit scope, which RMs do not have):
    const [rmA] = await t.db.sql<{ id: number }[]>`select id from relationship_managers where rm_code = 'RM940'`;
    expect((await complianceDashboard(t.db.sql, { scope: { all: false, rmIds: [rmA!.id] } })).highWaterMarks).toEqual({
      portfoliosWithPerformanceFee: 2, computed: 2, aboveMark: 1, belowMark: 1, reconciliationDifferences: await differences(['HW1', 'HW2']),
    });
  });

  it('drops a portfolio that no longer has a performance fee', async () => {
    await t.db.sql`update portfolios set performance_fee_rate = 0 where id = ${ids.HW2!}`;
    const refresher = new HwmStatusRefresher({ db: t.db, log: createLogger('silent') });
    refresher.schedule();
    refresher.schedule(); // folded into one more run after the first
    await refresher.idle();
    expect((await t.db.sql`select portfolio_id from hwm_status order by 1`).map((r) => r.portfolio_id)).toEqual([ids.HW1, ids.HW3]);
    expect(await summary(t.auth())).toEqual({
      portfoliosWithPerformanceFee: 2, computed: 2, aboveMark: 1, belowMark: 1, reconciliationDifferences: await differences(['HW1', 'HW3']),
    });
  });
});
