import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDayNumber } from '../../analytics/shared/iso-date.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { computeBook } from './book-compute.js';
import type { RecomputedEntity } from './incremental-series.js';
import { OpeningPrefetch, type OpeningStates } from './opening-prefetch.js';
import { monthStart, START } from './series-state.js';
import { loadBenchmarkDays } from './series-store.js';
import { loadFixtureBook } from './testing/book-fixture.js';

// The run's guesses of the portfolios' opening states are checked against what the portfolio level did: a state the
// level's real figures would not give is dropped and looked up again. (Incremental runs against a full rebuild:
// book-compute.db.test.ts.) PostgreSQL only: the lookups read with COPY, which embedded PGlite does not have.

let t: TestApp;

/** TP1 as the portfolio level would report it after one more day (2025-01-01), with the given benchmark and first month rewritten. */
async function tp1(benchmarkId: number | null, from: string): Promise<RecomputedEntity> {
  const [e] = await t.db.sql<{ id: number; inception: string; first: number }[]>`
    select e.entity_id as id, p.inception_date::text as inception, e.first_date - date '1970-01-01' as first
    from analytics_entities e join portfolios p on p.id = e.entity_id where e.entity_type = 'portfolio' and p.portfolio_code = 'TP1'`;
  return { type: 'portfolio', id: e!.id, benchmarkId, inception: e!.inception, first: e!.first, last: { ...START, date: toDayNumber('2025-01-01') }, from: monthStart(toDayNumber(from)) };
}

/** The states handed over after an optional guess (TP1 dirty from 2025-01-01) and the level's report. */
async function prefetched(guess: boolean, level: RecomputedEntity): Promise<OpeningStates> {
  const reader = await t.db.sql.reserve();
  try {
    const prefetch = new OpeningPrefetch(reader, await loadBenchmarkDays(t.db.sql));
    if (guess) prefetch.guessPortfolios([{ portfolio_id: level.id, from_date: '2025-01-01' }]);
    prefetch.request([level]);
    return await prefetch.finish();
  } finally {
    reader.release();
  }
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('OpeningPrefetch', () => {
  beforeAll(async () => {
    t = await createTestApp();
    await loadFixtureBook(t.db.sql, '2024-12-31');
    await computeBook(t.db.sql, { kind: t.db.kind });
  });
  afterAll(() => t.close());

  it('keeps a guess the level confirms: the same states as looking them up afterwards', async () => {
    const [stored] = await t.db.sql<{ benchmark_id: number }[]>`
      select benchmark_id from analytics_entities e join portfolios p on p.id = e.entity_id where e.entity_type = 'portfolio' and p.portfolio_code = 'TP1'`;
    const level = await tp1(stored!.benchmark_id, '2025-01-01');
    const guessed = (await prefetched(true, level)).get(`portfolio:${level.id}`)!;
    expect(guessed.size).toBeGreaterThan(5);
    expect(guessed).toEqual((await prefetched(false, level)).get(`portfolio:${level.id}`));
  });

  it('drops the states of months the level rewrote and of another benchmark than the level used', async () => {
    const [row] = await t.db.sql<{ benchmark_id: number; other: number }[]>`
      select e.benchmark_id, (select min(id) from benchmarks where id <> e.benchmark_id) as other
      from analytics_entities e join portfolios p on p.id = e.entity_id where e.entity_type = 'portfolio' and p.portfolio_code = 'TP1'`;
    const { benchmark_id, other } = row!;
    // Recomputed from June (a back-dated change): the guess's states from July to December are not the level's.
    const fromJune = await tp1(benchmark_id, '2024-06-14');
    const june = (await prefetched(true, fromJune)).get(`portfolio:${fromJune.id}`)!;
    expect([...june.keys()].every((day) => day < monthStart(toDayNumber('2024-06-01')))).toBe(true);
    expect(june).toEqual((await prefetched(false, fromJune)).get(`portfolio:${fromJune.id}`));
    // Compared with another benchmark: the guess replayed its months with the stored one.
    const otherBenchmark = await tp1(other, '2025-01-01');
    const looked = (await prefetched(false, otherBenchmark)).get(`portfolio:${otherBenchmark.id}`)!;
    const stored = (await prefetched(false, await tp1(benchmark_id, '2025-01-01'))).get(`portfolio:${otherBenchmark.id}`)!;
    expect(looked).not.toEqual(stored);
    expect((await prefetched(true, otherBenchmark)).get(`portfolio:${otherBenchmark.id}`)).toEqual(looked);
  });
});
