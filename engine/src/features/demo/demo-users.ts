import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Queryable } from '../../db/client.js';
import { hashPassword } from '../auth/password.js';
import type { Role } from '../auth/roles.js';
import { insertUser } from '../users/users.queries.js';

export interface DemoLogin {
  email: string;
  role: Role;
  who: string;
  password: string;
}

const FILE = 'demo-logins.json';

/**
 * Sign-ins for the demo firm, one per role, so the stand-alone dashboard can be tried at once:
 * a regional manager (sees their team's clients) and one RM reporting to them (sees only their own).
 * Passwords are random, kept in DATA_DIR (mode 600) and shown at start, like the bootstrap key.
 */
export async function createDemoUsers(sql: Queryable, dataDir: string): Promise<DemoLogin[]> {
  const [team] = await sql<{ manager_id: number; manager_name: string; manager_code: string; rm_id: number; rm_name: string; rm_code: string }[]>`
    select m.id as manager_id, m.name as manager_name, m.rm_code as manager_code, r.id as rm_id, r.name as rm_name, r.rm_code as rm_code
    from relationship_managers r join relationship_managers m on m.id = r.manager_id
    order by (m.manager_id is null), m.rm_code, r.rm_code limit 1`; // a regional manager if there is one, else the head
  const people: { email: string; name: string; role: Role; rmId: number | null; who: string }[] = [
    { email: 'admin@demo.pms', name: 'Demo Admin', role: 'admin', rmId: null, who: 'everything, incl. PAN' },
    { email: 'cio@demo.pms', name: 'Demo CIO', role: 'management', rmId: null, who: 'the whole firm' },
    { email: 'compliance@demo.pms', name: 'Demo Compliance', role: 'compliance', rmId: null, who: 'the whole firm, PAN and the audit trail' },
  ];
  if (team) {
    people.push({ email: 'manager@demo.pms', name: team.manager_name, role: 'rm', rmId: team.manager_id, who: `${team.manager_code}'s team` });
    people.push({ email: 'rm@demo.pms', name: team.rm_name, role: 'rm', rmId: team.rm_id, who: `${team.rm_code}'s clients only` });
  }
  const logins: DemoLogin[] = [];
  for (const p of people) {
    const password = crypto.randomBytes(9).toString('base64url');
    const created = await insertUser(sql, { email: p.email, name: p.name, role: p.role, rmId: p.rmId, salesforceUserId: null, passwordHash: await hashPassword(password) });
    if (created) logins.push({ email: p.email, role: p.role, who: p.who, password });
  }
  const file = path.resolve(dataDir, FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(logins, null, 2), { mode: 0o600 });
  return logins;
}

/** The demo sign-ins kept from the first start, if any. */
export function readDemoLogins(dataDir: string): DemoLogin[] {
  const file = path.resolve(dataDir, FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoLogin[]) : [];
}
