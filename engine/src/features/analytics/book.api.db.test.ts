import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { analyticsWorker } from './analytics-worker.js';
import { loadFixtureBook } from './testing/book-fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadFixtureBook(t.db.sql, '2024-03-28');
});
afterAll(async () => {
  await analyticsWorker(t.deps).idle();
  await t.close();
});

interface Status {
  queue: { dirtyPortfolios: number; dirtyIndices: number };
  worker: { running: unknown; pending: boolean };
  stored: { entities: number; metricRows: number; asOf: string | null };
  runs: { trigger: string; mode: string; status: string; portfolios: number; groups: number; phasesMs: Record<string, number> | null }[];
}
const status = async (key?: string) => (await (await t.app.request('/api/analytics/status', { headers: t.auth(key) })).json()) as Status;

describe('precomputed book over HTTP', () => {
  it('shows the queue filled by the triggers before any run', async () => {
    const s = await status();
    expect(s.queue).toEqual({ dirtyPortfolios: 5, dirtyIndices: 3, oldestChange: expect.any(String) });
    expect(s.stored.entities).toBe(0);
    expect(s.runs).toEqual([]);
  });

  it('refuses a recompute without admin (403)', async () => {
    const key = await t.keyWith(['analytics']);
    const res = await t.app.request('/api/analytics/recompute', { method: 'POST', headers: t.auth(key) });
    expect(res.status).toBe(403);
  });

  it('queues a recompute (202) that runs in the background and empties the queue', async () => {
    const res = await t.app.request('/api/analytics/recompute', { method: 'POST', headers: t.auth() });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ queued: true, full: false });
    await analyticsWorker(t.deps).idle();
    const s = await status(await t.keyWith(['read']));
    expect(s.queue.dirtyPortfolios).toBe(0);
    expect(s.queue.dirtyIndices).toBe(0);
    // 5 portfolios + 3 clients + 4 strategies + 2 RMs + 2 teams + the firm
    expect(s.stored.entities).toBe(17);
    expect(s.stored.asOf).toBe('2024-03-28');
    // The first run on a store never computed is a full build.
    expect(s.runs[0]).toMatchObject({ mode: 'full', status: 'succeeded', portfolios: 5, groups: 12 });
    // A full build streams the book once (full-rebuild.ts); incremental runs go level by level.
    expect(Object.keys(s.runs[0]!.phasesMs!).sort()).toEqual(['benchmarks', 'index', 'metrics', 'series']);
  });

  it('recomputes after an import through the API, only the portfolio it touched and its aggregates', async () => {
    const csv = 'ws_account_code,valuation_date,market_value\nTP4,01/04/2024,"12,34,567.89"\n';
    const form = new FormData();
    form.set('kind', 'valuations');
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'valuations.csv');
    const res = await t.app.request('/api/imports', { method: 'POST', body: form, headers: t.auth() });
    expect(res.status).toBe(201);
    await analyticsWorker(t.deps).idle();
    const s = await status();
    // TP4 belongs to client TC3, RM TR2, teams TR2 and TR1, strategy HYB and the firm.
    expect(s.runs[0]).toMatchObject({ mode: 'incremental', status: 'succeeded', portfolios: 1, groups: 6 });
    expect(s.runs[0]!.trigger).toMatch(/^import:\d+:valuations$/);
    const [row] = await t.db.sql<{ as_of: string; value: string }[]>`
      select e.as_of::text, s.value::text from analytics_entities e
      join analytics_series s on s.entity_type = e.entity_type and s.entity_id = e.entity_id and s.value_date = e.as_of
      where e.entity_type = 'portfolio' and e.entity_id = (select id from portfolios where portfolio_code = 'TP4')`;
    expect(row).toEqual({ as_of: '2024-04-01', value: '1234567.89' });
    const [firm] = await t.db.sql<{ as_of: string }[]>`select as_of::text from analytics_entities where entity_type = 'firm'`;
    expect(firm!.as_of).toBe('2024-04-01');
  });
});
