import { createElement } from 'lwc';
import PmsClientPerformance from 'c/pmsClientPerformance';
import getPortfolios from '@salesforce/apex/PmsEngineController.getPortfolios';
import getPerformance from '@salesforce/apex/PmsEngineController.getPerformance';
import resolveClientId from '@salesforce/apex/PmsEngineController.resolveClientId';
import { CurrentPageReference, getNavigateCalledWith, resetNavigate } from 'lightning/navigation';

// Captured from GET /api/portfolios/71 and /api/performance?scope=client&id=71&period=1Y on the demo book.
const PORTFOLIOS = require('./data/portfolios.json');
const PERFORMANCE = require('./data/performance.json');

jest.mock('@salesforce/apex/PmsEngineController.getPortfolios', () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getPerformance', () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.resolveClientId', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getExportAvailability', () => ({ default: jest.fn().mockResolvedValue({ pdf: true, xlsx: true }) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.exportFile', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((r) => setTimeout(r, 0));

function mount(props) {
  const el = createElement('c-pms-client-performance', { is: PmsClientPerformance });
  Object.assign(el, props);
  document.body.appendChild(el);
  return el;
}

describe('c-pms-client-performance', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('loads the client and its 1Y performance vs benchmark, labelled with period, method and as-of', async () => {
    const el = mount({ clientId: '71' });
    await flush();
    expect(getPortfolios.getLastConfig()).toEqual({ clientId: '71' });
    expect(getPerformance.getLastConfig()).toEqual({ query: 'grain=daily&id=71&period=1Y&scope=client' });
    getPortfolios.emit(PORTFOLIOS);
    getPerformance.emit(PERFORMANCE);
    await flush();
    expect(el.shadowRoot.querySelector('.client-name').textContent).toBe('Rohit Deshpande');
    expect(el.shadowRoot.querySelector('.chart-caption').textContent).toContain('TWRR cumulative · as of 10-Dec-2025');
    const chart = el.shadowRoot.querySelector('c-pms-chart.performance-chart');
    expect(chart.labels.length).toBe(PERFORMANCE.series.length);
    expect(el.shadowRoot.querySelectorAll('table.returns tbody tr').length).toBeGreaterThan(0);
    expect(el.shadowRoot.querySelector('.hwm').textContent).toContain('High-water mark');
  });

  it('asks for the since-inception monthly series when the period changes to 3Y', async () => {
    const el = mount({ clientId: '71' });
    getPortfolios.emit(PORTFOLIOS);
    await flush();
    el.shadowRoot.querySelector('button[data-value="3Y"]').click();
    await flush();
    expect(getPerformance.getLastConfig()).toEqual({ query: 'grain=monthly&id=71&period=3Y&scope=client' });
  });

  it('rebases the since-inception series for a custom range', async () => {
    const el = mount({ clientId: '71' });
    getPortfolios.emit(PORTFOLIOS);
    await flush();
    el.shadowRoot.querySelector('button[data-value="CUSTOM"]').click();
    await flush();
    expect(getPerformance.getLastConfig()).toEqual({ query: 'grain=daily&id=71&period=SI&scope=client' });
    getPerformance.emit({
      ...PERFORMANCE,
      series: [
        { date: '2025-01-01', value: '1', netFlow: '0', cumulativeReturn: 0.1, benchmarkCumulativeReturn: 0.0 },
        { date: '2025-02-01', value: '1', netFlow: '0', cumulativeReturn: 0.21, benchmarkCumulativeReturn: 0.05 },
      ],
    });
    const from = el.shadowRoot.querySelector('input.custom-from');
    from.value = '2025-01-01';
    from.dispatchEvent(new CustomEvent('change'));
    await flush();
    const chart = el.shadowRoot.querySelector('c-pms-chart.performance-chart');
    // (1.21 / 1.10) − 1 = 0.10 exactly: chaining makes the rebased cumulative TWRR exact
    expect(chart.series[0].data[1]).toBeCloseTo(0.1, 12);
    expect(chart.series[1].data[1]).toBeCloseTo(0.05, 12);
  });

  it('resolves an Account record id to the engine client', async () => {
    resolveClientId.mockResolvedValue(71);
    mount({ recordId: '001000000000001AAA' });
    await flush();
    expect(resolveClientId).toHaveBeenCalledWith({ accountId: '001000000000001AAA' });
    expect(getPortfolios.getLastConfig()).toEqual({ clientId: '71' });
  });

  it('shows the error panel for a client outside the caller\'s book', async () => {
    const el = mount({ clientId: '99' });
    getPortfolios.error({ message: '[404] Client not found' }, 404);
    await flush();
    expect(el.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
  });

  it('is accessible', async () => {
    const el = mount({ clientId: '71' });
    getPortfolios.emit(PORTFOLIOS);
    getPerformance.emit(PERFORMANCE);
    await flush();
    await expect(el).toBeAccessible();
  });
  it('keeps the period in the page state (c__period) and takes it back from there on load', async () => {
    resetNavigate();
    const ref = { type: 'standard__recordPage', attributes: { recordId: '71', objectApiName: 'Account', actionName: 'view' }, state: { c__clientId: '71' } };
    const el = mount({ clientId: '71' });
    CurrentPageReference.emit(ref);
    getPortfolios.emit(PORTFOLIOS);
    await flush();
    el.shadowRoot.querySelector('button[data-value="3Y"]').click();
    expect(getNavigateCalledWith()).toEqual({ ...ref, state: { c__clientId: '71', c__period: '3Y' }, replace: true });

    // A reload (or a shared link) of a custom range: the state sets the period before anything is fetched.
    document.body.removeChild(el);
    const again = mount({ clientId: '71' });
    CurrentPageReference.emit({ ...ref, state: { c__clientId: '71', c__period: 'CUSTOM', c__from: '2024-04-01', c__to: '2025-03-31' } });
    getPortfolios.emit(PORTFOLIOS);
    await flush();
    expect(getPerformance.getLastConfig()).toEqual({ query: 'grain=daily&id=71&period=SI&scope=client' });
    expect(again.shadowRoot.querySelector('button[data-value="CUSTOM"]').getAttribute('aria-pressed')).toBe('true');
    expect(again.shadowRoot.querySelector('input.custom-from').value).toBe('2024-04-01');
    expect(again.shadowRoot.querySelector('input.custom-to').value).toBe('2025-03-31');
    // An unknown period in a hand-edited URL is ignored.
    CurrentPageReference.emit({ ...ref, state: { c__period: '7Q' } });
    await flush();
    expect(again.shadowRoot.querySelector('button[data-value="CUSTOM"]').getAttribute('aria-pressed')).toBe('true');
  });
});
