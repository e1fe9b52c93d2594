/** Minimal readers for the demo book's own files (used by its tests and checks; the engine has its own importer). */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export type Row = Record<string, string>;

export function readCsv(path: string): { headers: string[]; rows: Row[] } {
  let text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = parse(text, { relax_column_count: false }) as string[][];
  const headers = records[0] ?? [];
  const rows = records.slice(1).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
  return { headers, rows };
}

/** `12,34,567.89` / `(1,234.00)` / `-` -> integer paise (undefined for a blank) */
export function paise(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s === '' || s === '-') return undefined;
  const neg = s.startsWith('(') && s.endsWith(')');
  const body = (neg ? s.slice(1, -1) : s).replace(/,/g, '');
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(body);
  if (!m) throw new Error(`not an amount: ${v}`);
  const n = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return (neg || m[1] === '-' ? -1 : 1) * n;
}

const MON: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };

/** dd/mm/yyyy, dd-MMM-yyyy or ISO -> ISO */
export function isoDate(v: string): string {
  let m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2]}-${m[1]}`;
  m = /^(\d{2})-([A-Z][a-z]{2})-(\d{4})$/.exec(v);
  if (m && MON[m[2]!]) return `${m[3]}-${MON[m[2]!]}-${m[1]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  throw new Error(`not a date: ${v}`);
}

/** Effect of a transaction on the cash ledger, by code (securities transfers and internal pairs move no cash). */
export const CASH_SIGN: Record<string, number> = {
  'CS+': 1, 'CS-': -1, TDP: -1, 'BY-': -1, 'SL+': 1, IN1: 1, MGF: -1, PRF: -1, CUS: -1,
  PSI: 0, PSO: 0, OPI: 0, OPO: 0,
};
/** Effect on the quantity held */
export const QTY_SIGN: Record<string, number> = { 'BY-': 1, 'SL+': -1, PSI: 1, PSO: -1, OPI: 1, OPO: -1 };
/** External flows for TWRR (config/import-mappings.json: flow_in / flow_out minus the internal OPI/OPO pairs) */
export const FLOW_SIGN: Record<string, number> = { 'CS+': 1, PSI: 1, 'CS-': -1, PSO: -1, TDP: -1 };
export const FEE_CODES = new Set(['MGF', 'PRF', 'CUS']);
