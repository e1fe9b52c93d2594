import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference, NavigationMixin } from 'lightning/navigation';
import getPortfolios from '@salesforce/apex/PmsEngineController.getPortfolios';
import getPerformance from '@salesforce/apex/PmsEngineController.getPerformance';
import resolveClientId from '@salesforce/apex/PmsEngineController.resolveClientId';
import { refreshApex } from '@salesforce/apex';
import { refreshWired, subscribeToRefresh } from 'c/pmsRefresh';
import { PERIODS, PERIOD_LABELS, formatDate, formatInr, formatInrUnit, formatNumber, formatPercent, getAmountUnit, onAmountUnitChange, returnLabel, toQuery } from 'c/pmsFormat';

const HOLDING_COLUMNS = [
  { label: 'Security', fieldName: 'name', type: 'text', sortable: true },
  { label: 'ISIN', fieldName: 'isin', type: 'text', sortable: true },
  { label: 'Asset class', fieldName: 'assetClass', type: 'text', sortable: true },
  { label: 'Sector', fieldName: 'sector', type: 'text', sortable: true },
  { label: 'Quantity', fieldName: 'quantity', type: 'number', sortable: true },
  { label: 'Market value', fieldName: 'marketValue', type: 'amountFull', sortable: true },
  { label: 'Weight', fieldName: 'weight', type: 'percent', sortable: true },
];
const FEE_COLUMNS = [
  { label: 'Type', fieldName: 'typeCode', type: 'text', sortable: true },
  { label: 'Amount', fieldName: 'amount', type: 'amountFull', sortable: true },
  { label: 'Entries', fieldName: 'count', type: 'count', sortable: true },
];
const WEIGHT_COLUMNS = [
  { label: 'Sector', fieldName: 'name', type: 'text', sortable: true },
  { label: 'Weight', fieldName: 'weight', type: 'percent', sortable: true },
  { label: 'Holdings', fieldName: 'holdings', type: 'count', sortable: true },
];
const RISK_ROWS = [
  ['annualVolatility', 'Volatility (annualised)', 'percent'],
  ['sharpe', 'Sharpe ratio', 'number'],
  ['sortino', 'Sortino ratio', 'number'],
  ['downsideRisk', 'Downside risk', 'percent'],
  ['maxDrawdown', 'Maximum drawdown', 'percent'],
  ['beta', 'Beta', 'number'],
  ['alpha', 'Alpha (annualised)', 'percent'],
  ['trackingError', 'Tracking error', 'percent'],
  ['informationRatio', 'Information ratio', 'number'],
];
const AMOUNT_KEYS = /amount|value|price|rate|brokerage|stt|fee|tax|charges/i;

/**
 * The client performance tab (Account record page; stand-alone: #/client/<id>): portfolio vs benchmark
 * chart with a period selector (MTD … since inception, custom range), period returns and risk, allocation,
 * holdings and transactions (sortable), flows, fees, high-water-mark status.
 * Data: GET /api/portfolios/{clientId} and GET /api/performance?scope=client|portfolio.
 */
export default class PmsClientPerformance extends NavigationMixin(LightningElement) {
  /** Salesforce Account Id on a record page; resolved to the engine's client through PMS_Client_Code__c. */
  @api recordId;
  _clientId;
  resolveError;
  data;
  error;
  perf;
  perfError;
  period = '1Y';
  customFrom = '';
  customTo = '';
  pageRef;
  selectedPortfolioId = 'all';
  unit = getAmountUnit();
  holdingColumns = HOLDING_COLUMNS;
  feeColumns = FEE_COLUMNS;
  weightColumns = WEIGHT_COLUMNS;

  /** The engine's client id (stand-alone routes and tests set it directly). */
  @api
  get clientId() {
    return this._clientId;
  }
  set clientId(value) {
    this._clientId = value ? String(value) : undefined;
    this.selectedPortfolioId = 'all';
  }

  connectedCallback() {
    this.unsubscribe = onAmountUnitChange((u) => {
      this.unit = u;
    });
    if (!this._clientId && this.recordId) {
      resolveClientId({ accountId: this.recordId })
        .then((id) => {
          this._clientId = String(id);
        })
        .catch((e) => {
          this.resolveError = e;
        });
    }
    this.stopRefresh = subscribeToRefresh(() => this.refresh()); // PMS_Data_Refresh__e: refetch, chart stays meanwhile
  }

  disconnectedCallback() {
    if (this.unsubscribe) this.unsubscribe();
    if (this.stopRefresh) this.stopRefresh();
  }

