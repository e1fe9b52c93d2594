/** The client performance report: a pdfmake document built from ClientReportData (no I/O here but chart rendering). */
import type { Content, TDocumentDefinitions } from 'pdfmake';
import type { Branding } from './branding.js';
import { allocationChart, drawdownChart, growthChart } from './charts.js';
import { formatDate, formatIndian, formatInr, formatPct, formatRatio } from './format.js';
import { cover, dataTable, heading, renderPdf, reportFrame, tiles } from './pdf.js';

/** One period's figures (analytics_metrics, camelCase as the API returns them). */
export interface PeriodFigure {
  period: string;
  asOf: string;
  fromDate: string;
  toDate: string;
  days: number;
  twrr: number;
  twrrAnnualized: number | null;
  /** The SEBI figure: absolute under a year, annualised from a year. */
  reportedReturn: number;
  xirr: number | null;
  benchmarkReturn: number | null;
  benchmarkReported: number | null;
  excessReturn: number | null;
  observations: number;
  annualVolatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  downsideRisk: number | null;
  beta: number | null;
  alpha: number | null;
  trackingError: number | null;
  informationRatio: number | null;
  maxDrawdown: number | null;
  openingValue: string;
  closingValue: string;
}

export interface AllocationGroup {
  name: string;
  value: string;
  weight: number;
  holdings: number;
}

export interface ClientReportData {
  client: { id: number; code: string; name: string; status: string; onboardingDate: string; riskProfile: string | null; city: string | null; rm: { code: string; name: string } | null; salesforceAccountId: string | null };
  asOf: string;
  /** Flows and transactions period. */
  from: string;
  to: string;
  inceptionDate: string | null;
  benchmark: string | null;
  summary: { value: string; netInvested: string; inflows: string; outflows: string; gain: string };
  periods: PeriodFigure[];
  growth: { date: string; portfolio: number; benchmark: number | null; drawdown: number; benchmarkDrawdown: number | null }[];
  portfolios: { code: string; strategy: string; sebiCategory: string; benchmark: string | null; inception: string; status: string; value: string | null; valueDate: string | null; managementFeeRate: string | null; performanceFeeRate: string | null }[];
  allocation: { asOf: string | null; byAssetClass: AllocationGroup[]; bySector: AllocationGroup[] };
  topHoldings: { name: string; isin: string | null; assetClass: string | null; sector: string | null; quantity: string; marketValue: string; weight: number }[];
  flows: { date: string; portfolioCode: string; typeCode: string; amount: string; source: string }[];
  transactions: { date: string; portfolioCode: string; typeCode: string; classification: string; description: string | null; security: string | null; quantity: string | null; rate: string | null; amount: string }[];
  transactionCount: number;
  fees: { period: FeeLine[]; sinceInception: FeeLine[] };
  hwm: { portfolioCode: string; performanceFeeRate: string; value: string | null; highWaterMark: string | null; hurdleThreshold: string | null; distance: string | null; distanceRatio: number | null; lastCrystallised: string | null; nextPerformanceCharge: string | null }[];
}

export interface FeeLine {
  typeCode: string;
  label: string;
  amount: string;
  gst: string;
  count: number;
}

export const PERIOD_LABELS: Record<string, string> = {
  MTD: 'Month to date',
  QTD: 'Quarter to date',
  YTD: 'Calendar year to date',
  FYTD: 'Financial year to date',
  '1M': '1 month',
  '3M': '3 months',
  '6M': '6 months',
  '1Y': '1 year',
  '2Y': '2 years',
  '3Y': '3 years',
  '5Y': '5 years',
  SI: 'Since inception',
};

/** "Absolute" under 365 days, "Annualised" from 365 days (SEBI). */
export const basisOf = (days: number) => (days >= 365 ? 'Annualised' : 'Absolute');

const signed = (b: Branding, v: number | null | undefined) => ({ text: formatPct(v), color: v === null || v === undefined ? b.colours.muted : v < 0 ? b.colours.negative : b.colours.text });

