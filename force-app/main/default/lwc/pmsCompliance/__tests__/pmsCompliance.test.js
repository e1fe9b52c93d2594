import { createElement } from 'lwc';
import PmsCompliance from 'c/pmsCompliance';
import getCompliance from '@salesforce/apex/PmsEngineController.getCompliance';
import { refreshApex } from '@salesforce/apex';
import { subscribe, unsubscribe } from 'lightning/empApi';

// Captured from GET /api/dashboard/compliance?period=1Y (shape only until the Compliance work fills it).
const EMPTY = require('./data/compliance.json');

jest.mock('@salesforce/apex/PmsEngineController.getCompliance', () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }), { virtual: true });

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn().mockResolvedValue(undefined) }), { virtual: true });

const flush = () => new Promise((r) => setTimeout(r, 0));
const mount = () => {
  const el = createElement('c-pms-compliance', { is: PmsCompliance });
  document.body.appendChild(el);
  return el;
};

describe('c-pms-compliance', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows pending tiles for the shape without figures', async () => {
    const el = mount();
    getCompliance.emit(EMPTY);
    await flush();
    const tile = el.shadowRoot.querySelector('c-pms-kpi-tile[data-kpi="hwm"]');
    expect(tile.value).toBe('—');
    expect(tile.caption).toBe('Pending compliance figures');
  });

  it('renders disclosure rows with columns from their keys', async () => {
    const el = mount();
    getCompliance.emit({ ...EMPTY, figures: { disclosuresDue: 2, feeChecksFailed: 0, highWaterMarkBreaches: 1 }, disclosures: [{ strategy: 'LCE', period: '1Y', return: 0.12, benchmarkReturn: 0.1 }] });
    await flush();
    const table = el.shadowRoot.querySelector('c-pms-sortable-table.disclosures');
    expect(table.columns.map((c) => c.fieldName)).toEqual(['strategy', 'period', 'return', 'benchmarkReturn']);
    expect(table.columns[2].type).toBe('percent');
    expect(el.shadowRoot.querySelector('c-pms-kpi-tile[data-kpi="hwm"]').value).toBe('1');
  });

  it('shows the error panel for a user without the audit scope', async () => {
    const el = mount();
    getCompliance.error({ message: '[403] This needs the "audit" scope' }, 403);
    await flush();
    expect(el.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
  });

  it('is accessible', async () => {
    const el = mount();
    getCompliance.emit(EMPTY);
    await flush();
    await expect(el).toBeAccessible();
  });
  it('refetches on PMS_Data_Refresh__e without showing the skeleton again, and unsubscribes when removed', async () => {
    const sub = { id: 1 };
    subscribe.mockResolvedValueOnce(sub);
    const el = mount();
    getCompliance.emit(EMPTY);
    await flush();
    jest.useFakeTimers();
    try {
      subscribe.mock.calls[0][2]({ data: { payload: { Kind__c: 'sync', Run_Id__c: '3' } } });
      jest.advanceTimersByTime(1000);
    } finally {
      jest.useRealTimers();
    }
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(refreshApex.mock.calls[0][0].data).toEqual(EMPTY);
    expect(el.shadowRoot.querySelector('[aria-busy="true"]')).toBeNull();
    document.body.removeChild(el);
    expect(unsubscribe).toHaveBeenCalledWith(sub, expect.any(Function));
  });
});
