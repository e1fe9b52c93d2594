/**
 * Shared formatting for every PMS component (JS only, not exposed).
 * Money arrives from the engine as decimal strings: it is formatted from the string (BigInt arithmetic
 * for lakh/crore scaling), never through floating point.
 */

export const PERIODS = ['MTD', 'QTD', 'YTD', 'FYTD', '1M', '3M', '6M', '1Y', '2Y', '3Y', '5Y', 'SI'];
export const PERIOD_LABELS = {
  MTD: 'Month to date',
  QTD: 'Quarter to date',
  YTD: 'Year to date',
  FYTD: 'Financial year to date',
  '1M': '1 month',
  '3M': '3 months',
  '6M': '6 months',
  '1Y': '1 year',
  '2Y': '2 years',
  '3Y': '3 years',
  '5Y': '5 years',
  SI: 'Since inception',
  CUSTOM: 'Custom range',
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DASH = '—';

/** Groups integer digits the Indian way: 12,34,56,789. */
export function groupIndian(digits) {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3);
  return `${rest.replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${last3}`;
}

/** Parses a decimal string/number into { negative, scaled } with `scale` fraction digits (half-up rounding). */
function toScaled(value, scale) {
  let s = typeof value === 'number' ? value.toFixed(Math.max(scale + 2, 2)) : String(value).trim();
  const negative = s.startsWith('-');
  s = s.replace(/^[-+]/, '');
  const [int = '0', frac = ''] = s.split('.');
  const padded = (frac + '0'.repeat(scale + 1)).slice(0, scale + 1);
  let scaled = BigInt(int || '0') * 10n ** BigInt(scale + 1) + BigInt(padded || '0');
  scaled = (scaled + 5n) / 10n; // half-up on the extra digit
  return { negative: negative && scaled !== 0n, scaled };
}

function formatScaled({ negative, scaled }, decimals) {
  const base = 10n ** BigInt(decimals);
  const int = (scaled / base).toString();
  const frac = decimals ? `.${(scaled % base).toString().padStart(decimals, '0')}` : '';
  return `${negative ? '-' : ''}${groupIndian(int)}${frac}`;
}

/** ₹12,34,567.89 — the full amount with Indian grouping. */
export function formatInr(value, decimals = 0) {
  if (value === null || value === undefined || value === '') return DASH;
  return `₹${formatScaled(toScaled(value, decimals), decimals)}`.replace('₹-', '-₹');
}

/** ₹12.35 Cr or ₹1,234.57 L: the amount in crores or lakhs (unit 'crore' | 'lakh'). */
export function formatInrUnit(value, unit = 'crore', decimals = 2) {
  if (value === null || value === undefined || value === '') return DASH;
  const shift = unit === 'lakh' ? 5 : 7;
  // Exact to 1/10,000 of a rupee, then one half-up rounding to `decimals` of a lakh/crore.
  const { negative, scaled } = toScaled(value, 4);
  const divisor = 10n ** BigInt(4 + shift - decimals);
  const rounded = (scaled + divisor / 2n) / divisor;
  const text = formatScaled({ negative: negative && rounded !== 0n, scaled: rounded }, decimals);
  return `${text.startsWith('-') ? '-₹' + text.slice(1) : '₹' + text} ${unit === 'lakh' ? 'L' : 'Cr'}`;
}

/** A number for counters and charts (display only: never used for arithmetic on money). */
export function toDisplayNumber(value, unit) {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  if (!unit) return n;
  return n / (unit === 'lakh' ? 1e5 : 1e7);
}

/** 12.34% from a fraction (0.1234); signed when `signed`. */
export function formatPercent(fraction, decimals = 2, signed = false) {
  if (fraction === null || fraction === undefined || fraction === '' || Number.isNaN(Number(fraction))) return DASH;
  const n = Number(fraction) * 100;
  const text = `${n.toFixed(decimals)}%`;
  return signed && n > 0 ? `+${text}` : text;
}

export function formatNumber(value, decimals = 2) {
  if (value === null || value === undefined || value === '' || Number.isNaN(Number(value))) return DASH;
  return Number(value).toFixed(decimals);
}

export function formatCount(value) {
  if (value === null || value === undefined || value === '') return DASH;
  return groupIndian(String(Math.round(Number(value))));
}

/** 2025-12-10 → 10-Dec-2025 (the report format). */
export function formatDate(iso) {
  if (!iso) return DASH;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
  if (!m) return String(iso);
  return `${m[3]}-${MONTHS[Number(m[2]) - 1]}-${m[1]}`;
}

/** "1Y · TWRR · as of 10-Dec-2025": every return carries its period, method and as-of date. */
/**
 * Label of a chart bucket the engine gives as its first day (YYYY-MM-DD) at a grain: yearly '2024' (calendar year, as
 * the engine buckets), quarterly in India's financial year ('2025-04-01' → 'Q1 FY26', '2025-01-01' → 'Q4 FY25'),
 * monthly 'Apr 2025', daily as formatDate. Anything else is returned as given.
 */
export function formatBucket(label, grain) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(label || ''));
  if (!m) return label;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (grain === 'yearly') return String(year);
  if (grain === 'quarterly') {
    const fyEnd = month >= 4 ? year + 1 : year; // FY26 runs April 2025 to March 2026
    const quarter = Math.floor(((month + 8) % 12) / 3) + 1; // Apr–Jun Q1, Jul–Sep Q2, Oct–Dec Q3, Jan–Mar Q4
    return `Q${quarter} FY${String(fyEnd % 100).padStart(2, '0')}`;
  }
  if (grain === 'monthly') return `${MONTHS[month - 1]} ${year}`;
  return formatDate(label);
}

export function returnLabel({ period, method = 'TWRR', asOf }) {
  const parts = [period, method];
  if (asOf) parts.push(`as of ${formatDate(asOf)}`);
  return parts.filter(Boolean).join(' · ');
}

/** Query string from a filters object: empty values dropped, keys sorted (stable for saved views and caching). */
export function toQuery(params) {
  return Object.keys(params || {})
    .filter((k) => params[k] !== undefined && params[k] !== null && params[k] !== '')
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k])}`)
    .join('&');
}

/* Lakh/crore preference shared by every component on the page (kept in localStorage). */
const UNIT_KEY = 'pms.amountUnit';
const listeners = new Set();
let currentUnit;

export function getAmountUnit() {
  if (!currentUnit) {
    try {
      currentUnit = window.localStorage.getItem(UNIT_KEY) === 'lakh' ? 'lakh' : 'crore';
    } catch {
      currentUnit = 'crore';
    }
  }
  return currentUnit;
}

export function setAmountUnit(unit) {
  currentUnit = unit === 'lakh' ? 'lakh' : 'crore';
  try {
    window.localStorage.setItem(UNIT_KEY, currentUnit);
  } catch {
    /* storage may be blocked: the preference then lasts for the page */
  }
  listeners.forEach((fn) => fn(currentUnit));
}

/** Calls fn on every unit change; returns the unsubscribe function. */
export function onAmountUnitChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function prefersReducedMotion() {
  try {
    return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  } catch {
    return false;
  }
}
