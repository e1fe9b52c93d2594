import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { startFakeOrg, type FakeOrg } from '../../connectors/salesforce/fake-org/index.js';
import { SCENARIO_ACCOUNT_FIELDS, scenarioSettings, seedOrg, seedOurBook, type Scenario } from '../salesforce/testing/scenario.js';

let t: TestApp;
let fake: FakeOrg;
let s: Scenario;
let dir: string;

beforeAll(async () => {
  fake = await startFakeOrg({ customFields: { Account: SCENARIO_ACCOUNT_FIELDS } });
  s = seedOrg(fake, { clients: 100, tasks: 50 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-recon-'));
  const configFile = path.join(dir, 'salesforce.json');
  // Stale-data checks would depend on today's date: switched off here (the sync tests pin the date).
  fs.writeFileSync(configFile, JSON.stringify({ ...scenarioSettings, reconciliation: { ...scenarioSettings.reconciliation, staleAfterDays: 100_000 } }));
  t = await createTestApp({
    SALESFORCE_INSTANCE_URL: fake.url,
    SALESFORCE_CLIENT_ID: 'fake-client-id',
    SALESFORCE_CLIENT_SECRET: 'fake-client-secret',
    SALESFORCE_CONFIG_FILE: configFile,
  });
  await seedOurBook(t.db.sql, { clients: 100, tasks: 50 });
});
afterAll(async () => {
  await t.close();
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const json = (body: unknown) => ({ method: 'POST', headers: { ...t.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
type Item = { id: number; kind: string; subjectKey: string; status: string; resolutionReason: string | null; resolvedBy: string | null };

describe('sync and reconciliation over HTTP', () => {
  it('runs a sync, serves the queue to reviewers only, and keeps resolutions across the next (full) sync', async () => {
    const first = await t.app.request('/api/sync/salesforce?wait=true', { method: 'POST', headers: t.auth() });
    expect(first.status).toBe(200);
    const run1 = await first.json();
    expect(run1).toMatchObject({ status: 'succeeded', mode: 'incremental', trigger: 'api', error: null });
    expect(run1.counts.Account).toEqual({ fetched: 99, upserted: 99, deleted: 0 }); // 98 clients with an Account + 1 prospect

    const res = await t.app.request('/api/reconciliation?pageSize=500', { headers: t.auth() });
    expect(res.status).toBe(200);
    const queue = (await res.json()) as { items: Item[]; total: number; byKind: Record<string, number> };
    const planted = s.expected.filter((e) => e.kind !== 'stale_data');
    expect(queue.items.map((i) => ({ kind: i.kind, subjectKey: i.subjectKey }))).toEqual(
      [...planted].sort((a, b) => a.kind.localeCompare(b.kind) || a.subjectKey.localeCompare(b.subjectKey)),
    );
    expect(queue.byKind).toEqual({ unmatched_client: 2, rm_mismatch: 2, aum_difference: 2, unmatched_salesforce_account: 1 });

    expect((await t.app.request('/api/reconciliation', { headers: t.auth(await t.keyWith(['read'])) })).status).toBe(403);
    expect((await t.app.request('/api/reconciliation', { headers: t.auth(await t.keyWith(['sync'])) })).status).toBe(200);

    const prospect = queue.items.find((i) => i.kind === 'unmatched_salesforce_account')!;
    const mismatch = queue.items.find((i) => i.kind === 'rm_mismatch' && i.subjectKey === 'WS000053')!;
    const aum = queue.items.find((i) => i.kind === 'aum_difference' && i.subjectKey === 'WS000004')!;
    // Validation and rules first.
    expect((await t.app.request(`/api/reconciliation/${aum.id}/resolve`, json({ action: 'ignore', reason: '' }))).status).toBe(400);
    const notLinkable = await t.app.request(`/api/reconciliation/${mismatch.id}/resolve`, json({ action: 'link', clientCode: 'WS000053' }));
    expect(notLinkable.status).toBe(400);
    expect((await notLinkable.json()).error.code).toBe('NOT_LINKABLE');
    const sync = await t.keyWith(['sync']);
    expect((await t.app.request(`/api/reconciliation/${aum.id}/resolve`, { ...json({ action: 'ignore', reason: 'x' }), headers: { ...t.auth(sync), 'content-type': 'application/json' } })).status).toBe(403);

    const ignored = await t.app.request(`/api/reconciliation/${aum.id}/resolve`, json({ action: 'ignore', reason: 'Salesforce AUM includes an advisory mandate' }));
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toMatchObject({ status: 'ignored', resolutionReason: 'Salesforce AUM includes an advisory mandate', resolvedBy: expect.stringMatching(/^key:/) });
    const linked = await t.app.request(`/api/reconciliation/${prospect.id}/resolve`, json({ action: 'link', clientCode: 'ws000002' }));
    expect(linked.status).toBe(200);
    expect(await linked.json()).toMatchObject({ status: 'linked', clientCode: 'WS000002', salesforceAccountId: prospect.subjectKey });
    const [client] = await t.db.sql`select salesforce_account_id from clients where client_code = 'WS000002'`;
    expect(client!.salesforce_account_id).toBe(prospect.subjectKey);

    const second = await t.app.request('/api/sync/salesforce?wait=true&mode=full', { method: 'POST', headers: t.auth() });
    expect((await second.json()).status).toBe('succeeded');
    const all = (await (await t.app.request('/api/reconciliation?status=all&pageSize=500', { headers: t.auth() })).json()) as { items: Item[] };
    const state = Object.fromEntries(all.items.map((i) => [`${i.kind} ${i.subjectKey}`, i.status]));
    expect(state).toEqual({
      'aum_difference WS000004': 'ignored', // still different, still ignored
      'aum_difference WS000054': 'open',
      'rm_mismatch WS000003': 'open',
      'rm_mismatch WS000053': 'open',
      // The newly linked pair: the prospect is owned by RM01's user, client WS000002 belongs to RM03.
      'rm_mismatch WS000002': 'open',
      'unmatched_client WS000002': 'linked',
      'unmatched_client WS000052': 'open',
      [`unmatched_salesforce_account ${prospect.subjectKey}`]: 'linked',
    });

    const runs = await (await t.app.request('/api/sync/runs', { headers: t.auth() })).json();
    expect(runs.total).toBe(2);
    expect(runs.items.map((r: { mode: string; status: string }) => [r.mode, r.status])).toEqual([
      ['full', 'succeeded'],
      ['incremental', 'succeeded'],
    ]);
    expect((await t.app.request('/api/sync/runs', { headers: t.auth(await t.keyWith(['read'])) })).status).toBe(403);
  });
});
