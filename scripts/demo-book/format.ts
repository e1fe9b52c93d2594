/** Formatting the way Wealth Spectrum / Excel exports look. Money is integer paise throughout. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Indian digit grouping of an integer rupee string: 1234567 -> 12,34,567 */
function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  let rest = digits.slice(0, -3);
  const parts: string[] = [];
  while (rest.length > 2) {
    parts.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  if (rest.length > 0) parts.unshift(rest);
  return `${parts.join(',')},${last3}`;
}

/** paise (integer) -> `12,34,567.89` (no quotes) */
export function inr(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new Error(`money must be integer paise, got ${paise}`);
  const neg = paise < 0;
  const abs = Math.abs(paise);
  const rupees = Math.floor(abs / 100);
  const p = abs % 100;
  return `${neg ? '-' : ''}${groupIndian(String(rupees))}.${p < 10 ? '0' : ''}${p}`;
}

/** paise -> plain `1234567.89` */
export function plain2(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new Error(`money must be integer paise, got ${paise}`);
  const neg = paise < 0;
  const abs = Math.abs(paise);
  const p = abs % 100;
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${p < 10 ? '0' : ''}${p}`;
}

/** CSV field: quoted only when needed (as Excel/most exporters do) */
export function csv(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csv).join(',')}\r\n`;
}

/** ISO yyyy-mm-dd -> dd/mm/yyyy */
export function dmySlash(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** ISO yyyy-mm-dd -> dd-MMM-yyyy */
export function dMonY(iso: string): string {
  return `${iso.slice(8, 10)}-${MONTHS[Number(iso.slice(5, 7)) - 1]}-${iso.slice(0, 4)}`;
}

export function isoToUtcDate(iso: string): Date {
  return new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))));
}

export function addDaysIso(iso: string, days: number): string {
  const d = isoToUtcDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** days between two ISO dates (b - a) */
export function daysBetween(a: string, b: string): number {
  return Math.round((isoToUtcDate(b).getTime() - isoToUtcDate(a).getTime()) / 86_400_000);
}
