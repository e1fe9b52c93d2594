import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { analyticsWorker } from '../analytics/analytics-worker.js';
import { importDeps, importOkBook } from '../imports/test-helpers.js';
import { registerNotifications } from './register-notifications.js';
import type { RefreshBus } from './refresh-bus.js';

let t: TestApp;
let bus: RefreshBus;
beforeAll(async () => {
  t = await createTestApp();
  bus = registerNotifications(t.deps, { analytics: analyticsWorker(t.deps) });
});
afterAll(async () => {
  bus?.close();
  await t?.close();
});

describe('refresh notifications from the analytics worker', () => {
  it('an analytics run that wrote series publishes kind analytics with its run id; a run that wrote nothing publishes nothing', async () => {
    const worker = analyticsWorker(t.deps);
    // The fixture book straight through runImport (its own deps: no import events), then one real recompute.
    await importOkBook(await importDeps(t.db));
    worker.request('test', true);
    await worker.idle();
    const [run] = await t.db.sql<{ id: number; series_rows: number }[]>`select id, series_rows from analytics_runs where trigger = 'test' order by id desc limit 1`;
    expect(run!.series_rows).toBeGreaterThan(0);
    const analytics = bus.recent.filter((e) => e.kind === 'analytics');
    expect(analytics).toEqual([{ kind: 'analytics', runId: String(run!.id), asOf: worker.state.lastResult!.finishedAt, scope: 'book' }]);

    // Nothing new to compute: an incremental run that writes no rows stays silent (today's worker writes none here;
    // should the analytics storage ever rewrite rows on an idle run, that run is announced like any other).
    worker.request('again');
    await worker.idle();
    const again = worker.state.lastResult!;
    expect(again.trigger).toBe('again');
    expect(bus.recent.filter((e) => e.kind === 'analytics')).toHaveLength(again.seriesRows + again.metricRows > 0 ? 2 : 1);
  });
});
