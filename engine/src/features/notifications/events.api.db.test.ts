import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOrg, type FakeOrg } from '../../connectors/salesforce/fake-org/index.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAST_RETRY } from '../../connectors/salesforce/testing/fake-connect.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { fixture } from '../imports/test-helpers.js';
import { salesforceContext } from '../salesforce/salesforce-context.js';
import { runSalesforceSync } from '../salesforce/salesforce-sync.js';
import { registerNotifications } from './register-notifications.js';
import type { RefreshBus } from './refresh-bus.js';

let fake: FakeOrg;
let t: TestApp;
let bus: RefreshBus;
let server: ServerType;
let base: string;

beforeAll(async () => {
  fake = await startFakeOrg();
  // The Salesforce connector configured against the HTTP-level fake org (client credentials).
  t = await createTestApp({
    SALESFORCE_INSTANCE_URL: fake.url,
    SALESFORCE_CLIENT_ID: FAKE_CLIENT_ID,
    SALESFORCE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
  });
  bus = registerNotifications(t.deps);
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  bus?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.close();
  await fake?.close();
});

/** Reads an SSE response until `until` says stop; returns the raw text. */
async function readStream(res: Response, until: (text: string) => boolean, ms = 10_000): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  while (!until(text)) {
    if (Date.now() > deadline) throw new Error(`stream did not deliver in ${ms} ms: ${JSON.stringify(text)}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

async function importRms() {
  const form = new FormData();
  form.set('kind', 'relationship-managers');
  form.set('file', new Blob([fs.readFileSync(fixture('ok/rm_master.csv'))]), 'rm_master.csv');
  const res = await fetch(`${base}/api/imports`, {
    method: 'POST',
    body: form,
    headers: t.auth(),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; finishedAt: string };
}

describe('GET /api/events (Server-Sent Events over a real HTTP server)', () => {
  it('refuses a caller without credentials', async () => {
    const res = await fetch(`${base}/api/events`);
    expect(res.status).toBe(401);
  });

  it('streams a refresh event after an import, and the import publishes PMS_Data_Refresh__e to Salesforce', async () => {
    const res = await fetch(`${base}/api/events`, { headers: t.auth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = readStream(res, (s) => s.includes('event: refresh') && s.endsWith('\n\n'));
    // The stream is open (the ': connected' comment is written first): now import.
    await new Promise((r) => setTimeout(r, 50));
    const run = await importRms();
    const text = await reading;
    expect(text.startsWith(': connected\n\n')).toBe(true);
    const data = /event: refresh\ndata: (.+)\nid: 1\n/.exec(text) ?? /data: (.+)\n/.exec(text.slice(text.indexOf('event: refresh')));
    expect(JSON.parse(data![1]!)).toEqual({
      kind: 'import',
      runId: String(run.id),
      asOf: run.finishedAt,
      scope: 'relationship-managers',
    });

    // Same event, through the connector, as a Platform Event in the org (published asynchronously).
    for (let i = 0; i < 100 && fake.org.all('PMS_Data_Refresh__e').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const published = fake.org.all('PMS_Data_Refresh__e');
    expect(
      published.map((e) => ({
        kind: e.Kind__c,
        runId: e.Run_Id__c,
        asOf: e.As_Of__c,
        scope: e.Scope__c,
      })),
    ).toEqual([
      {
        kind: 'import',
        runId: String(run.id),
        asOf: run.finishedAt,
        scope: 'relationship-managers',
      },
    ]);
  });

  it('a Salesforce failure is logged, never breaks the import', async () => {
    const before = fake.org.all('PMS_Data_Refresh__e').length;
    fake.faults.inject({
      kind: 'unavailable',
      path: '/sobjects/PMS_Data_Refresh__e',
      times: 50,
    });
    const run = await importRms(); // 201 all the same
    expect(run.id).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.org.all('PMS_Data_Refresh__e')).toHaveLength(before);
    fake.faults.clear();
  });

  it('a successful Salesforce sync publishes kind sync (stream and Platform Event)', async () => {
    const ctx = salesforceContext(t.deps)!;
    const run = await runSalesforceSync({ ...ctx, retry: FAST_RETRY }, { mode: 'full', trigger: 'test' });
    expect(run.status).toBe('succeeded');
    const event = {
      kind: 'sync',
      runId: String(run.id),
      asOf: run.finishedAt,
      scope: 'salesforce',
    };
    expect(bus.recent.filter((e) => e.kind === 'sync')).toEqual([event]);
    for (let i = 0; i < 100 && !fake.org.all('PMS_Data_Refresh__e').some((e) => e.Kind__c === 'sync'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(
      fake.org
        .all('PMS_Data_Refresh__e')
        .filter((e) => e.Kind__c === 'sync')
        .map((e) => e.Run_Id__c),
    ).toEqual([String(run.id)]);
  });

  it('ends open streams when the bus closes (shutdown)', async () => {
    const res = await fetch(`${base}/api/events`, { headers: t.auth() });
    const reader = res.body!.getReader();
    await reader.read(); // ': connected'
    bus.close();
    let done = false;
    for (let i = 0; i < 5 && !done; i++) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
