import { createElement } from 'lwc';
import PmsClientAnalytics from 'c/pmsClientAnalytics';
import getClients from '@salesforce/apex/PmsEngineController.getClients';
import getClientAnalytics from '@salesforce/apex/PmsEngineController.getClientAnalytics';
import { CurrentPageReference, getNavigateCalledWith } from 'lightning/navigation';

// Captured from GET /api/clients?pageSize=5&sort=aum&order=desc and /api/dashboard/clients on the demo book.
const CLIENTS = require('./data/clients.json');
const DASHBOARD = require('./data/dashboardClients.json');

jest.mock('@salesforce/apex/PmsEngineController.getClients', () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getClientAnalytics', () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.listViews', () => ({ default: jest.fn().mockResolvedValue({ items: [] }) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getView', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.saveView', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.deleteView', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getExportAvailability', () => ({ default: jest.fn().mockResolvedValue({ pdf: false, xlsx: false }) }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.exportFile', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((r) => setTimeout(r, 0));

function mount() {
  const el = createElement('c-pms-client-analytics', { is: PmsClientAnalytics });
  document.body.appendChild(el);
  return el;
}

describe('c-pms-client-analytics', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('lists the clients with their total and sorts on the server', async () => {
    const el = mount();
    getClients.emit(CLIENTS);
    getClientAnalytics.emit(DASHBOARD);
    await flush();
    expect(el.shadowRoot.querySelector('.total').textContent).toBe('520 clients');
    const table = el.shadowRoot.querySelector('c-pms-sortable-table.client-list');
    expect(table.rows.length).toBe(5);
    table.dispatchEvent(new CustomEvent('sort', { detail: { sortedBy: 'rm.code', sortDirection: 'asc' } }));
    await flush();
    expect(getClients.getLastConfig()).toEqual({ query: 'order=asc&page=1&pageSize=25&sort=rm' });
  });

  it('takes filters from the page state (drill-down) and from the filter bar', async () => {
    const el = mount();
    CurrentPageReference.emit({ type: 'standard__navItemPage', attributes: { apiName: 'PMS_Clients' }, state: { c__riskProfile: 'Aggressive' } });
    await flush();
    expect(getClients.getLastConfig()).toEqual({ query: 'order=desc&page=1&pageSize=25&riskProfile=Aggressive&sort=aum' });
    el.shadowRoot.querySelector('c-pms-filter-bar').dispatchEvent(new CustomEvent('filterchange', { detail: { filters: { rm: 'RM006', sebiCategory: 'Equity' } } }));
    await flush();
    expect(getClients.getLastConfig()).toEqual({ query: 'order=desc&page=1&pageSize=25&rm=RM006&sebiCategory=Equity&sort=aum' });
  });

  it('opens a client from its row', async () => {
    const el = mount();
    getClients.emit(CLIENTS);
    await flush();
    const row = CLIENTS.items[0];
    el.shadowRoot.querySelector('c-pms-sortable-table.client-list').dispatchEvent(new CustomEvent('rowselect', { detail: { id: String(row.id), row } }));
    const ref = getNavigateCalledWith();
    expect(ref.type).toBe('standard__recordPage');
    expect(ref.state).toEqual({ c__clientId: String(row.id) });
  });

  it('applies a loaded saved view', async () => {
    const el = mount();
    el.shadowRoot.querySelector('c-pms-saved-views').dispatchEvent(new CustomEvent('viewload', { detail: { filters: { rm: 'RM005' }, sort: { sort: 'name', order: 'asc' } } }));
    await flush();
    expect(getClients.getLastConfig()).toEqual({ query: 'order=asc&page=1&pageSize=25&rm=RM005&sort=name' });
  });

  it('shows the error panel when the list fails', async () => {
    const el = mount();
    getClients.error({ message: '[400] The request is invalid.' }, 400);
    await flush();
    expect(el.shadowRoot.querySelector('c-error-panel').friendlyMessage).toBe('The client list could not be loaded');
  });

  it('is accessible', async () => {
    const el = mount();
    getClients.emit(CLIENTS);
    getClientAnalytics.emit(DASHBOARD);
    await flush();
    await expect(el).toBeAccessible();
  });
  it('filters the list by the RM of a clicked RM bar', async () => {
    const el = mount();
    // The captured rows predate rmId/rmCode: give the first one (Ira Khandelwal) her code as the API now does.
    const rows = DASHBOARD.rmDistribution.rows.map((r, i) => (i === 0 ? { ...r, rmId: 6, rmCode: 'RM006' } : { ...r, rmId: null, rmCode: null }));
    getClients.emit(CLIENTS);
    getClientAnalytics.emit({ ...DASHBOARD, rmDistribution: { ...DASHBOARD.rmDistribution, rows } });
    await flush();
    el.shadowRoot.querySelector('c-pms-chart.rm').dispatchEvent(new CustomEvent('segmentselect', { detail: { label: rows[0].label, index: 0 } }));
    await flush();
    expect(getClients.getLastConfig()).toEqual({ query: 'order=desc&page=1&pageSize=25&rm=RM006&sort=aum' });
    el.shadowRoot.querySelector('c-pms-chart.rm').dispatchEvent(new CustomEvent('segmentselect', { detail: { label: rows[1].label, index: 1 } }));
    await flush();
    expect(getClients.getLastConfig().query).toContain('rm=RM006'); // a row without a code changes nothing
  });

  it('labels the yearly onboarding trend by year', async () => {
    const el = mount();
    getClientAnalytics.emit(DASHBOARD);
    await flush();
    expect(el.shadowRoot.querySelector('c-pms-chart.onboarding').labels.slice(0, 3)).toEqual(['2020', '2021', '2022']);
  });
});