/** The standard periods: SEBI basis (absolute / annualised), portfolio TWRR vs benchmark, excess, XIRR. */
export function periodTable(periods: PeriodFigure[], branding: Branding, opts: { xirr?: boolean } = {}): Content {
  return dataTable(
    [
      { header: 'Period', width: 100, cell: (p: PeriodFigure) => PERIOD_LABELS[p.period] ?? p.period },
      { header: 'From – to', width: 110, cell: (p) => `${formatDate(p.fromDate)} – ${formatDate(p.toDate)}` },
      { header: 'Basis', width: 56, cell: (p) => basisOf(p.days) },
      { header: 'Portfolio (TWRR)', align: 'right', cell: (p) => ({ ...signed(branding, p.reportedReturn), alignment: 'right' }) },
      { header: 'Benchmark', align: 'right', cell: (p) => ({ ...signed(branding, p.benchmarkReported), alignment: 'right' }) },
      { header: 'Excess', align: 'right', cell: (p) => ({ ...signed(branding, p.excessReturn), alignment: 'right' }) },
      ...(opts.xirr === false ? [] : [{ header: 'XIRR p.a.', align: 'right' as const, cell: (p: PeriodFigure) => ({ ...signed(branding, p.xirr), alignment: 'right' }) }]),
    ],
    periods,
    { empty: 'No complete period yet: returns are shown only for periods lived through entirely (SEBI).' },
  );
}

/** Growth of ₹100 and drawdown series from stored log growth (portfolio) and benchmark log growth aligned to the same dates. */
export function growthSeries(rows: { date: string; lg: number; blg: number | null }[]): ClientReportData['growth'] {
  let peak = 0;
  let bPeak = 0;
  const b0 = rows.find((r) => r.blg !== null)?.blg ?? null;
  return rows.map((r) => {
    peak = Math.max(peak, r.lg);
    const bRel = r.blg === null || b0 === null ? null : r.blg - b0;
    if (bRel !== null) bPeak = Math.max(bPeak, bRel);
    return { date: r.date, portfolio: 100 * Math.exp(r.lg), benchmark: bRel === null ? null : 100 * Math.exp(bRel), drawdown: Math.exp(r.lg - peak) - 1, benchmarkDrawdown: bRel === null ? null : Math.exp(bRel - bPeak) - 1 };
  });
}

export const signedPct = (b: Branding, v: number | null | undefined) => signed(b, v);

