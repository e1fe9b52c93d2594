/**
 * Indian number formatting for reports (DOMAIN.md §6): ₹ with lakh/crore grouping (₹12,34,56,789.00), amounts in
 * lakhs/crores, percentages to two decimals, dates dd-MMM-yyyy. Money arrives as decimal strings and is rounded with
 * decimal.js (half-up), never through a float.
 */
import { Decimal } from 'decimal.js';

const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** 1234567 → 12,34,567 (the last three digits, then groups of two). */
export function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const head = digits.slice(0, -3);
  const tail = digits.slice(-3);
  return `${head.replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${tail}`;
}

/** A decimal string (or number for counts) in Indian grouping with `decimals` places: '-1234567.891' → '-12,34,567.89'. */
export function formatIndian(value: string | number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || value === '') return '–';
  const d = new Dec(value).toDecimalPlaces(decimals);
  const fixed = d.abs().toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const sign = d.isNegative() && !d.isZero() ? '-' : '';
  return `${sign}${groupIndian(int!)}${frac ? `.${frac}` : ''}`;
}

/** ₹ amount with Indian grouping: '-1234567.891' → '-₹12,34,567.89'. */
export function formatInr(value: string | number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || value === '') return '–';
  const s = formatIndian(value, decimals);
  return s.startsWith('-') ? `-₹${s.slice(1)}` : `₹${s}`;
}

/** ₹ in lakhs (L) or crores (Cr) with two decimals: 123456789 → '₹12.35 Cr', 5000000 → '₹50.00 L'; below a lakh, rupees. */
export function formatInrShort(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  const d = new Dec(value);
  const abs = d.abs();
  if (abs.gte(1e7)) return `${d.isNegative() ? '-' : ''}₹${formatIndian(abs.div(1e7).toFixed(2), 2)} Cr`;
  if (abs.gte(1e5)) return `${d.isNegative() ? '-' : ''}₹${formatIndian(abs.div(1e5).toFixed(2), 2)} L`;
  return formatInr(value, 0);
}

/** A fraction as a percentage with two decimals: 0.12345 → '12.35%'; null → '–'. */
export function formatPct(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const s = new Dec(value).times(100).toDecimalPlaces(decimals).toFixed(decimals);
  return `${s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s}%`;
}

/** A ratio (Sharpe, beta…) with two decimals; null → '–'. */
export function formatRatio(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Dec(value).toDecimalPlaces(decimals).toFixed(decimals);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO date → dd-MMM-yyyy: '2025-11-30' → '30-Nov-2025'. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}-${MONTHS[Number(m) - 1]}-${y}`;
}

/** A timestamp as dd-MMM-yyyy HH:mm IST (reports are read in India). */
export function formatTimestampIst(at: Date): string {
  const ist = new Date(at.getTime() + 330 * 60_000);
  const iso = ist.toISOString();
  return `${formatDate(iso.slice(0, 10))} ${iso.slice(11, 16)} IST`;
}
