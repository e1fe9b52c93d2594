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

  it('gives the state after the last row on or before each opening day of the months the level did not rewrite', async () => {
    const sql = t.db.sql;
    const [tp1] = await sql<{ id: number; benchmark_id: number; inception: string; first: number }[]>`
      select e.entity_id as id, e.benchmark_id, p.inception_date::text as inception, e.first_date - date '1970-01-01' as first
      from analytics_entities e join portfolios p on p.id = e.entity_id where e.entity_type = 'portfolio' and p.portfolio_code = 'TP1'`;
    // TP1 as the portfolio level reports it after one more day (2025-01-01) with its months from December rewritten.
    const asOf = toDayNumber('2025-01-01');
    const from = monthStart(toDayNumber('2024-12-15'));
    const reader = await sql.reserve();
    let states;
    try {
      const prefetch = new OpeningPrefetch(reader, await loadBenchmarkDays(sql));
      prefetch.request([
        { type: 'portfolio', id: tp1!.id, benchmarkId: tp1!.benchmark_id, inception: tp1!.inception, first: tp1!.first, last: { ...START, date: asOf }, from },
      ]);
      states = (await prefetch.finish()).get(`portfolio:${tp1!.id}`)!;
    } finally {
      reader.release();
    }
    const days = openingDays(asOf, tp1!.inception).filter((d) => d >= tp1!.first && d < from);
    expect(days.length).toBeGreaterThanOrEqual(4);
    expect([...states.keys()].sort((a, b) => a - b)).toEqual(days);
    for (const day of days) {
      const [row] = await sql<{ value_date: string; value: string; n: number; s_r: number; log_growth: number; s_rb: number }[]>`
        select value_date::text, value::text, n, s_r, log_growth, s_rb from analytics_series
        where entity_type = 'portfolio' and entity_id = ${tp1!.id} and value_date <= ${fromDayNumber(day)} order by value_date desc limit 1`;
      const s = states.get(day)!;
      expect([fromDayNumber(s.date!), (s.value / 100).toFixed(2), s.n]).toEqual([row!.value_date, row!.value, row!.n]);
      for (const [a, b] of [[s.s_r, row!.s_r], [s.lg, row!.log_growth], [s.s_rb, row!.s_rb]] as const) {
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
      }
    }
  });
});
