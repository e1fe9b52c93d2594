import { formatDate, formatInr, formatInrUnit, formatPercent, groupIndian, returnLabel, toQuery } from 'c/pmsFormat';

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
});
