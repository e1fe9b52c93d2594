import { formatBucket, formatDate, formatInr, formatInrUnit, formatPercent, groupIndian, returnLabel, toQuery } from 'c/pmsFormat';

describe('pmsFormat', () => {
  it('groups digits the Indian way and keeps paise exact from the decimal string', () => {
    expect(groupIndian('123456789')).toBe('12,34,56,789');
    expect(formatInr('1500643418.98', 2)).toBe('₹1,50,06,43,418.98');
    expect(formatInr('-1234.5', 2)).toBe('-₹1,234.50');
    expect(formatInr(null)).toBe('—');
  });

  it('scales to crores and lakhs with one half-up rounding', () => {
    expect(formatInrUnit('21510931667.74', 'crore')).toBe('₹2,151.09 Cr');
    expect(formatInrUnit('21510931667.74', 'lakh')).toBe('₹2,15,109.32 L');
    expect(formatInrUnit('50000', 'lakh')).toBe('₹0.50 L');
    expect(formatInrUnit('-4999999', 'crore')).toBe('-₹0.50 Cr');
  });

  it('formats percentages, dates and return labels', () => {
    expect(formatPercent(0.12345)).toBe('12.35%');
    expect(formatPercent(0.05, 2, true)).toBe('+5.00%');
    expect(formatDate('2025-12-10')).toBe('10-Dec-2025');
    expect(returnLabel({ period: '1Y', method: 'TWRR', asOf: '2025-12-10' })).toBe('1Y · TWRR · as of 10-Dec-2025');
    expect(toQuery({ b: 'x y', a: 1, c: '' })).toBe('a=1&b=x%20y');
  });
  it('labels chart buckets by grain: calendar year, Indian financial-year quarter, month', () => {
    expect(formatBucket('2024-01-01', 'yearly')).toBe('2024');
    expect(formatBucket('2025-04-01', 'quarterly')).toBe('Q1 FY26'); // April–June 2025 opens FY 2025-26
    expect(formatBucket('2025-10-01', 'quarterly')).toBe('Q3 FY26');
    expect(formatBucket('2026-01-01', 'quarterly')).toBe('Q4 FY26');
    expect(formatBucket('2025-01-01', 'quarterly')).toBe('Q4 FY25');
    expect(formatBucket('2025-07-01', 'monthly')).toBe('Jul 2025');
    expect(formatBucket('2025-07-14', 'daily')).toBe('14-Jul-2025');
    expect(formatBucket('Unknown', 'yearly')).toBe('Unknown');
  });
});
