import { LightningElement, api, wire } from 'lwc';
import getCompliance from '@salesforce/apex/PmsEngineController.getCompliance';
import { refreshApex } from '@salesforce/apex';
import { refreshWired, subscribeToRefresh } from 'c/pmsRefresh';
import { PERIODS, PERIOD_LABELS, formatCount, formatDate, toQuery } from 'c/pmsFormat';

const label = (k) => k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
const typeOf = (k, v) => (typeof v === 'number' && /return|rate|excess|weight|ratio/i.test(k) ? 'percent' : /amount|aum|value|fee/i.test(k) && v !== null && /^-?\d+(\.\d+)?$/.test(String(v)) ? 'amountFull' : /date|asOf/i.test(k) ? 'date' : 'text');

/** Columns for rows whose shape the Compliance service defines: every scalar key of the first row. */
function columnsOf(rows) {
  const first = rows[0];
  if (!first) return [];
  return Object.keys(first)
    .filter((k) => first[k] === null || typeof first[k] !== 'object')
    .map((k) => ({ label: label(k), fieldName: k, type: typeOf(k, first[k]), sortable: true }));
}

/**
 * Compliance view over GET /api/dashboard/compliance: headline counts (disclosures due, fee checks
 * failed, high-water-mark breaches), SEBI/APMI disclosure rows, fee checks and access events.
 * Needs the audit scope (compliance and admin users).
 */
export default class PmsCompliance extends LightningElement {
  @api title = 'Compliance';
  period = '1Y';
  data;
  error;

  get query() {
    return toQuery({ period: this.period });
  }

  @wire(getCompliance, { query: '$query' })
  wired(result) {
    const { data, error } = result;
    this.result = result;
    this.data = data;
    this.error = error;
  }

  connectedCallback() {
    this.stopRefresh = subscribeToRefresh(() => this.refresh()); // PMS_Data_Refresh__e: refetch, old figures stay meanwhile
  }

  disconnectedCallback() {
    if (this.stopRefresh) this.stopRefresh();
  }

  /** Refetches the compliance figures. */
  @api
  refresh() {
    return refreshWired(refreshApex, [this.result]);
  }

  get loading() {
    return !this.data && !this.error;
  }

  get periodOptions() {
    return PERIODS.map((p) => ({ label: PERIOD_LABELS[p], value: p, selected: p === this.period }));
  }

  get tiles() {
    const f = (this.data && this.data.figures) || {};
    const pending = 'Pending compliance figures';
    return [
      { key: 'disclosuresDue', label: 'Disclosures due', value: f.disclosuresDue === null || f.disclosuresDue === undefined ? '—' : formatCount(f.disclosuresDue), caption: f.disclosuresDue === null ? pending : `as of ${formatDate(this.data.asOf)}` },
      { key: 'feeChecksFailed', label: 'Fee checks failed', value: f.feeChecksFailed === null || f.feeChecksFailed === undefined ? '—' : formatCount(f.feeChecksFailed), caption: f.feeChecksFailed === null ? pending : `as of ${formatDate(this.data.asOf)}` },
      { key: 'hwm', label: 'High-water-mark breaches', value: f.highWaterMarkBreaches === null || f.highWaterMarkBreaches === undefined ? '—' : formatCount(f.highWaterMarkBreaches), caption: f.highWaterMarkBreaches === null ? pending : `as of ${formatDate(this.data.asOf)}` },
    ];
  }

  get disclosures() {
    return ((this.data && this.data.disclosures) || []).map((r, i) => ({ key: String(i), ...r }));
  }
  get disclosureColumns() {
    return columnsOf(this.disclosures.map(({ key, ...r }) => r));
  }
  get hasDisclosures() {
    return this.disclosures.length > 0;
  }
  get feeChecks() {
    return ((this.data && this.data.feeChecks) || []).map((r, i) => ({ key: String(i), ...r }));
  }
  get feeCheckColumns() {
    return columnsOf(this.feeChecks.map(({ key, ...r }) => r));
  }
  get hasFeeChecks() {
    return this.feeChecks.length > 0;
  }
  get accessEvents() {
    return (this.data && this.data.accessEvents) || { labels: [], datasets: [] };
  }
  get caption() {
    return this.data ? `${PERIOD_LABELS[this.period]} (${formatDate(this.data.from)} to ${formatDate(this.data.to)}) · TWRR net of fees · as of ${formatDate(this.data.asOf)}` : '';
  }

  handlePeriod(event) {
    this.period = event.target.value;
  }
}
