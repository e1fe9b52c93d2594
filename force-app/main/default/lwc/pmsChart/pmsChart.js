import { LightningElement, api } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import chartjs from '@salesforce/resourceUrl/chartjs';
import { formatPercent, prefersReducedMotion } from 'c/pmsFormat';

const PALETTE = ['#0176d3', '#ff5d2d', '#2e844a', '#9050e9', '#dd7a01', '#06a59a', '#ea001e', '#3ba755', '#0b5cab', '#b60554'];

/**
 * One Chart.js chart (lwc-recipes libsChartjs): the library is the `chartjs` static resource, loaded once
 * in renderedCallback behind a guard, drawing into a lwc:dom="manual" container. Segments (and the
 * keyboard-reachable legend buttons when `drillable`) fire `segmentselect` with { label, index }.
 */
export default class PmsChart extends LightningElement {
  @api type = 'line';
  @api heading = 'Chart';
  /** 'percent' | 'amount' | 'count': how the value axis and tooltips read. */
  @api valueFormat = 'count';
  @api drillable = false;
  @api stacked = false;

  _labels = [];
  _datasets = [];
  chart;
  chartjsInitialized = false;
  loadError;
  drawn = false;

  @api
  get labels() {
    return this._labels;
  }
  set labels(value) {
    this._labels = value || [];
    this.redraw();
  }

  /** Chart.js-style datasets: [{ label, data }] ("datasets" is a reserved name for LWC properties). */
  @api
  get series() {
    return this._datasets;
  }
  set series(value) {
    this._datasets = value || [];
    this.redraw();
  }

  get hasData() {
    return this._labels.length > 0 && this._datasets.some((d) => (d.data || []).some((v) => v !== null && v !== undefined));
  }

  get noData() {
    return !this.hasData;
  }

  get segments() {
    return this._labels.map((label, index) => ({ key: `${index}-${label}`, label, index, color: PALETTE[index % PALETTE.length], style: `background:${PALETTE[index % PALETTE.length]}` }));
  }

  get showSegments() {
    return this.drillable && this.hasData;
  }

  renderedCallback() {
    if (this.chartjsInitialized) return;
    this.chartjsInitialized = true;
    loadScript(this, chartjs)
      .then(() => this.redraw())
      .catch((error) => {
        this.loadError = error;
      });
  }

  disconnectedCallback() {
    if (this.chart) this.chart.destroy();
    this.chart = undefined;
  }

  formatValue(v) {
    if (v === null || v === undefined) return '—';
    if (this.valueFormat === 'percent') return formatPercent(v);
    if (this.valueFormat === 'amount') return `₹${Number(v).toFixed(2)} Cr`;
    return String(v);
  }

  config() {
    const circular = this.type === 'doughnut' || this.type === 'pie';
    const datasets = this._datasets.map((d, i) => {
      const color = PALETTE[i % PALETTE.length];
      return {
        label: d.label,
        // Plain copies: Chart.js tags its data arrays, and @api values are read-only proxies.
        data: Array.from(d.data || []),
        borderColor: circular ? '#fff' : color,
        backgroundColor: circular ? this._labels.map((_, j) => PALETTE[j % PALETTE.length]) : this.type === 'line' ? color : `${color}cc`,
        borderWidth: this.type === 'line' ? 2 : 1,
        pointRadius: 0,
        tension: 0.15,
        spanGaps: true,
      };
    });
    const fmt = (v) => this.formatValue(v);
    return {
      type: this.type,
      data: { labels: Array.from(this._labels), datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: prefersReducedMotion() ? false : { duration: 400 },
        interaction: { mode: circular ? 'nearest' : 'index', intersect: circular },
        onClick: (_evt, elements) => {
          if (!this.drillable || !elements.length) return;
          this.select(elements[0].index);
        },
        plugins: {
          legend: { display: (circular && !this.drillable) || (!circular && datasets.length > 1), position: 'bottom' },
          tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label || ctx.label}: ${fmt(ctx.parsed.y ?? ctx.parsed)}` } },
        },
        scales: circular
          ? {}
          : {
              x: { stacked: this.stacked, ticks: { maxTicksLimit: 8, autoSkip: true } },
              y: { stacked: this.stacked, ticks: { callback: (v) => fmt(v) } },
            },
      },
    };
  }

  redraw() {
    const Chart = window.Chart;
    const container = this.template.querySelector('div.canvas-host');
    if (!Chart || !container) return;
    if (this.chart) {
      this.chart.destroy();
      this.chart = undefined;
    }
    if (!this.hasData) return;
    container.innerHTML = '';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', this.heading);
    container.appendChild(canvas);
    this.chart = new Chart(canvas.getContext('2d'), this.config());
    this.drawn = true;
    this.dispatchEvent(new CustomEvent('chartdrawn'));
  }

  select(index) {
    this.dispatchEvent(new CustomEvent('segmentselect', { detail: { label: this._labels[index], index } }));
  }

  handleSegmentClick(event) {
    this.select(Number(event.currentTarget.dataset.index));
  }
}
