/** The table views the Excel export streams: rows read page by page under the caller's scope. */
import type { Queryable } from '../../db/client.js';
import type { ClientScope } from '../../lib/scope.js';
import type { SheetSpec } from '../../reports/xlsx.js';
import { listClients, maskPan, type ClientListItem } from '../clients/clients.queries.js';
import type { ClientFilters, ClientSortKey } from '../clients/clients.schemas.js';

const PAGE = 1000;

/** Every visible client matching the filters of GET /api/clients, in its sort order, a page at a time. */
export function clientSheet(
  sql: Queryable,
  q: { scope: ClientScope; seePii: boolean; filters: ClientFilters; sort: ClientSortKey; order: 'asc' | 'desc' },
): SheetSpec<ClientListItem> {
  const returnHeader = `Return ${q.filters.period} (${q.filters.returnMetric.toUpperCase()})`;
  return {
    name: 'Clients',
    title: 'Clients',
    columns: [
      { header: 'Client code', type: 'text', width: 14, value: (r) => r.clientCode },
      { header: 'Name', type: 'text', width: 30, value: (r) => r.name },
      { header: 'PAN', type: 'text', width: 13, value: (r) => (q.seePii ? r.pan : maskPan(r.pan)) },
      { header: 'RM code', type: 'text', width: 10, value: (r) => r.rm?.code },
      { header: 'RM', type: 'text', value: (r) => r.rm?.name },
      { header: 'Risk profile', type: 'text', width: 14, value: (r) => r.riskProfile },
      { header: 'City', type: 'text', width: 14, value: (r) => r.city },
      { header: 'State', type: 'text', width: 14, value: (r) => r.state },
      { header: 'Status', type: 'text', width: 9, value: (r) => r.status },
      { header: 'Onboarded', type: 'date', width: 13, value: (r) => r.onboardingDate },
      { header: 'Salesforce Account Id', type: 'text', width: 20, value: (r) => r.salesforceAccountId },
      { header: 'Portfolios', type: 'int', width: 10, value: (r) => r.portfolioCount },
      { header: 'AUM (₹)', type: 'money', width: 20, value: (r) => r.aum },
      { header: 'AUM as of', type: 'date', width: 13, value: (r) => r.aumAsOf },
      { header: returnHeader, type: 'percent', width: 16, value: (r) => r.return },
      { header: `XIRR p.a. ${q.filters.period}`, type: 'percent', width: 12, value: (r) => r.xirr },
    ],
    rows: (async function* () {
      for (let page = 1; ; page++) {
        const { items } = await listClients(sql, { ...q, page, pageSize: PAGE });
        if (items.length) yield items;
        if (items.length < PAGE) return;
      }
    })(),
  };
}

export interface TransactionRow {
  id: string;
  date: string;
  settlementDate: string | null;
  portfolioCode: string;
  typeCode: string;
  classification: string;
  description: string | null;
  security: string | null;
  isin: string | null;
  quantity: string | null;
  rate: string | null;
  amount: string;
  fees: string | null;
}

/** One (already authorised) client's transactions between from and to, oldest first, keyset-paged by (trade date, id). */
export function transactionSheet(sql: Queryable, q: { clientId: number; from?: string; to?: string }): SheetSpec<TransactionRow> {
  return {
    name: 'Transactions',
    title: 'Transactions',
    columns: [
      { header: 'Trade date', type: 'date', width: 13, value: (r) => r.date },
      { header: 'Settlement date', type: 'date', width: 14, value: (r) => r.settlementDate },
      { header: 'Portfolio', type: 'text', width: 12, value: (r) => r.portfolioCode },
      { header: 'Type', type: 'text', width: 8, value: (r) => r.typeCode },
      { header: 'Classification', type: 'text', width: 13, value: (r) => r.classification },
      { header: 'Security', type: 'text', width: 30, value: (r) => r.security },
      { header: 'ISIN', type: 'text', width: 14, value: (r) => r.isin },
      { header: 'Description', type: 'text', width: 30, value: (r) => r.description },
      { header: 'Quantity', type: 'ratio', width: 12, value: (r) => r.quantity },
      { header: 'Rate', type: 'ratio', width: 12, value: (r) => r.rate },
      { header: 'Net amount (₹)', type: 'money', width: 18, value: (r) => r.amount },
      { header: 'Charges (₹)', type: 'money', width: 14, value: (r) => r.fees },
    ],
    rows: (async function* () {
      let after = { date: '0001-01-01', id: '0' };
      for (;;) {
        const rows = await sql<TransactionRow[]>`
          select t.id::text as id, t.trade_date::text as date, t.settlement_date::text as "settlementDate", p.portfolio_code as "portfolioCode",
            t.type_code as "typeCode", t.classification, t.description, s.name as security, s.isin, t.quantity::text as quantity, t.rate::text as rate,
            t.net_amount::text as amount, t.total_fees::text as fees
          from transactions t join portfolios p on p.id = t.portfolio_id left join securities s on s.id = t.security_id
          where p.client_id = ${q.clientId} and (t.trade_date, t.id) > (${after.date}::date, ${after.id}::bigint)
            ${q.from ? sql`and t.trade_date >= ${q.from}::date` : sql``} ${q.to ? sql`and t.trade_date <= ${q.to}::date` : sql``}
          order by t.trade_date, t.id limit ${PAGE}`;
        if (rows.length) yield rows;
        if (rows.length < PAGE) return;
        after = { date: rows.at(-1)!.date, id: rows.at(-1)!.id };
      }
    })(),
  };
}
