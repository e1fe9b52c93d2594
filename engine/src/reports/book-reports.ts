/** Executive summary, RM book and SEBI/APMI strategy performance: the same frame and look as the client report. */
import type { Content, TDocumentDefinitions } from 'pdfmake';
import type { Branding } from './branding.js';
import { aumChart, growthChart } from './charts.js';
import { periodTable, signedPct, type ClientReportData, type PeriodFigure } from './client-report.js';
import { formatDate, formatIndian, formatInr, formatInrShort, formatPct } from './format.js';
import { cover, dataTable, heading, renderPdf, reportFrame, tiles } from './pdf.js';

export interface EntitySection {
  asOf: string;
  inception: string | null;
  benchmark: string | null;
  periods: PeriodFigure[];
  growth: ClientReportData['growth'];
}

export interface ExecutiveData {
  /** 'Firm' or the RM whose book (team) it is. */
  scopeLabel: string;
  perf: EntitySection;
  headline: { aum: string; clients: number; activeClients: number; portfolios: number; inflows: string; outflows: string; netFlows: string; flowsFrom: string };
  aumTrend: { label: string; aum: string }[];
  strategies: { strategy: string; name: string; portfolios: number; aum: string; return: number | null; benchmarkReturn: number | null }[];
  rms: { label: string; clients: number; aum: string }[];
  topClients: { clientCode: string; name: string; aum: string; return: number | null }[];
}

export interface RmBookData {
  rm: { code: string; name: string; manager: string | null };
  perf: EntitySection;
  clients: { clientCode: string; name: string; status: string; portfolios: number; aum: string; aumAsOf: string | null; return1y: number | null; returnSi: number | null; xirrSi: number | null }[];
}

export interface SebiData {
  asOf: string | null;
  rows: { strategyCode: string; strategyName: string; sebiCategory: string; benchmark: string | null; periods: Record<string, { return: number | null; benchmark: number | null; annualized: boolean | null }> }[];
}

const growthBlock = (perf: EntitySection, b: Branding): Content[] =>
  perf.growth.length > 1 ? [{ stack: [heading('Growth of ₹100', 'h3'), { image: growthChart(perf.growth, b, `${perf.benchmark ?? 'Benchmark'} (TRI)`), width: 515 }], unbreakable: true }] : [];

export function executiveDoc(d: ExecutiveData, b: Branding, generatedAt: Date): TDocumentDefinitions {
  const si = d.perf.periods.find((p) => p.period === 'SI');
  const y1 = d.perf.periods.find((p) => p.period === '1Y');
  const content: Content[] = [
    ...cover(b, 'Executive Summary', [
      { label: 'Book', value: d.scopeLabel },
      { label: 'As of', value: formatDate(d.perf.asOf) },
      { label: 'Benchmark', value: d.perf.benchmark ?? '–' },
    ]),
    heading('Headline'),
    tiles(
      [
        { label: 'Assets under management', value: formatInrShort(d.headline.aum), sub: formatInr(d.headline.aum) },
        { label: 'Clients (active)', value: `${formatIndian(d.headline.clients, 0)} (${formatIndian(d.headline.activeClients, 0)})`, sub: `${formatIndian(d.headline.portfolios, 0)} portfolios` },
        { label: `Net flows since ${formatDate(d.headline.flowsFrom)}`, value: formatInrShort(d.headline.netFlows), sub: `in ${formatInrShort(d.headline.inflows)} · out ${formatInrShort(d.headline.outflows)}` },
      ],
      b,
    ),
    tiles(
      [
        { label: '1 year TWRR (annualised)', value: formatPct(y1?.reportedReturn), sub: `benchmark ${formatPct(y1?.benchmarkReported)}` },
        { label: 'Since inception TWRR', value: formatPct(si?.reportedReturn), sub: `benchmark ${formatPct(si?.benchmarkReported)}` },
        { label: 'Maximum drawdown since inception', value: formatPct(si?.maxDrawdown) },
      ],
      b,
    ),
    heading('Performance by period', 'h3'),
    periodTable(d.perf.periods, b, { xirr: false }),
    ...growthBlock(d.perf, b),
    { ...(heading('AUM at month end') as object), pageBreak: 'before' },
    d.aumTrend.length ? { image: aumChart(d.aumTrend, b), width: 515 } : { text: 'No valuations.', style: 'note' },
    dataTable(
      [
        { header: 'Approach', cell: (s: ExecutiveData['strategies'][number]) => `${s.name} (${s.strategy})` },
        { header: 'Portfolios', width: 50, align: 'right', cell: (s) => formatIndian(s.portfolios, 0) },
        { header: 'AUM', width: 90, align: 'right', cell: (s) => formatInrShort(s.aum) },
        { header: 'Return', width: 55, align: 'right', cell: (s) => ({ ...signedPct(b, s.return), alignment: 'right' }) },
        { header: 'Benchmark', width: 55, align: 'right', cell: (s) => ({ ...signedPct(b, s.benchmarkReturn), alignment: 'right' }) },
      ],
      d.strategies,
      { title: 'Investment approaches (1 year, AUM-weighted)', titleStyle: 'h2' },
    ),
    dataTable(
      [
        { header: 'RM', cell: (r: ExecutiveData['rms'][number]) => r.label },
        { header: 'Clients', width: 60, align: 'right', cell: (r) => formatIndian(r.clients, 0) },
        { header: 'AUM', width: 110, align: 'right', cell: (r) => formatInr(r.aum, 0) },
      ],
      d.rms,
      { title: 'Relationship managers', titleStyle: 'h2' },
    ),
    dataTable(
      [
        { header: 'Client', cell: (c: ExecutiveData['topClients'][number]) => `${c.name} (${c.clientCode})` },
        { header: 'AUM', width: 110, align: 'right', cell: (c) => formatInr(c.aum, 0) },
        { header: '1 year TWRR', width: 70, align: 'right', cell: (c) => ({ ...signedPct(b, c.return), alignment: 'right' }) },
      ],
      d.topClients,
      { title: 'Largest clients', titleStyle: 'h2' },
    ),
    { stack: [heading('Methodology'), { ul: b.methodology, fontSize: 7.8 }], unbreakable: true },
  ];
  return reportFrame({ branding: b, title: 'Executive Summary', subject: `${d.scopeLabel} · as of ${formatDate(d.perf.asOf)}`, generatedAt }, content);
}

