import { describe, expect, it } from 'vitest';
import { formatDate, formatIndian, formatInr, formatInrShort, formatPct, formatRatio, formatTimestampIst, groupIndian } from './format.js';

describe('Indian number formatting (DOMAIN.md §6)', () => {
  it('groups the last three digits, then pairs', () => {
    expect(groupIndian('123')).toBe('123');
    expect(groupIndian('1234')).toBe('1,234');
    expect(groupIndian('123456')).toBe('1,23,456');
    expect(groupIndian('123456789')).toBe('12,34,56,789');
    expect(groupIndian('1000000000')).toBe('1,00,00,00,000');
  });

  it('formats rupees from decimal strings with half-up rounding to the paisa', () => {
    expect(formatInr('123456789')).toBe('₹12,34,56,789.00');
    expect(formatInr('10790592.335')).toBe('₹1,07,90,592.34');
    expect(formatInr('-1234567.891')).toBe('-₹12,34,567.89');
    expect(formatInr('-0.001')).toBe('₹0.00');
    expect(formatInr('99999.995', 2)).toBe('₹1,00,000.00');
    expect(formatInr(null)).toBe('–');
    expect(formatIndian('5000000', 0)).toBe('50,00,000');
  });

  it('shows lakhs and crores', () => {
    expect(formatInrShort('123456789')).toBe('₹12.35 Cr');
    expect(formatInrShort('5000000')).toBe('₹50.00 L');
    expect(formatInrShort('-25000000')).toBe('-₹2.50 Cr');
    expect(formatInrShort('99999')).toBe('₹99,999');
  });

  it('formats percentages, ratios and dates', () => {
    expect(formatPct(0.129707)).toBe('12.97%');
    expect(formatPct(-0.012549)).toBe('-1.25%');
    expect(formatPct(-0.00001)).toBe('0.00%');
    expect(formatPct(null)).toBe('–');
    expect(formatRatio(1.23456)).toBe('1.23');
    expect(formatDate('2025-11-30')).toBe('30-Nov-2025');
    expect(formatTimestampIst(new Date('2025-12-05T04:00:00Z'))).toBe('05-Dec-2025 09:30 IST');
  });
});
