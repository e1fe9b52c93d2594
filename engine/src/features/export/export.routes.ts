import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { renderClientReport } from '../../reports/client-report.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { brandingOf } from '../reports/branding-cache.js';
import { loadClientReportData } from '../reports/client-report-data.js';

import { IsoDate } from '../compliance/compliance.schemas.js';
const Id = z.coerce.number().int().positive().max(2_147_483_647);

export const REPORTS = ['client', 'executive', 'rm-book', 'sebi'] as const;

const pdfRoute = createRoute({
  method: 'get',
  path: '/api/export/pdf',
  tags: ['Export'],
  summary: 'A branded PDF report: client performance, executive summary, RM book or SEBI/APMI strategy performance',
  description:
    "Scope reports. `client` needs clientId (404 and an access.denied audit entry for a client outside the caller's scope, as the API does); `rm-book` needs rmId inside the caller's RM subtree; `executive` is the caller's book (firm-wide roles: the firm); `sebi` is firm-wide by rule and needs a firm-wide role. asOf defaults to the last valuation; from/to bound the flows and transactions listed (default: the as-of month). Audited (export.pdf).",
  security,
  middleware: [requireScope('reports')] as const,
  request: {
    query: z
      .object({
        report: z.enum(REPORTS),
        clientId: Id.optional(),
        rmId: Id.optional(),
        asOf: IsoDate.optional(),
        from: IsoDate.optional(),
        to: IsoDate.optional(),
      })
      .strict(),
  },
  responses: {
    200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
    404: { description: 'Nothing visible with this id', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const pdf = (bytes: Buffer, name: string) =>
  new Response(new Uint8Array(bytes), { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}.pdf"`, 'content-length': String(bytes.length) } });

export const exportRoutes = new OpenAPIHono<AppEnv>().openapi(pdfRoute, async (c) => {
  const q = c.req.valid('query');
  const principal = c.var.principal;
  const sql = c.var.deps.db.sql;
  const branding = brandingOf(c.var.deps);
  if (q.from && q.to && q.from > q.to) throw new AppError(400, 'VALIDATION_FAILED', 'from is after to');
  switch (q.report) {
    case 'client': {
      if (q.clientId === undefined) throw new AppError(400, 'VALIDATION_FAILED', 'report=client needs clientId');
      const data = await loadClientReportData(sql, { scope: principal.clientScope, clientId: q.clientId, asOf: q.asOf, from: q.from, to: q.to });
      if (!data) {
        await auditClientDenied(c, [q.clientId], 'export.pdf');
        throw new NotFoundError('Client');
      }
      const bytes = await renderClientReport(data, branding);
      await auditRequest(c, { action: 'export.pdf', resource: `client:${q.clientId}`, clientIds: [q.clientId], details: { report: 'client', asOf: data.asOf, from: data.from, to: data.to, bytes: bytes.length } });
      return pdf(bytes, `performance-report-${data.client.code}-${data.asOf}`) as never;
    }
    default:
      throw new AppError(400, 'VALIDATION_FAILED', `report=${q.report} is not available yet`);
  }
});
