import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getExecutiveSummary from '@salesforce/apex/PmsEngineController.getExecutiveSummary';
import getPerformance from '@salesforce/apex/PmsEngineController.getPerformance';
import { refreshApex } from '@salesforce/apex';
import { refreshWired, subscribeToRefresh } from 'c/pmsRefresh';
import { PERIODS, PERIOD_LABELS, formatBucket, formatCount, formatDate, formatInrUnit, formatPercent, getAmountUnit, onAmountUnitChange, returnLabel, setAmountUnit, toDisplayNumber, toQuery } from 'c/pmsFormat';

const RANK_COLUMNS = [
  { label: 'Client', fieldName: 'clientName', type: 'text', sortable: true },
  { label: 'Portfolio', fieldName: 'portfolioCode', type: 'text', sortable: true },
  { label: 'Return', fieldName: 'return', type: 'percent', sortable: true },
  { label: 'Benchmark', fieldName: 'benchmarkReturn', type: 'percent', sortable: true },
];

/**
 * Home page: KPI tiles (AUM, net flows, clients, TWRR vs benchmark), AUM trend, strategy and SEBI-category mix,
 * risk distribution, top and bottom portfolios. Data: GET /api/dashboard/executive and
 * GET /api/performance?scope=firm (an RM's "firm" is their own book). Segments and rows drill down.
 */
export default class PmsExecutiveSummary extends NavigationMixin(LightningElement) {
  @api title = 'Executive summary';
  filters = {};
  period = '1Y';
  grain = 'monthly';
  unit = getAmountUnit();
  summary;
  performance;
  error;
  perfError;
  rankColumns = RANK_COLUMNS;
  rendered = false;

  get query() {
    return toQuery({ ...this.filters, period: this.period, grain: this.grain });
  }

  get perfQuery() {
    return toQuery({ scope: 'firm', period: this.period, grain: this.grain });
  }

  @wire(getExecutiveSummary, { query: '$query' })
  wiredSummary(result) {
    const { data, error } = result;
    this.summaryResult = result;
    this.summary = data;
    this.error = error;
  }

  @wire(getPerformance, { query: '$perfQuery' })
  wiredPerformance(result) {
    const { data, error } = result;
    this.performanceResult = result;
    this.performance = data;
    this.perfError = error;
  }

  connectedCallback() {
    this.unsubscribe = onAmountUnitChange((u) => {
      this.unit = u;
    });
    // After an import, sync or analytics run (PMS_Data_Refresh__e): refetch, keeping today's figures on screen meanwhile.
    this.stopRefresh = subscribeToRefresh(() => this.refresh());
  }

  disconnectedCallback() {
    if (this.unsubscribe) this.unsubscribe();
    if (this.stopRefresh) this.stopRefresh();
  }

  /** Refetches every wired result (public so a parent page can ask too). */
  @api
  refresh() {
    return refreshWired(refreshApex, [this.summaryResult, this.performanceResult]);
  }

  get loading() {
    return !this.summary && !this.error;
  }

  get figures() {
    return (this.summary && this.summary.figures) || {};
  }

  get periodOptions() {
    return PERIODS.map((p) => ({ label: PERIOD_LABELS[p], value: p, selected: p === this.period }));
  }

  get asOfLabel() {
    return this.summary ? `as of ${formatDate(this.summary.asOf)}` : '';
  }

  get aumText() {
    return formatInrUnit(this.figures.aum, this.unit);
  }
  get aumTarget() {
    return toDisplayNumber(this.figures.aum, this.unit);
  }
  get netFlowsText() {
    return formatInrUnit(this.figures.netFlows, this.unit);
  }
  get netFlowsTarget() {
    return toDisplayNumber(this.figures.netFlows, this.unit);
  }
  get flowsSecondary() {
    return `In ${formatInrUnit(this.figures.inflows, this.unit)} · out ${formatInrUnit(this.figures.outflows, this.unit)}`;
  }
  get flowsCaption() {
    return this.summary ? `${this.period} · ${formatDate(this.summary.from)} to ${formatDate(this.summary.to)}` : '';
  }
  get clientsText() {
    return formatCount(this.figures.clients);
  }
  get clientsTarget() {
    return this.figures.clients;
  }
  get clientsSecondary() {
    return `${formatCount(this.figures.activeClients)} active · ${formatCount(this.figures.portfolios)} portfolios`;
  }

  amountFormatter = (n) => (this.unit === 'lakh' ? `₹${n.toFixed(2)} L` : `₹${n.toFixed(2)} Cr`);
  countFormatter = (n) => formatCount(n);

