/**
 * Salesforce sync at the "done means" size: a fake org of 20,000 Accounts and 200,000 Tasks
 * (plus Users and Events) against our book of 20,000 clients, through the real jsforce client.
 * Prints the first (full) sync, an incremental second run after a few changes (records fetched
 * per object, from the fake's request log too), and whether the reconciliation queue equals the
 * planted mismatches exactly. Run: npx tsx scripts/bench/salesforce-sync.bench.ts [clients] [tasks]
 * Uses embedded PGlite in a temp dir, or DATABASE_URL (an empty database) when set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../engine/src/db/client.js';
import { migrate } from '../../engine/src/db/migrate.js';
import { startFakeOrg } from '../../engine/src/connectors/salesforce/fake-org/index.js';
import { createSalesforceConnection } from '../../engine/src/connectors/salesforce/index.js';
import { runSalesforceSync } from '../../engine/src/features/salesforce/salesforce-sync.js';
import { parseSalesforceSettings } from '../../engine/src/features/salesforce/salesforce-settings.js';
import { SCENARIO_ACCOUNT_FIELDS, SCENARIO_AS_OF, scenarioSettings, seedOrg, seedOurBook } from '../../engine/src/features/salesforce/testing/scenario.js';

// 20,271 clients → 20,001 Accounts (2% of clients are planted without one, 1 prospect per 150 is added).
const clients = Number(process.argv[2] ?? 20_271);
const tasks = Number(process.argv[3] ?? 200_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bench-'));
const ms = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(2)} s`;

let clock = Date.parse('2025-12-01T10:00:00.000Z');
const fake = await startFakeOrg({ now: () => clock, customFields: { Account: SCENARIO_ACCOUNT_FIELDS }, bulkPollsBeforeComplete: 1 });
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, poolMax: 4 });
try {
  await migrate(db.sql);
  let t0 = performance.now();
  const s = seedOrg(fake, { clients, tasks, events: Math.round(tasks / 20) });
  await seedOurBook(db.sql, { clients, tasks });
  console.log(`seeded ${clients} clients / ${s.accountIds.length} Accounts / ${tasks} Tasks in ${ms(t0)} (database: ${db.kind})`);

  const ctx = {
    db,
    settings: parseSalesforceSettings(scenarioSettings),
    connect: () => createSalesforceConnection({ instanceUrl: fake.url, auth: { kind: 'client-credentials', clientId: 'fake-client-id', clientSecret: 'fake-client-secret' } }),
  };
  t0 = performance.now();
  const first = await runSalesforceSync(ctx, { trigger: 'bench', asOf: SCENARIO_AS_OF });
  console.log(`first sync: ${first.status} in ${ms(t0)}; via ${JSON.stringify(first.via)}`);
  console.log(`  counts ${JSON.stringify(first.counts)}`);
  if (first.status !== 'succeeded') throw new Error(JSON.stringify(first.error));

  const sortKey = (e: { kind: string; subjectKey: string }) => `${e.kind} ${e.subjectKey}`;
  const open = async () =>
    (await db.sql<{ kind: string; subject_key: string }[]>`select kind, subject_key from reconciliation_items where status = 'open'`).map((r) => sortKey({ kind: r.kind, subjectKey: r.subject_key })).sort();
  const expected = s.expected.map(sortKey).sort();
  const got = await open();
  const exact = got.length === expected.length && got.every((k, i) => k === expected[i]);
  console.log(`  reconciliation: ${got.length} open items, planted ${expected.length}, exact match: ${exact}`);

  clock += 3_600_000;
  for (let i = 0; i < 25; i++) fake.org.update('Account', s.accountIds[i * 7]!, { Name: `Renamed ${i}` });
  for (let i = 0; i < 100; i++) fake.org.update('Task', s.taskIds[i * 13]!, { Status: 'Completed' });
  fake.requests.length = 0;
  t0 = performance.now();
  const second = await runSalesforceSync(ctx, { trigger: 'bench', asOf: SCENARIO_AS_OF });
  console.log(`incremental sync: ${second.status} in ${ms(t0)}; changed 25 Accounts + 100 Tasks`);
  console.log(`  counts ${JSON.stringify(second.counts)} (fetched includes the records within the ${ctx.settings.sync.overlapSeconds} s overlap before each watermark)`);
  console.log(`  Salesforce requests: ${fake.requests.length} (${fake.requests.filter((r) => r.pathname.includes('/jobs/query')).length} Bulk API)`);
  const after = await open();
  console.log(`  reconciliation after: ${after.length} open items, unchanged: ${after.join() === got.join()}`);
} finally {
  await db.close();
  await fake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
