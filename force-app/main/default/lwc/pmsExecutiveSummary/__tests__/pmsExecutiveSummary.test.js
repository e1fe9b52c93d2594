import { createElement } from 'lwc';
import PmsExecutiveSummary from 'c/pmsExecutiveSummary';
import getExecutiveSummary from '@salesforce/apex/PmsEngineController.getExecutiveSummary';
import getPerformance from '@salesforce/apex/PmsEngineController.getPerformance';
import { getNavigateCalledWith } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import { setAmountUnit } from 'c/pmsFormat';
import { subscribe, unsubscribe } from 'lightning/empApi';

// Captured from GET /api/dashboard/executive?period=1Y and /api/performance?scope=firm on the demo book.
const EXECUTIVE = require('./data/executive.json');
const PERFORMANCE = require('./data/performance.json');

jest.mock('@salesforce/apex/PmsEngineController.getExecutiveSummary', () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getPerformance', () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getExportAvailability', () => ({ default: jest.fn().mockResolvedValue({ pdf: false, xlsx: false }) }), { virtual: true });
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn().mockResolvedValue(undefined) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.exportFile', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((r) => setTimeout(r, 0));

function mount() {
  const el = createElement('c-pms-executive-summary', { is: PmsExecutiveSummary });
  document.body.appendChild(el);
  return el;
}