export function rmBookDoc(d: RmBookData, b: Branding, generatedAt: Date): TDocumentDefinitions {
  const totalAum = d.clients.reduce((s, c) => s + Number(c.aum), 0);
  const content: Content[] = [
    ...cover(b, 'Relationship Manager Book', [
      { label: 'Relationship manager', value: `${d.rm.name} (${d.rm.code})` },
      { label: 'Reports to', value: d.rm.manager ?? '–' },
      { label: 'As of', value: formatDate(d.perf.asOf) },
      { label: 'Clients', value: formatIndian(d.clients.length, 0) },
    ]),
    heading('Book performance (pooled TWRR of the RM\'s clients)'),
    periodTable(d.perf.periods, b, { xirr: false }),
    ...growthBlock(d.perf, b),
    { ...(heading('Clients') as object), pageBreak: 'before' },
    dataTable(
      [
        { header: 'Client', cell: (c: RmBookData['clients'][number]) => `${c.name} (${c.clientCode})` },
        { header: 'Status', width: 38, cell: (c) => c.status },
        { header: 'AUM', width: 88, align: 'right', cell: (c) => formatInr(c.aum) },
        { header: 'Weight', width: 40, align: 'right', cell: (c) => formatPct(totalAum > 0 ? Number(c.aum) / totalAum : null) },
        { header: '1Y TWRR', width: 46, align: 'right', cell: (c) => ({ ...signedPct(b, c.return1y), alignment: 'right' }) },
        { header: 'SI TWRR', width: 46, align: 'right', cell: (c) => ({ ...signedPct(b, c.returnSi), alignment: 'right' }) },
        { header: 'SI XIRR', width: 46, align: 'right', cell: (c) => ({ ...signedPct(b, c.xirrSi), alignment: 'right' }) },
      ],
      d.clients,
      { fontSize: 7.5 },
    ),
    { text: '1Y and SI returns: the SEBI figure (annualised from one year). AUM: latest valuation of each portfolio.', style: 'note' },
  ];
  return reportFrame({ branding: b, title: 'RM Book', subject: `${d.rm.name} · as of ${formatDate(d.perf.asOf)}`, generatedAt }, content);
}

const SEBI_PERIODS = ['1M', '3M', '6M', '1Y', '2Y', '3Y', '5Y', 'SI'] as const;

export function sebiDoc(d: SebiData, b: Branding, generatedAt: Date): TDocumentDefinitions {
  const cell = (v: number | null | undefined) => ({ ...signedPct(b, v), alignment: 'right', fontSize: 7.3 });
  const header = [
    { text: 'Investment approach', style: 'th' },
    { text: 'Strategy', style: 'th' },
    { text: 'Benchmark', style: 'th' },
    { text: '', style: 'th' },
    ...SEBI_PERIODS.map((p) => ({ text: `${p}${p === '1M' || p === '3M' || p === '6M' ? ' (abs.)' : ' (ann.)'}`, style: 'th', alignment: 'right' })),
  ];
  const body: Content[][] = [header];
  for (const r of d.rows) {
    body.push([
      { text: `${r.strategyName} (${r.strategyCode})`, rowSpan: 2 },
      { text: r.sebiCategory, rowSpan: 2 },
      { text: r.benchmark ?? '–', rowSpan: 2 },
      { text: 'Portfolio', color: b.colours.muted },
      ...SEBI_PERIODS.map((p) => cell(r.periods[p]?.return)),
    ]);
    body.push(['', '', '', { text: 'Benchmark', color: b.colours.muted }, ...SEBI_PERIODS.map((p) => cell(r.periods[p]?.benchmark))]);
  }
  const content: Content[] = [
    ...cover(b, 'SEBI / APMI Performance Disclosure', [
      { label: 'As of', value: formatDate(d.asOf) },
      { label: 'Basis', value: 'TWRR, pooled across all portfolios of each investment approach, net of all fees and expenses' },
      { label: 'Circular', value: 'SEBI/HO/IMD/IMD-PoD-2/P/CIR/2022/172' },
    ], 762),
    heading('Strategy performance vs APMI benchmark'),
    { table: { headerRows: 1, dontBreakRows: true, widths: [150, 52, 120, 44, ...SEBI_PERIODS.map(() => '*')], body }, layout: 'report', fontSize: 7.5 },
    { text: 'Periods under one year are absolute; one year and longer are annualised. Returns are not shown for periods an approach did not live through entirely. No client selection: every portfolio of an approach counts.', style: 'note', margin: [0, 6, 0, 0] },
  ];
  return reportFrame({ branding: b, title: 'SEBI / APMI Performance Disclosure', subject: `as of ${formatDate(d.asOf)}`, generatedAt, landscape: true }, content);
}

export const renderExecutive = (d: ExecutiveData, b: Branding, at = new Date()) => renderPdf(executiveDoc(d, b, at));
export const renderRmBook = (d: RmBookData, b: Branding, at = new Date()) => renderPdf(rmBookDoc(d, b, at));
export const renderSebi = (d: SebiData, b: Branding, at = new Date()) => renderPdf(sebiDoc(d, b, at));