  /** Refetches the client's portfolios and the performance series. */
  @api
  refresh() {
    return refreshWired(refreshApex, [this.portfoliosResult, this.perfResult]);
  }

  @wire(getPortfolios, { clientId: '$_clientId' })
  wiredPortfolios(result) {
    const { data, error } = result;
    this.portfoliosResult = result;
    this.data = data;
    this.error = error;
  }

  get isCustom() {
    return this.period === 'CUSTOM';
  }

  get perfQuery() {
    if (!this._clientId) return undefined;
    const entity = this.selectedPortfolioId === 'all' ? { scope: 'client', id: this._clientId } : { scope: 'portfolio', id: this.selectedPortfolioId };
    const period = this.isCustom ? 'SI' : this.period;
    const grain = this.isCustom || ['MTD', 'QTD', 'YTD', 'FYTD', '1M', '3M', '6M', '1Y'].includes(period) ? 'daily' : 'monthly';
    return toQuery({ ...entity, period, grain });
  }

  @wire(getPerformance, { query: '$perfQuery' })
  wiredPerformance(result) {
    const { data, error } = result;
    this.perfResult = result;
    this.perf = data;
    this.perfError = error;
  }

  get anyError() {
    return this.resolveError || this.error;
  }

  get loading() {
    return !this.data && !this.anyError;
  }

  get client() {
    return (this.data && this.data.client) || {};
  }

  get portfolios() {
    return (this.data && this.data.portfolios) || [];
  }

  get portfolioTabs() {
    const tabs = [{ id: 'all', label: 'All portfolios' }, ...this.portfolios.map((p) => ({ id: String(p.id), label: `${p.portfolioCode} · ${p.strategy.name}` }))];
    return tabs.map((t) => ({
      ...t,
      key: t.id,
      selected: String(t.id === this.selectedPortfolioId),
      tabIndex: t.id === this.selectedPortfolioId ? 0 : -1,
      className: `slds-tabs_default__item${t.id === this.selectedPortfolioId ? ' slds-is-active' : ''}`,
    }));
  }

  /** The selected portfolio, or the largest one for the "All" tab's detail tables. */
  get portfolio() {
    if (this.selectedPortfolioId !== 'all') return this.portfolios.find((p) => String(p.id) === this.selectedPortfolioId);
    return undefined;
  }

  get detailPortfolios() {
    return this.portfolio ? [this.portfolio] : this.portfolios;
  }

  get headerAum() {
    return formatInrUnit(this.client.aum, this.unit);
  }

  get headerAumFull() {
    return formatInr(this.client.aum, 2);
  }

  get headerAsOf() {
    return formatDate(this.client.aumAsOf);
  }

  get periodButtons() {
    return [...PERIODS, 'CUSTOM'].map((p) => ({
      key: p,
      value: p,
      label: p === 'CUSTOM' ? 'Custom' : p,
      title: PERIOD_LABELS[p],
      pressed: String(p === this.period),
      className: `slds-button ${p === this.period ? 'slds-button_brand' : 'slds-button_neutral'} period-button`,
    }));
  }

  /** The chart: cumulative portfolio vs benchmark; for a custom range the since-inception series rebased to its start. */
  get chart() {
    const series = (this.perf && this.perf.series) || [];
    if (!series.length) return { labels: [], datasets: [] };
    let points = series;
    if (this.isCustom && (this.customFrom || this.customTo)) {
      points = series.filter((p) => (!this.customFrom || p.date >= this.customFrom) && (!this.customTo || p.date <= this.customTo));
      if (!points.length) return { labels: [], datasets: [] };
      const p0 = 1 + points[0].cumulativeReturn;
      const b0 = points[0].benchmarkCumulativeReturn === null ? null : 1 + points[0].benchmarkCumulativeReturn;
      points = points.map((p) => ({
        ...p,
        cumulativeReturn: (1 + p.cumulativeReturn) / p0 - 1,
        benchmarkCumulativeReturn: b0 === null || p.benchmarkCumulativeReturn === null ? null : (1 + p.benchmarkCumulativeReturn) / b0 - 1,
      }));
    }
    const labels = (this.perf.chart && this.perf.chart.datasets) || [];
    return {
      labels: points.map((p) => formatDate(p.date)),
      datasets: [
        { label: (labels[0] && labels[0].label) || 'Portfolio (TWRR, cumulative)', data: points.map((p) => p.cumulativeReturn) },
        { label: (labels[1] && labels[1].label) || 'Benchmark (cumulative)', data: points.map((p) => p.benchmarkCumulativeReturn) },
      ],
    };
  }

