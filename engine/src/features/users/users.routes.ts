import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { hashPassword } from '../auth/password.js';
import { ROLES } from '../auth/roles.js';
import { insertUser, listUsers, rmIdByCode } from './users.queries.js';

const UserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    rmId: z.number().int().nullable(),
    salesforceUserId: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.union([z.string(), z.date()]),
  })
  .openapi('User');

const NewUserSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(120),
    role: z.enum(ROLES),
    rmCode: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional().openapi({ description: 'The RM this user is (required for role rm)' }),
    salesforceUserId: z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/).optional().openapi({ description: 'Salesforce User Id, for Apex calls acting for this user' }),
    password: z.string().min(12).max(200).optional().openapi({ description: 'For the stand-alone dashboard; at least 12 characters. Without it the user can only act through Salesforce.' }),
  })
  .strict()
  .openapi('NewUser');

const createUserRoute = createRoute({
  method: 'post',
  path: '/api/users',
  tags: ['Users'],
  summary: 'Create a user (admin): role, RM link, Salesforce user Id, password',
  security,
  middleware: [requireScope('users')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: NewUserSchema } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: UserSchema } } },
    409: { description: 'E-mail or Salesforce user Id already used', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/users',
  tags: ['Users'],
  summary: 'Every user (admin)',
  security,
  middleware: [requireScope('users')] as const,
  responses: { 200: { description: 'Users', content: { 'application/json': { schema: z.object({ items: z.array(UserSchema) }) } } }, ...errorResponses },
});

export const userRoutes = new OpenAPIHono<AppEnv>()
  .openapi(createUserRoute, async (c) => {
    const sql = c.var.deps.db.sql;
    const body = c.req.valid('json');
    const rmId = body.rmCode ? await rmIdByCode(sql, body.rmCode) : null;
    if (body.rmCode && rmId === undefined) throw new AppError(400, 'UNKNOWN_RM', `No relationship manager has code ${body.rmCode}`);
    if (body.role === 'rm' && rmId == null) throw new AppError(400, 'RM_REQUIRED', 'A user with role rm needs rmCode: the RM whose book they see');
    const user = await insertUser(sql, {
      email: body.email,
      name: body.name,
      role: body.role,
      rmId: rmId ?? null,
      salesforceUserId: body.salesforceUserId ?? null,
      passwordHash: body.password ? await hashPassword(body.password) : null,
    });
    if (!user) throw new AppError(409, 'USER_EXISTS', 'A user with this e-mail or Salesforce user Id exists');
    await auditRequest(c, { action: 'users.create', resource: `user:${user.id}`, details: { role: user.role, rmId: user.rmId } });
    return c.json(user, 201);
  })
  .openapi(listUsersRoute, async (c) => c.json({ items: await listUsers(c.var.deps.db.sql) }, 200));