export function clientReportDoc(d: ClientReportData, branding: Branding, generatedAt: Date): TDocumentDefinitions {
  const c = branding.colours;
  const si = d.periods.find((p) => p.period === 'SI');
  const oneYear = d.periods.find((p) => p.period === '1Y');
  const benchLabel = d.benchmark ?? 'Benchmark';
  const content: Content[] = [
    ...cover(branding, 'Client Performance Report', [
      { label: 'Client', value: `${d.client.name} (${d.client.code})` },
      { label: 'Relationship manager', value: d.client.rm ? `${d.client.rm.name} (${d.client.rm.code})` : '–' },
      { label: 'As of', value: formatDate(d.asOf) },
      { label: 'Reporting period', value: `${formatDate(d.from)} to ${formatDate(d.to)}` },
      { label: 'Inception', value: formatDate(d.inceptionDate) },
      { label: 'Benchmark', value: benchLabel },
    ]),
    heading('Summary'),
    tiles(
      [
        { label: 'Portfolio value', value: formatInr(d.summary.value), sub: `as of ${formatDate(d.asOf)}` },
        { label: 'Net amount invested', value: formatInr(d.summary.netInvested), sub: `in ${formatInr(d.summary.inflows, 0)} · out ${formatInr(d.summary.outflows, 0)}` },
        { label: 'Gain since inception', value: formatInr(d.summary.gain), colour: d.summary.gain.startsWith('-') ? c.negative : c.positive, sub: 'value − net invested' },
      ],
      branding,
    ),
    tiles(
      [
        { label: `TWRR since inception (${si ? basisOf(si.days).toLowerCase() : '–'})`, value: formatPct(si?.reportedReturn), sub: si ? `${formatDate(si.fromDate === si.toDate ? si.fromDate : d.inceptionDate)} – ${formatDate(si.toDate)}` : 'not available' },
        { label: 'XIRR since inception', value: formatPct(si?.xirr), sub: 'money-weighted, act/365' },
        { label: `${benchLabel} since inception`, value: formatPct(si?.benchmarkReported), sub: si?.excessReturn !== null && si?.excessReturn !== undefined ? `excess ${formatPct(si.excessReturn)}` : undefined },
      ],
      branding,
    ),
    heading('Performance by period', 'h3'),
    periodTable(d.periods, branding),
    { text: 'Periods under one year are absolute returns; periods of one year or more are annualised. Returns are net of all fees and expenses.', style: 'note' },
  ];

  if (d.growth.length > 1) {
    content.push(
      { ...(heading('Growth of ₹100 since inception') as object), pageBreak: 'before' },
      { image: growthChart(d.growth, branding, `${benchLabel} (TRI)`), width: 515 },
      { stack: [heading('Drawdown', 'h3'), { image: drawdownChart(d.growth.map((g) => ({ date: g.date, portfolio: g.drawdown, benchmark: g.benchmarkDrawdown })), branding, benchLabel), width: 515 }], unbreakable: true },
    );
  }

  const riskRows: [string, (p: PeriodFigure | undefined) => string][] = [
    ['Annualised volatility', (p) => formatPct(p?.annualVolatility)],
    ['Sharpe ratio', (p) => formatRatio(p?.sharpe)],
    ['Sortino ratio', (p) => formatRatio(p?.sortino)],
    ['Downside risk', (p) => formatPct(p?.downsideRisk)],
    ['Beta vs benchmark', (p) => formatRatio(p?.beta)],
    ['Alpha (annualised)', (p) => formatPct(p?.alpha)],
    ['Tracking error', (p) => formatPct(p?.trackingError)],
    ['Information ratio', (p) => formatRatio(p?.informationRatio)],
    ['Maximum drawdown', (p) => (p === si ? formatPct(p?.maxDrawdown) : '–')],
    ['Daily observations', (p) => (p ? formatIndian(p.observations, 0) : '–')],
  ];
  content.push(
    dataTable(
      [
        { header: 'Statistic', width: 180, cell: (r: (typeof riskRows)[number]) => r[0] },
        { header: '1 year', align: 'right', cell: (r) => r[1](oneYear) },
        { header: 'Since inception', align: 'right', cell: (r) => r[1](si) },
      ],
      riskRows,
      { title: 'Risk statistics' },
    ),
  );

  content.push(
    { ...(heading('Portfolios') as object), pageBreak: 'before' },
    dataTable(
      [
        { header: 'Portfolio', width: 60, cell: (p: ClientReportData['portfolios'][number]) => p.code },
        { header: 'Investment approach', cell: (p) => `${p.strategy} (${p.sebiCategory})` },
        { header: 'Benchmark', cell: (p) => p.benchmark ?? '–' },
        { header: 'Inception', width: 58, cell: (p) => formatDate(p.inception) },
        { header: 'Value', width: 88, align: 'right', cell: (p) => formatInr(p.value) },
      ],
      d.portfolios,
    ),
    heading(`Allocation${d.allocation.asOf ? ` (holdings as of ${formatDate(d.allocation.asOf)})` : ''}`),
  );
  if (d.allocation.byAssetClass.length === 0) content.push({ text: 'No holdings statement on or before the report date.', style: 'note' });
  else {
    const alloc = (title: string, groups: AllocationGroup[]): Content => ({
      stack: [
        { text: title, style: 'h3' },
        { image: allocationChart(groups, branding), width: 250 },
        dataTable(
          [
            { header: title, cell: (g: AllocationGroup) => g.name },
            { header: 'Value', width: 78, align: 'right', cell: (g) => formatInr(g.value, 0) },
            { header: 'Weight', width: 44, align: 'right', cell: (g) => formatPct(g.weight) },
          ],
          groups,
          { fontSize: 7.5 },
        ),
      ],
    });
    content.push({ columns: [alloc('Asset class', d.allocation.byAssetClass), alloc('Sector', d.allocation.bySector)], columnGap: 15 });
    content.push(
      dataTable(
        [
          { header: 'Security', cell: (h: ClientReportData['topHoldings'][number]) => h.name },
          { header: 'ISIN', width: 72, cell: (h) => h.isin ?? '–' },
          { header: 'Sector', width: 90, cell: (h) => h.sector ?? '–' },
          { header: 'Quantity', width: 60, align: 'right', cell: (h) => formatIndian(h.quantity, 0) },
          { header: 'Market value', width: 80, align: 'right', cell: (h) => formatInr(h.marketValue) },
          { header: 'Weight', width: 40, align: 'right', cell: (h) => formatPct(h.weight) },
        ],
        d.topHoldings,
        { title: 'Top holdings' },
      ),
    );
  }

  content.push(
    dataTable(
      [
        { header: 'Date', width: 62, cell: (f: ClientReportData['flows'][number]) => formatDate(f.date) },
        { header: 'Portfolio', width: 60, cell: (f) => f.portfolioCode },
        { header: 'Type', cell: (f) => `${Number(f.amount) >= 0 ? 'Contribution' : 'Withdrawal'} (${f.typeCode})` },
        { header: 'Amount', width: 100, align: 'right', cell: (f) => formatInr(f.amount) },
      ],
      d.flows,
      { empty: 'No contributions or withdrawals in this period.', title: `Capital flows, ${formatDate(d.from)} to ${formatDate(d.to)}`, titleStyle: 'h2' },
    ),
    dataTable(
      [
        { header: 'Date', width: 58, cell: (t: ClientReportData['transactions'][number]) => formatDate(t.date) },
        { header: 'Portfolio', width: 48, cell: (t) => t.portfolioCode },
        { header: 'Type', width: 30, cell: (t) => t.typeCode },
        { header: 'Security / description', cell: (t) => t.security ?? t.description ?? '–' },
        { header: 'Quantity', width: 54, align: 'right', cell: (t) => (t.quantity === null ? '–' : formatIndian(t.quantity, 0)) },
        { header: 'Rate', width: 58, align: 'right', cell: (t) => (t.rate === null ? '–' : formatIndian(t.rate, 2)) },
        { header: 'Amount', width: 82, align: 'right', cell: (t) => formatInr(t.amount) },
      ],
      d.transactions,
      { empty: 'No transactions in this period.', fontSize: 7.5, title: `Transactions, ${formatDate(d.from)} to ${formatDate(d.to)}` },
    ),
  );
  if (d.transactionCount > d.transactions.length) {
    content.push({ text: `The first ${formatIndian(d.transactions.length, 0)} of ${formatIndian(d.transactionCount, 0)} transactions are listed; the Excel export has them all.`, style: 'note' });
  }

  const feeTable = (lines: FeeLine[], empty: string, title: string) =>
    dataTable(
      [
        { header: 'Charge', cell: (f: FeeLine) => `${f.label} (${f.typeCode})` },
        { header: 'Entries', width: 44, align: 'right', cell: (f) => String(f.count) },
        { header: 'GST included', width: 80, align: 'right', cell: (f) => formatInr(f.gst) },
        { header: 'Amount charged', width: 90, align: 'right', cell: (f) => formatInr(f.amount) },
      ],
      lines,
      { empty, title },
    );
  content.push(
    { text: 'Fees and expenses', style: 'h2', margin: [0, 14, 0, 0] },
    feeTable(d.fees.period, 'No fees or expenses charged in this period.', `Charged ${formatDate(d.from)} to ${formatDate(d.to)}`),
    feeTable(d.fees.sinceInception, 'No fees or expenses charged.', `Charged since inception to ${formatDate(d.asOf)}`),
    dataTable(
      [
        { header: 'Portfolio', width: 52, cell: (h: ClientReportData['hwm'][number]) => h.portfolioCode },
        { header: 'Fee rate', width: 40, align: 'right', cell: (h) => formatPct(Number(h.performanceFeeRate)) },
        { header: 'Value', align: 'right', cell: (h) => formatInr(h.value) },
        { header: 'High-water mark', align: 'right', cell: (h) => formatInr(h.highWaterMark) },
        { header: 'Fee threshold', align: 'right', cell: (h) => formatInr(h.hurdleThreshold) },
        { header: 'Above / below', width: 58, align: 'right', cell: (h) => ({ ...signed(branding, h.distanceRatio), alignment: 'right' }) },
        { header: 'Next charge', width: 58, cell: (h) => formatDate(h.nextPerformanceCharge) },
      ],
      d.hwm,
      { empty: 'No portfolio of this client carries a performance fee.', title: 'High-water mark (performance fee)' },
    ),
    { text: 'A performance fee is charged only on gains above the high-water mark (and hurdle, where agreed); the mark is adjusted proportionately for contributions and withdrawals.', style: 'note' },
    { stack: [heading('Methodology'), { ul: branding.methodology.map((m) => ({ text: m, margin: [0, 0, 0, 3] })), fontSize: 7.8, color: c.text }], unbreakable: true },
  );

  return reportFrame({ branding, title: 'Client Performance Report', subject: `${d.client.name} · as of ${formatDate(d.asOf)}`, generatedAt }, content);
}

/** The client report as PDF bytes. */
export function renderClientReport(d: ClientReportData, branding: Branding, generatedAt = new Date()): Promise<Buffer> {
  return renderPdf(clientReportDoc(d, branding, generatedAt));
}
