import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { requireScope } from '../auth/auth.middleware.js';
import { IMPORT_KINDS } from '../../connectors/wealth-spectrum/mapping.js';
import { AppError, ImportRejectedError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, Page, PageSize, errorResponses, security } from '../../lib/openapi.js';
import { audit } from '../audit/audit.js';
import { clientIp } from '../../lib/request.js';
import { getImportRun, listImportRuns } from './imports.queries.js';
import { receiveUpload } from './receive-upload.js';
import { importDepsOf, runImport } from './run-import.js';

const ImportRunSchema = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    fileName: z.string(),
    fileSha256: z.string().nullable(),
    fileBytes: z.string().nullable().openapi({ description: 'bytes, as a decimal string' }),
    format: z.string().nullable(),
    source: z.string(),
    actor: z.string().nullable(),
    status: z.enum(['running', 'succeeded', 'failed']),
    rowsTotal: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
    startedAt: z.union([z.string(), z.date()]),
    finishedAt: z.union([z.string(), z.date()]).nullable(),
  })
  .openapi('ImportRun');

const uploadRoute = createRoute({
  method: 'post',
  path: '/api/imports',
  tags: ['Imports'],
  summary: 'Import a Wealth Spectrum export (CSV or XLSX), all or nothing',
  description:
    'Validates every row first; any problem rejects the whole file with 422 and the first 100 problems (row, column, value, message), and nothing is written. Importing the same file again changes nothing. Scope: imports.',
  security,
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({
            file: z.string().openapi({ type: 'string', format: 'binary' }),
            kind: z.enum(IMPORT_KINDS),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: 'Imported: the run with its counts', content: { 'application/json': { schema: ImportRunSchema } } },
    413: { description: 'File over the size limit', content: { 'application/json': { schema: ErrorBody } } },
    415: { description: 'Not CSV text or XLSX', content: { 'application/json': { schema: ErrorBody } } },
    422: { description: 'Rejected: problems listed, nothing written', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/imports',
  tags: ['Imports'],
  summary: 'Import runs, newest first, with their outcome',
  security,
  middleware: [requireScope('imports', 'read')] as const,
  request: {
    query: z.object({
      page: Page,
      pageSize: PageSize,
      kind: z.enum(IMPORT_KINDS).optional(),
      status: z.enum(['running', 'succeeded', 'failed']).optional(),
    }),
  },
  responses: {
    200: { description: 'A page of runs', content: { 'application/json': { schema: z.object({ items: z.array(ImportRunSchema), total: z.number().int() }) } } },
    ...errorResponses,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/imports/{id}',
  tags: ['Imports'],
  summary: 'One import run with its counts or its problems',
  security,
  middleware: [requireScope('imports', 'read')] as const,
  request: { params: z.object({ id: z.coerce.number().int().positive() }) },
  responses: {
    200: { description: 'The run', content: { 'application/json': { schema: ImportRunSchema } } },
    404: { description: 'No such run', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

export const importRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(await listImportRuns(c.var.deps.db.sql, q), 200);
  })
  .openapi(getRoute, async (c) => {
    const run = await getImportRun(c.var.deps.db.sql, c.req.valid('param').id);
    if (!run) throw new NotFoundError('Import run');
    return c.json(run, 200);
  });

// The upload is streamed to disk rather than parsed by the validator (which would buffer it),
// so the route is documented from its definition and served by a plain handler.
importRoutes.openAPIRegistry.registerPath(uploadRoute);
importRoutes.post('/api/imports', requireScope('imports'), async (c) => {
  const deps = c.var.deps;
  const upload = await receiveUpload(c.req.raw, deps.env.IMPORT_MAX_BYTES);
  try {
    const kind = upload.fields.kind;
    if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind)) {
      throw new AppError(400, 'BAD_REQUEST', `"kind" must be one of ${IMPORT_KINDS.join(', ')}`);
    }
    const principal = c.var.principal;
    const run = await runImport(
      importDepsOf(deps),
      { kind: kind as (typeof IMPORT_KINDS)[number], filePath: upload.filePath, fileName: upload.fileName, source: 'api', actor: principal.id },
    ).catch(async (err: unknown) => {
      if (err instanceof ImportRejectedError) {
        await audit(deps.db.sql, { actor: principal.id, ip: clientIp(c.env), action: 'import.rejected', resource: `import-kind:${kind}`, details: { file: upload.fileName, code: err.code } });
      }
      throw err;
    });
    await audit(deps.db.sql, { actor: principal.id, ip: clientIp(c.env), action: 'import.succeeded', resource: `import:${run.id}`, details: { kind, file: upload.fileName, inserted: run.inserted, updated: run.updated } });
    return c.json(run, 201);
  } finally {
    upload.cleanup();
  }
});
