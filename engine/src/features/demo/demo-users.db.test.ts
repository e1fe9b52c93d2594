import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { importDeps, importOkBook } from '../imports/test-helpers.js';
import { createDemoUsers, readDemoLogins } from './demo-users.js';

let t: TestApp;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-users-'));
beforeAll(async () => {
  t = await createTestApp();
  await importOkBook(await importDeps(t.db));
});
afterAll(() => t?.close());

describe('demo sign-ins', () => {
  it('creates one sign-in per role, each seeing what its role allows', async () => {
    const logins = await createDemoUsers(t.db.sql, dataDir);
    expect(logins.map((l) => `${l.email} ${l.role}`)).toEqual([
      'admin@demo.pms admin',
      'cio@demo.pms management',
      'compliance@demo.pms compliance',
      'manager@demo.pms rm', // RM001, the head: RM002 and RM003 report to them
      'rm@demo.pms rm', // RM002
    ]);
    expect(readDemoLogins(dataDir)).toEqual(logins);
    expect(fs.statSync(path.join(dataDir, 'demo-logins.json')).mode & 0o777).toBe(0o600);

    const total = async (email: string) => {
      const session = await t.login(email, logins.find((l) => l.email === email)!.password);
      const res = await t.app.request('/api/clients?pageSize=50', { headers: session.headers(false) });
      return (await res.json() as { total: number }).total;
    };
    expect(await total('cio@demo.pms')).toBe(4);
    expect(await total('manager@demo.pms')).toBe(4); // the team's clients
    expect(await total('rm@demo.pms')).toBe(2); // C000101 and C000103
  });

  it('does not replace existing sign-ins on a second call', async () => {
    const again = await createDemoUsers(t.db.sql, path.join(dataDir, 'second'));
    expect(again).toEqual([]);
  });
});
