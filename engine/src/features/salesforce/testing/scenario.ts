/**
 * A deterministic book on both sides — our clients/RMs/valuations in Postgres and a fake
 * Salesforce org — with mismatches planted at known places, for the sync tests and the bench.
 * Every 50 clients: #1 has an Account with PAN but no client code (linked by PAN, no item),
 * #2 has no Account (unmatched_client), #3 is owned by another RM's user (rm_mismatch),
 * #4 carries a Salesforce AUM off by 1% + ₹50,000 (aum_difference), #5 has an old valuation
 * (stale_data); one extra Account in 150 has an unknown client code (unmatched_salesforce_account).
 */
import type { Queryable } from '../../../db/client.js';
import type { FakeOrg } from '../../../connectors/salesforce/fake-org/index.js';
import type { FieldDef } from '../../../connectors/salesforce/fake-org/schema.js';
import { formatSalesforceDateTime } from '../../../connectors/salesforce/fake-org/index.js';

export const SCENARIO_AS_OF = '2025-12-10';
/** Seeded records are stamped one minute apart from here (distinct SystemModstamps, all in the past of the test clock). */
export const SEED_BASE = Date.parse('2025-06-01T00:00:00.000Z');
export const STALE_DATE = '2025-11-01';

/** Account fields of the scenario org: the defaults plus AUM fields we compare and write back. */
export const SCENARIO_ACCOUNT_FIELDS: FieldDef[] = [
  { name: 'PMS_Client_Code__c', type: 'string' },
  { name: 'PAN__c', type: 'string' },
  { name: 'PMS_AUM__c', type: 'currency' },
  { name: 'PMS_AUM_As_Of__c', type: 'date' },
];

export interface ScenarioSize {
  clients: number;
  tasks: number;
  events?: number;
  rms?: number;
}

export interface Scenario {
  accountIds: string[];
  /** Account Id of client i (undefined for clients planted without an Account). */
  accountOfClient: (string | undefined)[];
  userIds: string[];
  taskIds: string[];
  expected: { kind: string; subjectKey: string }[];
  /** Clients linked only through PAN. */
  panLinked: string[];
}

export const clientCode = (i: number) => `WS${String(i).padStart(6, '0')}`;
const pan = (i: number) => `ABCDE${String(i % 10000).padStart(4, '0')}${String.fromCharCode(65 + Math.floor(i / 10000))}`;
const rmCode = (r: number) => `RM${String(r + 1).padStart(2, '0')}`;
const rmEmail = (r: number) => `rm${String(r + 1).padStart(2, '0')}@pms.example`;
/** Our AUM of client i: ₹50 lakh and up, with paise. */
export const aumOf = (i: number) => `${5_000_000 + i * 1000}.25`;

/** Seed our side: RMs, clients, one portfolio each with its latest valuation. */
export async function seedOurBook(sql: Queryable, size: ScenarioSize): Promise<void> {
  const rms = size.rms ?? 10;
  await sql`insert into strategies (code, name, sebi_category) values ('SFTEST', 'Salesforce test strategy', 'Equity') on conflict (code) do nothing`;
  await sql`insert into relationship_managers ${sql(Array.from({ length: rms }, (_, r) => ({ rm_code: rmCode(r), name: `RM ${r + 1}`, email: rmEmail(r) })))}`;
  const rmIds = new Map((await sql<{ id: number; rm_code: string }[]>`select id, rm_code from relationship_managers`).map((r) => [r.rm_code, r.id]));
  const [strategy] = await sql<{ id: number }[]>`select id from strategies where code = 'SFTEST'`;
  for (let start = 0; start < size.clients; start += 1000) {
    const idx = Array.from({ length: Math.min(1000, size.clients - start) }, (_, k) => start + k);
    const clients = await sql<{ id: number; client_code: string }[]>`
      insert into clients ${sql(idx.map((i) => ({ client_code: clientCode(i), name: `Client ${i}`, pan: pan(i), rm_id: rmIds.get(rmCode(i % rms))!, onboarding_date: '2021-04-01' })))}
      returning id, client_code`;
    const byCode = new Map(clients.map((c) => [c.client_code, c.id]));
    const portfolios = await sql<{ id: number; portfolio_code: string }[]>`
      insert into portfolios ${sql(idx.map((i) => ({ portfolio_code: `P-${clientCode(i)}`, client_id: byCode.get(clientCode(i))!, strategy_id: strategy!.id, inception_date: '2021-04-01' })))}
      returning id, portfolio_code`;
    await sql`insert into valuations ${sql(
      portfolios.map((p) => {
        const i = Number(p.portfolio_code.slice(4));
        return { portfolio_id: p.id, valuation_date: i % 50 === 5 ? STALE_DATE : SCENARIO_AS_OF, market_value: aumOf(i) };
      }),
    )}`;
  }
}