  get perfFigures() {
    return (this.performance && this.performance.figures) || null;
  }
  get twrrText() {
    return this.perfFigures ? formatPercent(this.perfFigures.reportedReturn) : '—';
  }
  get twrrSecondary() {
    const f = this.perfFigures;
    if (!f) return this.performance ? 'Not available for this period' : '';
    const bench = f.benchmarkCode ? `${f.benchmarkCode} ` : 'Benchmark ';
    return `${bench}${formatPercent(f.benchmarkReported)} · excess ${formatPercent(f.excessReturn, 2, true)}`;
  }
  get twrrCaption() {
    const f = this.perfFigures;
    const annual = f && f.days >= 365 ? 'annualised' : 'absolute';
    return f ? `${returnLabel({ period: this.period, method: `TWRR ${annual}`, asOf: f.asOf })}; whole book, filters not applied` : '';
  }
  get twrrTone() {
    const f = this.perfFigures;
    if (!f || f.excessReturn === null || f.excessReturn === undefined) return 'neutral';
    return f.excessReturn >= 0 ? 'positive' : 'negative';
  }

  chartOf(c, datasetIndex, asAmount) {
    if (!c) return { labels: [], datasets: [] };
    const ds = (c.datasets || []).filter((_, i) => datasetIndex === undefined || i === datasetIndex);
    return {
      labels: c.labels || [],
      datasets: ds.map((d) => ({ label: d.label, data: asAmount ? d.data.map((v) => toDisplayNumber(v, this.unit)) : d.data })),
    };
  }

  get aumTrend() {
    const c = this.chartOf(this.summary && this.summary.aumTrend, 0, true);
    return { ...c, labels: c.labels.map((l) => formatBucket(l, this.grain)) }; // 'Dec 2024', 'Q3 FY26', '2025'
  }
  get strategyMix() {
    const rows = (this.summary && this.summary.performanceOverview && this.summary.performanceOverview.rows) || [];
    return { labels: rows.map((r) => r.strategy), datasets: [{ label: `AUM (${this.unit === 'lakh' ? '₹ L' : '₹ Cr'})`, data: rows.map((r) => toDisplayNumber(r.aum, this.unit)) }] };
  }
  /** AUM by SEBI category (Equity, Debt, Hybrid, Multi Asset), from the API's categoryMix. */
  get categoryMix() {
    return this.chartOf(this.summary && this.summary.categoryMix, 0, true);
  }
  get strategyReturns() {
    return this.chartOf(this.summary && this.summary.performanceOverview);
  }
  get riskDistribution() {
    return this.chartOf(this.summary && this.summary.riskDistribution, 0);
  }
  get topPortfolios() {
    return (this.summary && this.summary.topPortfolios) || [];
  }
  get bottomPortfolios() {
    return (this.summary && this.summary.bottomPortfolios) || [];
  }
  get returnCaption() {
    return this.summary ? returnLabel({ period: this.period, method: 'TWRR (SEBI: absolute < 1Y, annualised ≥ 1Y)', asOf: this.summary.asOf }) : '';
  }
  get pdfExportQuery() {
    return toQuery({ report: 'executive' }); // the caller's book as of the latest valuation
  }
  get xlsxExportQuery() {
    return toQuery({ view: 'clients', ...this.filters, period: this.period });
  }
  get crorePressed() {
    return String(this.unit === 'crore');
  }
  get lakhPressed() {
    return String(this.unit === 'lakh');
  }
  get croreClass() {
    return `slds-button ${this.unit === 'crore' ? 'slds-button_brand' : 'slds-button_neutral'}`;
  }
  get lakhClass() {
    return `slds-button ${this.unit === 'lakh' ? 'slds-button_brand' : 'slds-button_neutral'}`;
  }

  handleUnit(event) {
    setAmountUnit(event.currentTarget.dataset.unit);
  }

  handlePeriod(event) {
    this.period = event.target.value;
  }

  handleFilterChange(event) {
    const { grain, ...filters } = event.detail.filters;
    this.filters = filters;
    if (grain) this.grain = grain;
  }

  navigateToClients(state) {
    const s = {};
    for (const [k, v] of Object.entries({ ...this.filters, ...state })) if (v !== undefined && v !== '') s[`c__${k}`] = String(v);
    this[NavigationMixin.Navigate]({ type: 'standard__navItemPage', attributes: { apiName: 'PMS_Clients' }, state: s });
  }

  handleStrategySelect(event) {
    this.navigateToClients({ strategy: event.detail.label });
  }

  handleCategorySelect(event) {
    this.navigateToClients({ sebiCategory: event.detail.label });
  }

  handleRiskSelect(event) {
    this.navigateToClients({ riskProfile: event.detail.label });
  }

  handlePortfolioSelect(event) {
    const row = event.detail.row;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId: row.salesforceAccountId || String(row.clientId), objectApiName: 'Account', actionName: 'view' },
      state: { c__clientId: String(row.clientId) },
    });
  }
}
