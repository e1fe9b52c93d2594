import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference, NavigationMixin } from 'lightning/navigation';
import getClients from '@salesforce/apex/PmsEngineController.getClients';
import getClientAnalytics from '@salesforce/apex/PmsEngineController.getClientAnalytics';
import { refreshApex } from '@salesforce/apex';
import { refreshWired, subscribeToRefresh } from 'c/pmsRefresh';
import { formatBucket, formatCount, formatDate, formatInrUnit, getAmountUnit, onAmountUnitChange, returnLabel, toDisplayNumber, toQuery } from 'c/pmsFormat';

const FILTER_KEYS = ['year', 'aumMin', 'aumMax', 'sebiCategory', 'strategy', 'period', 'returnMetric', 'returnMin', 'returnMax', 'riskProfile', 'rm', 'city', 'state', 'status', 'q'];
const PAGE_SIZE = 25;

/**
 * Client analytics: the filtered, sorted, paged client list (GET /api/clients) with client-wise AUM
 * and performance, onboarding trend, RM distribution and geography (GET /api/dashboard/clients).
 * Filters arrive from the page state (c__rm=…, drill-down from other components) or the filter bar.
 */
export default class PmsClientAnalytics extends NavigationMixin(LightningElement) {
  @api title = 'Clients';
  filters = {};
  sort = { sort: 'aum', order: 'desc' };
  page = 1;
  grain = 'yearly';
  list;
  listError;
  analytics;
  analyticsError;
  unit = getAmountUnit();

  @wire(CurrentPageReference)
  setPageReference(ref) {
    const state = (ref && ref.state) || {};
    const f = {};
    for (const k of FILTER_KEYS) if (state[`c__${k}`]) f[k] = state[`c__${k}`];
    if (JSON.stringify(f) !== JSON.stringify(this.filters)) {
      this.filters = f;
      this.page = 1;
    }
  }

  get listQuery() {
    return toQuery({ ...this.filters, ...this.sort, page: this.page, pageSize: PAGE_SIZE });
  }

  get analyticsQuery() {
    const { q, ...rest } = this.filters;
    return toQuery({ ...rest, grain: this.grain, ...(q ? { q } : {}) });
  }

  @wire(getClients, { query: '$listQuery' })
  wiredList(result) {
    const { data, error } = result;
    this.listResult = result;
    this.list = data;
    this.listError = error;
  }

  @wire(getClientAnalytics, { query: '$analyticsQuery' })
  wiredAnalytics(result) {
    const { data, error } = result;
    this.analyticsResult = result;
    this.analytics = data;
    this.analyticsError = error;
  }

  connectedCallback() {
    this.unsubscribe = onAmountUnitChange((u) => {
      this.unit = u;
    });
    this.stopRefresh = subscribeToRefresh(() => this.refresh()); // PMS_Data_Refresh__e: refetch, old rows stay meanwhile
  }

  disconnectedCallback() {
    if (this.unsubscribe) this.unsubscribe();
    if (this.stopRefresh) this.stopRefresh();
  }

  /** Refetches the list and the charts. */
  @api
  refresh() {
    return refreshWired(refreshApex, [this.listResult, this.analyticsResult]);
  }

  get period() {
    return this.filters.period || '1Y';
  }

  get columns() {
    const metric = (this.filters.returnMetric || 'twrr').toUpperCase();
    return [
      { label: 'Client', fieldName: 'name', type: 'text', sortable: true },
      { label: 'Code', fieldName: 'clientCode', type: 'text', sortable: true },
      { label: 'RM', fieldName: 'rm.code', type: 'text', sortable: true, sortKey: 'rm' },
      { label: 'Risk profile', fieldName: 'riskProfile', type: 'text', sortable: true },
      { label: 'City', fieldName: 'city', type: 'text', sortable: true },
      { label: 'Onboarded', fieldName: 'onboardingDate', type: 'date', sortable: true },
      { label: 'AUM', fieldName: 'aum', type: 'amount', sortable: true },
      { label: `${this.period} ${metric}`, fieldName: 'return', type: 'percent', sortable: true },
      { label: 'XIRR', fieldName: 'xirr', type: 'percent', sortable: true },
    ];
  }

  get sortedBy() {
    return this.sort.sort === 'rm' ? 'rm.code' : this.sort.sort;
  }

  get rows() {
    return (this.list && this.list.items) || [];
  }

  get total() {
    return this.list ? this.list.total : 0;
  }

  get totalLabel() {
    return `${formatCount(this.total)} clients`;
  }

  get loadingList() {
    return !this.list && !this.listError;
  }

