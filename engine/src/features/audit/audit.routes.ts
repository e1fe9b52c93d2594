import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { Page, PageSize, errorResponses, security } from '../../lib/openapi.js';
import { requireScope } from '../auth/auth.middleware.js';
import { auditRequest } from './audit.js';

const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ description: 'bigint as a decimal string' }),
    at: z.union([z.string(), z.date()]),
    actor: z.string(),
    actorRole: z.string().nullable(),
    ip: z.string().nullable(),
    action: z.string(),
    resource: z.string().nullable(),
    clientIds: z.array(z.number().int()).nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEntry');

const AuditQuery = z
  .object({
    page: Page,
    pageSize: PageSize,
    user: z.coerce.number().int().positive().max(2_147_483_647).optional().openapi({ description: 'User id: their own requests, by session, key or acting-for' }),
    actor: z.string().regex(/^(key|user):\d+( via key:\d+)?$|^anonymous$/).optional().openapi({ description: 'Exact actor, e.g. key:3, user:5, user:5 via key:2' }),
    client: z.coerce.number().int().positive().max(2_147_483_647).optional().openapi({ description: 'Entries touching this client id' }),
    action: z.string().regex(/^[a-z_]+(\.[a-z_]+)*\.?$/, 'an action such as clients.read, or a prefix ending in a dot (clients.)').optional(),
    from: z.iso.date().optional().openapi({ description: 'From this date (inclusive, UTC)' }),
    to: z.iso.date().optional().openapi({ description: 'To this date (inclusive, UTC)' }),
  })
  .strict();

const listRoute = createRoute({
  method: 'get',
  path: '/api/audit',
  tags: ['Audit'],
  summary: 'The audit trail: who read or changed what, when and from where (compliance, admin)',
  description: 'Scope audit (compliance users) or admin. Newest first. Reading the trail is itself audited (audit.read).',
  security,
  middleware: [requireScope('audit')] as const,
  request: { query: AuditQuery },
  responses: {
    200: { description: 'A page of entries', content: { 'application/json': { schema: z.object({ items: z.array(AuditEntrySchema), total: z.number().int() }) } } },
    ...errorResponses,
  },
});

export const auditRoutes = new OpenAPIHono<AppEnv>().openapi(listRoute, async (c) => {
  const sql = c.var.deps.db.sql;
  const q = c.req.valid('query');
  const conds = [sql`true`];
  if (q.user !== undefined) conds.push(sql`(a.actor = ${`user:${q.user}`} or a.actor like ${`user:${q.user} via %`})`);
  if (q.actor) conds.push(sql`a.actor = ${q.actor}`);
  if (q.client !== undefined) conds.push(sql`a.client_ids @> array[${q.client}::int]`);
  if (q.action) conds.push(q.action.endsWith('.') ? sql`starts_with(a.action, ${q.action})` : sql`a.action = ${q.action}`);
  if (q.from) conds.push(sql`a.at >= ${q.from}::date`);
  if (q.to) conds.push(sql`a.at < ${q.to}::date + 1`);
  const where = conds.reduce((acc, cond) => sql`${acc} and ${cond}`);
  const items = await sql<z.infer<typeof AuditEntrySchema>[]>`
    select a.id::text as id, a.at, a.actor, a.actor_role as "actorRole", a.ip, a.action, a.resource, a.client_ids as "clientIds", a.details
    from audit_log a where ${where}
    order by a.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`;
  const [n] = await sql<{ total: number }[]>`select count(*)::int as total from audit_log a where ${where}`;
  const { page: _p, pageSize: _s, ...filters } = q;
  await auditRequest(c, { action: 'audit.read', resource: 'audit_log', details: { filters } });
  return c.json({ items, total: n!.total }, 200);
});
