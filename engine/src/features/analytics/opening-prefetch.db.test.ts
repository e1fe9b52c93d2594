import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from '../../analytics/shared/iso-date.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { computeBook } from './book-compute.js';
import { openingDays } from './book-metrics.js';
import { OpeningPrefetch } from './opening-prefetch.js';
import { monthStart, START } from './series-state.js';
import { loadBenchmarkDays } from './series-store.js';
import { loadFixtureBook } from './testing/book-fixture.js';

// What the second connection looks up while the levels run, against the analytics_series view (SQL over the same
// stored months). Incremental runs against a full rebuild: book-compute.db.test.ts. PostgreSQL only: the lookups read
// with COPY, which embedded PGlite does not have.

let t: TestApp;

describe.skipIf(!process.env.TEST_DATABASE_URL)('OpeningPrefetch', () => {
  beforeAll(async () => {
    t = await createTestApp();
    await loadFixtureBook(t.db.sql, '2024-12-31');
    await computeBook(t.db.sql, { kind: t.db.kind });
  });
  afterAll(() => t.close());

  /** TP1 as the portfolio level reports it after one more day (2025-01-01) with its months from `rewritten` on recomputed. */
  async function prefetched(rewritten: string) {
    const sql = t.db.sql;
    const [tp1] = await sql<{ id: number; benchmark_id: number; inception: string; first: number }[]>`
      select e.entity_id as id, e.benchmark_id, p.inception_date::text as inception, e.first_date - date '1970-01-01' as first
      from analytics_entities e join portfolios p on p.id = e.entity_id where e.entity_type = 'portfolio' and p.portfolio_code = 'TP1'`;
    const { id, inception, first } = tp1!;
    const asOf = toDayNumber('2025-01-01');
    const from = monthStart(toDayNumber(rewritten));
    const c = await stateAt(id, from - 1);
    const reader = await sql.reserve();
    try {
      const prefetch = new OpeningPrefetch(reader, await loadBenchmarkDays(sql));
      prefetch.request([{ type: 'portfolio', id, benchmarkId: tp1!.benchmark_id, inception, first, last: { ...START, date: asOf }, from, c: { ...START, ...c } }]);
      const states = (await prefetch.finish()).get(`portfolio:${id}`)!;
      return { id, states, days: openingDays(asOf, inception).filter((d) => d >= first && d < from) };
    } finally {
      reader.release();
    }
  }

  /** The analytics_series view's running state after the last row on or before `day`. */
  async function stateAt(id: number, day: number) {
    const [row] = await t.db.sql<{ d: number; value: string; n: number; s_r: number; lg: number; s_rb: number }[]>`
      select value_date - date '1970-01-01' as d, value::text, n, s_r, log_growth as lg, s_rb from analytics_series
      where entity_type = 'portfolio' and entity_id = ${id} and value_date <= ${fromDayNumber(day)} order by value_date desc limit 1`;
    return { date: row!.d, value: Math.round(Number(row!.value) * 100), n: row!.n, s_r: row!.s_r, lg: row!.lg, s_rb: row!.s_rb };
  }

  it('gives the state after the last row on or before each opening day in the months the level did not rewrite', async () => {
    for (const rewritten of ['2025-01-01', '2024-12-15']) {
      const { id, states, days } = await prefetched(rewritten);
      expect(days.length).toBeGreaterThanOrEqual(4);
      expect([...states.keys()].sort((a, b) => a - b)).toEqual(days);
      for (const day of days) {
        const s = states.get(day)!;
        const v = await stateAt(id, day);
        expect([s.date, s.value, s.n]).toEqual([v.date, v.value, v.n]);
        for (const [a, b] of [[s.s_r, v.s_r], [s.lg, v.lg], [s.s_rb, v.s_rb]] as const) expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
      }
    }
  });
});