  get pageLabel() {
    const pages = Math.max(1, Math.ceil(this.total / PAGE_SIZE));
    return `Page ${this.page} of ${pages}`;
  }

  get noPrev() {
    return this.page <= 1;
  }

  get noNext() {
    return this.page * PAGE_SIZE >= this.total;
  }

  get returnCaption() {
    const asOf = this.analytics ? this.analytics.asOf : this.rows.length ? this.rows[0].aumAsOf : undefined;
    return `Returns: ${returnLabel({ period: this.period, method: (this.filters.returnMetric || 'twrr').toUpperCase(), asOf })} · AUM as of ${formatDate(asOf)}`;
  }

  get figuresLabel() {
    if (!this.analytics) return '';
    return `${formatCount(this.analytics.figures.clients)} clients · AUM ${formatInrUnit(this.analytics.figures.aum, this.unit)}`;
  }

  chart(c, datasetIndex, amount) {
    if (!c) return { labels: [], datasets: [] };
    const d = (c.datasets || [])[datasetIndex];
    return { labels: c.labels || [], datasets: d ? [{ label: amount ? `${d.label} (${this.unit === 'lakh' ? '₹ L' : '₹ Cr'})` : d.label, data: amount ? d.data.map((v) => toDisplayNumber(v, this.unit)) : d.data }] : [] };
  }

  get topClients() {
    return this.chart(this.analytics && this.analytics.topClients, 0, true);
  }
  get onboarding() {
    const c = this.chart(this.analytics && this.analytics.onboardingTrend, 0, false);
    return { ...c, labels: c.labels.map((l) => formatBucket(l, this.grain)) };
  }
  get rmDistribution() {
    return this.chart(this.analytics && this.analytics.rmDistribution, 1, true);
  }
  get geography() {
    return this.chart(this.analytics && this.analytics.geography, 0, false);
  }

  get pdfExportQuery() {
    return toQuery({ report: 'executive' }); // the caller's book
  }
  get xlsxExportQuery() {
    return toQuery({ view: 'clients', ...this.filters, ...this.sort });
  }

  handleFilterChange(event) {
    const { grain, ...filters } = event.detail.filters;
    if (this.filters.q) filters.q = this.filters.q;
    this.filters = filters;
    if (grain) this.grain = grain;
    this.page = 1;
  }

  handleSearch(event) {
    const q = event.target.value.trim();
    const { q: _old, ...rest } = this.filters;
    this.filters = q.length >= 1 ? { ...rest, q } : rest;
    this.page = 1;
  }

  handleSort(event) {
    const col = this.columns.find((c) => c.fieldName === event.detail.sortedBy);
    this.sort = { sort: (col && col.sortKey) || event.detail.sortedBy, order: event.detail.sortDirection };
    this.page = 1;
  }

  handleViewLoad(event) {
    this.filters = { ...(event.detail.filters || {}) };
    if (event.detail.sort) this.sort = { sort: event.detail.sort.sort, order: event.detail.sort.order };
    this.page = 1;
  }

  handlePrev() {
    if (this.page > 1) this.page -= 1;
  }

  handleNext() {
    if (!this.noNext) this.page += 1;
  }

  /** An RM's bar filters the list by that RM (rows carry rmCode; unassigned clients have none). */
  handleRmSelect(event) {
    const row = ((this.analytics && this.analytics.rmDistribution && this.analytics.rmDistribution.rows) || [])[event.detail.index];
    if (!row || !row.rmCode) return;
    this.filters = { ...this.filters, rm: row.rmCode };
    this.page = 1;
  }

  handleGeographySelect(event) {
    this.filters = { ...this.filters, state: event.detail.label };
    this.page = 1;
  }

  handleTopClientSelect(event) {
    const row = ((this.analytics && this.analytics.topClients && this.analytics.topClients.rows) || [])[event.detail.index];
    if (row) this.openClient(row);
  }

  handleRowSelect(event) {
    this.openClient(event.detail.row);
  }

  openClient(row) {
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId: row.salesforceAccountId || String(row.id), objectApiName: 'Account', actionName: 'view' },
      state: { c__clientId: String(row.id) },
    });
  }

  get activeFilters() {
    return Object.entries(this.filters).map(([k, v]) => ({ key: k, label: `${k}: ${v}` }));
  }

  get hasActiveFilters() {
    return Object.keys(this.filters).length > 0;
  }

  handleRemoveFilter(event) {
    const key = event.currentTarget.dataset.key;
    const next = { ...this.filters };
    delete next[key];
    this.filters = next;
    this.page = 1;
  }
}
