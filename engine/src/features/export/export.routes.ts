import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { AppError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, IsoDate, errorResponses, security } from '../../lib/openapi.js';
import { Readable } from 'node:stream';
import { renderExecutive, renderRmBook, renderSebi } from '../../reports/book-reports.js';
import { renderClientReport } from '../../reports/client-report.js';
import { streamWorkbook } from '../../reports/xlsx.js';
import { isClientVisible } from '../../lib/scope.js';
import { ClientFilterFields, ClientSort } from '../clients/clients.schemas.js';
import { clientSheet, transactionSheet } from './xlsx-views.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { brandingOf } from '../reports/branding-cache.js';
import { loadExecutiveData, loadRmBookData, loadSebiData } from '../reports/book-report-data.js';
import { loadClientReportData } from '../reports/client-report-data.js';

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

export const XLSX_VIEWS = ['clients', 'transactions'] as const;

const xlsxRoute = createRoute({
  method: 'get',
  path: '/api/export/xlsx',
  tags: ['Export'],
  summary: 'A table view as an Excel workbook (typed cells, number formats), streamed',
  description:
    "Scope reports. view=clients takes the filters and sort of GET /api/clients (every visible client, no paging; PAN masked unless the caller may see PII); view=transactions lists one client's transactions (clientId; from/to, default all), 404 and access.denied for a client outside the caller's scope. Audited (export.xlsx).",
  security,
  middleware: [requireScope('reports')] as const,
  request: {
    query: z
      .object({ view: z.enum(XLSX_VIEWS), ...ClientFilterFields, ...ClientSort, clientId: Id.optional(), from: IsoDate.optional(), to: IsoDate.optional() })
      .strict(),
  },
  responses: {
    200: { description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } } },
    404: { description: 'Nothing visible with this id', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const xlsx = (stream: Readable, name: string) =>
  new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers: { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${name}.xlsx"` } });

export const exportRoutes = new OpenAPIHono<AppEnv>().openapi(xlsxRoute, async (c) => {
  const { view, clientId, from, to, sort, order, ...filters } = c.req.valid('query');
  const principal = c.var.principal;
  const sql = c.var.deps.db.sql;
  const branding = brandingOf(c.var.deps);
  const today = new Date().toISOString().slice(0, 10);
  if (view === 'clients') {
    await auditRequest(c, { action: 'export.xlsx', resource: 'clients', details: { view, filters, sort, order } });
    const sheet = clientSheet(sql, { scope: principal.clientScope, seePii: principal.seePii, filters, sort, order });
    return xlsx(streamWorkbook(sheet, branding, { subtitle: `Generated ${today}` }), `clients-${today}`) as never;
  }
  if (clientId === undefined) throw new AppError(400, 'VALIDATION_FAILED', 'view=transactions needs clientId');
  if (!(await isClientVisible(sql, principal.clientScope, clientId))) {
    await auditClientDenied(c, [clientId], 'export.xlsx');
    throw new NotFoundError('Client');
  }
  await auditRequest(c, { action: 'export.xlsx', resource: `client:${clientId}`, clientIds: [clientId], details: { view, from, to } });
  const sheet = transactionSheet(sql, { clientId, from, to });
  return xlsx(streamWorkbook(sheet, branding, { subtitle: `${from ?? 'inception'} to ${to ?? today}` }), `transactions-${clientId}-${to ?? today}`) as never;
});

exportRoutes.openapi(pdfRoute, async (c) => {
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
    case 'executive': {
      if (!principal.clientScope.all && !principal.user?.rmId) throw new ForbiddenError('No book to report: the user has no RM link');
      const data = await loadExecutiveData(sql, { scope: principal.clientScope, rmId: principal.user?.rmId ?? null, asOf: q.asOf });
      const bytes = await renderExecutive(data, branding);
      await auditRequest(c, { action: 'export.pdf', resource: principal.clientScope.all ? 'firm' : `team:${principal.user!.rmId}`, details: { report: 'executive', asOf: data.perf.asOf, bytes: bytes.length } });
      return pdf(bytes, `executive-summary-${data.perf.asOf}`) as never;
    }
    case 'rm-book': {
      if (q.rmId === undefined) throw new AppError(400, 'VALIDATION_FAILED', 'report=rm-book needs rmId');
      const data = await loadRmBookData(sql, { scope: principal.clientScope, rmId: q.rmId, asOf: q.asOf });
      if (!data) {
        await auditRequest(c, { action: 'access.denied', resource: `rm:${q.rmId}`, details: { route: 'export.pdf' } });
        throw new NotFoundError('Relationship manager');
      }
      const bytes = await renderRmBook(data, branding);
      await auditRequest(c, { action: 'export.pdf', resource: `rm:${q.rmId}`, details: { report: 'rm-book', asOf: data.perf.asOf, clients: data.clients.length, bytes: bytes.length } });
      return pdf(bytes, `rm-book-${data.rm.code}-${data.perf.asOf}`) as never;
    }
    case 'sebi': {
      if (!principal.clientScope.all) throw new ForbiddenError('The SEBI/APMI disclosure is firm-wide (management, compliance, admin)');
      const data = await loadSebiData(sql, { asOf: q.asOf });
      const bytes = await renderSebi(data, branding);
      await auditRequest(c, { action: 'export.pdf', resource: 'strategies', details: { report: 'sebi', asOf: data.asOf, bytes: bytes.length } });
      return pdf(bytes, `sebi-performance-disclosure-${data.asOf ?? 'latest'}`) as never;
    }
  }
});