/** Seed the fake org: Users (one per RM + one without an RM), Accounts with planted mismatches, Tasks and Events. */
export function seedOrg(fake: FakeOrg, size: ScenarioSize): Scenario {
  const rms = size.rms ?? 10;
  let n = 0;
  const org = {
    insert(object: string, fields: Record<string, unknown>) {
      const stamp = formatSalesforceDateTime(SEED_BASE + n++ * 60_000);
      return fake.org.insert(object, fields, { systemFields: { CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp } });
    },
  };
  const userIds = Array.from({ length: rms }, (_, r) => org.insert('User', { Username: rmEmail(r), Email: rmEmail(r), FirstName: 'RM', LastName: String(r + 1), IsActive: true }).Id);
  userIds.push(org.insert('User', { Username: 'nobody@pms.example', Email: 'nobody@pms.example', LastName: 'Nobody', IsActive: true }).Id);
  const expected: Scenario['expected'] = [];
  const accountIds: string[] = [];
  const accountOfClient: (string | undefined)[] = [];
  const panLinked: string[] = [];
  for (let i = 0; i < size.clients; i++) {
    const k = i % 50;
    if (k === 2) {
      expected.push({ kind: 'unmatched_client', subjectKey: clientCode(i) });
      accountOfClient.push(undefined);
      continue;
    }
    const owner = k === 3 ? userIds[(i + 1) % rms]! : userIds[i % rms]!;
    if (k === 3) expected.push({ kind: 'rm_mismatch', subjectKey: clientCode(i) });
    let aum = Number(aumOf(i));
    if (k === 4) {
      aum = Math.round((aum * 1.01 + 50_000) * 100) / 100;
      expected.push({ kind: 'aum_difference', subjectKey: clientCode(i) });
    }
    if (k === 5) expected.push({ kind: 'stale_data', subjectKey: `valuations:${clientCode(i)}` });
    if (k === 1) panLinked.push(clientCode(i));
    const id = org.insert('Account', {
      Name: `Client ${i}`,
      OwnerId: owner,
      PMS_Client_Code__c: k === 1 ? null : clientCode(i),
      PAN__c: pan(i),
      PMS_AUM__c: aum,
      PMS_AUM_As_Of__c: SCENARIO_AS_OF,
    }).Id;
    accountIds.push(id);
    accountOfClient.push(id);
  }
  for (let j = 0; j < Math.ceil(size.clients / 150); j++) {
    const id = org.insert('Account', { Name: `Prospect ${j}`, OwnerId: userIds[j % rms]!, PMS_Client_Code__c: `ZZ${String(j).padStart(6, '0')}` }).Id;
    accountIds.push(id);
    expected.push({ kind: 'unmatched_salesforce_account', subjectKey: id });
  }
  const taskIds: string[] = [];
  for (let t = 0; t < size.tasks; t++) {
    const what = accountIds[t % accountIds.length]!;
    taskIds.push(
      org.insert('Task', { Subject: `Review call ${t}`, WhatId: what, OwnerId: userIds[t % rms]!, ActivityDate: '2025-11-15', Status: t % 3 === 0 ? 'Completed' : 'Not Started' }).Id,
    );
  }
  for (let e = 0; e < (size.events ?? 0); e++) {
    org.insert('Event', {
      Subject: `Portfolio review ${e}`,
      WhatId: accountIds[e % accountIds.length]!,
      OwnerId: userIds[e % rms]!,
      ActivityDate: '2025-11-20',
      StartDateTime: '2025-11-20T05:30:00.000+0000',
      EndDateTime: '2025-11-20T06:30:00.000+0000',
      DurationInMinutes: 60,
    });
  }
  return { accountIds, accountOfClient, userIds, taskIds, expected, panLinked };
}

/** Settings input for the scenario org (AUM compared through PMS_AUM__c). */
export const scenarioSettings = {
  fields: { clientCode: 'PMS_Client_Code__c', pan: 'PAN__c', accountAum: 'PMS_AUM__c', accountAumAsOf: 'PMS_AUM_As_Of__c' },
  sync: { bulkPollMs: 5 },
  reconciliation: { aumTolerancePct: 1, aumToleranceAmount: '10000', staleAfterDays: 7 },
};