  get chartCaption() {
    if (!this.perf) return '';
    if (this.isCustom) {
      const from = this.customFrom || this.perf.from;
      const to = this.customTo || this.perf.to;
      return `Custom range ${formatDate(from)} to ${formatDate(to)} · TWRR cumulative (absolute), rebased from the daily series · as of ${formatDate(to)}`;
    }
    return `${PERIOD_LABELS[this.period]} (${formatDate(this.perf.from)} to ${formatDate(this.perf.to)}) · TWRR cumulative · as of ${formatDate(this.perf.to)}`;
  }

  get headline() {
    const f = this.perf && this.perf.figures;
    if (!f || this.isCustom) return null;
    const annualised = f.days >= 365;
    return {
      twrr: formatPercent(f.reportedReturn),
      benchmark: formatPercent(f.benchmarkReported),
      excess: formatPercent(f.excessReturn, 2, true),
      xirr: formatPercent(f.xirr),
      label: returnLabel({ period: this.period, method: annualised ? 'TWRR annualised' : 'TWRR absolute', asOf: f.asOf }),
      xirrLabel: returnLabel({ period: this.period, method: 'XIRR', asOf: f.asOf }),
      benchmarkName: f.benchmarkCode || 'Benchmark',
    };
  }

  get notLivedThrough() {
    return this.perf && !this.perf.figures && !this.isCustom;
  }

  get returnRows() {
    const rows = [];
    for (const p of this.detailPortfolios) {
      for (const r of p.returns || []) {
        rows.push({
          key: `${p.id}-${r.period}`,
          portfolio: p.portfolioCode,
          period: r.period,
          method: r.days >= 365 ? 'TWRR annualised' : 'TWRR absolute',
          twrr: formatPercent(r.reportedReturn),
          xirr: formatPercent(r.xirr),
          benchmark: formatPercent(r.benchmarkReported),
          benchmarkCode: r.benchmarkCode || '—',
          excess: formatPercent(r.excessReturn, 2, true),
          excessClass: r.excessReturn < 0 ? 'num slds-text-color_error' : 'num slds-text-color_success',
          range: `${formatDate(r.fromDate)} – ${formatDate(r.toDate)}`,
          asOf: formatDate(r.asOf),
        });
      }
    }
    return rows;
  }

  get hasReturnRows() {
    return this.returnRows.length > 0;
  }

  get riskTables() {
    return this.detailPortfolios.map((p) => {
      const si = (p.risk && p.risk.sinceInception) || {};
      const oy = (p.risk && p.risk.oneYear) || {};
      const fmt = (v, type) => (type === 'percent' ? formatPercent(v) : formatNumber(v));
      return {
        key: String(p.id),
        title: `${p.portfolioCode} · ${p.strategy.name}`,
        rows: RISK_ROWS.map(([k, label, type]) => ({ key: k, label, si: fmt(si[k], type), oy: k === 'maxDrawdown' ? '—' : fmt(oy[k], type) })),
      };
    });
  }

  get allocation() {
    const totals = new Map();
    let sum = 0;
    for (const p of this.detailPortfolios) {
      const v = Number(p.value || 0);
      sum += v;
      for (const w of (p.allocation && p.allocation.byAssetClass) || []) totals.set(w.name, (totals.get(w.name) || 0) + w.weight * v);
    }
    const labels = [...totals.keys()];
    return { labels, datasets: [{ label: 'Weight', data: labels.map((l) => (sum ? totals.get(l) / sum : null)) }] };
  }

  get sectorRows() {
    const p = this.portfolio || this.portfolios[0];
    return (p && p.allocation && p.allocation.bySector) || [];
  }

  get sectorCaption() {
    const p = this.portfolio || this.portfolios[0];
    return p ? `Sectors of ${p.portfolioCode}, holdings as of ${formatDate(p.allocation && p.allocation.asOf)}` : '';
  }

  get holdings() {
    return this.detailPortfolios.flatMap((p) => ((p.allocation && p.allocation.topHoldings) || []).map((h) => ({ ...h, key: `${p.id}-${h.securityKey}` })));
  }

  get holdingsCaption() {
    const asOf = this.detailPortfolios.map((p) => p.allocation && p.allocation.asOf).filter(Boolean)[0];
    return `Top holdings as of ${formatDate(asOf)}; weight within the portfolio`;
  }

