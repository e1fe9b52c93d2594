/** Data of the executive summary, RM book and SEBI reports: the dashboard and compliance queries under the caller's scope. */
import { periodRange } from '../../analytics/index.js';
import type { Queryable } from '../../db/client.js';
import type { ClientScope } from '../../lib/scope.js';
import type { ExecutiveData, RmBookData, SebiData } from '../../reports/book-reports.js';
import { listClients, type ClientQuery } from '../clients/clients.queries.js';
import { disclosureTable } from '../compliance/disclosure.js';
import { aumTrend, byRm, headline, strategyOverview, topClients } from '../dashboard/dashboard.queries.js';
import { entityPerformance } from './client-report-data.js';

/** The executive summary of the caller's book: the firm for firm-wide callers, else the `team` aggregate of `rmId`. */
export async function loadExecutiveData(sql: Queryable, p: { scope: ClientScope; rmId: number | null; asOf?: string }): Promise<ExecutiveData> {
  const entity = p.scope.all ? { type: 'firm', id: 0 } : { type: 'team', id: p.rmId! };
  const perf = await entityPerformance(sql, entity.type, entity.id, p.asOf);
  const q: ClientQuery = { scope: p.scope, seePii: false, filters: { period: '1Y', returnMetric: 'twrr' } };
  const year = periodRange('1Y', perf.asOf, '1900-01-01')!;
  const threeYears = periodRange('3Y', perf.asOf, '1900-01-01')!;
  const [h, trend, strategies, rms, top, [rm]] = await Promise.all([
    headline(sql, q, { from: year.from, to: year.to }),
    aumTrend(sql, q, 'monthly', { from: threeYears.from, to: perf.asOf }),
    strategyOverview(sql, q),
    byRm(sql, q),
    topClients(sql, q, 15),
    p.scope.all ? Promise.resolve([]) : sql<{ name: string; code: string }[]>`select name, rm_code as code from relationship_managers where id = ${p.rmId!}`,
  ]);
  return {
    scopeLabel: p.scope.all ? 'Firm' : `${rm?.name ?? 'RM'} (${rm?.code ?? p.rmId}) and reportees`,
    perf,
    headline: { ...h, flowsFrom: year.from },
    aumTrend: trend,
    strategies,
    rms,
    topClients: top,
  };
}

/** One RM's book (undefined when the RM is outside the caller's scope or absent). */
export async function loadRmBookData(sql: Queryable, p: { scope: ClientScope; rmId: number; asOf?: string }): Promise<RmBookData | undefined> {
  if (!p.scope.all && !p.scope.rmIds.includes(p.rmId)) return undefined;
  const [rm] = await sql<{ code: string; name: string; manager: string | null }[]>`
    select r.rm_code as code, r.name, m.name as manager from relationship_managers r left join relationship_managers m on m.id = r.manager_id where r.id = ${p.rmId}`;
  if (!rm) return undefined;
  const perf = await entityPerformance(sql, 'rm', p.rmId, p.asOf);
  const list = async (period: '1Y' | 'SI') =>
    (await listClients(sql, { scope: p.scope, seePii: false, filters: { period, returnMetric: 'twrr', rm: rm.code }, page: 1, pageSize: 100_000, sort: 'aum', order: 'desc' })).items;
  const [y1, si] = await Promise.all([list('1Y'), list('SI')]);
  const siById = new Map(si.map((c) => [c.id, c]));
  return {
    rm,
    perf,
    clients: y1.map((c) => ({
      clientCode: c.clientCode,
      name: c.name,
      status: c.status,
      portfolios: c.portfolioCount,
      aum: c.aum,
      aumAsOf: c.aumAsOf,
      return1y: c.return,
      returnSi: siById.get(c.id)?.return ?? null,
      xirrSi: siById.get(c.id)?.xirr ?? null,
    })),
  };
}

/** The compliance feature's SEBI/APMI disclosure table. */
export async function loadSebiData(sql: Queryable, p: { asOf?: string }): Promise<SebiData> {
  const rows = await disclosureTable(sql, { asOf: p.asOf });
  return { asOf: p.asOf ?? rows.find((r) => r.asOf)?.asOf ?? null, rows };
}
