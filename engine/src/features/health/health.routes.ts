import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.enum(['embedded', 'postgres']),
    version: z.string(),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness and database reachability (no authentication)',
  responses: {
    200: { description: 'Engine and database are up', content: { 'application/json': { schema: Health } } },
    503: { description: 'The database does not answer', content: { 'application/json': { schema: Health } } },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const { db, version } = c.var.deps;
  try {
    await db.sql`select 1`;
    return c.json({ status: 'ok' as const, database: db.kind, version }, 200);
  } catch {
    return c.json({ status: 'degraded' as const, database: db.kind, version }, 503);
  }
});