  get transactions() {
    return this.detailPortfolios.flatMap((p) => (p.recentTransactions || []).map((t, i) => ({ ...t, portfolio: p.portfolioCode, key: `${p.id}-${t.id || i}` })));
  }

  get transactionColumns() {
    const first = this.transactions[0];
    if (!first) return [];
    const keys = Object.keys(first).filter((k) => k !== 'key' && k !== 'id' && k !== 'portfolioId' && typeof first[k] !== 'object');
    return keys.map((k) => ({
      label: k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
      fieldName: k,
      type: /date/i.test(k) ? 'date' : AMOUNT_KEYS.test(k) ? 'amountFull' : /qty|quantity/i.test(k) ? 'number' : 'text',
      sortable: true,
    }));
  }

  get flows() {
    return this.detailPortfolios.map((p) => ({
      key: String(p.id),
      portfolio: p.portfolioCode,
      inflows: formatInrUnit(p.flows && p.flows.inflows, this.unit),
      outflows: formatInrUnit(p.flows && p.flows.outflows, this.unit),
      net: formatInrUnit(p.flows && p.flows.net, this.unit),
      last12m: formatInrUnit(p.flows && p.flows.last12mNet, this.unit),
    }));
  }

  get fees() {
    return this.detailPortfolios.flatMap((p) => (p.fees || []).map((f) => ({ ...f, key: `${p.id}-${f.typeCode}` })));
  }

  get feePlans() {
    return this.detailPortfolios.map((p) => ({
      key: String(p.id),
      portfolio: p.portfolioCode,
      management: p.managementFeeRate === null ? '—' : formatPercent(p.managementFeeRate),
      performance: p.performanceFeeRate === null ? '—' : formatPercent(p.performanceFeeRate),
      hurdle: p.hurdleRate === null ? '—' : formatPercent(p.hurdleRate),
    }));
  }

  get communications() {
    return (this.data && this.data.communications) || [];
  }

  get hasCommunications() {
    return this.communications.length > 0;
  }

  handlePortfolioTab(event) {
    this.selectedPortfolioId = event.currentTarget.dataset.id;
  }

  handleTabKey(event) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const tabs = this.portfolioTabs;
    const i = tabs.findIndex((t) => t.id === this.selectedPortfolioId);
    const next = tabs[(i + (event.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
    this.selectedPortfolioId = next.id;
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    Promise.resolve().then(() => {
      const el = this.template.querySelector(`[data-id="${next.id}"]`);
      if (el) el.focus();
    });
  }

  /**
   * The period lives in the page state, so a reload or a shared link keeps it: c__period (MTD … SI, or CUSTOM with
   * c__from / c__to as ISO dates). Inside Salesforce that is the record page's URL; stand-alone, the hash's query (#/client/12?period=3Y).
   */
  @wire(CurrentPageReference)
  setPageReference(ref) {
    this.pageRef = ref;
    const state = (ref && ref.state) || {};
    const period = state.c__period;
    if (period && (PERIODS.includes(period) || period === 'CUSTOM')) this.period = period;
    const iso = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || '') ? v : '');
    if (this.period === 'CUSTOM') {
      this.customFrom = iso(state.c__from);
      this.customTo = iso(state.c__to);
    }
  }

  /** Writes the period into the page state (replacing the history entry: the back button leaves the page). */
  keepPeriodInUrl() {
    if (!this.pageRef) return;
    const { c__period: _p, c__from: _f, c__to: _t, ...rest } = this.pageRef.state || {};
    const state = { ...rest, c__period: this.period };
    if (this.isCustom && this.customFrom) state.c__from = this.customFrom;
    if (this.isCustom && this.customTo) state.c__to = this.customTo;
    this[NavigationMixin.Navigate]({ ...this.pageRef, state }, true);
  }

  handlePeriod(event) {
    this.period = event.currentTarget.dataset.value;
    this.keepPeriodInUrl();
  }

  handleCustomFrom(event) {
    this.customFrom = event.target.value;
    this.keepPeriodInUrl();
  }

  handleCustomTo(event) {
    this.customTo = event.target.value;
    this.keepPeriodInUrl();
  }

  get pdfExportQuery() {
    return toQuery({ report: 'client', clientId: this._clientId, from: this.isCustom ? this.customFrom : undefined, to: this.isCustom ? this.customTo : undefined });
  }
  get xlsxExportQuery() {
    return toQuery({ view: 'transactions', clientId: this._clientId, from: this.isCustom ? this.customFrom : undefined, to: this.isCustom ? this.customTo : undefined });
  }
}