describe('c-pms-executive-summary', () => {
  beforeEach(() => window.localStorage.clear());
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a skeleton until the data arrives', () => {
    const el = mount();
    expect(el.shadowRoot.querySelector('[aria-busy="true"]')).not.toBeNull();
    expect(el.shadowRoot.querySelector('[data-kpis]')).toBeNull();
  });

  it('renders the KPI tiles from the API figures, in crores with Indian grouping', async () => {
    const el = mount();
    getExecutiveSummary.emit(EXECUTIVE);
    getPerformance.emit(PERFORMANCE);
    await flush();
    const tile = (k) => el.shadowRoot.querySelector(`c-pms-kpi-tile[data-kpi="${k}"]`);
    // figures.aum "21510931667.74" = ₹2,151.09 Cr; netFlows "3522849396.69" = ₹352.28 Cr; 520 clients
    expect(tile('aum').value).toBe('₹2,151.09 Cr');
    expect(tile('netFlows').value).toBe('₹352.28 Cr');
    expect(tile('clients').value).toBe('520');
    expect(tile('twrr').caption).toContain('1Y · TWRR');
    expect(tile('twrr').caption).toContain('as of 10-Dec-2025');
    expect(getExecutiveSummary.getLastConfig()).toEqual({ query: 'grain=monthly&period=1Y' });
  });

  it('switches every amount to lakhs with the toggle', async () => {
    const el = mount();
    getExecutiveSummary.emit(EXECUTIVE);
    await flush();
    el.shadowRoot.querySelector('button[data-unit="lakh"]').click();
    await flush();
    expect(el.shadowRoot.querySelector('c-pms-kpi-tile[data-kpi="aum"]').value).toBe('₹2,15,109.32 L');
  });

  it('drills down from a risk segment to the filtered client list', async () => {
    const el = mount();
    getExecutiveSummary.emit(EXECUTIVE);
    await flush();
    el.shadowRoot.querySelector('c-pms-chart.risk').dispatchEvent(new CustomEvent('segmentselect', { detail: { label: 'Aggressive', index: 2 } }));
    const ref = getNavigateCalledWith();
    expect(ref.type).toBe('standard__navItemPage');
    expect(ref.attributes.apiName).toBe('PMS_Clients');
    expect(ref.state).toEqual({ c__riskProfile: 'Aggressive' });
    expect(ref.replace).toBeUndefined();
  });

  it('re-queries with the period and filters chosen', async () => {
    const el = mount();
    getExecutiveSummary.emit(EXECUTIVE);
    await flush();
    el.shadowRoot.querySelector('c-pms-filter-bar').dispatchEvent(new CustomEvent('filterchange', { detail: { filters: { rm: 'RM006', grain: 'quarterly' } } }));
    const select = el.shadowRoot.querySelector('select.period');
    select.value = '3Y';
    select.dispatchEvent(new CustomEvent('change'));
    await flush();
    expect(getExecutiveSummary.getLastConfig()).toEqual({ query: 'grain=quarterly&period=3Y&rm=RM006' });
  });

  it('shows the error panel when the engine fails', async () => {
    const el = mount();
    getExecutiveSummary.error({ message: '[503] The engine is unavailable' });
    await flush();
    const panel = el.shadowRoot.querySelector('c-error-panel');
    expect(panel).not.toBeNull();
    expect(panel.friendlyMessage).toBe('The executive summary could not be loaded');
  });

  it('is accessible', async () => {
    const el = mount();
    getExecutiveSummary.emit(EXECUTIVE);
    getPerformance.emit(PERFORMANCE);
    await flush();
    await expect(el).toBeAccessible();
  });
  it('refetches both wires after a PMS_Data_Refresh__e burst, keeping the tiles on screen, and unsubscribes on disconnect', async () => {
    const sub = { id: 9, channel: '/event/PMS_Data_Refresh__e' };
    subscribe.mockResolvedValueOnce(sub);
    const el = mount();
    getExecutiveSummary.emit(EXECUTIVE);
    getPerformance.emit(PERFORMANCE);
    await flush();
    expect(subscribe).toHaveBeenCalledWith('/event/PMS_Data_Refresh__e', -1, expect.any(Function));
    const deliver = subscribe.mock.calls[0][2];
    jest.useFakeTimers();
    try {
      deliver({ data: { payload: { Kind__c: 'import', Run_Id__c: '12' } } });
      deliver({ data: { payload: { Kind__c: 'analytics', Run_Id__c: '5' } } });
      jest.advanceTimersByTime(1000);
    } finally {
      jest.useRealTimers();
    }
    expect(refreshApex).toHaveBeenCalledTimes(2); // one burst → one refresh of each wire
    expect(refreshApex.mock.calls.map(([r]) => r.data)).toEqual([EXECUTIVE, PERFORMANCE]);
    await flush();
    expect(el.shadowRoot.querySelector('[aria-busy="true"]')).toBeNull(); // no skeleton while refreshing
    expect(el.shadowRoot.querySelector('[data-kpis]')).not.toBeNull();
    document.body.removeChild(el);
    expect(unsubscribe).toHaveBeenCalledWith(sub, expect.any(Function));
  });
  it('shows the SEBI category mix (not the strategy mix) and drills down by category', async () => {
    setAmountUnit('crore'); // the lakh test above leaves the shared unit on lakh
    const el = mount();
    getExecutiveSummary.emit(EXECUTIVE);
    await flush();
    const chart = el.shadowRoot.querySelector('c-pms-chart.category-mix');
    expect(chart.labels).toEqual(['Equity', 'Debt', 'Hybrid', 'Multi Asset']);
    // categoryMix.rows aum in ₹ crore: 14000000000.00 → 1400; 3510931667.74 → 351.093166774; with 250 + 150 that is 2151.093166774 = figures.aum 21510931667.74 / 1e7
    expect(chart.series[0].data).toEqual([1400, 351.093166774, 250, 150]);
    chart.dispatchEvent(new CustomEvent('segmentselect', { detail: { label: 'Debt', index: 1 } }));
    expect(getNavigateCalledWith().state).toEqual({ c__sebiCategory: 'Debt' });
  });
  it('labels the AUM trend by month at the monthly grain', async () => {
    const el = mount();
    getExecutiveSummary.emit({ ...EXECUTIVE, aumTrend: { labels: ['2024-12-01', '2025-01-01'], datasets: [{ label: 'AUM', data: [1, 2] }] } });
    await flush();
    expect(el.shadowRoot.querySelector('c-pms-chart.aum-trend').labels).toEqual(['Dec 2024', 'Jan 2025']);
  });
});
