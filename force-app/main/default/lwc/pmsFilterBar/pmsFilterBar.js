import { LightningElement, api } from 'lwc';
import { PERIODS, PERIOD_LABELS } from 'c/pmsFormat';

const opt = (values, labels = {}) => [{ label: 'Any', value: '' }, ...values.map((v) => ({ label: labels[v] || v, value: v }))];
const FIELDS = ['year', 'aumMin', 'aumMax', 'sebiCategory', 'strategy', 'period', 'returnMetric', 'returnMin', 'returnMax', 'riskProfile', 'rm', 'grain'];
const LAKH = '00000';

/**
 * Filters shared by the dashboards, the clients list and saved views. `filters` uses the API's
 * query-parameter names and units (₹ for AUM, fractions for returns); the inputs show lakhs and percent.
 * Fires `filterchange` with { filters } on Apply and on Reset.
 */
export default class PmsFilterBar extends LightningElement {
  @api showGrain = false;
  @api showReturn = false;
  values = {};

  sebiOptions = opt(['Equity', 'Debt', 'Hybrid', 'Multi Asset']);
  riskOptions = opt(['Conservative', 'Moderately Conservative', 'Moderate', 'Moderately Aggressive', 'Aggressive']);
  grainOptions = [
    { label: 'Monthly', value: 'monthly' },
    { label: 'Quarterly', value: 'quarterly' },
    { label: 'Yearly', value: 'yearly' },
  ];
  periodOptions = PERIODS.map((p) => ({ label: PERIOD_LABELS[p], value: p }));
  metricOptions = [
    { label: 'TWRR', value: 'twrr' },
    { label: 'CAGR', value: 'cagr' },
    { label: 'XIRR', value: 'xirr' },
  ];

  @api
  get filters() {
    return this.toFilters();
  }
  set filters(value) {
    const f = value || {};
    const v = {};
    for (const k of FIELDS) if (f[k] !== undefined && f[k] !== null) v[k] = String(f[k]);
    // ₹ → lakhs for the inputs (exact: whole lakhs only come from this form)
    for (const k of ['aumMin', 'aumMax']) if (v[k]) v[k] = v[k].endsWith(LAKH) ? v[k].slice(0, -LAKH.length) : String(Number(v[k]) / 1e5);
    for (const k of ['returnMin', 'returnMax']) if (v[k]) v[k] = String(Math.round(Number(v[k]) * 1e6) / 1e4);
    this.values = v;
  }

  get year() {
    return this.values.year || '';
  }
  get aumMin() {
    return this.values.aumMin || '';
  }
  get aumMax() {
    return this.values.aumMax || '';
  }
  get sebiCategory() {
    return this.values.sebiCategory || '';
  }
  get strategy() {
    return this.values.strategy || '';
  }
  get riskProfile() {
    return this.values.riskProfile || '';
  }
  get rm() {
    return this.values.rm || '';
  }
  get grain() {
    return this.values.grain || 'monthly';
  }
  get period() {
    return this.values.period || '1Y';
  }
  get returnMetric() {
    return this.values.returnMetric || 'twrr';
  }
  get returnMin() {
    return this.values.returnMin || '';
  }
  get returnMax() {
    return this.values.returnMax || '';
  }

  toFilters() {
    const v = this.values;
    const f = {};
    if (v.year) f.year = v.year;
    if (v.aumMin) f.aumMin = /^\d+$/.test(v.aumMin) ? v.aumMin + LAKH : String(Math.round(Number(v.aumMin) * 1e5));
    if (v.aumMax) f.aumMax = /^\d+$/.test(v.aumMax) ? v.aumMax + LAKH : String(Math.round(Number(v.aumMax) * 1e5));
    if (v.sebiCategory) f.sebiCategory = v.sebiCategory;
    if (v.strategy) f.strategy = v.strategy.trim();
    if (v.riskProfile) f.riskProfile = v.riskProfile;
    if (v.rm) f.rm = v.rm.trim().toUpperCase();
    if (this.showGrain && v.grain) f.grain = v.grain;
    if (this.showReturn) {
      if (v.returnMin) f.returnMin = String(Number(v.returnMin) / 100);
      if (v.returnMax) f.returnMax = String(Number(v.returnMax) / 100);
      if (v.returnMin || v.returnMax || v.period) f.period = v.period || '1Y';
      if (v.returnMetric && v.returnMetric !== 'twrr') f.returnMetric = v.returnMetric;
    }
    return f;
  }

  handleChange(event) {
    const name = event.target.dataset.name;
    this.values = { ...this.values, [name]: event.detail && event.detail.value !== undefined ? event.detail.value : event.target.value };
  }

  handleKeyUp(event) {
    if (event.key === 'Enter') this.handleApply();
  }

  get invalid() {
    const v = this.values;
    return (
      (v.year && !/^\d{4}$/.test(v.year)) ||
      ['aumMin', 'aumMax', 'returnMin', 'returnMax'].some((k) => v[k] && Number.isNaN(Number(v[k]))) ||
      (v.rm && !/^[A-Za-z0-9_-]{1,40}$/.test(v.rm.trim())) ||
      (v.strategy && !/^[A-Za-z0-9_-]{1,40}$/.test(v.strategy.trim()))
    );
  }

  handleApply() {
    if (this.invalid) return;
    this.dispatchEvent(new CustomEvent('filterchange', { detail: { filters: this.toFilters() } }));
  }

  handleReset() {
    this.values = {};
    this.dispatchEvent(new CustomEvent('filterchange', { detail: { filters: this.toFilters() } }));
  }
}
