import { describe, expect, it } from 'vitest';
import { loadSalesforceSettings, parseSalesforceSettings } from './salesforce-settings.js';
import { percent } from './write-back.js';

describe('Salesforce settings', () => {
  it('the shipped config/salesforce.json parses: write-back and event Tasks off, return fields per period', () => {
    const s = loadSalesforceSettings({});
    expect(s.writeBack.enabled).toBe(false);
    expect(s.writeBack.tasks).toMatchObject({ enabled: false, drawdownPct: 10, benchmarkShortfallPct: 5 });
    expect(s.writeBack.accountFields.returns).toEqual({ MTD: 'PMS_Return_MTD__c', QTD: 'PMS_Return_QTD__c', YTD: 'PMS_Return_YTD__c', '1Y': 'PMS_Return_1Y__c', '3Y': 'PMS_Return_3Y__c' });
    expect(s.writeBack.fscFields).toEqual({ balance: true, performance: true, standardPerformance: {} });
  });

  it('defaults without a file: nothing written back, no return fields', () => {
    const s = parseSalesforceSettings({});
    expect(s.writeBack).toMatchObject({ enabled: false, accountFields: { aum: null, returns: {}, returnsAsOf: null }, percentDecimals: 2, tasks: { enabled: false } });
  });

  it('rejects a period analytics does not compute and a field that is not an API name', () => {
    expect(() => parseSalesforceSettings({ writeBack: { accountFields: { returns: { '10Y': 'PMS_Return_10Y__c' } } } })).toThrow(/writeBack\.accountFields\.returns/);
    expect(() => parseSalesforceSettings({ writeBack: { accountFields: { returns: { YTD: 'PMS Return' } } } })).toThrow(/must be a Salesforce API name/);
  });
});

describe('percent', () => {
  it.each([
    [0.1297071907194678, 2, 12.97],
    [-0.012521166450857213, 2, -1.25],
    [0.15796683927004462, 2, 15.8],
    [-0.00001, 2, 0], // not -0
    [0.1297071907194678, 4, 12.9707],
    [null, 2, null], // the period has no figure
  ])('%s with %i decimals → %s', (value, decimals, expected) => {
    expect(Object.is(percent(value, decimals), expected)).toBe(true);
  });
});
